import { describe, expect, it } from 'vitest';
import { syntheticClusters } from './synthetic.ts';

describe('syntheticClusters', () => {
  it('gives n unit-length rows with labels in range', () => {
    const s = syntheticClusters({ n: 200, d: 16, clusters: 4, seed: 3 });
    expect(s.data.length).toBe(200 * 16);
    expect(s.centres.length).toBe(4 * 16);
    for (let i = 0; i < 200; i++) {
      let sq = 0;
      for (let k = 0; k < 16; k++) sq += s.data[i * 16 + k] ** 2;
      expect(Math.sqrt(sq)).toBeCloseTo(1, 5);
      expect(s.labels[i]).toBeLessThan(4);
    }
  });

  it('repeats with a seed and changes with another', () => {
    const a = syntheticClusters({ n: 50, d: 8, seed: 5 });
    const b = syntheticClusters({ n: 50, d: 8, seed: 5 });
    const c = syntheticClusters({ n: 50, d: 8, seed: 6 });
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
  });

  it('puts rows nearer their own centre than any other', () => {
    const d = 32;
    const s = syntheticClusters({ n: 300, d, clusters: 5, seed: 2 });
    let own = 0;
    for (let i = 0; i < s.n; i++) {
      let best = -1;
      let bestDot = -Infinity;
      for (let c = 0; c < 5; c++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += s.data[i * d + k] * s.centres[c * d + k];
        if (dot > bestDot) [bestDot, best] = [dot, c];
      }
      if (best === s.labels[i]) own++;
    }
    expect(own / s.n).toBeGreaterThan(0.95);
  });

  it('refuses bad sizes', () => {
    expect(() => syntheticClusters({ n: 0 })).toThrow(/n must/);
    expect(() => syntheticClusters({ n: 5, clusters: 6 })).toThrow(/clusters/);
    expect(() => syntheticClusters({ d: 1 })).toThrow(/d must/);
  });
});
