import { describe, expect, it } from 'vitest';
import { createLabWorkerApi, makeGrid, OverlapIndex } from '../../src/index.ts';
import { measureOverlapsSliced, OverlapCountsAbandoned } from './slicedOverlapCounts.ts';

const grid = makeGrid(6, 6);
const k = 4;

/** n rows of k distinct ascending units. */
function rows(n: number): Uint32Array {
  const out = new Uint32Array(n * k);
  for (let r = 0; r < n; r++) {
    const units = new Set<number>();
    for (let t = 0; units.size < k; t++) units.add((r * 5 + t * t * 7 + t) % 36);
    out.set(
      [...units].sort((a, b) => a - b),
      r * k,
    );
  }
  return out;
}

describe('measureOverlapsSliced', () => {
  it("gives the lab worker's counts for the same sample, over many slices", async () => {
    const n = 3000;
    const active = rows(n);
    const index = new OverlapIndex(grid);
    index.addMany(active, k);
    const page = await measureOverlapsSliced(index, active, k, { sample: 40, seed: 3, sliceMs: 1 });
    const worker = await createLabWorkerApi().overlapCounts({
      grid,
      k,
      active,
      sample: 40,
      seed: 3,
    });
    expect(page.queries).toBe(40);
    expect(page.pairs).toBe(40 * (n - 1));
    expect(Array.from(page.counts)).toEqual(Array.from(worker.counts));
  });

  it('gives up when no longer wanted', async () => {
    const n = 20_000;
    const active = rows(n);
    const index = new OverlapIndex(grid);
    index.addMany(active, k);
    await expect(
      measureOverlapsSliced(index, active, k, { sliceMs: 1, isWanted: () => false }),
    ).rejects.toBeInstanceOf(OverlapCountsAbandoned);
  });
});
