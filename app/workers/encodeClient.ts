/**
 * The page's door to encoding: one lazily created module worker (encode.worker.ts) turns
 * embedding rows into SDRs on a map (src/encode) with per-item scores. The worker keeps the
 * last map and the last dataset it was given, so re-encoding the dataset at another K sends
 * only K (a few bytes, not the n·d dataset).
 *
 * ```ts
 * const rows = await getEncodeClient().encodeDataset(map, embeddings, n, k); // the dataset
 * const query = await getEncodeClient().encode(map, vectors, 3, k);          // any rows
 * ```
 *
 * Data is copied to the worker (the store keeps its array): the dataset once per array, other
 * rows with each call; results come back by transfer.
 * Dropping stale replies (latest wins) is the caller's job: the map slice keeps a counter.
 */
import * as Comlink from 'comlink';
import type { SdrMap } from '../../src/index.ts';
import type { EncodedRows } from '../../src/index.ts';
import type { EncodeWorkerApi } from '../../src/index.ts';
import { errorMessage } from '../../src/index.ts';

export type { EncodedRows };

/** Rows ready to leave by transfer (their buffers move to the page; the worker keeps none). */
function transferred(rows: EncodedRows): EncodedRows {
  // A Set: two arrays may share one buffer, and transferring a buffer twice throws.
  const buffers = new Set<ArrayBuffer>();
  const spatial = rows.spatial
    ? [rows.spatial.clusters, rows.spatial.largestCluster, rows.spatial.radius]
    : [];
  for (const a of [rows.active, rows.qe, rows.novelty, rows.dispersion, rows.bmu, ...spatial]) {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  }
  return Comlink.transfer(rows, [...buffers]);
}

/** The worker's side: the engine's encoding session with its results sent by transfer. */
export function encodeDoor(session: EncodeWorkerApi): EncodeWorkerApi {
  return {
    ...session,
    async encode(token, data, n, k) {
      return transferred(await session.encode(token, data, n, k));
    },
    async encodeDataset(mapToken, dataToken, k) {
      return transferred(await session.encodeDataset(mapToken, dataToken, k));
    },
  };
}

export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

export class EncodeClient {
  private remote: Comlink.Remote<EncodeWorkerApi> | null = null;
  /** The map the worker holds, so it is sent once, not with every request. */
  private sentMap: SdrMap | null = null;
  private mapToken = 0;
  /** The dataset array the worker holds (identity), so it is sent once, not with every K. */
  private sentData: { data: Float32Array; n: number; d: number } | null = null;
  private dataToken = 0;
  private readonly createWorker: () => Worker;

  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  private api(): Comlink.Remote<EncodeWorkerApi> {
    this.remote ??= Comlink.wrap<EncodeWorkerApi>(this.createWorker());
    return this.remote;
  }

  /** Send `map` unless the worker holds it already. */
  private sendMap(api: Comlink.Remote<EncodeWorkerApi>, map: SdrMap): void {
    if (this.sentMap === map) return;
    this.sentMap = map;
    this.mapToken++;
    void api
      .setMap(this.mapToken, {
        som: { grid: map.som.grid, dim: map.som.dim, codebook: map.som.codebook },
        calibration: map.calibration,
      })
      .catch(() => undefined); // a failed setMap makes the encode after it fail with the reason
  }

  /** Encode n unit-length rows of `data` on `map` at K = `k` (1..m). */
  async encode(map: SdrMap, data: Float32Array, n: number, k: number): Promise<EncodedRows> {
    const api = this.api();
    try {
      this.sendMap(api, map);
      // The worker handles messages in order, so this runs after the setMap above; if another
      // map was sent in between, the worker refuses this request as stale.
      return await api.encode(this.mapToken, data.subarray(0, n * map.som.dim), n, k);
    } catch (error) {
      this.sentMap = null;
      throw new EncodeError(errorMessage(error));
    }
  }

  /**
   * Encode the dataset (n unit-length rows of `data`) on `map` at K = `k` (1..m). The dataset
   * is copied to the worker only when `data`, n or the map's dimension changed since the last
   * call; a K move posts only the two tokens and K.
   */
  async encodeDataset(map: SdrMap, data: Float32Array, n: number, k: number): Promise<EncodedRows> {
    const api = this.api();
    const d = map.som.dim;
    try {
      this.sendMap(api, map);
      const sent = this.sentData;
      if (!sent || sent.data !== data || sent.n !== n || sent.d !== d) {
        this.sentData = { data, n, d };
        this.dataToken++;
        // A copy moves to the worker by transfer: the store keeps its own array.
        const copy = data.slice(0, n * d);
        void api
          .setDataset(this.dataToken, Comlink.transfer(copy, [copy.buffer]), n)
          .catch(() => undefined); // a failed setDataset makes the encode below fail
      }
      return await api.encodeDataset(this.mapToken, this.dataToken, k);
    } catch (error) {
      this.sentMap = null;
      this.sentData = null;
      throw new EncodeError(error instanceof Error ? error.message : String(error));
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
