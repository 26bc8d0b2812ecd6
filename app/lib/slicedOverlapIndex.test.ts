import { describe, expect, it } from 'vitest';
import { makeGrid, makeSDR, OverlapIndex, sdrFromSorted } from '../../src/index.ts';
import { buildOverlapIndexSliced, OverlapIndexAbandoned } from './slicedOverlapIndex.ts';

const grid = makeGrid(6, 6);

/** n rows of k distinct ascending units, spread over the grid. */
function rows(n: number, k: number): Uint32Array {
  const out = new Uint32Array(n * k);
  for (let r = 0; r < n; r++) {
    const units = new Set<number>();
    for (let t = 0; units.size < k; t++) units.add((r * 7 + t * t * 3 + t) % 36);
    out.set(
      [...units].sort((a, b) => a - b),
      r * k,
    );
  }
  return out;
}

describe('buildOverlapIndexSliced', () => {
  it('answers every search as an index built in one go, over many slices', async () => {
    const n = 5000;
    const k = 5;
    const active = rows(n, k);
    const sliced = await buildOverlapIndexSliced({ grid, n, k, active }, { sliceMs: 1 });
    const whole = new OverlapIndex(grid);
    whole.addMany(active, k);
    expect(sliced.size).toBe(n);
    expect(sliced.postingCount).toBe(n * k);
    for (const r of [0, 1, 2500, n - 1]) {
      const query = sdrFromSorted(grid, active.subarray(r * k, (r + 1) * k));
      expect(sliced.search(query, 20)).toEqual(whole.search(query, 20));
    }
    const query = makeSDR(grid, [0, 5, 17, 35]);
    expect(sliced.search(query, 50, { minOverlap: 2 })).toEqual(
      whole.search(query, 50, { minOverlap: 2 }),
    );
  });

  it('refuses a row with a unit off the grid or a repeated unit', async () => {
    await expect(
      buildOverlapIndexSliced({ grid, n: 1, k: 2, active: Uint32Array.of(3, 36) }),
    ).rejects.toThrow(/outside the grid/);
    await expect(
      buildOverlapIndexSliced({ grid, n: 1, k: 2, active: Uint32Array.of(4, 4) }),
    ).rejects.toThrow(/not strictly ascending/);
  });

  it('gives up when the rows are no longer wanted', async () => {
    const n = 200_000;
    const k = 4;
    const active = rows(n, k);
    await expect(
      buildOverlapIndexSliced({ grid, n, k, active }, { sliceMs: 1, isWanted: () => false }),
    ).rejects.toBeInstanceOf(OverlapIndexAbandoned);
  });
});
