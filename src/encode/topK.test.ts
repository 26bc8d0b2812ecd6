import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topKIndices } from './topK.ts';

/** Reference: a full stable sort, descending by score, ties to the lower index. */
function bruteTopK(scores: number[], k: number): number[] {
  return scores
    .map((v, j) => ({ v, j }))
    .sort((a, b) => b.v - a.v || a.j - b.j)
    .slice(0, k)
    .map((e) => e.j)
    .sort((a, b) => a - b);
}

describe('topKIndices', () => {
  it('equals the first k of a full sort, ties included', () => {
    fc.assert(
      fc.property(
        // Few distinct values, so ties are common.
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 80 }),
        fc.nat(),
        (values, kSeed) => {
          const k = 1 + (kSeed % values.length);
          const out = new Uint32Array(k);
          const best = topKIndices(values, 0, values.length, k, out, 0);
          expect(Array.from(out)).toEqual(bruteTopK(values, k));
          expect(best).toBe(Math.max(...values));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads from an offset and writes ascending rows into a flat output', () => {
    const scores = Float32Array.from([9, 9, 9, 0.1, 0.9, 0.5, 0.7, 0.2]);
    const out = new Uint32Array(6).fill(99);
    topKIndices(scores, 3, 5, 3, out, 3);
    expect(Array.from(out)).toEqual([99, 99, 99, 1, 2, 3]);
  });

  it('refuses k outside 1..m', () => {
    expect(() => topKIndices([1, 2], 0, 2, 3, new Uint32Array(3), 0)).toThrow(/k must/);
    expect(() => topKIndices([1, 2], 0, 2, 0, new Uint32Array(1), 0)).toThrow(/k must/);
  });
});
