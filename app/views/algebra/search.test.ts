import { beforeAll, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from '../../../src/eval/testKit.ts';
import { exactRecallCheck, listAgreement, searchBoth } from './search.ts';
import { defaultShortlist, exactSearch, OverlapIndex, sdrFromSorted } from '../../../src/index.ts';

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

  it('ranks the overlap shortlist by cosine and says how far the two lists agree', () => {
    const r = searchBoth(index, t.data, t.n, t.d, { ...query(3), exclude: 3 }, 10);
    expect(r.mode).toBe('rerank');
    // The engine's shortlist rule (at least 200 items, topped up with items sharing no unit):
    // the two stages find nearly what brute force finds, and more of the true neighbours than
    // the overlap ranking alone.
    const truth = Array.from(exactSearch(t.data, t.d, query(3).vector, 11).ids).filter(
      (i) => i !== 3,
    );
    const hitsOf = (list: readonly { index: number }[]) =>
      list.filter((h) => truth.includes(h.index)).length / 10;
    // The check over every item, a slice of 50 rows at a time, gives the same share.
    const check = exactRecallCheck(t.data, t.n, t.d, { ...query(3), exclude: 3 }, r.dense, 50);
    let steps = 1;
    while (!check.step()) steps++;
    expect(steps).toBe(Math.ceil(t.n / 50));
    const recall = check.recall();
    expect(recall).toBeCloseTo(hitsOf(r.dense), 10);
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(recall).toBeGreaterThanOrEqual(hitsOf(r.overlap));
    expect(r.shortlist).toBe(defaultShortlist(t.n, t.k, t.som.grid.rows * t.som.grid.cols));
    expect(r.shortlist).toBeLessThanOrEqual(t.n);
    for (let i = 1; i < r.dense.length; i++) {
      expect(r.dense[i].score).toBeLessThanOrEqual(r.dense[i - 1].score);
    }
    expect(r.agreement).toBeCloseTo(listAgreement(r.dense, r.overlap), 10);
  });

  it('the exact check says nothing before it has scanned every item', () => {
    const r = searchBoth(index, t.data, t.n, t.d, query(5), 10);
    const check = exactRecallCheck(t.data, t.n, t.d, query(5), r.dense, 7);
    expect(check.step()).toBe(false);
    expect(() => check.recall()).toThrow(/not scanned every item/);
    while (!check.step());
    expect(check.recall()).toBeGreaterThanOrEqual(0.8);
  });

  it('is overlap only when there are no stored embeddings', () => {
    const r = searchBoth(index, new Float32Array(0), t.n, t.d, { ...query(3), exclude: 3 }, 10);
    expect(r.mode).toBe('overlap');
    expect(r.dense).toEqual([]);
    expect(r.overlap.length).toBeGreaterThan(0);
    expect(r.overlap.map((h) => h.index)).not.toContain(3);
  });
});

describe('listAgreement', () => {
  it('counts the items two lists share over the longer list', () => {
    const hit = (index: number) => ({ index, score: 0 });
    expect(listAgreement([hit(1), hit(2), hit(3), hit(4)], [hit(4), hit(9), hit(1)])).toBe(0.5);
    expect(listAgreement([], [])).toBe(1);
  });
});
