import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { defaultTrainConfig, radiusAtEpoch, validateTrainConfig } from './config.ts';

describe('defaultTrainConfig', () => {
  it('fills the documented defaults', () => {
    const c = defaultTrainConfig(makeGrid(8, 12));
    expect(c).toMatchObject({ epochs: 20, seed: 1, init: 'pca', radiusStart: 6, radiusEnd: 1 });
    expect(c.grid).toEqual({ rows: 8, cols: 12, topology: 'rect' });
  });

  it('applies overrides and keeps the grid topology', () => {
    const c = defaultTrainConfig(makeGrid(4, 4, 'hex'), { epochs: 3, init: 'random', seed: 9 });
    expect(c).toMatchObject({ epochs: 3, init: 'random', seed: 9, radiusStart: 2 });
    expect(c.grid.topology).toBe('hex');
  });

  it('refuses bad values with a message naming the field', () => {
    const g = makeGrid(6, 6);
    expect(() => defaultTrainConfig(g, { epochs: 0 })).toThrow(/epochs/);
    expect(() => defaultTrainConfig(g, { epochs: 2.5 })).toThrow(/epochs/);
    expect(() => defaultTrainConfig(g, { seed: -1 })).toThrow(/seed/);
    expect(() => defaultTrainConfig(g, { radiusEnd: 5, radiusStart: 2 })).toThrow(/radiusEnd/);
    expect(() => defaultTrainConfig(g, { radiusStart: 0 })).toThrow(/radiusStart/);
    expect(() => defaultTrainConfig(g, { radiusStart: Number.NaN })).toThrow(/radiusStart/);
    expect(() => defaultTrainConfig(makeGrid(1, 1))).toThrow(/at least 2 units/);
    const bad = { ...defaultTrainConfig(g), init: 'kmeans' as never };
    expect(() => validateTrainConfig(bad)).toThrow(/init/);
  });
});

describe('radiusAtEpoch', () => {
  it('decays exponentially from radiusStart to radiusEnd', () => {
    const c = defaultTrainConfig(makeGrid(32, 32), { epochs: 10 });
    const r = Array.from({ length: 10 }, (_, e) => radiusAtEpoch(c, e));
    expect(r[0]).toBeCloseTo(16, 12);
    expect(r[9]).toBeCloseTo(1, 12);
    for (let e = 1; e < 10; e++) {
      expect(r[e]).toBeLessThan(r[e - 1]);
      // Constant ratio between consecutive epochs: exponential, not linear.
      expect(r[e] / r[e - 1]).toBeCloseTo(r[1] / r[0], 12);
    }
  });

  it('uses radiusEnd for a single epoch and rejects epochs outside the run', () => {
    const c = defaultTrainConfig(makeGrid(10, 10), { epochs: 1 });
    expect(radiusAtEpoch(c, 0)).toBe(1);
    expect(() => radiusAtEpoch(c, 1)).toThrow(/epoch index/);
  });
});
