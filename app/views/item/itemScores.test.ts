import { describe, expect, it } from 'vitest';
import { scoreItem } from './itemScores.ts';
import { makeGrid, type SdrMap, calibrate, createRng, randomNormal } from '../../../src/index.ts';

const D = 8;
const grid = makeGrid(6, 6);
const m = 36;

function unitRows(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let t = 0; t < D; t++) {
      out[i * D + t] = randomNormal(rng);
      norm += out[i * D + t] ** 2;
    }
    for (let t = 0; t < D; t++) out[i * D + t] /= Math.sqrt(norm);
  }
  return out;
}

function makeMap(calibrationK: number | null): SdrMap {
  const som = { grid, dim: D, codebook: unitRows(m, 1) };
  const training = unitRows(50, 2);
  return {
    name: 'test',
    createdAt: '2024-01-01T00:00:00Z',
    model: null,
    som,
    training: {
      grid,
      epochs: 1,
      seed: 1,
      init: 'random',
      radiusStart: 3,
      radiusEnd: 1,
      inputs: 50,
    },
    quality: { quantizationError: 0, topographicError: 0 },
    calibration: calibrationK === null ? null : calibrate(som, training, 50, calibrationK),
  };
}

describe('scoreItem', () => {
  it('gives K sorted units and scores in their ranges', () => {
    const map = makeMap(4);
    const s = scoreItem(map, unitRows(1, 9), 4);
    expect(s.active).toHaveLength(4);
    expect(Array.from(s.active)).toEqual(Array.from(s.active).sort((a, b) => a - b));
    expect(s.qe).toBeGreaterThanOrEqual(0);
    expect(s.novelty).toBeGreaterThanOrEqual(0);
    expect(s.novelty).toBeLessThanOrEqual(100);
    expect(s.dispersionPercentile).toBeGreaterThanOrEqual(0);
    expect(s.clusters).toBeGreaterThanOrEqual(1);
    expect(s.clusters).toBeLessThanOrEqual(4);
    expect(s.largestCluster).toBeLessThanOrEqual(4);
    // The best unit by the training rule is among the K most similar units.
    expect(Array.from(s.active)).toContain(s.bestUnit);
  });

  it('a codebook row itself is as close to the map as can be', () => {
    const map = makeMap(4);
    const s = scoreItem(map, map.som.codebook.slice(5 * D, 6 * D), 4);
    expect(s.qe).toBeCloseTo(0, 5);
    expect(s.bestUnit).toBe(5);
    expect(s.novelty).toBeLessThan(5);
  });

  it('grows the SDR with K and leaves the dispersion percentile out at another K than the calibration', () => {
    const map = makeMap(4);
    const row = unitRows(1, 3);
    const small = scoreItem(map, row, 4);
    const big = scoreItem(map, row, 9);
    expect(big.active).toHaveLength(9);
    for (const u of small.active) expect(Array.from(big.active)).toContain(u);
    expect(big.qe).toBe(small.qe);
    expect(big.dispersionPercentile).toBeNaN();
  });

  it('says nothing of novelty without a calibration', () => {
    const s = scoreItem(makeMap(null), unitRows(1, 4), 3);
    expect(s.novelty).toBeNaN();
    expect(s.dispersionPercentile).toBeNaN();
  });
});
