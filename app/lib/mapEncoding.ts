/**
 * Encoding rows on a map with the scores the explorer shows: each row's SDR (the K units of
 * highest cosine, src/encode), its quantisation error, novelty percentile against the map's
 * calibration, spatial dispersion (src/sdr/spatial), and its best unit. DOM-free: the encode
 * worker runs it for whole datasets, the main thread for a single row when K moves.
 */
import {
  type Calibration,
  type SomModel,
  encodeBatch,
  noveltyPercentile,
  dispersion,
  sdrFromSorted,
  gridSize,
} from '../../src/index.ts';

/** Rows encoded on a map: flat typed arrays, n rows each. */
export interface EncodedRows {
  readonly n: number;
  /** Active units per row. */
  readonly k: number;
  /** n·k unit indices; row i (ascending) is item i's SDR. */
  readonly active: Uint32Array;
  /** Euclidean distance from each row to its best unit by the training rule. */
  readonly qe: Float32Array;
  /** Novelty percentile 0–100 of each row's qe among the map's calibration inputs; NaN without calibration. */
  readonly novelty: Float32Array;
  /** Spatial dispersion of each SDR (≈1 random spread, near 0 one tight patch). */
  readonly dispersion: Float32Array;
  /** Each row's best unit by the training rule (what a SOM's hit counts count). */
  readonly bmu: Uint32Array;
}

/** The parts of a map encoding needs. */
export interface EncodeTarget {
  readonly som: SomModel;
  readonly calibration: Calibration | null;
}

export class MapEncodingError extends Error {
  override readonly name = 'MapEncodingError';
}

/** Encode n rows of `data` (n·d, unit length) on `target` with K = `k` (1..m). */
export function encodeRows(
  target: EncodeTarget,
  data: Float32Array,
  n: number,
  k: number,
): EncodedRows {
  const { som, calibration } = target;
  const d = som.dim;
  const m = gridSize(som.grid);
  if (!Number.isInteger(k) || k < 1 || k > m) {
    throw new MapEncodingError(`K must be a whole number from 1 to ${m}, got ${k}`);
  }
  if (!Number.isInteger(n) || n < 0 || data.length < n * d) {
    throw new MapEncodingError(`expected ${n} rows of ${d} numbers, got ${data.length} numbers`);
  }
  if (n === 0) {
    return {
      n,
      k,
      active: new Uint32Array(0),
      qe: new Float32Array(0),
      novelty: new Float32Array(0),
      dispersion: new Float32Array(0),
      bmu: new Uint32Array(0),
    };
  }
  const encoded = encodeBatch(som, data.subarray(0, n * d), n, { k });
  const active = encoded.active;
  const qe = encoded.qe;
  const novelty = new Float32Array(n);
  const spread = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    novelty[i] = calibration ? noveltyPercentile(calibration, qe[i]) : NaN;
    const row = active.subarray(i * k, (i + 1) * k);
    spread[i] = dispersion(sdrFromSorted(som.grid, row));
  }
  return { n, k, active, qe, novelty, dispersion: spread, bmu: encoded.bmu };
}
