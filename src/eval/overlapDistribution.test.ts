import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { overlap } from '../sdr/algebra.ts';
import { OverlapIndex } from '../sdr/overlapIndex.ts';
import { makeSDR, type SDR } from '../sdr/sdr.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { fractionAtLeast, overlapDistribution } from './overlapDistribution.ts';

const grid = makeGrid(5, 5);
const rng = createRng(8);
const k = 6;
const items: SDR[] = Array.from({ length: 30 }, () =>
  makeSDR(grid, sampleWithoutReplacement(rng, 25, k)),
);
const index = new OverlapIndex(grid);
for (const s of items) index.add(s);

describe('overlapDistribution', () => {
  it('tallies every (query, other item) pair by its overlap, leaving each query out', () => {
    const queries = [0, 4, 17];
    const dist = overlapDistribution(
      index,
      queries.map((q) => items[q]),
      Int32Array.from(queries),
      k,
    );
    const expected = new Float64Array(k + 1);
    for (const q of queries) {
      for (let j = 0; j < items.length; j++) if (j !== q) expected[overlap(items[q], items[j])]++;
    }
    expect(Array.from(dist.counts)).toEqual(Array.from(expected));
    expect(dist.pairs).toBe(3 * 29);
    expect(dist.queries).toBe(3);
  });

  it('counts a query that is not stored against every item', () => {
    const outsider = makeSDR(grid, [0, 1, 2]);
    const dist = overlapDistribution(index, [outsider], new Int32Array([-1]), k);
    expect(dist.pairs).toBe(30);
    expect(dist.counts.reduce((a, b) => a + b, 0)).toBe(30);
  });

  it('gives a fraction ≥ θ that starts at 1 and never rises with θ', () => {
    const dist = overlapDistribution(index, items, Int32Array.from(items.keys()), k);
    expect(fractionAtLeast(dist, 0)).toBe(1);
    let last = 1;
    for (let theta = 1; theta <= k + 1; theta++) {
      const f = fractionAtLeast(dist, theta);
      expect(f).toBeLessThanOrEqual(last);
      last = f;
    }
    expect(fractionAtLeast(dist, k + 1)).toBe(0);
    expect(() => fractionAtLeast(dist, -1)).toThrow(/θ must be/);
  });
});
