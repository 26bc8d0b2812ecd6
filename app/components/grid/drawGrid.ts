/**
 * Canvas renderer of a resolved grid scene, in two layers that change at different rates:
 * - cells (the underlay; changes with the values): either pixels, a per-pixel cell map made
 *   once per layout (rasterGrid.ts) painted in one pass and put on the canvas, a few
 *   milliseconds for a 64×64 map even without a GPU (the page); or paths, cells sorted into
 *   colour buckets, one path and one fill per colour (exports at any scale);
 * - marks (changes with the SDRs): the few SDR cells and labels as paths.
 */
import { cellShape, type CellLayout } from './geometry.ts';
import type { PlacedLabel } from './labels.ts';
import {
  paintCells,
  rasterizeCells,
  startRaster,
  type CellRaster,
  type UnderlayColours,
} from './rasterGrid.ts';
import { GRID_COLORS, IN_A, IN_B, LUT_SIZE, type ResolvedScene } from './scene.ts';
import { handBack } from '../../lib/slices.ts';

/** Canvas-like 2-D context: the page's canvas or an OffscreenCanvas. */
export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Pixel gap left between cells: 1 px once cells are 6 px or more, none on denser maps. */
export function cellGap(layout: CellLayout): number {
  return layout.scale >= 6 ? 1 : 0;
}

/** Outline width for SDR marks in the 'outline' style and for focus rings, in pixels. */
export function markLineWidth(layout: CellLayout): number {
  return Math.max(1.5, Math.min(3, layout.scale * 0.14));
}

/** Font family of region labels (the page's, app/styles.css). */
export const LABEL_FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

/** The CSS font of region labels at a pixel size. */
export function labelFont(fontSize: number): string {
  return `600 ${fontSize}px ${LABEL_FONT_FAMILY}`;
}

function addCell(ctx: Context2D, layout: CellLayout, shape: Float32Array, i: number): void {
  const x = layout.centers[2 * i];
  const y = layout.centers[2 * i + 1];
  if (shape.length === 8) {
    // Rect: corners are (−s, −s) … (s, s).
    const s = shape[2];
    ctx.rect(x - s, y - s, 2 * s, 2 * s);
    return;
  }
  ctx.moveTo(x + shape[0], y + shape[1]);
  for (let k = 2; k < shape.length; k += 2) ctx.lineTo(x + shape[k], y + shape[k + 1]);
  ctx.closePath();
}

/** Set a canvas's backing store for a CSS size and pixel ratio; returns its scaled context. */
export function fitCanvas(
  canvas: HTMLCanvasElement | OffscreenCanvas,
  cssWidth: number,
  cssHeight: number,
  pixelRatio: number,
): Context2D {
  const w = Math.max(1, Math.round(cssWidth * pixelRatio));
  const h = Math.max(1, Math.round(cssHeight * pixelRatio));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) throw new Error('this browser cannot draw on a 2-D canvas');
  ctx.setTransform(w / cssWidth, 0, 0, h / cssHeight, 0, 0);
  return ctx;
}

/** A layout's per-pixel cell map with the pixel buffer it is painted into. */
export interface PixelCells {
  readonly raster: CellRaster;
  readonly image: ImageData;
  readonly pixels: Uint32Array;
}

/**
 * Cell maps made lately, by layout: the map being trained (Map view's live picture) and the
 * trained map drawn after it share one, and a map shown again (a tab switched back, the next
 * preview of a training run) reuses its own. Making one costs 20–60 ms of the page's thread
 * for a 32×32 map, about what a whole epoch of training costs. A few entries: each holds one
 * run-length map of a canvas (tens of kB to a few MB).
 */
const rasterCache = new Map<string, CellRaster>();
const RASTER_CACHE_SIZE = 6;

/** Everything rasterizeCells reads from a layout, as a key. */
function rasterKey(layout: CellLayout, pixelRatio: number): string {
  const { grid, width, height, scale, originX, originY, cellHeight } = layout;
  return `${grid.rows}x${grid.cols}:${grid.topology}:${width}:${height}:${scale}:${originX}:${originY}:${cellHeight}:${pixelRatio}`; // prettier-ignore
}

/** The per-pixel cell map of a layout at a pixel ratio, for drawScene's `pixels`. Browser only. */
export function makePixelCells(layout: CellLayout, pixelRatio: number): PixelCells {
  const key = rasterKey(layout, pixelRatio);
  const raster = takeCached(key) ?? rasterizeCells(layout, pixelRatio, cellGap(layout));
  return withImage(remember(key, raster));
}

/**
 * makePixelCells's result where the layout's cell map is already made (cached), else null and
 * nothing is computed: a canvas then draws its cells as paths (a few ms for a 32×32 map) while
 * preparePixelCells makes the map without stalling the page.
 */
export function cachedPixelCells(layout: CellLayout, pixelRatio: number): PixelCells | null {
  const key = rasterKey(layout, pixelRatio);
  const raster = takeCached(key);
  return raster ? withImage(remember(key, raster)) : null;
}

/** Most milliseconds of one slice of preparePixelCells's work, between which the page runs. */
const RASTER_SLICE_MS = 8;

/**
 * Make and cache the layout's cell map in slices of about RASTER_SLICE_MS, yielding to the page
 * between them (made in one go, a 32×32 map's took 30–50 ms of the page's thread: a long task
 * in the middle of a training run's first preview). Resolves true once cached, false when
 * `signal` aborted first (the canvas moved on to another layout).
 */
export async function preparePixelCells(
  layout: CellLayout,
  pixelRatio: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const key = rasterKey(layout, pixelRatio);
  if (rasterCache.has(key)) return true;
  const job = startRaster(layout, pixelRatio, cellGap(layout));
  // Units per slice, adjusted to the time the last slice took (starting small: cold code).
  let batch = 16;
  while (job.done < job.units) {
    await handBack();
    if (signal?.aborted) return false;
    const t0 = performance.now();
    job.rasterize(batch);
    const ms = performance.now() - t0;
    batch = Math.max(8, Math.min(4096, Math.floor((batch * RASTER_SLICE_MS) / Math.max(ms, 0.5))));
  }
  await handBack();
  if (signal?.aborted) return false;
  if (!rasterCache.has(key)) remember(key, job.finish());
  return true;
}

/** The cached raster for `key`, taken out (remember() puts it back as the most recent). */
function takeCached(key: string): CellRaster | undefined {
  const raster = rasterCache.get(key);
  if (raster) rasterCache.delete(key);
  return raster;
}

function remember(key: string, raster: CellRaster): CellRaster {
  rasterCache.set(key, raster);
  if (rasterCache.size > RASTER_CACHE_SIZE) {
    rasterCache.delete(rasterCache.keys().next().value as string);
  }
  return raster;
}

/** A raster with pixels of its own: each canvas paints into its own; the raster is shared. */
function withImage(raster: CellRaster): PixelCells {
  const image = new ImageData(raster.width, raster.height);
  return { raster, image, pixels: new Uint32Array(image.data.buffer) };
}

export interface DrawCellsOptions {
  /**
   * Paint the cells from this per-pixel map (made by makePixelCells for this layout at the
   * canvas's pixel ratio) instead of filling paths; default none (paths).
   */
  readonly pixels?: PixelCells;
}

/** Paint the background and every cell in its underlay colour (or the empty colour). */
export function drawCells(
  ctx: Context2D,
  layout: CellLayout,
  cells: UnderlayColours,
  options: DrawCellsOptions = {},
): void {
  const pixels = options.pixels;
  if (pixels) {
    if (pixels.raster.width !== ctx.canvas.width || pixels.raster.height !== ctx.canvas.height) {
      throw new RangeError('the pixel cell map was made for another canvas size');
    }
    paintCells(pixels.raster, cells, pixels.pixels);
    ctx.putImageData(pixels.image, 0, 0);
    return;
  }
  ctx.fillStyle = GRID_COLORS.background;
  ctx.fillRect(0, 0, layout.width, layout.height);
  fillCellPaths(ctx, layout, cells, cellShape(layout, cellGap(layout) / 2));
}

export interface DrawMarksOptions {
  /** Labels to draw (from placeLabels); default none. */
  readonly labels?: readonly PlacedLabel[];
  /** Their font size in pixels; required with labels. */
  readonly fontSize?: number;
}

/**
 * Draw the SDR cells (filled or outlined, per the scene's style) and the labels over what is
 * on the canvas. One pass over the m units gathers the SDR cells; one path per mark colour.
 */
export function drawMarks(
  ctx: Context2D,
  layout: CellLayout,
  scene: ResolvedScene,
  options: DrawMarksOptions = {},
): void {
  const { m, state } = scene;
  const byState: number[][] = [[], [], [], []];
  for (let i = 0; i < m; i++) if (state[i] !== 0) byState[state[i]].push(i);
  const gap = cellGap(layout);
  const filled = scene.sdrStyle === 'fill';
  const lw = markLineWidth(layout);
  const shape = cellShape(layout, filled ? gap / 2 : gap / 2 + lw / 2);
  ctx.lineWidth = lw;
  ctx.lineJoin = 'round';
  for (const s of [IN_A, IN_B, IN_A | IN_B]) {
    if (byState[s].length === 0) continue;
    ctx.beginPath();
    for (const i of byState[s]) addCell(ctx, layout, shape, i);
    if (filled) {
      ctx.fillStyle = markFill(s);
      ctx.fill();
    } else {
      ctx.strokeStyle = markFill(s);
      ctx.stroke();
    }
  }
  const labels = options.labels;
  if (labels && labels.length > 0) {
    const fontSize = options.fontSize;
    if (!fontSize) throw new RangeError('drawing labels needs their font size');
    drawLabels(ctx, labels, fontSize);
  }
}

/** The whole static picture: background, underlay, SDR marks, labels (exports, thumbnails). */
export function drawScene(
  ctx: Context2D,
  layout: CellLayout,
  scene: ResolvedScene,
  options: DrawCellsOptions & DrawMarksOptions = {},
): void {
  drawCells(ctx, layout, scene, options);
  drawMarks(ctx, layout, scene, options);
}

/** Fill every cell with its underlay colour: cells sorted into colour buckets, a path each. */
function fillCellPaths(
  ctx: Context2D,
  layout: CellLayout,
  cells: UnderlayColours,
  shape: Float32Array,
): void {
  const { colorIndex, lut } = cells;
  const m = layout.centers.length / 2;
  // Counting sort of cells by colour: bucket 0 is "no data" / "empty", bucket k + 1 is LUT
  // entry k.
  const buckets = LUT_SIZE + 1;
  const counts = new Int32Array(buckets + 1);
  const bucketOf = new Uint16Array(m);
  for (let i = 0; i < m; i++) {
    const b = colorIndex ? colorIndex[i] + 1 : 0;
    bucketOf[i] = b;
    counts[b + 1]++;
  }
  for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
  const order = new Uint32Array(m);
  const next = counts.slice(0, buckets);
  for (let i = 0; i < m; i++) order[next[bucketOf[i]]++] = i;

  for (let b = 0; b < buckets; b++) {
    const from = counts[b];
    const to = counts[b + 1];
    if (from === to) continue;
    ctx.fillStyle = b > 0 ? lut[b - 1] : colorIndex ? GRID_COLORS.noData : GRID_COLORS.empty;
    ctx.beginPath();
    for (let k = from; k < to; k++) addCell(ctx, layout, shape, order[k]);
    ctx.fill();
  }
}

function markFill(s: number): string {
  return s === IN_A ? GRID_COLORS.a : s === IN_B ? GRID_COLORS.b : GRID_COLORS.both;
}

/** Labels with a dark halo, so they read over any underlay colour. */
function drawLabels(ctx: Context2D, labels: readonly PlacedLabel[], fontSize: number): void {
  ctx.font = labelFont(fontSize);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = GRID_COLORS.labelHalo;
  ctx.fillStyle = GRID_COLORS.labelText;
  for (const l of labels) ctx.strokeText(l.text, l.x, l.y);
  for (const l of labels) ctx.fillText(l.text, l.x, l.y);
}

export interface Highlights {
  /** Unit under the pointer, or -1. */
  readonly hover: number;
  /** Keyboard focus cell, or -1 (drawn only while the map has focus). */
  readonly focus: number;
  /** A persistently selected unit (e.g. the last clicked), or -1. */
  readonly selected: number;
}

/** The interactive layer: hover, selection and focus rings on a transparent canvas. */
export function drawHighlights(ctx: Context2D, layout: CellLayout, h: Highlights): void {
  ctx.clearRect(0, 0, layout.width, layout.height);
  const lw = markLineWidth(layout);
  const ring = (unit: number, color: string, width: number, inset: number, dash: number[]) => {
    if (unit < 0) return;
    const shape = cellShape(layout, inset);
    ctx.beginPath();
    addCell(ctx, layout, shape, unit);
    ctx.setLineDash(dash);
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.stroke();
  };
  ctx.lineJoin = 'round';
  if (h.selected >= 0) {
    ring(h.selected, GRID_COLORS.background, lw + 2, -lw / 2, []);
    ring(h.selected, GRID_COLORS.hover, lw, -lw / 2, [3, 2]);
  }
  if (h.hover >= 0 && h.hover !== h.focus) {
    ring(h.hover, GRID_COLORS.background, lw + 2, -lw / 2, []);
    ring(h.hover, GRID_COLORS.hover, lw, -lw / 2, []);
  }
  if (h.focus >= 0) {
    // A dark outer ring keeps the focus visible on bright cells; the accent ring marks it.
    ring(h.focus, GRID_COLORS.background, lw + 3, -lw, []);
    ring(h.focus, GRID_COLORS.focus, lw + 1, -lw, []);
  }
  ctx.setLineDash([]);
}
