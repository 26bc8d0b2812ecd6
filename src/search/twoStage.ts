/**
 * Nearest-neighbour search over a map's stored items, in three modes:
 *
 * - `exact`: cosine against every stored embedding (brute force, n dot products): the truth.
 * - `overlap`: ranking by shared active units alone (the inverted OverlapIndex): what the SDR by
 *   itself gives. On real CLIP maps its recall@10 against exact cosine is only 0.3–0.5: a 2-D map
 *   is too coarse to order close neighbours, and many items tie at the best overlap.
 * - `rerank`: two stages. The overlap index gives a shortlist (the items sharing most units with
 *   the query's SDR), exact cosine on the stored (unit-length) embeddings ranks it.
 *
 * Everything here is DOM-free and works on flat typed arrays, so the page can run it in a worker.
 * Each result says how many dot products it cost (`dotProducts`), the figure that matters
 * against brute force; encoding the query on the map costs m more (see `encodeDotProducts`).
 */
import { OverlapIndex, type OverlapSearchResult } from '../sdr/overlapIndex.ts';
import type { SDR } from '../sdr/sdr.ts';

export type SearchMode = 'exact' | 'overlap' | 'rerank';

export const SEARCH_MODES: readonly SearchMode[] = ['exact', 'overlap', 'rerank'];

export interface SearchHits {
  /** Item ids (row order of the stored items), best first. */
  readonly ids: Uint32Array;
  /** Cosine to the query, parallel to `ids` (exact and rerank modes); null in overlap mode. */
  readonly cosines: Float32Array | null;
  /** Shared active units with the query, parallel to `ids`; null in exact mode. */
  readonly overlaps: Uint32Array | null;
  /** Embedding dot products this search did: n for exact, the shortlist's size for rerank. */
  readonly dotProducts: number;
  /** Items the overlap stage handed to the exact stage (rerank), or 0. */
  readonly shortlist: number;
}

/**
 * Default shortlist: as many items as sit on `SHORTLIST_UNITS`·K units on average
 * (⌈2.5·K·n/m⌉, about 5% of the items for K = 20 on 32×32, so 20× fewer dot products than brute
 * force), at least `SHORTLIST_MIN`, and at most n/10 so rerank always does ≥ 10× fewer dot
 * products than brute force (unless n is so small that the minimum is more). Chosen by
 * measurement (search.measure.ts; README "Search"): on clustered synthetic sets a fixed
 * shortlist lost recall as n grew (500 items: recall@10 0.98 at 20,000 items, 0.37 at 100,000),
 * a shortlist in proportion to the items per unit held it; 1.25·K·n/m was enough for small
 * clusters (0.99, 50,000 items in 200 clusters) but not for large ones (0.64, 20,000 in 20),
 * 2.5·K·n/m held ≥ 0.977 on all four sets tried. Probing the query with more than its K units
 * (multi-probe) did worse at the same shortlist, so the probe is the query's own K units.
 */
export const SHORTLIST_UNITS = 2.5;
export const SHORTLIST_MIN = 200;

/** The default shortlist for n stored items with K active units each on a map of m units. */
export function defaultShortlist(n: number, k: number, m: number): number {
  const perUnits = Math.ceil((SHORTLIST_UNITS * k * n) / Math.max(1, m));
  return Math.min(n, Math.max(SHORTLIST_MIN, Math.min(perUnits, Math.ceil(n / 10))));
}

function checkTop(top: number): void {
  if (!Number.isSafeInteger(top) || top < 1) {
    throw new RangeError(`top must be a whole number ≥ 1, got ${String(top)}`);
  }
}

/** A unit-length copy of `query` (a zero vector stays zero). */
export function unitQuery(query: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < query.length; i++) s += query[i] * query[i];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  const out = new Float32Array(query.length);
  for (let i = 0; i < query.length; i++) out[i] = query[i] * inv;
  return out;
}

/**
 * Keeps the best `top` (score, id) pairs seen, ties to the lower id (ids arrive ascending or
 * not; the comparison settles it), each with a `tag` (where the id came from in its list).
 * Insertion into a sorted array: top is small (≤ a few hundred).
 */
class TopList {
  readonly ids: Uint32Array;
  readonly scores: Float32Array;
  readonly tags: Uint32Array;
  size = 0;
  constructor(readonly top: number) {
    this.ids = new Uint32Array(top);
    this.scores = new Float32Array(top);
    this.tags = new Uint32Array(top);
  }
  offer(raw: number, id: number, tag: number): void {
    // Compared as stored (float32): an unrounded score beside its own rounded copy would not
    // tie, and equal rows would then order by arrival instead of by id.
    const score = Math.fround(raw);
    const tags = this.tags;
    const { ids, scores, top } = this;
    if (this.size === top) {
      const ls = scores[top - 1];
      if (score < ls || (score === ls && id > ids[top - 1])) return;
    }
    let j = this.size < top ? this.size++ : top - 1;
    while (j > 0 && (scores[j - 1] < score || (scores[j - 1] === score && ids[j - 1] > id))) {
      scores[j] = scores[j - 1];
      ids[j] = ids[j - 1];
      tags[j] = tags[j - 1];
      j--;
    }
    scores[j] = score;
    ids[j] = id;
    tags[j] = tag;
  }
}

/** One row's dot product with `q`, summed in index order (as `offerRows` sums each row). */
function dot(a: Float32Array, ao: number, q: Float32Array, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[ao + k] * q[k];
  return s;
}

/**
 * Offers the cosine of `q` with rows `ids[0..count)` of `embeddings` (or rows 0..count when
 * `ids` is null) to `best`, tagged with their position i. Four rows at a time: on a large store the rows a shortlist names lie
 * far apart, each read waits on memory, and four independent reads in flight instead of one
 * halved the second stage's time at 1,000,000 items (twoStage.bench.ts). Every row is summed in
 * index order, so a row scores exactly the same here whichever way it is reached.
 */
function offerRows(
  embeddings: Float32Array,
  d: number,
  q: Float32Array,
  ids: Uint32Array | null,
  count: number,
  best: TopList,
): void {
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const r0 = ids ? ids[i] : i;
    const r1 = ids ? ids[i + 1] : i + 1;
    const r2 = ids ? ids[i + 2] : i + 2;
    const r3 = ids ? ids[i + 3] : i + 3;
    const a0 = r0 * d;
    const a1 = r1 * d;
    const a2 = r2 * d;
    const a3 = r3 * d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let k = 0; k < d; k++) {
      const qk = q[k];
      s0 += embeddings[a0 + k] * qk;
      s1 += embeddings[a1 + k] * qk;
      s2 += embeddings[a2 + k] * qk;
      s3 += embeddings[a3 + k] * qk;
    }
    best.offer(s0, r0, i);
    best.offer(s1, r1, i + 1);
    best.offer(s2, r2, i + 2);
    best.offer(s3, r3, i + 3);
  }
  for (; i < count; i++) {
    const r = ids ? ids[i] : i;
    best.offer(dot(embeddings, r * d, q, d), r, i);
  }
}

function checkEmbeddings(embeddings: Float32Array, d: number, query: Float32Array): number {
  if (!Number.isSafeInteger(d) || d < 1 || embeddings.length % d !== 0) {
    throw new RangeError(`${embeddings.length} values do not split into rows of ${String(d)}`);
  }
  if (query.length !== d) {
    throw new RangeError(`the query has ${query.length} values, the stored embeddings ${d}`);
  }
  return embeddings.length / d;
}

/**
 * Exact search: cosine of the query with every stored row (rows must be unit length; the query
 * is normalised here), best `top` first, ties to the lower id.
 */
export function exactSearch(
  embeddings: Float32Array,
  d: number,
  query: Float32Array,
  top: number,
): SearchHits {
  checkTop(top);
  const n = checkEmbeddings(embeddings, d, query);
  const q = unitQuery(query);
  const best = new TopList(Math.min(top, n));
  offerRows(embeddings, d, q, null, n, best);
  return {
    ids: best.ids.slice(0, best.size),
    cosines: best.scores.slice(0, best.size),
    overlaps: null,
    dotProducts: n,
    shortlist: 0,
  };
}

/** Rank `candidates` (item ids) by exact cosine with the query: the second stage. */
export function rankCandidates(
  embeddings: Float32Array,
  d: number,
  query: Float32Array,
  candidates: Uint32Array,
  top: number,
): { ids: Uint32Array; cosines: Float32Array } {
  checkTop(top);
  const n = checkEmbeddings(embeddings, d, query);
  const q = unitQuery(query);
  const best = new TopList(Math.min(top, Math.max(1, candidates.length)));
  for (let i = 0; i < candidates.length; i++) {
    if (candidates[i] >= n) {
      throw new RangeError(`candidate ${candidates[i]} is beyond the ${n} stored items`);
    }
  }
  offerRows(embeddings, d, q, candidates, candidates.length, best);
  return { ids: best.ids.slice(0, best.size), cosines: best.scores.slice(0, best.size) };
}

export interface TwoStageOptions {
  /** Results wanted; default 10, a whole number ≥ 1. */
  readonly top?: number;
  /** Shortlist size for rerank; default `defaultShortlist(n, K, m)`, a whole number ≥ top. */
  readonly shortlist?: number;
}

/**
 * The stored items of one map for search: their SDRs in an OverlapIndex and, when the map holds
 * them, their unit-length embeddings (n·d). Queries come as an SDR (for overlap and rerank) and
 * an embedding (for exact and rerank).
 */
export class ItemSearch {
  readonly index: OverlapIndex;
  readonly embeddings: Float32Array | null;
  readonly dim: number;
  /** Active units per stored SDR (for the default shortlist). */
  readonly k: number;

  constructor(index: OverlapIndex, embeddings: Float32Array | null, dim: number, k: number) {
    if (embeddings && embeddings.length !== index.size * dim) {
      throw new RangeError(
        `the index holds ${index.size} items but there are ${embeddings.length / dim} embeddings`,
      );
    }
    this.index = index;
    this.embeddings = embeddings;
    this.dim = dim;
    this.k = k;
  }

  /** Number of stored items. */
  get size(): number {
    return this.index.size;
  }

  /** Which modes this store can answer: exact and rerank need stored embeddings. */
  get modes(): readonly SearchMode[] {
    return this.embeddings ? SEARCH_MODES : ['overlap'];
  }

  /** Overlap ranking alone: what the SDR gives without the embeddings. */
  overlap(querySdr: SDR, top = 10): SearchHits {
    checkTop(top);
    const r: OverlapSearchResult = this.index.search(querySdr, top);
    return { ids: r.ids, cosines: null, overlaps: r.overlaps, dotProducts: 0, shortlist: 0 };
  }

  /** Brute-force cosine over every stored embedding. */
  exact(query: Float32Array, top = 10): SearchHits {
    return exactSearch(this.needEmbeddings(), this.dim, query, top);
  }

  /**
   * Two stages: the `shortlist` items sharing most units with `querySdr`, ranked by exact cosine
   * with `query`. If fewer than `shortlist` items share any unit, the shortlist is what there is.
   */
  rerank(querySdr: SDR, query: Float32Array, options: TwoStageOptions = {}): SearchHits {
    const embeddings = this.needEmbeddings();
    const top = options.top ?? 10;
    checkTop(top);
    const m = this.index.grid.rows * this.index.grid.cols;
    const shortlist = options.shortlist ?? defaultShortlist(this.size, this.k, m);
    if (!Number.isSafeInteger(shortlist) || shortlist < top) {
      throw new RangeError(
        `shortlist must be a whole number ≥ top (${top}), got ${String(shortlist)}`,
      );
    }
    if (query.length !== this.dim) {
      throw new RangeError(
        `the query has ${query.length} values, the stored embeddings ${this.dim}`,
      );
    }
    if (this.size * this.dim !== embeddings.length) {
      throw new RangeError(
        `the index holds ${this.size} items but there are ${embeddings.length / this.dim} embeddings`,
      );
    }
    // The shortlist as a set (its order does not matter to the ranking): no sorting by overlap.
    // Every id it holds is a row of `embeddings` (the sizes match), so none needs a check.
    const first = this.index.searchSet(querySdr, shortlist);
    const best = new TopList(Math.min(top, Math.max(1, first.ids.length)));
    offerRows(embeddings, this.dim, unitQuery(query), first.ids, first.ids.length, best);
    const ranked = { ids: best.ids.slice(0, best.size), cosines: best.scores.slice(0, best.size) };
    // Overlaps of the returned items, for showing beside the cosines (tags: shortlist places).
    const overlaps = Uint32Array.from(best.tags.subarray(0, best.size), (i) => first.overlaps[i]);
    return {
      ids: ranked.ids,
      cosines: ranked.cosines,
      overlaps,
      dotProducts: first.ids.length,
      shortlist: first.ids.length,
    };
  }

  private needEmbeddings(): Float32Array {
    if (!this.embeddings) {
      throw new RangeError('this map stores no embeddings: only overlap search is possible');
    }
    return this.embeddings;
  }
}

/** An ItemSearch over n stored SDR rows of k units (n·k, as in MapItems.sdrs). */
export function itemSearch(
  grid: OverlapIndex['grid'],
  sdrs: Uint32Array,
  k: number,
  embeddings: Float32Array | null,
  dim: number,
): ItemSearch {
  const index = new OverlapIndex(grid);
  if (sdrs.length > 0) index.addMany(sdrs, k);
  index.build();
  return new ItemSearch(index, embeddings, dim, k);
}

/** Fraction of `truth`'s ids that `found` also holds (recall of one query). */
export function recallOf(found: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (truth.length === 0) return 1;
  const set = new Set<number>(Array.from(found));
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (set.has(truth[i])) hit++;
  return hit / truth.length;
}
