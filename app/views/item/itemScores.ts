/**
 * One item's SDR and every score the Item view states, encoded at once on the main thread
 * (one row costs m·d multiply-adds: a K slider stays live). DOM-free.
 */
import { encodeRows } from '../../../src/index.ts';
import { scoreEncoded, type ScoredItems } from '../compare/scoredItems.ts';
import { type SdrMap, dispersionPercentile } from '../../../src/index.ts';

export interface ItemScores {
  /** The item alone, scored (n = 1): SDR, qe, novelty, dispersion, clusters, radius, bmu. */
  readonly scored: ScoredItems;
  /** The SDR's active units (ascending). */
  readonly active: Uint32Array;
  readonly qe: number;
  /** QE percentile among the map's training inputs, 0–100; NaN without calibration. */
  readonly novelty: number;
  readonly dispersion: number;
  /**
   * Dispersion percentile among the training inputs' SDRs, 0–100; NaN without calibration or
   * when the calibration was made at another K (spread grows with K, so it would not compare).
   */
  readonly dispersionPercentile: number;
  readonly clusters: number;
  readonly largestCluster: number;
  readonly radius: number;
  readonly bestUnit: number;
}

/** Score the unit-length `row` (d = map dimension) on `map` with `k` active units. */
export function scoreItem(map: SdrMap, row: Float32Array, k: number): ItemScores {
  const scored = scoreEncoded(map.som.grid, [encodeRows(map, row, 1, k)]);
  const cal = map.calibration;
  const dispersion = scored.dispersion[0];
  return {
    scored,
    active: scored.active,
    qe: scored.qe[0],
    novelty: scored.novelty[0],
    dispersion,
    dispersionPercentile:
      cal && cal.k === k && cal.dispersion.length > 0 ? dispersionPercentile(cal, dispersion) : NaN,
    clusters: scored.clusters[0],
    largestCluster: scored.largestCluster[0],
    radius: scored.radius[0],
    bestUnit: scored.bmu[0],
  };
}
