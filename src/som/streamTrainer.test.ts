import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { defaultTrainConfig } from './config.ts';
import { createInThreadPool } from './pool.ts';
import { createStreamTrainer, type RowSource } from './streamTrainer.ts';
import { syntheticClusters } from './synthetic.ts';
import { createTrainer } from './trainer.ts';

const { data, n, d } = syntheticClusters({ n: 500, d: 16, clusters: 6, seed: 3 });

/** A RowSource over an in-memory array that counts what it is asked for. */
function arraySource(rows: Float32Array, count: number, dim: number) {
  const calls = { read: 0, maxRows: 0 };
  const source: RowSource = {
    n: count,
    d: dim,
    read(start, c, out) {
      calls.read++;
      calls.maxRows = Math.max(calls.maxRows, c);
      out.set(rows.subarray(start * dim, (start + c) * dim));
    },
    readAt(at, out) {
      at.forEach((row, r) => out.set(rows.subarray(row * dim, (row + 1) * dim), r * dim));
    },
  };
  return { source, calls };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('createStreamTrainer', () => {
  it.each(['rect', 'hex'] as const)(
    'chunked training on a %s grid gives the in-memory codebook, epoch by epoch, whatever the chunk size',
    async (topology) => {
      const config = defaultTrainConfig(makeGrid(5, 6, topology), { epochs: 5, seed: 7 });
      const memory = createTrainer(data, n, config);
      const books: Float32Array[] = [];
      while (!memory.done) {
        await memory.step();
        books.push(memory.snapshot().codebook);
      }
      for (const chunkRows of [1, 37, 500, 4096]) {
        const { source, calls } = arraySource(data, n, d);
        const pool = createInThreadPool();
        const streamed = await createStreamTrainer(source, config, { pool, chunkRows });
        expect(streamed.trainingRows).toBe(n);
        for (let e = 0; e < config.epochs; e++) {
          const report = await streamed.step();
          expect(report?.epoch).toBe(e + 1);
          // Only the float64 summation order differs from the in-memory trainer.
          expect(maxAbsDiff(streamed.snapshot().codebook, books[e])).toBeLessThan(1e-6);
        }
        expect(streamed.done).toBe(true);
        expect(calls.maxRows).toBeLessThanOrEqual(chunkRows);
        const final = await streamed.evaluate();
        const expected = await memory.evaluate();
        expect(final?.quantizationError).toBeCloseTo(expected.quantizationError, 6);
        expect(final?.topographicError).toBeCloseTo(expected.topographicError, 10);
        await pool.dispose();
      }
      await memory.dispose();
    },
  );

  it('skips rows that keep() drops: the same map as training on the kept rows alone', async () => {
    const config = defaultTrainConfig(makeGrid(4, 4), { epochs: 4, seed: 2 });
    const keep = (row: number) => row % 5 !== 0;
    const kept = Array.from({ length: n }, (_, i) => i).filter(keep);
    const picked = new Float32Array(kept.length * d);
    kept.forEach((row, r) => picked.set(data.subarray(row * d, (row + 1) * d), r * d));
    const memory = createTrainer(picked, kept.length, config);
    while (!memory.done) await memory.step();
    const { source } = arraySource(data, n, d);
    const pool = createInThreadPool();
    const streamed = await createStreamTrainer(source, config, { pool, chunkRows: 64, keep });
    expect(streamed.trainingRows).toBe(kept.length);
    while (!streamed.done) await streamed.step();
    expect(maxAbsDiff(streamed.snapshot().codebook, memory.snapshot().codebook)).toBeLessThan(1e-6); // prettier-ignore
    await pool.dispose();
    await memory.dispose();
  });

  it('initialises from a seeded sample when the rows outnumber sampleRows, reading only those rows', async () => {
    const config = defaultTrainConfig(makeGrid(4, 4), { epochs: 2, seed: 5 });
    const { source, calls } = arraySource(data, n, d);
    const sampled: number[] = [];
    const spy: RowSource = {
      ...source,
      readAt(at, out) {
        sampled.push(...at);
        source.readAt(at, out);
      },
    };
    const pool = createInThreadPool();
    const a = await createStreamTrainer(spy, config, { pool, sampleRows: 100 });
    expect(sampled.length).toBe(100);
    expect(new Set(sampled).size).toBe(100);
    expect(calls.read).toBe(0);
    const b = await createStreamTrainer(source, config, { pool, sampleRows: 100 });
    expect(a.snapshot().codebook).toEqual(b.snapshot().codebook);
    await a.step();
    expect(a.snapshot().codebook.every(Number.isFinite)).toBe(true);
    await pool.dispose();
  });

  it('an abort mid-epoch keeps the last finished epoch and reports null', async () => {
    const config = defaultTrainConfig(makeGrid(4, 4), { epochs: 3, seed: 1 });
    const controller = new AbortController();
    const { source } = arraySource(data, n, d);
    const pool = createInThreadPool();
    let chunks = 0;
    const streamed = await createStreamTrainer(source, config, {
      pool,
      chunkRows: 50,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.epoch === 2 && ++chunks === 3) controller.abort();
      },
    });
    await streamed.step();
    const afterOne = streamed.snapshot();
    expect(await streamed.step()).toBeNull();
    expect(streamed.epoch).toBe(1);
    expect(streamed.snapshot().codebook).toEqual(afterOne.codebook);
    await pool.dispose();
  });
});
