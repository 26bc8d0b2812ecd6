/**
 * Hub units: at a large K one unit near the map's centre of mass is among the K most similar
 * units of a large share of all items, and every summary built from active units ("around …")
 * starts to name it. hubShare finds that unit; HUB_SHARE_WARNING is where the page warns (measured below).
 * DOM-free.
 */

/** The unit active in the most rows of an encoding, and in what share of the rows. */
export interface HubShare {
  /** The unit (0..m−1) active in the most rows; ties go to the lower index; -1 with no rows. */
  readonly unit: number;
  /** Rows it is active in. */
  readonly count: number;
  /** count / n, from 0 to 1; 0 with no rows. */
  readonly share: number;
}

/** What hubShare reads: n rows of k active units each (EncodedRows, EncodedBatch). */
interface ActiveRows {
  readonly n: number;
  readonly k: number;
  /** n·k unit indices, each below `units`. */
  readonly active: Uint32Array;
}

/** The most often active unit of `encoding` on a map of `units` units (see HubShare). */
export function hubShare(encoding: ActiveRows, units: number): HubShare {
  const { n, k, active } = encoding;
  if (n === 0 || k === 0) return { unit: -1, count: 0, share: 0 };
  const counts = new Uint32Array(units);
  const end = Math.min(active.length, n * k);
  for (let i = 0; i < end; i++) counts[active[i]]++;
  let unit = 0;
  for (let u = 1; u < units; u++) if (counts[u] > counts[unit]) unit = u;
  return { unit, count: counts[unit], share: counts[unit] / n };
}

/**
 * Warn when one unit is active for at least this share of the items: 0.10. Measured with
 *   npx tsx src/encode/hubs.measure.ts ../shared/data/clip-vit-b32-text
 * (32×32 maps, PCA init, 20 epochs, seed 1, trained on all rows; unit labels: each unit's
 * nearest item, as `sdr train` labels them; a summary: the 3 most frequent labels among an
 * item's active units, as the page's "around …"). Per K, the hub unit's share of items, and
 * the share of items whose summary names the hub's label:
 *
 *   K (share of units)  LVIS 1,203 CLIP ViT-B/32 names    synthetic 40 clusters × 30, d = 64
 *                       hub share  hub named in summary    hub share  hub named in summary
 *   10 (1.0%)           0.027      0.024                   0.027      0.033
 *   20 (2.0%, default)  0.055      0.002                   0.068      0.070
 *   30 (2.9%)           0.078      0.000                   0.087      0.068
 *   40 (3.9%)           0.120      0.121 ("money")         0.117      0.084
 *   60 (5.9%)           0.190      0.185 ("money")         0.144      0.093
 *   100 (9.8%)          0.361      0.230 ("money")         0.185      0.067
 *
 * On LVIS, up to K = 30 the busiest unit is a busy region like any other (named in ≤ 2% of the
 * summaries); from K = 40, where its share passes 0.10, one unit ("money") turns up in the
 * summaries of 12–23% of all items, unrelated ones included ("dog … around money"). The
 * synthetic clusters pass 0.10 at the same K and never mislead as much (cleanly separated
 * clusters give each summary its own cluster's labels). The warning sits at that crossing.
 */
export const HUB_SHARE_WARNING = 0.1;

/** True when `hub` is a hub the page warns about (share ≥ HUB_SHARE_WARNING). */
export function isHubDominated(hub: HubShare): boolean {
  return hub.share >= HUB_SHARE_WARNING;
}
