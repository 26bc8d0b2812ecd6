/**
 * How an SDR's active cells spread over its grid: are they one tight patch (an item the map
 * knows well, close to one prototype) or scattered over many places (a blend of concepts)?
 *
 * Distances are planar, from `unitPosition` in src/grid/grid.ts, so rect and hex grids both
 * work and agree with every other view of the grid.
 */
import { gridSize, unitNeighbours, unitPosition, type Grid } from '../grid/grid.ts';
import type { SDR } from './sdr.ts';

export interface SpatialStats {
  /** Active cells w. */
  readonly width: number;
  /** Mean planar distance over the w(w−1)/2 pairs of active cells; 0 when w < 2. */
  readonly meanPairwiseDistance: number;
  /** Mean distance between two distinct cells of the grid: what random SDRs average. */
  readonly expectedPairwiseDistance: number;
  /** meanPairwiseDistance / expectedPairwiseDistance: about 1 for random SDRs, near 0 tight. */
  readonly dispersion: number;
  /** Connected groups of active cells under grid adjacency (4 on rect, 6 on hex). */
  readonly clusterCount: number;
  /** Cells in the biggest group; 0 when w = 0. */
  readonly largestCluster: number;
  /** Root-mean-square planar distance of the active cells from their centroid; 0 when w = 0. */
  readonly radiusOfGyration: number;
  /** Mean planar position (x, y) of the active cells; NaN when w = 0. */
  readonly centroid: readonly [number, number];
}

/** Planar x and y of each active cell, as two flat arrays. */
function activePositions(sdr: SDR): { xs: Float64Array; ys: Float64Array } {
  const w = sdr.active.length;
  const xs = new Float64Array(w);
  const ys = new Float64Array(w);
  for (let i = 0; i < w; i++) {
    const [x, y] = unitPosition(sdr.grid, sdr.active[i]);
    xs[i] = x;
    ys[i] = y;
  }
  return { xs, ys };
}

/** Mean planar distance over all pairs of active cells; 0 when w < 2. Costs O(w²). */
export function meanPairwiseDistance(sdr: SDR): number {
  const w = sdr.active.length;
  if (w < 2) return 0;
  const { xs, ys } = activePositions(sdr);
  let sum = 0;
  for (let i = 0; i < w; i++) {
    const xi = xs[i];
    const yi = ys[i];
    for (let j = i + 1; j < w; j++) sum += Math.hypot(xs[j] - xi, ys[j] - yi);
  }
  return sum / ((w * (w - 1)) / 2);
}

const expectedCache = new Map<string, number>();

/**
 * Mean planar distance over all unordered pairs of distinct cells of the grid. Every pair of
 * cells is equally likely to appear in a uniformly random w-subset, so this is exactly the
 * expected mean pairwise distance of a random SDR of any w ≥ 2. 0 for a one-cell grid.
 *
 * Pairs are counted by offset instead of enumerated: a pair whose upper cell is dr rows and
 * dc columns from its lower one occurs (rows − dr)·(cols − |dc|) times, split by the parity of
 * the lower row (hex rows alternate their shift). O(rows·cols) rather than O(n²); cached per
 * grid shape.
 */
export function expectedPairwiseDistance(grid: Grid): number {
  const key = `${grid.rows}x${grid.cols}:${grid.topology}`;
  const cached = expectedCache.get(key);
  if (cached !== undefined) return cached;
  const { rows, cols } = grid;
  const n = gridSize(grid);
  let sum = 0;
  // Same row: pairs (c, c + dc) for dc > 0, in each of the rows.
  for (let dc = 1; dc < cols; dc++) sum += rows * (cols - dc) * dc;
  for (let dr = 1; dr < rows; dr++) {
    const starts = rows - dr;
    let lastShift = Number.NaN;
    let lastDy = Number.NaN;
    let rowSum = 0;
    for (let parity = 0; parity < 2; parity++) {
      const startRows = parity === 0 ? Math.ceil(starts / 2) : Math.floor(starts / 2);
      if (startRows === 0) continue;
      // Offset of the upper row's first cell from the lower row's first cell, from the layout.
      const [x0, y0] = unitPosition(grid, parity * cols);
      const [x1, y1] = unitPosition(grid, (parity + dr) * cols);
      const shift = x1 - x0;
      const dy = y1 - y0;
      // Both parities share one offset on rect grids and for even dr on hex: sum once.
      if (shift !== lastShift || dy !== lastDy) {
        rowSum = 0;
        for (let dc = -(cols - 1); dc < cols; dc++) {
          rowSum += (cols - Math.abs(dc)) * Math.hypot(dc + shift, dy);
        }
        lastShift = shift;
        lastDy = dy;
      }
      sum += startRows * rowSum;
    }
  }
  const mean = n < 2 ? 0 : sum / ((n * (n - 1)) / 2);
  expectedCache.set(key, mean);
  return mean;
}

/**
 * Mean pairwise distance relative to a random SDR on the same grid: ≈ 1 for uniformly random
 * cells, well below 1 for a tight patch, above 1 when the cells sit at opposite edges.
 * 0 when w < 2 (no pairs, no spread).
 */
export function dispersion(sdr: SDR): number {
  const mean = meanPairwiseDistance(sdr);
  return mean === 0 ? 0 : mean / expectedPairwiseDistance(sdr.grid);
}

/** Position of `cell` in the sorted active list, or −1. */
function indexOfActive(active: Uint32Array, cell: number): number {
  let lo = 0;
  let hi = active.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = active[mid];
    if (v < cell) lo = mid + 1;
    else if (v > cell) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Connected-component label of each active cell (parallel to `sdr.active`), numbered 0, 1, …
 * in order of each component's smallest cell. Adjacency is `unitNeighbours` (4 on rect, 6 on
 * hex). Union–find with path halving: O(w · neighbours · log w).
 */
export function clusterLabels(sdr: SDR): Uint32Array {
  const active = sdr.active;
  const w = active.length;
  const parent = new Uint32Array(w);
  for (let i = 0; i < w; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < w; i++) {
    for (const nb of unitNeighbours(sdr.grid, active[i])) {
      if (nb <= active[i]) continue; // each edge once, from its lower end
      const j = indexOfActive(active, nb);
      if (j < 0) continue;
      const ri = find(i);
      const rj = find(j);
      // Keep the smaller index as root so labels follow each component's smallest cell.
      if (ri < rj) parent[rj] = ri;
      else if (rj < ri) parent[ri] = rj;
    }
  }
  const labels = new Uint32Array(w);
  const labelOfRoot = new Int32Array(w).fill(-1);
  let next = 0;
  for (let i = 0; i < w; i++) {
    const r = find(i);
    if (labelOfRoot[r] < 0) labelOfRoot[r] = next++;
    labels[i] = labelOfRoot[r];
  }
  return labels;
}

/** Number of connected groups of active cells and the size of the biggest. */
export function clusters(sdr: SDR): { count: number; largest: number } {
  const labels = clusterLabels(sdr);
  const sizes = new Uint32Array(labels.length);
  let count = 0;
  let largest = 0;
  for (const l of labels) {
    if (l + 1 > count) count = l + 1;
    sizes[l]++;
    if (sizes[l] > largest) largest = sizes[l];
  }
  return { count, largest };
}

function meanOf(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s / v.length;
}

/** The spatial scores of many SDRs, one entry per row (flat arrays, as encoders return rows). */
export interface SpatialRows {
  /** Connected groups of active units per row. */
  readonly clusters: Uint16Array;
  /** Units in each row's biggest group. */
  readonly largestCluster: Uint16Array;
  /** Root-mean-square distance of the active units from their centroid, in grid cells. */
  readonly radius: Float32Array;
}

/**
 * `clusters` and `radiusOfGyration` of n SDRs of K units each (`active`, n·k, each row sorted)
 * on `grid`: about 30 µs a row, so 100,000 rows take seconds and belong in a worker.
 */
export function spatialRows(grid: Grid, active: Uint32Array, n: number, k: number): SpatialRows {
  if (active.length < n * k) {
    throw new RangeError(`${n} SDRs of ${k} units need ${n * k} indices, got ${active.length}`);
  }
  const count = new Uint16Array(n);
  const largest = new Uint16Array(n);
  const radius = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sdr: SDR = { grid, active: active.subarray(i * k, (i + 1) * k) };
    const c = clusters(sdr);
    count[i] = c.count;
    largest[i] = c.largest;
    radius[i] = radiusOfGyration(sdr);
  }
  return { clusters: count, largestCluster: largest, radius };
}

/** Mean planar position of the active cells; [NaN, NaN] when w = 0. */
export function centroid(sdr: SDR): [number, number] {
  const { xs, ys } = activePositions(sdr);
  return [meanOf(xs), meanOf(ys)];
}

/** Root-mean-square distance of the active cells from their centroid; 0 when w = 0. */
export function radiusOfGyration(sdr: SDR): number {
  const w = sdr.active.length;
  if (w === 0) return 0;
  const { xs, ys } = activePositions(sdr);
  const cx = meanOf(xs);
  const cy = meanOf(ys);
  let s = 0;
  for (let i = 0; i < w; i++) s += (xs[i] - cx) ** 2 + (ys[i] - cy) ** 2;
  return Math.sqrt(s / w);
}

/** Every spatial measure of one SDR at once. */
export function spatialStats(sdr: SDR): SpatialStats {
  const { count, largest } = clusters(sdr);
  const mean = meanPairwiseDistance(sdr);
  const expected = expectedPairwiseDistance(sdr.grid);
  return {
    width: sdr.active.length,
    meanPairwiseDistance: mean,
    expectedPairwiseDistance: expected,
    dispersion: mean === 0 ? 0 : mean / expected,
    clusterCount: count,
    largestCluster: largest,
    radiusOfGyration: radiusOfGyration(sdr),
    centroid: centroid(sdr),
  };
}
