import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { hitCounts, mapQuality, quantizationError, topographicError, uMatrix } from './quality.ts';
import type { SomModel } from './types.ts';

// A 1×3 map on a line in 2-D: units at x = 0, 1, 3.
const line: SomModel = {
  grid: makeGrid(1, 3),
  dim: 2,
  codebook: Float32Array.from([0, 0, 1, 0, 3, 0]),
};

describe('quantizationError', () => {
  it('is the mean distance to the nearest unit', () => {
    // Distances 0.5 (to unit 0), 0.25 (unit 1), 1 (unit 2, via y).
    const data = Float32Array.from([0, 0.5, 1.25, 0, 3, 1]);
    expect(quantizationError(line, data, 3)).toBeCloseTo((0.5 + 0.25 + 1) / 3, 6);
  });

  it('is zero for inputs sitting on units', () => {
    expect(quantizationError(line, line.codebook, 3)).toBeCloseTo(0, 6);
  });
});

describe('topographicError', () => {
  it('counts inputs whose two best units are not grid neighbours', () => {
    // x = 0.4: best 0, second 1 (neighbours). x = 2.2: best 2 (0.8), second 1 (1.2): neighbours.
    // On a map whose codebook is folded (unit 1 far away) the best two of x=0.4 are 0 and 2.
    expect(topographicError(line, Float32Array.from([0.4, 0, 2.2, 0]), 2)).toBe(0);
    const folded: SomModel = { ...line, codebook: Float32Array.from([0, 0, 5, 0, 1, 0]) };
    expect(topographicError(folded, Float32Array.from([0.4, 0, 4.8, 0]), 2)).toBe(0.5);
  });

  it('counts a diagonal best pair on a square grid as neighbours, and a two-step pair as an error', () => {
    // A 3×3 map whose units sit at (col, row) in the plane, so a point's best two follow the grid.
    const grid = makeGrid(3, 3);
    const codebook = new Float32Array(18);
    for (let u = 0; u < 9; u++) {
      codebook[2 * u] = u % 3;
      codebook[2 * u + 1] = Math.floor(u / 3);
    }
    const square: SomModel = { grid, dim: 2, codebook };
    // Near the centre unit 4, a little towards the corner unit 8: best 4, second 8 (diagonal).
    expect(topographicError(square, Float32Array.from([1.3, 1.3]), 1)).toBe(0);
    // Swap units 4 and 8 in the codebook: near (0.6, 0.6) the best is now unit 8 and the second
    // unit 0, two grid steps apart.
    const folded = Float32Array.from(codebook);
    folded.set([1, 1], 16);
    folded.set([2, 2], 8);
    expect(
      topographicError({ ...square, codebook: folded }, Float32Array.from([0.6, 0.6]), 1),
    ).toBe(1);
  });

  it('is zero on a one-unit map', () => {
    const one: SomModel = { grid: makeGrid(1, 1), dim: 2, codebook: Float32Array.from([0, 0]) };
    expect(topographicError(one, Float32Array.from([1, 1]), 1)).toBe(0);
  });
});

describe('hitCounts', () => {
  it('counts best matches per unit, summing to n', () => {
    const data = Float32Array.from([0.1, 0, -1, 0, 0.9, 0, 2.9, 0, 3.5, 0]);
    expect(Array.from(hitCounts(line, data, 5))).toEqual([2, 1, 2]);
  });
});

describe('uMatrix', () => {
  it('averages the distance to each unit’s grid neighbours', () => {
    // Unit 0: neighbour 1 at distance 1. Unit 1: neighbours at 1 and 2. Unit 2: neighbour at 2.
    expect(Array.from(uMatrix(line))).toEqual([1, 1.5, 2]);
  });

  it('uses 4-neighbourhoods on a rect 2×2 map', () => {
    const sq: SomModel = {
      grid: makeGrid(2, 2),
      dim: 1,
      codebook: Float32Array.from([0, 1, 3, 10]),
    };
    // Unit 0: |0−1|, |0−3| → 2. Unit 1: |1−0|, |1−10| → 5. Unit 2: 3, 7 → 5. Unit 3: 9, 7 → 8.
    expect(Array.from(uMatrix(sq))).toEqual([2, 5, 5, 8]);
  });

  it('refuses a codebook that does not fit the grid', () => {
    expect(() => uMatrix({ ...line, codebook: new Float32Array(5) })).toThrow(/codebook holds/);
  });
});

describe('mapQuality', () => {
  it('gives both figures of the separate functions in one pass', () => {
    const folded: SomModel = { ...line, codebook: Float32Array.from([0, 0, 5, 0, 1, 0]) };
    const data = Float32Array.from([0.4, 0, 4.8, 0, 2, 1]);
    const q = mapQuality(folded, data, 3);
    expect(q.quantizationError).toBeCloseTo(quantizationError(folded, data, 3), 6);
    expect(q.topographicError).toBe(topographicError(folded, data, 3));
  });
});
