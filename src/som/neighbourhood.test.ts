import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, unitDistance, type Topology } from '../grid/grid.ts';
import { createRng } from '../util/random.ts';
import { createJsBackend, type MatmulBackend } from './backend.ts';
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

describe('Smoother.applyOn (the passes on a kernel that offers them)', () => {
  /** A kernel whose separableSmooth is the plain sum in float32, counting its calls. */
  function float32Kernel(calls: string[]): MatmulBackend {
    return {
      ...createJsBackend(),
      name: 'f32',
      async separableSmooth(kx, cols, ky, rows, src, width, out) {
        calls.push(`${rows}×${cols}×${width}`);
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            for (let t = 0; t < width; t++) {
              let sum = 0;
              for (let r2 = 0; r2 < rows; r2++) {
                for (let c2 = 0; c2 < cols; c2++) sum += ky[r * rows + r2] * kx[c * cols + c2] * src[(r2 * cols + c2) * width + t]; // prettier-ignore
              }
              out[(r * cols + c) * width + t] = Math.fround(sum);
            }
          }
        }
      },
    };
  }

  it('gives the float64 sum to float32 precision on a rect grid, on the kernel', async () => {
    const grid = makeGrid(4, 6);
    const width = 5;
    const rng = createRng(3);
    const src = Float64Array.from({ length: 24 * width }, () => rng());
    const want = new Float64Array(src.length);
    const got = new Float64Array(src.length);
    const smoother = createSmoother(grid, width);
    smoother.apply(1.7, src, want);
    const calls: string[] = [];
    await smoother.applyOn(float32Kernel(calls), 1.7, src, got);
    expect(calls).toEqual(['4×6×5']);
    for (let t = 0; t < src.length; t++) expect(Math.abs(got[t] - want[t]) / want[t]).toBeLessThan(1e-6); // prettier-ignore
    // Not merely the float64 result copied: float32 sums differ in the last digits somewhere.
    expect(got.some((v, t) => v !== want[t])).toBe(true);
  });

  it('keeps hex grids and kernels without the passes on the float64 passes, exactly', async () => {
    const calls: string[] = [];
    for (const [grid, kernel] of [
      [makeGrid(4, 5, 'hex'), float32Kernel(calls)],
      [makeGrid(4, 5), createJsBackend()],
      [makeGrid(4, 5), null],
    ] as const) {
      const src = Float64Array.from({ length: 20 * 2 }, (_, i) => Math.sin(i));
      const want = new Float64Array(40);
      const got = new Float64Array(40);
      const smoother = createSmoother(grid, 2);
      smoother.apply(2, src, want);
      await smoother.applyOn(kernel, 2, src, got);
      expect(Array.from(got)).toEqual(Array.from(want));
    }
    expect(calls).toEqual([]);
  });
});
