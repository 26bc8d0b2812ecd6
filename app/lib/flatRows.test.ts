import { describe, expect, it } from 'vitest';
import { appendRows, copyRow, filterRows } from './flatRows.ts';

describe('appendRows', () => {
  it('adds rows after the old ones without touching the old array', () => {
    const base = new Float32Array([1, 2, 3, 4]);
    const out = appendRows(base, 2, [new Float32Array([5, 6]), new Float32Array([7, 8])]);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(out).not.toBe(base);
    expect(Array.from(base)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a row of the wrong length, naming it', () => {
    expect(() => appendRows(new Float32Array(4), 2, [new Float32Array(3)])).toThrow(
      /row 1 has 3 values, expected 2/,
    );
  });
});

describe('filterRows', () => {
  it('keeps the chosen rows in order and preserves their values', () => {
    const data = new Float32Array([0, 0, 1, 1, 2, 2, 3, 3]);
    const out = filterRows(data, 2, (i) => i % 2 === 1);
    expect(Array.from(out)).toEqual([1, 1, 3, 3]);
    expect(Array.from(data)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('refuses data that is not whole rows', () => {
    expect(() => filterRows(new Float32Array(5), 2, () => true)).toThrow(/whole number/);
  });
});

describe('copyRow', () => {
  it('returns a row with a buffer of its own', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const row = copyRow(data, 3, 1);
    expect(Array.from(row)).toEqual([4, 5, 6]);
    expect(row.buffer.byteLength).toBe(3 * 4);
  });
});
