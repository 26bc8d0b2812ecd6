/**
 * Encode embedding rows on a saved map and score each SDR the way `sdr encode` reports it and
 * `sdr eval` summarises it: quantisation error, its novelty percentile against the map's
 * calibration, spatial dispersion (and its percentile), and how many clusters the active
 * units form on the grid.
 */
import {
  clusters,
  dispersion,
  dispersionPercentile,
  encodeBatchWith,
  gridSize,
  noveltyPercentile,
  resolveK,
  sdrFromSorted,
  type MatmulBackend,
  type SdrMap,
} from '../index.ts';
import { CliError, getInt, getString, type OptionSpec, type ParsedArgs } from './args.ts';
import { errorMessage } from '../util/errorMessage.ts';

export interface ScoredRows {
  readonly n: number;
  readonly k: number;
  /** n·k active unit indices, row i ascending. */
  readonly active: Uint32Array;
  /** n: distance from the unit-length row to its best unit. */
  readonly qe: Float32Array;
  /** n: best unit by the training rule. */
  readonly bmu: Uint32Array;
  /** n: percentile of qe among the calibration inputs, 0 to 100; null without a calibration. */
  readonly novelty: Float32Array | null;
  /** n: mean pairwise grid distance of the active units over that of random units. */
  readonly dispersion: Float32Array;
  /** n: percentile of dispersion among the calibration SDRs; null without a calibration. */
  readonly dispersionPercentile: Float32Array | null;
  /** n: number of connected groups the active units form (grid neighbours: 4 rect, 6 hex). */
  readonly clusters: Uint32Array;
  /** n: size of the largest cluster. */
  readonly largestCluster: Uint32Array;
}

/** The `--k` entry of `sdr encode` and `sdr eval`: K defaults to what the map was calibrated at. */
export const MAP_K_OPTION: OptionSpec = {
  type: 'string',
  help: "active units per SDR (default: the map's calibration K, usually 20)",
};

/** The K asked for with --k (an integer, 1 to 2^20), or undefined to leave it to mapK. */
export function requestedK(args: ParsedArgs): number | undefined {
  return getString(args, 'k') === undefined ? undefined : getInt(args, 'k', 20, 1, 1 << 20);
}

/**
 * K for encoding with `map`: `requested` if given, else the calibration's K (so novelty and
 * dispersion percentiles compare like with like), else the items' K, else 20.
 */
export function mapK(map: SdrMap, requested?: number): number {
  const m = gridSize(map.som.grid);
  const k = requested ?? map.calibration?.k ?? map.items?.k;
  try {
    return resolveK(m, k === undefined ? {} : { k });
  } catch (e) {
    throw new CliError(`--k: ${errorMessage(e)}`);
  }
}

/** Encode and score n unit-length rows (n·d) on `map` with `backend` doing the products. */
export async function scoreRows(
  backend: MatmulBackend,
  map: SdrMap,
  data: Float32Array,
  n: number,
  k: number,
): Promise<ScoredRows> {
  const { grid } = map.som;
  const e = await encodeBatchWith(backend, map.som, data, n, { k });
  const cal = map.calibration;
  // Dispersion percentiles mean something only against SDRs of the same K.
  const sameK = cal !== null && cal.k === k;
  const novelty = cal ? new Float32Array(n) : null;
  const disp = new Float32Array(n);
  const dispPct = cal && sameK ? new Float32Array(n) : null;
  const count = new Uint32Array(n);
  const largest = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const sdr = sdrFromSorted(grid, e.active.subarray(i * k, (i + 1) * k));
    disp[i] = dispersion(sdr);
    const c = clusters(sdr);
    count[i] = c.count;
    largest[i] = c.largest;
    if (cal && novelty) novelty[i] = noveltyPercentile(cal, e.qe[i]);
    if (cal && dispPct) dispPct[i] = dispersionPercentile(cal, disp[i]);
  }
  return {
    n,
    k,
    active: e.active,
    qe: e.qe,
    bmu: e.bmu,
    novelty,
    dispersion: disp,
    dispersionPercentile: dispPct,
    clusters: count,
    largestCluster: largest,
  };
}
