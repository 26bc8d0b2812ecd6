import { describe, expect, it } from 'vitest';
import { syntheticClusters } from '../som/synthetic.ts';
import { createRng } from '../util/random.ts';
import { addEmbeddingNoise } from './embeddingNoise.ts';

const { data, n, d } = syntheticClusters({ n: 30, d: 32, clusters: 3, seed: 7 });

function dot(a: Float32Array, ai: number, b: Float32Array, bi: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[ai * d + t] * b[bi * d + t];
  return s;
}

describe('addEmbeddingNoise', () => {
  it('keeps rows unit length at cosine exactly 1 − level to the original', () => {
    for (const level of [0, 0.1, 0.37, 0.5, 1]) {
      const noisy = addEmbeddingNoise(data, n, d, level, createRng(4));
      for (let i = 0; i < n; i++) {
        expect(dot(noisy, i, noisy, i)).toBeCloseTo(1, 5);
        expect(dot(noisy, i, data, i)).toBeCloseTo(1 - level, 5);
      }
    }
  });

  it('copies the rows at level 0, and moves them in random directions otherwise', () => {
    const same = addEmbeddingNoise(data, n, d, 0, createRng(1));
    for (let t = 0; t < n * d; t++) expect(same[t]).toBeCloseTo(data[t], 6);
    const a = addEmbeddingNoise(data, n, d, 0.3, createRng(1));
    const b = addEmbeddingNoise(data, n, d, 0.3, createRng(2));
    // Two independent pushes of the same row: both at cosine 0.7 to it, but not to each other.
    expect(dot(a, 0, b, 0)).toBeLessThan(0.9);
    expect(addEmbeddingNoise(data, n, d, 0.3, createRng(1))).toEqual(a);
  });

  it('refuses levels outside 0..1, short data and zero rows', () => {
    expect(() => addEmbeddingNoise(data, n, d, 1.5, createRng(1))).toThrow(/from 0 to 1/);
    expect(() => addEmbeddingNoise(data, n, d, -0.1, createRng(1))).toThrow(/from 0 to 1/);
    expect(() => addEmbeddingNoise(data, n + 1, d, 0.1, createRng(1))).toThrow(/fewer than/);
    expect(() => addEmbeddingNoise(new Float32Array(4), 1, 4, 0.1, createRng(1))).toThrow(
      /row 0 has zero length/,
    );
  });
});
