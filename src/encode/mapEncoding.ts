/**
 * Encoding rows on a map with the scores the explorer shows: each row's SDR (the K units of
 * highest cosine, src/encode), its quantisation error, novelty percentile against the map's
 * calibration, spatial dispersion (src/sdr/spatial), and its best unit. DOM-free: the encode
 * worker runs it for whole datasets, the main thread for a single row when K moves.
 */
import { gridSize } from '../grid/grid.ts';
import type { Calibration } from '../io/mapModel.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { dispersion, type SpatialRows } from '../sdr/spatial.ts';
import type { MatmulBackend } from '../som/backend.ts';
import type { SomModel } from '../som/types.ts';
import { encodeBatch, encodeBatchWith, type EncodedBatch } from './encode.ts';
import { noveltyPercentile } from './novelty.ts';

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
  /**
   * Each row's clusters and radius (src/sdr/spatial.ts `spatialRows`), when the encoder computed
   * them: the encode session does for a whole dataset; absent otherwise.
   */
  readonly spatial?: SpatialRows;
}

/** The parts of a map encoding needs. */
export interface EncodeTarget {
  readonly som: SomModel;
  readonly calibration: Calibration | null;
}

export class MapEncodingError extends Error {
  override readonly name = 'MapEncodingError';
}

/** Refuse a bad K or too little data with a clear message. */
function checkRequest(target: EncodeTarget, data: Float32Array, n: number, k: number): void {
  const d = target.som.dim;
  const m = gridSize(target.som.grid);
  if (!Number.isInteger(k) || k < 1 || k > m) {
    throw new MapEncodingError(`K must be a whole number from 1 to ${m}, got ${k}`);
  }
  if (!Number.isInteger(n) || n < 0 || data.length < n * d) {
    throw new MapEncodingError(`expected ${n} rows of ${d} numbers, got ${data.length} numbers`);
  }
}

function noRows(k: number): EncodedRows {
  return {
    n: 0,
    k,
    active: new Uint32Array(0),
    qe: new Float32Array(0),
    novelty: new Float32Array(0),
    dispersion: new Float32Array(0),
    bmu: new Uint32Array(0),
  };
}

/** Encode n rows of `data` (n·d, unit length) on `target` with K = `k` (1..m). */
export function encodeRows(
  target: EncodeTarget,
  data: Float32Array,
  n: number,
  k: number,
): EncodedRows {
  checkRequest(target, data, n, k);
  if (n === 0) return noRows(k);
  const { som } = target;
  return encodedRowsOf(target, encodeBatch(som, data.subarray(0, n * som.dim), n, { k }), n, k);
}

/**
 * encodeRows with `backend` doing the products (e.g. onnxruntime-web in the encode worker):
 * the same SDRs and scores (up to float ties), several times faster on big datasets.
 */
export async function encodeRowsWith(
  backend: MatmulBackend,
  target: EncodeTarget,
  data: Float32Array,
  n: number,
  k: number,
): Promise<EncodedRows> {
  checkRequest(target, data, n, k);
  if (n === 0) return noRows(k);
  const { som } = target;
  const rows = data.subarray(0, n * som.dim);
  return encodedRowsOf(target, await encodeBatchWith(backend, som, rows, n, { k }), n, k);
}

/**
 * Novelty percentiles and dispersions of an encoded batch (n rows at K = k), as EncodedRows:
 * what encodeRows gives, for a batch encoded elsewhere (the train worker's final encoding).
 */
export function encodedRowsOf(
  target: EncodeTarget,
  encoded: EncodedBatch,
  n: number,
  k: number,
): EncodedRows {
  const { som, calibration } = target;
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
