/**
 * What an exported picture carries around the grid, as the screen shows it beside the grid: a
 * heading above (the item's name), a legend below (the underlay's colour scale with its range
 * and meaning, swatches of the SDR marks) and a ring on one marked unit (the best-matching
 * unit). Laid out once as plain boxes, then written as SVG or drawn on a 2-D canvas, so both
 * exports show the same thing. DOM-free.
 */
import type { CellLayout } from './geometry.ts';
import { cellShape } from './geometry.ts';
import { LABEL_FONT_FAMILY, markLineWidth } from './drawGrid.ts';
import { GRID_COLORS, LUT_SIZE, formatValue, schemeLut, type ColorSchemeName } from './scene.ts';

/** The legend of an export: the same fields as the on-screen Legend. */
interface ExportLegend {
  /** What the colour shows, e.g. "U-matrix distance"; without it no colour scale. */
  readonly title?: string;
  /** The scale's range as drawn; null or absent: no colour scale. */
  readonly domain?: readonly [number, number] | null;
  /** Default 'viridis'. */
  readonly scheme?: ColorSchemeName;
  /** What low and high values mean; optional. */
  readonly lowNote?: string;
  readonly highNote?: string;
  /** Name of the SDR, e.g. 'cat': its swatch. */
  readonly sdrName?: string;
  /** Name of the comparison SDR: its swatch and "both". */
  readonly compareName?: string;
  /** What the ring on the marked unit means; default 'best-matching unit'. */
  readonly markerName?: string;
}

/** Decorations of one export. */
export interface FrameOptions {
  /** Heading above the grid; default none. */
  readonly heading?: string;
  /** Legend below the grid; default none. */
  readonly legend?: ExportLegend;
  /** Unit to ring (e.g. the best-matching unit); default none (-1). */
  readonly marker?: number;
}

const HEADING_SIZE = 16;
const HEADING_BOX = 30;
const TEXT_SIZE = 12;
const SCALE_BOX = 46;
const SWATCH_BOX = 22;
const BAR_HEIGHT = 10;
const BAR_WIDTH = 360;
const MUTED = '#9aa3b2';
const FONT = (size: number, weight = 400) => `${weight} ${size}px ${LABEL_FONT_FAMILY}`;

interface Swatch {
  readonly kind: 'fill' | 'ring';
  readonly color: string;
  readonly text: string;
}

/** Where each part goes, in CSS pixels of the whole picture. */
export interface Frame {
  /** Height above the grid (the heading). */
  readonly top: number;
  /** Height below the grid (the legend). */
  readonly bottom: number;
  readonly heading: string | null;
  readonly scale: {
    readonly title: string;
    readonly low: string;
    readonly high: string;
    readonly lut: readonly string[];
  } | null;
  readonly swatches: readonly Swatch[];
  readonly marker: number;
}

/** The frame of an export with these options (nothing added without heading, legend, marker). */
export function planFrame(options: FrameOptions, units: number): Frame {
  const heading = options.heading?.trim() ? options.heading.trim() : null;
  const legend = options.legend;
  const marker =
    options.marker !== undefined && options.marker >= 0 && options.marker < units
      ? options.marker
      : -1;
  const scale =
    legend?.title !== undefined && legend.domain
      ? {
          title: legend.title,
          low: `${formatValue(legend.domain[0])}${legend.lowNote ? ` · ${legend.lowNote}` : ''}`,
          high: `${legend.highNote ? `${legend.highNote} · ` : ''}${formatValue(legend.domain[1])}`,
          lut: schemeLut(legend.scheme ?? 'viridis'),
        }
      : null;
  const swatches: Swatch[] = [];
  if (legend?.sdrName !== undefined) {
    swatches.push({ kind: 'fill', color: GRID_COLORS.a, text: legend.sdrName });
  }
  if (legend?.compareName !== undefined) {
    swatches.push({ kind: 'fill', color: GRID_COLORS.b, text: legend.compareName });
    if (legend.sdrName !== undefined) {
      swatches.push({ kind: 'fill', color: GRID_COLORS.both, text: 'both' });
    }
  }
  if (legend && marker >= 0) {
    swatches.push({
      kind: 'ring',
      color: GRID_COLORS.hover,
      text: `ringed: ${legend.markerName ?? 'best-matching unit'}`,
    });
  }
  const bottom = legend ? (scale ? SCALE_BOX : 0) + (swatches.length > 0 ? SWATCH_BOX : 0) + 6 : 0;
  return { top: heading ? HEADING_BOX : 0, bottom, heading, scale, swatches, marker };
}

const STOPS = 12;
const stopsOf = (lut: readonly string[]) =>
  Array.from({ length: STOPS }, (_, k) => {
    const t = k / (STOPS - 1);
    return { offset: t, color: lut[Math.round(t * (LUT_SIZE - 1))] };
  });

const fmt = (v: number) => String(Math.round(v * 100) / 100);

/** Escape text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/** The ring around the marked unit, as the page rings the selected unit (dashed white). */
function ringPoints(layout: CellLayout, unit: number): number[] {
  const lw = markLineWidth(layout);
  const shape = cellShape(layout, -lw / 2);
  const x = layout.centers[2 * unit];
  const y = layout.centers[2 * unit + 1];
  if (shape.length === 8) {
    const s = shape[2];
    return [x - s, y - s, x + s, y - s, x + s, y + s, x - s, y + s];
  }
  const out: number[] = [];
  for (let k = 0; k < shape.length; k += 2) out.push(x + shape[k], y + shape[k + 1]);
  return out;
}

/**
 * SVG elements of the frame for a picture `width` wide whose grid is `layout`, drawn at
 * y = frame.top: [before the grid (heading), after the grid (marker, legend)].
 */
export function frameSvg(
  frame: Frame,
  layout: CellLayout,
  width: number,
  padding: number,
  measure: (text: string, fontSize: number) => number,
): { readonly head: string[]; readonly tail: string[] } {
  const head: string[] = [];
  const tail: string[] = [];
  const text = (x: number, y: number, body: string, attrs = '') =>
    `<text x="${fmt(x)}" y="${fmt(y)}" ${attrs}>${escapeXml(body)}</text>`;
  if (frame.heading) {
    head.push(
      text(
        padding,
        HEADING_BOX / 2 + 2,
        frame.heading,
        `class="heading" font-family="${escapeXml(LABEL_FONT_FAMILY)}" font-size="${HEADING_SIZE}" font-weight="600" fill="${GRID_COLORS.labelText}" dominant-baseline="central"`,
      ),
    );
  }
  if (frame.marker >= 0) {
    const lw = markLineWidth(layout);
    const pts = ringPoints(layout, frame.marker);
    const points = [];
    for (let k = 0; k < pts.length; k += 2)
      points.push(`${fmt(pts[k])},${fmt(pts[k + 1] + frame.top)}`);
    tail.push(
      `<polygon class="marker" data-unit="${frame.marker}" points="${points.join(' ')}" fill="none" stroke="${GRID_COLORS.background}" stroke-width="${fmt(lw + 2)}" stroke-linejoin="round"/>`,
      `<polygon class="marker" data-unit="${frame.marker}" points="${points.join(' ')}" fill="none" stroke="${GRID_COLORS.hover}" stroke-width="${fmt(lw)}" stroke-dasharray="3 2" stroke-linejoin="round"/>`,
    );
  }
  let y = frame.top + layout.height + 6;
  const attrs = (fill: string, size = TEXT_SIZE) =>
    `font-family="${escapeXml(LABEL_FONT_FAMILY)}" font-size="${size}" fill="${fill}" dominant-baseline="central"`;
  if (frame.scale || frame.swatches.length > 0) tail.push('<g class="legend">');
  if (frame.scale) {
    const barWidth = Math.min(BAR_WIDTH, width - 2 * padding);
    tail.push(
      '<defs><linearGradient id="legend-scale" x1="0" x2="1" y1="0" y2="0">',
      ...stopsOf(frame.scale.lut).map(
        (s) => `<stop offset="${fmt(s.offset)}" stop-color="${s.color}"/>`,
      ),
      '</linearGradient></defs>',
      text(padding, y + 7, frame.scale.title, attrs(GRID_COLORS.labelText)),
      `<rect x="${fmt(padding)}" y="${fmt(y + 16)}" width="${fmt(barWidth)}" height="${BAR_HEIGHT}" fill="url(#legend-scale)"/>`,
      text(padding, y + 36, frame.scale.low, attrs(MUTED, 11)),
      text(padding + barWidth, y + 36, frame.scale.high, `${attrs(MUTED, 11)} text-anchor="end"`),
    );
    y += SCALE_BOX;
  }
  let x = padding;
  for (const s of frame.swatches) {
    tail.push(
      s.kind === 'fill'
        ? `<rect x="${fmt(x)}" y="${fmt(y + 4)}" width="11" height="11" fill="${s.color}"/>`
        : `<rect x="${fmt(x + 0.5)}" y="${fmt(y + 4.5)}" width="10" height="10" fill="none" stroke="${s.color}" stroke-dasharray="3 2"/>`,
      text(x + 16, y + 10, s.text, attrs(GRID_COLORS.labelText)),
    );
    x += 16 + measure(s.text, TEXT_SIZE) + 18;
  }
  if (frame.scale || frame.swatches.length > 0) tail.push('</g>');
  return { head, tail };
}

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/** Draw the frame on `ctx` (untranslated: the grid lies at y = frame.top). */
export function drawFrame(
  ctx: Context2D,
  frame: Frame,
  layout: CellLayout,
  width: number,
  padding: number,
): void {
  ctx.save();
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  if (frame.heading) {
    ctx.font = FONT(HEADING_SIZE, 600);
    ctx.fillStyle = GRID_COLORS.labelText;
    ctx.fillText(frame.heading, padding, HEADING_BOX / 2 + 2, width - 2 * padding);
  }
  if (frame.marker >= 0) {
    const lw = markLineWidth(layout);
    const pts = ringPoints(layout, frame.marker);
    ctx.beginPath();
    for (let k = 0; k < pts.length; k += 2) {
      if (k === 0) ctx.moveTo(pts[k], pts[k + 1] + frame.top);
      else ctx.lineTo(pts[k], pts[k + 1] + frame.top);
    }
    ctx.closePath();
    ctx.lineJoin = 'round';
    ctx.strokeStyle = GRID_COLORS.background;
    ctx.lineWidth = lw + 2;
    ctx.setLineDash([]);
    ctx.stroke();
    ctx.strokeStyle = GRID_COLORS.hover;
    ctx.lineWidth = lw;
    ctx.setLineDash([3, 2]);
    ctx.stroke();
    ctx.setLineDash([]);
  }
  let y = frame.top + layout.height + 6;
  if (frame.scale) {
    const barWidth = Math.min(BAR_WIDTH, width - 2 * padding);
    ctx.font = FONT(TEXT_SIZE);
    ctx.fillStyle = GRID_COLORS.labelText;
    ctx.fillText(frame.scale.title, padding, y + 7);
    const gradient = ctx.createLinearGradient(padding, 0, padding + barWidth, 0);
    for (const s of stopsOf(frame.scale.lut)) gradient.addColorStop(s.offset, s.color);
    ctx.fillStyle = gradient;
    ctx.fillRect(padding, y + 16, barWidth, BAR_HEIGHT);
    ctx.font = FONT(11);
    ctx.fillStyle = MUTED;
    ctx.fillText(frame.scale.low, padding, y + 36);
    ctx.textAlign = 'right';
    ctx.fillText(frame.scale.high, padding + barWidth, y + 36);
    ctx.textAlign = 'left';
    y += SCALE_BOX;
  }
  let x = padding;
  ctx.font = FONT(TEXT_SIZE);
  for (const s of frame.swatches) {
    if (s.kind === 'fill') {
      ctx.fillStyle = s.color;
      ctx.fillRect(x, y + 4, 11, 11);
    } else {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1;
      ctx.setLineDash([3, 2]);
      ctx.strokeRect(x + 0.5, y + 4.5, 10, 10);
      ctx.setLineDash([]);
    }
    ctx.fillStyle = GRID_COLORS.labelText;
    ctx.fillText(s.text, x + 16, y + 10);
    x += 16 + ctx.measureText(s.text).width + 18;
  }
  ctx.restore();
}
