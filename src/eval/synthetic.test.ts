import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { mixRows, randomUnitRows } from './synthetic.ts';

const { data, n, d } = syntheticClusters({ n: 50, d: 12, clusters: 5, seed: 2 });

function norm(v: Float32Array, r: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) s += v[r * dim + t] ** 2;
  return Math.sqrt(s);
}

describe('mixRows', () => {
  it('blends two distinct items into the unit-length direction of their mean', () => {
    const { rows, pairs } = mixRows(data, n, d, 40, createRng(5));
    expect(rows.length).toBe(40 * d);
    for (let r = 0; r < 40; r++) {
      const a = pairs[2 * r];
      const b = pairs[2 * r + 1];
      expect(a).not.toBe(b);
      expect(a).toBeLessThan(n);
      expect(b).toBeLessThan(n);
      expect(norm(rows, r, d)).toBeCloseTo(1, 5);
      // Same direction as a + b: the cosine of the blend with the plain sum is 1.
      let dot = 0;
      let sum2 = 0;
      for (let t = 0; t < d; t++) {
        const s = data[a * d + t] + data[b * d + t];
        dot += rows[r * d + t] * s;
        sum2 += s * s;
      }
      expect(dot / Math.sqrt(sum2)).toBeCloseTo(1, 5);
    }
  });

  it('repeats with a seed and differs across seeds', () => {
    const one = mixRows(data, n, d, 10, createRng(9));
    const two = mixRows(data, n, d, 10, createRng(9));
    const three = mixRows(data, n, d, 10, createRng(10));
    expect(two.pairs).toEqual(one.pairs);
    expect(two.rows).toEqual(one.rows);
    expect(three.pairs).not.toEqual(one.pairs);
  });

  it('refuses too few items and bad counts', () => {
    expect(() => mixRows(data, 1, d, 3, createRng(1))).toThrow(/at least 2 items/);
    expect(() => mixRows(data, n, d, -1, createRng(1))).toThrow(/mixture count/);
    expect(() => mixRows(data, n + 1, d, 3, createRng(1))).toThrow(/fewer than/);
  });
});

describe('randomUnitRows', () => {
  it('gives unit vectors spread over the sphere (pairwise cosines near 0)', () => {
    const dim = 64;
    const rows = randomUnitRows(60, dim, createRng(3));
    let meanCos = 0;
    let pairs = 0;
    for (let a = 0; a < 60; a++) {
      expect(norm(rows, a, dim)).toBeCloseTo(1, 5);
      for (let b = a + 1; b < 60; b++) {
        let dot = 0;
        for (let t = 0; t < dim; t++) dot += rows[a * dim + t] * rows[b * dim + t];
        meanCos += dot;
        pairs++;
      }
    }
    // Random directions in 64-d: cosines average 0 with sd 1/8; the mean of 1770 is tiny.
    expect(Math.abs(meanCos / pairs)).toBeLessThan(0.02);
  });

  it('refuses a bad dimension', () => {
    expect(() => randomUnitRows(3, 0, createRng(1))).toThrow(/dimension/);
  });
});
