import {
  denseNeighbours,
  MeasureError,
  overlapNeighbours,
  type OverlapIndex,
  type SDR,
} from '../../../src/index.ts';
/**
 * Search the dataset from a query (an item, or typed text embedded and encoded on the map): by
 * overlap of SDRs (the inverted index) and, for contrast, by cosine of the dense embeddings.
 * DOM-free.
 */

export interface SearchHit {
  /** Item row index. */
  readonly index: number;
  /** Shared cells (overlap search) or cosine similarity (dense search). */
  readonly score: number;
}

export interface SearchResults {
  readonly overlap: readonly SearchHit[];
  readonly dense: readonly SearchHit[];
}

export interface SearchQuery {
  readonly sdr: SDR;
  /** The query's unit-length embedding (d floats). */
  readonly vector: Float32Array;
  /** The query's own item, left out of both lists; −1 (default) for outside queries. */
  readonly exclude?: number;
}

/** Best `topN` items by overlap and by cosine (items sharing no cell are not overlap hits). */
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
  const byOverlap = overlapNeighbours(index, query.sdr, width, exclude);
  const byCosine = denseNeighbours(
    embeddings,
    n,
    d,
    query.vector,
    1,
    width,
    new Int32Array([exclude]),
  );
  const overlap: SearchHit[] = [];
  for (let i = 0; i < width; i++) {
    if (byOverlap.ids[i] < 0) break;
    overlap.push({ index: byOverlap.ids[i], score: byOverlap.overlaps[i] });
  }
  const dense: SearchHit[] = [];
  for (let i = 0; i < width; i++) {
    if (byCosine.ids[i] < 0) break;
    dense.push({ index: byCosine.ids[i], score: byCosine.scores[i] });
  }
  return { overlap, dense };
}
