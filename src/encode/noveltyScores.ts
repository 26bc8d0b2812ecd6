/**
 * Novelty scores beyond the raw quantisation error, for "is this input unlike what the map was
 * trained on?" — and above all, for an unseen class that lives in the same region of embedding
 * space as the training data (a held-out class), not only for gross out-of-distribution input.
 *
 * Why centring: CLIP embeddings of one modality share a large common direction (image rows have
 * cosine ≈ 0.5 with each other, text rows ≈ 0.7), so raw distances are dominated by it and an
 * unseen class, sharing that direction, sits close to everything. Subtracting the training mean
 * and renormalising leaves the directions that tell concepts apart.
 *
 * Scores (higher = more novel), all DOM-free on flat arrays:
 * - `qe`: Euclidean distance of the unit row to its best unit (today's score).
 * - `centredQe`: 1 − the best cosine between the centred row and the centred codebook rows.
 * - `knn`: 1 − mean cosine to the `neighbours` nearest training rows (stored embeddings).
 * - `centredKnn`: the same, in centred space.
 * Which one the map offers is chosen by measurement (novelty.measure.ts; README "Novelty"):
 * `recommendedNoveltyScore`.
 */
import { gridSize } from '../grid/grid.ts';
import { bestUnits } from '../som/quality.ts';
import type { SomModel } from '../som/types.ts';
import { percentileRank } from './novelty.ts';

export type NoveltyScoreKind = 'qe' | 'centredQe' | 'knn' | 'centredKnn';

export const NOVELTY_SCORE_KINDS: readonly NoveltyScoreKind[] = ['qe', 'centredQe', 'knn', 'centredKnn']; // prettier-ignore

/** Default neighbours for the kNN scores: 10. */
export const DEFAULT_NOVELTY_NEIGHBOURS = 10;

function checkRows(data: Float32Array, n: number, d: number, what: string): void {
  if (
    !Number.isSafeInteger(n) ||
    n < 0 ||
    !Number.isSafeInteger(d) ||
    d < 1 ||
    data.length < n * d
  ) {
    throw new RangeError(`${what}: ${data.length} values do not hold ${n} rows of ${d}`);
  }
}

/** Mean of n rows of d values (the training mean a map stores). */
export function meanOfRows(data: Float32Array, n: number, d: number): Float32Array {
  checkRows(data, n, d, 'meanOfRows');
  const sum = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) sum[t] += data[i * d + t];
  return Float32Array.from(sum, (s) => (n > 0 ? s / n : 0));
}

/** Rows minus `mean`, each scaled to unit length (a row equal to the mean stays zero). */
export function centredUnitRows(
  data: Float32Array,
  n: number,
  d: number,
  mean: Float32Array,
): Float32Array {
  // prettier-ignore
  checkRows(data, n, d, 'centredUnitRows');
  if (mean.length !== d) throw new RangeError(`the mean has ${mean.length} values, rows have ${d}`);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) {
      const v = data[i * d + t] - mean[t];
      out[i * d + t] = v;
      s += v * v;
    }
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let t = 0; t < d; t++) out[i * d + t] *= inv;
  }
  return out;
}

/** Quantisation error of each unit row (n·d) on the map: today's novelty score. */
export function qeScores(som: SomModel, data: Float32Array, n: number): Float32Array {
  const d = som.dim;
  const { bestScore } = bestUnits(som, data, n);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let t = 0; t < d; t++) sq += data[i * d + t] ** 2;
    out[i] = Math.sqrt(Math.max(0, sq - 2 * bestScore[i]));
  }
  return out;
}

/** 1 − max over rows of B of the dot product with each row of A (all unit rows): n scores. */
function oneMinusBest(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  d: number,
): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += a[i * d + t] * b[j * d + t];
      if (s > best) best = s;
    }
    out[i] = 1 - best;
  }
  return out;
}

/** Centred QE: 1 − best cosine of the centred row with the centred codebook. */
export function centredQeScores(
  som: SomModel,
  mean: Float32Array,
  data: Float32Array,
  n: number,
): Float32Array {
  // prettier-ignore
  const d = som.dim;
  const m = gridSize(som.grid);
  const book = centredUnitRows(som.codebook, m, d, mean);
  return oneMinusBest(centredUnitRows(data, n, d, mean), n, book, m, d);
}

/**
 * kNN score: 1 − mean cosine of each query row to its `neighbours` nearest rows of `reference`
 * (all unit rows). With `leaveOneOut`, query i is reference row i and is skipped (for scoring
 * the training rows themselves, as calibration needs).
 */
export function knnScores(
  reference: Float32Array,
  nRef: number,
  d: number,
  data: Float32Array,
  n: number,
  neighbours = DEFAULT_NOVELTY_NEIGHBOURS,
  leaveOneOut = false,
  skipIdentical = false,
): Float32Array {
  checkRows(reference, nRef, d, 'knnScores reference');
  checkRows(data, n, d, 'knnScores queries');
  if (!Number.isSafeInteger(neighbours) || neighbours < 1) {
    throw new RangeError(`neighbours must be a whole number ≥ 1, got ${String(neighbours)}`);
  }
  const k = Math.min(neighbours, nRef - (leaveOneOut || skipIdentical ? 1 : 0));
  if (k < 1) throw new RangeError('kNN novelty needs at least one other reference row');
  const out = new Float32Array(n);
  const best = new Float32Array(k);
  for (let i = 0; i < n; i++) {
    best.fill(-Infinity);
    // With skipIdentical, the first stored row equal to the query is the query itself.
    let selfSkipped = !skipIdentical;
    for (let j = 0; j < nRef; j++) {
      if (leaveOneOut && j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += data[i * d + t] * reference[j * d + t];
      if (!selfSkipped && s >= IDENTICAL_COSINE) {
        selfSkipped = true;
        continue;
      }
      if (s <= best[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && best[p - 1] < s) {
        best[p] = best[p - 1];
        p--;
      }
      best[p] = s;
    }
    let mean = 0;
    for (let q = 0; q < k; q++) mean += best[q];
    out[i] = 1 - mean / k;
  }
  return out;
}

/** Cosine at or above which two unit rows are the same row (float16 storage rounds them). */
const IDENTICAL_COSINE = 1 - 1e-4;

/** What a novelty score needs from the map: codebook, training mean and stored training rows. */
export interface NoveltySource {
  readonly som: SomModel;
  /** Mean of the training rows (SdrMap.trainingMean); needed by the centred scores. */
  readonly mean?: Float32Array;
  /** Unit-length training rows (n·d), for the kNN scores. */
  readonly reference?: Float32Array;
  /** kNN neighbours; default 10. */
  readonly neighbours?: number;
}

/**
 * Scores of `kind` for n unit rows. With `leaveOneOut`, row i is reference row i (scoring the
 * training rows for calibration).
 */
export function noveltyScores(
  kind: NoveltyScoreKind,
  source: NoveltySource,
  data: Float32Array,
  n: number,
  leaveOneOut = false,
): Float32Array {
  const d = source.som.dim;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new RangeError(`the ${kind} novelty score needs ${what}`);
    return v;
  };
  const neighbours = source.neighbours ?? DEFAULT_NOVELTY_NEIGHBOURS;
  switch (kind) {
    case 'qe':
      return qeScores(source.som, data, n);
    case 'centredQe':
      return centredQeScores(source.som, need(source.mean, 'the training mean'), data, n);
    case 'knn': {
      const ref = need(source.reference, 'stored training embeddings');
      return knnScores(ref, ref.length / d, d, data, n, neighbours, leaveOneOut);
    }
    case 'centredKnn': {
      const mean = need(source.mean, 'the training mean');
      const ref = need(source.reference, 'stored training embeddings');
      const nRef = ref.length / d;
      return knnScores(centredUnitRows(ref, nRef, d, mean), nRef, d, centredUnitRows(data, n, d, mean), n, neighbours, leaveOneOut); // prettier-ignore
    }
  }
}

/** Percentile (0–100) of each score among ascending calibration scores: the shown novelty. */
export function calibratedPercentiles(
  calibration: Float32Array,
  scores: Float32Array,
): Float32Array {
  return Float32Array.from(scores, (s) => percentileRank(calibration, s));
}

/** Sorted in-distribution scores of the two centred scores: the combined score's calibration. */
export interface CombinedCalibration {
  readonly centredQe: Float32Array;
  readonly centredKnn: Float32Array;
}

/**
 * Calibrate the combined score on the training rows themselves (`source.reference`, kNN leave-
 * one-out so a row is not its own neighbour).
 */
export function combinedCalibration(source: NoveltySource): CombinedCalibration {
  if (!source.reference) throw new RangeError('the combined novelty score needs stored training embeddings'); // prettier-ignore
  const n = source.reference.length / source.som.dim;
  return {
    centredQe: noveltyScores('centredQe', source, source.reference, n).sort(),
    centredKnn: noveltyScores('centredKnn', source, source.reference, n, true).sort(),
  };
}

/**
 * The combined novelty, 0–100: the mean of the centred-QE and centred-kNN percentiles. Measured
 * (README "Novelty") it landed between the two, never best: offered for comparison, not chosen.
 */
export function combinedNovelty(
  source: NoveltySource,
  calibration: CombinedCalibration,
  data: Float32Array,
  n: number,
): Float32Array {
  // prettier-ignore
  const a = calibratedPercentiles(calibration.centredQe, noveltyScores('centredQe', source, data, n)); // prettier-ignore
  const b = calibratedPercentiles(calibration.centredKnn, noveltyScores('centredKnn', source, data, n)); // prettier-ignore
  return Float32Array.from(a, (v, i) => (v + b[i]) / 2);
}

/**
 * The score to show: centred kNN where the map stores its training embeddings, else centred QE.
 * Chosen by measurement (novelty.measure.ts) for the best worst case over six settings (3 real
 * CLIP text hold-outs, 3 image-like synthetic seeds): held-out-class AUC at least 0.62 (mean
 * 0.77) against 0.50 (mean 0.73) for today's QE, gross OOD 1.00 like QE. Centred QE, which needs
 * only the stored mean, was second on the mean (0.76) and the better of the two without
 * embeddings.
 */
export function recommendedNoveltyScore(
  source: Pick<NoveltySource, 'mean' | 'reference'>,
): NoveltyScoreKind {
  // prettier-ignore
  if (source.mean && source.reference) return 'centredKnn';
  if (source.mean) return 'centredQe';
  return 'qe';
}

/**
 * Fewest stored rows the kNN score is given for: ten times the neighbours. With a handful of
 * rows every row's neighbours are all the others, whose centred directions cancel, so training
 * rows look more novel than inputs from elsewhere (seen on a map of 6 texts, where two images
 * scored the least novel): the score means nothing there.
 */
export const MIN_KNN_REFERENCE_ROWS = 10 * DEFAULT_NOVELTY_NEIGHBOURS;

/** Multiply-adds (n·(n + stored rows)·d) `scoreNovelty` allows for the kNN score: about 10 s of one core. */
export const KNN_NOVELTY_BUDGET = 1e10;

/** The recommended novelty of some rows, calibrated as a percentile of the stored rows. */
export interface NoveltyReport {
  /** The score measured: centred kNN when the map keeps its training rows and mean. */
  readonly kind: NoveltyScoreKind;
  /** Raw score per row (higher = more novel). */
  readonly scores: Float32Array;
  /** Percentile 0–100 of each row's score among the stored rows' own scores. */
  readonly percentiles: Float32Array;
  /** The stored rows' scores (leave-one-out), ascending: the calibration. */
  readonly calibration: Float32Array;
}

export class NoveltyScoreError extends Error {
  override readonly name = 'NoveltyScoreError';
}

/**
 * Score n unit rows with the recommended novelty score (recommendedNoveltyScore): centred kNN
 * against the stored training rows, calibrated on those rows leave-one-out, so a percentile of
 * 95 means "more novel than 95% of what the map was trained on". A row equal to a stored row is
 * that row and is not its own neighbour. Needs the training mean and the stored rows; refuses
 * (NoveltyScoreError, in words) without them or past KNN_NOVELTY_BUDGET.
 */
export function scoreNovelty(source: NoveltySource, data: Float32Array, n: number): NoveltyReport {
  const d = source.som.dim;
  const kind = recommendedNoveltyScore(source);
  const reference = source.reference;
  if (kind !== 'centredKnn' || !reference || !source.mean) {
    throw new NoveltyScoreError(
      'this map does not keep its training embeddings and their mean, which the centred kNN score needs',
    );
  }
  const nRef = reference.length / d;
  if (!Number.isSafeInteger(nRef) || nRef < MIN_KNN_REFERENCE_ROWS) {
    throw new NoveltyScoreError(
      `the map was trained on ${nRef} items; the centred kNN score needs at least ${MIN_KNN_REFERENCE_ROWS} to mean anything`,
    );
  }
  checkRows(data, n, d, 'scoreNovelty');
  const cost = (n + nRef) * nRef * d;
  if (cost > KNN_NOVELTY_BUDGET) {
    throw new NoveltyScoreError(
      `scoring ${n.toLocaleString('en-US')} items against ${nRef.toLocaleString('en-US')} stored rows is ${cost.toExponential(1)} multiply-adds, past this page's budget of ${KNN_NOVELTY_BUDGET.toExponential(0)}: use sdr claims on the command line`,
    );
  }
  const neighbours = source.neighbours ?? DEFAULT_NOVELTY_NEIGHBOURS;
  const ref = centredUnitRows(reference, nRef, d, source.mean);
  const calibration = knnScores(ref, nRef, d, ref, nRef, neighbours, true).sort();
  const rows = centredUnitRows(data, n, d, source.mean);
  const scores = knnScores(ref, nRef, d, rows, n, neighbours, false, true);
  return { kind, scores, percentiles: calibratedPercentiles(calibration, scores), calibration };
}
