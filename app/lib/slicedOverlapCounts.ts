/**
 * The false-match panel's measured side (src/eval/overlapDistribution.ts) on the page's
 * thread, a few sampled queries per task over an overlap index the page already holds
 * (app/views/robustness/useOverlapIndex.ts). The lab worker measured it before, but handing it
 * the SDRs of 100,000 items copied 33 MB on the page's thread (150–500 ms) on every open.
 * Same sample as the worker's (the seeded items, each leaving itself out), so the same counts.
 */
import {
  createRng,
  overlapDistribution,
  sampleWithoutReplacement,
  sdrFromSorted,
  type OverlapDistribution,
  type OverlapIndex,
} from '../../src/index.ts';
import { runSliced } from './slices.ts';

/** The measurement was given up (`isWanted` said no between slices). */
export class OverlapCountsAbandoned extends Error {
  override readonly name = 'OverlapCountsAbandoned';
}

/**
 * Overlap counts of `sample` seeded items (default 200, from 1) against every other item of
 * `index`, whose rows are `active` (n rows of k), about `sliceMs` (default 8, from 1) of work
 * per task; `isWanted` is asked between slices.
 */
export async function measureOverlapsSliced(
  index: OverlapIndex,
  active: Uint32Array,
  k: number,
  options: {
    readonly sample?: number;
    readonly seed?: number;
    readonly sliceMs?: number;
    readonly isWanted?: () => boolean;
  } = {},
): Promise<OverlapDistribution> {
  const n = index.size;
  const sample = Math.max(1, Math.floor(options.sample ?? 200));
  const ids = sampleWithoutReplacement(createRng(options.seed ?? 1), n, Math.min(n, sample));
  const counts = new Float64Array(k + 1);
  let pairs = 0;
  const measure = (start: number, end: number) => {
    for (let at = start; at < end; at++) {
      const id = ids[at];
      const query = sdrFromSorted(index.grid, active.subarray(id * k, (id + 1) * k));
      const one = overlapDistribution(index, [query], Int32Array.of(id), k);
      for (let c = 0; c <= k; c++) counts[c] += one.counts[c];
      pairs += one.pairs;
    }
  };
  if (!(await runSliced(ids.length, 1, measure, options))) {
    throw new OverlapCountsAbandoned('the encoding changed');
  }
  return { counts, pairs, queries: ids.length };
}
