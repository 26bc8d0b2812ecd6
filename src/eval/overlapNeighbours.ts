/**
 * Nearest stored SDRs by overlap (shared active cells), leaving out the query's own item, on
 * top of the inverted index in src/sdr/overlapIndex.ts. Ties keep the lower item id first, so
 * a tied "nearest" item is the same on every run.
 */
import type { OverlapIndex } from '../sdr/overlapIndex.ts';
import type { SDR } from '../sdr/sdr.ts';
import { MeasureError } from './errors.ts';

function checkTopN(topN: number): void {
  if (!Number.isSafeInteger(topN) || topN < 0) {
    throw new MeasureError(`topN must be a whole number ≥ 0, got ${String(topN)}`);
  }
}

/**
 * The `topN` stored items sharing the most cells with `query`, best first, written into
 * `ids[offset..offset + topN)` (−1 pads when fewer share a cell) and, when given, their
 * overlaps into `overlaps` at the same places. Item `exclude` (−1 for none) is left out.
 */
export function overlapNeighboursInto(
  index: OverlapIndex,
  query: SDR,
  topN: number,
  exclude: number,
  ids: Int32Array,
  offset: number,
  overlaps: Uint32Array | null = null,
): void {
  checkTopN(topN);
  if (offset < 0 || offset + topN > ids.length) {
    throw new MeasureError(`no room for ${topN} neighbours at ${offset} of ${ids.length}`);
  }
  // One extra: the query's own item is usually among the best and is dropped below.
  const found = index.search(query, exclude >= 0 ? topN + 1 : topN);
  let t = 0;
  for (let i = 0; i < found.ids.length && t < topN; i++) {
    const id = found.ids[i];
    if (id === exclude) continue;
    ids[offset + t] = id;
    if (overlaps) overlaps[offset + t] = found.overlaps[i];
    t++;
  }
  for (; t < topN; t++) {
    ids[offset + t] = -1;
    if (overlaps) overlaps[offset + t] = 0;
  }
}

/** The best `topN` overlap neighbours of one query (see {@link overlapNeighboursInto}). */
export function overlapNeighbours(
  index: OverlapIndex,
  query: SDR,
  topN: number,
  exclude = -1,
): { ids: Int32Array; overlaps: Uint32Array } {
  checkTopN(topN);
  const ids = new Int32Array(topN);
  const overlaps = new Uint32Array(topN);
  overlapNeighboursInto(index, query, topN, exclude, ids, 0, overlaps);
  return { ids, overlaps };
}
