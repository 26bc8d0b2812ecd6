/**
 * How many stored SDRs overlap a query by each amount: the measured side of the false-match
 * question. Theory (src/sdr/falseMatch.ts) assumes random SDRs; a map's SDRs are not random,
 * so the fraction of real items sharing ≥ θ cells with a query is measured here over a sample
 * of queries that are themselves stored items (each leaves itself out).
 */
import type { OverlapIndex } from '../sdr/overlapIndex.ts';
import type { SDR } from '../sdr/sdr.ts';
import { MeasureError } from './errors.ts';

export interface OverlapDistribution {
  /** counts[c]: (query, other item) pairs sharing exactly c cells, c = 0..maxOverlap. */
  readonly counts: Float64Array;
  /** All pairs counted: queries × (stored items − 1). */
  readonly pairs: number;
  /** Queries measured. */
  readonly queries: number;
}

/**
 * Overlap counts of each query against every other stored item.
 *
 * @param queries SDRs to measure, each paired with `selfIds[i]`, the id it has in `index`
 *   (left out of its own count), or −1 when it is not stored.
 * @param maxOverlap the largest overlap to tally (usually K); larger overlaps count here too.
 */
export function overlapDistribution(
  index: OverlapIndex,
  queries: readonly SDR[],
  selfIds: Int32Array,
  maxOverlap: number,
): OverlapDistribution {
  if (!Number.isSafeInteger(maxOverlap) || maxOverlap < 0) {
    throw new MeasureError(`maxOverlap must be a whole number ≥ 0, got ${String(maxOverlap)}`);
  }
  if (selfIds.length !== queries.length) {
    throw new MeasureError(`${selfIds.length} self ids for ${queries.length} queries`);
  }
  const counts = new Float64Array(maxOverlap + 1);
  const size = index.size;
  let pairs = 0;
  for (let q = 0; q < queries.length; q++) {
    const self = selfIds[q];
    const others = self >= 0 ? size - 1 : size;
    const found = index.search(queries[q], size);
    let touched = 0;
    for (let i = 0; i < found.ids.length; i++) {
      if (found.ids[i] === self) continue;
      counts[Math.min(maxOverlap, found.overlaps[i])]++;
      touched++;
    }
    counts[0] += others - touched;
    pairs += others;
  }
  return { counts, pairs, queries: queries.length };
}

/** Share of the counted pairs that overlap by at least θ; 0 when nothing was counted. */
export function fractionAtLeast(dist: OverlapDistribution, theta: number): number {
  if (!Number.isSafeInteger(theta) || theta < 0) {
    throw new MeasureError(`θ must be a whole number ≥ 0, got ${String(theta)}`);
  }
  if (dist.pairs === 0) return 0;
  let s = 0;
  for (let c = Math.min(theta, dist.counts.length); c < dist.counts.length; c++)
    s += dist.counts[c];
  return s / dist.pairs;
}
