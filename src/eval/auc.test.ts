import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyAuc } from './auc.ts';

/** The definition itself: compare every positive with every negative. */
function pairwiseAuc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

describe('mannWhitneyAuc', () => {
  it('is 1 for perfect separation, 0 reversed, 0.5 when all scores tie', () => {
    expect(mannWhitneyAuc([3, 4, 5], [0, 1, 2])).toBe(1);
    expect(mannWhitneyAuc([0, 1, 2], [3, 4, 5])).toBe(0);
    expect(mannWhitneyAuc([7, 7], [7, 7, 7])).toBe(0.5);
  });

  it('counts a tie as one half', () => {
    // Pairs: (2 vs 1) win, (2 vs 2) tie, (1 vs 1) tie, (1 vs 2) loss → (1 + 0.5 + 0.5) / 4.
    expect(mannWhitneyAuc([2, 1], [1, 2])).toBe(0.5);
    expect(mannWhitneyAuc([2], [1, 2])).toBe(0.75);
  });

  it('equals the pairwise definition on any scores, ties included', () => {
    const scores = fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(scores, scores, (pos, neg) => {
        expect(mannWhitneyAuc(pos, neg)).toBeCloseTo(pairwiseAuc(pos, neg), 12);
      }),
    );
  });

  it('is complementary when the groups swap, and unchanged by a monotone rescaling', () => {
    const pos = [0.3, 0.9, 0.5, 0.5, 2];
    const neg = [0.1, 0.5, 0.7, -1];
    expect(mannWhitneyAuc(pos, neg) + mannWhitneyAuc(neg, pos)).toBeCloseTo(1, 12);
    const exp = (v: number[]) => v.map((x) => Math.exp(3 * x));
    expect(mannWhitneyAuc(exp(pos), exp(neg))).toBeCloseTo(mannWhitneyAuc(pos, neg), 12);
  });

  it('handles infinite scores and refuses empty groups and NaN with a clear message', () => {
    expect(mannWhitneyAuc([Infinity], [-Infinity, 1])).toBe(1);
    expect(mannWhitneyAuc(new Float32Array([Infinity, 1]), [Infinity])).toBe(0.25);
    expect(() => mannWhitneyAuc([], [1])).toThrow(/at least one positive/);
    expect(() => mannWhitneyAuc([1], [])).toThrow(/at least one negative/);
    expect(() => mannWhitneyAuc([1, Number.NaN], [0])).toThrow(/positive score 1 is NaN/);
  });
});
