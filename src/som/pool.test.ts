import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createJsBackend, type MatmulBackend } from './backend.ts';
import { defaultTrainConfig } from './config.ts';
import { initCodebook } from './init.ts';
import {
  createInThreadPool,
  createShardHost,
  createWorkerShardPool,
  type ShardPort,
} from './pool.ts';
import type { ShardReply } from './shardProtocol.ts';
import { syntheticClusters } from './synthetic.ts';
import { train } from './trainer.ts';

const { data, n, d } = syntheticClusters({ n: 203, d: 12, clusters: 4, seed: 6 });
const grid = makeGrid(5, 5);
const codebook = initCodebook(data, n, d, grid, 'pca', 1);

/**
 * A worker without a thread: requests go through structured cloning (as postMessage would) to a
 * shard host on the next macrotask, replies come back the same way.
 */
function inProcessPort(
  backend: () => Promise<MatmulBackend> = async () => createJsBackend(),
): ShardPort {
  const host = createShardHost(backend);
  let listener: (r: ShardReply) => void = () => {};
  return {
    post(message) {
      const copy = structuredClone(message);
      setTimeout(() => {
        void host.handle(copy).then(({ reply }) => listener(structuredClone(reply)));
      }, 0);
    },
    onMessage(l) {
      listener = l;
    },
    onError() {},
    terminate() {},
  };
}

describe('createInThreadPool', () => {
  it('refuses to run before load and checks the codebook against the grid', async () => {
    const pool = createInThreadPool();
    await expect(pool.run(codebook, 25, grid)).rejects.toThrow(/call load\(\) first/);
    await pool.load(data, n, d);
    await expect(pool.run(codebook, 24, grid)).rejects.toThrow(/grid has 25/);
    await expect(pool.run(codebook.subarray(1), 25, grid)).rejects.toThrow(/codebook holds/);
  });

  it('writes every run afresh into the partial it reuses: a run after another equals a first run', async () => {
    const other = initCodebook(data, n, d, grid, 'random', 9);
    const fresh = createInThreadPool();
    await fresh.load(data, n, d);
    const expected = structuredClone(await fresh.run(codebook, 25, grid));
    const pool = createInThreadPool();
    await pool.load(data, n, d);
    const first = await pool.run(other, 25, grid);
    const second = await pool.run(codebook, 25, grid);
    // The contract: the result is the caller's until the next run, which may reuse its arrays.
    expect(second.sums).toBe(first.sums);
    expect(second).toEqual(expected);
    // A different grid gets partials of its own shape.
    const small = makeGrid(2, 3);
    const third = await pool.run(initCodebook(data, n, d, small, 'pca', 1), 6, small);
    expect(third.counts).toHaveLength(6);
    expect(third.sums).toHaveLength(6 * d);
    expect(third.counts.reduce((a, b) => a + b, 0)).toBe(n);
  });
});

describe('createWorkerShardPool', () => {
  it.each([true, false])(
    'gives the in-thread sums with 3 shards (shared memory: %s)',
    async (shareMemory) => {
      const single = createInThreadPool();
      await single.load(data, n, d);
      const ref = await single.run(codebook, 25, grid);
      const pool = createWorkerShardPool([inProcessPort(), inProcessPort(), inProcessPort()], {
        name: 'test',
        shareMemory,
      });
      await pool.load(data, n, d);
      const got = await pool.run(codebook, 25, grid);
      expect(got.rows).toBe(n);
      expect(Array.from(got.counts)).toEqual(Array.from(ref.counts));
      expect(got.teCount).toBe(ref.teCount);
      expect(got.qeSum).toBeCloseTo(ref.qeSum, 9);
      let maxDiff = 0;
      for (let t = 0; t < ref.sums.length; t++) {
        maxDiff = Math.max(maxDiff, Math.abs(got.sums[t] - ref.sums[t]));
      }
      expect(maxDiff).toBeLessThan(1e-9);
      await pool.dispose();
    },
  );

  it('trains the same map as the in-thread pool', async () => {
    const config = defaultTrainConfig(grid, { epochs: 3 });
    const ref = await train(data, n, config);
    const pool = createWorkerShardPool([inProcessPort(), inProcessPort()], { name: 'test' });
    const got = await train(data, n, config, { pool });
    let maxDiff = 0;
    for (let t = 0; t < ref.codebook.length; t++) {
      maxDiff = Math.max(maxDiff, Math.abs(got.codebook[t] - ref.codebook[t]));
    }
    expect(maxDiff).toBeLessThan(1e-5);
    await pool.dispose();
  });

  it('passes a worker’s error back as a rejection', async () => {
    const broken = inProcessPort(async () => {
      throw new Error('no kernel in this worker');
    });
    const pool = createWorkerShardPool([inProcessPort(), broken], { name: 'test' });
    await expect(pool.load(data, n, d)).rejects.toThrow(/no kernel in this worker/);
    await pool.dispose();
    await expect(pool.load(data, n, d)).rejects.toThrow(/disposed/);
  });
});

describe('createShardHost eager', () => {
  it('creates the backend before any request, once, and reports its failure to the first request', async () => {
    let made = 0;
    const host = createShardHost(
      async () => {
        made++;
        return createJsBackend();
      },
      { eager: true },
    );
    expect(made).toBe(1);
    const rows = data.slice(0, 10 * d);
    const { reply } = await host.handle({ type: 'load', id: 1, data: rows, rows: 10, d });
    expect(reply.type).toBe('ok');
    expect(made).toBe(1);

    const failing = createShardHost(() => Promise.reject(new Error('no onnxruntime here')), {
      eager: true,
    });
    await new Promise((r) => setTimeout(r, 0)); // an unhandled rejection would surface here
    const first = await failing.handle({ type: 'load', id: 2, data: rows, rows: 10, d });
    expect(first.reply).toEqual({ type: 'error', id: 2, message: 'no onnxruntime here' });
  });
});
