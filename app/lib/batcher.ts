/**
 * Gathers items that arrive one by one (embeddings streaming out of the worker) into batches,
 * so the database gets one transaction and the store one update per batch instead of per item.
 * Appending to the store's flat embedding array copies it, so per-item updates would cost
 * O(n²) for n items; batches keep that to O(n²/batch) and the page responsive.
 */
import type { SerialQueue } from './serialQueue.ts';

export interface BatcherOptions {
  /** Commit as soon as this many items are waiting. Default 64, range 1–100000. */
  readonly maxBatch?: number;
  /** Commit items that have waited this long (ms), however few. Default 250, range 0–60000. */
  readonly delayMs?: number;
}

function checked(label: string, value: number, lo: number, hi: number): number {
  if (!Number.isFinite(value) || value < lo || value > hi || !Number.isInteger(value)) {
    throw new Error(`${label} must be a whole number from ${lo} to ${hi}, got ${value}`);
  }
  return value;
}

export class Batcher<T> {
  private waiting: T[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly maxBatch: number;
  private readonly delayMs: number;

  /**
   * `commit` stores one batch; it runs on `queue`, so batches commit in order and never overlap
   * other jobs on the same queue. A commit that throws is passed to `onError` and the next batch
   * still commits.
   */
  constructor(
    private readonly queue: SerialQueue,
    private readonly commit: (batch: T[]) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = checked('maxBatch', options.maxBatch ?? 64, 1, 100000);
    this.delayMs = checked('delayMs', options.delayMs ?? 250, 0, 60000);
  }

  /** Items added but not yet handed to `commit`. */
  get pending(): number {
    return this.waiting.length;
  }

  add(item: T): void {
    this.waiting.push(item);
    if (this.waiting.length >= this.maxBatch) void this.send();
    else this.timer ??= setTimeout(() => void this.send(), this.delayMs);
  }

  /** Commit whatever is waiting now, and resolve once every batch handed out so far is committed. */
  async flush(): Promise<void> {
    void this.send();
    await this.queue.idle();
  }

  private send(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.waiting.length === 0) return Promise.resolve();
    const batch = this.waiting;
    this.waiting = [];
    return this.queue.run(() => this.commit(batch)).catch(this.onError);
  }
}
