import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../encode/encode.ts';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { train } from '../som/trainer.ts';
import { createRng, randomNormal, sampleWithoutReplacement } from '../util/random.ts';
import {
  defaultShortlist,
  exactSearch,
  itemSearch,
  rankCandidates,
  recallOf,
  unitQuery,
} from './twoStage.ts';

describe('exactSearch and rankCandidates', () => {
  const d = 3;
  // Unit rows: e0, e1, (e0+e1)/√2, −e0.
  const s = Math.SQRT1_2;
  const rows = Float32Array.from([1, 0, 0, 0, 1, 0, s, s, 0, -1, 0, 0]);
  it('ranks every row by cosine, ties to the lower id, and normalises the query', () => {
    const r = exactSearch(rows, d, Float32Array.from([3, 0, 0]), 4);
    expect(Array.from(r.ids)).toEqual([0, 2, 1, 3]);
    expect(r.cosines![0]).toBeCloseTo(1, 6);
    expect(r.dotProducts).toBe(4);
    const tie = exactSearch(rows, d, Float32Array.from([0, 0, 1]), 2);
    expect(Array.from(tie.ids)).toEqual([0, 1]);
  });
  it('ranks only the candidates it is given', () => {
    const r = rankCandidates(rows, d, Float32Array.from([1, 0, 0]), Uint32Array.from([3, 1]), 10);
    expect(Array.from(r.ids)).toEqual([1, 3]);
    expect(() => rankCandidates(rows, d, Float32Array.from([1, 0, 0]), Uint32Array.from([9]), 1)).toThrow(/beyond/); // prettier-ignore
  });
});

describe('ItemSearch.rerank against a plain reference', () => {
  it('returns the items, cosines and overlaps of a sort-everything implementation', () => {
    const rng = createRng(11);
    const grid = makeGrid(6, 6);
    const m = gridSize(grid);
    const k = 4;
    const d = 5;
    const n = 700;
    const sdrs = new Uint32Array(n * k);
    for (let i = 0; i < n; i++) sdrs.set(sampleWithoutReplacement(rng, m, k).sort(), i * k);
    const rows = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const v = Float32Array.from({ length: d }, () => randomNormal(rng));
      rows.set(unitQuery(v), i * d);
    }
    // Every fifth row repeats an earlier one, so cosines tie too.
    for (let i = 5; i < n; i += 5) rows.copyWithin(i * d, (i - 5) * d, (i - 4) * d);
    const search = itemSearch(grid, sdrs, k, rows, d);
    for (let t = 0; t < 30; t++) {
      const querySdr = sdrFromSorted(grid, sampleWithoutReplacement(rng, m, k).sort());
      const query = Float32Array.from({ length: d }, () => randomNormal(rng));
      const q = unitQuery(query);
      const shortlist = 10 + Math.floor(rng() * 300);
      const top = 1 + Math.floor(rng() * 12);
      // Reference: every item's overlap, sorted (overlap desc, id asc), cut, then every
      // candidate's cosine, sorted (cosine desc, id asc), cut.
      const all = Array.from({ length: n }, (_, id) => {
        const row = sdrs.subarray(id * k, id * k + k);
        const o = row.filter((u) => querySdr.active.includes(u)).length;
        let c = 0;
        for (let j = 0; j < d; j++) c += rows[id * d + j] * q[j];
        return { id, o, c: Math.fround(c) };
      });
      const want = all
        .filter((e) => e.o > 0)
        .sort((a, b) => b.o - a.o || a.id - b.id)
        .slice(0, shortlist)
        .sort((a, b) => b.c - a.c || a.id - b.id)
        .slice(0, top);
      const hits = search.rerank(querySdr, query, { top, shortlist });
      expect(Array.from(hits.ids)).toEqual(want.map((e) => e.id));
      expect(Array.from(hits.overlaps!)).toEqual(want.map((e) => e.o));
      hits.cosines!.forEach((c, i) => expect(c).toBeCloseTo(want[i].c, 5));
    }
  });
});

describe('defaultShortlist', () => {
  it('covers 2.5·K units of items, at least 200, at most a tenth of the items', () => {
    expect(defaultShortlist(1_000_000, 20, 1024)).toBe(Math.ceil((2.5 * 20 * 1e6) / 1024));
    expect(defaultShortlist(100_000, 200, 1024)).toBe(10_000); // capped at n/10
    expect(defaultShortlist(1000, 20, 1024)).toBe(200);
    expect(defaultShortlist(50, 20, 1024)).toBe(50);
  });
});

describe('two-stage search on a seeded clustered set', () => {
  it('reaches recall@10 ≥ 0.95 against exact cosine with ≥ 10× fewer dot products', async () => {
    const items = 6000;
    const queries = 60;
    const d = 32;
    const all = syntheticClusters({ n: items + queries, d, clusters: 30, seed: 5 });
    const data = all.data.subarray(0, items * d);
    const grid = makeGrid(16, 16);
    const k = 5; // ≈ 2% of 256 units, as K = 20 is of 32×32
    const snap = await train(data.subarray(0, 3000 * d), 3000, defaultTrainConfig(grid, { epochs: 6, seed: 5 })); // prettier-ignore
    const som = { grid, dim: d, codebook: snap.codebook };
    const search = itemSearch(grid, encodeBatch(som, data, items, { k }).active, k, data, d);
    const q = all.data.subarray(items * d);
    const qa = encodeBatch(som, q, queries, { k }).active;
    let rerank = 0;
    let overlap = 0;
    let dots = 0;
    for (let i = 0; i < queries; i++) {
      const v = q.subarray(i * d, (i + 1) * d);
      const sdr = sdrFromSorted(grid, qa.subarray(i * k, (i + 1) * k));
      const truth = search.exact(v, 10).ids;
      const hits = search.rerank(sdr, v);
      rerank += recallOf(hits.ids, truth);
      overlap += recallOf(search.overlap(sdr, 10).ids, truth);
      dots += hits.dotProducts;
    }
    expect(rerank / queries).toBeGreaterThanOrEqual(0.95);
    expect(dots / queries).toBeLessThanOrEqual(items / 10);
    expect(dots / queries).toBeLessThanOrEqual(defaultShortlist(items, k, gridSize(grid)));
    // The SDR alone is far from it: that is why the second stage exists.
    expect(overlap / queries).toBeLessThan(rerank / queries);
  });

  it('a map without embeddings answers overlap only', () => {
    const grid = makeGrid(2, 2);
    const s = itemSearch(grid, Uint32Array.from([0, 1, 2, 3]), 2, null, 4);
    expect(s.modes).toEqual(['overlap']);
    expect(() => s.exact(new Float32Array(4))).toThrow(/only overlap search/);
    expect(Array.from(s.overlap(sdrFromSorted(grid, Uint32Array.from([2, 3])), 1).ids)).toEqual([1]); // prettier-ignore
  });
});
