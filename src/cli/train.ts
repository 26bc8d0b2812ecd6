/**
 * `sdr train <embeddings> --out map.sdrmap`: train a SOM on an embeddings file and save it with
 * everything the page needs: calibration, item SDRs and labels, unit labels.
 *
 * Calibration (what novelty percentiles are measured against): by default a seeded 10% of the
 * rows is held out of training and calibrated on. Quantisation errors of rows the map was fitted
 * to are optimistic (the map moved towards them), so held-out rows give honest percentiles: a new
 * input from the same distribution lands uniformly in 0–100 rather than skewing high. When 10%
 * would be fewer than 50 rows (inputs below 500) the percentiles of so few would be coarse and
 * the lost training rows matter more, so the map is calibrated on its training rows instead
 * (`--holdout 0` asks for that always). Every row, held out or not, becomes an item.
 */
import { basename } from 'node:path';
import {
  DEFAULT_MAP_FILE_LIMITS,
  calibrationFromEncoded,
  createInThreadPool,
  createTrainer,
  createRng,
  defaultTrainConfig,
  encodeBatchWith,
  encodeMapFile,
  gridSize,
  parseGridSpec,
  roundTripFloat16,
  sampleWithoutReplacement,
  type EncodedBatch,
  type Grid,
  type SdrMap,
  type ShardPool,
  type TrainConfig,
} from '../index.ts';
import { createNodePool } from '../som/node.ts';
import {
  CliError,
  getChoice,
  getFlag,
  getInt,
  getNumber,
  getString,
  type ParsedArgs,
} from './args.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  round,
  type CliIo,
  type Command,
} from './command.ts';
import {
  checkOutputFolder,
  loadEmbeddings,
  writeOutputFile,
  type LoadedEmbeddings,
} from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel, type Kernel } from './kernel.ts';
import { nearestItemPerUnit } from '../encode/unitLabels.ts';
import { meanOfRows } from '../encode/noveltyScores.ts';

const SPEC = {
  out: { type: 'string', help: 'the .sdrmap file to write (required)' },
  labels: { type: 'string', help: 'labels file, one per row (default: labels in the embeddings file, else row numbers)' }, // prettier-ignore
  grid: { type: 'string', help: 'map size ROWSxCOLS (default 32x32; 24x24 under 1,000 inputs)' },
  topology: { type: 'string', help: 'rect or hex (default rect)' },
  epochs: { type: 'string', help: 'batch epochs, 1 to 10000 (default 20)' },
  seed: { type: 'string', help: 'seed for initialisation and the hold-out split (default 1)' },
  init: { type: 'string', help: 'pca or random (default pca)' },
  'radius-start': { type: 'string', help: 'neighbourhood σ at the first epoch (default max(rows, cols)/2)' }, // prettier-ignore
  'radius-end': { type: 'string', help: 'neighbourhood σ at the last epoch (default 1.0)' },
  k: { type: 'string', help: 'active units per SDR, 1 to the map size (default 20)' },
  workers: { type: 'string', help: 'worker threads for training, 1 to 64 (default 1)' },
  kernel: KERNEL_OPTION,
  holdout: { type: 'string', help: 'share of rows held out to calibrate novelty, 0 to 0.5 (default 0.1; 0 = calibrate on the training rows)' }, // prettier-ignore
  name: { type: 'string', help: 'map name (default: the embeddings file name)' },
  model: { type: 'string', help: 'id of the embedding model, e.g. Xenova/clip-vit-base-patch32 (default: none)' }, // prettier-ignore
  'no-embeddings': { type: 'boolean', help: 'do not store item embeddings in the map (smaller file)' }, // prettier-ignore
  quiet: { type: 'boolean', help: 'no progress on stderr' },
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr train <embeddings.npy|.csv|.json> --out map.sdrmap [options]',
  'Train a self-organizing map on unit-length embeddings (rows are normalised on reading) and\n' +
    'save it with novelty calibration, item SDRs, and unit labels when labels are known.\n' +
    'One progress line per epoch on stderr; a JSON summary on stdout. Ctrl-C stops after the\n' +
    'current epoch and saves the map trained so far (exit code 130).',
  SPEC,
);

/** Held-out calibration rows below this count fall back to calibrating on the training rows. */
export const MIN_HOLDOUT_ROWS = 50;

/** Map name limit of the file format. */
const MAX_NAME = 200;

export interface TrainSettings {
  /**
   * Grid, epochs (default 20), seed (default 1), init (default pca) and σ schedule (default
   * max(rows, cols)/2 → 1.0), validated. The grid defaults to 32x32, or 24x24 under 1,000 inputs.
   */
  readonly config: TrainConfig;
  /** Active units per SDR, 1 to m; default 20. */
  readonly k: number;
  /** Training threads, 1 to 64 (default 1); above 1 uses the Node worker pool. */
  readonly workers: number;
  /** Matrix kernel; default 'ort'. */
  readonly kernel: Kernel;
  /** Share of rows held out for calibration, 0 to 0.5; default 0.1. */
  readonly holdout: number;
  readonly name: string;
  readonly model: string | null;
  /** Store item embeddings in the map; default true. */
  readonly embeddings: boolean;
}

export interface TrainResult {
  readonly map: SdrMap;
  /** Epochs run (below settings.epochs when stopped early). */
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  /** 'holdout' or 'training': which rows calibrated novelty. */
  readonly calibratedOn: 'holdout' | 'training';
}

/** Default grid for n inputs: 32×32, or 24×24 below 1,000 inputs (fewer inputs than units otherwise starves the map). */
export function defaultGrid(n: number, topology: Grid['topology']): Grid {
  return n < 1000 ? parseGridSpec('24x24', topology) : parseGridSpec('32x32', topology);
}

/** Settings from parsed options for `n` inputs read from `path`; every bad value is a CliError. */
export function trainSettings(args: ParsedArgs, n: number, path: string): TrainSettings {
  const topology = getChoice(args, 'topology', ['rect', 'hex'] as const, 'rect');
  const spec = getString(args, 'grid');
  let grid: Grid;
  try {
    grid = spec === undefined ? defaultGrid(n, topology) : parseGridSpec(spec, topology);
  } catch (e) {
    throw new CliError(`--grid: ${e instanceof Error ? e.message : String(e)}`);
  }
  const m = gridSize(grid);
  if (m < 2) throw new CliError(`--grid: a map needs at least 2 units, got ${spec}`);
  const side = 2 * Math.max(grid.rows, grid.cols);
  const has = (name: string) => getString(args, name) !== undefined;
  const name = getString(args, 'name') ?? basename(path).replace(/\.[^.]+$/, '');
  if (name.trim() === '' || name.length > MAX_NAME) {
    throw new CliError(`--name must be 1 to ${MAX_NAME} characters`);
  }
  const radiusStart = has('radius-start') ? getNumber(args, 'radius-start', 0, 0.01, side) : undefined; // prettier-ignore
  const radiusEnd = has('radius-end') ? getNumber(args, 'radius-end', 0, 0.01, side) : undefined;
  let config: TrainConfig;
  try {
    config = defaultTrainConfig(grid, {
      epochs: getInt(args, 'epochs', 20, 1, 10_000),
      seed: getInt(args, 'seed', 1, 0, 0xffffffff),
      init: getChoice(args, 'init', ['pca', 'random'] as const, 'pca'),
      ...(radiusStart !== undefined ? { radiusStart } : {}),
      ...(radiusEnd !== undefined ? { radiusEnd } : {}),
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  return {
    config,
    k: getInt(args, 'k', Math.min(20, m), 1, m),
    workers: getInt(args, 'workers', 1, 1, 64),
    kernel: getKernel(args),
    holdout: getNumber(args, 'holdout', 0.1, 0, 0.5),
    name,
    model: getString(args, 'model') ?? null,
    embeddings: !getFlag(args, 'no-embeddings'),
  };
}

/** Rows of `data` (n·d) at `rows`, copied into one new array. */
function pickRows(data: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(data.subarray(rows[r] * d, (rows[r] + 1) * d), r * d); // prettier-ignore
  return out;
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

/**
 * Bytes the saved map will take, roughly (float16 codebook and embeddings, u16/u32 SDR indices,
 * labels, calibration): enough to see before training whether it fits the file format's limit.
 */
export function estimateMapBytes(
  m: number,
  d: number,
  n: number,
  k: number,
  labelBytes: number,
  withEmbeddings: boolean,
): number {
  const index = m <= 65_536 ? 2 : 4;
  // Each label is a u32 length and its UTF-8; unit labels are item labels, so average-sized.
  const labels = 4 * (n + m) + labelBytes * (1 + m / n);
  return 2048 + 2 * m * d + n * k * index + labels + 8 * n + (withEmbeddings ? 2 * n * d : 0);
}

/**
 * Whether the map fits the file format's limits: drops item embeddings (with a note) when only
 * they make it too big, and refuses before training when even that is not enough.
 */
function fitFileLimits(
  s: TrainSettings,
  input: LoadedEmbeddings,
  log: (line: string) => void,
): TrainSettings {
  const { n, d } = input;
  const m = gridSize(s.config.grid);
  const { maxBytes, maxItems } = DEFAULT_MAP_FILE_LIMITS;
  if (n > maxItems) {
    throw new CliError(`${n.toLocaleString('en-US')} rows is more than a map file holds (${maxItems.toLocaleString('en-US')} items)`); // prettier-ignore
  }
  const encoder = new TextEncoder();
  const chars = input.labels?.reduce((t, l) => t + encoder.encode(l).length, 0) ?? 8 * n;
  const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
  if (s.embeddings && estimateMapBytes(m, d, n, s.k, chars, true) > maxBytes) {
    log(`note: with item embeddings the map would exceed the ${mib(maxBytes)} file limit; saving it without them
`); // prettier-ignore
    s = { ...s, embeddings: false };
  }
  const bytes = estimateMapBytes(m, d, n, s.k, chars, s.embeddings);
  if (bytes > maxBytes) {
    throw new CliError(`the map would be about ${mib(bytes)}, over the ${mib(maxBytes)} file limit: use fewer rows or a smaller --grid or --k`); // prettier-ignore
  }
  return s;
}

/** Split 0..n−1 into training and held-out rows (both ascending); no hold-out when too few. */
export function holdoutSplit(
  n: number,
  share: number,
  seed: number,
): { train: Uint32Array; held: Uint32Array } {
  const count = Math.round(n * share);
  if (count < MIN_HOLDOUT_ROWS || n - count < 2) {
    return { train: Uint32Array.from({ length: n }, (_, i) => i), held: new Uint32Array(0) };
  }
  // Its own stream (seed + a constant), so the split does not shift with the init's draws.
  const held = sampleWithoutReplacement(createRng((seed + 0x9e3779b9) >>> 0), n, count).sort();
  const isHeld = new Uint8Array(n);
  for (const i of held) isHeld[i] = 1;
  const train = new Uint32Array(n - count);
  for (let i = 0, t = 0; i < n; i++) if (!isHeld[i]) train[t++] = i;
  return { train, held };
}

function progressLine(
  epoch: number,
  epochs: number,
  r: { radius: number; quantizationError: number; topographicError: number; ms: number },
): string {
  const w = String(epochs).length;
  return (
    `epoch ${String(epoch).padStart(w)}/${epochs}  σ ${r.radius.toFixed(2).padStart(6)}` +
    `  QE ${r.quantizationError.toFixed(4)}  TE ${r.topographicError.toFixed(4)}` +
    `  ${Math.round(r.ms)} ms\n`
  );
}

/**
 * Train a map on `input` (unit-length rows) and build the full SdrMap. Progress goes to `log`;
 * `signal` stops training after the current epoch, keeping what was trained.
 */
export async function trainMap(
  input: LoadedEmbeddings,
  s: TrainSettings,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<TrainResult> {
  const { data, n, d } = input;
  const { config } = s;
  const { grid } = config;
  const m = gridSize(grid);
  const split = holdoutSplit(n, s.holdout, config.seed);
  const calibratedOn = split.held.length > 0 ? 'holdout' : 'training';
  const nTrain = split.train.length;
  const trainData = split.held.length > 0 ? pickRows(data, d, split.train) : data;
  if (nTrain < 2) throw new CliError(`training needs at least 2 rows, got ${nTrain}`);
  if (s.holdout > 0 && calibratedOn === 'training') {
    log(`hold-out of ${Math.round(n * s.holdout)} rows is under ${MIN_HOLDOUT_ROWS}: calibrating on the training rows\n`); // prettier-ignore
  }
  log(
    `training a ${grid.rows}x${grid.cols} ${grid.topology} map on ${nTrain} of ${n} rows (d = ${d}), ` +
      `${config.epochs} epoch${config.epochs > 1 ? 's' : ''}, σ ${round(config.radiusStart, 2)} → ${round(config.radiusEnd, 2)}, ` +
      `${s.workers} worker${s.workers > 1 ? 's' : ''}, ${s.kernel} kernel\n`,
  );

  const pool: ShardPool =
    s.workers > 1
      ? await createNodePool({ workers: s.workers, backend: s.kernel })
      : createInThreadPool(await createKernelBackend(s.kernel, 1));
  const encoder = await createKernelBackend(s.kernel, s.workers);
  try {
    const trainer = createTrainer(trainData, nTrain, config, { pool });
    while (!trainer.done && !signal?.aborted) {
      const report = await trainer.step();
      log(progressLine(report.epoch, config.epochs, report));
    }
    const snapshot = trainer.snapshot();
    await trainer.dispose();
    if (snapshot.epoch === 0) {
      throw new CliError('stopped before the first epoch finished: nothing to save', 130);
    }
    const stoppedEarly = snapshot.epoch < config.epochs;
    if (stoppedEarly) log(`stopped after epoch ${snapshot.epoch} of ${config.epochs}\n`);
    // The map file stores the codebook as float16 (half the size). Rounding it before anything
    // is measured or encoded makes the saved map give exactly the SDRs and figures reported here.
    const som = { grid, dim: d, codebook: roundTripFloat16(snapshot.codebook) };
    // The trainer's last report describes the codebook before its final update; measure the
    // map that is saved with one more pass of the same pool.
    const final = await pool.run(som.codebook, m, grid);

    const encoded = await encodeBatchWith(encoder, som, data, n, { k: s.k });
    const calRows = calibratedOn === 'holdout' ? split.held : split.train;
    const calibration = calibrationFromEncoded(grid, pickEncoded(encoded, calRows));
    const labels = input.labels ?? Array.from({ length: n }, (_, i) => `row ${i + 1}`);
    let unitLabels: string[] | undefined;
    if (input.labels) {
      const nearest = await nearestItemPerUnit(encoder, som, data, n);
      unitLabels = Array.from(nearest, (i) => labels[i]);
    }
    const map: SdrMap = {
      name: s.name,
      createdAt: new Date().toISOString(),
      model: s.model,
      som,
      // The schedule as planned, even when stopped early (σ followed it epoch by epoch).
      training: { ...config, inputs: nTrain },
      quality: {
        quantizationError: final.qeSum / nTrain,
        topographicError: final.teCount / nTrain,
      },
      calibration,
      // The centred novelty scores and the hold-out check subtract it (src/encode/noveltyScores.ts).
      trainingMean: meanOfRows(trainData, nTrain, d),
      ...(unitLabels ? { unitLabels } : {}),
      items: {
        labels,
        k: s.k,
        sdrs: encoded.active,
        ...(s.embeddings ? { embeddings: data } : {}),
      },
    };
    return { map, epochsRun: snapshot.epoch, stoppedEarly, calibratedOn };
  } finally {
    await pool.dispose();
    await encoder.dispose();
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  if (args.positionals.length !== 1) {
    throw new CliError(
      `train takes one embeddings file, got ${args.positionals.length === 0 ? 'none' : args.positionals.join(' ')}`,
    );
  }
  const out = getString(args, 'out');
  if (out === undefined) throw new CliError('train needs --out FILE.sdrmap: where to save the map');
  await checkOutputFolder(out);
  const path = args.positionals[0];
  const quiet = getFlag(args, 'quiet');
  const log = quiet ? () => undefined : io.stderr;
  const t0 = performance.now();
  const input = await loadEmbeddings(path, getString(args, 'labels'));
  if (input.n < 2) {
    throw new CliError(
      `training needs at least 2 embeddings, ${path} holds 1 (a 1-D array is read as one embedding)`,
    );
  }
  const asked = trainSettings(args, input.n, path);
  log(`read ${input.n} × ${input.d} embeddings from ${path}\n`);
  const settings = fitFileLimits(asked, input, log);
  const result = await trainMap(input, settings, log, io.signal);
  const bytes = encodeMapFile(result.map);
  await writeOutputFile(out, bytes);
  const seconds = (performance.now() - t0) / 1000;
  log(`wrote ${out} (${bytes.length.toLocaleString('en-US')} bytes) in ${seconds.toFixed(1)} s\n`);
  const { map } = result;
  const { grid } = settings.config;
  printJson(io, {
    out,
    bytes: bytes.length,
    grid: `${grid.rows}x${grid.cols}`,
    topology: grid.topology,
    units: gridSize(grid),
    dim: input.d,
    inputs: input.n,
    trainingRows: map.training.inputs,
    calibration: { on: result.calibratedOn, rows: map.calibration?.qe.length ?? 0 },
    epochs: result.epochsRun,
    stoppedEarly: result.stoppedEarly,
    seed: settings.config.seed,
    init: settings.config.init,
    k: settings.k,
    workers: settings.workers,
    kernel: settings.kernel,
    quantizationError: round(map.quality.quantizationError),
    topographicError: round(map.quality.topographicError),
    items: map.items?.labels.length ?? 0,
    unitLabels: map.unitLabels !== undefined,
    seconds: round(seconds, 2),
  });
  return result.stoppedEarly ? 130 : 0;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a map on an embeddings file and save it as .sdrmap',
  run,
};
