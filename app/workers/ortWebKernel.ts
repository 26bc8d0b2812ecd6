/**
 * The onnxruntime-web matrix kernel for SOM work inside a page worker (training, final figures,
 * calibration, unit labels, dataset encoding): the engine's ORT backend (src/som/ortBackend.ts)
 * on ONNX Runtime's WebAssembly SIMD build, multi-threaded when the page is cross-origin
 * isolated (this app sends COOP/COEP, so SharedArrayBuffer and WASM threads are available).
 *
 * It loads the same runtime build and files as the embed worker (the asyncify WASM the app
 * serves itself: no CDN, and the browser fetches and caches one 27 MB file for both). Both URLs
 * are needed: with only `wasm` the runtime cannot find its JS glue under Vite's hashed names.
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type * as OrtWeb from 'onnxruntime-web/webgpu';
import type { MatmulBackend } from '../../src/som/backend.ts';
import { createOrtBackend, type OrtModuleLike } from '../../src/som/ortBackend.ts';

/** Where onnxruntime-web finds its files in this app (ort.env.wasm.wasmPaths). */
export const ORT_WASM_PATHS: { readonly wasm: string; readonly mjs: string } = {
  wasm: wasmUrl,
  mjs: mjsUrl,
};

export interface OrtWebKernelOptions {
  /**
   * WASM threads for one matrix product; default 1, range 1 to 16. Above 1 needs a
   * cross-origin-isolated page (otherwise the runtime quietly uses 1). The runtime reads it once,
   * when its first session starts: every kernel of one worker gets the first kernel's count.
   */
  readonly threads?: number;
  /**
   * Most floats of one call's n×m score block; default 2,097,152 (8 MiB, 2,048 rows of a
   * 32×32 map), as src/som/ortBackend.ts.
   */
  readonly maxBlockFloats?: number;
}

/** How many WASM threads this context can really run: 1 unless cross-origin isolated. */
function usableWasmThreads(requested: number): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  return isolated && typeof SharedArrayBuffer !== 'undefined' ? requested : 1;
}

/** Start onnxruntime-web and wrap it as a MatmulBackend named 'ort-web'. */
export async function createOrtWebKernel(
  options: OrtWebKernelOptions = {},
): Promise<MatmulBackend> {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 16) {
    throw new RangeError(`ORT threads must be an integer from 1 to 16, got ${threads}`);
  }
  let ort: typeof OrtWeb;
  try {
    ort = await import('onnxruntime-web/webgpu');
  } catch (e) {
    throw new Error(`onnxruntime-web could not be loaded: ${String(e)}`);
  }
  ort.env.wasm.wasmPaths = ORT_WASM_PATHS;
  ort.env.wasm.numThreads = usableWasmThreads(threads);
  // This worker is already off the page's thread: no extra proxy worker.
  ort.env.wasm.proxy = false;
  const backend = await createOrtBackend(ort as unknown as OrtModuleLike, {
    name: 'ort-web',
    acceptsShared: false,
    maxBlockFloats: options.maxBlockFloats,
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
  });
  return backend;
}
