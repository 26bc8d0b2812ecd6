/**
 * Batch SOM training on more rows than fit in memory: the rows are read a chunk at a time, every
 * epoch, and never held all at once.
 *
 * This works because the batch map's epoch is a sum (trainer.ts): the numerator Σ h·x and the
 * denominator Σ h only need, per unit j, S_j = Σ rows whose BMU is j and c_j = their count, and
 * those add over any split of the rows. A chunk is one more "shard" (shard.ts): it is loaded into
 * the pool, run against the epoch's codebook, and its partial added to the epoch's total in
 * float64. The update at the end of the epoch is the in-memory trainer's own (batchUpdate), so the
 * codebook after each epoch equals the in-memory one up to float64 summation order.
 *
 * Memory: two chunk buffers (one being read while the pool works on the other), the pool's
 * per-chunk buffers, the codebook and the m·d float64 sums; nothing grows with the row count
 * except `keep`'s own cost. The initial codebook comes from a seeded sample of rows (init.ts on
 * the sample), so PCA never sees more than `sampleRows` rows either.
 */
import { gridSize } from '../grid/grid.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { radiusAtEpoch, validateTrainConfig } from './config.ts';
import { initCodebook } from './init.ts';
import type { ShardPool } from './pool.ts';
import { addPartial, emptyPartial, type ShardPartial } from './shard.ts';
import { batchUpdate, createBatchUpdate, TrainingInputError } from './trainer.ts';
import type { EpochReport, SomSnapshot, TrainConfig } from './types.ts';

/** Where the rows come from: e.g. a `.npy` file read by src/io/npyStream.ts. */
export interface RowSource {
  /** Rows in the source, kept or not. */
  readonly n: number;
  readonly d: number;
  /** Rows start..start+count−1 (unit length, finite) into `out`. */
  read(start: number, count: number, out: Float32Array): void | Promise<void>;
  /** The rows at the given ascending indices into `out`, one after another. */
  readAt(rows: Uint32Array, out: Float32Array): void | Promise<void>;
}

export interface StreamProgress {
  /** The epoch being run, 1-based; epochs + 1 for a pass after training (evaluate). */
  readonly epoch: number;
  /** Source rows read in this pass so far. */
  readonly rowsDone: number;
  /** Source rows a pass reads (source.n). */
  readonly rowsTotal: number;
  /** Source rows read per second in this pass. */
  readonly rowsPerSecond: number;
}

export interface StreamTrainerOptions {
  /** Where each chunk's map step runs; loaded afresh with every chunk, not disposed here. */
  readonly pool: ShardPool;
  /** Source rows read at a time; default 16,384, range 1 to 10,000,000. */
  readonly chunkRows?: number;
  /** Which source rows are training rows (e.g. not held out); default every row. */
  readonly keep?: (row: number) => boolean;
  /**
   * Rows the initial codebook is computed from, a seeded sample of the training rows; default
   * 10,000, range 2 to 10,000,000. With no more training rows than this, all of them are used,
   * in order, so the initial codebook is exactly the in-memory trainer's.
   */
  readonly sampleRows?: number;
  /** Allocate the chunk buffers in shared memory (what worker pools read without a copy); default: when the pool has more than one shard and SharedArrayBuffer exists. */ // prettier-ignore
  readonly shared?: boolean;
  /** Called after every chunk. */
  readonly onProgress?: (progress: StreamProgress) => void;
  /** Abort between chunks: the epoch in progress is dropped and the codebook stays the last finished epoch's. */ // prettier-ignore
  readonly signal?: AbortSignal;
}

export interface StreamTrainer {
  readonly config: TrainConfig;
  /** Training rows (source rows that `keep` keeps). */
  readonly trainingRows: number;
  /** Epochs completed. */
  readonly epoch: number;
  readonly done: boolean;
  /** Run one epoch over every chunk; null when aborted (nothing changed). */
  step(): Promise<EpochReport | null>;
  /** Quantisation and topographic error of `codebook` (default the current one) on the training rows; null when aborted. */ // prettier-ignore
  evaluate(codebook?: Float32Array): Promise<{ quantizationError: number; topographicError: number } | null>; // prettier-ignore
  snapshot(): SomSnapshot;
}

const DEFAULT_CHUNK_ROWS = 16_384;
const DEFAULT_SAMPLE_ROWS = 10_000;

function checkRange(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new RangeError(`${name} must be an integer from ${lo} to ${hi}, got ${v}`);
  }
}

/** Start a streaming trainer: counts the training rows and computes the initial codebook. */
export async function createStreamTrainer(
  source: RowSource,
  config: TrainConfig,
  options: StreamTrainerOptions,
): Promise<StreamTrainer> {
  validateTrainConfig(config);
  const { n, d } = source;
  const { pool, keep, onProgress, signal } = options;
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  checkRange('chunkRows', chunkRows, 1, 10_000_000);
  checkRange('sampleRows', sampleRows, 2, 10_000_000);
  const { grid } = config;
  const m = gridSize(grid);

  let trainingRows = n;
  if (keep) {
    trainingRows = 0;
    for (let i = 0; i < n; i++) if (keep(i)) trainingRows++;
  }
  if (trainingRows < 1) throw new TrainingInputError('training needs at least one input row, got 0'); // prettier-ignore

  const shared = options.shared ?? (pool.shards > 1 && typeof SharedArrayBuffer !== 'undefined');
  const alloc = (floats: number) =>
    shared ? new Float32Array(new SharedArrayBuffer(4 * floats)) : new Float32Array(floats);
  const buffers = [alloc(chunkRows * d), alloc(chunkRows * d)];

  /** Read source rows start.. into buf and keep the training rows at its front; returns their count. */
  const fill = async (buf: Float32Array, start: number): Promise<number> => {
    const count = Math.min(chunkRows, n - start);
    await source.read(start, count, buf);
    if (!keep) return count;
    let kept = 0;
    for (let r = 0; r < count; r++) {
      if (!keep(start + r)) continue;
      if (kept !== r) buf.copyWithin(kept * d, r * d, (r + 1) * d);
      kept++;
    }
    return kept;
  };

  // The initial codebook, from at most sampleRows training rows.
  let sample: Float32Array;
  let sampleCount: number;
  if (trainingRows <= sampleRows) {
    sample = new Float32Array(trainingRows * d);
    sampleCount = 0;
    for (let start = 0; start < n; start += chunkRows) {
      const kept = await fill(buffers[0], start);
      sample.set(buffers[0].subarray(0, kept * d), sampleCount * d);
      sampleCount += kept;
    }
  } else {
    // Draw from all source rows and drop the held-out ones: the kept share is a uniform sample
    // of the training rows. Its own stream (seed + a constant) so it does not shift other draws.
    const drawn = sampleWithoutReplacement(createRng((config.seed + 0x5bd1e995) >>> 0), n, sampleRows).sort(); // prettier-ignore
    const rows = keep ? drawn.filter((i) => keep(i)) : drawn;
    if (rows.length < 2) throw new TrainingInputError('the initialisation sample kept fewer than 2 training rows'); // prettier-ignore
    sample = new Float32Array(rows.length * d);
    await source.readAt(rows, sample);
    sampleCount = rows.length;
  }
  let codebook: Float32Array = initCodebook(sample, sampleCount, d, grid, config.init, config.seed);
  let spare: Float32Array = new Float32Array(m * d);
  const update = createBatchUpdate(grid, d);
  let epoch = 0;
  const history: EpochReport[] = [];
  let busy = false;

  /**
   * One map step over every chunk against `book`; null when aborted. While the pool works on
   * one chunk the next one is read into the other buffer.
   */
  const pass = async (book: Float32Array, passEpoch: number): Promise<ShardPartial | null> => {
    const total = emptyPartial(m, d);
    const t0 = performance.now();
    let which = 0;
    let start = 0;
    let kept = await fill(buffers[which], start);
    while (start < n) {
      if (signal?.aborted) return null;
      const count = Math.min(chunkRows, n - start);
      let running: Promise<ShardPartial> | null = null;
      if (kept > 0) {
        await pool.load(buffers[which], kept, d);
        running = pool.run(book, m, grid);
      }
      const nextStart = start + count;
      // Read ahead while the workers (if any) run; the pool is done with the other buffer.
      const nextKept = nextStart < n ? fill(buffers[1 - which], nextStart) : Promise.resolve(0);
      if (running) addPartial(total, await running);
      kept = await nextKept;
      which = 1 - which;
      start = nextStart;
      const seconds = (performance.now() - t0) / 1000;
      onProgress?.({
        epoch: passEpoch,
        rowsDone: start,
        rowsTotal: n,
        rowsPerSecond: seconds > 0 ? start / seconds : 0,
      });
    }
    return total;
  };

  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    if (busy) throw new RangeError('a pass is already running: await it first');
    busy = true;
    try {
      return await f();
    } finally {
      busy = false;
    }
  };

  return {
    config,
    trainingRows,
    get epoch() {
      return epoch;
    },
    get done() {
      return epoch >= config.epochs;
    },
    step() {
      if (epoch >= config.epochs) {
        return Promise.reject(new RangeError(`training is done: all ${config.epochs} epochs have run`)); // prettier-ignore
      }
      return guard(async () => {
        const t0 = performance.now();
        const radius = radiusAtEpoch(config, epoch);
        const partial = await pass(codebook, epoch + 1);
        if (!partial) return null;
        const bmuMs = performance.now() - t0;
        batchUpdate(update, radius, partial, codebook, spare);
        [codebook, spare] = [spare, codebook];
        epoch++;
        const report: EpochReport = {
          epoch,
          radius,
          quantizationError: partial.qeSum / trainingRows,
          topographicError: partial.teCount / trainingRows,
          ms: performance.now() - t0,
          bmuMs,
        };
        history.push(report);
        return report;
      });
    },
    evaluate(book = codebook) {
      if (book.length !== m * d) throw new RangeError(`codebook holds ${book.length} floats, need ${m}×${d}`); // prettier-ignore
      return guard(async () => {
        const partial = await pass(book, config.epochs + 1);
        if (!partial) return null;
        return {
          quantizationError: partial.qeSum / trainingRows,
          topographicError: partial.teCount / trainingRows,
        };
      });
    },
    snapshot() {
      return { grid, dim: d, codebook: codebook.slice(), config, epoch, history: history.slice() };
    },
  };
}
