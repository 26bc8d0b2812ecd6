/**
 * What the train worker does, DOM-free so Node tests drive it directly: training sessions on
 * the engine's step API (src/som createTrainer), one epoch per call, then the final figures,
 * novelty calibration (src/encode calibrate) and unit labels (src/encode labelUnits).
 *
 * Sessions are keyed by an id, so the atlas build and a person's own training can share one
 * worker without stepping on each other.
 */
import * as Comlink from 'comlink';
import {
  type Calibration,
  createTrainer,
  type Trainer,
  type ShardPool,
  quantizationError,
  topographicError,
  calibrate,
  type EpochReport,
  type SomModel,
  type SomSnapshot,
  type TrainConfig,
  gridSize,
} from '../../src/index.ts';
import { labelUnits } from '../../src/encode/unitLabels.ts';
import { roundTripFloat16 } from '../../src/io/float16.ts';
import { createJsBackend } from '../../src/som/backend.ts';

export interface TrainResult {
  /** The last good snapshot: after the final epoch, or the last one finished before a cancel. */
  readonly snapshot: SomSnapshot;
  readonly cancelled: boolean;
  /** Figures of the returned codebook on the training data. */
  readonly quality: { readonly quantizationError: number; readonly topographicError: number };
  /** Novelty calibration on the training data at the requested K. */
  readonly calibration: Calibration | null;
  /** One label per unit, when label rows were given. */
  readonly unitLabels: string[] | null;
}

export interface FinishOptions {
  /** K for the calibration; clamped to 1..m. */
  readonly k: number;
  readonly labels: { readonly vectors: Float32Array; readonly names: readonly string[] } | null;
}

interface Session {
  readonly data: Float32Array;
  readonly n: number;
  readonly config: TrainConfig;
  trainer: Trainer;
  /** The parallel pool the trainer uses, or null in this thread. */
  pool: ShardPool | null;
}

/**
 * Below this many multiply-adds per epoch (n·m·d, the BMU product) a run stays in one thread:
 * shipping the codebook to every worker and the partial sums back costs a few milliseconds per
 * epoch, about what 50 million multiply-adds take in one thread.
 */
export const PARALLEL_MIN_WORK = 50_000_000;

/**
 * How many shard workers a run of n inputs on m units of dimension d should use on a machine
 * of `cores` logical cores: 0 (stay in this thread) for small runs or when fewer than two cores
 * would be left for shards (one stays with the page), else cores − 1, at most 8.
 */
export function shardWorkersFor(n: number, m: number, d: number, cores: number): number {
  const spare = Math.min(8, Math.floor(cores) - 1);
  return spare >= 2 && n * m * d >= PARALLEL_MIN_WORK ? spare : 0;
}

export interface TrainSessionOptions {
  /**
   * A shard pool for a run of n inputs on m units of dimension d, or null to train in this
   * thread. Default: always in this thread. A pool that fails mid-run is dropped and the run
   * goes on in this thread from the last finished epoch.
   */
  readonly pool?: (n: number, m: number, d: number) => ShardPool | null;
}

/** The object the worker exposes (and tests call directly). */
export interface TrainWorkerApi {
  /** Begin session `id` on n rows of `data` (PCA or random initialisation happens here). */
  start(id: number, data: Float32Array, n: number, config: TrainConfig): Promise<void>;
  /** Run one epoch of session `id`. */
  step(id: number): Promise<EpochReport>;
  /** Final figures, calibration and labels for session `id`'s current codebook. */
  finish(id: number, options: FinishOptions, cancelled: boolean): Promise<TrainResult>;
  /** Forget session `id` (no error when unknown). */
  drop(id: number): Promise<void>;
  labelUnits(som: SomModel, vectors: Float32Array, names: readonly string[]): Promise<string[]>;
}

export class TrainSessionError extends Error {
  override readonly name = 'TrainSessionError';
}

export function createTrainWorkerApi(options: TrainSessionOptions = {}): TrainWorkerApi {
  const sessions = new Map<number, Session>();
  const session = (id: number): Session => {
    const s = sessions.get(id);
    if (!s) throw new TrainSessionError(`no training session ${id} (it finished or never started)`);
    return s;
  };
  return {
    async start(id, data, n, config) {
      if (!Number.isInteger(n) || n < 2) {
        throw new TrainSessionError(`training needs at least 2 inputs, got ${n}`);
      }
      if (data.length % n !== 0) {
        throw new TrainSessionError(
          `the data holds ${data.length} floats, not a whole number of ${n} rows`,
        );
      }
      const d = data.length / n;
      let pool: ShardPool | null = null;
      try {
        pool = options.pool?.(n, gridSize(config.grid), d) ?? null;
      } catch {
        pool = null; // workers could not start here: train in this thread
      }
      try {
        const trainer = createTrainer(data, n, config, pool ? { pool } : {});
        sessions.set(id, { data, n, config, trainer, pool });
      } catch (error) {
        await pool?.dispose();
        throw error;
      }
    },

    async step(id) {
      const s = session(id);
      let report: EpochReport;
      try {
        report = await s.trainer.step();
      } catch (error) {
        if (!s.pool) throw error;
        // The parallel pool broke (a worker died): carry on in this thread from the last
        // finished epoch, which the failed step left untouched.
        const resume = s.trainer.snapshot();
        const broken = s.pool;
        s.pool = null;
        await broken.dispose().catch(() => undefined);
        s.trainer = createTrainer(s.data, s.n, s.config, { resume });
        report = await s.trainer.step();
      }
      // Let queued messages (a drop, another session's step) in between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return report;
    },

    async finish(id, options, cancelled) {
      const s = session(id);
      const snapshot = s.trainer.snapshot();
      // Map files store the codebook as float16 (half the size). Rounding it here, before
      // anything is encoded, makes the saved map give exactly the SDRs the page shows now.
      roundTripFloat16(snapshot.codebook);
      const m = gridSize(snapshot.grid);
      const model: SomModel = {
        grid: snapshot.grid,
        dim: snapshot.dim,
        codebook: snapshot.codebook,
      };
      const k = Math.min(m, Math.max(1, Math.round(options.k)));
      const quality = {
        quantizationError: quantizationError(model, s.data, s.n),
        topographicError: topographicError(model, s.data, s.n),
      };
      const calibration = calibrate(model, s.data, s.n, k);
      const labels = options.labels;
      const unitLabels = labels
        ? await labelUnits(createJsBackend(), model, labels.vectors, labels.names)
        : null;
      const result: TrainResult = { snapshot, cancelled, quality, calibration, unitLabels };
      // The snapshot is a copy, so its buffer can leave without breaking the session.
      return Comlink.transfer(result, [snapshot.codebook.buffer]);
    },

    async drop(id) {
      const s = sessions.get(id);
      sessions.delete(id);
      await s?.trainer.dispose();
      await s?.pool?.dispose();
    },

    async labelUnits(som, vectors, names) {
      return labelUnits(createJsBackend(), som, vectors, names);
    },
  };
}
