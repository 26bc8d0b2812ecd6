/**
 * Nearest rows by cosine similarity, by exhaustive scan: the dense baseline every SDR result is
 * shown beside. Rows and queries are unit length, so the dot product is the cosine.
 *
 * Costs O(queries · n · d); meant for the sample sizes of a measurement (hundreds of queries),
 * not for serving search over millions of rows.
 */
import { MeasureError } from './errors.ts';

export interface Neighbours {
  /** Neighbours per query (the row width of `ids` and `scores`). */
  readonly topN: number;
  /** queries·topN row ids, best first; −1 pads a row when fewer rows qualify. */
  readonly ids: Int32Array;
  /** queries·topN scores parallel to `ids` (NaN for padding). */
  readonly scores: Float32Array;
}

/** No row to leave out of a query's neighbours. */
export const NO_EXCLUDE = -1;

/**
 * The `topN` rows of `data` (n·d) most similar by dot product to each of the `q` rows of
 * `queries` (q·d), best first; equal scores keep the lower row id first.
 *
 * @param exclude optional, one row id per query to leave out (the query's own item), or −1.
 * @param topN neighbours per query, a whole number from 0 to n.
 */
export function denseNeighbours(
  data: Float32Array,
  n: number,
  d: number,
  queries: Float32Array,
  q: number,
  topN: number,
  exclude: Int32Array | null = null,
): Neighbours {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(d) || d < 1) {
    throw new MeasureError(`expected a row count ≥ 0 and a dimension ≥ 1, got ${n} and ${d}`);
  }
  if (data.length < n * d) throw new MeasureError(`the data holds fewer than ${n}×${d} numbers`);
  if (!Number.isSafeInteger(q) || q < 0 || queries.length < q * d) {
    throw new MeasureError(`the queries hold fewer than ${q}×${d} numbers`);
  }
  if (!Number.isSafeInteger(topN) || topN < 0 || topN > n) {
    throw new MeasureError(`topN must be a whole number from 0 to ${n}, got ${String(topN)}`);
  }
  if (exclude && exclude.length < q) {
    throw new MeasureError(`exclude has ${exclude.length} entries for ${q} queries`);
  }
  const ids = new Int32Array(q * topN).fill(-1);
  const scores = new Float32Array(q * topN).fill(Number.NaN);
  // One query's best list, kept sorted descending by insertion (topN is small).
  const bestIds = new Int32Array(topN);
  const bestScores = new Float64Array(topN);
  for (let a = 0; a < q; a++) {
    const qo = a * d;
    const skip = exclude ? exclude[a] : NO_EXCLUDE;
    let size = 0;
    for (let r = 0; r < n; r++) {
      if (r === skip) continue;
      const ro = r * d;
      let s = 0;
      for (let t = 0; t < d; t++) s += queries[qo + t] * data[ro + t];
      if (size === topN && !(s > bestScores[topN - 1])) continue;
      // Strictly greater moves past: equal scores stay behind the earlier (lower) id.
      let pos = size < topN ? size : topN - 1;
      while (pos > 0 && s > bestScores[pos - 1]) {
        bestScores[pos] = bestScores[pos - 1];
        bestIds[pos] = bestIds[pos - 1];
        pos--;
      }
      bestScores[pos] = s;
      bestIds[pos] = r;
      if (size < topN) size++;
    }
    for (let t = 0; t < size; t++) {
      ids[a * topN + t] = bestIds[t];
      scores[a * topN + t] = bestScores[t];
    }
  }
  return { topN, ids, scores };
}
