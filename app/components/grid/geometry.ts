import { gridSize, type Grid } from '../../../src/index.ts';
/**
 * Pixel geometry of a SOM grid drawn in a box: cell centres, cell shapes, pixel → unit hit
 * testing and keyboard moves. DOM-free, so the canvas, the SVG export and the tests share it.
 *
 * Grid units follow src/grid/grid.ts: neighbouring units are 1 apart. A rect cell is a unit
 * square; a hex cell is a pointy-top hexagon of circumradius 1/√3, whose flat-to-flat width is 1,
 * so the "odd-r" rows (√3/2 apart, odd rows shifted right by ½) tile the plane without gaps.
 */

/** Circumradius of a hex cell in grid units (neighbour distance 1 ⇒ apothem ½). */
export const HEX_RADIUS = 1 / Math.sqrt(3);
const HEX_ROW_HEIGHT = Math.sqrt(3) / 2;

/** The grid's drawn extent in grid units: the box that holds every cell's full shape. */
export interface GridExtent {
  readonly x0: number;
  readonly y0: number;
  readonly width: number;
  readonly height: number;
}

export function gridExtent(grid: Grid): GridExtent {
  if (grid.topology === 'hex') {
    return {
      x0: -0.5,
      y0: -HEX_RADIUS,
      width: grid.cols + (grid.rows > 1 ? 0.5 : 0),
      height: (grid.rows - 1) * HEX_ROW_HEIGHT + 2 * HEX_RADIUS,
    };
  }
  return { x0: -0.5, y0: -0.5, width: grid.cols, height: grid.rows };
}

/** Where every cell of a grid lands in a pixel box. */
export interface CellLayout {
  readonly grid: Grid;
  /** The pixel box the grid was fitted into (CSS pixels). */
  readonly width: number;
  readonly height: number;
  /** Pixels per grid unit (the distance between neighbouring cell centres). */
  readonly scale: number;
  /** Pixel position of grid point (0, 0), the centre of unit 0. */
  readonly originX: number;
  readonly originY: number;
  /** Cell centres in pixels, [x0, y0, x1, y1, …], 2·m values. */
  readonly centers: Float32Array;
  /** Bounding box of one cell in pixels (hex: flat-to-flat width, point-to-point height). */
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** The drawn grid's bounding box in pixels. */
  readonly bounds: {
    readonly x: number;
    readonly y: number;
    readonly w: number;
    readonly h: number;
  };
}

export interface LayoutOptions {
  /** Empty margin kept on every side, in pixels; default 0, at least 0. */
  readonly padding?: number;
}

export class GridGeometryError extends Error {
  override name = 'GridGeometryError';
}

/**
 * Fit a grid into a width × height pixel box, keeping cells undistorted (equal scale on both
 * axes) and centring the grid in the box.
 */
export function layoutCells(
  grid: Grid,
  width: number,
  height: number,
  options: LayoutOptions = {},
): CellLayout {
  const padding = options.padding ?? 0;
  if (!(width > 0) || !(height > 0) || !Number.isFinite(width) || !Number.isFinite(height)) {
    throw new GridGeometryError(`a grid needs a box of positive size, got ${width}×${height}`);
  }
  if (!(padding >= 0) || 2 * padding >= Math.min(width, height)) {
    throw new GridGeometryError(
      `padding must be at least 0 and leave room in a ${width}×${height} box, got ${padding}`,
    );
  }
  const ext = gridExtent(grid);
  const scale = Math.min((width - 2 * padding) / ext.width, (height - 2 * padding) / ext.height);
  const w = ext.width * scale;
  const h = ext.height * scale;
  const bx = (width - w) / 2;
  const by = (height - h) / 2;
  const originX = bx - ext.x0 * scale;
  const originY = by - ext.y0 * scale;
  const m = gridSize(grid);
  const centers = new Float32Array(2 * m);
  const { cols } = grid;
  const hex = grid.topology === 'hex';
  const rowStep = (hex ? HEX_ROW_HEIGHT : 1) * scale;
  for (let i = 0, r = 0; r < grid.rows; r++) {
    const shift = hex && r & 1 ? 0.5 * scale : 0;
    const y = originY + r * rowStep;
    for (let c = 0; c < cols; c++, i++) {
      centers[2 * i] = originX + c * scale + shift;
      centers[2 * i + 1] = y;
    }
  }
  return {
    grid,
    width,
    height,
    scale,
    originX,
    originY,
    centers,
    cellWidth: scale,
    cellHeight: hex ? 2 * HEX_RADIUS * scale : scale,
    bounds: { x: bx, y: by, w, h },
  };
}

/**
 * Corner offsets of one cell's shape from its centre, [dx0, dy0, dx1, dy1, …]: 4 corners for
 * rect, 6 for hex (pointy top, clockwise from the top). `inset` (pixels, default 0, from minus
 * to plus half a cell) moves every edge inwards by that much, to leave a visible gap between
 * cells; a negative inset grows the shape (rings drawn just outside a cell).
 */
export function cellShape(layout: CellLayout, inset = 0): Float32Array {
  const half = layout.scale / 2;
  const d = Math.max(-half, Math.min(inset, half));
  if (layout.grid.topology === 'hex') {
    // Moving every edge in by d shrinks the apothem (½·scale) by d; corners scale alike.
    const radius = HEX_RADIUS * layout.scale * ((half - d) / half);
    const out = new Float32Array(12);
    for (let k = 0; k < 6; k++) {
      const a = ((60 * k - 90) * Math.PI) / 180;
      out[2 * k] = radius * Math.cos(a);
      out[2 * k + 1] = radius * Math.sin(a);
    }
    return out;
  }
  const s = half - d;
  return Float32Array.of(-s, -s, s, -s, s, s, -s, s);
}

/**
 * The unit whose cell contains pixel (px, py), or -1 when the pixel is outside every cell.
 * Constant time: it inspects at most 9 candidate cells around the pixel.
 */
export function unitAt(layout: CellLayout, px: number, py: number): number {
  const { grid, scale } = layout;
  const gx = (px - layout.originX) / scale;
  const gy = (py - layout.originY) / scale;
  if (!Number.isFinite(gx) || !Number.isFinite(gy)) return -1;
  if (grid.topology === 'rect') {
    const c = Math.round(gx);
    const r = Math.round(gy);
    if (r < 0 || r >= grid.rows || c < 0 || c >= grid.cols) return -1;
    return r * grid.cols + c;
  }
  // A hex cell is the set of points nearer its centre than any other (its Voronoi cell), so the
  // nearest centre among the rows around the pixel wins; then the hexagon test rejects points
  // beyond the outer border.
  const r0 = Math.round(gy / HEX_ROW_HEIGHT);
  let best = -1;
  let bestD = Infinity;
  let bdx = 0;
  let bdy = 0;
  for (let r = r0 - 1; r <= r0 + 1; r++) {
    if (r < 0 || r >= grid.rows) continue;
    const shift = r & 1 ? 0.5 : 0;
    const c = Math.round(gx - shift);
    for (let cc = c - 1; cc <= c + 1; cc++) {
      if (cc < 0 || cc >= grid.cols) continue;
      const dx = gx - (cc + shift);
      const dy = gy - r * HEX_ROW_HEIGHT;
      const d = dx * dx + dy * dy;
      if (d < bestD) {
        bestD = d;
        best = r * grid.cols + cc;
        bdx = dx;
        bdy = dy;
      }
    }
  }
  if (best < 0) return -1;
  const ax = Math.abs(bdx);
  const eps = 1e-9;
  if (ax > 0.5 + eps || ax / 2 + (Math.abs(bdy) * Math.sqrt(3)) / 2 > 0.5 + eps) return -1;
  return best;
}

/** Keys that move the focus cell (the ARIA grid pattern's navigation keys). */
export type FocusKey =
  'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

const FOCUS_KEYS: ReadonlySet<string> = new Set<FocusKey>([
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
  'Home',
  'End',
  'PageUp',
  'PageDown',
]);

export function isFocusKey(key: string): key is FocusKey {
  return FOCUS_KEYS.has(key);
}

/**
 * The unit the focus moves to from `unit` on `key`; the same unit at a border.
 * Left/right step along the row; up/down step to the row above/below keeping the column index,
 * which on a hex grid is always one of the two diagonal neighbours (odd-r layout) and keeps
 * repeated presses on a straight vertical line instead of drifting sideways. Home/End go to the
 * row's ends, PageUp/PageDown to the column's ends.
 */
export function moveFocus(grid: Grid, unit: number, key: FocusKey): number {
  const m = gridSize(grid);
  if (!Number.isInteger(unit) || unit < 0 || unit >= m) {
    throw new GridGeometryError(`focus unit must be an integer from 0 to ${m - 1}, got ${unit}`);
  }
  const { rows, cols } = grid;
  const r = Math.floor(unit / cols);
  const c = unit - r * cols;
  switch (key) {
    case 'ArrowLeft':
      return c > 0 ? unit - 1 : unit;
    case 'ArrowRight':
      return c < cols - 1 ? unit + 1 : unit;
    case 'ArrowUp':
      return r > 0 ? unit - cols : unit;
    case 'ArrowDown':
      return r < rows - 1 ? unit + cols : unit;
    case 'Home':
      return r * cols;
    case 'End':
      return r * cols + cols - 1;
    case 'PageUp':
      return c;
    case 'PageDown':
      return (rows - 1) * cols + c;
  }
}
