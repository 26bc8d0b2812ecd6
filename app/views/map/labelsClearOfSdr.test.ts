import { describe, expect, it } from 'vitest';
import { labelsClearOfSdr } from './labelsClearOfSdr.ts';
import { makeGrid } from '../../../src/index.ts';

const grid = makeGrid(4, 8);
const labels = Array.from({ length: 32 }, (_, i) => `u${i}`);

describe('labelsClearOfSdr', () => {
  it('clears the labels on and beside the active units, and keeps the rest', () => {
    const out = labelsClearOfSdr(labels, grid, [8 + 4], 2); // row 1, column 4
    const cleared = out.map((l, i) => (l === '' ? i : -1)).filter((i) => i >= 0);
    // Row 1: columns 2..6; rows 0 and 2: columns 3..5.
    expect(cleared).toEqual([3, 4, 5, 10, 11, 12, 13, 14, 19, 20, 21]);
    expect(out[0]).toBe('u0');
    expect(labels[12]).toBe('u12'); // the input is not changed
  });

  it('stays inside the grid at its edges', () => {
    const out = labelsClearOfSdr(labels, grid, [0, 31]);
    expect(out).toHaveLength(32);
    expect(out[0]).toBe('');
    expect(out[31]).toBe('');
    expect(out[23]).toBe(''); // just above unit 31
    expect(out[15]).toBe('u15'); // two rows above: kept
  });

  it('hands the labels back untouched without an SDR', () => {
    expect(labelsClearOfSdr(labels, grid, [])).toBe(labels);
  });
});
