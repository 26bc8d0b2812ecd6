/**
 * One map pipeline: embeddings in, a complete SdrMap out. fitMap splits off the held-out
 * calibration rows, trains epoch by epoch on the session object (./session.ts, the same one the
 * page's train worker exposes), and finishes the run there: float16 codebook, final QE/TE from
 * one BMU pass, novelty calibration, unit labels. `sdr train` calls it and adds only its file
 * I/O and progress lines; the page steps the session itself over comlink and builds its map with
 * the same sdrMapOf, so both write the same map from the same run.
 *
 * Calibration (what novelty percentiles are measured against): by default a seeded 10% of the
 * rows is held out of training and calibrated on. Quantisation errors of rows the map was fitted
 * to are optimistic (the map moved towards them), so held-out rows give honest percentiles: a new
 * input from the same distribution lands uniformly in 0–100 rather than skewing high. When 10%
 * would be fewer than 50 rows (inputs below 500) the percentiles of so few would be coarse and
 * the lost training rows matter more, so the map is calibrated on its training rows instead
 * (holdout 0 asks for that always). Every row, held out or not, becomes an item.
 */
import type { SdrMap } from '../io/mapModel.ts';
import type { EpochReport, TrainConfig } from '../som/types.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import {
  createMapSessions,
  type TrainEngine,
  type TrainResult,
  type TrainSessionOptions,
} from './session.ts';

/** Held-out calibration rows below this count fall back to calibrating on the training rows. */
export const MIN_HOLDOUT_ROWS = 50;

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

/** Rows of `data` (n·d) at `rows`, copied into one new array. */
function pickRows(data: Float32Array, d: number, rows: ArrayLike<number>): Float32Array {
  const out = new Float32Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(data.subarray(rows[r] * d, (rows[r] + 1) * d), r * d); // prettier-ignore
  return out;
}

/** What a map is fitted to: n unit-length rows of dimension d, and their labels if known. */
export interface FitInput {
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  /** One label per row; default none (items are then called "row 1", "row 2", …). */
  readonly labels?: readonly string[] | null;
}

export interface FitSettings {
  /** The validated training configuration (grid, epochs, seed, init, σ schedule). */
  readonly config: TrainConfig;
  /** Active units per SDR, 1 to the map's units (src/map/defaults defaultK). */
  readonly k: number;
  /** Share of rows held out to calibrate novelty on, 0 to 0.5 (src/map/defaults HOLDOUT). */
  readonly holdout: number;
  /** Map name, 1 to 200 characters. */
  readonly name: string;
  /** Id of the embedding model; null when unknown. */
  readonly model: string | null;
  /** Store the item embeddings in the map (a bigger file); else only their SDRs. */
  readonly embeddings: boolean;
}

export interface FitHooks extends TrainSessionOptions {
  /** Stops training after the epoch in flight; the map trained so far is finished and kept. */
  readonly signal?: AbortSignal;
  /** Before the first epoch: which rows train and calibrate, and the kernel and pool chosen. */
  readonly onStart?: (plan: FitPlan) => void;
  /** After every epoch; returning false stops training there (the map so far is kept). */
  readonly onEpoch?: (report: EpochReport) => boolean | void;
}

export interface FitPlan {
  /** Rows trained on. */
  readonly trainingRows: number;
  /** Rows held out of training; 0 when calibrating on the training rows. */
  readonly heldOutRows: number;
  readonly engine: TrainEngine;
}

export interface FitResult {
  readonly map: SdrMap;
  /** Epochs run (below config.epochs when stopped early). */
  readonly epochsRun: number;
  readonly stoppedEarly: boolean;
  /** 'holdout' or 'training': which rows calibrated novelty. */
  readonly calibratedOn: 'holdout' | 'training';
  /** The kernel and pool the run ended on, and why not the planned ones if so. */
  readonly engine: TrainEngine;
}

/** Thrown when training stopped before its first epoch finished: there is no map to keep. */
export class FitStoppedError extends Error {
  override readonly name = 'FitStoppedError';
  constructor() {
    super('stopped before the first epoch finished: nothing to save');
  }
}

/** What a map records about how it was made, besides the finished run itself. */
export interface MapMeta {
  readonly name: string;
  readonly model: string | null;
  readonly config: TrainConfig;
  /** Rows trained on. */
  readonly inputs: number;
  /** Items to store with the map (labels, their SDRs, optionally their embeddings); default none. */
  readonly items?: SdrMap['items'];
}

/**
 * The SdrMap of a finished run. `training.epochs` is the epochs that ran (fewer than planned
 * when stopped early); σ start and end are the planned schedule, which the run followed.
 */
export function sdrMapOf(result: TrainResult, meta: MapMeta): SdrMap {
  const { snapshot } = result;
  return {
    name: meta.name,
    createdAt: new Date().toISOString(),
    model: meta.model,
    som: { grid: snapshot.grid, dim: snapshot.dim, codebook: snapshot.codebook },
    training: { ...meta.config, epochs: snapshot.epoch, inputs: meta.inputs },
    quality: result.quality,
    calibration: result.calibration,
    trainingMean: result.trainingMean,
    ...(result.unitLabels ? { unitLabels: result.unitLabels } : {}),
    ...(meta.items ? { items: meta.items } : {}),
  };
}

/**
 * Fit a map to `input` (unit-length rows) and build the full SdrMap: items are every row with
 * its SDR (and embedding when settings.embeddings), unit labels come from the row labels when
 * there are any. Hooks pick the kernel and pool (default: the JS kernel in this thread), see
 * each epoch, and stop early.
 */
export async function fitMap(
  input: FitInput,
  settings: FitSettings,
  hooks: FitHooks = {},
): Promise<FitResult> {
  const { data, n, d } = input;
  const { config } = settings;
  const split = holdoutSplit(n, settings.holdout, config.seed);
  const calibratedOn = split.held.length > 0 ? 'holdout' : 'training';
  const nTrain = split.train.length;
  const trainData = split.held.length > 0 ? pickRows(data, d, split.train) : data;
  if (nTrain < 2) throw new RangeError(`training needs at least 2 rows, got ${nTrain}`);

  const sessions = createMapSessions(hooks);
  try {
    const engine = await sessions.start(1, trainData, nTrain, config);
    hooks.onStart?.({ trainingRows: nTrain, heldOutRows: split.held.length, engine });
    let epochsRun = 0;
    while (epochsRun < config.epochs && !hooks.signal?.aborted) {
      const report = await sessions.step(1);
      epochsRun = report.epoch;
      if (hooks.onEpoch?.(report) === false) break;
    }
    if (epochsRun === 0) throw new FitStoppedError();
    const labels = input.labels ?? Array.from({ length: n }, (_, i) => `row ${i + 1}`);
    const result = await sessions.finish(
      1,
      {
        k: settings.k,
        labels: input.labels ? { vectors: data, names: input.labels } : null,
        items: {
          data,
          n,
          calibrationRows: calibratedOn === 'holdout' ? split.held : undefined,
        },
      },
      epochsRun < config.epochs,
    );
    const map = sdrMapOf(result, {
      name: settings.name,
      model: settings.model,
      config,
      inputs: nTrain,
      items: {
        labels,
        k: result.calibration?.k ?? settings.k,
        sdrs: result.itemSdrs!,
        ...(settings.embeddings ? { embeddings: data } : {}),
      },
    });
    return {
      map,
      epochsRun,
      stoppedEarly: epochsRun < config.epochs,
      calibratedOn,
      engine: result.engine,
    };
  } finally {
    await sessions.dispose();
  }
}
