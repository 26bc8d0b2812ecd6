/**
 * Export a grid picture as a standalone SVG (built from the same cell geometry and colours as
 * the canvas; DOM-free, so it also runs in Node and in workers) or as a PNG at a chosen scale,
 * and hand a file to the person through a download.
 */
import { gridExtent, layoutCells, cellShape, type CellLayout } from './geometry.ts';
import {
  LABEL_FONT_FAMILY,
  cellGap,
  drawScene,
  fitCanvas,
  labelFont,
  markLineWidth,
} from './drawGrid.ts';
import {
  drawFrame,
  escapeXml,
  frameSvg,
  planFrame,
  type Frame,
  type FrameOptions,
} from './exportFrame.ts';
import {
  estimateTextWidth,
  labelAnchors,
  labelFontSize,
  placeLabels,
  type PlacedLabel,
} from './labels.ts';
import {
  GRID_COLORS,
  IN_A,
  IN_B,
  baseFill,
  describeScene,
  markColor,
  resolveScene,
  type GridScene,
  type ResolvedScene,
  type SceneNames,
} from './scene.ts';

export class GridExportError extends Error {
  override name = 'GridExportError';
}

export interface ExportOptions extends SceneNames, FrameOptions {
  /** Picture width in CSS pixels; default 640, from 16 to 8192. */
  readonly width?: number;
  /**
   * Height of the grid's part of the picture in CSS pixels (a heading and legend add to it);
   * default the grid's own aspect ratio at `width`, 16 to 8192.
   */
  readonly height?: number;
  /** Margin around the grid in pixels; default 8, at least 0. */
  readonly padding?: number;
  /** Title embedded in the picture; default a description of the scene. */
  readonly title?: string;
  /** Draw the scene's region labels; default true. */
  readonly showLabels?: boolean;
  /** Per-unit label priority (e.g. hit counts), see labelAnchors; default none. */
  readonly labelPriority?: Float32Array | null;
  /** Text width at a font size, for label placement; default an estimate (SVG) or the canvas (PNG). */
  readonly measure?: (text: string, fontSize: number) => number;
}

function checkSize(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 16 || v > 8192) {
    throw new GridExportError(`export ${name} must be from 16 to 8192 pixels, got ${v}`);
  }
  return v;
}

/** The pixel box of an export: the given size, or the grid's aspect ratio at the given width. */
export function exportSize(scene: GridScene, options: ExportOptions = {}): [number, number] {
  const width = checkSize('width', options.width ?? 640);
  const padding = options.padding ?? 8;
  if (options.height !== undefined) return [width, checkSize('height', options.height)];
  const ext = gridExtent(scene.grid);
  const inner = Math.max(1, width - 2 * padding);
  const height = Math.min(
    8192,
    Math.max(16, Math.round((inner * ext.height) / ext.width + 2 * padding)),
  );
  return [width, height];
}

interface Prepared {
  readonly resolved: ResolvedScene;
  readonly layout: CellLayout;
  readonly labels: readonly PlacedLabel[];
  readonly fontSize: number;
  readonly title: string;
  readonly frame: Frame;
  readonly padding: number;
  readonly measure: (text: string, fontSize: number) => number;
}

function prepare(
  scene: GridScene,
  options: ExportOptions,
  defaultMeasure: (text: string, fontSize: number) => number,
): Prepared {
  const resolved = resolveScene(scene);
  const [width, height] = exportSize(scene, options);
  const layout = layoutCells(scene.grid, width, height, { padding: options.padding ?? 8 });
  const fontSize = labelFontSize(layout);
  const measure = options.measure ?? defaultMeasure;
  const labels =
    (options.showLabels ?? true) && scene.labels
      ? placeLabels(labelAnchors(scene.grid, scene.labels, options.labelPriority), layout, {
          fontSize,
          measure: (t) => measure(t, fontSize),
        })
      : [];
  return {
    resolved,
    layout,
    labels,
    fontSize,
    title: options.title ?? describeScene(resolved, options),
    frame: planFrame(options, resolved.m),
    padding: options.padding ?? 8,
    measure,
  };
}

export { escapeXml };

const fmt = (v: number) => String(Math.round(v * 100) / 100);

function cellElement(layout: CellLayout, shape: Float32Array, i: number, attrs: string): string {
  const x = layout.centers[2 * i];
  const y = layout.centers[2 * i + 1];
  if (shape.length === 8) {
    const s = shape[2];
    return `<rect x="${fmt(x - s)}" y="${fmt(y - s)}" width="${fmt(2 * s)}" height="${fmt(2 * s)}" ${attrs}/>`;
  }
  let points = '';
  for (let k = 0; k < shape.length; k += 2) {
    points += `${k ? ' ' : ''}${fmt(x + shape[k])},${fmt(y + shape[k + 1])}`;
  }
  return `<polygon points="${points}" ${attrs}/>`;
}

const STATE_CLASS = ['', 'active-a', 'active-b', 'active-both'] as const;

/**
 * A standalone SVG document of the scene: one element per cell (class "cell", plus
 * "active-a" / "active-b" / "active-both" for SDR cells, and data-unit = its index), outline
 * marks in the 'outline' style, region labels, and a title.
 */
export function gridToSvg(scene: GridScene, options: ExportOptions = {}): string {
  const prepared = prepare(scene, options, estimateTextWidth);
  const { resolved, layout, labels, fontSize, title, frame } = prepared;
  const { m, state } = resolved;
  const gap = cellGap(layout);
  const shape = cellShape(layout, gap / 2);
  const filled = resolved.sdrStyle === 'fill';
  const out: string[] = [];
  const { width } = layout;
  const height = frame.top + layout.height + frame.bottom;
  const decor = frameSvg(frame, layout, width, prepared.padding, prepared.measure);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${fmt(width)}" height="${fmt(height)}" viewBox="0 0 ${fmt(width)} ${fmt(height)}" role="img" aria-labelledby="grid-title">`,
    `<title id="grid-title">${escapeXml(title)}</title>`,
    `<rect class="background" width="100%" height="100%" fill="${GRID_COLORS.background}"/>`,
    ...decor.head,
  );
  // The grid's own drawing keeps its coordinates; a heading moves it down as a whole.
  if (frame.top > 0) out.push(`<g class="grid" transform="translate(0 ${fmt(frame.top)})">`);
  out.push('<g class="cells">');
  for (let i = 0; i < m; i++) {
    const s = state[i];
    const fill = filled && s !== 0 ? (markColor(s) as string) : baseFill(resolved, i);
    const cls = s ? `cell ${STATE_CLASS[s]}` : 'cell';
    out.push(cellElement(layout, shape, i, `class="${cls}" data-unit="${i}" fill="${fill}"`));
  }
  out.push('</g>');
  if (!filled && resolved.countA + resolved.countB + resolved.countBoth > 0) {
    const lw = markLineWidth(layout);
    const ring = cellShape(layout, gap / 2 + lw / 2);
    out.push(`<g class="marks" fill="none" stroke-width="${fmt(lw)}" stroke-linejoin="round">`);
    for (const s of [IN_A, IN_B, IN_A | IN_B]) {
      for (let i = 0; i < m; i++) {
        if (state[i] !== s) continue;
        out.push(
          cellElement(
            layout,
            ring,
            i,
            `class="mark ${STATE_CLASS[s]}" data-unit="${i}" stroke="${markColor(s)}"`,
          ),
        );
      }
    }
    out.push('</g>');
  }
  if (labels.length > 0) {
    out.push(
      `<g class="labels" font-family="${escapeXml(LABEL_FONT_FAMILY)}" font-size="${fontSize}" font-weight="600" text-anchor="middle" dominant-baseline="central" fill="${GRID_COLORS.labelText}" stroke="${GRID_COLORS.labelHalo}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`,
    );
    for (const l of labels) {
      out.push(
        `<text x="${fmt(l.x)}" y="${fmt(l.y)}" data-unit="${l.unit}">${escapeXml(l.text)}</text>`,
      );
    }
    out.push('</g>');
  }
  if (frame.top > 0) out.push('</g>');
  out.push(...decor.tail, '</svg>');
  return out.join('\n');
}

export interface PngOptions extends ExportOptions {
  /** Device pixels per CSS pixel of the picture; default 2, from 0.25 to 8. */
  readonly scale?: number;
}

/** The scene as a PNG drawn by the same canvas renderer as the page, at `scale`. Browser only. */
export async function gridToPng(scene: GridScene, options: PngOptions = {}): Promise<Blob> {
  const scale = options.scale ?? 2;
  if (!Number.isFinite(scale) || scale < 0.25 || scale > 8) {
    throw new GridExportError(`PNG scale must be from 0.25 to 8, got ${scale}`);
  }
  const canvas = document.createElement('canvas');
  const probe = canvas.getContext('2d');
  if (!probe) throw new GridExportError('this browser cannot draw on a 2-D canvas');
  const measure = (text: string, fontSize: number) => {
    probe.font = labelFont(fontSize);
    return probe.measureText(text).width;
  };
  const prepared = prepare(scene, options, measure);
  const { resolved, layout, labels, fontSize, frame } = prepared;
  const height = frame.top + layout.height + frame.bottom;
  if (layout.width * scale > 16384 || height * scale > 16384) {
    throw new GridExportError(
      `a ${layout.width}×${height} picture at scale ${scale} exceeds the 16384-pixel canvas limit`,
    );
  }
  const ctx = fitCanvas(canvas, layout.width, height, scale);
  if (frame.top + frame.bottom > 0) {
    // The scene fills only the grid's box: paint the whole picture's background first.
    ctx.fillStyle = GRID_COLORS.background;
    ctx.fillRect(0, 0, layout.width, height);
  }
  ctx.save();
  ctx.translate(0, frame.top);
  drawScene(ctx, layout, resolved, { labels, fontSize });
  ctx.restore();
  drawFrame(ctx, frame, layout, layout.width, prepared.padding);
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob) resolve(blob);
      else reject(new GridExportError('the browser could not encode the picture as PNG'));
    }, 'image/png');
  });
}

/** An SVG string as a file-ready Blob. */
export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml' });
}

/** Offer a Blob to the person as a download named `fileName`. Browser only. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const name = fileName.trim();
  if (!name || /[/\\]/.test(name)) {
    throw new GridExportError(`a download needs a plain file name, got "${fileName}"`);
  }
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; keep the URL alive a moment for slow browsers.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
