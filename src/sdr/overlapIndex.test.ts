import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { overlap } from './algebra.ts';
import {
  OverlapIndex,
  bestOfSet,
  bruteForceSearch,
  bruteForceSearchRows,
  type OverlapSearchResult,
} from './overlapIndex.ts';
import { makeSDR, type SDR } from './sdr.ts';

const grid = makeGrid(8, 8);
const n = gridSize(grid);

/** Naive reference: every item's overlap, sorted by (overlap desc, id asc), filtered, cut. */
function naive(items: readonly SDR[], query: SDR, topN: number, minOverlap = 1) {
  return items
    .map((s, id) => ({ id, o: overlap(s, query) }))
    .filter((e) => e.o >= minOverlap)
    .sort((a, b) => b.o - a.o || a.id - b.id)
    .slice(0, topN);
}

const plain = (r: OverlapSearchResult) => Array.from(r.ids, (id, i) => ({ id, o: r.overlaps[i] }));

/** 5,000 items over a few units: thousands tie at any cut, and ids span many buckets. */
function thousandsTied(seed: number) {
  const rng = createRng(seed);
  const small = makeGrid(3, 3);
  const items: SDR[] = [];
  for (let i = 0; i < 5000; i++) items.push(makeSDR(small, sampleWithoutReplacement(rng, 9, 3)));
  const index = new OverlapIndex(small);
  for (const s of items) index.add(s);
  return { rng, small, items, index };
}

const arbSdr = fc
  .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 20 })
  .map((xs) => makeSDR(grid, xs));

describe('OverlapIndex', () => {
  it('ranks by overlap, breaks ties by id and honours minOverlap', () => {
    const items = [
      makeSDR(grid, [1, 2, 3]), // overlap 2 with the query
      makeSDR(grid, [1, 2, 3, 4]), // 3
      makeSDR(grid, [9, 10]), // 0
      makeSDR(grid, [4, 50]), // 1
      makeSDR(grid, [2, 4, 60]), // 2
    ];
    const index = new OverlapIndex(grid);
    items.forEach((s, i) => expect(index.add(s)).toBe(i));
    const query = makeSDR(grid, [2, 3, 4]);
    expect(plain(index.search(query, 10))).toEqual([
      { id: 1, o: 3 },
      { id: 0, o: 2 },
      { id: 4, o: 2 },
      { id: 3, o: 1 },
    ]);
    expect(plain(index.search(query, 2))).toEqual([
      { id: 1, o: 3 },
      { id: 0, o: 2 },
    ]);
    expect(plain(index.search(query, 10, { minOverlap: 2 }))).toEqual([
      { id: 1, o: 3 },
      { id: 0, o: 2 },
      { id: 4, o: 2 },
    ]);
    expect(index.search(query, 0).ids.length).toBe(0);
    expect(index.search(makeSDR(grid, []), 5).ids.length).toBe(0);
    expect(index.size).toBe(5);
    expect(index.postingCount).toBe(14);
  });

  it('returns the same answers as a brute-force scan (property test)', () => {
    fc.assert(
      fc.property(
        fc.array(arbSdr, { maxLength: 60 }),
        fc.array(arbSdr, { maxLength: 20 }),
        arbSdr,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        (first, second, query, topN, minOverlap) => {
          const index = new OverlapIndex(grid);
          for (const s of first) index.add(s);
          const opts = { minOverlap };
          // A search between two batches of adds exercises merging new postings into built ones.
          expect(plain(index.search(query, topN, opts))).toEqual(
            naive(first, query, topN, minOverlap),
          );
          for (const s of second) index.add(s);
          const all = [...first, ...second];
          const got = index.search(query, topN, opts);
          expect(plain(got)).toEqual(naive(all, query, topN, minOverlap));
          expect(plain(bruteForceSearch(all, query, topN, opts))).toEqual(plain(got));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('searchSet picks the same items as search, in any order (property test)', () => {
    const ranked = (r: OverlapSearchResult) => plain(r).sort((a, b) => b.o - a.o || a.id - b.id);
    fc.assert(
      fc.property(
        fc.array(arbSdr, { maxLength: 80 }),
        fc.array(arbSdr, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        (items, queries, topN, minOverlap) => {
          const index = new OverlapIndex(grid);
          for (const s of items) index.add(s);
          // Alternating with search: each leaves the shared accumulator clean for the other.
          for (const query of queries) {
            const opts = { minOverlap };
            expect(ranked(index.searchSet(query, topN, opts))).toEqual(
              naive(items, query, topN, minOverlap),
            );
            expect(plain(index.search(query, topN, opts))).toEqual(
              naive(items, query, topN, minOverlap),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('searchSet cuts a large tie at the lowest ids', () => {
    const { rng, small, items, index } = thousandsTied(3);
    const sizes = [1, 7, 300, 2500, 4999, 6000];
    for (let t = 0; t < 40; t++) sizes.push(1 + Math.floor(rng() * 5000));
    for (const topN of sizes) {
      const query = makeSDR(small, sampleWithoutReplacement(rng, 9, 4));
      const got = plain(index.searchSet(query, topN)).sort((a, b) => b.o - a.o || a.id - b.id);
      expect(got).toEqual(naive(items, query, topN));
    }
  });

  it('bestOfSet orders the best of a searchSet as search does (property test)', () => {
    fc.assert(
      fc.property(
        fc.array(arbSdr, { maxLength: 80 }),
        arbSdr,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (items, query, shortlist, top) => {
          const index = new OverlapIndex(grid);
          for (const s of items) index.add(s);
          const t = Math.min(top, shortlist);
          expect(plain(bestOfSet(index.searchSet(query, shortlist), t))).toEqual(
            naive(items, query, t),
          );
        },
      ),
      { numRuns: 200 },
    );
    expect(() => bestOfSet({ ids: new Uint32Array(0), overlaps: new Uint32Array(0) }, -1)).toThrow(
      /whole number/,
    );
  });

  it('bestOfSet takes the lowest ids of a tie thousands long', () => {
    const { rng, small, items, index } = thousandsTied(8);
    for (const top of [1, 10, 50, 400]) {
      const query = makeSDR(small, sampleWithoutReplacement(rng, 9, 4));
      expect(plain(bestOfSet(index.searchSet(query, 3000), top))).toEqual(naive(items, query, top));
    }
  });

  it('stores rows in bulk with addMany, in any order within a row', () => {
    const rng = createRng(17);
    const k = 6;
    const rows = 500;
    const flat = new Uint32Array(rows * k);
    const sorted = new Uint32Array(rows * k);
    for (let r = 0; r < rows; r++) {
      const cells = sampleWithoutReplacement(rng, n, k);
      flat.set(cells, r * k);
      sorted.set(cells.slice().sort(), r * k);
    }
    const index = new OverlapIndex(grid);
    expect(index.add(makeSDR(grid, [0, 1, 2, 3, 4, 5]))).toBe(0);
    expect(index.addMany(flat, k)).toBe(1);
    const items = [makeSDR(grid, [0, 1, 2, 3, 4, 5])];
    for (let r = 0; r < rows; r++) items.push(makeSDR(grid, flat.subarray(r * k, r * k + k)));
    for (let t = 0; t < 20; t++) {
      const query = makeSDR(grid, sampleWithoutReplacement(rng, n, k));
      const got = plain(index.search(query, 25));
      expect(got).toEqual(naive(items, query, 25));
      // The row scan numbers the rows from 0: they are items 1… of the index.
      const rowsOnly = plain(bruteForceSearchRows(sorted, k, query, 25));
      expect(rowsOnly).toEqual(naive(items.slice(1), query, 25));
    }
  });

  it('counts past 255 shared cells on big queries (wider accumulator)', () => {
    const big = makeGrid(32, 32);
    const index = new OverlapIndex(big);
    const cells = Array.from({ length: 600 }, (_, i) => i);
    index.add(makeSDR(big, cells.slice(0, 300)));
    index.add(makeSDR(big, cells));
    index.add(makeSDR(big, [1000]));
    const result = plain(index.search(makeSDR(big, cells), 5));
    expect(result).toEqual([
      { id: 1, o: 600 },
      { id: 0, o: 300 },
    ]);
    // A small query after a big one: the narrow accumulator starts clean.
    expect(plain(index.search(makeSDR(big, [0, 1000]), 5))).toEqual([
      { id: 0, o: 1 },
      { id: 1, o: 1 },
      { id: 2, o: 1 },
    ]);
  });

  it('refuses bad input with clear messages', () => {
    const index = new OverlapIndex(grid);
    const other = makeSDR(makeGrid(4, 4), [1]);
    expect(() => index.add(other)).toThrow(/8×8 rect grid, not 4×4 rect/);
    expect(() => index.search(other, 3)).toThrow(/query is on a 4×4/);
    expect(() => index.addMany(new Uint32Array(5), 2)).toThrow(/rows of 2/);
    expect(() => index.addMany(Uint32Array.of(1, 64), 2)).toThrow(/unit 64, outside/);
    expect(() => index.addMany(Uint32Array.of(1, 2, 3, 3), 2)).toThrow(/row 1 repeats unit 3/);
    expect(() => index.search(makeSDR(grid, [1]), -1)).toThrow(/topN/);
    expect(() => index.search(makeSDR(grid, [1]), 3, { minOverlap: 0 })).toThrow(/minOverlap/);
    expect(index.size).toBe(0);
    expect(index.search(makeSDR(grid, [1]), 3).ids.length).toBe(0);
  });
});
