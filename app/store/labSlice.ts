/**
 * The lab slice: the long measurements of the robustness lab and the claim check, run in the
 * lab worker (app/workers/labClient.ts), with progress. Results stay here, so they survive a
 * switch to another tab, and each remembers the encoding it was measured on: when the map, K
 * or the dataset changes, views show the result as out of date rather than silently wrong.
 *
 *   labCurves / labClaims / labCounts / labNovelty / labHoldout: LabJobState   status, result, …
 *   measureCurves(options) · checkClaimsNow(options) · measureOverlapCounts(options) ·
 *   scoreNoveltyNow() · measureHoldout(rows, seed) · cancelLab(job)
 *   isCurrent(job, encoding): is this result measured on `encoding`?
 */
import type { StateCreator } from 'zustand';
import type { ClaimsReport, HoldoutResult, NoveltyReport, NoveltySource } from '../../src/index.ts';
import { LabCancelledError, type LabJob } from '../workers/labClient.ts';
import type { LabJobs } from '../services/labJobs.ts';
import type { AppState } from './state.ts';
import type { MapEncoding } from './mapSlice.ts';
import { type OverlapDistribution, type RobustnessCurves } from '../../src/index.ts';
import { errorMessage } from '../../src/index.ts';

type LabStatus = 'idle' | 'running' | 'done' | 'error' | 'cancelled';

export interface LabJobState<T> {
  readonly status: LabStatus;
  /** Steps done and in all; 0 of 0 before the first report. */
  readonly done: number;
  readonly total: number;
  /** What is being measured now, for the status line. */
  readonly stage: string;
  /** The last finished result (kept while a new run goes on), or null. */
  readonly result: T | null;
  /** The encoding `result` was measured on (identity), or null. */
  readonly source: MapEncoding | null;
  readonly error: string | null;
}

/** What a measurement run is asked to do. */
interface LabRunOptions {
  /** Items measured; default 200, from 10 to 5,000 (capped at the dataset's size). */
  readonly sample?: number;
  /** Seed of every random draw; default 1, any whole number. */
  readonly seed?: number;
}

export interface LabSlice {
  labCurves: LabJobState<RobustnessCurves>;
  labClaims: LabJobState<ClaimsReport>;
  labCounts: LabJobState<OverlapDistribution>;
  /** Robustness curves (levels 0 to 0.5, all kinds of noise) over the current encoding. */
  measureCurves: (options?: LabRunOptions) => Promise<void>;
  /** The four claims on the current map and dataset. */
  checkClaimsNow: (options?: LabRunOptions) => Promise<void>;
  /** Overlap counts of sampled items against the rest (for the measured false-match rate). */
  measureOverlapCounts: (options?: LabRunOptions) => Promise<void>;
  /** The recommended novelty score (centred kNN) of every item, when the map keeps what it needs. */
  labNovelty: LabJobState<NoveltyReport>;
  /** Score the items with the recommended novelty score in the lab worker (noveltyReference). */
  scoreNoveltyNow: () => Promise<void>;
  /** The novelty hold-out check: the map retrained without some rows, their AUC per score. */
  labHoldout: LabJobState<HoldoutResult>;
  /**
   * Retrain the map (its own settings) without `rows` of the dataset and measure, per novelty
   * score, how well they stand out from unseen rows of the rest (src/eval/noveltyHoldout.ts).
   */
  measureHoldout: (rows: readonly number[], seed?: number) => Promise<void>;
  /** Stop a running measurement at once; the last finished result is kept. */
  cancelLab: (job: LabJob) => void;
}

type LabJobKey = 'labCurves' | 'labClaims' | 'labCounts' | 'labNovelty' | 'labHoldout';

const KEYS: Record<LabJob, LabJobKey> = {
  curves: 'labCurves',
  claims: 'labClaims',
  counts: 'labCounts',
  novelty: 'labNovelty',
  holdout: 'labHoldout',
};

function idleJob<T>(): LabJobState<T> {
  return {
    status: 'idle',
    done: 0,
    total: 0,
    stage: '',
    result: null,
    source: null,
    error: null,
  };
}

/** True when `job` holds a result measured on exactly this encoding. */
export function isCurrent<T>(job: LabJobState<T>, encoding: MapEncoding | null): boolean {
  return job.result !== null && encoding !== null && job.source === encoding;
}

/**
 * Whether the current map was trained on the current items (so they are not held out): a map
 * trained here on as many inputs as there are items. A heuristic, said as such in the verdict.
 */
export function itemsTrainedMap(s: AppState): boolean {
  return s.mapSource?.kind === 'trained' && s.map?.training.inputs === s.items.length;
}

/**
 * What the current map keeps of its training for the recommended novelty score: its training
 * mean and its training rows — the items stored in the map file, or, for a map trained in this
 * page, the dataset rows it was trained on (the first `training.inputs` rows: items added later
 * come after them). Null, with the reason, when it lacks either.
 */
export function noveltyReference(
  s: Pick<AppState, 'map' | 'mapSource' | 'embeddings' | 'embeddingDim' | 'items'>,
): { source: NoveltySource } | { missing: string } {
  const map = s.map;
  if (!map) return { missing: 'there is no map' };
  if (!map.trainingMean) {
    return { missing: 'this map was saved without its training mean (a map file older than 1.1)' };
  }
  const d = map.som.dim;
  const stored = map.items?.embeddings;
  if (stored && stored.length >= 2 * d) {
    return { source: { som: map.som, mean: map.trainingMean, reference: stored } };
  }
  if (s.mapSource?.kind === 'trained' && s.embeddingDim === d) {
    const rows = Math.min(map.training.inputs, s.items.length, s.embeddings.length / d);
    if (rows >= 2) {
      const reference = s.embeddings.subarray(0, rows * d);
      return { source: { som: map.som, mean: map.trainingMean, reference } };
    }
  }
  return { missing: 'this map does not keep the embeddings it was trained on' };
}

/** True when `job`'s result was measured on this map and these embeddings (K plays no part). */
export function isCurrentNovelty<T>(job: LabJobState<T>, encoding: MapEncoding | null): boolean {
  return (
    job.result !== null &&
    encoding !== null &&
    job.source !== null &&
    job.source.map.som === encoding.map.som &&
    job.source.embeddings === encoding.embeddings
  );
}

/** The lab slice, running its measurements through `jobs` (app/services/labJobs.ts). */
export const createLabSlice =
  (jobs: LabJobs): StateCreator<AppState, [], [], LabSlice> =>
  (set, get) => {
    async function run<T>(
      job: LabJob,
      work: (
        encoding: MapEncoding,
        onProgress: (done: number, total: number, stage?: string) => void,
      ) => Promise<T>,
    ): Promise<void> {
      const key = KEYS[job];
      const encoding = get().encoding;
      const map = get().map;
      if (!encoding || !map || encoding.map.som !== map.som || encoding.k !== get().k) {
        get().notify('error', 'Your items are not encoded on the current map yet: wait a moment.');
        return;
      }
      if (encoding.n < 3) {
        get().notify('error', 'Measurements need at least 3 items in your dataset.');
        return;
      }
      const runId = jobs.start(job);
      const update = (patch: Partial<LabJobState<unknown>>) => {
        if (!jobs.isLatest(job, runId)) return;
        set((s) => ({ [key]: { ...s[key], ...patch } }) as Partial<AppState>);
      };
      update({ status: 'running', done: 0, total: 0, stage: 'Starting…', error: null });
      try {
        const result = await work(encoding, (done, total, stage) =>
          update({ done, total, ...(stage !== undefined ? { stage } : {}) }),
        );
        update({ status: 'done', result, source: encoding, stage: '' });
      } catch (error) {
        if (!jobs.isLatest(job, runId)) return;
        if (error instanceof LabCancelledError) {
          update({ status: 'cancelled', stage: '' });
          return;
        }
        update({ status: 'error', error: errorMessage(error), stage: '' });
        get().notify('error', `The measurement failed: ${errorMessage(error)}`);
      }
    }

    return {
      labCurves: idleJob(),
      labClaims: idleJob(),
      labCounts: idleJob(),
      labNovelty: idleJob(),
      labHoldout: idleJob(),

      measureCurves: (options = {}) =>
        run('curves', (encoding, onProgress) =>
          jobs.client('curves').curves(
            {
              som: encoding.map.som,
              data: encoding.embeddings,
              n: encoding.n,
              k: encoding.k,
              active: encoding.active,
            },
            { sample: options.sample ?? 200, seed: options.seed ?? 1 },
            (done, total) => onProgress(done, total, `Measured ${done} of ${total} curve points`),
          ),
        ),

      checkClaimsNow: (options = {}) =>
        run('claims', (encoding, onProgress) =>
          jobs.client('claims').claims(
            {
              som: encoding.map.som,
              data: encoding.embeddings,
              n: encoding.n,
              k: encoding.k,
              active: encoding.active,
              itemsInTraining: itemsTrainedMap(get()),
            },
            { sample: options.sample ?? 200, seed: options.seed ?? 1 },
            onProgress,
          ),
        ),

      measureOverlapCounts: (options = {}) =>
        run('counts', (encoding) =>
          jobs.client('counts').overlapCounts({
            grid: encoding.map.som.grid,
            k: encoding.k,
            active: encoding.active,
            sample: options.sample ?? 200,
            seed: options.seed ?? 1,
          }),
        ),

      scoreNoveltyNow: () =>
        run('novelty', (encoding) => {
          const reference = noveltyReference(get());
          if ('missing' in reference) {
            return Promise.reject(new Error(`No centred kNN score: ${reference.missing}.`));
          }
          return jobs.client('novelty').novelty({
            source: reference.source,
            data: encoding.embeddings,
            n: encoding.n,
          });
        }),

      measureHoldout: (rows, seed) =>
        run('holdout', (encoding) => {
          const { grid, epochs, seed: mapSeed, init, radiusStart, radiusEnd } = encoding.map.training; // prettier-ignore
          return jobs.client('holdout').holdout({
            data: encoding.embeddings,
            n: encoding.n,
            d: encoding.map.som.dim,
            rows: Uint32Array.from(rows),
            config: { grid, epochs, seed: mapSeed, init, radiusStart, radiusEnd },
            ...(seed !== undefined ? { seed } : {}),
          });
        }),

      cancelLab: (job) => {
        const key = KEYS[job];
        if (get()[key].status !== 'running') return;
        jobs.cancel(job);
        set((s) => ({ [key]: { ...s[key], status: 'cancelled', stage: '' } }) as Partial<AppState>);
      },
    };
  };
