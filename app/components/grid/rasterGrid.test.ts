import { describe, expect, it } from 'vitest';
import { HEX_RADIUS, layoutCells } from './geometry.ts';
import { paintCells, rasterLevel, rasterUnit, rasterizeCells, startRaster } from './rasterGrid.ts';
import { GRID_COLORS, resolveScene } from './scene.ts';
import { gridSize, makeGrid, type Grid } from '../../../src/index.ts';

/** #rrggbb → the RGBA pixel as a little-endian Uint32 reads it (the machines we test on). */
function px(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return ((0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
}

const cases: Array<[Grid, number, number]> = [
  [makeGrid(8, 8, 'rect'), 1, 1],
  [makeGrid(8, 8, 'rect'), 2, 0],
  [makeGrid(7, 9, 'hex'), 1, 1],
  [makeGrid(7, 9, 'hex'), 2, 0],
];

describe('startRaster (the same map in steps)', () => {
  it.each(cases)(
    'gives rasterizeCells exactly, in uneven steps (%o at %dx, gap %d)',
    (grid, dpr, gap) => {
      const layout = layoutCells(grid, 160, 130);
      const job = startRaster(layout, dpr, gap);
      expect(() => job.finish()).toThrow(/still to do/);
      for (const step of [1, 7, 0, 30]) job.rasterize(step);
      while (job.done < job.units) job.rasterize(5);
      job.rasterize(3); // past the end: nothing more to do
      expect(job.done).toBe(gridSize(grid));
      expect(job.finish()).toEqual(rasterizeCells(layout, dpr, gap));
    },
  );
});

describe('rasterizeCells', () => {
  it.each(cases)('covers every pixel once with runs (%o at %dx, gap %d)', (grid, dpr, gap) => {
    const r = rasterizeCells(layoutCells(grid, 160, 130), dpr, gap);
    expect(r.width).toBe(160 * dpr);
    expect(r.height).toBe(130 * dpr);
    expect(r.units).toBe(gridSize(grid));
    let prev = 0;
    for (let k = 1; k < r.runs.length; k += 2) {
      expect(r.runs[k]).toBeGreaterThan(prev);
      prev = r.runs[k];
    }
    expect(prev).toBe(r.width * r.height);
  });

  it.each(cases)('puts each unit fully at its own centre (%o at %dx, gap %d)', (grid, dpr, gap) => {
    const layout = layoutCells(grid, 160, 130);
    const r = rasterizeCells(layout, dpr, gap);
    for (let u = 0; u < gridSize(grid); u++) {
      const x = Math.floor(layout.centers[2 * u] * dpr);
      const y = Math.floor(layout.centers[2 * u + 1] * dpr);
      expect(rasterUnit(r, x, y)).toBe(u);
      expect(rasterLevel(r, x, y)).toBe(15);
    }
  });

  it.each(cases)('gives each cell its area in coverage (%o at %dx, gap %d)', (grid, dpr, gap) => {
    const layout = layoutCells(grid, 200, 200);
    const r = rasterizeCells(layout, dpr, gap);
    const m = gridSize(grid);
    const coverage = new Float64Array(m);
    for (let y = 0; y < r.height; y++) {
      for (let x = 0; x < r.width; x++) {
        const u = rasterUnit(r, x, y);
        if (u >= 0) coverage[u] += rasterLevel(r, x, y) / 15;
      }
    }
    // Area of the (inset) cell in device pixels: rect side², hex (2√3)·apothem².
    const apothem = (layout.scale - gap) / 2;
    const area =
      (grid.topology === 'hex' ? 2 * Math.sqrt(3) * apothem ** 2 : (2 * apothem) ** 2) * dpr * dpr;
    for (let u = 0; u < m; u++) expect(Math.abs(coverage[u] - area) / area).toBeLessThan(0.06);
  });

  it('never gives a pixel to a hex unit whose centre is beyond its corner', () => {
    const grid = makeGrid(6, 6, 'hex');
    const layout = layoutCells(grid, 150, 150);
    const r = rasterizeCells(layout, 1, 1);
    const reach = HEX_RADIUS * layout.scale + 1;
    for (let y = 0; y < r.height; y++) {
      for (let x = 0; x < r.width; x++) {
        const u = rasterUnit(r, x, y);
        if (u < 0) continue;
        const d = Math.hypot(x + 0.5 - layout.centers[2 * u], y + 0.5 - layout.centers[2 * u + 1]);
        expect(d).toBeLessThan(reach);
      }
    }
  });

  it('refuses a nonsensical pixel ratio', () => {
    expect(() => rasterizeCells(layoutCells(makeGrid(2, 2), 10, 10), 0)).toThrow(/pixel ratio/);
  });
});

describe('paintCells', () => {
  const grid = makeGrid(4, 4);
  const layout = layoutCells(grid, 80, 80, { padding: 8 });
  const raster = rasterizeCells(layout, 1, 1);
  const centre = (u: number) =>
    Math.floor(layout.centers[2 * u + 1]) * raster.width + Math.floor(layout.centers[2 * u]);

  it('paints each cell in its underlay colour and the rest in the background', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i);
    values[5] = Number.NaN;
    const scene = resolveScene({ grid, values });
    const out = new Uint32Array(raster.width * raster.height);
    paintCells(raster, scene, out);
    expect(out[0]).toBe(px(GRID_COLORS.background));
    expect(out[centre(0)]).toBe(px(scene.lut[0]));
    expect(out[centre(15)]).toBe(px(scene.lut[255]));
    expect(out[centre(5)]).toBe(px(GRID_COLORS.noData));
    const plain = resolveScene({ grid });
    paintCells(raster, plain, out);
    expect(out[centre(7)]).toBe(px(GRID_COLORS.empty));
  });

  it('blends rim pixels between the background and the cell colour', () => {
    const soft = rasterizeCells(layoutCells(grid, 83, 83, { padding: 8 }), 1, 1);
    const out = new Uint32Array(soft.width * soft.height);
    paintCells(soft, resolveScene({ grid }), out);
    const bg = px(GRID_COLORS.background);
    const empty = px(GRID_COLORS.empty);
    const between = Array.from(out).filter((p) => p !== bg && p !== empty);
    expect(between.length).toBeGreaterThan(0);
  });

  it('refuses a buffer or an underlay of the wrong size', () => {
    const scene = resolveScene({ grid });
    expect(() => paintCells(raster, scene, new Uint32Array(5))).toThrow(/pixel buffer/);
    const other = resolveScene({ grid: makeGrid(5, 5), values: new Float32Array(25) });
    expect(() => paintCells(raster, other, new Uint32Array(raster.width * raster.height))).toThrow(
      /25 units, the raster 16/,
    );
  });
});
