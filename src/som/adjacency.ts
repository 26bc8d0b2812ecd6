/**
 * Grid adjacency as a flat table, for the topographic-error test in hot loops (unitNeighbours
 * allocates an array per call; this is built once per grid).
 */
import { gridSize, unitNeighbours, type Grid } from '../grid/grid.ts';

/** Most neighbours a unit can have (hex). */
export const MAX_NEIGHBOURS = 6;

/** m·6 neighbour indices per unit, padded with −1. */
export function adjacencyTable(grid: Grid): Int32Array {
  const m = gridSize(grid);
  const table = new Int32Array(m * MAX_NEIGHBOURS).fill(-1);
  for (let i = 0; i < m; i++) {
    const nb = unitNeighbours(grid, i);
    for (let t = 0; t < nb.length; t++) table[i * MAX_NEIGHBOURS + t] = nb[t];
  }
  return table;
}

/** Whether units i and j are immediate grid neighbours (a unit is not its own neighbour). */
export function areAdjacent(table: Int32Array, i: number, j: number): boolean {
  const o = i * MAX_NEIGHBOURS;
  for (let t = 0; t < MAX_NEIGHBOURS; t++) if (table[o + t] === j) return true;
  return false;
}
