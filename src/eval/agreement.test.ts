import { describe, expect, it } from 'vitest';
import { rowHas, sameNearest, sharedShare } from './agreement.ts';

const rows = Int32Array.from([
  4, 2, 9, -1, /* second row */ 2, 4, 7, -1, /* empty */ -1, -1, -1, -1,
]);

describe('neighbour agreement', () => {
  it('compares the nearest item only', () => {
    expect(sameNearest(rows, 0, rows, 4)).toBe(false);
    expect(sameNearest(rows, 0, Int32Array.from([4, 0]), 0)).toBe(true);
    expect(sameNearest(rows, 8, rows, 8)).toBe(true); // both empty
  });

  it('shares the fraction of the clean row still present, in any order', () => {
    expect(sharedShare(rows, 0, rows, 4, 4)).toBeCloseTo(2 / 3, 12);
    expect(sharedShare(rows, 0, rows, 0, 4)).toBe(1);
    expect(sharedShare(rows, 8, rows, 8, 4)).toBe(1);
    expect(sharedShare(rows, 8, rows, 0, 4)).toBe(0);
    expect(sharedShare(rows, 0, rows, 8, 4)).toBe(0);
  });

  it('finds an id in a row, never −1', () => {
    expect(rowHas(rows, 0, 4, 9)).toBe(true);
    expect(rowHas(rows, 4, 4, 9)).toBe(false);
    expect(rowHas(rows, 0, 4, -1)).toBe(false);
  });
});
