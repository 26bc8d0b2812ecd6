/**
 * The onnxruntime-node backend (Node only: native MLAS GEMM). onnxruntime-node is imported
 * dynamically here, so nothing that runs in a browser ever pulls it in; this file is exported
 * from src/som/node.ts, never from src/som/index.ts.
 */
import type { MatmulBackend } from './backend.ts';
import { createOrtBackend, type OrtModuleLike } from './ortBackend.ts';

export interface OrtNodeOptions {
  /**
   * Threads for one matrix product; default 1, range 1 to 256. Keep 1 when each worker of a pool
   * runs its own backend (the pool is the parallelism); raise it for a single-threaded trainer.
   */
  readonly threads?: number;
  /** Most floats in one call's score block; default 2,097,152 (see OrtBackendOptions). */
  readonly maxBlockFloats?: number;
}

/** onnxruntime-node on the CPU execution provider, wrapped as a MatmulBackend named 'ort-node'. */
export async function createOrtNodeBackend(options: OrtNodeOptions = {}): Promise<MatmulBackend> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    throw new RangeError(`ORT threads must be an integer from 1 to 256, got ${threads}`);
  }
  const ort = (await import('onnxruntime-node')) as unknown as OrtModuleLike;
  return createOrtBackend(ort, {
    name: 'ort-node',
    acceptsShared: false,
    maxBlockFloats: options.maxBlockFloats,
    sessionOptions: {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    },
  });
}
