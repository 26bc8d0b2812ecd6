import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { encodeRandomCode, randomCode } from './randomCode.ts';

describe('randomCode', () => {
  const grid = makeGrid(8, 8);
  it('gives every unit fanIn signed inputs of one weight, the same for the same seed', () => {
    const a = randomCode(grid, 40, 3);
    expect(a.fanIn).toBe(4);
    for (let u = 0; u < 64; u++) {
      const row = Array.from(a.projection.subarray(u * 40, (u + 1) * 40)).filter((v) => v !== 0);
      expect(row).toHaveLength(4);
      for (const v of row) expect(Math.abs(v)).toBeCloseTo(0.5, 6);
    }
    expect(randomCode(grid, 40, 3).projection).toEqual(a.projection);
    expect(randomCode(grid, 40, 4).projection).not.toEqual(a.projection);
    expect(() => randomCode(grid, 40, 1, 41)).toThrow(/fanIn/);
  });

  it('encodes K distinct units per row, ascending, and close inputs share units', () => {
    const code = randomCode(grid, 16, 1);
    const { data, n } = syntheticClusters({ n: 50, d: 16, clusters: 2, seed: 2 });
    const active = encodeRandomCode(code, data, n, 5);
    expect(active).toHaveLength(50 * 5);
    for (let i = 0; i < n; i++) {
      for (let t = 1; t < 5; t++) expect(active[i * 5 + t]).toBeGreaterThan(active[i * 5 + t - 1]);
    }
    // The same row twice gives the same SDR (winner-take-all is deterministic).
    const twice = encodeRandomCode(code, data.subarray(0, 16), 1, 5);
    expect(Array.from(twice)).toEqual(Array.from(active.subarray(0, 5)));
  });
});
