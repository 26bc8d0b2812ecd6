import { describe, expect, it } from 'vitest';
import { LabelMeansError, countLabels, labelMeans } from './labelMeans.ts';

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

  it('sums only the labels asked for, the busiest first, and counts them all', () => {
    const top = labelMeans(active, 5, 2, 4, labels, () => true, 1);
    expect(top.map((x) => x.label)).toEqual(['cat']);
    expect(top[0].mean).toEqual(labelMeans(active, 5, 2, 4, labels)[0].mean);
    expect(labelMeans(active, 5, 2, 4, labels, () => true, 0)).toEqual([]);
    expect(countLabels(labels, 5)).toBe(2);
    expect(countLabels(labels, 5, (i) => i < 3)).toBe(1);
  });

  it('keeps memory to the labels shown when every item has a label of its own', () => {
    // 100,000 distinct labels on 4,096 units would be 1.6 GB summed whole.
    const n = 100_000;
    const k = 2;
    const many = Uint32Array.from({ length: n * k }, (_, p) => (p * 7) % 4096);
    const own = Array.from({ length: n }, (_, i) => `row ${i}`);
    const means = labelMeans(many, n, k, 4096, own, () => true, 48);
    expect(means).toHaveLength(48);
    expect(means[0].mean.buffer.byteLength).toBe(48 * 4096 * 4);
    expect(countLabels(own, n)).toBe(n);
  });
});
