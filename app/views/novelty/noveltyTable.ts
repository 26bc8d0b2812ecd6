/**
 * The novelty table's logic: sorting its rows by any column, and the threshold slider's
 * figures — the score threshold at a percentile of the training inputs' scores (centred kNN, or
 * QE where the map keeps no training rows) and its false-alarm rate, the share of training
 * inputs it would flag. DOM-free.
 */

export type NoveltyColumn = 'label' | 'kind' | 'knn' | 'qe' | 'novelty' | 'dispersion' | 'clusters';
export type SortDirection = 'ascending' | 'descending';

/** The table's columns, one entry per row. */
export interface NoveltyColumns {
  readonly labels: readonly string[];
  readonly kinds: readonly string[];
  /** Centred kNN percentile (the recommended score); NaN where not scored. */
  readonly knn: Float32Array;
  readonly qe: Float32Array;
  readonly novelty: Float32Array;
  readonly dispersion: Float32Array;
  readonly clusters: Uint16Array;
}

/** The direction a column sorts in on its first click: text A→Z, scores highest first. */
export function defaultDirection(column: NoveltyColumn): SortDirection {
  return column === 'label' || column === 'kind' ? 'ascending' : 'descending';
}

/**
 * Rows up to this many are sorted by packed keys (rank · 2²⁰ + row, exact in a float64, so a
 * plain numeric typed-array sort keeps ties in row order); more fall back to a comparator sort.
 */
const PACKED_ROWS = 2 ** 20;
/** The rank that sorts after every other (a missing score). */
const LAST_RANK = 2 ** 32;

/** Row order from per-row ranks (whole numbers 0 … 2³²), ties in row order. */
function orderByRanks(rank: (i: number) => number, n: number): Uint32Array {
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = rank(i) * PACKED_ROWS + i;
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i] % PACKED_ROWS;
  return order;
}

/** Each value's place among the distinct values of `text` (locale collation), 0 first. */
function textRanks(text: readonly string[], collator: Intl.Collator): Map<string, number> {
  const distinct = [...new Set(text)].sort(collator.compare);
  const ranks = new Map<string, number>();
  let rank = -1;
  distinct.forEach((value, i) => {
    // Values the collator calls equal ("Cat", "cat") share a rank: their rows stay in row order.
    if (i === 0 || collator.compare(distinct[i - 1], value) !== 0) rank++;
    ranks.set(value, rank);
  });
  return ranks;
}

/**
 * Row order for `column` in `direction`: stable (ties keep row order), NaN scores always last,
 * text compared with the locale's collation (numbers in labels sort as numbers). At 100,000
 * rows a score column sorts in a few milliseconds: the comparator sort took ~100 ms.
 */
export function sortRows(
  cols: NoveltyColumns,
  column: NoveltyColumn,
  direction: SortDirection,
): Uint32Array {
  const n = cols.labels.length;
  const ascending = direction === 'ascending';
  if (column === 'label' || column === 'kind') {
    const text = column === 'label' ? cols.labels : cols.kinds;
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    if (n <= PACKED_ROWS) {
      const ranks = textRanks(text, collator);
      const top = ranks.size === 0 ? 0 : Math.max(...ranks.values());
      return orderByRanks((i) => {
        const r = ranks.get(text[i])!;
        return ascending ? r : top - r;
      }, n);
    }
    const order = Array.from({ length: n }, (_, i) => i);
    const sign = ascending ? 1 : -1;
    order.sort((a, b) => sign * collator.compare(text[a], text[b]) || a - b);
    return Uint32Array.from(order);
  }
  const v = cols[column];
  if (n <= PACKED_ROWS) {
    // A float32's bits, reordered so that unsigned order is numeric order.
    const one = new Float32Array(1);
    const bits = new Uint32Array(one.buffer);
    return orderByRanks((i) => {
      const x = v[i];
      if (Number.isNaN(x)) return LAST_RANK;
      one[0] = x === 0 ? 0 : x; // −0 ties with 0, as the comparator had it
      const b = bits[0];
      const up = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
      return ascending ? up : 0xffffffff - up;
    }, n);
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = ascending ? 1 : -1;
  order.sort((a, b) => {
    const x = v[a];
    const y = v[b];
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
    return sign * (x - y) || a - b;
  });
  return Uint32Array.from(order);
}

/** Slider range: the percentile of the training inputs' QE the threshold sits at. */
export const THRESHOLD_MIN_PERCENTILE = 50;
export const THRESHOLD_MAX_PERCENTILE = 99.9;
/** Default: the 95th percentile (flags about 5% of in-distribution inputs). */
export const THRESHOLD_DEFAULT_PERCENTILE = 95;

/**
 * The score above which an input is flagged, at `percentile` (0–100) of the calibration scores
 * (`sorted` ascending: the training inputs' QE, or their centred kNN scores), linearly
 * interpolated between calibration values (Hyndman & Fan type 7, as src/encode noveltyThreshold).
 */
export function thresholdAtPercentile(sorted: Float32Array, percentile: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, percentile / 100));
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Share (0–1) of the calibration (training) inputs scoring above `threshold`: the false alarms. */
export function falseAlarmRate(sorted: Float32Array, threshold: number): number {
  const q = sorted;
  if (q.length === 0) return NaN;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid] <= threshold) lo = mid + 1;
    else hi = mid;
  }
  return (q.length - lo) / q.length;
}

/** Per row, 1 when its score exceeds `threshold`; and how many are. */
export function flagRows(
  scores: Float32Array,
  threshold: number,
): { flags: Uint8Array; count: number } {
  const flags = new Uint8Array(scores.length);
  let count = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] > threshold) {
      flags[i] = 1;
      count++;
    }
  }
  return { flags, count };
}
