/**
 * The page's door to the lab worker (lab.worker.ts): robustness curves, the claim check and the
 * measured overlap counts, with progress. One lazily created worker per job kind, so a claim
 * check never waits behind a curve measurement.
 *
 * ```ts
 * const curves = await getLabClient('curves').curves(input, options, (done, total) => …);
 * getLabClient('curves').cancel(); // stops the measurement at once
 * ```
 *
 * Inputs are copied to the worker (the store keeps its arrays). `cancel` terminates the worker,
 * which is the only way to stop a synchronous loop at once; the next call starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { ClaimsInput, ClaimsOptions, ClaimsProgress, ClaimsReport } from '../../src/index.ts';
import type { LabWorkerApi, NoveltyRequest, OverlapCountsRequest } from '../../src/index.ts';
import type { HoldoutRequest, HoldoutResult, NoveltyReport } from '../../src/index.ts';
import {
  type OverlapDistribution,
  type RobustnessCurves,
  type RobustnessInput,
  type RobustnessOptions,
} from '../../src/index.ts';
import { errorMessage } from '../../src/index.ts';

export type { OverlapCountsRequest };

/** A measurement the worker could not do (bad input), with the reason. */
export class LabError extends Error {
  override readonly name = 'LabError';
}

/** The measurement was stopped by `cancel`. */
export class LabCancelledError extends Error {
  override readonly name = 'LabCancelledError';
}

interface Connection {
  readonly remote: Comlink.Remote<LabWorkerApi>;
  readonly endpoint: Worker;
}

export class LabClient {
  private connection: Connection | null = null;
  private readonly inFlight = new Set<(error: Error) => void>();
  private readonly createWorker: () => Worker;

  /** `createWorker` is called at the first request and again after each `cancel`. */
  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  private remote(): Comlink.Remote<LabWorkerApi> {
    if (!this.connection) {
      const endpoint = this.createWorker();
      this.connection = { remote: Comlink.wrap<LabWorkerApi>(endpoint), endpoint };
    }
    return this.connection.remote;
  }

  /** Run one request; a cancel rejects it with LabCancelledError, a worker error with LabError. */
  private call<T>(request: (remote: Comlink.Remote<LabWorkerApi>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const stop = (error: Error) => reject(error);
      this.inFlight.add(stop);
      let pending: Promise<T>;
      try {
        pending = request(this.remote());
      } catch (error) {
        this.inFlight.delete(stop);
        reject(new LabError(errorMessage(error)));
        return;
      }
      pending.then(
        (value) => {
          this.inFlight.delete(stop);
          resolve(value);
        },
        (error: unknown) => {
          this.inFlight.delete(stop);
          reject(new LabError(errorMessage(error)));
        },
      );
    });
  }

  /** Robustness curves over the dataset; `onProgress(done, total)` after each step. */
  curves(
    input: RobustnessInput,
    options: RobustnessOptions = {},
    onProgress?: (done: number, total: number) => void,
  ): Promise<RobustnessCurves> {
    return this.call((r) => r.curves(input, options, onProgress && Comlink.proxy(onProgress)));
  }

  /** The four claims, measured; `onProgress(done, total, stage)` between stages. */
  claims(
    input: ClaimsInput,
    options: ClaimsOptions = {},
    onProgress?: ClaimsProgress,
  ): Promise<ClaimsReport> {
    return this.call((r) => r.claims(input, options, onProgress && Comlink.proxy(onProgress)));
  }

  /** Overlap counts of sampled items against all others. */
  overlapCounts(request: OverlapCountsRequest): Promise<OverlapDistribution> {
    return this.call((r) => r.overlapCounts(request));
  }

  /** The recommended novelty score of the request's rows, calibrated on the stored rows. */
  novelty(request: NoveltyRequest): Promise<NoveltyReport> {
    return this.call((r) => r.novelty(request));
  }

  /** Retrain without the request's rows and measure how novel they look. */
  holdout(request: HoldoutRequest): Promise<HoldoutResult> {
    return this.call((r) => r.holdout(request));
  }

  /** Stop everything in flight now (the worker is ended); later calls start a new worker. */
  cancel(): void {
    const connection = this.connection;
    this.connection = null;
    if (connection) {
      connection.remote[Comlink.releaseProxy]();
      connection.endpoint.terminate();
    }
    const stops = [...this.inFlight];
    this.inFlight.clear();
    for (const stop of stops) stop(new LabCancelledError('The measurement was stopped.'));
  }

  /** True while a request is running. */
  get busy(): boolean {
    return this.inFlight.size > 0;
  }
}

export type LabJob = 'curves' | 'claims' | 'counts' | 'novelty' | 'holdout';

const clients = new Map<LabJob, LabClient>();

/** The page's lab client for one kind of job. */
export function getLabClient(job: LabJob): LabClient {
  let client = clients.get(job);
  if (!client) {
    client = new LabClient(
      () =>
        new Worker(new URL('./lab.worker.ts', import.meta.url), {
          type: 'module',
          name: `lab-${job}`,
        }),
    );
    clients.set(job, client);
  }
  return client;
}
