import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, unitNeighbours } from '../grid/grid.ts';
import { adjacencyTable, areAdjacent, MAX_NEIGHBOURS } from './adjacency.ts';

describe('adjacencyTable', () => {
  it.each(['rect', 'hex'] as const)('agrees with unitNeighbours on a %s grid', (topology) => {
    const grid = makeGrid(5, 6, topology);
    const table = adjacencyTable(grid);
    const m = gridSize(grid);
    expect(table.length).toBe(m * MAX_NEIGHBOURS);
    const mismatches: string[] = [];
    for (let i = 0; i < m; i++) {
      const nb = new Set(unitNeighbours(grid, i));
      for (let j = 0; j < m; j++) {
        // Adjacency matches the grid, and is symmetric and irreflexive.
        if (areAdjacent(table, i, j) !== nb.has(j)) mismatches.push(`${i}-${j}`);
        if (areAdjacent(table, i, j) !== areAdjacent(table, j, i))
          mismatches.push(`asym ${i}-${j}`);
      }
      if (areAdjacent(table, i, i)) mismatches.push(`self ${i}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('gives interior units 4 neighbours on rect and 6 on hex', () => {
    const count = (t: Int32Array, i: number) =>
      Array.from(t.subarray(i * 6, i * 6 + 6)).filter((v) => v >= 0).length;
    expect(count(adjacencyTable(makeGrid(5, 5)), 12)).toBe(4);
    expect(count(adjacencyTable(makeGrid(5, 5, 'hex')), 12)).toBe(6);
  });
});
