/**
 * Training configuration: defaults, validation, and the neighbourhood-radius schedule.
 */
import { gridSize, makeGrid, sameGridShape, type Grid } from '../grid/grid.ts';
import type { InitMethod, TrainConfig } from './types.ts';

/** Upper bound on epochs (a batch epoch is a full pass; more than this is a mistake). */
export const MAX_EPOCHS = 10_000;

/*
 * The trainer's defaults; src/map/defaults.ts gathers them with the map-level ones (grid, K,
 * hold-out) and their ranges for the CLI and the page.
 */
/** Batch epochs by default (range 1 to MAX_EPOCHS). */
export const DEFAULT_EPOCHS = 20;
/** Seed by default (range 0 to 2³²−1). */
export const DEFAULT_SEED = 1;
/** Initialisation by default: along the data's two main directions. */
export const DEFAULT_INIT: InitMethod = 'pca';
/** σ at the last epoch by default, in grid cells (capped at the start σ). */
export const DEFAULT_RADIUS_END = 1;

/** The default σ at the first epoch: half the grid's longer side. */
export function defaultRadiusStart(grid: Pick<Grid, 'rows' | 'cols'>): number {
  return Math.max(grid.rows, grid.cols) / 2;
}

/** The largest σ the trainer accepts: twice the grid's longer side. */
export function maxRadius(grid: Pick<Grid, 'rows' | 'cols'>): number {
  return 2 * Math.max(grid.rows, grid.cols);
}

/**
 * A full TrainConfig for `grid`: epochs 20, init 'pca', seed 1, radiusStart max(rows, cols)/2,
 * radiusEnd 1.0 (or radiusStart, if that is smaller), with any `overrides` applied, validated.
 */
export function defaultTrainConfig(
  grid: Grid,
  overrides: Partial<Omit<TrainConfig, 'grid'>> = {},
): TrainConfig {
  const g = makeGrid(grid.rows, grid.cols, grid.topology);
  const radiusStart = overrides.radiusStart ?? defaultRadiusStart(g);
  const config: TrainConfig = {
    grid: g,
    epochs: overrides.epochs ?? DEFAULT_EPOCHS,
    seed: overrides.seed ?? DEFAULT_SEED,
    init: overrides.init ?? DEFAULT_INIT,
    radiusStart,
    radiusEnd: overrides.radiusEnd ?? Math.min(DEFAULT_RADIUS_END, radiusStart),
  };
  validateTrainConfig(config);
  return config;
}

/** Throws a RangeError naming the first bad field of `config`. */
export function validateTrainConfig(config: TrainConfig): void {
  const { grid, epochs, seed, init, radiusStart, radiusEnd } = config;
  makeGrid(grid.rows, grid.cols, grid.topology);
  if (gridSize(grid) < 2) {
    throw new RangeError(`a SOM needs at least 2 units, got a ${grid.rows}×${grid.cols} grid`);
  }
  if (!Number.isInteger(epochs) || epochs < 1 || epochs > MAX_EPOCHS) {
    throw new RangeError(`epochs must be an integer from 1 to ${MAX_EPOCHS}, got ${epochs}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  }
  const inits: readonly InitMethod[] = ['pca', 'random'];
  if (!inits.includes(init)) {
    throw new RangeError(`init must be 'pca' or 'random', got ${String(init)}`);
  }
  const largest = maxRadius(grid);
  for (const [name, r] of [
    ['radiusStart', radiusStart],
    ['radiusEnd', radiusEnd],
  ] as const) {
    if (!Number.isFinite(r) || r <= 0 || r > largest) {
      throw new RangeError(
        `${name} must be above 0 and at most ${largest} (2·grid side), got ${r}`,
      );
    }
  }
  if (radiusEnd > radiusStart) {
    throw new RangeError(
      `radiusEnd (${radiusEnd}) must not exceed radiusStart (${radiusStart}): the neighbourhood shrinks`,
    );
  }
}

/**
 * σ for 0-based epoch `e` of `config.epochs`: exponential decay from radiusStart (first epoch)
 * to radiusEnd (last epoch), σ_e = σ_start·(σ_end/σ_start)^(e/(E−1)). A single epoch uses
 * radiusEnd, so a one-epoch run is a fit at the final resolution.
 */
export function radiusAtEpoch(config: TrainConfig, e: number): number {
  const { epochs, radiusStart, radiusEnd } = config;
  if (!Number.isInteger(e) || e < 0 || e >= epochs) {
    throw new RangeError(`epoch index must be an integer from 0 to ${epochs - 1}, got ${e}`);
  }
  if (epochs === 1) return radiusEnd;
  return radiusStart * Math.pow(radiusEnd / radiusStart, e / (epochs - 1));
}

/**
 * Whether two configs make the same initial codebook from the same rows: same grid, init and
 * seed (epochs and radii do not enter it).
 */
export function sameStart(a: TrainConfig, b: TrainConfig): boolean {
  return sameGridShape(a.grid, b.grid) && a.init === b.init && a.seed === b.seed;
}
