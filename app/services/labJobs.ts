/**
 * The lab job queue: which run of each lab measurement (curves, claims, overlap counts, novelty, hold-out) is the
 * live one, and the lab workers they run in. A run takes a number; replies of a run that was
 * replaced or cancelled are dropped. One worker per job kind (labClient.ts), so a claim check
 * never waits behind a curve measurement.
 *
 * The store makes one (store/index.ts) and hands it to the lab slice; `resetAppStore` calls
 * `reset`, which drops every run in flight.
 */
import { getLabClient, type LabClient, type LabJob } from '../workers/labClient.ts';

/** What the lab slice asks of a lab worker. */
export type LabJobClient = Pick<
  LabClient,
  'curves' | 'claims' | 'overlapCounts' | 'novelty' | 'holdout' | 'cancel'
>;

export interface LabJobs {
  /** Start a run of `job`; returns its number (for `isLatest`). */
  start(job: LabJob): number;
  /** Whether `run` is still the live run of `job` (not replaced, cancelled or reset). */
  isLatest(job: LabJob, run: number): boolean;
  /** The worker client of `job`. */
  client(job: LabJob): LabJobClient;
  /** Drop the live run of `job` and stop its worker's measurement at once. */
  cancel(job: LabJob): void;
  /** Use `factory` for the worker clients from now on (tests: in-thread sessions). */
  setClients(factory: (job: LabJob) => LabJobClient): void;
  /** Drop every run in flight (their replies are ignored). */
  reset(): void;
}

export function createLabJobs(factory: (job: LabJob) => LabJobClient = getLabClient): LabJobs {
  let clientFor = factory;
  const runs: Record<LabJob, number> = { curves: 0, claims: 0, counts: 0, novelty: 0, holdout: 0 };
  return {
    start: (job) => ++runs[job],
    isLatest: (job, run) => runs[job] === run,
    client: (job) => clientFor(job),
    cancel: (job) => {
      runs[job]++;
      clientFor(job).cancel();
    },
    setClients: (next) => {
      clientFor = next;
    },
    reset: () => {
      for (const job of Object.keys(runs) as LabJob[]) runs[job]++;
    },
  };
}
