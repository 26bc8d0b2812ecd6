import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { calibrate } from './novelty.ts';
import { createTrainer } from '../som/trainer.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import type { SomModel } from '../som/types.ts';
import { encodeRows, MapEncodingError } from './mapEncoding.ts';

async function trainedModel(): Promise<{ som: SomModel; data: Float32Array; n: number }> {
  const { data, n } = syntheticClusters({ n: 150, d: 12, clusters: 3, seed: 4 });
  const grid = makeGrid(6, 6);
  const trainer = createTrainer(data, n, {
    grid,
    epochs: 5,
    seed: 1,
    init: 'pca',
    radiusStart: 3,
    radiusEnd: 1,
  });
  for (let e = 0; e < 5; e++) await trainer.step();
  const s = trainer.snapshot();
  return { som: { grid: s.grid, dim: s.dim, codebook: s.codebook }, data, n };
}

describe('encodeRows', () => {
  it('gives every row k sorted distinct units and finite scores', async () => {
    const { som, data, n } = await trainedModel();
    const calibration = calibrate(som, data, n, 5);
    const rows = encodeRows({ som, calibration }, data, n, 5);
    expect(rows.active).toHaveLength(n * 5);
    for (let i = 0; i < n; i++) {
      const row = rows.active.subarray(i * 5, i * 5 + 5);
      for (let j = 1; j < 5; j++) expect(row[j]).toBeGreaterThan(row[j - 1]);
      expect(row[4]).toBeLessThan(36);
      expect(rows.novelty[i]).toBeGreaterThanOrEqual(0);
      expect(rows.novelty[i]).toBeLessThanOrEqual(100);
      expect(rows.dispersion[i]).toBeGreaterThanOrEqual(0);
      expect(rows.bmu[i]).toBeLessThan(36);
    }
  });

  it('ranks novelty like the quantisation error (more distant, more novel)', async () => {
    const { som, data, n } = await trainedModel();
    const rows = encodeRows({ som, calibration: calibrate(som, data, n, 5) }, data, n, 5);
    for (let t = 0; t < 200; t++) {
      const a = (t * 7) % n;
      const b = (t * 13 + 5) % n;
      if (rows.qe[a] < rows.qe[b]) expect(rows.novelty[a]).toBeLessThanOrEqual(rows.novelty[b]);
    }
  });

  it('reports novelty as NaN on a map without calibration', async () => {
    const { som, data } = await trainedModel();
    const rows = encodeRows({ som, calibration: null }, data, 3, 4);
    expect(Array.from(rows.novelty).every(Number.isNaN)).toBe(true);
  });

  it('keeps the top-k prefix property: K+1 units contain the K units', async () => {
    const { som, data } = await trainedModel();
    const small = encodeRows({ som, calibration: null }, data, 10, 3);
    const big = encodeRows({ som, calibration: null }, data, 10, 4);
    for (let i = 0; i < 10; i++) {
      const bigRow = Array.from(big.active.subarray(i * 4, i * 4 + 4));
      for (const u of small.active.subarray(i * 3, i * 3 + 3)) expect(bigRow).toContain(u);
    }
  });

  it('refuses a K outside 1..m and too little data, with clear messages', async () => {
    const { som, data } = await trainedModel();
    expect(() => encodeRows({ som, calibration: null }, data, 2, 0)).toThrow(MapEncodingError);
    expect(() => encodeRows({ som, calibration: null }, data, 2, 37)).toThrow(/from 1 to 36/);
    expect(() => encodeRows({ som, calibration: null }, new Float32Array(5), 2, 3)).toThrow(
      /expected 2 rows of 12/,
    );
    expect(encodeRows({ som, calibration: null }, data, 0, 3).active).toHaveLength(0);
  });
});
