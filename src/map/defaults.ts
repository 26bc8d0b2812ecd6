/**
 * Training defaults and ranges, written once: `sdr train` parses its options against them and
 * the page's training form shows and checks them. The trainer's own defaults (epochs, seed,
 * init, σ) live beside the trainer in src/som/config.ts; the map-level ones (grid, K, hold-out)
 * and every range are here. Every range is what the engine accepts (src/grid makeGrid, src/som
 * validateTrainConfig); nothing narrower is enforced elsewhere.
 */
import { MAX_GRID_SIDE, makeGrid, type Grid, type Topology } from '../grid/grid.ts';
import { MAX_EPOCHS } from '../som/config.ts';
import type { InitMethod } from '../som/types.ts';

/** A setting's inclusive bounds. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/**
 * Map side (rows and columns each): default 32, range 1 to 1024 (a map needs at least 2
 * units). 32×32 = 1,024 units, where the default K (below) is 2% active, whatever the number of
 * inputs: a map with more units than inputs still orders itself (the neighbourhood pulls empty
 * units between used ones), so small files no longer get a smaller map at a higher share.
 */
export const DEFAULT_GRID_SIDE = 32;
export const GRID_SIDE: Range = { min: 1, max: MAX_GRID_SIDE };

/** Cell layout; default 'rect'. */
export const DEFAULT_TOPOLOGY: Topology = 'rect';
export const TOPOLOGIES: readonly Topology[] = ['rect', 'hex'];

/** Batch epochs: default DEFAULT_EPOCHS (20), range 1 to 10,000. */
export const EPOCHS: Range = { min: 1, max: MAX_EPOCHS };

/** Seed for initialisation and the hold-out split: default DEFAULT_SEED (1), range 0 to 2³²−1. */
export const SEED: Range = { min: 0, max: 0xffffffff };

/** Codebook initialisations; default DEFAULT_INIT ('pca'). */
export const INIT_METHODS: readonly InitMethod[] = ['pca', 'random'];

/**
 * Neighbourhood σ in grid cells, each of start and end from MIN_RADIUS to maxRadius(grid)
 * (2·the longer side), the end at most the start; defaults defaultRadiusStart(grid) (half the
 * longer side) and DEFAULT_RADIUS_END (1.0, or the start when that is smaller).
 */
export const MIN_RADIUS = 0.01;

/**
 * Share of rows held out of training to calibrate novelty on (`sdr train --holdout`): default
 * 0.1, range 0 to 0.5; 0 calibrates on the training rows. The page trains on every row and
 * calibrates on them (holdout 0): its datasets are small and a person's own picks.
 */
export const DEFAULT_HOLDOUT = 0.1;
export const HOLDOUT: Range = { min: 0, max: 0.5 };

/**
 * The default K rule: about 2% of the map's units active, round(0.02·units), clamped to
 * [DEFAULT_K_MIN, DEFAULT_K_MAX] and never above the map's units. At 2% two unrelated SDRs
 * rarely share a unit by chance, and related ones still overlap in a few.
 */
export const DEFAULT_K_SHARE = 0.02;
/** Below 2 active units an SDR is its best unit alone: overlaps would be all or nothing. */
export const DEFAULT_K_MIN = 2;
/**
 * Above 200 active units (maps over ~10,000 units) the SDRs and the overlap index grow with K
 * while the share stays small anyway: 200 of 16,384 units is 1.2%.
 */
export const DEFAULT_K_MAX = 200;

/** Default K for a map of `units` units (see DEFAULT_K_SHARE): 20 for 32×32, 5 for 16×16. */
export function defaultK(units: number): number {
  const k = Math.round(DEFAULT_K_SHARE * units);
  return Math.max(1, Math.min(units, DEFAULT_K_MAX, Math.max(DEFAULT_K_MIN, k)));
}

/** The default grid: DEFAULT_GRID_SIDE square, in `topology` (default rect). */
export function defaultGrid(topology: Topology = DEFAULT_TOPOLOGY): Grid {
  return makeGrid(DEFAULT_GRID_SIDE, DEFAULT_GRID_SIDE, topology);
}
