/**
 * How well SDR neighbours survive noise, measured over a seeded sample of stored items, against
 * the same question asked of dense CLIP vectors under matched noise.
 *
 * For each sampled item and each noise level, the item's code is corrupted and the question is
 * "is its nearest other item still the same?" (top-1 agreement) and "how many of its 10 nearest
 * are still among the 10 nearest?" (top-N agreement). Neighbours of SDRs are by overlap
 * (OverlapIndex; ties to the lower id), neighbours of embeddings by cosine. Five kinds of noise:
 *
 * - `move`: a fraction ε of the active cells moved elsewhere (src/sdr/noise.ts moveNoise);
 * - `drop`: a fraction ε of the active cells switched off (dropNoise);
 * - `flip`: every cell of the grid flipped with probability ε·K/m (flipNoise), so ε·K cells
 *   flip on average, as many as `move` moves; but they fall anywhere, so nearly all of them are
 *   inactive cells switching on (an active cell is hit only with probability ε·K/m) and the
 *   overlap with the original barely drops: stray extra cells rarely coincide with any item;
 * - `embedding`: the embedding pushed to cosine 1 − ε (src/eval/embeddingNoise.ts) and encoded
 *   again on the map, so the noise passes through the encoder as a real input's would;
 * - `dense`: the same noisy embeddings, with neighbours by cosine: the dense baseline. At level
 *   ε both `move` and `dense` keep exactly 1 − ε similarity to the original.
 *
 * Steppable (create → step → result), one (kind, level) per step, so a worker reports progress
 * and the main thread could run it in slices.
 */
import { gridSize } from '../grid/grid.ts';
import { encodeBatch } from '../encode/encode.ts';
import { overlapSorted } from '../sdr/algebra.ts';
import { dropNoise, flipNoise, moveNoise } from '../sdr/noise.ts';
import { OverlapIndex } from '../sdr/overlapIndex.ts';
import { sdrFromSorted, type SDR } from '../sdr/sdr.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, sampleWithoutReplacement, type Rng } from '../util/random.ts';
import { rowHas, sameNearest, sharedShare } from './agreement.ts';
import { denseNeighbours } from './denseNeighbours.ts';
import { addEmbeddingNoise, checkNoiseLevel } from './embeddingNoise.ts';
import { MeasureError } from './errors.ts';
import { overlapNeighboursInto } from './overlapNeighbours.ts';

export type NoiseFamily = 'move' | 'drop' | 'flip' | 'embedding' | 'dense';

export const NOISE_FAMILIES: readonly NoiseFamily[] = [
  'move',
  'drop',
  'flip',
  'embedding',
  'dense',
];

/** Levels 0, 0.05, …, 0.5. */
export const DEFAULT_NOISE_LEVELS: readonly number[] = Array.from({ length: 11 }, (_, i) => i / 20);

export interface RobustnessInput {
  /** The map: its grid, and its codebook to encode noisy embeddings again. */
  readonly som: SomModel;
  /** n·d unit-length embeddings, row i is item i. */
  readonly data: Float32Array;
  readonly n: number;
  /** Active units per SDR. */
  readonly k: number;
  /** n·k unit indices, row i (ascending) is item i's SDR on `som` at K = k. */
  readonly active: Uint32Array;
}

export interface RobustnessOptions {
  /** Noise levels ε; default 0, 0.05, …, 0.5. Each from 0 to 1. */
  readonly levels?: readonly number[];
  /** Items measured (drawn without replacement); default 200, from 1 to n (capped at n). */
  readonly sample?: number;
  /** Neighbours compared per item; default 10, from 1 to n − 1 (capped at n − 1). */
  readonly topN?: number;
  /** Seed of the sample and of every noise draw; default 1, any integer. */
  readonly seed?: number;
  /** Kinds of noise to measure; default all five. */
  readonly families?: readonly NoiseFamily[];
}

/** One kind of noise across the levels (arrays parallel to `levels`). */
export interface FamilyCurve {
  /** Mean similarity to the original: overlap / K for SDRs, cosine for dense vectors. */
  readonly similarity: Float64Array;
  /** Share of items whose nearest other item is unchanged by the noise. */
  readonly top1: Float64Array;
  /** Mean share of an item's clean top-N neighbours still in its noisy top-N. */
  readonly topN: Float64Array;
}

export interface RobustnessCurves {
  readonly levels: Float64Array;
  /** Items measured. */
  readonly sample: number;
  /** Items stored (the neighbour pool). */
  readonly n: number;
  readonly k: number;
  /** Units of the map. */
  readonly m: number;
  readonly topN: number;
  readonly seed: number;
  readonly families: Partial<Record<NoiseFamily, FamilyCurve>>;
  /** Share of measured items whose overlap top-1 (no noise) is in their dense-cosine top-N. */
  readonly overlapTop1InDenseTopN: number;
  /** Share of measured items whose best overlap is shared by another item (a tie for top-1). */
  readonly overlapTop1Tied: number;
}

export interface RobustnessRun {
  /** Steps in all: one per (kind, level). */
  readonly total: number;
  /** Steps done so far. */
  readonly done: number;
  /** Do the next step; false once all are done. */
  step(): boolean;
  /** The curves; levels not yet measured read NaN. */
  result(): RobustnessCurves;
}

function checkWhole(name: string, v: number, lo: number): number {
  if (!Number.isSafeInteger(v) || v < lo) {
    throw new MeasureError(`${name} must be a whole number ≥ ${lo}, got ${String(v)}`);
  }
  return v;
}

/** A seed per (kind of draw, level) so each curve is the same whichever others are measured. */
function stepRng(seed: number, stream: number, level: number): Rng {
  return createRng(
    (seed ^ Math.imul(stream + 1, 0x9e3779b1) ^ Math.imul(level + 1, 0x85ebca6b)) >>> 0,
  );
}

/**
 * Begin a measurement: the sample and its clean neighbour lists (by overlap and by cosine) are
 * made here, O(sample · n · d); each `step` then measures one kind of noise at one level.
 */
export function createRobustnessRun(
  input: RobustnessInput,
  options: RobustnessOptions = {},
): RobustnessRun {
  const { som, data, n, k, active } = input;
  const grid = som.grid;
  const m = gridSize(grid);
  const d = som.dim;
  checkWhole('the item count', n, 2);
  checkWhole('K', k, 1);
  if (k > m) throw new MeasureError(`K (${k}) exceeds the map's ${m} units`);
  if (active.length !== n * k) {
    throw new MeasureError(`the SDR rows hold ${active.length} indices, not ${n}×${k}`);
  }
  if (data.length !== n * d) {
    throw new MeasureError(`the embeddings hold ${data.length} numbers, not ${n}×${d}`);
  }
  const levels = Float64Array.from(options.levels ?? DEFAULT_NOISE_LEVELS);
  if (levels.length === 0) throw new MeasureError('give at least one noise level');
  for (const level of levels) checkNoiseLevel(level);
  const sample = Math.min(n, checkWhole('the sample size', options.sample ?? 200, 1));
  const topN = Math.min(n - 1, checkWhole('topN', options.topN ?? 10, 1));
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed))
    throw new MeasureError(`the seed must be a whole number, got ${seed}`);
  const families = [...new Set(options.families ?? NOISE_FAMILIES)];
  for (const f of families) {
    if (!NOISE_FAMILIES.includes(f)) throw new MeasureError(`unknown kind of noise "${String(f)}"`);
  }

  const index = new OverlapIndex(grid);
  index.addMany(active, k);
  const queryIds = sampleWithoutReplacement(createRng(seed), n, sample);
  const exclude = Int32Array.from(queryIds);
  const sdrOf = (id: number): SDR => sdrFromSorted(grid, active.subarray(id * k, (id + 1) * k));
  const queryRows = new Float32Array(sample * d);
  for (let s = 0; s < sample; s++) {
    queryRows.set(data.subarray(queryIds[s] * d, (queryIds[s] + 1) * d), s * d);
  }

  // Clean neighbour lists: by overlap (one more, to see ties for first) and by cosine.
  const cleanOverlap = new Int32Array(sample * topN);
  const tieProbe = new Int32Array(2);
  const tieOverlaps = new Uint32Array(2);
  let tied = 0;
  for (let s = 0; s < sample; s++) {
    const q = sdrOf(queryIds[s]);
    overlapNeighboursInto(index, q, topN, queryIds[s], cleanOverlap, s * topN);
    overlapNeighboursInto(index, q, 2, queryIds[s], tieProbe, 0, tieOverlaps);
    if (tieProbe[1] >= 0 && tieOverlaps[0] === tieOverlaps[1]) tied++;
  }
  const cleanDense = denseNeighbours(data, n, d, queryRows, sample, topN, exclude).ids;
  let inDense = 0;
  for (let s = 0; s < sample; s++) {
    if (rowHas(cleanDense, s * topN, topN, cleanOverlap[s * topN])) inDense++;
  }

  const curves: Partial<Record<NoiseFamily, FamilyCurve>> = {};
  for (const f of families) {
    curves[f] = {
      similarity: new Float64Array(levels.length).fill(Number.NaN),
      top1: new Float64Array(levels.length).fill(Number.NaN),
      topN: new Float64Array(levels.length).fill(Number.NaN),
    };
  }
  const tasks: { family: NoiseFamily; level: number }[] = [];
  for (const family of families) {
    for (let level = 0; level < levels.length; level++) tasks.push({ family, level });
  }
  let done = 0;
  const noisyIds = new Int32Array(sample * topN);

  /** Score the noisy neighbour lists in `noisyIds` against `clean` into the curve at `level`. */
  const score = (curve: FamilyCurve, level: number, clean: Int32Array, similaritySum: number) => {
    let top1 = 0;
    let shared = 0;
    for (let s = 0; s < sample; s++) {
      if (sameNearest(clean, s * topN, noisyIds, s * topN)) top1++;
      shared += sharedShare(clean, s * topN, noisyIds, s * topN, topN);
    }
    curve.similarity[level] = similaritySum / sample;
    curve.top1[level] = top1 / sample;
    curve.topN[level] = shared / sample;
  };

  const runSdrNoise = (family: 'move' | 'drop' | 'flip', level: number) => {
    const eps = levels[level];
    const rng = stepRng(seed, NOISE_FAMILIES.indexOf(family), level);
    let similarity = 0;
    for (let s = 0; s < sample; s++) {
      const clean = sdrOf(queryIds[s]);
      const noisy =
        family === 'move'
          ? moveNoise(clean, eps, rng)
          : family === 'drop'
            ? dropNoise(clean, eps, rng)
            : flipNoise(clean, Math.min(1, (eps * k) / m), rng);
      similarity += overlapSorted(clean.active, noisy.active) / k;
      overlapNeighboursInto(index, noisy, topN, queryIds[s], noisyIds, s * topN);
    }
    score(curves[family]!, level, cleanOverlap, similarity);
  };

  /** Noisy embeddings of the sample at `level`: `embedding` and `dense` draw the same ones. */
  const noisyRows = (level: number): Float32Array =>
    addEmbeddingNoise(queryRows, sample, d, levels[level], stepRng(seed, 100, level));

  const runEmbedding = (level: number) => {
    const encoded = encodeBatch(som, noisyRows(level), sample, { k });
    let similarity = 0;
    for (let s = 0; s < sample; s++) {
      const row = encoded.active.subarray(s * k, (s + 1) * k);
      const id = queryIds[s];
      similarity += overlapSorted(active.subarray(id * k, (id + 1) * k), row) / k;
      overlapNeighboursInto(index, sdrFromSorted(grid, row), topN, id, noisyIds, s * topN);
    }
    score(curves.embedding!, level, cleanOverlap, similarity);
  };

  const runDense = (level: number) => {
    const rows = noisyRows(level);
    let similarity = 0;
    for (let s = 0; s < sample; s++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += rows[s * d + t] * queryRows[s * d + t];
      similarity += dot;
    }
    noisyIds.set(denseNeighbours(data, n, d, rows, sample, topN, exclude).ids);
    score(curves.dense!, level, cleanDense, similarity);
  };

  return {
    total: tasks.length,
    get done() {
      return done;
    },
    step() {
      if (done >= tasks.length) return false;
      const { family, level } = tasks[done];
      if (family === 'embedding') runEmbedding(level);
      else if (family === 'dense') runDense(level);
      else runSdrNoise(family, level);
      done++;
      return done < tasks.length;
    },
    result() {
      return {
        levels,
        sample,
        n,
        k,
        m,
        topN,
        seed,
        families: curves,
        overlapTop1InDenseTopN: inDense / sample,
        overlapTop1Tied: tied / sample,
      };
    },
  };
}

/** Run a whole measurement; `onProgress(done, total)` after each step. */
export function measureRobustness(
  input: RobustnessInput,
  options: RobustnessOptions = {},
  onProgress?: (done: number, total: number) => void,
): RobustnessCurves {
  const run = createRobustnessRun(input, options);
  while (run.step()) onProgress?.(run.done, run.total);
  onProgress?.(run.done, run.total);
  return run.result();
}
