import { describe, expect, it } from 'vitest';
import { makeGrid } from '../../src/grid/grid.ts';
import { createInThreadPool, ShardPoolError, type ShardPool } from '../../src/som/pool.ts';
import { syntheticClusters } from '../../src/som/synthetic.ts';
import type { TrainConfig } from '../../src/som/types.ts';
import { createTrainWorkerApi, PARALLEL_MIN_WORK, shardWorkersFor } from './trainSession.ts';

const config: TrainConfig = {
  grid: makeGrid(4, 5),
  epochs: 5,
  seed: 2,
  init: 'pca',
  radiusStart: 2.5,
  radiusEnd: 1,
};
const { data, n } = syntheticClusters({ n: 80, d: 10, clusters: 3, seed: 6 });

async function run(options: Parameters<typeof createTrainWorkerApi>[0] = {}) {
  const api = createTrainWorkerApi(options);
  await api.start(1, data.slice(), n, config);
  for (let e = 0; e < config.epochs; e++) await api.step(1);
  const result = await api.finish(1, { k: 3, labels: null }, false);
  await api.drop(1);
  return result;
}

/** An in-thread pool that breaks on its `failAt`-th epoch, as a dead worker would. */
function breakingPool(failAt: number, disposed: string[]): ShardPool {
  const inner = createInThreadPool();
  let runs = 0;
  return {
    name: 'breaking',
    shards: 1,
    load: (d, rows, dim) => inner.load(d, rows, dim),
    run: async (codebook, m, grid) => {
      if (++runs === failAt) throw new ShardPoolError('a SOM worker stopped: test');
      return inner.run(codebook, m, grid);
    },
    dispose: async () => {
      disposed.push('breaking');
      await inner.dispose();
    },
  };
}

describe('shardWorkersFor', () => {
  it('keeps small runs and two-core machines in one thread', () => {
    expect(shardWorkersFor(10, 1024, 512, 16)).toBe(0); // 5M multiply-adds: not worth it
    expect(shardWorkersFor(1000, 1024, 512, 2)).toBe(0); // one spare core: no gain
    expect(shardWorkersFor(1000, 1024, 512, 4)).toBe(3);
    expect(shardWorkersFor(100_000, 1024, 512, 64)).toBe(8);
    expect(1000 * 1024 * 512).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
  });
});

describe('train sessions', () => {
  it('give the same map through a pool as in this thread', async () => {
    const plain = await run();
    const pooled = await run({ pool: () => createInThreadPool() });
    expect(Array.from(pooled.snapshot.codebook)).toEqual(Array.from(plain.snapshot.codebook));
  });

  it('carry on in this thread when the pool breaks mid-run, ending where an unbroken run ends', async () => {
    const disposed: string[] = [];
    const plain = await run();
    const rescued = await run({ pool: () => breakingPool(3, disposed) });
    expect(disposed).toEqual(['breaking']);
    expect(rescued.snapshot.epoch).toBe(5);
    expect(rescued.snapshot.history).toHaveLength(5);
    for (let i = 0; i < plain.snapshot.codebook.length; i++) {
      expect(rescued.snapshot.codebook[i]).toBeCloseTo(plain.snapshot.codebook[i], 6);
    }
  });

  it('asks the pool factory with the run size', async () => {
    const seen: number[][] = [];
    await run({
      pool: (rows, m, d) => {
        seen.push([rows, m, d]);
        return null;
      },
    });
    expect(seen).toEqual([[80, 20, 10]]);
  });

  it('refuses unknown sessions and too little data with clear messages', async () => {
    const api = createTrainWorkerApi();
    await expect(api.step(9)).rejects.toThrow(/no training session 9/);
    await expect(api.start(1, new Float32Array(10), 1, config)).rejects.toThrow(
      /at least 2 inputs/,
    );
    await expect(api.start(1, new Float32Array(11), 2, config)).rejects.toThrow(
      /not a whole number of 2 rows/,
    );
  });
});
