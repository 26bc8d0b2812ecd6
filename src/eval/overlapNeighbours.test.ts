import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { OverlapIndex, bruteForceSearch } from '../sdr/overlapIndex.ts';
import { makeSDR, type SDR } from '../sdr/sdr.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { overlapNeighbours } from './overlapNeighbours.ts';

const grid = makeGrid(6, 6);
const rng = createRng(21);
const items: SDR[] = Array.from({ length: 40 }, () =>
  makeSDR(grid, sampleWithoutReplacement(rng, 36, 5)),
);
const index = new OverlapIndex(grid);
for (const s of items) index.add(s);

describe('overlapNeighbours', () => {
  it('is the overlap ranking without the query’s own item', () => {
    for (let q = 0; q < items.length; q++) {
      const got = overlapNeighbours(index, items[q], 6, q);
      const ref = bruteForceSearch(items, items[q], 7);
      const kept: number[] = [];
      for (const id of ref.ids) if (id !== q && kept.length < 6) kept.push(id);
      const ids = Array.from(got.ids).filter((id) => id >= 0);
      expect(ids).toEqual(kept);
      expect(ids).not.toContain(q);
      for (let t = 0; t < ids.length; t++) {
        const shared = items[q].active.filter((u) => items[ids[t]].active.includes(u)).length;
        expect(got.overlaps[t]).toBe(shared);
      }
    }
  });

  it('pads with −1 when fewer items share a cell', () => {
    const lonely = makeSDR(grid, [0]);
    const small = new OverlapIndex(grid);
    small.add(makeSDR(grid, [0, 1]));
    small.add(makeSDR(grid, [2, 3]));
    const got = overlapNeighbours(small, lonely, 3);
    expect(Array.from(got.ids)).toEqual([0, -1, -1]);
    expect(Array.from(got.overlaps)).toEqual([1, 0, 0]);
  });

  it('refuses a negative topN', () => {
    expect(() => overlapNeighbours(index, items[0], -1)).toThrow(/topN/);
  });
});
