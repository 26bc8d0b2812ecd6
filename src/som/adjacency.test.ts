import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, unitPosition } from '../grid/grid.ts';
import { adjacencyTable, areAdjacent, MAX_NEIGHBOURS } from './adjacency.ts';

describe('adjacencyTable', () => {
  it.each(['rect', 'hex'] as const)('agrees with the grid geometry on a %s grid', (topology) => {
    const grid = makeGrid(5, 6, topology);
    const table = adjacencyTable(grid);
    const m = gridSize(grid);
    expect(table.length).toBe(m * MAX_NEIGHBOURS);
    const mismatches: string[] = [];
    for (let i = 0; i < m; i++) {
      // Surrounding cells: the 8 within one step on rect (Chebyshev), the 6 at distance 1 on hex.
      const [xi, yi] = unitPosition(grid, i);
      const nb = new Set<number>();
      for (let j = 0; j < m; j++) {
        const [xj, yj] = unitPosition(grid, j);
        const near =
          topology === 'rect'
            ? Math.max(Math.abs(xi - xj), Math.abs(yi - yj)) === 1
            : Math.abs(Math.hypot(xi - xj, yi - yj) - 1) < 1e-9;
        if (near) nb.add(j);
      }
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

  it('gives interior units 8 neighbours on rect and 6 on hex (Kiviluoto, MiniSom)', () => {
    const count = (t: Int32Array, i: number) =>
      Array.from(t.subarray(i * MAX_NEIGHBOURS, (i + 1) * MAX_NEIGHBOURS)).filter((v) => v >= 0)
        .length;
    expect(count(adjacencyTable(makeGrid(5, 5)), 12)).toBe(8);
    expect(count(adjacencyTable(makeGrid(5, 5, 'hex')), 12)).toBe(6);
    // A corner of a square grid touches 3 cells.
    expect(count(adjacencyTable(makeGrid(5, 5)), 0)).toBe(3);
  });
});
