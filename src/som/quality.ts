/**
 * Map quality figures as standalone functions (plain-JS kernel, synchronous): quantisation error,
 * topographic error, U-matrix and hit counts. The trainer reports QE and TE per epoch on its own
 * (from the BMU pass it already does); these are for a finished map and any data set.
 */
import { gridSize, unitNeighbours } from '../grid/grid.ts';
import { adjacencyTable, areAdjacent } from './adjacency.ts';
import { allocBestTwo, bestTwoJs, halfNormBias, type BestTwo } from './bmu.ts';
import type { SomModel } from './types.ts';

function checkModel(model: SomModel): number {
  const m = gridSize(model.grid);
  if (model.codebook.length !== m * model.dim) {
    throw new RangeError(`codebook holds ${model.codebook.length} floats, need ${m}×${model.dim}`);
  }
  return m;
}

function checkData(model: SomModel, data: Float32Array, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`need at least one input row, got ${n}`);
  if (data.length < n * model.dim) {
    throw new RangeError(`data holds ${data.length} floats, need ${n}×${model.dim}`);
  }
}

/** Best and second-best unit of each of n rows (Euclidean, ties to the lower index). */
export function bestUnits(model: SomModel, data: Float32Array, n: number): BestTwo {
  const m = checkModel(model);
  checkData(model, data, n);
  const out = allocBestTwo(n);
  const bias = halfNormBias(model.codebook, m, model.dim);
  bestTwoJs(data, n, model.codebook, m, model.dim, bias, out);
  return out;
}

/** Mean Euclidean distance from each row to its best-matching unit. */
export function quantizationError(model: SomModel, data: Float32Array, n: number): number {
  const { bestScore } = bestUnits(model, data, n);
  const d = model.dim;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let k = 0; k < d; k++) sq += data[i * d + k] * data[i * d + k];
    sum += Math.sqrt(Math.max(0, sq - 2 * bestScore[i]));
  }
  return sum / n;
}

/** Both figures from one BMU pass (half the work of calling the two functions). */
export function mapQuality(
  model: SomModel,
  data: Float32Array,
  n: number,
): { quantizationError: number; topographicError: number } {
  const { best, second, bestScore } = bestUnits(model, data, n);
  const d = model.dim;
  const table = adjacencyTable(model.grid);
  const several = gridSize(model.grid) > 1;
  let sum = 0;
  let errors = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    for (let k = 0; k < d; k++) sq += data[i * d + k] * data[i * d + k];
    sum += Math.sqrt(Math.max(0, sq - 2 * bestScore[i]));
    if (several && !areAdjacent(table, best[i], second[i])) errors++;
  }
  return { quantizationError: sum / n, topographicError: errors / n };
}

/** Fraction of rows whose best and second-best units are not immediate grid neighbours. */
export function topographicError(model: SomModel, data: Float32Array, n: number): number {
  const { best, second } = bestUnits(model, data, n);
  const table = adjacencyTable(model.grid);
  if (gridSize(model.grid) < 2) return 0; // one unit: no second best, no error possible
  let errors = 0;
  for (let i = 0; i < n; i++) if (!areAdjacent(table, best[i], second[i])) errors++;
  return errors / n;
}

/** How many rows have each unit as their best match (m counts, summing to n). */
export function hitCounts(model: SomModel, data: Float32Array, n: number): Uint32Array {
  const m = gridSize(model.grid);
  const { best } = bestUnits(model, data, n);
  const hits = new Uint32Array(m);
  for (let i = 0; i < n; i++) hits[best[i]]++;
  return hits;
}

/**
 * The U-matrix as one value per unit: the mean Euclidean distance from the unit's weights to its
 * immediate grid neighbours' weights (high = a cluster border). A unit with no neighbours gets 0.
 */
export function uMatrix(model: SomModel): Float32Array {
  const m = checkModel(model);
  const { codebook, dim: d, grid } = model;
  const out = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const nb = unitNeighbours(grid, i);
    if (nb.length === 0) continue;
    let total = 0;
    for (const j of nb) {
      let sq = 0;
      for (let k = 0; k < d; k++) {
        const diff = codebook[i * d + k] - codebook[j * d + k];
        sq += diff * diff;
      }
      total += Math.sqrt(sq);
    }
    out[i] = total / nb.length;
  }
  return out;
}
