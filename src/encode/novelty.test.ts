import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeGrid } from '../grid/grid.ts';
import type { Calibration } from '../io/mapModel.ts';
import { initCodebook } from '../som/init.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { encodeBatch } from './encode.ts';
import {
  calibrate,
  dispersionPercentile,
  noveltyPercentile,
  noveltyThreshold,
  percentileRank,
} from './novelty.ts';

const { data, n, d } = syntheticClusters({ n: 200, d: 16, clusters: 4, seed: 5 });
const grid = makeGrid(6, 6);
const model = { grid, dim: d, codebook: initCodebook(data, n, d, grid, 'pca', 1) };

const cal = (qe: number[]): Calibration => ({
  k: 5,
  qe: Float32Array.from(qe).sort(),
  dispersion: new Float32Array([0.5]),
});

describe('calibrate', () => {
  it('keeps the sorted qe and dispersion of every calibration input', () => {
    const c = calibrate(model, data, n, 4);
    expect(c.k).toBe(4);
    expect(c.qe.length).toBe(n);
    expect(c.dispersion.length).toBe(n);
    for (let i = 1; i < n; i++) {
      expect(c.qe[i]).toBeGreaterThanOrEqual(c.qe[i - 1]);
      expect(c.dispersion[i]).toBeGreaterThanOrEqual(c.dispersion[i - 1]);
    }
    const e = encodeBatch(model, data, n, { k: 4 });
    expect(Array.from(c.qe)).toEqual(Array.from(e.qe).sort((a, b) => a - b));
    expect(c.dispersion.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
  });

  it('refuses an empty calibration set', () => {
    expect(() => calibrate(model, data, 0, 4)).toThrow(/at least one input/);
  });
});

describe('noveltyPercentile', () => {
  it('ranks against the calibration, ties counted half', () => {
    const c = cal([0.1, 0.2, 0.3, 0.4]);
    expect(noveltyPercentile(c, 0.05)).toBe(0);
    expect(noveltyPercentile(c, 0.25)).toBe(50);
    expect(noveltyPercentile(c, Math.fround(0.3))).toBe(62.5);
    expect(noveltyPercentile(c, 9)).toBe(100);
  });

  it('never decreases as qe grows, and stays within 0..100', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: 0, max: 2, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.float({ min: 0, max: 3, noNaN: true }),
        fc.float({ min: 0, max: 3, noNaN: true }),
        (values, x, y) => {
          const c = cal(values);
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const p = noveltyPercentile(c, lo);
          expect(p).toBeGreaterThanOrEqual(0);
          expect(noveltyPercentile(c, hi)).toBeGreaterThanOrEqual(p);
          expect(noveltyPercentile(c, hi)).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ranks dispersion the same way, and refuses empty or NaN input', () => {
    expect(dispersionPercentile(cal([1]), 0.9)).toBe(100);
    expect(() => percentileRank(new Float32Array(0), 1)).toThrow(/empty/);
    expect(() => noveltyPercentile(cal([1]), Number.NaN)).toThrow(/NaN/);
  });
});

describe('noveltyThreshold', () => {
  it('leaves about falseAlarmRate of the calibration above it', () => {
    const c = calibrate(model, data, n, 4);
    for (const rate of [0.01, 0.05, 0.2, 0.5]) {
      const t = noveltyThreshold(c, rate);
      const above = c.qe.filter((q) => q > t).length / n;
      expect(Math.abs(above - rate)).toBeLessThanOrEqual(1 / n + 1e-9);
      // Consistent with the percentile: the threshold sits near the (1 − rate) percentile.
      expect(Math.abs(noveltyPercentile(c, t) - 100 * (1 - rate))).toBeLessThanOrEqual(100 / n);
    }
  });

  it('interpolates, runs from the largest (rate 0) to the smallest (rate 1) value', () => {
    const c = cal([0, 1, 2, 3, 4]);
    expect(noveltyThreshold(c, 0)).toBe(4);
    expect(noveltyThreshold(c, 1)).toBe(0);
    expect(noveltyThreshold(c, 0.125)).toBeCloseTo(3.5, 6);
    expect(() => noveltyThreshold(c, 1.5)).toThrow(/falseAlarmRate/);
  });
});
