/**
 * The Node figure the browser's training is compared with: the same workload through the same
 * engine path as the page's train worker (createTrainer on an in-thread pool, onnxruntime kernel,
 * one thread), with onnxruntime-node's native GEMM instead of onnxruntime-web's WebAssembly.
 * Timed like src/som/som.bench.ts: initialisation (PCA) plus the epochs; the kernel's start-up
 * is left out, as the browser's is.
 */
import { makeGrid } from '../src/grid/grid.ts';
import { defaultTrainConfig } from '../src/som/config.ts';
import { createOrtNodeBackend } from '../src/som/ortNode.ts';
import { createInThreadPool } from '../src/som/pool.ts';
import { syntheticClusters } from '../src/som/synthetic.ts';
import { createTrainer } from '../src/som/trainer.ts';

export interface NodeTrainWorkload {
  /** Rows, dimension, map side and epochs; defaults the 10,000, 512, 32, 10. */
  readonly n?: number;
  readonly d?: number;
  readonly side?: number;
  readonly epochs?: number;
}

export interface NodeTrainFigures {
  readonly trainMs: number;
  readonly perEpochMs: number;
  readonly finalQE: number;
  readonly finalTE: number;
}

export async function nodeTrainReference(w: NodeTrainWorkload = {}): Promise<NodeTrainFigures> {
  const n = w.n ?? 10_000;
  const d = w.d ?? 512;
  const side = w.side ?? 32;
  const epochs = w.epochs ?? 10;
  // The same rows as the browser's (bench/trainBench.ts): same generator, same seed.
  const { data } = syntheticClusters({ n, d, clusters: 10, seed: 1 });
  const config = defaultTrainConfig(makeGrid(side, side), { epochs });
  const pool = createInThreadPool(await createOrtNodeBackend({ threads: 1 }));
  try {
    const t0 = performance.now();
    const trainer = createTrainer(data, n, config, { pool });
    let epochMs = 0;
    for (let e = 0; e < epochs; e++) epochMs += (await trainer.step()).ms;
    const trainMs = performance.now() - t0;
    const final = await trainer.evaluate();
    return {
      trainMs,
      perEpochMs: epochMs / epochs,
      finalQE: final.quantizationError,
      finalTE: final.topographicError,
    };
  } finally {
    await pool.dispose();
  }
}
