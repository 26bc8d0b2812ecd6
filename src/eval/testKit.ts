/**
 * Helpers for the eval tests (not part of the public API): a small seeded map trained on
 * clustered synthetic embeddings, with the data encoded on it.
 */
import { encodeBatch } from '../encode/encode.ts';
import { makeGrid } from '../grid/grid.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { train } from '../som/trainer.ts';
import type { SomModel } from '../som/types.ts';

export interface TestMap {
  readonly som: SomModel;
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  readonly k: number;
  /** n·k SDR rows of `data` on `som`. */
  readonly active: Uint32Array;
  /** Quantisation errors of `data` (the training set). */
  readonly qe: Float32Array;
  readonly labels: Uint32Array;
}

/** 240 points in 6 clusters (d = 24) on a 12×12 map, K = 6: trains in well under a second. */
export async function smallTrainedMap(seed = 3): Promise<TestMap> {
  const { data, n, d, labels } = syntheticClusters({ n: 240, d: 24, clusters: 6, seed });
  const grid = makeGrid(12, 12);
  const snap = await train(data, n, defaultTrainConfig(grid, { epochs: 8, seed }));
  const som: SomModel = { grid, dim: d, codebook: snap.codebook };
  const k = 6;
  const encoded = encodeBatch(som, data, n, { k });
  return { som, data, n, d, k, active: encoded.active, qe: encoded.qe, labels };
}
