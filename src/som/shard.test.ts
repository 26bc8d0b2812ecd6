import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { adjacencyTable } from './adjacency.ts';
import { createJsBackend } from './backend.ts';
import { halfNormBias } from './bmu.ts';
import { initCodebook } from './init.ts';
import { hitCounts, quantizationError, topographicError } from './quality.ts';
import { addPartial, createShard, emptyPartial, runShard } from './shard.ts';
import { syntheticClusters } from './synthetic.ts';

const { data, n, d } = syntheticClusters({ n: 120, d: 8, clusters: 3, seed: 2 });
const grid = makeGrid(4, 4);
const codebook = initCodebook(data, n, d, grid, 'random', 3);
const model = { grid, dim: d, codebook };
const bias = halfNormBias(codebook, 16, d);
const adjacency = adjacencyTable(grid);
const backend = createJsBackend();

describe('runShard', () => {
  it('sums rows per best unit and matches the quality functions', async () => {
    const p = await runShard(createShard(data, n, d), backend, codebook, 16, bias, adjacency);
    expect(p.rows).toBe(n);
    expect(Array.from(p.counts)).toEqual(Array.from(hitCounts(model, data, n)));
    expect(p.qeSum / n).toBeCloseTo(quantizationError(model, data, n), 5);
    expect(p.teCount / n).toBeCloseTo(topographicError(model, data, n), 10);
    // Σ_j S_j is the sum of all rows.
    for (let k = 0; k < d; k++) {
      let rows = 0;
      let sums = 0;
      for (let i = 0; i < n; i++) rows += data[i * d + k];
      for (let j = 0; j < 16; j++) sums += p.sums[j * d + k];
      expect(sums).toBeCloseTo(rows, 9);
    }
  });

  it('adds across shards to the whole', async () => {
    const whole = await runShard(createShard(data, n, d), backend, codebook, 16, bias, adjacency);
    const a = await runShard(
      createShard(data.subarray(0, 50 * d), 50, d),
      backend,
      codebook,
      16,
      bias,
      adjacency,
    );
    const b = await runShard(
      createShard(data.subarray(50 * d), 70, d),
      backend,
      codebook,
      16,
      bias,
      adjacency,
    );
    const sum = addPartial(addPartial(emptyPartial(16, d), a), b);
    expect(sum.rows).toBe(n);
    expect(sum.teCount).toBe(whole.teCount);
    expect(sum.qeSum).toBeCloseTo(whole.qeSum, 9);
    expect(Array.from(sum.counts)).toEqual(Array.from(whole.counts));
    for (let t = 0; t < sum.sums.length; t++) expect(sum.sums[t]).toBeCloseTo(whole.sums[t], 9);
  });

  it('refuses partials of different shapes', () => {
    expect(() => addPartial(emptyPartial(4, 2), emptyPartial(5, 2))).toThrow(/disagree/);
  });
});
