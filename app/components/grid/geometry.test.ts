import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  GridGeometryError,
  cellShape,
  gridExtent,
  isFocusKey,
  layoutCells,
  moveFocus,
  unitAt,
  type FocusKey,
} from './geometry.ts';
import { gridSize, makeGrid, unitNeighbours, type Grid } from '../../../src/index.ts';

const grids: Grid[] = [
  makeGrid(32, 32, 'rect'),
  makeGrid(24, 24, 'hex'),
  makeGrid(5, 9, 'hex'),
  makeGrid(7, 3, 'rect'),
  makeGrid(1, 6, 'hex'),
];

describe('layoutCells', () => {
  it.each(grids)('keeps every cell of a $rows×$cols $topology grid inside the box', (grid) => {
    const layout = layoutCells(grid, 417, 263, { padding: 4 });
    const shape = cellShape(layout);
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < gridSize(grid); i++) {
      for (let k = 0; k < shape.length; k += 2) {
        const x = layout.centers[2 * i] + shape[k];
        const y = layout.centers[2 * i + 1] + shape[k + 1];
        [minX, maxX] = [Math.min(minX, x), Math.max(maxX, x)];
        [minY, maxY] = [Math.min(minY, y), Math.max(maxY, y)];
      }
    }
    expect(minX).toBeGreaterThanOrEqual(4 - 1e-3);
    expect(maxX).toBeLessThanOrEqual(417 - 4 + 1e-3);
    expect(minY).toBeGreaterThanOrEqual(4 - 1e-3);
    expect(maxY).toBeLessThanOrEqual(263 - 4 + 1e-3);
    // Fills one axis exactly and centres the other.
    const { bounds } = layout;
    const fillsX = Math.abs(bounds.w - (417 - 8)) < 1e-6;
    const fillsY = Math.abs(bounds.h - (263 - 8)) < 1e-6;
    expect(fillsX || fillsY).toBe(true);
    expect(bounds.x + bounds.w / 2).toBeCloseTo(417 / 2, 6);
    expect(bounds.y + bounds.h / 2).toBeCloseTo(263 / 2, 6);
  });

  it.each(grids)('puts neighbouring $topology cells exactly one scale apart', (grid) => {
    const layout = layoutCells(grid, 500, 500);
    for (let i = 0; i < gridSize(grid); i++) {
      for (const j of unitNeighbours(grid, i)) {
        const d = Math.hypot(
          layout.centers[2 * i] - layout.centers[2 * j],
          layout.centers[2 * i + 1] - layout.centers[2 * j + 1],
        );
        expect(d).toBeCloseTo(layout.scale, 3);
      }
    }
  });

  it('keeps cells square: a wide box leaves side margins on a square grid', () => {
    const layout = layoutCells(makeGrid(10, 10), 800, 200);
    expect(layout.scale).toBeCloseTo(20, 9);
    expect(layout.bounds.x).toBeCloseTo(300, 9);
    expect(layout.cellWidth).toBe(layout.cellHeight);
  });

  it('hex extent is wider by half a cell and shorter than rows × 1', () => {
    const ext = gridExtent(makeGrid(24, 24, 'hex'));
    expect(ext.width).toBe(24.5);
    expect(ext.height).toBeLessThan(24);
  });

  it('refuses an empty box or padding that leaves no room, with a clear message', () => {
    const g = makeGrid(4, 4);
    expect(() => layoutCells(g, 0, 100)).toThrow(GridGeometryError);
    expect(() => layoutCells(g, Number.NaN, 100)).toThrow(/positive size/);
    expect(() => layoutCells(g, 100, 100, { padding: 50 })).toThrow(/padding/);
    expect(() => layoutCells(g, 100, 100, { padding: -1 })).toThrow(/padding/);
  });
});

describe('cellShape', () => {
  it('hex cells tile: every corner is shared with a neighbour or lies on the border', () => {
    const grid = makeGrid(6, 6, 'hex');
    const layout = layoutCells(grid, 300, 300);
    const shape = cellShape(layout);
    const corners = new Map<string, number>();
    const key = (x: number, y: number) => `${Math.round(x * 100)},${Math.round(y * 100)}`;
    for (let i = 0; i < gridSize(grid); i++) {
      for (let k = 0; k < 12; k += 2) {
        const kk = key(layout.centers[2 * i] + shape[k], layout.centers[2 * i + 1] + shape[k + 1]);
        corners.set(kk, (corners.get(kk) ?? 0) + 1);
      }
    }
    // An interior hex corner is shared by 3 cells; a gap-free tiling of 36 hexes has far fewer
    // distinct corners than 36·6.
    expect(Math.max(...corners.values())).toBe(3);
    expect(corners.size).toBeLessThan(36 * 6 * 0.5);
  });

  it('an inset shrinks each edge inward by the inset', () => {
    const layout = layoutCells(makeGrid(3, 3, 'hex'), 300, 300);
    const full = cellShape(layout);
    const inset = cellShape(layout, 2);
    // Apothem = circumradius·√3/2; it drops by exactly the inset.
    const apothem = (s: Float32Array) => (Math.hypot(s[0], s[1]) * Math.sqrt(3)) / 2;
    expect(apothem(full) - apothem(inset)).toBeCloseTo(2, 4);
    const rect = cellShape(layoutCells(makeGrid(3, 3), 300, 300), 2);
    expect(rect[2] - rect[0]).toBeCloseTo(100 - 4, 4);
  });
});

describe('unitAt', () => {
  it.each(grids)('finds every $topology cell at its own centre', (grid) => {
    const layout = layoutCells(grid, 640, 480, { padding: 3 });
    for (let i = 0; i < gridSize(grid); i++) {
      expect(unitAt(layout, layout.centers[2 * i], layout.centers[2 * i + 1])).toBe(i);
    }
  });

  it.each(grids)('finds the cell for any point inside a slightly shrunk $topology cell', (grid) => {
    const layout = layoutCells(grid, 640, 480);
    const shape = cellShape(layout, 0.5);
    const m = gridSize(grid);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: m - 1 }),
        fc.integer({ min: 0, max: shape.length / 2 - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, corner, t, u) => {
          // A point in the triangle (centre, corner k, corner k+1) is inside the cell.
          const n = shape.length / 2;
          const k2 = (corner + 1) % n;
          const a = Math.min(t, 1 - u);
          const b = Math.min(u, 1 - a);
          const x = layout.centers[2 * i] + a * shape[2 * corner] + b * shape[2 * k2];
          const y = layout.centers[2 * i + 1] + a * shape[2 * corner + 1] + b * shape[2 * k2 + 1];
          return unitAt(layout, x, y) === i;
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it('returns -1 outside the grid, including the notches beside shifted hex rows', () => {
    const layout = layoutCells(makeGrid(4, 4, 'hex'), 400, 400);
    expect(unitAt(layout, -10, -10)).toBe(-1);
    expect(unitAt(layout, 410, 200)).toBe(-1);
    expect(unitAt(layout, Number.NaN, 5)).toBe(-1);
    // Left of row 1 (shifted right by half a cell) there is no cell.
    const x = layout.centers[2 * 4] - 0.9 * layout.scale;
    const y = layout.centers[2 * 4 + 1];
    expect(unitAt(layout, x, y)).toBe(-1);
    const rect = layoutCells(makeGrid(4, 4), 400, 200);
    expect(unitAt(rect, rect.bounds.x - 1, 100)).toBe(-1);
  });
});

describe('moveFocus', () => {
  it('moves along rows and columns of a rect grid and stops at the border', () => {
    const g = makeGrid(3, 4);
    expect(moveFocus(g, 5, 'ArrowRight')).toBe(6);
    expect(moveFocus(g, 5, 'ArrowLeft')).toBe(4);
    expect(moveFocus(g, 5, 'ArrowUp')).toBe(1);
    expect(moveFocus(g, 5, 'ArrowDown')).toBe(9);
    expect(moveFocus(g, 4, 'ArrowLeft')).toBe(4);
    expect(moveFocus(g, 3, 'ArrowRight')).toBe(3);
    expect(moveFocus(g, 1, 'ArrowUp')).toBe(1);
    expect(moveFocus(g, 9, 'ArrowDown')).toBe(9);
    expect(moveFocus(g, 6, 'Home')).toBe(4);
    expect(moveFocus(g, 6, 'End')).toBe(7);
    expect(moveFocus(g, 6, 'PageUp')).toBe(2);
    expect(moveFocus(g, 2, 'PageDown')).toBe(10);
  });

  it('every arrow step on a hex grid lands on a true hex neighbour', () => {
    const g = makeGrid(7, 6, 'hex');
    const keys: FocusKey[] = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
    for (let i = 0; i < gridSize(g); i++) {
      for (const key of keys) {
        const j = moveFocus(g, i, key);
        if (j !== i) expect(unitNeighbours(g, i)).toContain(j);
      }
    }
  });

  it('up then down returns to the start, and repeated downs keep a straight column', () => {
    const g = makeGrid(8, 8, 'hex');
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 55 }), (i) => {
        return moveFocus(g, moveFocus(g, i, 'ArrowUp'), 'ArrowDown') === i;
      }),
      { seed: 3 },
    );
    let u = 3;
    for (let k = 0; k < 7; k++) u = moveFocus(g, u, 'ArrowDown');
    expect(u % 8).toBe(3);
    expect(Math.floor(u / 8)).toBe(7);
  });

  it('rejects a unit outside the grid and tells focus keys apart', () => {
    expect(() => moveFocus(makeGrid(2, 2), 4, 'ArrowUp')).toThrow(/from 0 to 3/);
    expect(isFocusKey('ArrowUp')).toBe(true);
    expect(isFocusKey('Enter')).toBe(false);
  });
});
