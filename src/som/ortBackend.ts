/**
 * The onnxruntime backend: the BMU product runs in onnxruntime's MLAS GEMM (Node: native,
 * ~60–100 GFLOP/s per core; browser: WebAssembly SIMD). Works with any module shaped like
 * onnxruntime-common (onnxruntime-node in Node, onnxruntime-web in a worker): the caller
 * imports the runtime and hands it in, so this file loads nothing platform-specific itself.
 */
import { bestTwoJs, createKernelScratch, type BestTwo } from './bmu.ts';
import type { MatmulBackend } from './backend.ts';
import { bestTwoModel, scoresModel, smoothModel } from './ortModel.ts';

/** The few parts of an onnxruntime module this backend uses. */
export interface OrtTensorLike {
  readonly data: unknown;
  readonly dims: readonly number[];
}
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release?(): Promise<void>;
}
export interface OrtModuleLike {
  InferenceSession: {
    create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike>;
  };
  Tensor: {
    new (type: 'float32', data: Float32Array, dims: readonly number[]): OrtTensorLike;
    new (type: 'int64', data: BigInt64Array, dims: readonly number[]): OrtTensorLike;
  };
}

export interface OrtBackendOptions {
  /** Name for reports; default 'ort'. */
  readonly name?: string;
  /** Session options passed to InferenceSession.create; default {} (the runtime's defaults). */
  readonly sessionOptions?: Record<string, unknown>;
  /** Whether the runtime reads SharedArrayBuffer-backed arrays; default false (copy first). */
  readonly acceptsShared?: boolean;
  /**
   * Most floats in one call's n×m score block; default 2,097,152 (8 MiB). Row chunks this size
   * keep the intermediate in cache-friendly pieces (measured: ~1,000 rows × 1,024 units is the
   * sweet spot for MLAS; 10,000 rows in one call is ~25% slower) and bound memory.
   */
  readonly maxBlockFloats?: number;
}

function isShared(a: Float32Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/** Create the two sessions (best-two and scores) and wrap them as a MatmulBackend. */
export async function createOrtBackend(
  ort: OrtModuleLike,
  options: OrtBackendOptions = {},
): Promise<MatmulBackend> {
  const name = options.name ?? 'ort';
  const acceptsShared = options.acceptsShared ?? false;
  const maxBlock = options.maxBlockFloats ?? 2_097_152;
  if (!Number.isInteger(maxBlock) || maxBlock < 1) {
    throw new RangeError(`maxBlockFloats must be a positive integer, got ${maxBlock}`);
  }
  let best2: OrtSessionLike;
  let scoresSession: OrtSessionLike;
  try {
    best2 = await ort.InferenceSession.create(bestTwoModel(), options.sessionOptions ?? {});
    scoresSession = await ort.InferenceSession.create(scoresModel(), options.sessionOptions ?? {});
  } catch (e) {
    throw new Error(`onnxruntime could not build the BMU graph: ${String(e)}`);
  }
  // The smoothing graph, built at its first use (a training run on this kernel).
  let smoothSession: Promise<OrtSessionLike> | null = null;
  // Private copy of shared rows, grown as needed (only used when acceptsShared is false).
  let staging = new Float32Array(0);
  const jsScratch = createKernelScratch();
  let disposed = false;

  const rowsView = (a: Float32Array, start: number, end: number, d: number): Float32Array => {
    const view = a.subarray(start * d, end * d);
    if (acceptsShared || !isShared(a)) return view;
    if (staging.length < view.length) staging = new Float32Array(view.length);
    const copy = staging.subarray(0, view.length);
    copy.set(view);
    return copy;
  };
  const ensureLive = () => {
    if (disposed) throw new Error(`the ${name} backend was disposed`);
  };
  const sharedSafe = (b: Float32Array) => (acceptsShared || !isShared(b) ? b : b.slice());

  return {
    name,
    acceptsShared,
    async bestTwo(a, n, b, m, d, bias, out: BestTwo) {
      ensureLive();
      if (a.length < n * d || b.length < m * d || bias.length < m || out.best.length < n) {
        throw new RangeError(
          `best-two shapes disagree: a ${a.length}, b ${b.length}, n ${n}, m ${m}, d ${d}`,
        );
      }
      // TopK needs k ≤ m; a one-unit map has no second best, which the JS kernel handles.
      if (m < 2) {
        bestTwoJs(a, n, b, m, d, bias, out, jsScratch);
        return;
      }
      const w = new ort.Tensor('float32', sharedSafe(b.subarray(0, m * d)), [m, d]);
      const bt = new ort.Tensor('float32', sharedSafe(bias.subarray(0, m)), [m]);
      const rowsPerCall = Math.max(1, Math.floor(maxBlock / m));
      for (let start = 0; start < n; start += rowsPerCall) {
        const end = Math.min(n, start + rowsPerCall);
        const x = new ort.Tensor('float32', rowsView(a, start, end, d), [end - start, d]);
        const result = await best2.run({ x, w, bias: bt });
        const values = result.values.data as Float32Array;
        const indices = result.indices.data as BigInt64Array;
        for (let r = 0; r < end - start; r++) {
          out.best[start + r] = Number(indices[2 * r]);
          out.second[start + r] = Number(indices[2 * r + 1]);
          out.bestScore[start + r] = values[2 * r];
        }
      }
    },
    async scores(a, n, b, m, d, out) {
      ensureLive();
      if (a.length < n * d || b.length < m * d || out.length < n * m) {
        throw new RangeError(
          `scores shapes disagree: a ${a.length}, b ${b.length}, out ${out.length}, n ${n}, m ${m}, d ${d}`,
        );
      }
      const w = new ort.Tensor('float32', sharedSafe(b.subarray(0, m * d)), [m, d]);
      const rowsPerCall = Math.max(1, Math.floor(maxBlock / m));
      for (let start = 0; start < n; start += rowsPerCall) {
        const end = Math.min(n, start + rowsPerCall);
        const x = new ort.Tensor('float32', rowsView(a, start, end, d), [end - start, d]);
        const result = await scoresSession.run({ x, w });
        out.set((result.scores.data as Float32Array).subarray(0, (end - start) * m), start * m);
      }
    },
    async separableSmooth(kx, cols, ky, rows, src, width, out) {
      ensureLive();
      const size = rows * cols * width;
      if (
        kx.length < cols * cols ||
        ky.length < rows * rows ||
        src.length < size ||
        out.length < size
      ) {
        throw new RangeError(`smoothing shapes disagree: ${rows}×${cols} units of width ${width}`);
      }
      smoothSession ??= ort.InferenceSession.create(smoothModel(), options.sessionOptions ?? {});
      const session = await smoothSession;
      const result = await session.run({
        kx: new ort.Tensor('float32', sharedSafe(kx.subarray(0, cols * cols)), [cols, cols]),
        ky: new ort.Tensor('float32', sharedSafe(ky.subarray(0, rows * rows)), [rows, rows]),
        s: new ort.Tensor('float32', sharedSafe(src.subarray(0, size)), [rows, cols, width]),
        shape: new ort.Tensor('int64', BigInt64Array.of(BigInt(rows), BigInt(cols * width)), [2]),
      });
      out.set((result.out.data as Float32Array).subarray(0, size));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await best2.release?.();
      await scoresSession.release?.();
      if (smoothSession) await (await smoothSession.catch(() => null))?.release?.();
    },
  };
}
