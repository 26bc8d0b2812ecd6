/**
 * A small static heatmap of one SDR or one value vector, for galleries and grids of small maps
 * ("mean SDR per label"). Drawn once per prop change; a rect grid is painted as one pixel per
 * unit and scaled up in a single drawImage, so hundreds of thumbnails stay cheap.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';
import { gridExtent, layoutCells } from './geometry.ts';
import { drawScene, fitCanvas, type Context2D } from './drawGrid.ts';
import { hexPixel } from './rasterGrid.ts';
import {
  GRID_COLORS,
  baseFill,
  markColor,
  resolveScene,
  type ColorSchemeName,
  type ResolvedScene,
} from './scene.ts';
import './grid.css';
import { type Grid } from '../../../src/index.ts';

export interface SdrThumbProps {
  readonly grid: Grid;
  /** Active units to show bright; optional. */
  readonly sdr?: Uint32Array | null;
  /** One value per unit (e.g. mean activation of a label's SDRs); optional. */
  readonly values?: Float32Array | null;
  /** Colour domain; default the finite min and max of `values` (fix it, e.g. [0, 1], to compare thumbnails). */
  readonly domain?: readonly [number, number] | null;
  /** Default 'viridis'. */
  readonly scheme?: ColorSchemeName;
  /** Accessible name, e.g. "SDR of 'cat'"; required, a thumbnail is otherwise meaningless. */
  readonly label: string;
  /** Visible caption under the picture; default none. */
  readonly caption?: string;
  /** Width in CSS pixels; default 72, from 8 to 1024. Height follows the grid's aspect ratio. */
  readonly size?: number;
  readonly className?: string;
}

/** Paint a rect grid as one pixel per unit, then scale it up without smoothing. */
function drawRectThumb(ctx: Context2D, r: ResolvedScene, w: number, h: number): void {
  const { cols, rows } = r.grid;
  const pixels = new ImageData(cols, rows);
  const data = new Uint32Array(pixels.data.buffer);
  const cache = new Map<string, number>();
  for (let i = 0; i < r.m; i++) {
    const fill = markColor(r.state[i]) ?? baseFill(r, i);
    let value = cache.get(fill);
    if (value === undefined) {
      value = hexPixel(fill);
      cache.set(fill, value);
    }
    data[i] = value;
  }
  const tile = new OffscreenCanvas(cols, rows);
  const tctx = tile.getContext('2d');
  if (!tctx) throw new Error('this browser cannot draw on a 2-D canvas');
  tctx.putImageData(pixels, 0, 0);
  const layout = layoutCells(r.grid, w, h);
  ctx.fillStyle = GRID_COLORS.background;
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(tile, layout.bounds.x, layout.bounds.y, layout.bounds.w, layout.bounds.h);
}

export function SdrThumb({
  grid,
  sdr,
  values,
  domain,
  scheme,
  label,
  caption,
  size = 72,
  className,
}: SdrThumbProps) {
  if (!Number.isFinite(size) || size < 8 || size > 1024) {
    throw new RangeError(`thumbnail size must be from 8 to 1024 pixels, got ${size}`);
  }
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const resolved = useMemo(
    // Thumbnails never dim: at this size the underlay is the point, SDR cells are bright anyway.
    () => resolveScene({ grid, sdr, values, domain, scheme, dimUnderlay: false }),
    [grid, sdr, values, domain, scheme],
  );
  const ext = gridExtent(grid);
  const width = size;
  const height = Math.max(4, Math.round((size * ext.height) / ext.width));

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ctx = fitCanvas(canvas, width, height, window.devicePixelRatio || 1);
    if (grid.topology === 'rect') drawRectThumb(ctx, resolved, width, height);
    else drawScene(ctx, layoutCells(grid, width, height), resolved);
  }, [grid, resolved, width, height]);

  return (
    <figure className={className ? `sdr-thumb ${className}` : 'sdr-thumb'} style={{ width }}>
      <canvas
        ref={canvasRef}
        role="img"
        aria-label={label}
        title={label}
        style={{ width, height }}
      />
      {caption !== undefined && <figcaption>{caption}</figcaption>}
    </figure>
  );
}
