/**
 * The engine's training session object: training on the step API (src/som createTrainer), one
 * epoch per call, then the end of every run written once (finish): the codebook rounded to
 * float16, the final QE/TE, novelty calibration (src/encode) and unit labels (src/encode
 * labelUnits). DOM-free: the page's train worker is a thin comlink door over it
 * (app/workers/train.worker.ts), and fitMap (./fitMap.ts, behind `sdr train`) drives it in Node.
 *
 * Sessions are keyed by an id, so the atlas build and a person's own training can share one
 * worker without stepping on each other. A caller steps one epoch at a time, so it can stop
 * between any two epochs (a cancel, a streamed chunk arriving) and still finish the map.
 *
 * Speed: every matrix product (the BMU pass of each epoch, the final figures, the calibration's
 * encoding and the unit labels) runs on one kernel chosen once per worker: onnxruntime-web's
 * WASM SIMD GEMM when the worker passes it in (about 10× the JS kernel), else the JS kernel.
 * The final figures come from a single BMU pass on the session's pool (QE and TE together), not
 * two extra passes. If the fast kernel cannot start, or breaks mid-run, the run goes on with the
 * JS kernel from the last finished epoch, and the result says why (TrainResult.engine.fallback).
 */
import { encodeBatchWith, type EncodedBatch } from '../encode/encode.ts';
import { calibrationFromEncoded } from '../encode/novelty.ts';
import { meanOfRows } from '../encode/noveltyScores.ts';
import { encodedRowsOf, type EncodedRows } from '../encode/mapEncoding.ts';
import { FAST_ENCODE_MIN_WORK } from '../encode/session.ts';
import { labelUnits } from '../encode/unitLabels.ts';
import { gridSize, sameGridShape, type Grid } from '../grid/grid.ts';
import { roundTripFloat16 } from '../io/float16.ts';
import { spatialRows } from '../sdr/spatial.ts';
import type { Calibration } from '../io/mapModel.ts';
import type { MatmulBackend } from '../som/backend.ts';
import { createKernelSlot } from '../som/kernelSlot.ts';
import { createInThreadPool, type ShardPool } from '../som/pool.ts';
import { mapQuality, uMatrix } from '../som/quality.ts';
import { sameStart, validateTrainConfig } from '../som/config.ts';
import { initCodebook } from '../som/init.ts';
import {
  createBatchUpdate,
  createTrainer,
  type BatchUpdateState,
  type Trainer,
} from '../som/trainer.ts';
import type { EpochReport, SomModel, SomSnapshot, TrainConfig } from '../som/types.ts';
import { errorMessage } from '../util/errorMessage.ts';

/** Which kernel and pool a session runs on, and why not the fast one when it does not. */
export interface TrainEngine {
  /** The in-thread kernel: 'ort-web', 'js', or whatever the kernel factory names itself. */
  readonly kernel: string;
  /** Where the epochs' BMU passes run: the pool's name ('in-thread:ort-web', 'web-workers×2:js'). */
  readonly pool: string;
  /**
   * Why this run is slower than planned, as a sentence for the page (the fast kernel failed to
   * start, a pool worker stopped), or null when everything ran as planned.
   */
  readonly fallback: string | null;
}

/** What start() says: the engine, and where the start's time went. */
interface TrainStart extends TrainEngine {
  /**
   * Milliseconds of each part of the start: waiting for the kernel (its first start, or 0 once
   * warm: see MapSessions.warm), starting the pool, and the initial codebook (PCA or random).
   */
  readonly phasesMs: { readonly kernel: number; readonly pool: number; readonly init: number };
}

/** A training run's map so far, as the page draws it between epochs. */
export interface TrainPreview {
  readonly epoch: number;
  readonly grid: Grid;
  /** Mean distance of each unit's weights to its grid neighbours' (src/som/quality uMatrix). */
  readonly uMatrix: Float32Array;
}

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
  /** The SDRs (n·k unit indices) of FinishOptions.items, when items were given; else null. */
  readonly itemSdrs: Uint32Array | null;
  /**
   * Without FinishOptions.items: the training rows encoded on the returned map at the result's
   * K, with their scores and spatial figures, exactly as the page's encode worker would give
   * them (src/encode/mapEncoding.ts), so the page need not encode them again; else null.
   */
  readonly trainingEncoding: EncodedRows | null;
  /** The kernel and pool the run ended on. */
  readonly engine: TrainEngine;
  /** Mean of the training rows: the centred novelty scores subtract it (src/encode/noveltyScores). */
  readonly trainingMean: Float32Array;
  /** The returned map's U-matrix (m values, src/som/quality uMatrix), what the page draws first. */
  readonly uMatrix: Float32Array;
}

export interface FinishOptions {
  /** K for the calibration; clamped to 1..m. */
  readonly k: number;
  /**
   * Name each unit after the nearest of these rows by cosine; null = no unit labels. `vectors`
   * null means the training rows themselves (`names` then has one entry per training row): the
   * encoding of the training rows finds them at no extra cost, and nothing is copied.
   */
  readonly labels: {
    readonly vectors: Float32Array | null;
    readonly names: readonly string[];
  } | null;
  /**
   * Rows to encode on the finished map and return the SDRs of (e.g. every row of the file,
   * held-out ones too), and which of them calibrate novelty (default all of them). Default: none;
   * the training rows are encoded and all of them calibrate.
   */
  readonly items?: {
    readonly data: Float32Array;
    readonly n: number;
    readonly calibrationRows?: ArrayLike<number>;
  };
}

interface Session {
  readonly data: Float32Array;
  readonly n: number;
  readonly config: TrainConfig;
  trainer: Trainer;
  /** Where the BMU passes run: a parallel pool, or an in-thread pool on the kernel. */
  pool: ShardPool;
  /** Whether `pool` came from the pool factory (else it is this thread's, on `kernel`). */
  parallel: boolean;
  /** The in-thread kernel (final figures, calibration, labels; epochs when not parallel). */
  kernel: MatmulBackend;
  fallback: string | null;
  /** Whether the pool holds this session's data (the trainer loads it at its first epoch). */
  loaded: boolean;
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
   * A shard pool for a run of n inputs on m units of dimension d when this worker's kernel is
   * `kernel` ('js', 'ort-web', …), or null to train in this thread on the kernel. Default:
   * always in this thread. A pool that fails to start or mid-run is dropped and the run goes
   * on in this thread from the last finished epoch.
   */
  readonly pool?: (
    n: number,
    m: number,
    d: number,
    kernel: string,
  ) => ShardPool | null | Promise<ShardPool | null>;
  /**
   * The fast kernel (onnxruntime-web in the page, onnxruntime-node in `sdr`), started once, at the
   * first request that needs a kernel, and shared by every session (calls are serialised: one
   * product at a time). Default: none, the plain-JS kernel. When it fails to start, everything
   * runs on the JS kernel and each result says why.
   */
  readonly kernel?: () => Promise<MatmulBackend>;
}

/** The session object: the page's train worker exposes it, fitMap drives it in Node. */
export interface MapSessions {
  /**
   * Begin session `id` on n rows of `data` (PCA or random initialisation happens here); says
   * which kernel and pool it will train on.
   */
  start(
    id: number,
    data: Float32Array,
    n: number,
    config: TrainConfig,
    prepared?: number,
  ): Promise<TrainStart>;
  /**
   * Get ready for a run on n rows of `data` with `config` while the person is still reading the
   * form: start the kernel, make the initial codebook (the PCA plane: ~0.1 s for 1,200 rows of
   * 512) and run PREPARE_EPOCHS throwaway epochs from it on up to PREPARE_PASS_ROWS of the rows,
   * so the kernel has met the run's shapes and the epoch's code is warm (a start() or a newer
   * prepare() stops them). A start() that passes the same `token` (the caller's promise that the
   * rows are the same) with the same grid, init and seed uses that codebook. One preparation is
   * kept; a newer one replaces it.
   */
  prepare(token: number, data: Float32Array, n: number, config: TrainConfig): Promise<void>;
  /**
   * Start the kernel now, before any training asks for it (the page calls this while the person
   * is still reading, so the first Train click does not wait for the WASM runtime); says the
   * kernel's name. Safe to call any number of times; a failed start is what start() reports.
   */
  warm(): Promise<string>;
  /** Run one epoch of session `id`. */
  step(id: number): Promise<EpochReport>;
  /**
   * A copy of session `id`'s codebook after its last finished epoch (no figures, no rounding):
   * the page keeps it so a closed tab does not lose a long run.
   */
  snapshot(id: number): Promise<SomSnapshot>;
  /**
   * The U-matrix of session `id`'s current codebook (m floats) and its epoch: what the page
   * draws while training goes on, for far less than the codebook itself would cost to send.
   */
  preview(id: number): Promise<TrainPreview>;
  /** Final figures, calibration and labels for session `id`'s current codebook. */
  finish(id: number, options: FinishOptions, cancelled: boolean): Promise<TrainResult>;
  /** Forget session `id` (no error when unknown). */
  drop(id: number): Promise<void>;
  labelUnits(som: SomModel, vectors: Float32Array, names: readonly string[]): Promise<string[]>;
  /**
   * Drop every session and release the fast kernel (an `sdr` run at its end; a page's worker
   * lives with its kernel and never calls this).
   */
  dispose(): Promise<void>;
}

/** Rows of the warm-up epochs prepare() runs to meet a run's shapes: a first chunk is enough. */
const PREPARE_PASS_ROWS = 2048;
/** Warm-up epochs prepare() runs: V8 optimises the epoch's loops after a few runs. */
const PREPARE_EPOCHS = 3;

/** What prepare() made: the initial codebook of one dataset and config. */
interface Prepared {
  readonly token: number;
  readonly n: number;
  readonly config: TrainConfig;
  readonly codebook: Float32Array;
}

/**
 * What prepare()'s warm-up epochs ran with, for the run to take over: an in-thread pool on the
 * kernel and the update's scratch, whose arrays the browser has mapped by now (fresh ones cost
 * the run's first two epochs ~60 ms of page faults in the page's worker).
 */
interface WarmScratch {
  readonly backend: MatmulBackend;
  readonly pool: ShardPool;
  /** Made for the warm-up's grid and dimension (update.smoothSums.grid, update.d). */
  readonly update: BatchUpdateState;
  /** Settles when the warm-up's last epoch has ended: nothing uses the scratch after that. */
  readonly idle: Promise<void>;
}

export function createMapSessions(options: TrainSessionOptions = {}): MapSessions {
  const sessions = new Map<number, Session>();
  let prepared: Prepared | null = null;
  let warm: WarmScratch | null = null;
  /** The warm-up's scratch if it ran on `backend` with rows of `d` on `grid`, else null. */
  const warmFor = (backend: MatmulBackend, d: number, grid: Grid): WarmScratch | null =>
    warm?.backend === backend &&
    warm.update.d === d &&
    sameGridShape(warm.update.smoothSums.grid, grid)
      ? warm
      : null;
  /**
   * Counts prepare() and start() calls: a preparation warms up only while it is the latest
   * call, so a run that starts (or a newer plan) stops it between two of its epochs.
   */
  let generation = 0;
  const slot = createKernelSlot(options.kernel);
  const js = slot.js;
  const session = (id: number): Session => {
    const s = sessions.get(id);
    if (!s) throw new RangeError(`no training session ${id} (it finished or never started)`);
    return s;
  };
  const engineOf = (s: Session): TrainEngine => ({
    kernel: s.kernel.name,
    pool: s.pool.name,
    fallback: s.fallback,
  });
  const addFallback = (s: Session, why: string) => {
    s.fallback = s.fallback ? `${s.fallback} ${why}` : why;
  };

  /**
   * Carry on from the last finished epoch in this thread after `error` broke the session's
   * pool or kernel: on the kernel when only a parallel pool broke, else on the JS kernel.
   */
  const rescue = async (s: Session, error: unknown) => {
    if (s.parallel) {
      addFallback(s, `The parallel training workers stopped (${errorMessage(error)}); training goes on in one thread.`); // prettier-ignore
    } else {
      if (s.kernel === js) throw error; // nothing slower to fall back to
      addFallback(s, `The ${s.kernel.name} kernel failed (${errorMessage(error)}); training goes on with the JavaScript kernel.`); // prettier-ignore
      s.kernel = js;
    }
    const resume = s.trainer.snapshot();
    const broken = s.pool;
    await s.trainer.dispose();
    await broken.dispose().catch(() => undefined);
    s.pool = createInThreadPool(s.kernel);
    s.parallel = false;
    s.loaded = false;
    s.trainer = createTrainer(s.data, s.n, s.config, { resume, pool: s.pool, smoothOn: s.kernel });
  };

  /** Run `work` on the session's kernel; if that kernel breaks, once more on the JS kernel. */
  const onKernel = async <T>(s: Session, work: (k: MatmulBackend) => Promise<T>): Promise<T> => {
    try {
      return await work(s.kernel);
    } catch (error) {
      if (s.kernel === js) throw error;
      addFallback(s, `The ${s.kernel.name} kernel failed (${errorMessage(error)}); the JavaScript kernel finished the job.`); // prettier-ignore
      s.kernel = js;
      return work(js);
    }
  };

  return {
    async prepare(token, data, n, config) {
      validateTrainConfig(config);
      if (!Number.isInteger(n) || n < 2 || data.length % n !== 0) {
        throw new RangeError(`cannot prepare ${data.length} floats as ${n} rows`);
      }
      const d = data.length / n;
      const mine = ++generation;
      // The codebook first: it needs no kernel, and the kernel may still be compiling.
      const codebook = initCodebook(data, n, d, config.grid, config.init, config.seed);
      prepared = { token, n, config, codebook };
      const { backend } = await slot.get();
      // Epochs of the planned run on its first rows, thrown away: the kernel meets the run's
      // shapes, the smoothing graph is built and the epoch's JavaScript compiled now rather than
      // in the first epochs (measured in the page: epoch 1 took 150 ms and epoch 2 70 ms against
      // ~40 ms later). The pool is not disposed: that would dispose the shared kernel.
      if (backend === js || generation !== mine) return;
      const rows = Math.min(n, PREPARE_PASS_ROWS);
      // The scratch of the last warm-up on the same shapes is taken again (once it is idle).
      const reuse = warmFor(backend, d, config.grid);
      await reuse?.idle;
      if (generation !== mine) return;
      const pool = reuse?.pool ?? createInThreadPool(backend);
      const update = reuse?.update ?? createBatchUpdate(config.grid, d);
      const warmup = createTrainer(data.subarray(0, rows * d), rows, config, {
        pool,
        smoothOn: backend,
        initial: codebook,
        update,
      });
      let ended!: () => void;
      warm = { backend, pool, update, idle: new Promise<void>((resolve) => (ended = resolve)) };
      try {
        // A run that starts meanwhile, or a newer plan, stops it between two epochs (tens of ms
        // each): the run's first epochs are better spent on the run itself.
        for (let e = 0; e < Math.min(PREPARE_EPOCHS, config.epochs) && generation === mine; e++) {
          await warmup.step();
        }
      } finally {
        ended();
      }
    },

    async start(id, data, n, config, preparedToken) {
      generation++;
      if (!Number.isInteger(n) || n < 2) {
        throw new RangeError(`training needs at least 2 inputs, got ${n}`);
      }
      if (data.length % n !== 0) {
        throw new RangeError(
          `the data holds ${data.length} floats, not a whole number of ${n} rows`,
        );
      }
      const d = data.length / n;
      const t0 = performance.now();
      const { backend, fallback } = await slot.get();
      const tKernel = performance.now();
      let parallel: ShardPool | null = null;
      let poolFallback: string | null = null;
      try {
        parallel = (await options.pool?.(n, gridSize(config.grid), d, backend.name)) ?? null;
      } catch (error) {
        // Workers could not start here: train in this thread.
        poolFallback = `The parallel training workers could not start (${errorMessage(error)}); training runs in one thread.`; // prettier-ignore
      }
      // The warm-up's scratch, when it ran on this kernel and these shapes and this run trains
      // in this thread: taken over once the warm-up's epoch in flight ends (start() stopped it).
      const taken = parallel ? null : warmFor(backend, d, config.grid);
      if (taken) {
        warm = null;
        await taken.idle;
      }
      const pool = parallel ?? taken?.pool ?? createInThreadPool(backend);
      const tPool = performance.now();
      try {
        // The update's smoothing runs on the fast kernel too (in float32) when it has one.
        const ready =
          prepared &&
          preparedToken === prepared.token &&
          prepared.n === n &&
          sameStart(prepared.config, config)
            ? prepared.codebook
            : undefined;
        const trainer = createTrainer(data, n, config, {
          pool,
          smoothOn: backend,
          initial: ready,
          update: taken?.update,
        });
        const tInit = performance.now();
        const s: Session = {
          data,
          n,
          config,
          trainer,
          pool,
          parallel: parallel !== null,
          kernel: backend,
          fallback: [fallback, poolFallback].filter((x) => x).join(' ') || null,
          loaded: false,
        };
        sessions.set(id, s);
        return {
          ...engineOf(s),
          phasesMs: { kernel: tKernel - t0, pool: tPool - tKernel, init: tInit - tPool },
        };
      } catch (error) {
        await pool.dispose();
        throw error;
      }
    },

    async step(id) {
      const s = session(id);
      let report: EpochReport;
      try {
        report = await s.trainer.step();
      } catch (error) {
        // The pool or the kernel broke (a worker died, the runtime failed): carry on from the
        // last finished epoch, which the failed step left untouched.
        await rescue(s, error);
        report = await s.trainer.step();
      }
      s.loaded = true;
      // Let queued messages (a drop, another session's step) in between epochs.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return report;
    },

    async snapshot(id) {
      return session(id).trainer.snapshot();
    },
    async preview(id) {
      const s = session(id);
      // The live codebook, read synchronously: no copy (a 2 MiB snapshot took 7–19 ms of the
      // worker per preview in the page, mostly the browser mapping fresh memory).
      const { epoch, codebook } = s.trainer.peek();
      const { grid } = s.config;
      return { epoch, grid, uMatrix: uMatrix({ grid, dim: codebook.length / gridSize(grid), codebook }) }; // prettier-ignore
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
      const items = options.items;
      const labels = options.labels;
      if (labels && labels.vectors === null && labels.names.length !== s.n) {
        throw new RangeError(`${labels.names.length} unit-label names for ${s.n} training rows`);
      }
      // Without separate items, one product of the training rows with the rounded codebook gives
      // everything: the SDRs, the final QE and TE (by the trainer's rule) and, when units are
      // named after the training rows, their labels. With items, the final figures come from
      // one BMU pass on the session's pool (parallel and on the fast kernel when the run was).
      // Units named after the very rows being encoded come from the same product.
      const namesEncodedRows =
        labels !== null &&
        (items
          ? labels.vectors === items.data && labels.names.length === items.n
          : labels.vectors === null);
      // The kernel the encode worker would use for this many rows (src/encode/session.ts): a
      // small dataset is encoded on the JS kernel there, and its SDRs must be the ones the page
      // gets for a single item later (on a smooth map, float rounding decides near-ties).
      const small = (items?.n ?? s.n) * m * snapshot.dim < FAST_ENCODE_MIN_WORK;
      const encoded = await onKernel(s, (fast) => {
        const kernel = small ? js : fast;
        return items
          ? encodeBatchWith(kernel, model, items.data, items.n, {
              k,
              nearestRowPerUnit: namesEncodedRows,
            })
          : encodeBatchWith(kernel, model, s.data, s.n, {
              k,
              trainingFigures: true,
              nearestRowPerUnit: namesEncodedRows,
            });
      });
      let quality: TrainResult['quality'];
      if (encoded.trainingFigures) {
        quality = encoded.trainingFigures;
      } else {
        try {
          if (!s.loaded) await s.pool.load(s.data, s.n, snapshot.dim);
          s.loaded = true;
          const partial = await s.pool.run(model.codebook, m, model.grid);
          quality = {
            quantizationError: partial.qeSum / s.n,
            topographicError: partial.teCount / s.n,
          };
        } catch (error) {
          addFallback(s, `The final figures were computed with the JavaScript kernel (${errorMessage(error)}).`); // prettier-ignore
          quality = mapQuality(model, s.data, s.n);
        }
      }
      const calibrationRows = items?.calibrationRows;
      const calibration = calibrationFromEncoded(
        model.grid,
        calibrationRows ? pickEncoded(encoded, calibrationRows) : encoded,
      );
      let unitLabels: string[] | null = null;
      if (labels) {
        const { vectors, names } = labels;
        const nearest = encoded.nearestRow;
        unitLabels = nearest
          ? Array.from(nearest, (i) => names[i])
          : await onKernel(s, (kernel) => labelUnits(kernel, model, vectors ?? s.data, names));
      }
      const result: TrainResult = {
        snapshot,
        cancelled,
        quality,
        calibration,
        unitLabels,
        itemSdrs: items ? encoded.active : null,
        trainingEncoding: items
          ? null
          : withSpatial(
              model.grid,
              encodedRowsOf({ som: model, calibration }, encoded, s.n, encoded.k),
            ),
        engine: engineOf(s),
        trainingMean: meanOfRows(s.data, s.n, snapshot.dim),
        uMatrix: uMatrix(model),
      };
      // The snapshot is a copy: a worker door can transfer its buffer without breaking the session.
      return result;
    },

    async drop(id) {
      const s = sessions.get(id);
      sessions.delete(id);
      await s?.trainer.dispose();
      await s?.pool.dispose();
    },

    async warm() {
      return (await slot.get()).backend.name;
    },

    async labelUnits(som, vectors, names) {
      const { backend } = await slot.get();
      try {
        return await labelUnits(backend, som, vectors, names);
      } catch (error) {
        if (backend === js) throw error;
        return labelUnits(js, som, vectors, names);
      }
    },

    async dispose() {
      for (const s of sessions.values()) {
        await s.trainer.dispose();
        await s.pool.dispose();
      }
      sessions.clear();
      await slot.dispose();
    },
  };
}

/** Encoded rows with each row's clusters and radius, as the encode worker gives a dataset's. */
function withSpatial(grid: Grid, rows: EncodedRows): EncodedRows {
  return { ...rows, spatial: spatialRows(grid, rows.active, rows.n, rows.k) };
}

/** The encoded rows at `rows`, as a batch of their own. */
function pickEncoded(e: EncodedBatch, rows: ArrayLike<number>): EncodedBatch {
  const { k } = e;
  const active = new Uint32Array(rows.length * k);
  const qe = new Float32Array(rows.length);
  const bmu = new Uint32Array(rows.length);
  const bestCosine = new Float32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    active.set(e.active.subarray(i * k, (i + 1) * k), r * k);
    qe[r] = e.qe[i];
    bmu[r] = e.bmu[i];
    bestCosine[r] = e.bestCosine[i];
  }
  return { k, active, qe, bmu, bestCosine };
}
