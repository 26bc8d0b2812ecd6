import {
  bestOfSet,
  defaultShortlist,
  exactSearch,
  ItemSearch,
  rankCandidates,
  MeasureError,
  type OverlapIndex,
  type SDR,
  type SearchHits,
} from '../../../src/index.ts';
/**
 * Search the dataset from a query (an item, or typed text embedded and encoded on the map) with
 * the engine's two-stage search (src/search/twoStage.ts): the SDR overlap index gives a
 * shortlist, exact cosine on the stored embeddings ranks it. Beside it, the ranking by overlap
 * alone: what the SDR by itself gives, for teaching. Where there are no embeddings to rank
 * with, the search is overlap only, and says so. DOM-free.
 */

export interface SearchHit {
  /** Item row index. */
  readonly index: number;
  /** Shared cells (overlap search) or cosine similarity (reranked search). */
  readonly score: number;
}

export interface SearchResults {
  /** Ranked by shared units alone (ties to the lower row). */
  readonly overlap: readonly SearchHit[];
  /**
   * Ranked by exact cosine: the overlap shortlist reranked (two stages), scored by cosine.
   * Empty when there are no stored embeddings (`mode` 'overlap').
   */
  readonly dense: readonly SearchHit[];
  /** 'rerank' when the embeddings ranked the shortlist, 'overlap' when there were none. */
  readonly mode: 'rerank' | 'overlap';
  /** Items both lists hold, over the longer list's length (overlap@N of the two lists); 0–1. */
  readonly agreement: number;
  /** Items in the overlap shortlist (dot products the reranking did); 0 for overlap only. */
  readonly shortlist: number;
  /** Stored items (brute force's dot products). */
  readonly items: number;
}

export interface SearchQuery {
  readonly sdr: SDR;
  /** The query's unit-length embedding (d floats). */
  readonly vector: Float32Array;
  /** The query's own item, left out of both lists; −1 (default) for outside queries. */
  readonly exclude?: number;
}

function hits(found: SearchHits, exclude: number, width: number, byCosine: boolean): SearchHit[] {
  const out: SearchHit[] = [];
  for (let i = 0; i < found.ids.length && out.length < width; i++) {
    const id = found.ids[i];
    if (id === exclude) continue;
    const score = byCosine ? found.cosines![i] : found.overlaps![i];
    // Items sharing no unit are not overlap hits.
    if (!byCosine && score === 0) break;
    out.push({ index: id, score });
  }
  return out;
}

/**
 * The shortlist: the items sharing most units with the query, topped up with items sharing none
 * (in row order) when fewer than `size` share any. The engine's rule sizes the shortlist at no
 * fewer than 200 items (all of them on a small set), so on a page with a few dozen items the
 * second stage sees every item, not only the handful that happen to share a unit.
 */
function shortlistOf(sharing: Uint32Array, size: number, n: number): Uint32Array {
  if (sharing.length >= size) return sharing;
  const out = new Uint32Array(size);
  out.set(sharing);
  const taken = new Set(sharing);
  let at = sharing.length;
  for (let id = 0; id < n && at < size; id++) if (!taken.has(id)) out[at++] = id;
  return out;
}

/** The share of `a`'s and `b`'s items they hold in common, over the longer list. */
export function listAgreement(a: readonly SearchHit[], b: readonly SearchHit[]): number {
  const width = Math.max(a.length, b.length);
  if (width === 0) return 1;
  const inB = new Set(b.map((h) => h.index));
  return a.filter((h) => inB.has(h.index)).length / width;
}

/**
 * Best `topN` items two ways: the two-stage search (overlap shortlist of the engine's default
 * size, ranked by cosine) and overlap alone. `embeddings` holds n·d unit rows, or nothing
 * (length 0) when the map stores none: then only the overlap list is made.
 */
export function searchBoth(
  index: OverlapIndex,
  embeddings: Float32Array,
  n: number,
  d: number,
  query: SearchQuery,
  topN: number,
): SearchResults {
  if (query.vector.length !== d) {
    throw new MeasureError(`the query has ${query.vector.length} values, the items have ${d}`);
  }
  const exclude = query.exclude ?? -1;
  const width = Math.min(topN, Math.max(0, exclude >= 0 ? n - 1 : n));
  const k = query.sdr.active.length;
  const stored = embeddings.length > 0 ? embeddings : null;
  const search = new ItemSearch(index, stored, d, Math.max(1, k));
  // One more than wanted, so the list is still full once the query's own item is left out.
  const top = Math.max(1, Math.min(n, width + (exclude >= 0 ? 1 : 0)));
  if (!stored || width === 0) {
    return {
      overlap: width > 0 ? hits(search.overlap(query.sdr, top), exclude, width, false) : [],
      dense: [],
      mode: stored ? 'rerank' : 'overlap',
      agreement: Number.NaN,
      shortlist: 0,
      items: n,
    };
  }
  const m = index.grid.rows * index.grid.cols;
  const shortlist = Math.max(top, defaultShortlist(n, k, m));
  // One count of shared units gives both lists: the shortlist (as the engine's rerank takes it)
  // and, from it, the best by overlap alone (bestOfSet: the same list index.search gives).
  const set = index.searchSet(query.sdr, shortlist);
  const best = bestOfSet(set, top);
  const overlap = hits({ ...best, cosines: null, dotProducts: 0, shortlist: 0 }, exclude, width, false); // prettier-ignore
  const candidates = shortlistOf(set.ids, shortlist, n);
  const ranked = rankCandidates(stored, d, query.vector, candidates, top);
  const dense = hits({ ...ranked, overlaps: null, dotProducts: 0, shortlist: 0 }, exclude, width, true); // prettier-ignore
  return {
    overlap,
    dense,
    mode: 'rerank',
    agreement: listAgreement(dense, overlap),
    shortlist: candidates.length,
    items: n,
  };
}

/**
 * Rows one step of the exact check scans: ≈ 0.5 M multiply-adds at d = 512, well under a
 * millisecond once V8 has optimised the loop. The caller runs steps until its time slice is
 * spent: the first steps run before V8 has optimised the loop (measured in the page at 100,000
 * items: a first step of 8,192 rows was one 70–110 ms task).
 */
const EXACT_CHECK_ROWS = 1024;

/**
 * How many of the reranked list's items brute-force cosine over every item also ranks in its
 * top (the two stages' recall), measured a slice of rows at a time so a page with 100,000 items
 * never spends one long task on it: `step()` scans the next `EXACT_CHECK_ROWS` rows and returns
 * true once every row is scanned; then `recall()` is the share, 0–1. Slices go through the
 * engine's exactSearch, so the cosines and ties are the ones one call over every row gives.
 */
export function exactRecallCheck(
  embeddings: Float32Array,
  n: number,
  d: number,
  query: SearchQuery,
  dense: readonly SearchHit[],
  rowsPerStep = EXACT_CHECK_ROWS,
): { step: () => boolean; recall: () => number } {
  const exclude = query.exclude ?? -1;
  const width = dense.length;
  const top = Math.max(1, Math.min(n, width + (exclude >= 0 ? 1 : 0)));
  let best: { id: number; score: number }[] = [];
  let next = 0;
  return {
    step: () => {
      if (next >= n) return true;
      const end = Math.min(n, next + rowsPerStep);
      const found = exactSearch(embeddings.subarray(next * d, end * d), d, query.vector, Math.min(top, end - next)); // prettier-ignore
      for (let i = 0; i < found.ids.length; i++) {
        best.push({ id: found.ids[i] + next, score: found.cosines![i] });
      }
      // Best first; equal cosines to the lower row, as one exactSearch over every row ranks them.
      best = best.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, top);
      next = end;
      return next >= n;
    },
    recall: () => {
      if (next < n) throw new MeasureError('the exact check has not scanned every item yet');
      const truth = best.filter((h) => h.id !== exclude).slice(0, width);
      return listAgreement(
        dense,
        truth.map((h) => ({ index: h.id, score: h.score })),
      );
    },
  };
}
