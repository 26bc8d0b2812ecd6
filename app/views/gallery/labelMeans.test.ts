import { describe, expect, it } from 'vitest';
import { LabelMeansError, labelMeans } from './labelMeans.ts';

// Five items, K = 2, on 4 units: three cats, two ships.
const active = Uint32Array.from([0, 1, 0, 2, 0, 1, 2, 3, 1, 3]);
const labels = ['cat', 'cat', 'cat', 'ship', 'ship'];

describe('labelMeans', () => {
  it('gives per-unit activation frequencies per label, most items first', () => {
    const means = labelMeans(active, 5, 2, 4, labels);
    expect(means.map((x) => [x.label, x.count])).toEqual([
      ['cat', 3],
      ['ship', 2],
    ]);
    const cat = Array.from(means[0].mean).map((v) => Number(v.toFixed(4)));
    expect(cat).toEqual([1, 0.6667, 0.3333, 0]);
    expect(Array.from(means[1].mean)).toEqual([0, 0.5, 0.5, 1]);
    expect(means[0].peak).toBe(1);
  });

  it('each mean sums to K: it is an average of K-unit SDRs', () => {
    for (const x of labelMeans(active, 5, 2, 4, labels)) {
      expect(x.mean.reduce((a, b) => a + b, 0)).toBeCloseTo(2, 5);
    }
  });

  it('skips excluded items and refuses mismatched input', () => {
    const means = labelMeans(active, 5, 2, 4, labels, (i) => i !== 3);
    expect(means.find((x) => x.label === 'ship')!.count).toBe(1);
    expect(labelMeans(active, 5, 2, 4, labels, () => false)).toEqual([]);
    expect(() => labelMeans(active, 5, 2, 4, ['a'])).toThrow(LabelMeansError);
    expect(() => labelMeans(active, 5, 2, 3, labels)).toThrow(/unit 3 is outside/);
  });
});
