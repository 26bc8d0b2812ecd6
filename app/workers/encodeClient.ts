/**
 * The page's door to encoding: one lazily created module worker (encode.worker.ts) turns
 * embedding rows into SDRs on a map (src/encode) with per-item scores. The worker keeps the
 * last map it was given, so re-encoding at another K sends only the data.
 *
 * ```ts
 * const rows = await getEncodeClient().encode(map, embeddings, n, k);
 * ```
 *
 * `data` is copied to the worker (the store keeps its array); results come back by transfer.
 * Dropping stale replies (latest wins) is the caller's job: the map slice keeps a counter.
 */
import * as Comlink from 'comlink';
import type { SdrMap } from '../../src/index.ts';
import type { EncodedRows } from '../../src/index.ts';
import type { EncodeWorkerApi } from './encodeSession.ts';
import { errorMessage } from '../../src/index.ts';

export type { EncodedRows };

export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

export class EncodeClient {
  private remote: Comlink.Remote<EncodeWorkerApi> | null = null;
  /** The map the worker holds, so it is sent once, not with every request. */
  private sentMap: SdrMap | null = null;
  private mapToken = 0;
  private readonly createWorker: () => Worker;

  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  private api(): Comlink.Remote<EncodeWorkerApi> {
    this.remote ??= Comlink.wrap<EncodeWorkerApi>(this.createWorker());
    return this.remote;
  }

  /** Encode n unit-length rows of `data` on `map` at K = `k` (1..m). */
  async encode(map: SdrMap, data: Float32Array, n: number, k: number): Promise<EncodedRows> {
    const api = this.api();
    try {
      if (this.sentMap !== map) {
        this.sentMap = map;
        this.mapToken++;
        void api
          .setMap(this.mapToken, {
            som: { grid: map.som.grid, dim: map.som.dim, codebook: map.som.codebook },
            calibration: map.calibration,
          })
          .catch(() => undefined); // a failed setMap makes the encode below fail with the reason
      }
      // The worker handles messages in order, so this runs after the setMap above; if another
      // map was sent in between, the worker refuses this request as stale.
      return await api.encode(this.mapToken, data.subarray(0, n * map.som.dim), n, k);
    } catch (error) {
      this.sentMap = null;
      throw new EncodeError(errorMessage(error));
    }
  }
}

let shared: EncodeClient | null = null;

/** The page's encode client. */
export function getEncodeClient(): EncodeClient {
  shared ??= new EncodeClient(
    () =>
      new Worker(new URL('./encode.worker.ts', import.meta.url), {
        type: 'module',
        name: 'encode',
      }),
  );
  return shared;
}
