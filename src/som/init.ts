/**
 * Codebook initialisation.
 *
 * - 'pca' (linear initialisation, Kohonen 2001 §3.7): the units are laid out on the principal
 *   plane of the data. Unit i's planar position (src/grid/grid.ts) is centred and scaled to
 *   [−1, 1] along each grid axis; the longer grid axis follows PC1, the other PC2, and the codebook
 *   row is mean + u·σ1·PC1 + v·σ2·PC2 (σ the data's standard deviation along that component).
 *   The map starts already ordered, so training only has to refine it.
 * - 'random': m distinct data rows drawn with the seed (with replacement when n < m), plus a
 *   little Gaussian noise (σ = 1% of the data's per-coordinate spread) so duplicate rows still
 *   give distinct units.
 */
import { gridSize, unitPositions, type Grid } from '../grid/grid.ts';
import { createRng, randomInt, randomNormal, sampleWithoutReplacement } from '../util/random.ts';
import { principalPlane } from './pca.ts';
import type { InitMethod } from './types.ts';

/** An m·d codebook for `grid` from n·d `data`. */
export function initCodebook(
  data: Float32Array,
  n: number,
  d: number,
  grid: Grid,
  method: InitMethod,
  seed: number,
): Float32Array {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`need at least one input row, got ${n}`);
  if (data.length < n * d) throw new RangeError(`data holds ${data.length} floats, need ${n}×${d}`);
  if (method === 'pca') return pcaCodebook(data, n, d, grid, seed);
  if (method === 'random') return randomCodebook(data, n, d, grid, seed);
  throw new RangeError(`init must be 'pca' or 'random', got ${String(method)}`);
}

function pcaCodebook(data: Float32Array, n: number, d: number, grid: Grid, seed: number) {
  const m = gridSize(grid);
  const { mean, components, stddev } = principalPlane(data, n, d, { seed });
  const pos = unitPositions(grid);
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let i = 0; i < m; i++) {
    minX = Math.min(minX, pos[2 * i]);
    maxX = Math.max(maxX, pos[2 * i]);
    minY = Math.min(minY, pos[2 * i + 1]);
    maxY = Math.max(maxY, pos[2 * i + 1]);
  }
  const xFirst = maxX - minX >= maxY - minY;
  const scaled = (v: number, lo: number, hi: number) =>
    hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0;
  const codebook = new Float32Array(m * d);
  for (let i = 0; i < m; i++) {
    const u = scaled(pos[2 * i], minX, maxX);
    const v = scaled(pos[2 * i + 1], minY, maxY);
    const a1 = (xFirst ? u : v) * stddev[0];
    const a2 = (xFirst ? v : u) * stddev[1];
    const o = i * d;
    for (let k = 0; k < d; k++)
      codebook[o + k] = mean[k] + a1 * components[k] + a2 * components[d + k];
  }
  return codebook;
}

function randomCodebook(data: Float32Array, n: number, d: number, grid: Grid, seed: number) {
  const m = gridSize(grid);
  const rng = createRng(seed);
  // Per-coordinate spread: root-mean-square deviation from the mean over all coordinates.
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += data[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) ss += (data[i * d + k] - mean[k]) ** 2;
  }
  const noise = 0.01 * Math.sqrt(ss / (n * d));
  const picks = m <= n ? sampleWithoutReplacement(rng, n, m) : null;
  const codebook = new Float32Array(m * d);
  for (let j = 0; j < m; j++) {
    const row = picks ? picks[j] : randomInt(rng, n);
    for (let k = 0; k < d; k++) codebook[j * d + k] = data[row * d + k] + noise * randomNormal(rng);
  }
  return codebook;
}
