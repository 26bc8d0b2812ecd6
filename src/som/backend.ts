/**
 * The matrix-product backends behind best-matching-unit search and encoding.
 *
 * The BMU phase of a batch SOM epoch is one (n×d)·(d×m) product and dominates the run; the
 * backend is chosen once, before the loop (plain JS here, onnxruntime in ortBackend.ts), and
 * every backend must rank units identically (ties to the lower index).
 */
import { bestTwoJs, createKernelScratch, scoresJs, type BestTwo } from './bmu.ts';

export interface MatmulBackend {
  /** Short name for reports ('js', 'ort-node', 'ort-web'). */
  readonly name: string;
  /**
   * Whether inputs may live in a SharedArrayBuffer. onnxruntime-node refuses shared memory, so
   * a worker holding shared data copies its rows once when this is false.
   */
  readonly acceptsShared: boolean;
  /**
   * For rows i < n of `a` (n·d): the best and second-best unit j < m of `b` (m·d) by
   * a_i·b_j + bias_j, ties to the lower j. Writes rows 0..n−1 of `out`.
   */
  bestTwo(
    a: Float32Array,
    n: number,
    b: Float32Array,
    m: number,
    d: number,
    bias: Float32Array,
    out: BestTwo,
  ): Promise<void>;
  /** out[i·m + j] = a_i·b_j: the product A·Bᵀ of row-major a (n·d) and b (m·d). */
  scores(
    a: Float32Array,
    n: number,
    b: Float32Array,
    m: number,
    d: number,
    out: Float32Array,
  ): Promise<void>;
  /**
   * Optional: the Gaussian neighbourhood smoothing of a rect grid, in float32 on this backend:
   * out[r·cols·w + c·w + t] = Σ_{r′,c′} ky[r·rows + r′]·kx[c·cols + c′]·src[r′·cols·w + c′·w + t]
   * (kx cols×cols, ky rows×rows, src and out rows·cols·width). Backends without it leave the
   * smoothing to the float64 JS passes of neighbourhood.ts.
   */
  separableSmooth?(
    kx: Float32Array,
    cols: number,
    ky: Float32Array,
    rows: number,
    src: Float32Array,
    width: number,
    out: Float32Array,
  ): Promise<void>;
  /** Free native resources; the backend is unusable afterwards. */
  dispose(): Promise<void>;
}

/** The plain-JS backend: cache-blocked 4×4-tile kernels, scratch allocated once per backend. */
export function createJsBackend(): MatmulBackend {
  const scratch = createKernelScratch();
  return {
    name: 'js',
    acceptsShared: true,
    // async so that bad shapes reject the promise rather than throw at the call.
    async bestTwo(a, n, b, m, d, bias, out) {
      bestTwoJs(a, n, b, m, d, bias, out, scratch);
    },
    async scores(a, n, b, m, d, out) {
      scoresJs(a, n, b, m, d, out, scratch);
    },
    async dispose() {},
  };
}
