/**
 * `sdr train <embeddings> --out map.sdrmap`: train a SOM on an embeddings file and save it with
 * everything the page needs: calibration, item SDRs and labels, unit labels. The map itself comes
 * from the engine's one pipeline (src/map fitMap, also behind the page's train worker, which
 * holds the hold-out calibration rule); this file adds option parsing, the file-size check,
 * progress lines and the file I/O. Defaults and ranges come from src/map/defaults.ts.
 */
import {
  DEFAULT_EPOCHS,
  DEFAULT_GRID_SIDE,
  DEFAULT_HOLDOUT,
  DEFAULT_INIT,
  DEFAULT_MAP_FILE_LIMITS,
  DEFAULT_SEED,
  DEFAULT_TOPOLOGY,
  EPOCHS,
  FitStoppedError,
  GRID_SIDE,
  HOLDOUT,
  INIT_METHODS,
  MIN_HOLDOUT_ROWS,
  MIN_RADIUS,
  SEED,
  TOPOLOGIES,
  defaultGrid,
  defaultK,
  defaultTrainConfig,
  encodeMapFile,
  fitMap,
  gridSize,
  maxRadius,
  parseGridSpec,
  type FitResult,
  type Grid,
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
import { keepOnInterrupt } from './interrupt.ts';
import { capWorkers, checkTrainInput, mapName, modelId, preflightTrain } from './validate.ts';
import { loadEmbeddings, writeOutputFile, type LoadedEmbeddings } from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel, type Kernel } from './kernel.ts';
import { errorMessage } from '../util/errorMessage.ts';
import {
  CHUNK_ROWS_OPTION,
  STREAM_THRESHOLD_BYTES,
  shouldStream,
  trainStreamed,
} from './trainStream.ts';

/** What a map keeps of each input row (--items). */
const ITEM_CHOICES = ['full', 'sdr', 'none'] as const;
type ItemChoice = (typeof ITEM_CHOICES)[number];

/** --items, with --no-embeddings as the older spelling of `sdr`; default full. */
function getItems(args: ParsedArgs): ItemChoice {
  const items = getChoice(args, 'items', ITEM_CHOICES, 'full');
  if (getFlag(args, 'no-embeddings')) {
    if (getString(args, 'items') !== undefined && items !== 'sdr') {
      throw new CliError(`--no-embeddings and --items ${items} ask for different things`);
    }
    return 'sdr';
  }
  return items;
}

const SPEC = {
  out: { type: 'string', help: 'the .sdrmap file to write (required)' },
  labels: { type: 'string', help: 'labels file, one per row (default: labels in the embeddings file, else row numbers)' }, // prettier-ignore
  grid: { type: 'string', help: `map size ROWSxCOLS, each 1 to ${GRID_SIDE.max} (default ${DEFAULT_GRID_SIDE}x${DEFAULT_GRID_SIDE})` }, // prettier-ignore
  topology: { type: 'string', help: `${TOPOLOGIES.join(' or ')} (default ${DEFAULT_TOPOLOGY})` },
  epochs: { type: 'string', help: `batch epochs, ${EPOCHS.min} to ${EPOCHS.max} (default ${DEFAULT_EPOCHS})` }, // prettier-ignore
  seed: { type: 'string', help: `seed for initialisation and the hold-out split (default ${DEFAULT_SEED})` }, // prettier-ignore
  init: { type: 'string', help: `${INIT_METHODS.join(' or ')} (default ${DEFAULT_INIT})` },
  'radius-start': { type: 'string', help: 'neighbourhood σ at the first epoch (default max(rows, cols)/2)' }, // prettier-ignore
  'radius-end': { type: 'string', help: 'neighbourhood σ at the last epoch (default 1.0)' },
  k: { type: 'string', help: 'active units per SDR, 1 to the map size (default about 2% of the units: 20 on 32x32)' }, // prettier-ignore
  workers: {
    type: 'string',
    help: 'worker threads for training, 1 to 64, capped at the cores with a note (default 1)',
  },
  kernel: KERNEL_OPTION,
  holdout: { type: 'string', help: `share of rows held out to calibrate novelty, ${HOLDOUT.min} to ${HOLDOUT.max} (default ${DEFAULT_HOLDOUT}; 0 = calibrate on the training rows)` }, // prettier-ignore
  name: { type: 'string', help: 'map name (default: the embeddings file name)' },
  model: { type: 'string', help: 'id of the embedding model, e.g. Xenova/clip-vit-base-patch32 (default: none)' }, // prettier-ignore
  'no-embeddings': { type: 'boolean', help: 'do not store item embeddings in the map (smaller file; same as --items sdr)' }, // prettier-ignore
  items: { type: 'string', help: 'what the map keeps of each row: full (label, SDR and embedding), sdr (label and SDR) or none (default full; none when streaming)' }, // prettier-ignore
  stream: { type: 'boolean', help: `read a .npy file in chunks, never whole (default: on for .npy files over ${STREAM_THRESHOLD_BYTES / 2 ** 20} MiB); the map stores no items` }, // prettier-ignore
  'chunk-rows': CHUNK_ROWS_OPTION,
  verbose: { type: 'boolean', help: 'time each phase (read, pool start, training, encoding, writing) on stderr' }, // prettier-ignore
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

export interface TrainSettings {
  /**
   * Grid (default 32x32), epochs (default 20), seed (default 1), init (default pca) and σ
   * schedule (default max(rows, cols)/2 → 1.0), validated (src/map/defaults.ts).
   */
  readonly config: TrainConfig;
  /** Active units per SDR, 1 to m; default defaultK(m), about 2% of the units. */
  readonly k: number;
  /** Training threads, 1 to 64 (default 1); above 1 uses the Node worker pool. */
  readonly workers: number;
  /** Matrix kernel; default 'ort'. */
  readonly kernel: Kernel;
  /** Share of rows held out for calibration, 0 to 0.5; default 0.1. */
  readonly holdout: number;
  readonly name: string;
  readonly model: string | null;
  /** Store item embeddings in the map; default true (false with --items sdr or none). */
  readonly embeddings: boolean;
  /** What the map keeps of each row: full, sdr or none (default full). */
  readonly items: ItemChoice;
}

/** Settings from parsed options for a file read from `path`; every bad value is a CliError. */
export function trainSettings(args: ParsedArgs, path: string): TrainSettings {
  const topology = getChoice(args, 'topology', TOPOLOGIES, DEFAULT_TOPOLOGY);
  const spec = getString(args, 'grid');
  let grid: Grid;
  try {
    grid = spec === undefined ? defaultGrid(topology) : parseGridSpec(spec, topology);
  } catch (e) {
    throw new CliError(`--grid: ${errorMessage(e)}`);
  }
  const m = gridSize(grid);
  if (m < 2) throw new CliError(`--grid: a map needs at least 2 units, got ${spec}`);
  const side = maxRadius(grid);
  const has = (name: string) => getString(args, name) !== undefined;
  const name = mapName(args, path);
  const radiusStart = has('radius-start') ? getNumber(args, 'radius-start', 0, MIN_RADIUS, side) : undefined; // prettier-ignore
  const radiusEnd = has('radius-end') ? getNumber(args, 'radius-end', 0, MIN_RADIUS, side) : undefined; // prettier-ignore
  let config: TrainConfig;
  try {
    config = defaultTrainConfig(grid, {
      epochs: getInt(args, 'epochs', DEFAULT_EPOCHS, EPOCHS.min, EPOCHS.max),
      seed: getInt(args, 'seed', DEFAULT_SEED, SEED.min, SEED.max),
      init: getChoice(args, 'init', INIT_METHODS, DEFAULT_INIT),
      ...(radiusStart !== undefined ? { radiusStart } : {}),
      ...(radiusEnd !== undefined ? { radiusEnd } : {}),
    });
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(errorMessage(e));
  }
  return {
    config,
    k: getInt(args, 'k', defaultK(m), 1, m),
    workers: getInt(args, 'workers', 1, 1, 64),
    kernel: getKernel(args),
    holdout: getNumber(args, 'holdout', DEFAULT_HOLDOUT, HOLDOUT.min, HOLDOUT.max),
    name,
    model: modelId(args),
    embeddings: getItems(args) === 'full',
    items: getItems(args),
  };
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
  // --items none: the file holds no per-row data, so the row count does not matter to it.
  if (s.items === 'none') return s;
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
 * Train a map on `input` (unit-length rows) and build the full SdrMap (src/map fitMap) on the
 * kernel and thread count of `s`. Progress goes to `log`; `signal` stops training after the
 * current epoch, keeping what was trained.
 */
export async function trainMap(
  input: LoadedEmbeddings,
  s: TrainSettings,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<FitResult> {
  const { n, d } = input;
  const { config } = s;
  const { grid } = config;
  try {
    const result = await fitMap(input, s, {
      signal,
      kernel: () => createKernelBackend(s.kernel, s.workers),
      pool: async () =>
        s.workers > 1 ? createNodePool({ workers: s.workers, backend: s.kernel }) : null,
      onStart: (plan) => {
        if (s.holdout > 0 && plan.heldOutRows === 0) {
          log(`hold-out of ${Math.round(n * s.holdout)} rows is under ${MIN_HOLDOUT_ROWS}: calibrating on the training rows\n`); // prettier-ignore
        }
        log(
          `training a ${grid.rows}x${grid.cols} ${grid.topology} map on ${plan.trainingRows} of ${n} rows (d = ${d}), ` +
            `${config.epochs} epoch${config.epochs > 1 ? 's' : ''}, σ ${round(config.radiusStart, 2)} → ${round(config.radiusEnd, 2)}, ` +
            `${s.workers} worker${s.workers > 1 ? 's' : ''}, ${s.kernel} kernel\n`,
        );
        if (plan.engine.fallback) log(`note: ${plan.engine.fallback}\n`);
      },
      onEpoch: (report) => {
        log(progressLine(report.epoch, config.epochs, report));
        // A finished epoch exists from here: a second Ctrl-C waits until it is saved.
        keepOnInterrupt('the map of the last finished epoch');
      },
    });
    if (result.stoppedEarly) log(`stopped after epoch ${result.epochsRun} of ${config.epochs}\n`);
    return result;
  } catch (e) {
    if (e instanceof FitStoppedError) throw new CliError(e.message, 130);
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
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
  const path = args.positionals[0];
  await preflightTrain(args, out, path);
  if (await shouldStream(path, args)) {
    return trainStreamed(path, out, args, () => trainSettings(args, path), io);
  }
  const quiet = getFlag(args, 'quiet');
  const log = quiet ? () => undefined : io.stderr;
  const verbose = getFlag(args, 'verbose');
  const phase = (name: string, since: number) => {
    if (verbose) log(`  [${name}: ${Math.round(performance.now() - since)} ms]\n`);
  };
  const t0 = performance.now();
  const input = await loadEmbeddings(path, getString(args, 'labels'));
  phase('read + normalise', t0);
  checkTrainInput(input);
  if (input.n < 2) {
    throw new CliError(
      `training needs at least 2 embeddings, ${path} holds 1 (a 1-D array is read as one embedding)`,
    );
  }
  const asked = trainSettings(args, path);
  log(`read ${input.n} × ${input.d} embeddings from ${path}\n`);
  const settings = fitFileLimits({ ...asked, workers: capWorkers(asked.workers, log) }, input, log);
  let result: FitResult;
  let bytes: Uint8Array;
  try {
    const tTrain = performance.now();
    const trained = await trainMap(input, settings, log, io.signal);
    phase('train, encode items, calibrate, unit labels', tTrain);
    // --items none: the map alone (codebook, calibration, unit labels), the smallest file.
    const kept =
      settings.items === 'none'
        ? { ...trained, map: { ...trained.map, items: undefined } }
        : trained;
    // SOURCE_DATE_EPOCH (reproducible-builds.org): a fixed creation time, so the same inputs
    // give the same bytes (scripts/build-atlas.mjs relies on it).
    const fixedTime = sourceDateEpoch(process.env.SOURCE_DATE_EPOCH);
    result = fixedTime ? { ...kept, map: { ...kept.map, createdAt: fixedTime } } : kept;
    const tWrite = performance.now();
    bytes = encodeMapFile(result.map);
    await writeOutputFile(out, bytes);
    phase('map encode + write', tWrite);
  } finally {
    keepOnInterrupt(null);
  }
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

/**
 * The ISO time of SOURCE_DATE_EPOCH (whole seconds since 1970, as reproducible-builds.org
 * defines it), or null when it is unset or not such a number.
 */
function sourceDateEpoch(value: string | undefined): string | null {
  if (!value || !/^\d{1,12}$/.test(value)) return null;
  return new Date(Number(value) * 1000).toISOString();
}
