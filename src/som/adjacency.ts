/**
 * Grid adjacency for the topographic-error test, as a flat table for hot loops (built once per
 * grid instead of allocating a neighbour list per call).
 *
 * Topographic error counts an input as an error when its best and second-best units are not
 * "adjacent". The usual definition (Kiviluoto 1996; MiniSom, SOM Toolbox) counts the 8
 * surrounding cells on a square grid (diagonals included) and the 6 on a hex grid, so that is
 * what adjacency means here; with only the 4 edge neighbours on square grids the figure came
 * out about 1.5× what peers report for the same map. The U-matrix keeps the planar
 * neighbours at distance 1 (grid.ts unitNeighbours): that is a picture of edge distances.
 */
import { gridSize, unitNeighbours, type Grid } from '../grid/grid.ts';

/** Most neighbours a unit can have for the topographic-error test (8 on rect, 6 on hex). */
export const MAX_NEIGHBOURS = 8;

/**
 * Units counted as adjacent to unit i for topographic error: the 8 surrounding cells (edges and
 * diagonals) on a rect grid, the 6 touching cells on a hex grid; fewer at the border.
 */
function topographicNeighbours(grid: Grid, i: number): number[] {
  if (grid.topology === 'hex') return unitNeighbours(grid, i);
  const { rows, cols } = grid;
  const r = Math.floor(i / cols);
  const c = i - r * cols;
  const out: number[] = [];
  for (let dr = -1; dr <= 1; dr++) {
    for (let dc = -1; dc <= 1; dc++) {
      const rr = r + dr;
      const cc = c + dc;
      if ((dr !== 0 || dc !== 0) && rr >= 0 && rr < rows && cc >= 0 && cc < cols) {
        out.push(rr * cols + cc);
      }
    }
  }
  return out;
}

/** m·MAX_NEIGHBOURS topographic-neighbour indices per unit, padded with −1. */
export function adjacencyTable(grid: Grid): Int32Array {
  const m = gridSize(grid);
  const table = new Int32Array(m * MAX_NEIGHBOURS).fill(-1);
  for (let i = 0; i < m; i++) {
    const nb = topographicNeighbours(grid, i);
    for (let t = 0; t < nb.length; t++) table[i * MAX_NEIGHBOURS + t] = nb[t];
  }
  return table;
}

/** Whether units i and j are topographic neighbours (a unit is not its own neighbour). */
export function areAdjacent(table: Int32Array, i: number, j: number): boolean {
  const o = i * MAX_NEIGHBOURS;
  for (let t = 0; t < MAX_NEIGHBOURS; t++) if (table[o + t] === j) return true;
  return false;
}
