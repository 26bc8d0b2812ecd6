import { describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../util/random.ts';
import { allocBestTwo, bestTwoJs, halfNormBias, scoresJs } from './bmu.ts';

function gaussian(len: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: len }, () => randomNormal(rng));
}

/** Reference: every score in float64, sorted descending, ties to the lower index. */
function bruteBestTwo(a: Float32Array, n: number, b: Float32Array, m: number, d: number) {
  const bias = halfNormBias(b, m, d);
  return Array.from({ length: n }, (_, i) => {
    const s = Array.from({ length: m }, (_, j) => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += a[i * d + k] * b[j * d + k];
      return { j, v: dot + bias[j] };
    });
    s.sort((x, y) => y.v - x.v || x.j - y.j);
    return { best: s[0].j, second: s[1]?.j ?? s[0].j, score: s[0].v };
  });
}

describe('bestTwoJs', () => {
  // Sizes off the 4×4 tile and the cache blocks, so every remainder path runs.
  it.each([
    [1, 2, 3],
    [7, 5, 16],
    [70, 37, 9],
    [130, 300, 33],
  ])('matches brute force for n=%i, m=%i, d=%i', (n, m, d) => {
    const a = gaussian(n * d, n);
    const b = gaussian(m * d, m + 100);
    const out = allocBestTwo(n);
    bestTwoJs(a, n, b, m, d, halfNormBias(b, m, d), out);
    const ref = bruteBestTwo(a, n, b, m, d);
    for (let i = 0; i < n; i++) {
      expect(out.best[i]).toBe(ref[i].best);
      expect(out.second[i]).toBe(ref[i].second);
      expect(out.bestScore[i]).toBeCloseTo(ref[i].score, 4);
    }
  });

  it('finds the Euclidean nearest unit (argmax x·w − ½‖w‖²)', () => {
    const d = 6;
    const a = gaussian(40 * d, 1);
    const b = gaussian(9 * d, 2);
    const out = allocBestTwo(40);
    bestTwoJs(a, 40, b, 9, d, halfNormBias(b, 9, d), out);
    for (let i = 0; i < 40; i++) {
      let best = 0;
      let bestDist = Infinity;
      for (let j = 0; j < 9; j++) {
        let dist = 0;
        for (let k = 0; k < d; k++) dist += (a[i * d + k] - b[j * d + k]) ** 2;
        if (dist < bestDist) [bestDist, best] = [dist, j];
      }
      expect(out.best[i]).toBe(best);
    }
  });

  it('breaks exact ties toward the lower unit index', () => {
    const d = 4;
    const unit = [0.5, 0.5, 0.5, 0.5];
    // Units 1, 2 and 5 are identical; 0, 3, 4 point elsewhere.
    const b = Float32Array.from([
      ...[1, 0, 0, 0],
      ...unit,
      ...unit,
      ...[0, 1, 0, 0],
      ...[0, 0, 1, 0],
      ...unit,
    ]);
    const a = Float32Array.from(unit);
    const out = allocBestTwo(1);
    bestTwoJs(a, 1, b, 6, d, halfNormBias(b, 6, d), out);
    expect(out.best[0]).toBe(1);
    expect(out.second[0]).toBe(2);
  });

  it('reports the only unit as best and second on a one-unit map', () => {
    const out = allocBestTwo(2);
    bestTwoJs(gaussian(6, 1), 2, gaussian(3, 2), 1, 3, new Float32Array(1), out);
    expect([...out.best]).toEqual([0, 0]);
    expect([...out.second]).toEqual([0, 0]);
  });

  it('refuses arrays shorter than their shapes', () => {
    const out = allocBestTwo(4);
    expect(() => bestTwoJs(new Float32Array(3), 4, gaussian(8, 1), 2, 4, new Float32Array(2), out)).toThrow(/input holds/); // prettier-ignore
    expect(() => bestTwoJs(gaussian(16, 1), 4, gaussian(7, 1), 2, 4, new Float32Array(2), out)).toThrow(/codebook holds/); // prettier-ignore
  });
});

describe('scoresJs', () => {
  it('equals the plain triple loop A·Bᵀ', () => {
    const [n, m, d] = [67, 71, 13];
    const a = gaussian(n * d, 3);
    const b = gaussian(m * d, 4);
    const out = new Float32Array(n * m);
    scoresJs(a, n, b, m, d, out);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += a[i * d + k] * b[j * d + k];
        worst = Math.max(worst, Math.abs(out[i * m + j] - dot));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });
});
