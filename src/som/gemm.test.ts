import { describe, expect, it } from 'vitest';
import { createRng } from '../util/random.ts';
import { gemmF64 } from './gemm.ts';

describe('gemmF64', () => {
  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [32, 32, 130],
    [9, 4, 66],
  ])('equals the triple loop for A %i×%i times B %i wide', (n, k, m) => {
    const rng = createRng(n * 100 + m);
    const a = Float64Array.from({ length: n * k }, () => rng() - 0.5);
    const b = Float64Array.from({ length: k * m }, () => rng() - 0.5);
    const out = new Float64Array(n * m).fill(Number.NaN);
    gemmF64(a, n, k, b, m, out);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * m + j];
        worst = Math.max(worst, Math.abs(out[i * m + j] - s));
      }
    }
    // Every entry written (no NaN left) and exact to rounding.
    expect(worst).toBeLessThan(1e-12);
  });

  it('refuses mismatched shapes', () => {
    expect(() =>
      gemmF64(new Float64Array(4), 2, 2, new Float64Array(3), 2, new Float64Array(4)),
    ).toThrow(/shapes/);
  });
});
