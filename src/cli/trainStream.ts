/**
 * `sdr train` on `.npy` files larger than memory: the rows are read in chunks, every epoch, and
 * never held all at once (src/som/streamTrainer.ts; the batch map's sums add over chunks).
 *
 * When: with `--stream`, or by itself for a `.npy` file over STREAM_THRESHOLD_BYTES (256 MiB:
 * about 131,000 rows of 512 float32, 262,000 of float16). Below that, reading the whole file
 * keeps every feature (item SDRs and embeddings in the map, unit labels) within a few hundred MB.
 *
 * What differs from in-memory training, and why:
 * - the initial codebook comes from a seeded sample of 10,000 training rows (PCA of the sample);
 * - the hold-out is decided per row by a seeded hash of the row number (share --holdout), so it
 *   needs no list of n row numbers and the same rows are held out on every pass;
 * - calibration uses at most CALIBRATION_MAX_ROWS (100,000) of the held-out rows, chosen by the
 *   same hash, so the map file stays small whatever n is;
 * - the map holds no items (no per-row SDRs, labels or embeddings: 10,000,000 rows would be
 *   hundreds of MB to GB) and so no unit labels; encode the rows with `sdr encode` when needed.
 * Memory is bounded by the chunk size (32 MiB of float32 rows, two buffers, plus the workers'
 * copies), not by n. Ctrl-C drops the epoch in progress and saves the last finished one.
 */
import { stat } from 'node:fs/promises';
import {
  calibrationFromEncoded,
  createInThreadPool,
  encodeBatchWith,
  encodeMapFile,
  gridSize,
  normalizeRows,
  roundTripFloat16,
  type Calibration,
  type EncodedBatch,
  type MatmulBackend,
  type SdrMap,
  type ShardPool,
  type SomModel,
  type TrainConfig,
} from '../index.ts';
import { openNpyRows, rowsPerChunk, type NpyRowReader } from '../io/npyStream.ts';
import { createNodePool } from '../som/node.ts';
import { createStreamTrainer, type RowSource, type StreamProgress } from '../som/streamTrainer.ts';
import { CliError, getFlag, getInt, getString, type OptionSpec, type ParsedArgs } from './args.ts';
import { printJson, round, type CliIo } from './command.ts';
import { extensionOf, writeOutputFile } from './files.ts';
import { createKernelBackend, type Kernel } from './kernel.ts';

/** `.npy` files above this many bytes are streamed without being asked (256 MiB). */
export const STREAM_THRESHOLD_BYTES = 256 * 2 ** 20;

/** Most held-out rows a streamed map is calibrated on. */
const CALIBRATION_MAX_ROWS = 100_000;

/** Held-out rows below this expected count: calibrate on (a sample of) the training rows. */
const MIN_HOLDOUT_ROWS = 50;

/** The `--chunk-rows` option of `sdr train` and `sdr encode`. */
export const CHUNK_ROWS_OPTION: OptionSpec = {
  type: 'string',
  help: 'rows read at a time when streaming, 1 to 1,000,000 (default: 32 MiB of float32, 16,384 rows of 512)', // prettier-ignore
};

/** Rows per streamed chunk: --chunk-rows, or 32 MiB of float32 rows of dimension d. */
export function getChunkRows(args: ParsedArgs, d: number): number {
  return getInt(args, 'chunk-rows', rowsPerChunk(d), 1, 1_000_000);
}

/** Whether `sdr train` should stream `path`: asked with --stream, or a `.npy` file over the threshold. */ // prettier-ignore
export async function shouldStream(path: string, args: ParsedArgs): Promise<boolean> {
  if (getFlag(args, 'stream')) {
    if (extensionOf(path) !== 'npy') {
      throw new CliError(`--stream reads .npy files; ${path} is not one`);
    }
    return true;
  }
  if (extensionOf(path) !== 'npy') return false;
  try {
    const info = await stat(path);
    return info.isFile() && info.size > STREAM_THRESHOLD_BYTES;
  } catch {
    return false; // the ordinary reader says what is wrong with the path
  }
}

/**
 * A number in [0, 1) fixed by (row, seed), uniform over rows: murmur3's 32-bit finaliser of the
 * row number mixed with the seed. Rows below u < share are held out; the same row is held out on
 * every pass without a list of row numbers.
 */
export function rowUniform(row: number, seed: number): number {
  let h = (row >>> 0) ^ Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.floor(row / 2 ** 32);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** The rows of a .npy file, each scaled to unit length as it is read. */
function npySource(reader: NpyRowReader): RowSource {
  const { n, d } = reader;
  const normalise = (out: Float32Array, count: number, first: (r: number) => number) => {
    try {
      normalizeRows(out.subarray(0, count * d), count, d);
    } catch (e) {
      // normalizeRows numbers rows within the chunk: name the row of the file instead.
      if (e instanceof Error && /^row \d+/.test(e.message)) {
        const r = Number(/^row (\d+)/.exec(e.message)?.[1]) - 1;
        throw new CliError(`${reader.path}: ${e.message.replace(/^row \d+/, `row ${first(r) + 1}`)}`); // prettier-ignore
      }
      throw e;
    }
  };
  return {
    n,
    d,
    read(start, count, out) {
      reader.read(start, count, out);
      normalise(out, count, (r) => start + r);
    },
    readAt(rows, out) {
      reader.readAt(rows, out);
      normalise(out, rows.length, (r) => rows[r]);
    },
  };
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/** What trainStreamed needs from `sdr train`'s option parsing (train.ts's TrainSettings). */
export interface StreamSettings {
  readonly config: TrainConfig;
  readonly k: number;
  readonly workers: number;
  readonly kernel: Kernel;
  readonly holdout: number;
  readonly name: string;
  readonly model: string | null;
}

/**
 * Train on `path` by streaming and write the map to `out`. `settingsFor(n)` parses the options
 * once the row count is known (as `sdr train` does for a file it reads whole).
 */
export async function trainStreamed(
  path: string,
  out: string,
  args: ParsedArgs,
  settingsFor: (n: number) => StreamSettings,
  io: CliIo,
): Promise<number> {
  const quiet = getFlag(args, 'quiet');
  const verbose = getFlag(args, 'verbose');
  const log = quiet ? () => undefined : io.stderr;
  const phase = (name: string, since: number) => {
    if (verbose) log(`  [${name}: ${Math.round(performance.now() - since)} ms]\n`);
  };
  if (getString(args, 'labels') !== undefined) {
    throw new CliError('--labels cannot be used when streaming: a streamed map stores no items or unit labels'); // prettier-ignore
  }
  const items = getString(args, 'items');
  if ((items !== undefined && items !== 'none') || getFlag(args, 'no-embeddings')) {
    throw new CliError('a streamed map stores no items (--items none); drop --items/--no-embeddings or train in memory without --stream'); // prettier-ignore
  }
  const t0 = performance.now();
  let reader: NpyRowReader;
  try {
    reader = openNpyRows(path);
  } catch (e) {
    if (e instanceof Error && e.name === 'NpyError') throw new CliError(`${path}: ${e.message}`);
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new CliError(`embeddings file not found: ${path}`);
    if (code === 'EISDIR') throw new CliError(`embeddings file ${path} is a folder, not a file`);
    throw e;
  }
  let pool: ShardPool | null = null;
  let encoder: MatmulBackend | null = null;
  try {
    const { n, d } = reader;
    if (n < 2) throw new CliError(`training needs at least 2 embeddings, ${path} holds ${n}`);
    const s = settingsFor(n);
    const { config } = s;
    const { grid } = config;
    const m = gridSize(grid);
    const seed = config.seed;
    const holdout = n * s.holdout >= MIN_HOLDOUT_ROWS ? s.holdout : 0;
    const calShare = Math.min(holdout > 0 ? holdout : 1, CALIBRATION_MAX_ROWS / n);
    const keep = holdout > 0 ? (row: number) => rowUniform(row, seed) >= holdout : undefined;
    log(
      `streaming ${fmt(n)} × ${d} ${reader.dtype === 'f2' ? 'float16' : reader.dtype === 'f4' ? 'float32' : 'float64'} rows from ${path} ` +
        `(${(reader.fileBytes / 2 ** 30).toFixed(2)} GiB) in chunks of ${fmt(getChunkRows(args, d))} rows; the map stores no items\n`,
    );
    if (s.holdout > 0 && holdout === 0) {
      log(`hold-out of ${Math.round(n * s.holdout)} rows is under ${MIN_HOLDOUT_ROWS}: calibrating on the training rows\n`); // prettier-ignore
    }
    const tPool = performance.now();
    pool =
      s.workers > 1
        ? await createNodePool({ workers: s.workers, backend: s.kernel })
        : createInThreadPool(await createKernelBackend(s.kernel, 1));
    encoder = await createKernelBackend(s.kernel, s.workers);
    phase('pool start', tPool);

    const source = npySource(reader);
    let lastLine = 0;
    let epochsLeft = config.epochs;
    const onProgress = (p: StreamProgress) => {
      const now = performance.now();
      if (quiet || now - lastLine < 2000 || p.rowsDone === p.rowsTotal) return;
      lastLine = now;
      const left = (p.rowsTotal - p.rowsDone + p.rowsTotal * epochsLeft) / p.rowsPerSecond;
      const label = p.epoch > config.epochs ? 'final pass' : `epoch ${p.epoch}/${config.epochs}`;
      log(
        `  ${label}  ${fmt(p.rowsDone)}/${fmt(p.rowsTotal)} rows  ${fmt(p.rowsPerSecond)} rows/s  ~${duration(left)} left\n`,
      );
    };
    const tInit = performance.now();
    const trainer = await createStreamTrainer(source, config, {
      pool,
      chunkRows: getChunkRows(args, d),
      ...(keep ? { keep } : {}),
      onProgress,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    phase(`initialisation (${config.init} on a sample)`, tInit);
    const nTrain = trainer.trainingRows;
    if (nTrain < 2) throw new CliError(`training needs at least 2 rows, got ${nTrain}`);
    log(
      `training a ${grid.rows}x${grid.cols} ${grid.topology} map on ${fmt(nTrain)} of ${fmt(n)} rows, ` +
        `${config.epochs} epoch${config.epochs > 1 ? 's' : ''}, σ ${round(config.radiusStart, 2)} → ${round(config.radiusEnd, 2)}, ` +
        `${s.workers} worker${s.workers > 1 ? 's' : ''}, ${s.kernel} kernel\n`,
    );
    const w = String(config.epochs).length;
    while (!trainer.done) {
      epochsLeft = config.epochs - trainer.epoch; // this pass, then the final pass
      const r = await trainer.step();
      if (!r) break;
      log(
        `epoch ${String(r.epoch).padStart(w)}/${config.epochs}  σ ${r.radius.toFixed(2).padStart(6)}` +
          `  QE ${r.quantizationError.toFixed(4)}  TE ${r.topographicError.toFixed(4)}` +
          `  ${Math.round(r.ms)} ms  ${fmt((n * 1000) / r.ms)} rows/s\n`,
      );
    }
    const snapshot = trainer.snapshot();
    if (snapshot.epoch === 0) {
      throw new CliError('stopped before the first epoch finished: nothing to save', 130);
    }
    const stoppedEarly = snapshot.epoch < config.epochs;
    const som = { grid, dim: d, codebook: roundTripFloat16(snapshot.codebook) };
    let quality: SdrMap['quality'];
    let calibration: Calibration | null = null;
    if (stoppedEarly) {
      // A second pass over the file after Ctrl-C is not what was asked for: save now, with the
      // last epoch's figures (those of the codebook before its final update).
      log(`stopped after epoch ${snapshot.epoch} of ${config.epochs}: saving without novelty calibration\n`); // prettier-ignore
      const last = snapshot.history[snapshot.history.length - 1];
      quality = { quantizationError: last.quantizationError, topographicError: last.topographicError }; // prettier-ignore
    } else {
      epochsLeft = 0;
      const tFinal = performance.now();
      const final = await trainer.evaluate(som.codebook);
      phase('final QE/TE pass', tFinal);
      if (!final) {
        const last = snapshot.history[snapshot.history.length - 1];
        quality = { quantizationError: last.quantizationError, topographicError: last.topographicError }; // prettier-ignore
      } else {
        quality = final;
        const tCal = performance.now();
        calibration = await calibrateStreamed(source, n, (row) => rowUniform(row, seed) < calShare, encoder, som, s.k); // prettier-ignore
        phase(`calibration (${calibration?.qe.length ?? 0} rows)`, tCal);
      }
    }
    const map: SdrMap = {
      name: s.name,
      createdAt: new Date().toISOString(),
      model: s.model,
      som,
      training: { ...config, inputs: nTrain },
      quality,
      calibration,
    };
    const tWrite = performance.now();
    const bytes = encodeMapFile(map);
    await writeOutputFile(out, bytes);
    phase('map encode + write', tWrite);
    const seconds = (performance.now() - t0) / 1000;
    log(`wrote ${out} (${bytes.length.toLocaleString('en-US')} bytes) in ${seconds.toFixed(1)} s\n`); // prettier-ignore
    printJson(io, {
      out,
      bytes: bytes.length,
      streamed: true,
      grid: `${grid.rows}x${grid.cols}`,
      topology: grid.topology,
      units: m,
      dim: d,
      inputs: n,
      trainingRows: nTrain,
      calibration: { on: holdout > 0 ? 'holdout' : 'training', rows: calibration?.qe.length ?? 0 }, // prettier-ignore
      epochs: snapshot.epoch,
      stoppedEarly,
      seed,
      init: config.init,
      k: s.k,
      workers: s.workers,
      kernel: s.kernel,
      quantizationError: round(quality.quantizationError),
      topographicError: round(quality.topographicError),
      items: 0,
      unitLabels: false,
      seconds: round(seconds, 2),
      rowsPerSecond: Math.round((n * snapshot.epoch) / sumSeconds(snapshot.history)),
    });
    return stoppedEarly ? 130 : 0;
  } finally {
    reader.close();
    await pool?.dispose();
    await encoder?.dispose();
  }
}

function sumSeconds(history: readonly { ms: number }[]): number {
  return history.reduce((t, r) => t + r.ms, 0) / 1000;
}

/** Encode the rows `isCalibration` picks (read by row number, in order) and calibrate on them. */
async function calibrateStreamed(
  source: RowSource,
  n: number,
  isCalibration: (row: number) => boolean,
  encoder: MatmulBackend,
  som: SomModel,
  k: number,
): Promise<Calibration | null> {
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (isCalibration(i)) rows.push(i);
  if (rows.length === 0) return null;
  const { d } = source;
  const batch = 8192;
  const buf = new Float32Array(batch * d);
  const parts: EncodedBatch[] = [];
  for (let at = 0; at < rows.length; at += batch) {
    const picked = Uint32Array.from(rows.slice(at, at + batch));
    await source.readAt(picked, buf);
    parts.push(await encodeBatchWith(encoder, som, buf.subarray(0, picked.length * d), picked.length, { k })); // prettier-ignore
  }
  const total = rows.length;
  const joined: EncodedBatch = {
    k,
    active: new Uint32Array(total * k),
    qe: new Float32Array(total),
    bmu: new Uint32Array(total),
    bestCosine: new Float32Array(total),
  };
  let o = 0;
  for (const p of parts) {
    joined.active.set(p.active, o * k);
    joined.qe.set(p.qe, o);
    joined.bmu.set(p.bmu, o);
    joined.bestCosine.set(p.bestCosine, o);
    o += p.qe.length;
  }
  return calibrationFromEncoded(som.grid, joined);
}
