/**
 * "Would the map notice a class it never saw?" on the person's own data: retrain without one
 * label's rows and score them against rows of the other labels that training did not see either.
 *
 * Protocol: the other rows are split by a seeded shuffle, `trainShare` (default 0.8) to train a
 * map with the given config, the rest as in-distribution negatives; AUC (Mann–Whitney) of the
 * held-out label's scores against the negatives, for each novelty score (noveltyScores.ts) and
 * the combined one. Synchronous JS training on an in-thread pool: meant for up to a few thousand
 * rows (it is a check, not the map people keep).
 */
import { combinedCalibration, combinedNovelty, meanOfRows, NOVELTY_SCORE_KINDS, noveltyScores, recommendedNoveltyScore, type NoveltyScoreKind, type NoveltySource } from '../encode/noveltyScores.ts'; // prettier-ignore
import { train } from '../som/trainer.ts';
import type { TrainConfig } from '../som/types.ts';
import { createRng, randomInt } from '../util/random.ts';
import { mannWhitneyAuc } from './auc.ts';
import { MeasureError } from './errors.ts';

export interface HoldoutResult {
  readonly heldOut: number;
  readonly trainRows: number;
  readonly testRows: number;
  /** The score the map would show (recommendedNoveltyScore): its AUC is `auc[recommended]`. */
  readonly recommended: NoveltyScoreKind;
  /** AUC per score: the held-out rows against unseen rows of the other labels. */
  readonly auc: Readonly<Record<NoveltyScoreKind | 'combined', number>>;
}

function gather(data: Float32Array, d: number, ids: readonly number[]): Float32Array {
  const out = new Float32Array(ids.length * d);
  ids.forEach((id, i) => out.set(data.subarray(id * d, (id + 1) * d), i * d));
  return out;
}

export async function noveltyHoldout(
  data: Float32Array,
  n: number,
  d: number,
  heldOut: (row: number) => boolean,
  config: TrainConfig,
  options: { readonly trainShare?: number; readonly seed?: number; readonly signal?: AbortSignal } = {}, // prettier-ignore
): Promise<HoldoutResult> {
  const share = options.trainShare ?? 0.8;
  if (!(share > 0 && share < 1)) throw new MeasureError(`trainShare must be in (0, 1), got ${share}`); // prettier-ignore
  const rng = createRng(options.seed ?? config.seed);
  const held: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < n; i++) (heldOut(i) ? held : rest).push(i);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const cut = Math.round(share * rest.length);
  if (held.length < 2 || cut < 10 || rest.length - cut < 2) {
    throw new MeasureError(`the hold-out check needs ≥ 2 held-out rows and ≥ 13 others, got ${held.length} and ${rest.length}`); // prettier-ignore
  }
  const trainRows = gather(data, d, rest.slice(0, cut));
  const test = gather(data, d, rest.slice(cut));
  const heldRows = gather(data, d, held);
  const snap = await train(trainRows, cut, config, options.signal ? { signal: options.signal } : {}); // prettier-ignore
  const source: NoveltySource = {
    som: { grid: config.grid, dim: d, codebook: snap.codebook },
    mean: meanOfRows(trainRows, cut, d),
    reference: trainRows,
  };
  const auc = {} as Record<NoveltyScoreKind | 'combined', number>;
  for (const kind of NOVELTY_SCORE_KINDS) {
    auc[kind] = mannWhitneyAuc(noveltyScores(kind, source, heldRows, held.length), noveltyScores(kind, source, test, rest.length - cut)); // prettier-ignore
  }
  const cal = combinedCalibration(source);
  auc.combined = mannWhitneyAuc(combinedNovelty(source, cal, heldRows, held.length), combinedNovelty(source, cal, test, rest.length - cut)); // prettier-ignore
  for (const key of Object.keys(auc) as (keyof typeof auc)[]) auc[key] = Number(auc[key].toFixed(4)); // prettier-ignore
  return {
    recommended: recommendedNoveltyScore(source),
    heldOut: held.length,
    trainRows: cut,
    testRows: rest.length - cut,
    auc,
  };
}
