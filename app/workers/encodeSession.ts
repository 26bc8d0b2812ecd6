/**
 * What the encode worker does, DOM-free so Node tests call it directly: hold the current map
 * (sent once per map, under a token) and encode datasets on it (app/lib/mapEncoding.ts).
 */
import * as Comlink from 'comlink';
import { encodeRows, type EncodedRows, type EncodeTarget } from '../lib/mapEncoding.ts';

export interface EncodeWorkerApi {
  /** Hold `target` as the map of `token` (a newer token replaces it). */
  setMap(token: number, target: EncodeTarget): Promise<void>;
  /** Encode n rows of `data` on the map of `token` at K = `k`. */
  encode(token: number, data: Float32Array, n: number, k: number): Promise<EncodedRows>;
}

export class StaleMapError extends Error {
  override readonly name = 'StaleMapError';
}

export function createEncodeWorkerApi(): EncodeWorkerApi {
  let current: { token: number; target: EncodeTarget } | null = null;
  return {
    async setMap(token, target) {
      const { som } = target;
      if (som.codebook.length !== som.grid.rows * som.grid.cols * som.dim) {
        throw new RangeError(
          `the codebook holds ${som.codebook.length} numbers, not ${som.grid.rows}×${som.grid.cols}×${som.dim}`,
        );
      }
      current = { token, target };
    },
    async encode(token, data, n, k) {
      if (!current) throw new StaleMapError('the encode worker has no map yet');
      if (current.token !== token) {
        throw new StaleMapError('the map changed while this encoding was on its way');
      }
      const rows = encodeRows(current.target, data, n, k);
      // A Set: two arrays may share one buffer, and transferring a buffer twice throws.
      const buffers = new Set<ArrayBuffer>();
      for (const a of [rows.active, rows.qe, rows.novelty, rows.dispersion, rows.bmu]) {
        if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
      }
      return Comlink.transfer(rows, [...buffers]);
    },
  };
}
