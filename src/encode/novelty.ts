/**
 * Novelty scores calibrated on in-distribution inputs (usually the training set).
 *
 * A raw quantisation error means little on its own (it depends on the data and the map size);
 * its percentile among the calibration inputs does: 50 is typical, 99 is further from the map
 * than 99% of what it was trained on. The same holds for an SDR's spatial dispersion.
 */
import { sdrFromSorted } from '../sdr/sdr.ts';
import { dispersion } from '../sdr/spatial.ts';
import type { Calibration } from '../io/mapModel.ts';
import type { SomModel } from '../som/types.ts';
import { encodeBatch, type EncodedBatch } from './encode.ts';
import type { Grid } from '../grid/grid.ts';

export class NoveltyError extends RangeError {
  override name = 'NoveltyError';
}

/** Calibration from an already encoded batch (e.g. one encoded by encodeBatchWith). */
export function calibrationFromEncoded(grid: Grid, encoded: EncodedBatch): Calibration {
  const { k, active, qe } = encoded;
  const n = qe.length;
  if (n < 1) throw new NoveltyError('calibration needs at least one input');
  const disp = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    disp[i] = dispersion(sdrFromSorted(grid, active.subarray(i * k, (i + 1) * k)));
  }
  return { k, qe: Float32Array.from(qe).sort(), dispersion: disp.sort() };
}

/** Encode n calibration rows with K = k and keep their sorted qe and dispersion. */
export function calibrate(model: SomModel, data: Float32Array, n: number, k: number): Calibration {
  if (!Number.isInteger(n) || n < 1)
    throw new NoveltyError(`calibration needs at least one input, got ${n}`);
  return calibrationFromEncoded(model.grid, encodeBatch(model, data, n, { k }));
}

/** Count of values in ascending `sorted` that are < x (lower) and ≤ x (upper). */
function rankBounds(sorted: Float32Array, x: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return [below, lo];
}

/**
 * Percentile rank of `value` in ascending `sorted`, 0 to 100: the share of values below it,
 * counting ties as half (the mid-rank), so it never decreases as `value` grows.
 */
export function percentileRank(sorted: Float32Array, value: number): number {
  if (sorted.length === 0) throw new NoveltyError('the calibration is empty');
  if (Number.isNaN(value)) throw new NoveltyError('cannot rank NaN');
  const [below, atOrBelow] = rankBounds(sorted, value);
  return (100 * (below + 0.5 * (atOrBelow - below))) / sorted.length;
}

/** Novelty of a quantisation error: its percentile among the calibration inputs, 0 to 100. */
export function noveltyPercentile(cal: Calibration, qe: number): number {
  return percentileRank(cal.qe, qe);
}

/** How scattered an SDR is compared with the calibration inputs' SDRs, 0 to 100. */
export function dispersionPercentile(cal: Calibration, value: number): number {
  return percentileRank(cal.dispersion, value);
}

/**
 * The quantisation error above which a fraction `falseAlarmRate` (0 to 1) of calibration inputs
 * lie: the (1 − rate) quantile, linearly interpolated between calibration values (Hyndman & Fan
 * type 7, as numpy's default). Flag an input as novel when its qe exceeds this; about
 * `falseAlarmRate` of in-distribution inputs will be flagged. Rate 0 gives the largest value,
 * rate 1 the smallest.
 */
export function noveltyThreshold(cal: Calibration, falseAlarmRate: number): number {
  const q = cal.qe;
  if (q.length === 0) throw new NoveltyError('the calibration is empty');
  if (!(falseAlarmRate >= 0 && falseAlarmRate <= 1)) {
    throw new NoveltyError(`falseAlarmRate must be from 0 to 1, got ${falseAlarmRate}`);
  }
  const h = (q.length - 1) * (1 - falseAlarmRate);
  const lo = Math.floor(h);
  const hi = Math.min(q.length - 1, lo + 1);
  return q[lo] + (h - lo) * (q[hi] - q[lo]);
}
