/**
 * The Gaussian neighbourhood of the batch SOM, applied without an m×m matrix.
 *
 * h_ij = exp(−‖p_i − p_j‖² / (2σ²)), p the planar unit positions of src/grid/grid.ts. A Gaussian of
 * a planar distance factorises: h_ij = g(x_i − x_j)·g(y_i − y_j). On a rect grid x depends only on
 * the column and y only on the row, so Σ_j h_ij v_j is a pass along rows then a pass along columns:
 * m·w·(rows + cols) multiply-adds instead of m²·w. On the odd-r hex grid x_i − x_j also depends on
 * the two rows' parities (odd rows sit half a cell right), so the row pass is done once per target
 * parity: exactly the same sum, at most twice the row-pass cost. Both passes are small-by-wide
 * matrix products, run on the register-tiled kernel of gemm.ts.
 *
 * On a rect grid the same two passes can run on a MatmulBackend that offers them
 * (separableSmooth: onnxruntime's GEMM in float32), `applyOn`: about 3× faster than these float64
 * passes in the page's WebAssembly, where they took a quarter of each epoch, at a relative
 * difference near 1e-6 (float32 sums).
 */
import { gridSize, type Grid } from '../grid/grid.ts';
import type { MatmulBackend } from './backend.ts';
import { gemmF64 } from './gemm.ts';

const HEX_ROW_HEIGHT = Math.sqrt(3) / 2;

export interface Smoother {
  readonly grid: Grid;
  /** Floats per unit (the width of the rows being smoothed). */
  readonly width: number;
  /**
   * out[i·width + c] = Σ_j h_ij · src[j·width + c] for σ = `sigma` (grid units, > 0).
   * `src` and `out` hold m·width values and must not overlap.
   */
  apply(sigma: number, src: Float64Array, out: Float64Array): void;
  /**
   * The same sum on `backend`'s separableSmooth in float32 when it has one and the grid is
   * rect; else exactly `apply`.
   */
  applyOn(
    backend: MatmulBackend | null,
    sigma: number,
    src: Float64Array,
    out: Float64Array,
  ): Promise<void>;
}

/** A smoother for `grid` and rows of `width` floats; its scratch is allocated once, here. */
export function createSmoother(grid: Grid, width: number): Smoother {
  if (!Number.isInteger(width) || width < 1) {
    throw new RangeError(`smoothing width must be a positive integer, got ${width}`);
  }
  const { rows, cols } = grid;
  const hex = grid.topology === 'hex';
  const m = gridSize(grid);
  const parities = hex ? 2 : 1;
  const scratch: SmoothScratch = {
    tmp: new Float64Array(parities * m * width),
    kx: new Float64Array(4 * cols * cols),
    ky: new Float64Array(rows * rows),
    gathered: new Float64Array(hex ? Math.ceil(rows / 2) * cols * width : 0),
  };

  const check = (sigma: number, src: Float64Array, out: Float64Array) => {
    if (!(sigma > 0) || !Number.isFinite(sigma)) {
      throw new RangeError(`neighbourhood radius must be a positive number, got ${sigma}`);
    }
    if (src.length < m * width || out.length < m * width) {
      throw new RangeError(`smoothing needs ${m}×${width} values in and out`);
    }
  };
  // float32 copies for a backend's passes, made at the first applyOn that uses them.
  let f32: { kx: Float32Array; ky: Float32Array; src: Float32Array; out: Float32Array } | null =
    null;

  return {
    grid,
    width,
    apply(sigma, src, out) {
      check(sigma, src, out);
      smooth(rows, cols, width, hex, 1 / (2 * sigma * sigma), src, out, scratch);
    },
    async applyOn(backend, sigma, src, out) {
      check(sigma, src, out);
      if (hex || !backend?.separableSmooth) {
        smooth(rows, cols, width, hex, 1 / (2 * sigma * sigma), src, out, scratch);
        return;
      }
      f32 ??= {
        kx: new Float32Array(cols * cols),
        ky: new Float32Array(rows * rows),
        src: new Float32Array(m * width),
        out: new Float32Array(m * width),
      };
      const inv2s2 = 1 / (2 * sigma * sigma);
      for (let c = 0; c < cols; c++) {
        for (let c2 = 0; c2 < cols; c2++) f32.kx[c * cols + c2] = Math.exp(-((c - c2) ** 2) * inv2s2); // prettier-ignore
      }
      for (let r = 0; r < rows; r++) {
        for (let r2 = 0; r2 < rows; r2++) f32.ky[r * rows + r2] = Math.exp(-((r - r2) ** 2) * inv2s2); // prettier-ignore
      }
      // TypedArray.set converts float64 ↔ float32 in native code: nothing for V8 to warm up.
      f32.src.set(src.subarray(0, m * width));
      await backend.separableSmooth(f32.kx, cols, f32.ky, rows, f32.src, width, f32.out);
      out.set(f32.out);
    },
  };
}

/** The two passes, each a small-by-wide matrix product (gemm.ts). */
function smooth(
  rows: number,
  cols: number,
  width: number,
  hex: boolean,
  inv2s2: number,
  src: Float64Array,
  out: Float64Array,
  scratch: SmoothScratch,
): void {
  const { tmp, kx, ky, gathered } = scratch;
  const rowLen = cols * width;
  const parities = hex ? 2 : 1;
  const g = (x: number) => Math.exp(-x * x * inv2s2);
  // kx[(p·2 + q)] = x kernel from a source row of parity q to a target row of parity p.
  for (let p = 0; p < parities; p++) {
    for (let q = 0; q < parities; q++) {
      const dOff = (p === 1 ? 0.5 : 0) - (q === 1 ? 0.5 : 0);
      const o = (p * 2 + q) * cols * cols;
      for (let c = 0; c < cols; c++) {
        for (let c2 = 0; c2 < cols; c2++) kx[o + c * cols + c2] = g(c - c2 + dOff);
      }
    }
  }
  // Row pass: tmp[p][rj] = Kx(p, parity rj) · src[rj] (cols×cols times cols×width).
  for (let p = 0; p < parities; p++) {
    for (let rj = 0; rj < rows; rj++) {
      const q = hex ? rj & 1 : 0;
      const k = kx.subarray((p * 2 + q) * cols * cols, (p * 2 + q + 1) * cols * cols);
      const from = src.subarray(rj * rowLen, (rj + 1) * rowLen);
      const to = tmp.subarray((p * rows + rj) * rowLen, (p * rows + rj + 1) * rowLen);
      gemmF64(k, cols, cols, from, width, to);
    }
  }
  // Column pass: target rows of parity p = Ky(those rows, all rows) · tmp[p].
  for (let p = 0; p < parities; p++) {
    let count = 0;
    for (let ri = p; ri < rows; ri += parities) {
      for (let rj = 0; rj < rows; rj++) {
        const dy = hex ? (ri - rj) * HEX_ROW_HEIGHT : ri - rj;
        ky[count * rows + rj] = g(dy);
      }
      count++;
    }
    const t = tmp.subarray(p * rows * rowLen, (p + 1) * rows * rowLen);
    if (!hex) {
      gemmF64(ky, rows, rows, t, rowLen, out);
      continue;
    }
    gemmF64(ky, count, rows, t, rowLen, gathered);
    for (let c = 0, ri = p; c < count; c++, ri += 2) {
      out.set(gathered.subarray(c * rowLen, (c + 1) * rowLen), ri * rowLen);
    }
  }
}

interface SmoothScratch {
  /** parities·rows·rowLen: rows smoothed along x. */
  readonly tmp: Float64Array;
  /** 4·cols²: x kernels by (target parity, source parity). */
  readonly kx: Float64Array;
  /** rows²: y kernel rows for the target rows of one parity. */
  readonly ky: Float64Array;
  /** ⌈rows/2⌉·rowLen: hex target rows of one parity before they are put in place. */
  readonly gathered: Float64Array;
}
