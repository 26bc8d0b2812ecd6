/**
 * Shared SOM types. A codebook is one flat Float32Array of m·d numbers (unit-major: row j is
 * unit j's weight vector), never number[][].
 */
import type { Grid } from '../grid/grid.ts';

export type InitMethod = 'pca' | 'random';

export interface TrainConfig {
  readonly grid: Grid;
  /** Number of batch epochs; default 20, range 1 to 10,000. */
  readonly epochs: number;
  /** Seed for initialisation and anything else random; default 1. */
  readonly seed: number;
  /** Codebook initialisation; default 'pca' (the principal plane of the data). */
  readonly init: InitMethod;
  /** Gaussian neighbourhood radius (σ, in grid units) at the first epoch; default max(rows, cols)/2. */
  readonly radiusStart: number;
  /** σ at the last epoch; default 1.0 (ending at 0.5 breaks topology, at 2 blurs it). Decays exponentially. */
  readonly radiusEnd: number;
}

/** Figures after one epoch. */
export interface EpochReport {
  /** 1-based epoch just finished. */
  readonly epoch: number;
  /** σ used in that epoch. */
  readonly radius: number;
  /** Mean Euclidean distance from each input to its best-matching unit (unit-length inputs). */
  readonly quantizationError: number;
  /** Fraction of inputs whose best and second-best units are not grid neighbours. */
  readonly topographicError: number;
  /** Wall time of the epoch in milliseconds. */
  readonly ms: number;
  /** Of which the best-matching-unit pass (the map step, all shards), in milliseconds. */
  readonly bmuMs?: number;
}

/** A trained (or partly trained) map: everything needed to encode. */
export interface SomModel {
  readonly grid: Grid;
  /** Embedding dimension d. */
  readonly dim: number;
  /** m·d weights, unit-major. */
  readonly codebook: Float32Array;
}

export interface SomSnapshot extends SomModel {
  readonly config: TrainConfig;
  /** Epochs completed so far (0 = just initialised). */
  readonly epoch: number;
  readonly history: readonly EpochReport[];
}
