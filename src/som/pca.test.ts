import { describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../util/random.ts';
import { principalPlane } from './pca.ts';

/**
 * n rows in d dimensions: mean `mu`, standard deviation 3 along unit direction u, 1 along the
 * orthogonal unit direction v, 0.1 in every other direction.
 */
function planeData(n: number, d: number, seed: number) {
  const rng = createRng(seed);
  const u = new Float64Array(d);
  const v = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    u[k] = randomNormal(rng);
    v[k] = randomNormal(rng);
  }
  const unit = (x: Float64Array) => {
    const s = Math.hypot(...x);
    for (let k = 0; k < d; k++) x[k] /= s;
  };
  unit(u);
  let dot = 0;
  for (let k = 0; k < d; k++) dot += u[k] * v[k];
  for (let k = 0; k < d; k++) v[k] -= dot * u[k];
  unit(v);
  const mu = Float64Array.from({ length: d }, (_, k) => k / d);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const a = 3 * randomNormal(rng);
    const b = randomNormal(rng);
    for (let k = 0; k < d; k++) {
      data[i * d + k] = mu[k] + a * u[k] + b * v[k] + 0.1 * randomNormal(rng);
    }
  }
  return { data, u, v, mu };
}

const absDot = (a: ArrayLike<number>, off: number, b: ArrayLike<number>, d: number) => {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[off + k] * b[k];
  return Math.abs(s);
};

describe('principalPlane', () => {
  it('recovers the two directions of largest variance, their spread and the mean', () => {
    const [n, d] = [600, 16];
    const { data, u, v, mu } = planeData(n, d, 1);
    const p = principalPlane(data, n, d, { seed: 3 });
    expect(absDot(p.components, 0, u, d)).toBeGreaterThan(0.995);
    expect(absDot(p.components, d, v, d)).toBeGreaterThan(0.99);
    expect(p.stddev[0]).toBeGreaterThan(2.7);
    expect(p.stddev[0]).toBeLessThan(3.3);
    expect(p.stddev[1]).toBeGreaterThan(0.85);
    expect(p.stddev[1]).toBeLessThan(1.15);
    for (let k = 0; k < d; k++) expect(Math.abs(p.mean[k] - mu[k])).toBeLessThan(0.3);
  });

  it('returns orthonormal components', () => {
    const [n, d] = [200, 10];
    const { data } = planeData(n, d, 2);
    const { components: c } = principalPlane(data, n, d);
    let uu = 0, vv = 0, uv = 0; // prettier-ignore
    for (let k = 0; k < d; k++) {
      uu += c[k] * c[k];
      vv += c[d + k] * c[d + k];
      uv += c[k] * c[d + k];
    }
    expect(uu).toBeCloseTo(1, 5);
    expect(vv).toBeCloseTo(1, 5);
    expect(uv).toBeCloseTo(0, 5);
  });

  it('finds the same plane from a seeded row sample', () => {
    const [n, d] = [2000, 12];
    const { data, u } = planeData(n, d, 4);
    const p = principalPlane(data, n, d, { maxRows: 300, seed: 8 });
    expect(absDot(p.components, 0, u, d)).toBeGreaterThan(0.99);
    expect(principalPlane(data, n, d, { maxRows: 300, seed: 8 })).toEqual(p);
  });

  it('copes with data that has no spread', () => {
    const data = new Float32Array(5 * 4).fill(0.5);
    const p = principalPlane(data, 5, 4);
    expect(p.stddev[0]).toBeCloseTo(0, 6);
    expect(Array.from(p.mean)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(p.components.every(Number.isFinite)).toBe(true);
  });

  it('refuses bad shapes', () => {
    expect(() => principalPlane(new Float32Array(10), 0, 5)).toThrow(/at least one row/);
    expect(() => principalPlane(new Float32Array(10), 3, 5)).toThrow(/data holds/);
  });
});
