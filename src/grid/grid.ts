/**
 * The 2-D grid a SOM lives on and an SDR is drawn on.
 *
 * Units are numbered row-major: unit i sits at row ⌊i / cols⌋, column i mod cols.
 * - `rect`: unit (r, c) is at (x, y) = (c, r); 4-neighbours are adjacent (distance 1).
 * - `hex`: "odd-r" offset layout: odd rows are shifted right by half a cell and rows are
 *   √3/2 apart, so all 6 neighbours are at distance 1.
 */
export type Topology = 'rect' | 'hex';

export interface Grid {
  /** Number of rows, 1 to 1024. */
  readonly rows: number;
  /** Number of columns, 1 to 1024. */
  readonly cols: number;
  /** Cell layout; default 'rect'. */
  readonly topology: Topology;
}

export const MAX_GRID_SIDE = 1024;
const HEX_ROW_HEIGHT = Math.sqrt(3) / 2;

export function makeGrid(rows: number, cols: number, topology: Topology = 'rect'): Grid {
  for (const [name, v] of [
    ['rows', rows],
    ['cols', cols],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_GRID_SIDE) {
      throw new RangeError(`grid ${name} must be an integer from 1 to ${MAX_GRID_SIDE}, got ${v}`);
    }
  }
  if (topology !== 'rect' && topology !== 'hex') {
    throw new RangeError(`grid topology must be 'rect' or 'hex', got ${String(topology)}`);
  }
  return { rows, cols, topology };
}

/** Whether two grids have the same rows, columns and topology (the same units, the same way). */
export function sameGridShape(a: Grid, b: Grid): boolean {
  return a.rows === b.rows && a.cols === b.cols && a.topology === b.topology;
}

/** Number of units, rows·cols. */
export function gridSize(grid: Grid): number {
  return grid.rows * grid.cols;
}

/** Parse "32x32" (or "32×32", "32X32") into rows and columns. */
export function parseGridSpec(spec: string, topology: Topology = 'rect'): Grid {
  const m = /^\s*(\d+)\s*[x×X]\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new RangeError(`grid must look like 32x32, got "${spec}"`);
  return makeGrid(Number(m[1]), Number(m[2]), topology);
}

/** Planar position of unit i (see the layout note above). */
export function unitPosition(grid: Grid, i: number): [number, number] {
  const r = Math.floor(i / grid.cols);
  const c = i - r * grid.cols;
  if (grid.topology === 'hex') return [c + (r & 1 ? 0.5 : 0), r * HEX_ROW_HEIGHT];
  return [c, r];
}

/** Planar positions of every unit as a flat Float64Array [x0, y0, x1, y1, …]. */
export function unitPositions(grid: Grid): Float64Array {
  const m = gridSize(grid);
  const out = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    const [x, y] = unitPosition(grid, i);
    out[2 * i] = x;
    out[2 * i + 1] = y;
  }
  return out;
}

/** Euclidean distance between units i and j in the plane of the grid. */
export function unitDistance(grid: Grid, i: number, j: number): number {
  const [xi, yi] = unitPosition(grid, i);
  const [xj, yj] = unitPosition(grid, j);
  return Math.hypot(xi - xj, yi - yj);
}

/**
 * Indices of the immediate neighbours of unit i (4 on rect, 6 on hex; fewer at the border),
 * i.e. the units at planar distance 1.
 */
export function unitNeighbours(grid: Grid, i: number): number[] {
  const { rows, cols } = grid;
  const r = Math.floor(i / cols);
  const c = i - r * cols;
  const out: number[] = [];
  const push = (rr: number, cc: number) => {
    if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) out.push(rr * cols + cc);
  };
  push(r, c - 1);
  push(r, c + 1);
  if (grid.topology === 'rect') {
    push(r - 1, c);
    push(r + 1, c);
  } else {
    // odd-r offset: odd rows lean right, even rows lean left.
    const shift = r & 1 ? 0 : -1;
    push(r - 1, c + shift);
    push(r - 1, c + shift + 1);
    push(r + 1, c + shift);
    push(r + 1, c + shift + 1);
  }
  return out;
}
