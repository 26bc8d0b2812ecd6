/**
 * Area under the ROC curve by the Mann–Whitney statistic: the probability that a random
 * positive scores higher than a random negative, ties counting one half (Mann & Whitney 1947;
 * Hanley & McNeil 1982, "The meaning and use of the area under a ROC curve").
 *
 * Computed from mid-ranks of the pooled scores, O((p + q) log(p + q)), instead of comparing all
 * p·q pairs.
 */
import { MeasureError } from './errors.ts';

function checkScores(name: string, v: ArrayLike<number>): void {
  if (v.length === 0) throw new MeasureError(`the AUC needs at least one ${name} score`);
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) throw new MeasureError(`${name} score ${i} is NaN`);
  }
}

/**
 * AUC in [0, 1]: 1 when every positive outscores every negative, 0.5 for no separation (or all
 * ties), 0 when every negative outscores every positive. ±Infinity scores are fine; NaN is not.
 */
export function mannWhitneyAuc(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  checkScores('positive', positives);
  checkScores('negative', negatives);
  const p = positives.length;
  const q = negatives.length;
  const total = p + q;
  const values = new Float64Array(total);
  for (let i = 0; i < p; i++) values[i] = positives[i];
  for (let i = 0; i < q; i++) values[p + i] = negatives[i];
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);

  // Sum of the positives' ranks (1-based), each tie group sharing its mid-rank.
  let rankSum = 0;
  let i = 0;
  while (i < total) {
    let j = i + 1;
    const v = values[order[i]];
    while (j < total && values[order[j]] === v) j++;
    const midRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (order[t] < p) rankSum += midRank;
    i = j;
  }
  const u = rankSum - (p * (p + 1)) / 2;
  return u / (p * q);
}
