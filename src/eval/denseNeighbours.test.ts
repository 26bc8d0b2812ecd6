import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../som/synthetic.ts';
import { denseNeighbours } from './denseNeighbours.ts';

const { data, n, d } = syntheticClusters({ n: 80, d: 16, clusters: 4, seed: 11 });

/** Reference: sort every row by dot product (desc), ties by id. */
function reference(query: number, topN: number, exclude: number): number[] {
  const scored: { id: number; s: number }[] = [];
  for (let r = 0; r < n; r++) {
    if (r === exclude) continue;
    let s = 0;
    for (let t = 0; t < d; t++) s += data[query * d + t] * data[r * d + t];
    scored.push({ id: r, s: Math.fround(s) });
  }
  return scored
    .sort((a, b) => b.s - a.s || a.id - b.id)
    .slice(0, topN)
    .map((x) => x.id);
}

describe('denseNeighbours', () => {
  it('finds the rows of highest cosine, best first, leaving out the excluded row', () => {
    const queries = data.subarray(0, 10 * d);
    const exclude = Int32Array.from({ length: 10 }, (_, i) => i);
    const res = denseNeighbours(data, n, d, queries, 10, 7, exclude);
    for (let q = 0; q < 10; q++) {
      const ids = Array.from(res.ids.subarray(q * 7, (q + 1) * 7));
      expect(ids).not.toContain(q);
      expect(ids).toEqual(reference(q, 7, q));
      const scores = Array.from(res.scores.subarray(q * 7, (q + 1) * 7));
      for (let t = 1; t < 7; t++) expect(scores[t]).toBeLessThanOrEqual(scores[t - 1]);
    }
  });

  it('finds the query itself first when nothing is excluded', () => {
    const res = denseNeighbours(data, n, d, data.subarray(5 * d, 6 * d), 1, 3);
    expect(res.ids[0]).toBe(5);
    expect(res.scores[0]).toBeCloseTo(1, 5);
  });

  it('keeps the lower id first on equal scores and pads with −1 when rows run out', () => {
    const rows = new Float32Array([1, 0, 1, 0, 0, 1]); // rows 0 and 1 are the same vector
    const res = denseNeighbours(rows, 3, 2, new Float32Array([1, 0]), 1, 3, new Int32Array([2]));
    expect(Array.from(res.ids)).toEqual([0, 1, -1]);
    expect(Number.isNaN(res.scores[2])).toBe(true);
  });

  it('refuses topN beyond the rows and short arrays', () => {
    expect(() => denseNeighbours(data, n, d, data, 1, n + 1)).toThrow(/topN must be/);
    expect(() => denseNeighbours(data, n, d, data.subarray(0, d - 1), 1, 2)).toThrow(/queries/);
  });
});
