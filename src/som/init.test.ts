import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { initCodebook } from './init.ts';
import { principalPlane } from './pca.ts';
import { syntheticClusters } from './synthetic.ts';

const { data, n, d } = syntheticClusters({ n: 300, d: 16, clusters: 5, seed: 1 });

function project(row: Float32Array, off: number, base: Float32Array, mean: Float32Array) {
  let a = 0;
  for (let k = 0; k < d; k++) a += (row[off + k] - mean[k]) * base[k];
  return a;
}

describe('initCodebook pca', () => {
  it.each(['rect', 'hex'] as const)('lays a %s grid on the principal plane', (topology) => {
    const grid = makeGrid(6, 6, topology);
    const cb = initCodebook(data, n, d, grid, 'pca', 1);
    const { mean, components, stddev } = principalPlane(data, n, d, { seed: 1 });
    const pc1 = components.subarray(0, d);
    const pc2 = components.subarray(d);
    for (let i = 0; i < 36; i++) {
      // Each row is mean + a·PC1 + b·PC2 exactly: nothing off the plane.
      const a = project(cb, i * d, pc1, mean);
      const b = project(cb, i * d, pc2, mean);
      for (let k = 0; k < d; k++) {
        expect(cb[i * d + k]).toBeCloseTo(mean[k] + a * pc1[k] + b * pc2[k], 5);
      }
    }
    // Opposite ends of the first row lie at about −σ1 and +σ1 along PC1 (columns follow PC1).
    const first = project(cb, 0, pc1, mean);
    const last = project(cb, 5 * d, pc1, mean);
    expect(last - first).toBeGreaterThan(1.5 * stddev[0]);
    // Going down the first column moves along PC2 (by about 2σ2), hardly along PC1.
    expect(Math.abs(project(cb, 30 * d, pc1, mean) - first)).toBeLessThan(0.3 * stddev[0]);
    expect(Math.abs(project(cb, 30 * d, pc2, mean) - project(cb, 0, pc2, mean))).toBeGreaterThan(
      1.5 * stddev[1],
    );
  });

  it('follows PC1 along the longer side of a tall grid', () => {
    const grid = makeGrid(8, 3);
    const cb = initCodebook(data, n, d, grid, 'pca', 1);
    const { mean, components, stddev } = principalPlane(data, n, d, { seed: 1 });
    const top = project(cb, 0, components, mean);
    const bottom = project(cb, 21 * d, components, mean);
    expect(Math.abs(bottom - top)).toBeGreaterThan(1.5 * stddev[0]);
  });
});

describe('initCodebook random', () => {
  it('starts from distinct data rows plus a little noise, repeatably', () => {
    const grid = makeGrid(4, 5);
    const cb = initCodebook(data, n, d, grid, 'random', 7);
    expect(initCodebook(data, n, d, grid, 'random', 7)).toEqual(cb);
    expect(initCodebook(data, n, d, grid, 'random', 8)).not.toEqual(cb);
    const nearest = new Set<number>();
    for (let j = 0; j < 20; j++) {
      let best = -1;
      let bestDist = Infinity;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (cb[j * d + k] - data[i * d + k]) ** 2;
        if (s < bestDist) [bestDist, best] = [s, i];
      }
      expect(Math.sqrt(bestDist)).toBeLessThan(0.05);
      nearest.add(best);
    }
    expect(nearest.size).toBe(20);
  });

  it('reuses rows when the map has more units than there are rows', () => {
    const cb = initCodebook(data.subarray(0, 3 * d), 3, d, makeGrid(3, 3), 'random', 1);
    expect(cb.length).toBe(9 * d);
    expect(cb.every(Number.isFinite)).toBe(true);
  });
});
