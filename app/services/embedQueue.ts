/**
 * The embed queue: the dataset's embedding jobs (texts, images) run one at a time, in order;
 * a cancel stops the running job at its next safe point and drops the queued ones. It owns the
 * queue, the job numbers, the cancel generation and the running job's abort controller.
 *
 * The store makes one (store/index.ts) and hands it to the data slice, which queues its jobs
 * here; `resetAppStore` calls `reset`.
 */
import { SerialQueue } from '../lib/serialQueue.ts';

/** A queued job's place: whether it is still wanted when its turn comes. */
interface EmbedTicket {
  /** False when a cancel (or reset) came after the job was queued. */
  readonly wanted: () => boolean;
}

/** The running job: its number and the signal a cancel aborts. */
interface RunningEmbedJob {
  readonly id: number;
  readonly abort: AbortController;
}

export interface EmbedQueue {
  /** Queue `job`; it runs after every job queued before it has settled. */
  run<T>(job: (ticket: EmbedTicket) => Promise<T>): Promise<T>;
  /** The job whose turn it is starts: a new number and abort controller. */
  begin(): RunningEmbedJob;
  /** `job` ended (a later cancel no longer reaches it). */
  end(job: RunningEmbedJob): void;
  /** Stop the running job at its next safe point and drop the queued ones. */
  cancel(): void;
  /** Same as cancel: after a store reset no queued job runs and the running one stops. */
  reset(): void;
}

export function createEmbedQueue(): EmbedQueue {
  const queue = new SerialQueue();
  let nextJobId = 1;
  let generation = 0;
  let current: RunningEmbedJob | null = null;
  const cancel = (): void => {
    generation++;
    current?.abort.abort();
  };
  return {
    run: (job) => {
      const queuedAt = generation;
      return queue.run(() => job({ wanted: () => queuedAt === generation }));
    },
    begin: () => {
      current = { id: nextJobId++, abort: new AbortController() };
      return current;
    },
    end: (job) => {
      if (current === job) current = null;
    },
    cancel,
    reset: cancel,
  };
}
