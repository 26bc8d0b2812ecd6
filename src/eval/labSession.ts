/**
 * The lab session behind the page's lab worker (app/workers/lab.worker.ts, a thin comlink door),
 * DOM-free so Node tests call it directly: the heavy measurements of the robustness lab and the
 * claim check (robustness.ts, claims.ts), with progress sent back through a callback.
 */
import type { Grid } from '../grid/grid.ts';
import { OverlapIndex } from '../sdr/overlapIndex.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { scoreNovelty, type NoveltyReport, type NoveltySource } from '../encode/noveltyScores.ts';
import type { TrainConfig } from '../som/types.ts';
import { noveltyHoldout, type HoldoutResult } from './noveltyHoldout.ts';
import {
  checkClaims,
  type ClaimsInput,
  type ClaimsOptions,
  type ClaimsProgress,
  type ClaimsReport,
} from './claims.ts';
import { MeasureError } from './errors.ts';
import { overlapDistribution, type OverlapDistribution } from './overlapDistribution.ts';
import {
  measureRobustness,
  type RobustnessCurves,
  type RobustnessInput,
  type RobustnessOptions,
} from './robustness.ts';

/** The stored SDRs of a dataset, for the measured false-match rate. */
export interface OverlapCountsRequest {
  readonly grid: Grid;
  readonly k: number;
  /** n·k SDR rows (ascending). */
  readonly active: Uint32Array;
  /** Queries drawn from the items; default 200, from 1 to n (capped at n). */
  readonly sample?: number;
  /** Seed of the draw; default 1. */
  readonly seed?: number;
}

export interface LabWorkerApi {
  /** Robustness curves over the dataset (src/eval/robustness.ts). */
  curves(
    input: RobustnessInput,
    options: RobustnessOptions,
    onProgress?: (done: number, total: number) => void,
  ): Promise<RobustnessCurves>;
  /** The four claims, measured (src/eval/claims.ts). */
  claims(
    input: ClaimsInput,
    options: ClaimsOptions,
    onProgress?: ClaimsProgress,
  ): Promise<ClaimsReport>;
  /** How many items overlap sampled items by each amount (for "measured ≥ θ"). */
  overlapCounts(request: OverlapCountsRequest): Promise<OverlapDistribution>;
  /** The recommended novelty score of n rows, calibrated on the map's stored rows (noveltyScores.ts). */
  novelty(request: NoveltyRequest): Promise<NoveltyReport>;
  /** Retrain without some rows and measure how novel they look (noveltyHoldout.ts). */
  holdout(request: HoldoutRequest): Promise<HoldoutResult>;
}

/** "Would the map notice these rows if it had never seen them?" */
export interface HoldoutRequest {
  /** n·d unit-length rows: the whole dataset. */
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  /** Rows left out of training (ascending or not; at least 2). */
  readonly rows: Uint32Array;
  /** The map's own training settings, so the check retrains the map people look at. */
  readonly config: TrainConfig;
  /** Seed of the split; default the config's seed. */
  readonly seed?: number;
}

/** Rows to score for novelty against what a map keeps of its training. */
export interface NoveltyRequest {
  readonly source: NoveltySource;
  /** n·d unit-length rows. */
  readonly data: Float32Array;
  readonly n: number;
}

export function createLabWorkerApi(): LabWorkerApi {
  return {
    async curves(input, options, onProgress) {
      return measureRobustness(input, options, onProgress);
    },
    async claims(input, options, onProgress) {
      return checkClaims(input, options, onProgress);
    },
    async overlapCounts({ grid, k, active, sample = 200, seed = 1 }) {
      if (!Number.isSafeInteger(k) || k < 1 || active.length % k !== 0) {
        throw new MeasureError(`${active.length} indices do not split into SDRs of K = ${k}`);
      }
      const n = active.length / k;
      if (n < 2) throw new MeasureError('the measured rate needs at least 2 items');
      if (!Number.isSafeInteger(sample) || sample < 1) {
        throw new MeasureError(`the sample size must be a whole number ≥ 1, got ${sample}`);
      }
      const index = new OverlapIndex(grid);
      index.addMany(active, k);
      const ids = sampleWithoutReplacement(createRng(seed), n, Math.min(n, sample));
      const queries = Array.from(ids, (id) =>
        sdrFromSorted(grid, active.subarray(id * k, (id + 1) * k)),
      );
      return overlapDistribution(index, queries, Int32Array.from(ids), k);
    },
    async novelty({ source, data, n }) {
      return scoreNovelty(source, data, n);
    },
    async holdout({ data, n, d, rows, config, seed }) {
      const held = new Uint8Array(n);
      for (const r of rows) if (r < n) held[r] = 1;
      return noveltyHoldout(data, n, d, (i) => held[i] === 1, config, seed !== undefined ? { seed } : {}); // prettier-ignore
    },
  };
}
