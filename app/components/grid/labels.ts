/**
 * Sparse region labels: one label per connected region of units that share a label, placed
 * greedily (biggest regions first) so that no two labels overlap. A map of per-unit labels thus
 * shows a few readable names instead of a carpet of text. DOM-free: text width comes from a
 * caller-supplied measure function (canvas measureText in the page, an estimate in Node).
 */
import type { CellLayout } from './geometry.ts';
import { gridSize, unitNeighbours, unitPosition, type Grid } from '../../../src/index.ts';

/** One labelled region, labelled at its most central unit. */
export interface LabelAnchor {
  /** The region's unit nearest its centroid (always inside the region). */
  readonly unit: number;
  readonly text: string;
  /** Number of units in the region. */
  readonly size: number;
}

/**
 * The connected regions of equal, non-empty labels (neighbours as in src/grid), one anchor per
 * region, ordered by size (largest first), then by the summed `priority` of the region's units
 * (higher first; e.g. hit counts), then by unit index.
 */
export function labelAnchors(
  grid: Grid,
  labels: readonly (string | null | undefined)[],
  priority?: Float32Array | null,
): LabelAnchor[] {
  const m = gridSize(grid);
  if (labels.length !== m) {
    throw new RangeError(`expected ${m} labels (one per unit), got ${labels.length}`);
  }
  if (priority && priority.length !== m) {
    throw new RangeError(`expected ${m} label priorities (one per unit), got ${priority.length}`);
  }
  const seen = new Uint8Array(m);
  const queue = new Int32Array(m);
  const found: Array<LabelAnchor & { weight: number }> = [];
  for (let start = 0; start < m; start++) {
    const text = labels[start]?.trim();
    if (seen[start] || !text) continue;
    // Breadth-first flood fill over units carrying the same label.
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seen[start] = 1;
    let sx = 0;
    let sy = 0;
    let weight = 0;
    while (head < tail) {
      const u = queue[head++];
      const [x, y] = unitPosition(grid, u);
      sx += x;
      sy += y;
      if (priority) weight += Number.isFinite(priority[u]) ? priority[u] : 0;
      for (const v of unitNeighbours(grid, u)) {
        if (!seen[v] && labels[v]?.trim() === text) {
          seen[v] = 1;
          queue[tail++] = v;
        }
      }
    }
    const cx = sx / tail;
    const cy = sy / tail;
    let unit = start;
    let best = Infinity;
    for (let k = 0; k < tail; k++) {
      const [x, y] = unitPosition(grid, queue[k]);
      const d = (x - cx) ** 2 + (y - cy) ** 2;
      if (d < best || (d === best && queue[k] < unit)) {
        best = d;
        unit = queue[k];
      }
    }
    found.push({ unit, text, size: tail, weight });
  }
  found.sort((a, b) => b.size - a.size || b.weight - a.weight || a.unit - b.unit);
  return found.map(({ unit, text, size }) => ({ unit, text, size }));
}

/** A label with its box: (x, y) is the text centre in pixels. */
export interface PlacedLabel {
  readonly unit: number;
  /** The text as drawn (shortened with "…" when too wide). */
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PlaceLabelsOptions {
  /** Font size in pixels (the label box height); must be positive. */
  readonly fontSize: number;
  /** Width in pixels of a text at that font size. */
  readonly measure: (text: string) => number;
  /** Clear space kept around each label, in pixels; default 3, at least 0. */
  readonly gap?: number;
  /** Longer labels are cut with "…" to this width in pixels; default 140, at least 1. */
  readonly maxWidth?: number;
  /** At most this many labels; default unlimited (space is the real limit). */
  readonly maxLabels?: number;
}

/** Estimated width of a text in a proportional sans-serif font, for when no canvas measures. */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.56;
}

function shorten(text: string, maxWidth: number, measure: (t: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  // Longest prefix whose "prefix…" still fits.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (measure(chars.slice(0, mid).join('') + '…') <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').trimEnd() + '…';
}

/**
 * Place anchors in order, centred on their unit's cell and nudged inside the layout's box; an
 * anchor whose box would overlap an already placed label is skipped. Earlier anchors (bigger
 * regions) therefore win the space.
 */
export function placeLabels(
  anchors: readonly LabelAnchor[],
  layout: CellLayout,
  options: PlaceLabelsOptions,
): PlacedLabel[] {
  const { fontSize, measure } = options;
  const gap = options.gap ?? 3;
  const maxWidth = options.maxWidth ?? 140;
  const maxLabels = options.maxLabels ?? Infinity;
  if (!(fontSize > 0)) throw new RangeError(`label font size must be positive, got ${fontSize}`);
  const placed: PlacedLabel[] = [];
  const widths = new Map<string, { text: string; width: number }>();
  for (const anchor of anchors) {
    if (placed.length >= maxLabels) break;
    let fitted = widths.get(anchor.text);
    if (!fitted) {
      const text = shorten(anchor.text, maxWidth, measure);
      fitted = { text, width: measure(text) };
      widths.set(anchor.text, fitted);
    }
    const w = fitted.width;
    const h = fontSize;
    if (w + 2 > layout.width || h + 2 > layout.height) continue;
    const cx = layout.centers[2 * anchor.unit];
    const cy = layout.centers[2 * anchor.unit + 1];
    const x = Math.min(Math.max(cx, w / 2 + 1), layout.width - w / 2 - 1);
    const y = Math.min(Math.max(cy, h / 2 + 1), layout.height - h / 2 - 1);
    let clear = true;
    for (const p of placed) {
      if (
        Math.abs(p.x - x) * 2 < p.width + w + 2 * gap &&
        Math.abs(p.y - y) * 2 < p.height + h + 2 * gap
      ) {
        clear = false;
        break;
      }
    }
    if (clear) placed.push({ unit: anchor.unit, text: fitted.text, x, y, width: w, height: h });
  }
  return placed;
}

/** Label font size for a layout: about a cell high, kept between 10 and 13 pixels. */
export function labelFontSize(layout: CellLayout): number {
  return Math.round(Math.min(13, Math.max(10, layout.cellHeight * 0.8)));
}
