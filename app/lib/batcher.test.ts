import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.ts';
import { SerialQueue } from './serialQueue.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Batcher', () => {
  it('commits full batches at once and the rest on flush, in order, with nothing lost', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number>(
      new SerialQueue(),
      async (b) => {
        await tick(1);
        batches.push(b);
      },
      () => undefined,
      { maxBatch: 3, delayMs: 10000 },
    );
    for (let i = 0; i < 8; i++) batcher.add(i);
    await batcher.flush();
    expect(batches).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7],
    ]);
    expect(batcher.pending).toBe(0);
  });

  it('commits a lone item after the delay without a flush', async () => {
    const batches: string[][] = [];
    const batcher = new Batcher<string>(
      new SerialQueue(),
      async (b) => void batches.push(b),
      () => undefined,
      { maxBatch: 100, delayMs: 5 },
    );
    batcher.add('only');
    expect(batches).toEqual([]);
    await tick(40);
    expect(batches).toEqual([['only']]);
  });

  it('reports a failed commit and keeps committing later batches', async () => {
    const errors: unknown[] = [];
    const committed: number[][] = [];
    const batcher = new Batcher<number>(
      new SerialQueue(),
      async (b) => {
        if (b.includes(0)) throw new Error('storage full');
        committed.push(b);
      },
      (e) => errors.push(e),
      { maxBatch: 2, delayMs: 10000 },
    );
    [0, 1, 2, 3].forEach((i) => batcher.add(i));
    await batcher.flush();
    expect(committed).toEqual([[2, 3]]);
    expect(errors).toHaveLength(1);
  });

  it('refuses nonsensical options with a clear message', () => {
    const make = (maxBatch: number) =>
      new Batcher<number>(
        new SerialQueue(),
        async () => {},
        () => {},
        { maxBatch },
      );
    expect(() => make(0)).toThrow(/maxBatch must be a whole number from 1/);
  });
});
