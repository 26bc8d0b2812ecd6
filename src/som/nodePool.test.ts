import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { defaultTrainConfig } from './config.ts';
import { createNodePool } from './nodePool.ts';
import type { ShardPool } from './pool.ts';
import { syntheticClusters } from './synthetic.ts';
import { train } from './trainer.ts';
import type { SomSnapshot } from './types.ts';

const { data, n } = syntheticClusters({ n: 300, d: 16, clusters: 5, seed: 9 });
const config = defaultTrainConfig(makeGrid(6, 6, 'hex'), { epochs: 4 });

let one: ShardPool;
let two: ShardPool;
beforeAll(async () => {
  // Worker threads start in parallel: one on the JS kernel, two on onnxruntime-node.
  [one, two] = await Promise.all([
    createNodePool({ workers: 1, backend: 'js' }),
    createNodePool({ workers: 2, backend: 'ort' }),
  ]);
});
afterAll(async () => {
  await Promise.all([one?.dispose(), two?.dispose()]);
});

function maxDiff(a: SomSnapshot, b: SomSnapshot): number {
  let worst = 0;
  for (let t = 0; t < a.codebook.length; t++) {
    worst = Math.max(worst, Math.abs(a.codebook[t] - b.codebook[t]));
  }
  return worst;
}

describe('createNodePool', () => {
  it('trains the same map in 1 worker, 2 workers and this thread', async () => {
    const ref = await train(data, n, config);
    const a = await train(data, n, config, { pool: one });
    const b = await train(data, n, config, { pool: two });
    expect(one.name).toBe('node-workers×1:js');
    expect(two.name).toBe('node-workers×2:ort-node');
    expect(maxDiff(a, ref)).toBeLessThan(1e-5);
    expect(maxDiff(b, ref)).toBeLessThan(1e-5);
    for (let e = 0; e < 4; e++) {
      expect(
        Math.abs(a.history[e].quantizationError - ref.history[e].quantizationError),
      ).toBeLessThan(1e-5);
      expect(
        Math.abs(b.history[e].quantizationError - ref.history[e].quantizationError),
      ).toBeLessThan(1e-5);
      expect(b.history[e].topographicError).toBe(ref.history[e].topographicError);
    }
  });

  it('can be reloaded with other data', async () => {
    const other = syntheticClusters({ n: 101, d: 16, clusters: 3, seed: 2 });
    const ref = await train(other.data, other.n, config);
    const got = await train(other.data, other.n, config, { pool: two });
    expect(maxDiff(got, ref)).toBeLessThan(1e-5);
  });

  it('refuses bad options', async () => {
    await expect(createNodePool({ workers: 0 })).rejects.toThrow(/workers/);
    await expect(createNodePool({ backend: 'gpu' as never })).rejects.toThrow(/backend/);
  });
});
