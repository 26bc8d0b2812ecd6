/**
 * Scores in plain words, worded after what was measured on real CLIP embeddings (ViT-B/32
 * text, 32×32 maps, K = 20):
 *   - novelty is best judged by the quantisation-error (QE) percentile against the map's
 *     training inputs;
 *   - single concepts already spread over about 2.4 clusters on average;
 *   - a mixture of two unrelated concepts is more dispersed than single concepts, but only
 *     weakly, and it has a LOWER QE than single items (the mean sits near the map);
 *   - dispersion is a weaker signal and cannot tell a novel class from a mixture.
 * So the words never call an item a mixture or novel from its spread alone. DOM-free.
 */

/** Percentiles at and above which an item is called novel / unusual. */
const NOVEL_PERCENTILE = 99;
const UNUSUAL_PERCENTILE = 90;

/** Fewest single items a cluster comparison ("more than 90% of single items") is based on. */
const MIN_REFERENCE_ITEMS = 5;

/**
 * A percentage that never claims more than the truth: whole percent below 99 (93.7 → "93%"),
 * tenths from 99 (99.96 → "99.9%"); "0%" for anything below 1 in a thousand.
 */
export function floorPercent(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  const c = Math.min(100, Math.max(0, p));
  if (c >= 99 && c < 100) return `${(Math.floor(c * 10) / 10).toFixed(1)}%`;
  return `${Math.floor(c)}%`;
}

/** "more unusual than 93% of the map's training inputs" (the QE percentile in words). */
export function noveltyPhrase(percentile: number): string {
  if (!Number.isFinite(percentile)) return 'the map has no calibration to compare with';
  if (percentile >= 100) return "more unusual than every one of the map's training inputs";
  return `more unusual than ${floorPercent(percentile)} of the map's training inputs`;
}

/**
 * The novelty verdict: "novel: farther from the map than 99% of training inputs" (≥ 99th
 * percentile), "unusual: …" (≥ 90th), else "familiar: as close to the map as most training
 * inputs (percentile 42)".
 */
export function noveltyLine(percentile: number): string {
  if (!Number.isFinite(percentile)) return 'novelty unknown: this map has no calibration';
  const p = Math.min(100, Math.max(0, percentile));
  const share = p >= 100 ? 'all' : `${floorPercent(p)} of`;
  if (p >= NOVEL_PERCENTILE) return `novel: farther from the map than ${share} training inputs`;
  if (p >= UNUSUAL_PERCENTILE) {
    return `unusual: farther from the map than ${share} training inputs`;
  }
  return `familiar: as close to the map as most training inputs (percentile ${Math.round(p)})`;
}

/** Share (0–100) of the ascending `sorted` values strictly below `value`. */
export function shareBelow(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length === 0 ? NaN : (100 * lo) / sorted.length;
}

/** The median of ascending `sorted` values (NaN when empty). */
export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** Below this many single items a comparison counts them ("4 of your 6") instead of a percentage. */
const COUNT_WORDING_BELOW = 20;

/**
 * How an SDR spreads, against the single items' cluster counts (ascending, `reference`):
 * "one tight cluster"; "spread over 4 clusters: more than 90% of single items" when it has
 * more clusters than at least half of them (with fewer than 20 of them: "more than 4 of your 6
 * single items", or "more than any of your 6 single items"); "spread over 2 clusters, as is
 * common for single items (median 2)"; or just "spread over 3 clusters" with fewer than 5.
 */
export function spreadLine(clusterCount: number, reference: ArrayLike<number> | null): string {
  if (clusterCount <= 0) return 'no active units';
  if (clusterCount === 1) return 'one tight cluster';
  const head = `spread over ${clusterCount} clusters`;
  if (!reference || reference.length < MIN_REFERENCE_ITEMS) return head;
  const n = reference.length;
  const below = shareBelow(reference, clusterCount);
  if (below >= 50) {
    const fewer = Math.round((below * n) / 100);
    if (fewer === n) return `${head}: more than any of your ${n} single items`;
    if (n < COUNT_WORDING_BELOW) return `${head}: more than ${fewer} of your ${n} single items`;
    return `${head}: more than ${floorPercent(below)} of single items`;
  }
  return `${head}, as is common for single items (median ${formatCount(median(reference))})`;
}

function formatCount(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/** "0.42× a random SDR's spread" (dispersion is mean pairwise distance over a random SDR's). */
export function dispersionPhrase(dispersion: number): string {
  if (!Number.isFinite(dispersion)) return 'n/a';
  return `${dispersion.toFixed(2)}× a random SDR's spread`;
}

/** The one line a compared item gets: its spread, then its novelty. */
export function compareLine(
  clusterCount: number,
  percentile: number,
  reference: ArrayLike<number> | null,
): string {
  return `${spreadLine(clusterCount, reference)}; ${noveltyLine(percentile)}`;
}

/** What the comparison's numbers can and cannot say (shown once under the comparison). */
export const READING_NOTES: readonly string[] = [
  'Novelty is best judged by the QE percentile: how far the item is from its best unit, against the inputs the map was trained on.',
  'Spread (dispersion, clusters) is a weaker signal. On real CLIP embeddings single concepts already spread over about 2.4 clusters on a 32×32 map.',
  'A mixture of two unrelated concepts is only slightly more scattered than a single concept, and sits closer to the map (lower QE) than single items do, so neither number can tell a mixture from a novel concept.',
];
