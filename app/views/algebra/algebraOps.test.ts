import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyOperation, conceptsOf, describeOperation } from './algebraOps.ts';
import { makeGrid, makeSDR } from '../../../src/index.ts';

const grid = makeGrid(4, 4);
const a = makeSDR(grid, [0, 1, 2, 5]);
const b = makeSDR(grid, [2, 5, 9]);
const c = makeSDR(grid, [1, 15]);
const cells = (s: { active: Uint32Array }) => Array.from(s.active);

describe('applyOperation', () => {
  it('unites, intersects, subtracts and complements', () => {
    expect(cells(applyOperation('union', [a, b]))).toEqual([0, 1, 2, 5, 9]);
    expect(cells(applyOperation('intersection', [a, b]))).toEqual([2, 5]);
    expect(cells(applyOperation('difference', [a, b, c]))).toEqual([0]);
    expect(cells(applyOperation('not', [a]))).toEqual([3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(cells(applyOperation('not', [a, b]))).not.toContain(9);
  });

  it('keeps |A ∪ B| ≥ max(|A|, |B|) and |A ∩ B| ≤ min, for any SDRs', () => {
    const sdr = fc
      .uniqueArray(fc.integer({ min: 0, max: 15 }), { maxLength: 16 })
      .map((ix) => makeSDR(grid, ix));
    fc.assert(
      fc.property(sdr, sdr, (x, y) => {
        const u = applyOperation('union', [x, y]).active.length;
        const i = applyOperation('intersection', [x, y]).active.length;
        expect(u).toBeGreaterThanOrEqual(Math.max(x.active.length, y.active.length));
        expect(i).toBeLessThanOrEqual(Math.min(x.active.length, y.active.length));
        expect(u + i).toBe(x.active.length + y.active.length);
        const d = applyOperation('difference', [x, y]).active.length;
        expect(d + i).toBe(x.active.length);
        expect(applyOperation('not', [x]).active.length).toBe(16 - x.active.length);
      }),
    );
  });

  it('gives a single item back for difference and union of one, and refuses none', () => {
    expect(applyOperation('difference', [a])).toBe(a);
    expect(cells(applyOperation('union', [a]))).toEqual(cells(a));
    expect(() => applyOperation('union', [])).toThrow(/pick at least one item/);
  });
});

describe('describeOperation', () => {
  it('writes the operation with the names', () => {
    expect(describeOperation('union', ['cat', 'dog'])).toBe('“cat” ∪ “dog”');
    expect(describeOperation('difference', ['cat', 'dog', 'fox'])).toBe('“cat” ∖ (“dog” ∪ “fox”)');
    expect(describeOperation('not', ['cat'])).toBe('¬“cat”');
    expect(describeOperation('intersection', [])).toBe('');
  });
});

describe('conceptsOf', () => {
  it('counts the labels under the active units, most first, ties in unit order', () => {
    const labels = Array.from({ length: 16 }, (_, i) =>
      i < 2 ? 'cat' : i === 5 ? 'dog' : i === 2 ? 'dog' : '',
    );
    expect(conceptsOf(a, labels, 5)).toEqual([
      { label: 'cat', units: 2 },
      { label: 'dog', units: 2 },
    ]);
    expect(conceptsOf(a, labels, 1)).toEqual([{ label: 'cat', units: 2 }]);
    expect(conceptsOf(a, null, 5)).toEqual([]);
  });
});
