/**
 * A per-pixel cell map for fast redraws. Filling thousands of small paths is slow where the
 * canvas rasterises in software (no GPU, headless, many machines' fallback): ~20 ms for a
 * 64×64 map. So once per layout we record, for every device pixel, the unit that covers it and
 * how much (an anti-aliasing level from the signed distance to the cell's edge), run-length
 * encoded: a cell's interior is one run per pixel row. A redraw is then one pass over m units
 * (pick each unit's colour) and one pass over the runs (a table look-up and a native fill
 * each), written to an ImageData in a few milliseconds. DOM-free.
 */
import type { CellLayout } from './geometry.ts';
import { GRID_COLORS, LUT_SIZE, type ResolvedScene } from './scene.ts';

/** Anti-aliasing levels per pixel: 0 (background) to LEVELS − 1 (fully inside a cell). */
const LEVELS = 16;
const LEVEL_BITS = 4;
const FULL = LEVELS - 1;

/** Colour slots of the blend table: LUT entries, then "empty" and "no data". */
const SLOT_EMPTY = LUT_SIZE;
const SLOT_NO_DATA = LUT_SIZE + 1;
const SLOTS = LUT_SIZE + 2;

export interface CellRaster {
  /** Size in device pixels. */
  readonly width: number;
  readonly height: number;
  /** Number of units of the grid. */
  readonly units: number;
  /**
   * The pixels (row-major, width·height) as runs of equal code, [code, end, code, end, …]:
   * a run covers pixels from the previous run's end up to `end` (exclusive). A code is
   * ((unit + 1) << 4) | level, or 0 where no cell reaches.
   */
  readonly runs: Uint32Array;
}

/**
 * Record which unit covers each device pixel of `layout` drawn at `pixelRatio`, leaving `gap`
 * CSS pixels between cells (default 0, from 0 to a cell's width). Each pixel row of a cell is
 * one native fill for its fully covered span plus a distance test for the few rim pixels at
 * either end. Do it once per layout, not per redraw.
 */
export function rasterizeCells(layout: CellLayout, pixelRatio: number, gap = 0): CellRaster {
  const job = startRaster(layout, pixelRatio, gap);
  job.rasterize(job.units);
  return job.finish();
}

/**
 * rasterizeCells in steps, for a page that must not stall: rasterize(count) does the next
 * `count` units, finish() (once every unit is done) encodes the runs. The steps give exactly
 * rasterizeCells's result.
 */
export interface RasterJob {
  readonly units: number;
  /** Units done so far. */
  readonly done: number;
  rasterize(count: number): void;
  finish(): CellRaster;
}

export function startRaster(layout: CellLayout, pixelRatio: number, gap = 0): RasterJob {
  if (!(pixelRatio > 0) || !Number.isFinite(pixelRatio)) {
    throw new RangeError(`pixel ratio must be a positive number, got ${pixelRatio}`);
  }
  const width = Math.max(1, Math.round(layout.width * pixelRatio));
  const height = Math.max(1, Math.round(layout.height * pixelRatio));
  const codes = new Uint32Array(width * height);
  const hex = layout.grid.topology === 'hex';
  const half = layout.scale / 2;
  const g = Math.max(0, Math.min(gap, layout.scale)) / 2;
  const apothem = half - g;
  // Half extent of a cell's box, plus a pixel of margin for the anti-aliased rim.
  const rx = half + 1 / pixelRatio;
  const ry = (hex ? layout.cellHeight / 2 : half) + 1 / pixelRatio;
  const sx = layout.width / width; // CSS px per device pixel, per axis
  const sy = layout.height / height;
  const halfSqrt3 = Math.sqrt(3) / 2;
  const m = layout.centers.length / 2;
  // With a gap, every edge is softened. With none, neighbours share edges: a pixel inside a
  // cell (distance ≥ 0) is fully that cell's, and only the grid's outer rim is softened.
  const soft = g > 0;
  // Pixels whose centre is at least this far inside the edge (CSS px) are fully covered.
  const inner = soft ? apothem - 0.5 * sx : apothem;
  let next = 0;
  const rasterizeUnit = (u: number) => {
    const cx = layout.centers[2 * u];
    const cy = layout.centers[2 * u + 1];
    const x0 = Math.max(0, Math.floor((cx - rx) / sx));
    const x1 = Math.min(width - 1, Math.ceil((cx + rx) / sx));
    const y0 = Math.max(0, Math.floor((cy - ry) / sy));
    const y1 = Math.min(height - 1, Math.ceil((cy + ry) / sy));
    const code = (u + 1) << LEVEL_BITS;
    for (let py = y0; py <= y1; py++) {
      const dy = Math.abs((py + 0.5) * sy - cy);
      const row = py * width;
      // Half-width of the fully covered span on this row: reach(dx, dy) ≤ inner.
      const span = hex ? Math.min(inner, 2 * (inner - dy * halfSqrt3)) : dy <= inner ? inner : -1;
      let a = x1 + 1;
      let b = x1;
      if (span >= 0) {
        a = Math.max(x0, Math.ceil((cx - span) / sx - 0.5));
        b = Math.min(x1, Math.floor((cx + span) / sx - 0.5));
        if (a <= b) codes.fill(code | FULL, row + a, row + b + 1);
        else a = x1 + 1;
      }
      for (let px = x0; px <= x1; px++) {
        if (px === a) {
          px = b; // the span is done
          continue;
        }
        const dx = Math.abs((px + 0.5) * sx - cx);
        // Signed distance (CSS px) inside the cell's edge: rect = box, hex = 3 slabs.
        const reach = hex ? Math.max(dx, dx / 2 + dy * halfSqrt3) : Math.max(dx, dy);
        const sd = apothem - reach;
        let level: number;
        if (sd >= 0 && !soft) level = FULL;
        else {
          const cover = sd / sx + 0.5; // in device pixels, centred on the edge
          if (cover <= 0) continue;
          level = cover >= 1 ? FULL : Math.round(cover * FULL);
          if (level === 0) continue;
        }
        const p = row + px;
        if (level > (codes[p] & FULL)) codes[p] = code | level;
      }
    }
  };
  return {
    units: m,
    get done() {
      return next;
    },
    rasterize(count) {
      const end = Math.min(m, next + Math.max(0, count));
      for (; next < end; next++) rasterizeUnit(next);
    },
    finish() {
      if (next < m) throw new RangeError(`the raster has ${m - next} of ${m} units still to do`);
      return { width, height, units: m, runs: encodeRuns(codes) };
    },
  };
}

function encodeRuns(codes: Uint32Array): Uint32Array {
  const n = codes.length;
  let count = 1;
  let prev = codes[0];
  for (let p = 1; p < n; p++) {
    const c = codes[p];
    if (c !== prev) {
      count++;
      prev = c;
    }
  }
  const runs = new Uint32Array(2 * count);
  let k = 0;
  prev = codes[0];
  for (let p = 1; p < n; p++) {
    const c = codes[p];
    if (c !== prev) {
      runs[k] = prev;
      runs[k + 1] = p;
      k += 2;
      prev = c;
    }
  }
  runs[k] = prev;
  runs[k + 1] = n;
  return runs;
}

const littleEndian = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** #rrggbb as a 32-bit RGBA pixel in ImageData memory order. */
function pixel(r: number, g: number, b: number): number {
  return littleEndian
    ? ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 0xff) >>> 0;
}

function parseHex(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1, 7), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** A #rrggbb colour as an opaque pixel for a Uint32 view of ImageData. */
export function hexPixel(hex: string): number {
  return pixel(...parseHex(hex));
}

const blendCache = new WeakMap<readonly string[], Uint32Array>();

/** For each colour slot and level: the colour mixed over the background by level / 15. */
function blendTable(lut: readonly string[]): Uint32Array {
  const cached = blendCache.get(lut);
  if (cached) return cached;
  const table = new Uint32Array(SLOTS * LEVELS);
  const [br, bg, bb] = parseHex(GRID_COLORS.background);
  const colours = [...lut, GRID_COLORS.empty, GRID_COLORS.noData];
  for (let s = 0; s < SLOTS; s++) {
    const [r, g, b] = parseHex(colours[s]);
    for (let l = 0; l < LEVELS; l++) {
      const t = l / FULL;
      table[s * LEVELS + l] = pixel(
        Math.round(br + (r - br) * t),
        Math.round(bg + (g - bg) * t),
        Math.round(bb + (b - bb) * t),
      );
    }
  }
  blendCache.set(lut, table);
  return table;
}

/** The colours of an underlay: per-unit LUT indices (or none) and the LUT. */
export type UnderlayColours = Pick<ResolvedScene, 'colorIndex' | 'lut'>;

/**
 * Paint every cell in its underlay colour (or the empty / no-data colour) into `out`, an RGBA
 * pixel buffer of the raster's size viewed as Uint32 (ImageData.data.buffer). Pixels outside
 * every cell get the background colour.
 */
export function paintCells(raster: CellRaster, cells: UnderlayColours, out: Uint32Array): void {
  const size = raster.width * raster.height;
  if (out.length !== size) {
    throw new RangeError(`pixel buffer holds ${out.length} pixels, the raster ${size}`);
  }
  const { colorIndex } = cells;
  const m = raster.units;
  if (colorIndex && colorIndex.length !== m) {
    throw new RangeError(`the underlay has ${colorIndex.length} units, the raster ${m}`);
  }
  const slot = new Uint16Array(m);
  for (let u = 0; u < m; u++) {
    if (!colorIndex) slot[u] = SLOT_EMPTY;
    else slot[u] = colorIndex[u] < 0 ? SLOT_NO_DATA : colorIndex[u];
  }
  const table = blendTable(cells.lut);
  const background = table[0]; // level 0 of any slot is the background itself
  const runs = raster.runs;
  let start = 0;
  for (let k = 0; k < runs.length; k += 2) {
    const c = runs[k];
    const end = runs[k + 1];
    const colour =
      c === 0 ? background : table[(slot[(c >>> LEVEL_BITS) - 1] << LEVEL_BITS) | (c & FULL)];
    // Short runs (anti-aliased rims) by hand; long ones (interiors, background) natively.
    if (end - start < 8) for (let p = start; p < end; p++) out[p] = colour;
    else out.fill(colour, start, end);
    start = end;
  }
}

/** The code of device pixel (px, py): a binary search over the runs. */
function codeAt(raster: CellRaster, px: number, py: number): number {
  if (px < 0 || py < 0 || px >= raster.width || py >= raster.height) return 0;
  const p = py * raster.width + px;
  const runs = raster.runs;
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[2 * mid + 1] <= p) lo = mid + 1;
    else hi = mid;
  }
  return runs[2 * lo];
}

/** The unit recorded at device pixel (px, py), or -1 where no cell reaches. */
export function rasterUnit(raster: CellRaster, px: number, py: number): number {
  return (codeAt(raster, px, py) >>> LEVEL_BITS) - 1;
}

/** The anti-aliasing level recorded at device pixel (px, py): 0 (none) to 15 (full). */
export function rasterLevel(raster: CellRaster, px: number, py: number): number {
  return codeAt(raster, px, py) & FULL;
}
