import { describe, expect, it } from 'vitest';
import { createEmbedQueue } from './embedQueue.ts';

describe('embed queue', () => {
  it('runs jobs in order, numbers them, and a cancel stops the running one and drops the queued', async () => {
    const queue = createEmbedQueue();
    const log: string[] = [];
    let release: () => void = () => undefined;
    const first = queue.run(async (ticket) => {
      if (!ticket.wanted()) return 'skipped';
      const job = queue.begin();
      log.push(`start ${job.id}`);
      await new Promise<void>((resolve) => (release = resolve));
      queue.end(job);
      return job.abort.signal.aborted ? 'stopped' : 'done';
    });
    const second = queue.run(async (ticket) => (ticket.wanted() ? 'ran' : 'skipped'));
    await Promise.resolve();
    queue.cancel();
    release();
    expect(await first).toBe('stopped');
    expect(await second).toBe('skipped');
    const third = queue.run(async (ticket) => {
      const job = queue.begin();
      queue.end(job);
      return ticket.wanted() ? `ran ${job.id}` : 'skipped';
    });
    expect(await third).toBe('ran 2'); // a job queued after the cancel runs
    expect(log).toEqual(['start 1']);
  });

  it('reset drops queued jobs like a cancel', async () => {
    const queue = createEmbedQueue();
    let release: () => void = () => undefined;
    void queue.run(() => new Promise<void>((resolve) => (release = resolve)));
    const queued = queue.run(async (ticket) => ticket.wanted());
    queue.reset();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the first job has started
    release();
    expect(await queued).toBe(false);
  });
});
