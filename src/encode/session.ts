/**
 * The encoding session behind the page's encode worker (app/workers/encode.worker.ts, a thin
 * comlink door that sends the results back by transfer), DOM-free so Node tests call it
 * directly: hold the current map and the dataset (each sent once, under a token) and encode on
 * them (mapEncoding.ts), so a K move posts only K.
 *
 * Big encodings (a K change on thousands of items re-encodes them all) run their products on
 * the worker's fast kernel when one is given (onnxruntime-web, app/workers/ortWebKernel.ts):
 * about 10× the JS kernel. Small ones stay on the JS kernel, which answers at once, without
 * waiting for the runtime to start. So do middling ones while the fast kernel has not started
 * yet: its start (onnxruntime-web fetches and compiles ~27 MB of WASM) takes seconds on a busy
 * 2-core machine, longer than the JS kernel needs for the built-in atlas's 1,224 items on
 * 32×32; it starts after such an encoding, ready for the next. A fast kernel that fails leaves
 * the JS kernel doing the job.
 */
import { gridSize } from '../grid/grid.ts';
import { createKernelSlot } from '../som/kernelSlot.ts';
import type { MatmulBackend } from '../som/backend.ts';
import { spatialRows } from '../sdr/spatial.ts';
import { encodeRows, encodeRowsWith, type EncodedRows, type EncodeTarget } from './mapEncoding.ts';

export interface EncodeWorkerApi {
  /** Hold `target` as the map of `token` (a newer token replaces it). */
  setMap(token: number, target: EncodeTarget): Promise<void>;
  /** Encode n rows of `data` on the map of `token` at K = `k`. */
  encode(token: number, data: Float32Array, n: number, k: number): Promise<EncodedRows>;
  /** Hold n rows of `data` as the dataset of `token` (a newer token replaces it). */
  setDataset(token: number, data: Float32Array, n: number): Promise<void>;
  /**
   * Encode the dataset of `dataToken` on the map of `mapToken` at K = `k`, with every row's
   * spatial scores (`spatial`): the page's views read them for all items, and at 100,000 items
   * they cost seconds that belong here, off the page's thread, once per K.
   */
  encodeDataset(mapToken: number, dataToken: number, k: number): Promise<EncodedRows>;
}

/**
 * From this many multiply-adds (n·m·d) on, an encoding uses the fast kernel: 50 million take
 * the JS kernel about 25 ms, so below that the runtime's start-up (the first time) and its
 * per-call overhead would cost more than they save.
 */
export const FAST_ENCODE_MIN_WORK = 50_000_000;

/**
 * Below this many multiply-adds an encoding does not wait for a fast kernel that has not
 * started yet: 2 billion take the JS kernel about a second, less than the runtime's start.
 */
const COLD_FAST_ENCODE_MIN_WORK = 2_000_000_000;

export interface EncodeSessionOptions {
  /** The fast kernel, started at the first big encoding; default none (JS kernel only). */
  readonly kernel?: () => Promise<MatmulBackend>;
  /** Multiply-adds from which the fast kernel is used; default FAST_ENCODE_MIN_WORK, ≥ 0. */
  readonly fastMinWork?: number;
  /**
   * Multiply-adds from which an encoding waits for the fast kernel to start when it has not
   * started yet (smaller ones run on the JS kernel and start it afterwards); default
   * COLD_FAST_ENCODE_MIN_WORK, ≥ fastMinWork.
   */
  readonly coldFastMinWork?: number;
}

export class StaleMapError extends Error {
  override readonly name = 'StaleMapError';
}

export function createEncodeWorkerApi(options: EncodeSessionOptions = {}): EncodeWorkerApi {
  let current: { token: number; target: EncodeTarget } | null = null;
  let dataset: { token: number; data: Float32Array; n: number } | null = null;
  const slot = createKernelSlot(options.kernel);
  const minWork = options.fastMinWork ?? FAST_ENCODE_MIN_WORK;
  const coldMinWork = Math.max(minWork, options.coldFastMinWork ?? COLD_FAST_ENCODE_MIN_WORK);
  /** The fast kernel's start has been asked for (it may still be on its way). */
  let fastAsked = false;
  const startFast = () => {
    fastAsked = true;
    return slot.get();
  };

  const encodeOn = async (target: EncodeTarget, data: Float32Array, n: number, k: number) => {
    const { som } = target;
    const work = n * gridSize(som.grid) * som.dim;
    if (!options.kernel || work < minWork) return encodeRows(target, data, n, k);
    if (!fastAsked && work < coldMinWork) {
      const rows = encodeRows(target, data, n, k);
      // Ready for the next big encoding (a K move re-encodes every item), started only now so
      // it never competes with this one.
      void startFast();
      return rows;
    }
    const { backend } = await startFast();
    try {
      return await encodeRowsWith(backend, target, data, n, k);
    } catch (error) {
      if (backend === slot.js) throw error;
      return encodeRowsWith(slot.js, target, data, n, k);
    }
  };

  const mapOf = (token: number): EncodeTarget => {
    if (!current) throw new StaleMapError('the encode worker has no map yet');
    if (current.token !== token) {
      throw new StaleMapError('the map changed while this encoding was on its way');
    }
    return current.target;
  };

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
      // The map of this request, even if a newer one arrives while the kernel works.
      return encodeOn(mapOf(token), data, n, k);
    },
    async setDataset(token, data, n) {
      if (!Number.isInteger(n) || n < 0 || data.length % Math.max(n, 1) !== 0) {
        throw new RangeError(`${data.length} numbers are not ${n} rows of equal length`);
      }
      dataset = { token, data, n };
    },
    async encodeDataset(mapToken, dataToken, k) {
      const target = mapOf(mapToken);
      if (!dataset) throw new StaleMapError('the encode worker has no dataset yet');
      if (dataset.token !== dataToken) {
        throw new StaleMapError('the dataset changed while this encoding was on its way');
      }
      const rows = await encodeOn(target, dataset.data, dataset.n, k);
      return { ...rows, spatial: spatialRows(target.som.grid, rows.active, rows.n, rows.k) };
    },
  };
}
