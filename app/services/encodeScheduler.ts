/**
 * The encode scheduler: keeps the dataset's encoding in step with the map, K and the dataset,
 * latest wins. Every `refresh` takes a request number and a reply is used only if no newer
 * request came since. At most one encoding is in flight; refreshes made meanwhile collapse into
 * one re-run with the state as it is when the worker is free, so dragging the K slider never
 * queues a backlog of stale encodings.
 *
 * The store makes one (store/index.ts) and hands it to the map slice, which calls `refresh` from
 * its actions with the task that reads and writes its state; `resetAppStore` calls `reset`.
 */

/** What the scheduler reads and writes: the slice's side of one encoding. */
export interface EncodeTask<Job, Result> {
  /** The job as the state is now, or null when there is nothing to encode (no map, no data). */
  readonly read: () => Job | null;
  /** Encode `job` (in the encode worker). */
  readonly encode: (job: Job) => Promise<Result>;
  /** A request is waiting or in flight. */
  readonly onBusy: () => void;
  /** There is nothing to encode now. */
  readonly onNothing: () => void;
  /** The reply of the latest request. */
  readonly onResult: (job: Job, result: Result) => void;
  /** The latest request failed. */
  readonly onError: (error: unknown) => void;
}

export interface EncodeScheduler<Job, Result> {
  /** Ask for an encoding of the state as `task` reads it now (see the note at the top). */
  refresh(task: EncodeTask<Job, Result>): void;
  /** Forget every request: replies still on their way are dropped. */
  reset(): void;
}

export function createEncodeScheduler<Job, Result>(): EncodeScheduler<Job, Result> {
  /** Latest-wins counter; replies of older requests are dropped. */
  let request = 0;
  /** The flight in the worker now (its number), or 0 when none. */
  let flight = 0;
  let flights = 0;
  /** The task of the latest request: the re-run after a flight reads the state through it. */
  let latest: EncodeTask<Job, Result> | null = null;

  const refresh = (task: EncodeTask<Job, Result>): void => {
    const mine = ++request;
    latest = task;
    if (flight !== 0) {
      task.onBusy();
      return; // the request in flight re-runs for this one when it ends
    }
    const job = task.read();
    if (job === null) {
      task.onNothing();
      return;
    }
    const thisFlight = ++flights;
    flight = thisFlight;
    task.onBusy();
    task
      .encode(job)
      .then((result) => {
        if (mine === request) task.onResult(job, result);
      })
      .catch((error: unknown) => {
        if (mine === request) task.onError(error);
      })
      .finally(() => {
        // A reset in between started afresh: this flight no longer holds the worker.
        if (flight !== thisFlight) return;
        flight = 0;
        if (mine !== request) refresh(latest ?? task);
      });
  };

  return {
    refresh,
    reset: () => {
      request++;
      flight = 0;
      latest = null;
    },
  };
}
