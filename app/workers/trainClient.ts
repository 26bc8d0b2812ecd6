/**
 * The page's door to SOM training. One lazily created module worker (train.worker.ts) hosts
 * the engine trainer; this client drives it one epoch at a time, so cancelling is simply not
 * asking for the next epoch, and the last good snapshot is whatever the worker holds then.
 *
 * ```ts
 * const result = await getTrainClient().train(data, n, config, { onEpoch, signal, labels });
 * // result.snapshot.codebook came back by transfer; result.cancelled says whether it stopped early
 * ```
 *
 * `data` is transferred to the worker (the caller's array is detached): pass a copy of
 * anything the store still holds.
 */
import * as Comlink from 'comlink';
import { sameStart } from '../../src/index.ts';
import type {
  EpochReport,
  MapSessions,
  SomModel,
  SomSnapshot,
  TrainConfig,
  TrainPreview,
  TrainResult,
} from '../../src/index.ts';

export type { TrainPreview, TrainResult };

/**
 * The engine's session object (src/map/session.ts) as a worker exposes it: the same calls, the
 * finished codebook leaving by transfer (it is the session's copy, so the session stays whole).
 */
export function trainDoor(sessions: MapSessions): MapSessions {
  return {
    ...sessions,
    async finish(id, options, cancelled) {
      const result = await sessions.finish(id, options, cancelled);
      return Comlink.transfer(result, [result.snapshot.codebook.buffer]);
    },
    async snapshot(id) {
      const snapshot = await sessions.snapshot(id);
      return Comlink.transfer(snapshot, [snapshot.codebook.buffer]);
    },
    async preview(id) {
      const preview = await sessions.preview(id);
      return Comlink.transfer(preview, [preview.uMatrix.buffer]);
    },
  };
}

export interface TrainOptions {
  /**
   * Abort to stop after the epoch in flight (the first epoch always runs); the result then
   * holds the last good snapshot.
   */
  readonly signal?: AbortSignal;
  /** Called after every epoch with its figures (for live curves). */
  readonly onEpoch?: (report: EpochReport) => void;
  /**
   * Called with the codebook of a finished epoch, at most once per `snapshotEveryMs` (and never
   * after the last epoch: the finished map follows), so a long run survives a closed tab.
   * Default none (no snapshots are taken).
   */
  readonly onSnapshot?: (snapshot: SomSnapshot, report: EpochReport) => void;
  /** Least milliseconds between two snapshots; default 5000, at least 0. */
  readonly snapshotEveryMs?: number;
  /**
   * Called after every epoch but the last with the map so far (its U-matrix), so the page can
   * draw the map as it forms; default none (no preview is asked for: one round trip less).
   */
  readonly onPreview?: (preview: TrainPreview) => void;
  /**
   * The caller's own array the (transferred) `data` was copied from, if it had the worker
   * prepare for it (prepare()): a run on it starts from the prepared codebook. Default none.
   */
  readonly source?: Float32Array;
  /** K the novelty calibration is computed with; default 20, range 1..m. */
  readonly k?: number;
  /**
   * Name each unit after the nearest of these rows by cosine (e.g. the concept vocabulary), or
   * with `vectors` null after the nearest training row (`names`: one per training row); default
   * none (no unit labels). Vectors are transferred.
   */
  readonly labels?: {
    readonly vectors: Float32Array | null;
    readonly names: readonly string[];
  } | null;
}

/** Thrown for a training run that could not start or broke (bad settings, a worker failure). */
export class TrainError extends Error {
  override readonly name = 'TrainError';
}

/** Kept for callers that tell a cancelled start apart (abort before the worker took the data). */
export class TrainCancelledError extends Error {
  override readonly name = 'TrainCancelledError';
  constructor() {
    super('Training was cancelled before it started.');
  }
}

/** Least time between two previews of a run's map (onPreview), ms: 5 redraws a second. */
const PREVIEW_EVERY_MS = 200;

function asError(error: unknown): Error {
  if (error instanceof Error) return new TrainError(error.message);
  return new TrainError(String(error));
}

export class TrainClient {
  private remote: Comlink.Remote<MapSessions> | null = null;
  private nextSession = 1;
  /** The rows (the caller's array) and config the worker was last prepared for, and its token. */
  private prepared: { source: Float32Array; config: TrainConfig; token: number } | null = null;
  private nextToken = 1;
  private readonly createWorker: () => Worker;

  /** `createWorker` is called once, at the first request. */
  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  private api(): Comlink.Remote<MapSessions> {
    this.remote ??= Comlink.wrap<MapSessions>(this.createWorker());
    return this.remote;
  }

  /** Train a map on n rows of `data` (transferred); see TrainOptions. */
  async train(
    data: Float32Array,
    n: number,
    config: TrainConfig,
    options: TrainOptions = {},
  ): Promise<TrainResult> {
    const { signal, onEpoch, onPreview } = options;
    if (signal?.aborted) throw new TrainCancelledError();
    const api = this.api();
    const id = this.nextSession++;
    const labels = options.labels ?? null;
    let lastPreview = -Infinity;
    let previewPending: Promise<void> | null = null;
    try {
      const prepared =
        options.source && this.prepared?.source === options.source
          ? this.prepared.token
          : undefined;
      const started = await api.start(
        id,
        Comlink.transfer(data, [data.buffer]),
        n,
        config,
        prepared,
      );
      // For `npm run bench` (bench/firstMap.ts): where the start's time went, inside the worker.
      performance.mark('sdr:train:started', {
        detail: { ...started.phasesMs, poolName: started.pool },
      });
      const { onSnapshot } = options;
      const snapshotEveryMs = Math.max(0, options.snapshotEveryMs ?? 5000);
      let lastSnapshot = performance.now();
      // At least one epoch always runs: a map must have been trained for one to be saved.
      for (let e = 0; e < config.epochs && !(e > 0 && signal?.aborted); e++) {
        const report = await api.step(id);
        onEpoch?.(report);
        const now = performance.now();
        if (onSnapshot && e + 1 < config.epochs && now - lastSnapshot >= snapshotEveryMs) {
          lastSnapshot = now;
          onSnapshot(await api.snapshot(id), report);
        }
        // At most one preview per PREVIEW_EVERY_MS and one in flight, so drawing the map as it
        // forms never costs the page more than a few frames a second. Not awaited: the worker
        // answers it before the next step, without a round trip's wait.
        const due = previewPending === null && performance.now() - lastPreview >= PREVIEW_EVERY_MS;
        if (onPreview && due && e + 1 < config.epochs && !signal?.aborted) {
          lastPreview = performance.now();
          previewPending = api.preview(id).then(onPreview, () => undefined);
          void previewPending.finally(() => (previewPending = null));
        }
      }
      const cancelled = signal?.aborted ?? false;
      const transfers = labels?.vectors ? [labels.vectors.buffer] : [];
      return await api.finish(
        id,
        Comlink.transfer(
          {
            k: options.k ?? 20,
            labels: labels && { vectors: labels.vectors, names: [...labels.names] },
          },
          transfers,
        ),
        cancelled,
      );
    } catch (error) {
      throw asError(error);
    } finally {
      void api.drop(id).catch(() => undefined);
    }
  }

  /**
   * warm(), and get the worker ready for a run on n rows of `source` with `config` (its initial
   * codebook made, warm-up epochs run on the run's shapes: MapSessions.prepare), so a train()
   * that passes the same array as TrainOptions.source starts at once. A copy of `source` goes
   * to the worker; asking again for the same array and config does nothing. Never rejects.
   */
  async prepare(source: Float32Array, n: number, config: TrainConfig): Promise<void> {
    // Only what the initial codebook depends on: epochs or radii may change freely.
    const last = this.prepared;
    if (last && last.source === source && sameStart(last.config, config)) return;
    const token = this.nextToken++;
    this.prepared = { source, config, token };
    const copy = source.slice();
    await this.api()
      .prepare(token, Comlink.transfer(copy, [copy.buffer]), n, config)
      .catch(() => undefined);
  }

  /**
   * Start the train worker and its fast kernel now, so a training run started later does not
   * wait for them (the page calls this on idle once training is possible). Never rejects: a
   * kernel that cannot start is reported by the run that needs it.
   */
  async warm(): Promise<void> {
    await this.api()
      .warm()
      .catch(() => undefined);
  }

  /** The nearest of `names` (rows of `vectors`, transferred) to each unit of `som`, by cosine. */
  async labelUnits(
    som: SomModel,
    vectors: Float32Array,
    names: readonly string[],
  ): Promise<string[]> {
    try {
      return await this.api().labelUnits(
        { grid: som.grid, dim: som.dim, codebook: som.codebook },
        Comlink.transfer(vectors, [vectors.buffer]),
        [...names],
      );
    } catch (error) {
      throw asError(error);
    }
  }
}

let shared: TrainClient | null = null;

/** The page's train client (one worker for every training run). */
export function getTrainClient(): TrainClient {
  shared ??= new TrainClient(
    () =>
      new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'train' }),
  );
  return shared;
}
