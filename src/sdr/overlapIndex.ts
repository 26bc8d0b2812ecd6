/**
 * Overlap search over many stored SDRs of one grid: "which stored items share the most active
 * cells with this query?".
 *
 * An inverted index maps each unit to the ids of the items active there (postings, in compressed
 * sparse row form: `offsets` of n + 1 entries into one flat `postings` Uint32Array, ids
 * ascending within each unit). A search walks only the query's w posting lists, counting hits
 * per item in a reusable accumulator, so it costs O(Σ postings of the query's units + touched
 * items) instead of O(items · w) for a linear scan; only touched items are candidates for the
 * top N, which is chosen with a histogram of overlaps (the N-th best overlap is found in one
 * pass) and a small heap for ties.
 *
 * Adds are buffered and merged into the postings by counting sort on the next search (or an
 * explicit `build()`), so add in batches: each merge costs O(stored postings + new postings).
 */
import { gridSize, sameGridShape, type Grid } from '../grid/grid.ts';
import { overlapSorted } from './algebra.ts';
import type { SDR } from './sdr.ts';

export interface OverlapSearchOptions {
  /** Smallest overlap an item needs to be returned, θ; default 1, an integer ≥ 1. */
  readonly minOverlap?: number;
}

export interface OverlapSearchResult {
  /** Item ids (the order they were added, from 0), best first; ties by ascending id. */
  readonly ids: Uint32Array;
  /** Shared active cells with the query, parallel to `ids`, non-increasing. */
  readonly overlaps: Uint32Array;
}

type Counts = Uint8Array | Uint16Array | Uint32Array;

function gridLabel(g: Grid): string {
  return `${g.rows}×${g.cols} ${g.topology}`;
}

function checkSearchArgs(topN: number, options: OverlapSearchOptions | undefined): number {
  if (!Number.isSafeInteger(topN) || topN < 0) {
    throw new RangeError(`topN must be a whole number ≥ 0, got ${String(topN)}`);
  }
  const minOverlap = options?.minOverlap ?? 1;
  if (!Number.isSafeInteger(minOverlap) || minOverlap < 1) {
    throw new RangeError(`minOverlap must be a whole number ≥ 1, got ${String(minOverlap)}`);
  }
  return minOverlap;
}

const EMPTY: OverlapSearchResult = { ids: new Uint32Array(0), overlaps: new Uint32Array(0) };

/** Zero the counts of the candidates, leaving the accumulator clean for the next search. */
function clearCounts(counts: Counts, candidates: Uint32Array, candidateCount: number): void {
  for (let i = 0; i < candidateCount; i++) counts[candidates[i]] = 0;
}

/**
 * The best `topN` of `candidates[0..candidateCount)` by overlap (`counts[id]`) descending, ties
 * by id ascending, keeping only overlaps ≥ minOverlap. `maxCount` bounds every count. With
 * `clear`, the candidates' counts are zeroed on the way (in the final pass, saving one more).
 */
function selectTop(
  counts: Counts,
  candidates: Uint32Array,
  candidateCount: number,
  topN: number,
  minOverlap: number,
  maxCount: number,
  clear: boolean,
): OverlapSearchResult {
  if (topN === 0 || maxCount < minOverlap) {
    if (clear) clearCounts(counts, candidates, candidateCount);
    return EMPTY;
  }
  const hist = new Uint32Array(maxCount + 1);
  for (let i = 0; i < candidateCount; i++) hist[counts[candidates[i]]]++;

  // The threshold is the N-th best overlap (or minOverlap when fewer qualify): everything
  // above it is in, and some of the items exactly at it, smallest ids first.
  let threshold = minOverlap;
  let atOrAbove = 0;
  for (let c = maxCount; c >= minOverlap; c--) {
    atOrAbove += hist[c];
    if (atOrAbove >= topN) {
      threshold = c;
      break;
    }
  }
  const above = atOrAbove - hist[threshold];
  const tiesWanted = Math.min(topN - above, hist[threshold]);
  const total = above + tiesWanted;
  if (total === 0) {
    if (clear) clearCounts(counts, candidates, candidateCount);
    return EMPTY;
  }

  // Ties: a max-heap on id holding the smallest `tiesWanted` ids seen so far.
  const heap = new Uint32Array(tiesWanted);
  let heapSize = 0;
  const keys = new Float64Array(total);
  let k = 0;
  // Sort key (maxCount − overlap)·2³² + id orders by overlap desc, then id asc; it stays
  // below 2⁵³ because counts are at most 2²⁰ (the cells of a 1024×1024 grid).
  const base = 4294967296;
  for (let i = 0; i < candidateCount; i++) {
    const id = candidates[i];
    const c = counts[id];
    if (clear) counts[id] = 0;
    if (c > threshold) keys[k++] = (maxCount - c) * base + id;
    else if (c === threshold && tiesWanted > 0) {
      if (heapSize < tiesWanted) {
        let j = heapSize++;
        while (j > 0) {
          const parent = (j - 1) >> 1;
          if (heap[parent] >= id) break;
          heap[j] = heap[parent];
          j = parent;
        }
        heap[j] = id;
      } else if (id < heap[0]) {
        let j = 0;
        for (;;) {
          const l = 2 * j + 1;
          if (l >= heapSize) break;
          const r = l + 1;
          const big = r < heapSize && heap[r] > heap[l] ? r : l;
          if (heap[big] <= id) break;
          heap[j] = heap[big];
          j = big;
        }
        heap[j] = id;
      }
    }
  }
  for (let i = 0; i < heapSize; i++) keys[k++] = (maxCount - threshold) * base + heap[i];
  keys.sort();
  const ids = new Uint32Array(total);
  const overlaps = new Uint32Array(total);
  for (let i = 0; i < total; i++) {
    const key = keys[i];
    const rank = Math.floor(key / base);
    ids[i] = key - rank * base;
    overlaps[i] = maxCount - rank;
  }
  return { ids, overlaps };
}

/** Inverted index from unit to item ids, for top-N overlap search over many SDRs. */
export class OverlapIndex {
  readonly grid: Grid;
  private readonly cells: number;
  private items = 0;

  /** Built part: CSR postings of items [0, builtItems). */
  private builtItems = 0;
  private offsets: Uint32Array<ArrayBufferLike>;
  private postings: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

  /** Buffered adds, item-major: units of pending items, and where each pending item ends. */
  private pendingUnits = new Uint32Array(0);
  private pendingUnitCount = 0;
  private pendingEnds = new Uint32Array(0);
  private pendingItems = 0;

  /** Search scratch, reused: hit counts per item and the items touched by the current query. */
  private counts8 = new Uint8Array(0);
  private counts16 = new Uint16Array(0);
  private counts32 = new Uint32Array(0);
  private touched = new Uint32Array(0);
  /** Duplicate check in addMany: last row (+1) that used each unit. */
  private stamp: Uint32Array | null = null;

  constructor(grid: Grid) {
    this.grid = grid;
    this.cells = gridSize(grid);
    this.offsets = new Uint32Array(this.cells + 1);
  }

  /**
   * An index over `items` SDRs already in compressed sparse row form: `offsets` (units + 1
   * entries, from 0 to postings.length) into `postings`, each unit's item ids ascending, as
   * build() lays them out. For postings counted elsewhere (a slice at a time, off a busy
   * thread); the arrays are kept, not copied.
   *
   * @throws RangeError when the arrays do not have that shape.
   */
  static fromPostings(
    grid: Grid,
    items: number,
    offsets: Uint32Array,
    postings: Uint32Array,
  ): OverlapIndex {
    const index = new OverlapIndex(grid);
    if (!Number.isSafeInteger(items) || items < 0) {
      throw new RangeError(`item count must be a whole number ≥ 0, got ${String(items)}`);
    }
    if (
      offsets.length !== index.cells + 1 ||
      offsets[0] !== 0 ||
      offsets[index.cells] !== postings.length
    ) {
      throw new RangeError(
        `offsets must hold ${index.cells + 1} entries from 0 to ${postings.length} postings`,
      );
    }
    index.offsets = offsets;
    index.postings = postings;
    index.items = items;
    index.builtItems = items;
    return index;
  }

  /** Number of stored items. */
  get size(): number {
    return this.items;
  }

  /** Total stored (unit, item) pairs, i.e. Σ w over items. */
  get postingCount(): number {
    return this.postings.length + this.pendingUnitCount;
  }

  /** Store one SDR; returns its id. */
  add(sdr: SDR): number {
    if (!sameGridShape(this.grid, sdr.grid)) {
      throw new RangeError(
        `this index holds SDRs of a ${gridLabel(this.grid)} grid, not ${gridLabel(sdr.grid)}`,
      );
    }
    this.reservePending(sdr.active.length, 1);
    this.pendingUnits.set(sdr.active, this.pendingUnitCount);
    this.pendingUnitCount += sdr.active.length;
    this.pendingEnds[this.pendingItems++] = this.pendingUnitCount;
    return this.items++;
  }

  /**
   * Store `flat.length / k` SDRs given as rows of k distinct unit indices each (any order
   * within a row, e.g. best-matching units by rank); returns the id of the first.
   *
   * @throws RangeError when k does not divide the length, or a row has an index outside the
   *   grid or a repeated index.
   */
  addMany(flat: Uint32Array, k: number): number {
    if (!Number.isSafeInteger(k) || k < 1) {
      throw new RangeError(`row width k must be a whole number ≥ 1, got ${String(k)}`);
    }
    if (flat.length % k !== 0) {
      throw new RangeError(`${flat.length} indices do not split into rows of ${k}`);
    }
    const rows = flat.length / k;
    const n = this.cells;
    const stamp = (this.stamp ??= new Uint32Array(n));
    for (let r = 0; r < rows; r++) {
      const mark = (r % 0xfffffffe) + 1;
      if (mark === 1) stamp.fill(0);
      for (let j = r * k, end = j + k; j < end; j++) {
        const u = flat[j];
        if (u >= n) {
          throw new RangeError(`row ${r} has unit ${u}, outside the grid of ${n} units`);
        }
        if (stamp[u] === mark) throw new RangeError(`row ${r} repeats unit ${u}`);
        stamp[u] = mark;
      }
    }
    this.reservePending(flat.length, rows);
    this.pendingUnits.set(flat, this.pendingUnitCount);
    for (let r = 0; r < rows; r++) {
      this.pendingEnds[this.pendingItems++] = this.pendingUnitCount + (r + 1) * k;
    }
    this.pendingUnitCount += flat.length;
    const first = this.items;
    this.items += rows;
    return first;
  }

  private reservePending(units: number, items: number): void {
    const needUnits = this.pendingUnitCount + units;
    if (needUnits > this.pendingUnits.length) {
      const grown = new Uint32Array(Math.max(needUnits, 2 * this.pendingUnits.length, 1024));
      grown.set(this.pendingUnits.subarray(0, this.pendingUnitCount));
      this.pendingUnits = grown;
    }
    const needItems = this.pendingItems + items;
    if (needItems > this.pendingEnds.length) {
      const grown = new Uint32Array(Math.max(needItems, 2 * this.pendingEnds.length, 64));
      grown.set(this.pendingEnds.subarray(0, this.pendingItems));
      this.pendingEnds = grown;
    }
  }

  /**
   * Merge buffered adds into the postings (counting sort by unit). Search calls it; call it
   * yourself to pay the cost at a moment of your choosing.
   */
  build(): void {
    if (this.pendingItems === 0) return;
    const n = this.cells;
    const units = this.pendingUnits;
    const unitCount = this.pendingUnitCount;
    const oldOffsets = this.offsets;
    const oldPostings = this.postings;

    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < unitCount; i++) offsets[units[i] + 1]++;
    for (let u = 0; u < n; u++) offsets[u + 1] += offsets[u] + (oldOffsets[u + 1] - oldOffsets[u]);

    const postings = new Uint32Array(oldPostings.length + unitCount);
    // Old ids first in each list (they are smaller), then the new ones in id order.
    const cursor = new Uint32Array(n);
    for (let u = 0; u < n; u++) {
      const from = oldOffsets[u];
      const to = oldOffsets[u + 1];
      if (to > from) postings.set(oldPostings.subarray(from, to), offsets[u]);
      cursor[u] = offsets[u] + (to - from);
    }
    let start = 0;
    let id = this.builtItems;
    for (let item = 0; item < this.pendingItems; item++, id++) {
      const end = this.pendingEnds[item];
      for (let i = start; i < end; i++) postings[cursor[units[i]]++] = id;
      start = end;
    }

    this.offsets = offsets;
    this.postings = postings;
    this.builtItems = this.items;
    this.pendingUnits = new Uint32Array(0);
    this.pendingUnitCount = 0;
    this.pendingEnds = new Uint32Array(0);
    this.pendingItems = 0;
  }

  /** A zeroed accumulator wide enough for overlaps up to `maxCount`, one slot per item. */
  private accumulator(maxCount: number): Counts {
    const m = this.items;
    if (maxCount <= 0xff) {
      if (this.counts8.length < m)
        this.counts8 = new Uint8Array(Math.max(m, 2 * this.counts8.length));
      return this.counts8;
    }
    if (maxCount <= 0xffff) {
      if (this.counts16.length < m) {
        this.counts16 = new Uint16Array(Math.max(m, 2 * this.counts16.length));
      }
      return this.counts16;
    }
    if (this.counts32.length < m)
      this.counts32 = new Uint32Array(Math.max(m, 2 * this.counts32.length));
    return this.counts32;
  }

  /**
   * The `topN` stored items sharing the most active cells with `query`, best first (ties by
   * ascending id). Items sharing fewer than `minOverlap` (default 1) cells are left out, so
   * fewer than topN may come back.
   */
  search(query: SDR, topN: number, options?: OverlapSearchOptions): OverlapSearchResult {
    if (!sameGridShape(this.grid, query.grid)) {
      throw new RangeError(
        `query is on a ${gridLabel(query.grid)} grid but this index holds ${gridLabel(this.grid)}`,
      );
    }
    const minOverlap = checkSearchArgs(topN, options);
    this.build();
    const q = query.active;
    if (this.items === 0 || q.length === 0 || topN === 0) return EMPTY;

    const counts = this.accumulator(q.length);
    // One spare slot: the branch-free append below writes one past the last touched item.
    if (this.touched.length < this.items + 1) {
      this.touched = new Uint32Array(Math.max(this.items + 1, 2 * this.touched.length));
    }
    const touched = this.touched;
    const offsets = this.offsets;
    const postings = this.postings;
    let touchedCount = 0;
    for (let t = 0; t < q.length; t++) {
      const end = offsets[q[t] + 1];
      for (let p = offsets[q[t]]; p < end; p++) {
        const id = postings[p];
        const c = counts[id];
        counts[id] = c + 1;
        // Branch-free "remember first touches": the slot is overwritten unless c was 0
        // ((c − 1) >>> 31 is 1 exactly for c = 0); about 10% faster than an if here.
        touched[touchedCount] = id;
        touchedCount += (c - 1) >>> 31;
      }
    }
    return selectTop(counts, touched, touchedCount, topN, minOverlap, q.length, true);
  }

  /** Scratch of `searchSet`, reused: the chosen ids, their overlaps, and items tied at the cut. */
  private setIds = new Uint32Array(0);
  private setOverlaps = new Uint32Array(0);
  private tied = new Uint32Array(0);

  /**
   * The same items as `search(query, topN, options)` (the topN best by overlap, ties to the
   * lower id) in no particular order, with their overlaps: the shortlist of a two-stage search,
   * whose second stage ranks by another score anyway. Returns views of scratch arrays that the
   * next `searchSet` call overwrites; copy them to keep them.
   *
   * Why not `search`: at 1,000,000 items a shortlist of ~50,000 spent most of its time ordering
   * itself (a heap for the ties and a sort of the keys). Here the counting pass also tallies how
   * many items reach each overlap (`atLeast`), which gives the threshold at once; one pass over
   * the touched items takes those above it, and the items tied at it are cut to the lowest ids
   * by a bucket select (`lowestIds`) instead of a sort.
   */
  searchSet(query: SDR, topN: number, options?: OverlapSearchOptions): OverlapSearchResult {
    if (!sameGridShape(this.grid, query.grid)) {
      throw new RangeError(
        `query is on a ${gridLabel(query.grid)} grid but this index holds ${gridLabel(this.grid)}`,
      );
    }
    const minOverlap = checkSearchArgs(topN, options);
    this.build();
    const q = query.active;
    const w = q.length;
    if (this.items === 0 || w === 0 || topN === 0 || w < minOverlap) return EMPTY;

    const counts = this.accumulator(w);
    if (this.touched.length < this.items + 1) {
      this.touched = new Uint32Array(Math.max(this.items + 1, 2 * this.touched.length));
    }
    const touched = this.touched;
    const offsets = this.offsets;
    const postings = this.postings;
    // atLeast[c]: items whose overlap reached c (so, at the end, items with overlap ≥ c).
    const atLeast = new Uint32Array(w + 2);
    let touchedCount = 0;
    for (let t = 0; t < w; t++) {
      const end = offsets[q[t] + 1];
      for (let p = offsets[q[t]]; p < end; p++) {
        const id = postings[p];
        const c = counts[id];
        counts[id] = c + 1;
        atLeast[c + 1]++;
        // Branch-free first-touch append, as in `search`.
        touched[touchedCount] = id;
        touchedCount += (c - 1) >>> 31;
      }
    }
    // The threshold is the topN-th best overlap, or minOverlap when fewer items qualify.
    let threshold = w;
    while (threshold > minOverlap && atLeast[threshold] < topN) threshold--;
    const above = atLeast[threshold + 1];
    const tiedCount = atLeast[threshold] - above;
    const ties = Math.min(topN - above, tiedCount);
    const total = above + ties;

    if (this.setIds.length < total) {
      const size = Math.min(this.items, Math.max(total, 2 * this.setIds.length));
      this.setIds = new Uint32Array(size);
      this.setOverlaps = new Uint32Array(size);
    }
    const ids = this.setIds;
    const overlaps = this.setOverlaps;
    let k = 0;
    if (ties === tiedCount) {
      // Every tied item is in: one pass, no select.
      for (let i = 0; i < touchedCount; i++) {
        const id = touched[i];
        const c = counts[id];
        counts[id] = 0;
        if (c >= threshold) {
          ids[k] = id;
          overlaps[k++] = c;
        }
      }
    } else {
      if (this.tied.length < tiedCount) {
        this.tied = new Uint32Array(Math.max(tiedCount, 2 * this.tied.length));
      }
      const tied = this.tied;
      let t = 0;
      for (let i = 0; i < touchedCount; i++) {
        const id = touched[i];
        const c = counts[id];
        counts[id] = 0;
        if (c > threshold) {
          ids[k] = id;
          overlaps[k++] = c;
        } else if (c === threshold) tied[t++] = id;
      }
      k = lowestIds(tied, t, ties, this.items, ids, k);
      overlaps.fill(threshold, total - ties, total);
    }
    return { ids: ids.subarray(0, total), overlaps: overlaps.subarray(0, total) };
  }
}

/**
 * The `topN` best of a `searchSet` result in `search`'s order (most shared cells first, ties by
 * ascending id): what `search(query, topN)` gives for any topN up to the set's size, from the
 * set alone. A two-stage search that also shows the ranking by overlap (the page's Algebra
 * view) then counts overlaps once, not twice. Counting sort on the overlaps: only the items
 * at or above the topN-th overlap are sorted.
 */
export function bestOfSet(set: OverlapSearchResult, topN: number): OverlapSearchResult {
  if (!Number.isSafeInteger(topN) || topN < 0) {
    throw new RangeError(`topN must be a whole number ≥ 0, got ${topN}`);
  }
  const { ids, overlaps } = set;
  const count = ids.length;
  const want = Math.min(topN, count);
  if (want === 0) return EMPTY;
  let max = 0;
  for (let i = 0; i < count; i++) if (overlaps[i] > max) max = overlaps[i];
  // atLeast[c]: items with overlap ≥ c.
  const atLeast = new Uint32Array(max + 2);
  for (let i = 0; i < count; i++) atLeast[overlaps[i]]++;
  for (let c = max; c >= 0; c--) atLeast[c] += atLeast[c + 1];
  let threshold = max;
  while (threshold > 0 && atLeast[threshold] < want) threshold--;
  // Those above the threshold (fewer than topN) by overlap then id; of those at it, the lowest
  // ids by searchSet's bucket select (ties can be thousands: a third of queries tie at the best
  // overlap), then sorted.
  const above: number[] = [];
  const tied = new Uint32Array(atLeast[threshold] - atLeast[threshold + 1]);
  let t = 0;
  let limit = 0;
  for (let i = 0; i < count; i++) {
    if (overlaps[i] > threshold) above.push(i);
    else if (overlaps[i] === threshold) {
      tied[t++] = ids[i];
      if (ids[i] >= limit) limit = ids[i] + 1;
    }
  }
  above.sort((a, b) => overlaps[b] - overlaps[a] || ids[a] - ids[b]);
  const outIds = new Uint32Array(want);
  const outOverlaps = new Uint32Array(want);
  for (let r = 0; r < above.length; r++) {
    outIds[r] = ids[above[r]];
    outOverlaps[r] = overlaps[above[r]];
  }
  lowestIds(tied, t, want - above.length, limit, outIds, above.length);
  outIds.subarray(above.length).sort();
  outOverlaps.fill(threshold, above.length);
  return { ids: outIds, overlaps: outOverlaps };
}

/**
 * Appends the `wanted` lowest of the distinct ids `ids[0..count)` (all below `limit`) to `out`
 * from position `at`, in no particular order; returns the new end. A bucket select: one pass
 * counts ids per bucket of the id range, the buckets wholly below the cut go in directly, and
 * only the bucket the cut falls in (about count/1024 ids) is sorted.
 */
function lowestIds(
  ids: Uint32Array,
  count: number,
  wanted: number,
  limit: number,
  out: Uint32Array,
  at: number,
): number {
  let shift = 0;
  while ((limit - 1) >>> shift >= 1024) shift++;
  const perBucket = new Uint32Array(1024);
  for (let i = 0; i < count; i++) perBucket[ids[i] >>> shift]++;
  let cut = 0;
  let below = 0;
  while (below + perBucket[cut] < wanted) below += perBucket[cut++];
  const inCut = new Uint32Array(perBucket[cut]);
  let c = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    const b = id >>> shift;
    if (b < cut) out[at++] = id;
    else if (b === cut) inCut[c++] = id;
  }
  inCut.sort();
  for (let i = 0; i < wanted - below; i++) out[at++] = inCut[i];
  return at;
}

/**
 * Reference linear scan: merge the query against every stored SDR (`items[id]` has id `id`)
 * and keep the best topN, with exactly `OverlapIndex.search`'s ordering and options.
 */
export function bruteForceSearch(
  items: readonly SDR[],
  query: SDR,
  topN: number,
  options?: OverlapSearchOptions,
): OverlapSearchResult {
  const minOverlap = checkSearchArgs(topN, options);
  const counts = new Uint32Array(items.length);
  const candidates = new Uint32Array(items.length);
  let m = 0;
  for (let id = 0; id < items.length; id++) {
    const item = items[id];
    if (!sameGridShape(item.grid, query.grid)) {
      throw new RangeError(
        `item ${id} is on a ${gridLabel(item.grid)} grid but the query is on ${gridLabel(query.grid)}`,
      );
    }
    const c = overlapSorted(item.active, query.active);
    if (c > 0) {
      counts[id] = c;
      candidates[m++] = id;
    }
  }
  return selectTop(counts, candidates, m, topN, minOverlap, query.active.length, false);
}

/**
 * Linear scan over `rows.length / k` stored SDRs given as rows of k ascending unit indices
 * (row r has id r), merging each with the query: the peer `OverlapIndex` is measured against.
 */
export function bruteForceSearchRows(
  rows: Uint32Array,
  k: number,
  query: SDR,
  topN: number,
  options?: OverlapSearchOptions,
): OverlapSearchResult {
  const minOverlap = checkSearchArgs(topN, options);
  if (!Number.isSafeInteger(k) || k < 1 || rows.length % k !== 0) {
    throw new RangeError(`${rows.length} indices do not split into rows of ${String(k)}`);
  }
  const count = rows.length / k;
  const counts = new Uint32Array(count);
  const candidates = new Uint32Array(count);
  const q = query.active;
  const w = q.length;
  let m = 0;
  for (let id = 0; id < count; id++) {
    // Inline merge of row `id` with the query (the hot loop of the scan).
    let i = id * k;
    const end = i + k;
    let j = 0;
    let c = 0;
    while (i < end && j < w) {
      const u = rows[i];
      const v = q[j];
      if (u < v) i++;
      else if (v < u) j++;
      else {
        c++;
        i++;
        j++;
      }
    }
    if (c > 0) {
      counts[id] = c;
      candidates[m++] = id;
    }
  }
  return selectTop(counts, candidates, m, topN, minOverlap, w, false);
}
