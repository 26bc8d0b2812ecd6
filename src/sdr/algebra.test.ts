import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid } from '../grid/grid.ts';
import {
  complement,
  difference,
  intersection,
  jaccard,
  overlap,
  overlapDense,
  overlapSorted,
  sdrEquals,
  union,
  unionAll,
} from './algebra.ts';
import { makeSDR, toDense, type SDR } from './sdr.ts';

const grid = makeGrid(8, 10);
const n = gridSize(grid);
const runs = { numRuns: 200 };

/** Arbitrary SDR on the 8×10 grid: any subset of its 80 cells, sparse or dense. */
const arbSdr = fc
  .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n })
  .map((xs) => makeSDR(grid, xs));
const arbNonEmpty = fc
  .uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: n })
  .map((xs) => makeSDR(grid, xs));

const cells = (s: SDR) => Array.from(s.active);
const asSet = (s: SDR) => new Set(s.active);

describe('set operations on small examples', () => {
  const a = makeSDR(grid, [1, 3, 5, 7]);
  const b = makeSDR(grid, [3, 4, 5, 79]);

  it('computes union, intersection and difference', () => {
    expect(cells(union(a, b))).toEqual([1, 3, 4, 5, 7, 79]);
    expect(cells(intersection(a, b))).toEqual([3, 5]);
    expect(cells(difference(a, b))).toEqual([1, 7]);
    expect(cells(difference(b, a))).toEqual([4, 79]);
  });

  it('takes the complement over the whole grid', () => {
    const c = complement(a);
    expect(c.active.length).toBe(n - 4);
    expect(c.active[0]).toBe(0);
    expect(c.active[1]).toBe(2);
    expect(c.active[c.active.length - 1]).toBe(79);
    expect(complement(makeSDR(grid, [])).active.length).toBe(n);
  });

  it('counts overlap and Jaccard', () => {
    expect(overlap(a, b)).toBe(2);
    expect(jaccard(a, b)).toBeCloseTo(2 / 6, 12);
    expect(jaccard(makeSDR(grid, []), makeSDR(grid, []))).toBe(1);
    expect(jaccard(a, makeSDR(grid, []))).toBe(0);
  });

  it('counts overlap against a dense query', () => {
    expect(overlapDense(toDense(a), b)).toBe(2);
    expect(() => overlapDense(new Uint8Array(3), b)).toThrow(/3 cells/);
  });

  it('refuses SDRs of different grids with a clear message', () => {
    const other = makeSDR(makeGrid(10, 8), [1]);
    expect(() => union(a, other)).toThrow(/different grids/);
    expect(() => overlap(a, other)).toThrow(/different grids/);
    expect(() => unionAll([a, other])).toThrow(/different grids/);
    expect(() => unionAll([])).toThrow(/at least one/);
    expect(sdrEquals(a, makeSDR(makeGrid(8, 10, 'hex'), [1, 3, 5, 7]))).toBe(false);
  });

  it('unions many SDRs on both the sparse and the dense path', () => {
    const big = makeGrid(1024, 1024);
    const sparse = [makeSDR(big, [5, 900000]), makeSDR(big, [5, 7]), makeSDR(big, [1_000_000])];
    expect(cells(unionAll(sparse))).toEqual([5, 7, 900000, 1_000_000]);
    const dense = [makeSDR(grid, [0, 1, 2]), makeSDR(grid, [2, 3]), makeSDR(grid, [79, 0])];
    expect(cells(unionAll(dense))).toEqual([0, 1, 2, 3, 79]);
  });
});

describe('algebra laws (property tests)', () => {
  it('union is commutative and associative, and unionAll agrees with it', () => {
    fc.assert(
      fc.property(arbSdr, arbSdr, arbSdr, (a, b, c) => {
        expect(cells(union(a, b))).toEqual(cells(union(b, a)));
        expect(cells(union(union(a, b), c))).toEqual(cells(union(a, union(b, c))));
        expect(cells(unionAll([a, b, c]))).toEqual(cells(union(union(a, b), c)));
      }),
      runs,
    );
  });

  it('intersection is commutative and no larger than either side', () => {
    fc.assert(
      fc.property(arbSdr, arbSdr, (a, b) => {
        const ab = intersection(a, b);
        expect(cells(ab)).toEqual(cells(intersection(b, a)));
        expect(ab.active.length).toBeLessThanOrEqual(Math.min(a.active.length, b.active.length));
        const sa = asSet(a);
        const sb = asSet(b);
        for (const i of ab.active) expect(sa.has(i) && sb.has(i)).toBe(true);
      }),
      runs,
    );
  });

  it('|A ∪ B| = |A| + |B| − |A ∩ B|, and overlap is symmetric and equals |A ∩ B|', () => {
    fc.assert(
      fc.property(arbSdr, arbSdr, (a, b) => {
        const shared = overlap(a, b);
        expect(shared).toBe(overlap(b, a));
        expect(shared).toBe(intersection(a, b).active.length);
        expect(shared).toBe(overlapSorted(a.active, b.active));
        expect(shared).toBe(overlapDense(toDense(a), b));
        expect(union(a, b).active.length).toBe(a.active.length + b.active.length - shared);
      }),
      runs,
    );
  });

  it('Jaccard lies in [0, 1] and is 1 exactly when the SDRs are equal', () => {
    fc.assert(
      fc.property(arbNonEmpty, arbNonEmpty, (a, b) => {
        const j = jaccard(a, b);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(j === 1).toBe(sdrEquals(a, b));
        expect(jaccard(a, a)).toBe(1);
      }),
      runs,
    );
  });

  it('A − B shares nothing with B, and (A − B) ∪ (A ∩ B) = A', () => {
    fc.assert(
      fc.property(arbSdr, arbSdr, (a, b) => {
        const d = difference(a, b);
        expect(intersection(d, b).active.length).toBe(0);
        expect(cells(union(d, intersection(a, b)))).toEqual(cells(a));
      }),
      runs,
    );
  });

  it('complement is an involution, disjoint from A, and covers the grid with A', () => {
    fc.assert(
      fc.property(arbSdr, (a) => {
        const c = complement(a);
        expect(cells(complement(c))).toEqual(cells(a));
        expect(intersection(c, a).active.length).toBe(0);
        expect(union(c, a).active.length).toBe(n);
      }),
      runs,
    );
  });
});
