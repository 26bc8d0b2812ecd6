/**
 * The training part of the browser benchmark, run in the bench page: the workload
 * (seeded 10-cluster unit vectors, src/som/synthetic.ts) trained through the app's TrainClient
 * on a worker per variant. Each variant first trains a tiny map, so the worker, the WASM runtime
 * and the kernel are started (reported as startup) before the timed run.
 *
 * Timed like the Node benchmark (src/som/som.bench.ts): `trainMs` is initialisation (PCA) plus
 * the epochs, from the call until the last epoch's report; the final figures, calibration and
 * labels (`finishMs`) and the start-up are reported on their own. A shard pool is made per run
 * (as the app's train worker does), so its workers and their runtime start inside the first
 * epoch: `poolStartMs` estimates that (first epoch minus a steady one), and
 * `comparableTrainMs` leaves it out, as the Node benchmark leaves its pool's start-up out.
 */
import { makeGrid } from '../src/grid/grid.ts';
import { defaultTrainConfig } from '../src/som/config.ts';
import { syntheticClusters } from '../src/som/synthetic.ts';
import { TrainClient } from '../app/workers/trainClient.ts';
import type { TrainEngine } from '../src/index.ts';

/** One way to train: a kernel in the worker's own thread, optionally a pool of shard workers. */
export interface TrainVariantSettings {
  /** Kernel of the train worker (and of the pool's workers). */
  readonly kernel: 'ort' | 'js';
  /** WASM threads of the ORT kernel in the train worker; default 1. */
  readonly threads?: number;
  /** Shard workers for the epochs (somPool.ts); default none (epochs in the train worker). */
  readonly poolWorkers?: number;
  /** Kernel of the shard workers; default `kernel`. */
  readonly poolKernel?: 'ort' | 'js';
}

export interface TrainBenchSpec {
  /** Variant name → settings; 'page' trains on the app's own train.worker.ts. */
  readonly variants: Readonly<Record<string, TrainVariantSettings | 'page'>>;
  /** Workload: rows, dimension, map side, epochs (default the 10,000×512, 32×32, 10). */
  readonly n?: number;
  readonly d?: number;
  readonly side?: number;
  readonly epochs?: number;
  /** Epochs actually run for variants named in `partial` (the rest projected); default 2. */
  readonly partialEpochs?: number;
  readonly partial?: readonly string[];
}

export interface TrainVariantResult {
  readonly engine: TrainEngine;
  /** Worker start, runtime load and kernel start (the warm-up run), ms. */
  readonly startupMs: number;
  /** Initialisation plus the epochs run, ms. */
  readonly trainMs: number;
  readonly epochsRun: number;
  /** The first epoch, and the mean of the others (the first alone when only one ran), ms. */
  readonly firstEpochMs: number;
  readonly steadyEpochMs: number;
  /** Shard workers' start inside the first epoch (0 in the train worker's own thread), ms. */
  readonly poolStartMs: number;
  /** trainMs for all epochs (later epochs projected at the steady rate when not all ran). */
  readonly projectedTrainMs: number;
  /** projectedTrainMs without poolStartMs: what compares with Node's figure. */
  readonly comparableTrainMs: number;
  /** Final figures, calibration and unit labels, ms. */
  readonly finishMs: number;
  readonly finalQE: number;
  readonly finalTE: number;
}

function workerFor(settings: TrainVariantSettings | 'page'): () => Worker {
  if (settings === 'page') {
    return () =>
      new Worker(new URL('../app/workers/train.worker.ts', import.meta.url), {
        type: 'module',
        name: 'train',
      });
  }
  return () =>
    new Worker(new URL('./trainBench.worker.ts', import.meta.url), {
      type: 'module',
      name: JSON.stringify(settings),
    });
}

export async function benchTrain(
  spec: TrainBenchSpec,
): Promise<Record<string, TrainVariantResult>> {
  const n = spec.n ?? 10_000;
  const d = spec.d ?? 512;
  const side = spec.side ?? 32;
  const epochs = spec.epochs ?? 10;
  const { data } = syntheticClusters({ n, d, clusters: 10, seed: 1 });
  const config = defaultTrainConfig(makeGrid(side, side), { epochs });
  const warm = syntheticClusters({ n: 64, d, clusters: 4, seed: 2 });
  const warmConfig = defaultTrainConfig(makeGrid(4, 4), { epochs: 1 });
  const results: Record<string, TrainVariantResult> = {};
  for (const [name, settings] of Object.entries(spec.variants)) {
    let worker: Worker | null = null;
    const make = workerFor(settings);
    const client = new TrainClient(() => (worker = make()));
    const t0 = performance.now();
    await client.train(warm.data.slice(), warm.n, warmConfig, { k: 2 });
    const startupMs = performance.now() - t0;

    const stopAfter = spec.partial?.includes(name) ? (spec.partialEpochs ?? 2) : epochs;
    const abort = new AbortController();
    const epochMs: number[] = [];
    let lastEpochAt = 0;
    const t1 = performance.now();
    const result = await client.train(data.slice(), n, config, {
      k: 20,
      signal: abort.signal,
      onEpoch: (report) => {
        lastEpochAt = performance.now();
        epochMs.push(report.ms);
        if (report.epoch >= stopAfter) abort.abort();
      },
    });
    const trainMs = lastEpochAt - t1;
    const epochsRun = epochMs.length;
    const firstEpochMs = epochMs[0];
    const later = epochMs.slice(1);
    const steadyEpochMs =
      later.length > 0 ? later.reduce((a, b) => a + b, 0) / later.length : firstEpochMs;
    const poolStartMs = result.engine.pool.startsWith('in-thread:')
      ? 0
      : Math.max(0, firstEpochMs - steadyEpochMs);
    const projectedTrainMs = trainMs + steadyEpochMs * (epochs - epochsRun);
    results[name] = {
      engine: result.engine,
      startupMs,
      trainMs,
      epochsRun,
      firstEpochMs,
      steadyEpochMs,
      poolStartMs,
      projectedTrainMs,
      comparableTrainMs: projectedTrainMs - poolStartMs,
      finishMs: performance.now() - lastEpochAt,
      finalQE: result.quality.quantizationError,
      finalTE: result.quality.topographicError,
    };
    (worker as Worker | null)?.terminate();
  }
  return results;
}
