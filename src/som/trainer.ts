/**
 * Batch SOM training with a step API (create → step → snapshot), after Kohonen's batch map:
 * T. Kohonen, "Self-Organizing Maps", 3rd ed., Springer 2001, §3.14 (the Batch Map), and
 * T. Kohonen, "Essentials of the self-organizing map", Neural Networks 37 (2013) 52–65.
 *
 * One epoch with neighbourhood radius σ:
 *   1. BMU pass: every input's best unit (Euclidean, as argmax x·w − ½‖w‖², see bmu.ts) and
 *      second-best unit, against the current codebook; S_j = Σ inputs with BMU j, c_j = count.
 *      This map step runs in a ShardPool (one thread, or worker threads), whose partials add.
 *   2. Update: w_i = Σ_j h_ij S_j / Σ_j h_ij c_j with h_ij = exp(−d_grid(i,j)²/(2σ²))
 *      (neighbourhood.ts); a unit whose denominator is 0 keeps its weights.
 * The epoch's quantisation and topographic errors are those of the codebook the BMU pass used
 * (they come free with the distances), so epoch 1 reports the initial codebook's figures.
 * σ decays exponentially from radiusStart to radiusEnd (config.ts). Nothing in an epoch is
 * random, so a run is fully determined by config (seed → initial codebook) and data, and
 * resuming from a snapshot continues exactly where it stopped.
 */
import { gridSize, sameGridShape } from '../grid/grid.ts';
import type { MatmulBackend } from './backend.ts';
import { radiusAtEpoch, validateTrainConfig } from './config.ts';
import { initCodebook } from './init.ts';
import { createSmoother } from './neighbourhood.ts';
import { createInThreadPool, type ShardPool } from './pool.ts';
import type { ShardPartial } from './shard.ts';
import type { EpochReport, SomSnapshot, TrainConfig } from './types.ts';

export interface TrainerOptions {
  /** Kernel for the in-thread pool when no `pool` is given; default the plain-JS kernel. */
  readonly backend?: MatmulBackend;
  /**
   * Where BMU passes run; default a new in-thread pool on `backend`. A pool passed in is loaded
   * with this data but not disposed by the trainer (the caller owns it).
   */
  readonly pool?: ShardPool;
  /** Continue from this snapshot (same grid, dimension and schedule) instead of initialising. */
  readonly resume?: SomSnapshot;
  /**
   * Kernel for the neighbourhood smoothing of each update; default none: the float64 JS passes
   * (neighbourhood.ts). A kernel with separableSmooth (onnxruntime) runs it in float32 on rect
   * grids, about 3× faster in the page.
   */
  readonly smoothOn?: MatmulBackend;
  /**
   * The initial codebook (m·d), exactly as initCodebook(data, n, d, grid, config.init,
   * config.seed) makes it: one made ahead of time (MapSessions.prepare, while the person reads
   * the train form); default made here. Ignored when resuming.
   */
  readonly initial?: Float32Array;
  /**
   * The update's scratch (createBatchUpdate for this grid and dimension), e.g. one an earlier
   * trainer used and no longer runs with; default a new one. Its arrays hold no state between
   * epochs, so any run of the same shapes may take it over: MapSessions hands the warm-up's to
   * the run, whose first epochs then write to memory the browser has already mapped (measured in
   * the page: fresh arrays of this size cost the first epoch's update ~40 ms in page faults).
   * Never share one between trainers that step at the same time.
   */
  readonly update?: BatchUpdateState;
}

export interface Trainer {
  readonly config: TrainConfig;
  /** Epochs completed. */
  readonly epoch: number;
  /** True once `config.epochs` epochs are done. */
  readonly done: boolean;
  /** Run one epoch; rejects with a RangeError once done. */
  step(): Promise<EpochReport>;
  /** A copy of the current map and history (safe to keep while training goes on). */
  snapshot(): SomSnapshot;
  /**
   * The current codebook (m·d) itself, not a copy, and the epochs that made it: for a look that
   * ends before the next step() (a preview), without snapshot()'s copy. The array is the
   * trainer's: it is overwritten two steps later; do not change or keep it.
   */
  peek(): { readonly epoch: number; readonly codebook: Float32Array };
  /**
   * Quantisation and topographic error of the current codebook on the training data: one BMU
   * pass on the trainer's pool (parallel, on its kernel), e.g. for the final map, whose figures
   * no epoch report holds (each report describes the codebook before its update).
   */
  evaluate(): Promise<{ quantizationError: number; topographicError: number }>;
  /** Free what the trainer created (its own pool, not one passed in). */
  dispose(): Promise<void>;
}

export class TrainingInputError extends RangeError {
  override name = 'TrainingInputError';
}

/** Denominators below this are "no data reached this unit" (float64 underflow territory). */
const EMPTY_DENOMINATOR = 1e-280;

function checkData(data: Float32Array, n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new TrainingInputError(`training needs at least one input row, got n = ${n}`);
  }
  if (data.length === 0 || data.length % n !== 0) {
    throw new TrainingInputError(
      `data holds ${data.length} floats, not a whole number of ${n} rows`,
    );
  }
  const d = data.length / n;
  for (let t = 0; t < data.length; t++) {
    if (!Number.isFinite(data[t])) {
      throw new TrainingInputError(
        `input row ${Math.floor(t / d)} has a non-finite value (${data[t]})`,
      );
    }
  }
  return d;
}

/** The smoothers and float64 scratch of the update step, made once per training run. */
export interface BatchUpdateState {
  readonly m: number;
  readonly d: number;
  readonly smoothSums: ReturnType<typeof createSmoother>;
  readonly smoothCounts: ReturnType<typeof createSmoother>;
  readonly numerator: Float64Array;
  readonly denominator: Float64Array;
}

export function createBatchUpdate(grid: TrainConfig['grid'], d: number): BatchUpdateState {
  const m = gridSize(grid);
  return {
    m,
    d,
    smoothSums: createSmoother(grid, d),
    smoothCounts: createSmoother(grid, 1),
    numerator: new Float64Array(m * d),
    denominator: new Float64Array(m),
  };
}

/**
 * Step 2 of an epoch: next = Σ_j h_ij S_j / Σ_j h_ij c_j from the summed partials at radius σ;
 * a unit no data reached keeps its weights from `codebook`. Shared by the in-memory trainer and
 * the streaming one (streamTrainer.ts), whose partials are summed over row chunks instead.
 */
export function batchUpdate(
  state: BatchUpdateState,
  radius: number,
  partial: ShardPartial,
  codebook: Float32Array,
  next: Float32Array,
): void {
  state.smoothSums.apply(radius, partial.sums, state.numerator);
  divideUpdate(state, radius, partial, codebook, next);
}

/** batchUpdate with the sums' smoothing on `kernel` (Smoother.applyOn); the counts stay float64. */
async function batchUpdateOn(
  kernel: MatmulBackend | null,
  state: BatchUpdateState,
  radius: number,
  partial: ShardPartial,
  codebook: Float32Array,
  next: Float32Array,
): Promise<void> {
  await state.smoothSums.applyOn(kernel, radius, partial.sums, state.numerator);
  divideUpdate(state, radius, partial, codebook, next);
}

/** The update's second half: smooth the counts, divide (state.numerator holds the sums'). */
function divideUpdate(
  state: BatchUpdateState,
  radius: number,
  partial: ShardPartial,
  codebook: Float32Array,
  next: Float32Array,
): void {
  const { m, d, numerator, denominator } = state;
  state.smoothCounts.apply(radius, partial.counts, denominator);
  for (let i = 0; i < m; i++) {
    const den = denominator[i];
    const o = i * d;
    if (den > EMPTY_DENOMINATOR) {
      const inv = 1 / den;
      for (let k = 0; k < d; k++) next[o + k] = numerator[o + k] * inv;
    } else {
      for (let k = 0; k < d; k++) next[o + k] = codebook[o + k];
    }
  }
}

function sameSchedule(a: TrainConfig, b: TrainConfig): boolean {
  return (
    sameGridShape(a.grid, b.grid) &&
    a.epochs === b.epochs &&
    a.radiusStart === b.radiusStart &&
    a.radiusEnd === b.radiusEnd
  );
}

/** A trainer over n rows of `data` (n·d, unit-length rows expected; d = data.length / n). */
export function createTrainer(
  data: Float32Array,
  n: number,
  config: TrainConfig,
  options: TrainerOptions = {},
): Trainer {
  validateTrainConfig(config);
  const d = checkData(data, n);
  const { grid } = config;
  const m = gridSize(grid);
  const resume = options.resume;
  let codebook: Float32Array;
  let epoch = 0;
  const history: EpochReport[] = [];
  if (resume) {
    if (!sameSchedule(resume.config, config)) {
      throw new TrainingInputError('the snapshot was trained with a different grid or schedule');
    }
    if (resume.dim !== d || resume.codebook.length !== m * d) {
      throw new TrainingInputError(`the snapshot has dimension ${resume.dim}, the data ${d}`);
    }
    if (!Number.isInteger(resume.epoch) || resume.epoch < 0 || resume.epoch > config.epochs) {
      throw new TrainingInputError(
        `the snapshot's epoch ${resume.epoch} is outside 0..${config.epochs}`,
      );
    }
    codebook = Float32Array.from(resume.codebook);
    epoch = resume.epoch;
    history.push(...resume.history);
  } else if (options.initial) {
    if (options.initial.length !== m * d) {
      throw new TrainingInputError(
        `the initial codebook holds ${options.initial.length} numbers, not ${m}×${d}`,
      );
    }
    codebook = Float32Array.from(options.initial);
  } else {
    codebook = initCodebook(data, n, d, grid, config.init, config.seed);
  }

  const ownPool = !options.pool;
  const pool = options.pool ?? createInThreadPool(options.backend);
  let loaded: Promise<void> | null = null;
  const update = options.update ?? createBatchUpdate(grid, d);
  if (update.m !== m || update.d !== d || !sameGridShape(update.smoothSums.grid, grid)) {
    throw new TrainingInputError(`the update scratch was made for another grid or dimension`);
  }
  // Two codebooks, swapped each epoch: the one the BMU pass read and the one being written.
  let spare: Float32Array = new Float32Array(m * d);
  let busy = false;

  const trainer: Trainer = {
    config,
    get epoch() {
      return epoch;
    },
    get done() {
      return epoch >= config.epochs;
    },
    async step() {
      if (epoch >= config.epochs) {
        throw new RangeError(`training is done: all ${config.epochs} epochs have run`);
      }
      if (busy) throw new RangeError('an epoch is already running: await step() before the next');
      busy = true;
      try {
        const t0 = performance.now();
        loaded ??= pool.load(data, n, d);
        await loaded;
        const radius = radiusAtEpoch(config, epoch);
        const tBmu = performance.now();
        const partial = await pool.run(codebook, m, grid);
        const bmuMs = performance.now() - tBmu;
        const next = spare;
        await batchUpdateOn(options.smoothOn ?? null, update, radius, partial, codebook, next);
        spare = codebook;
        codebook = next;
        epoch++;
        const report: EpochReport = {
          epoch,
          radius,
          quantizationError: partial.qeSum / n,
          topographicError: partial.teCount / n,
          ms: performance.now() - t0,
          bmuMs,
        };
        history.push(report);
        // One turn of the event loop between epochs, whatever the kernel: an in-thread kernel
        // resolves its promises without one, so Ctrl-C (a signal event) would wait for every
        // epoch to run. Costs well under a millisecond per epoch.
        await nextTurn();
        return report;
      } finally {
        busy = false;
      }
    },
    async evaluate() {
      if (busy) throw new RangeError('an epoch is running: await step() before evaluate()');
      busy = true;
      try {
        loaded ??= pool.load(data, n, d);
        await loaded;
        const partial = await pool.run(codebook, m, grid);
        return { quantizationError: partial.qeSum / n, topographicError: partial.teCount / n };
      } finally {
        busy = false;
      }
    },
    peek() {
      return { epoch, codebook };
    },
    snapshot() {
      return {
        grid,
        dim: d,
        codebook: codebook.slice(),
        config,
        epoch,
        history: history.slice(),
      };
    },
    async dispose() {
      if (ownPool) await pool.dispose();
    },
  };
  return trainer;
}

export interface TrainOptions extends TrainerOptions {
  /** Called after every epoch with its report and the trainer (e.g. to snapshot for a preview). */
  readonly onEpoch?: (report: EpochReport, trainer: Trainer) => void;
  /** Stop early: the result is the last complete epoch's snapshot (an epoch in flight is dropped). */
  readonly signal?: AbortSignal;
}

/**
 * Train to the end (or until `signal` aborts) and return the final snapshot. An aborted run
 * resolves, not rejects, with the last good snapshot: its `epoch` is below `config.epochs`.
 */
export async function train(
  data: Float32Array,
  n: number,
  config: TrainConfig,
  options: TrainOptions = {},
): Promise<SomSnapshot> {
  const trainer = createTrainer(data, n, config, options);
  const { signal, onEpoch } = options;
  let last = trainer.snapshot();
  let inFlight: Promise<unknown> | null = null;
  try {
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal?.aborted) resolve('aborted');
      signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    while (!trainer.done) {
      if (signal?.aborted) break;
      const step = trainer.step();
      inFlight = step.catch(() => undefined);
      const outcome = await Promise.race([step, aborted]);
      if (outcome === 'aborted') break;
      inFlight = null;
      last = trainer.snapshot();
      onEpoch?.(outcome, trainer);
    }
    return last;
  } finally {
    // A dropped epoch may still be running on the pool: free it once that finishes, without
    // making the caller wait for it.
    if (inFlight) void inFlight.then(() => trainer.dispose());
    else await trainer.dispose();
  }
}

/** Resolves after one macrotask turn (setImmediate in Node, a zero timeout elsewhere). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
