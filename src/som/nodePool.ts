/**
 * The Node shard pool: worker_threads, one shard (contiguous row range) each. The data is put
 * once in a SharedArrayBuffer every worker reads; only the codebook travels each epoch, and
 * each worker's partial sums come back by transfer. Node only: exported from src/som/node.ts.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createWorkerShardPool, type ShardPool, type ShardPort } from './pool.ts';
import type { ShardBackendKind, ShardReply } from './shardProtocol.ts';

export interface NodePoolOptions {
  /** Worker threads; default min(2, available cores), range 1 to 64. */
  readonly workers?: number;
  /** Kernel each worker runs: 'ort' (onnxruntime-node, default) or 'js'. */
  readonly backend?: ShardBackendKind;
  /** onnxruntime threads per worker; default 1, range 1 to 64 (the workers are the parallelism). */
  readonly ortThreads?: number;
}

/** What a shard worker is started with. */
export interface NodeShardWorkerData {
  readonly backend: ShardBackendKind;
  readonly ortThreads: number;
  /** The entry module to load (used by the TypeScript boot file). */
  readonly entry: string;
}

function nodePort(worker: Worker): ShardPort {
  // Keep the process alive only while a request is in flight, so a pool nobody disposed
  // does not hold the process open, yet an awaited reply is never cut off.
  let inFlight = 0;
  worker.unref();
  const errorListeners: Array<(e: Error) => void> = [];
  let terminating = false;
  worker.on('error', (e) => errorListeners.forEach((l) => l(e)));
  worker.on('exit', (code) => {
    if (!terminating)
      errorListeners.forEach((l) => l(new Error(`worker exited with code ${code}`)));
  });
  return {
    post(message, transfer) {
      if (inFlight++ === 0) worker.ref();
      worker.postMessage(message, transfer);
    },
    onMessage(listener) {
      worker.on('message', (reply: ShardReply) => {
        if (--inFlight === 0) worker.unref();
        listener(reply);
      });
    },
    onError(listener) {
      errorListeners.push(listener);
    },
    async terminate() {
      terminating = true;
      await worker.terminate();
    },
  };
}

/** Start `workers` shard workers and return them as a ShardPool. */
export async function createNodePool(options: NodePoolOptions = {}): Promise<ShardPool> {
  const workers = options.workers ?? Math.min(2, availableParallelism());
  const backend = options.backend ?? 'ort';
  const ortThreads = options.ortThreads ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new RangeError(`workers must be an integer from 1 to 64, got ${workers}`);
  }
  if (backend !== 'js' && backend !== 'ort') {
    throw new RangeError(`backend must be 'js' or 'ort', got ${String(backend)}`);
  }
  if (!Number.isInteger(ortThreads) || ortThreads < 1 || ortThreads > 64) {
    throw new RangeError(`ortThreads must be an integer from 1 to 64, got ${ortThreads}`);
  }
  // From source (.ts) the worker boots through tsx; a compiled build has a .js entry beside us.
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(
    fromSource ? './nodeShard.worker.ts' : './nodeShard.worker.js',
    import.meta.url,
  );
  const start = fromSource ? new URL('./nodeShard.boot.mjs', import.meta.url) : entry;
  const data: NodeShardWorkerData = { backend, ortThreads, entry: entry.href };
  const ports = Array.from({ length: workers }, () =>
    nodePort(new Worker(start, { workerData: data })),
  );
  return createWorkerShardPool(ports, {
    name: `node-workers×${workers}:${backend === 'ort' ? 'ort-node' : 'js'}`,
    shareMemory: true,
  });
}
