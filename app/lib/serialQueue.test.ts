import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serialQueue.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SerialQueue', () => {
  it('runs jobs one at a time in queue order, even when a later one is quicker', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const slow = queue.run(async () => {
      log.push('slow start');
      await tick(20);
      log.push('slow end');
      return 1;
    });
    const fast = queue.run(async () => {
      log.push('fast');
      return 2;
    });
    expect(await Promise.all([slow, fast])).toEqual([1, 2]);
    expect(log).toEqual(['slow start', 'slow end', 'fast']);
  });

  it('goes on after a failed job and hands the failure to its caller', async () => {
    const queue = new SerialQueue();
    const failed = queue.run(() => Promise.reject(new Error('disk full')));
    const next = queue.run(async () => 'next ran');
    await expect(failed).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('next ran');
    await queue.idle();
  });
});
