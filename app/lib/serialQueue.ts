/**
 * Runs async jobs one at a time, in the order they were queued. The dataset's database writes
 * go through one queue so a delete can never overtake the save of the items it deletes, and the
 * store is updated in the same order the database was.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Run `job` after every job queued before it has settled; resolves or rejects as `job` does. */
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    // The queue goes on after a failed job; the caller still sees the failure through `result`.
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every job queued so far has settled. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
