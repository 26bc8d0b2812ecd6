import { beforeAll, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from '../../../src/eval/testKit.ts';
import { searchBoth } from './search.ts';
import { OverlapIndex, sdrFromSorted } from '../../../src/index.ts';

let t: TestMap;
let index: OverlapIndex;
beforeAll(async () => {
  t = await smallTrainedMap(8);
  index = new OverlapIndex(t.som.grid);
  index.addMany(t.active, t.k);
});

const query = (i: number) => ({
  sdr: sdrFromSorted(t.som.grid, t.active.subarray(i * t.k, (i + 1) * t.k)),
  vector: t.data.slice(i * t.d, (i + 1) * t.d),
});

describe('searchBoth', () => {
  it('finds an item itself first when it is not excluded', () => {
    const r = searchBoth(index, t.data, t.n, t.d, query(12), 5);
    expect(r.overlap[0]).toEqual({ index: 12, score: t.k });
    expect(r.dense[0].index).toBe(12);
    expect(r.dense[0].score).toBeCloseTo(1, 5);
  });

  it('leaves the query item out, ranks by score, and mostly agrees on the same cluster', () => {
    const r = searchBoth(index, t.data, t.n, t.d, { ...query(12), exclude: 12 }, 8);
    expect(r.overlap.map((h) => h.index)).not.toContain(12);
    expect(r.dense.map((h) => h.index)).not.toContain(12);
    expect(r.dense).toHaveLength(8);
    for (let i = 1; i < r.overlap.length; i++) {
      expect(r.overlap[i].score).toBeLessThanOrEqual(r.overlap[i - 1].score);
    }
    // Clustered data: both searches stay in the query's cluster.
    const cluster = t.labels[12];
    expect(r.dense.every((h) => t.labels[h.index] === cluster)).toBe(true);
    expect(r.overlap.filter((h) => t.labels[h.index] === cluster).length).toBeGreaterThan(4);
  });

  it('refuses a query vector of another dimension', () => {
    expect(() =>
      searchBoth(index, t.data, t.n, t.d, { ...query(0), vector: new Float32Array(3) }, 5),
    ).toThrow(/the query has 3 values, the items have 24/);
  });
});
