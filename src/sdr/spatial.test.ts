import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, unitDistance, type Grid } from '../grid/grid.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';
import { makeSDR } from './sdr.ts';
import {
  clusterLabels,
  clusters,
  dispersion,
  expectedPairwiseDistance,
  meanPairwiseDistance,
  radiusOfGyration,
  spatialStats,
} from './spatial.ts';

/** Mean distance over all pairs of distinct cells by enumerating them (O(n²) reference). */
function bruteExpected(grid: Grid): number {
  const n = gridSize(grid);
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += unitDistance(grid, i, j);
  return sum / ((n * (n - 1)) / 2);
}

/** Cells of a block of `h` rows × `w` columns with top-left corner (r0, c0). */
function block(grid: Grid, r0: number, c0: number, h: number, w: number): number[] {
  const out: number[] = [];
  for (let r = r0; r < r0 + h; r++) for (let c = c0; c < c0 + w; c++) out.push(r * grid.cols + c);
  return out;
}

describe('expectedPairwiseDistance', () => {
  it('equals the mean over all pairs of cells on rect and hex grids of any shape', () => {
    for (const topology of ['rect', 'hex'] as const) {
      for (const [rows, cols] of [
        [1, 2],
        [2, 1],
        [3, 3],
        [4, 7],
        [7, 4],
        [9, 10],
      ]) {
        const grid = makeGrid(rows, cols, topology);
        expect(expectedPairwiseDistance(grid)).toBeCloseTo(bruteExpected(grid), 10);
      }
    }
  });

  it('knows the one-dimensional closed form (n + 1) / 3', () => {
    expect(expectedPairwiseDistance(makeGrid(1, 30))).toBeCloseTo(31 / 3, 12);
  });

  it('handles a 1024×1024 grid (cached after the first call)', () => {
    const big = makeGrid(1024, 1024);
    const e = expectedPairwiseDistance(big);
    // Mean distance of two random points in a unit square is ≈ 0.5214 side lengths.
    expect(e / 1024).toBeCloseTo(0.5214, 3);
    expect(expectedPairwiseDistance(makeGrid(1024, 1024))).toBe(e);
  });
});

describe('dispersion', () => {
  const grid = makeGrid(32, 32);

  it('is well below 1 for a tight 5×4 block, which is also one cluster', () => {
    const sdr = makeSDR(grid, block(grid, 10, 12, 4, 5));
    const stats = spatialStats(sdr);
    expect(stats.width).toBe(20);
    expect(stats.dispersion).toBeLessThan(0.2);
    expect(stats.clusterCount).toBe(1);
    expect(stats.largestCluster).toBe(20);
    expect(stats.centroid[0]).toBeCloseTo(14, 12);
    expect(stats.centroid[1]).toBeCloseTo(11.5, 12);
    // Variance of 0..4 is 2, of 0..3 is 1.25: r_g = √3.25.
    expect(stats.radiusOfGyration).toBeCloseTo(Math.sqrt(3.25), 12);
  });

  it('averages 1 (within 3%) over uniformly random SDRs', () => {
    const rng = createRng(2024);
    const n = gridSize(grid);
    let sum = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++)
      sum += dispersion(makeSDR(grid, sampleWithoutReplacement(rng, n, 20)));
    expect(Math.abs(sum / trials - 1)).toBeLessThan(0.03);
  });

  it('exceeds 1 for cells split between opposite corners', () => {
    const sdr = makeSDR(grid, [...block(grid, 0, 0, 2, 2), ...block(grid, 30, 30, 2, 2)]);
    expect(dispersion(sdr)).toBeGreaterThan(1.3);
    expect(clusters(sdr)).toEqual({ count: 2, largest: 4 });
  });

  it('is 0 for fewer than two cells', () => {
    expect(dispersion(makeSDR(grid, [5]))).toBe(0);
    expect(meanPairwiseDistance(makeSDR(grid, []))).toBe(0);
    expect(radiusOfGyration(makeSDR(grid, []))).toBe(0);
    expect(spatialStats(makeSDR(grid, []))).toMatchObject({ clusterCount: 0, largestCluster: 0 });
  });

  it('works on hex grids: a tight block is compact and random SDRs average 1', () => {
    const hex = makeGrid(32, 32, 'hex');
    const tight = spatialStats(makeSDR(hex, block(hex, 10, 12, 4, 5)));
    expect(tight.dispersion).toBeLessThan(0.2);
    expect(tight.clusterCount).toBe(1);
    const rng = createRng(7);
    let sum = 0;
    for (let t = 0; t < 300; t++) {
      sum += dispersion(makeSDR(hex, sampleWithoutReplacement(rng, gridSize(hex), 20)));
    }
    expect(Math.abs(sum / 300 - 1)).toBeLessThan(0.03);
  });
});

describe('clusters', () => {
  it('uses 4-adjacency on rect grids: a diagonal is not connected, a checkerboard is all singles', () => {
    const grid = makeGrid(6, 6);
    expect(clusters(makeSDR(grid, [0, 7, 14]))).toEqual({ count: 3, largest: 1 });
    const checker = block(grid, 0, 0, 6, 6).filter((i) => (Math.floor(i / 6) + (i % 6)) % 2 === 0);
    expect(clusters(makeSDR(grid, checker))).toEqual({ count: 18, largest: 1 });
  });

  it('uses 6-adjacency on hex grids: an odd row leans right', () => {
    const hex = makeGrid(6, 6, 'hex');
    // (0,1) and (1,1) touch on hex: row 1 is shifted half a cell right.
    expect(clusters(makeSDR(hex, [1, 7]))).toEqual({ count: 1, largest: 2 });
    // (1,1) and (2,2) touch: from odd row 1 the lower-right neighbour is column 2.
    expect(clusters(makeSDR(hex, [7, 14]))).toEqual({ count: 1, largest: 2 });
    // (0,0) and (1,1) do not: the rect-diagonal is two steps on this hex layout.
    expect(clusters(makeSDR(hex, [0, 7]))).toEqual({ count: 2, largest: 1 });
  });

  it('labels components in order of their smallest cell and merges a U shape', () => {
    const grid = makeGrid(5, 5);
    // A U: left column and right column of rows 0–2 joined along row 2, plus a lone cell.
    const u = [0, 5, 10, 11, 12, 7, 2, 24];
    const sdr = makeSDR(grid, u);
    const labels = Array.from(clusterLabels(sdr));
    expect(labels).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(clusters(sdr)).toEqual({ count: 2, largest: 7 });
  });
});
