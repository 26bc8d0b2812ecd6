/**
 * The SDR value: a grid and the sorted, distinct indices of its active units.
 *
 * Storing an SDR is storing its w indices (4 bytes each), not n bits or n floats.
 */
import { gridSize, sameGridShape, type Grid } from '../grid/grid.ts';

export interface SDR {
  readonly grid: Grid;
  /** Active unit indices, strictly increasing, each in [0, rows·cols). Never mutate. */
  readonly active: Uint32Array;
}

/** An SDR from any list of unit indices: sorted, duplicates removed, range-checked. */
export function makeSDR(grid: Grid, indices: ArrayLike<number>): SDR {
  const n = gridSize(grid);
  const active = Uint32Array.from(indices as ArrayLike<number>);
  for (let i = 0; i < active.length; i++) {
    const v = indices[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) {
      throw new RangeError(`SDR index ${v} is outside the grid of ${n} units`);
    }
  }
  active.sort();
  let w = 0;
  for (let i = 0; i < active.length; i++) {
    if (i === 0 || active[i] !== active[i - 1]) active[w++] = active[i];
  }
  return { grid, active: w === active.length ? active : active.slice(0, w) };
}

/** Trust the caller: `active` is already sorted, distinct and in range (hot paths only). */
export function sdrFromSorted(grid: Grid, active: Uint32Array): SDR {
  return { grid, active };
}

/** Number of cells n. */
export function sdrCells(sdr: SDR): number {
  return gridSize(sdr.grid);
}

/** Number of active cells w. */
export function sdrWidth(sdr: SDR): number {
  return sdr.active.length;
}

/** Dense bit grid, row-major, 1 for active. */
export function toDense(sdr: SDR): Uint8Array {
  const bits = new Uint8Array(gridSize(sdr.grid));
  for (const i of sdr.active) bits[i] = 1;
  return bits;
}

/** From a dense row-major bit grid (any non-zero counts as active). */
export function fromDense(grid: Grid, bits: ArrayLike<number>): SDR {
  const n = gridSize(grid);
  if (bits.length !== n) throw new RangeError(`expected ${n} bits, got ${bits.length}`);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (bits[i]) idx.push(i);
  return sdrFromSorted(grid, Uint32Array.from(idx));
}

/** (row, col) of each active unit, in index order. */
export function toCoords(sdr: SDR): Array<{ row: number; col: number }> {
  const cols = sdr.grid.cols;
  return Array.from(sdr.active, (i) => ({ row: Math.floor(i / cols), col: i % cols }));
}

export function sameGrid(a: SDR, b: SDR): boolean {
  return sameGridShape(a.grid, b.grid);
}

export function assertSameGrid(a: SDR, b: SDR): void {
  if (!sameGrid(a, b)) {
    throw new RangeError(
      `SDRs live on different grids (${a.grid.rows}×${a.grid.cols} ${a.grid.topology} vs ${b.grid.rows}×${b.grid.cols} ${b.grid.topology})`,
    );
  }
}
