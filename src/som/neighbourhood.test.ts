import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, unitDistance, type Topology } from '../grid/grid.ts';
import { createRng } from '../util/random.ts';
import { createSmoother } from './neighbourhood.ts';

describe('createSmoother', () => {
  it.each<[Topology, number, number, number]>([
    ['rect', 5, 7, 1.3],
    ['hex', 5, 7, 1.3],
    ['hex', 6, 4, 0.6],
    ['rect', 1, 9, 3],
  ])('equals Σ_j exp(−d²/2σ²)·v_j on a %s %i×%i grid, σ=%d', (topology, rows, cols, sigma) => {
    const grid = makeGrid(rows, cols, topology);
    const m = gridSize(grid);
    const width = 3;
    const rng = createRng(7);
    const src = Float64Array.from({ length: m * width }, () => rng() - 0.5);
    const out = new Float64Array(m * width);
    createSmoother(grid, width).apply(sigma, src, out);
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < width; c++) {
        let ref = 0;
        for (let j = 0; j < m; j++) {
          const dist = unitDistance(grid, i, j);
          ref += Math.exp(-(dist * dist) / (2 * sigma * sigma)) * src[j * width + c];
        }
        expect(out[i * width + c]).toBeCloseTo(ref, 10);
      }
    }
  });

  it('barely mixes units when σ is tiny, and flattens them when σ is huge', () => {
    const grid = makeGrid(4, 4);
    const src = Float64Array.from({ length: 16 }, (_, i) => i);
    const out = new Float64Array(16);
    const s = createSmoother(grid, 1);
    s.apply(0.05, src, out);
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo(i, 8);
    s.apply(1e6, src, out);
    for (let i = 0; i < 16; i++) expect(out[i]).toBeCloseTo(120, 6);
  });

  it('refuses a non-positive radius', () => {
    const s = createSmoother(makeGrid(2, 2), 1);
    expect(() => s.apply(0, new Float64Array(4), new Float64Array(4))).toThrow(/radius/);
  });
});
