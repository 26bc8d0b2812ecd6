/**
 * The browser SOM shard pool: module web workers (somShard.worker.ts) running the engine's
 * shard code, behind the engine's ShardPool interface, so `createTrainer(data, n, config,
 * { pool })` trains in parallel in the page exactly as the Node pool does in the CLI.
 *
 * On a cross-origin-isolated page (this app sends COOP/COEP) the data goes once into a
 * SharedArrayBuffer all workers read; elsewhere each worker is sent a copy of its rows once.
 */
import { createWorkerShardPool, type ShardPool, type ShardPort } from '../../src/som/pool.ts';
import type { ShardBackendKind, ShardReply, ShardRequest } from '../../src/som/shardProtocol.ts';

/** What each shard worker is started with (passed as the worker's name). */
export interface BrowserShardSettings {
  readonly backend: ShardBackendKind;
  /** Where onnxruntime-web finds its .wasm/.mjs files (ort.env.wasm.wasmPaths); ORT only. */
  readonly wasmPaths?: string | { readonly wasm?: string; readonly mjs?: string };
}

export interface BrowserPoolOptions {
  /** Workers; default hardwareConcurrency − 1 (the page keeps one core), at least 1, at most 8. */
  readonly workers?: number;
  /** Kernel in each worker: 'js' (default) or 'ort' (onnxruntime-web WASM, needs wasmPaths). */
  readonly backend?: ShardBackendKind;
  /**
   * Where onnxruntime-web finds its files (ort.env.wasm.wasmPaths); default: let it resolve them
   * itself. Under Vite pass both URLs, imported with `?url` from
   * 'onnxruntime-web/ort-wasm-simd-threaded.wasm' and '…/ort-wasm-simd-threaded.mjs' (checked in
   * Chromium: both are needed; with only `wasm` the runtime fails to start).
   */
  readonly wasmPaths?: BrowserShardSettings['wasmPaths'];
}

function browserPort(worker: Worker): ShardPort {
  return {
    post(message: ShardRequest, transfer?: ArrayBuffer[]) {
      worker.postMessage(message, transfer ?? []);
    },
    onMessage(listener) {
      worker.addEventListener('message', (e: MessageEvent<ShardReply>) => listener(e.data));
    },
    onError(listener) {
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        listener(new Error(e.message || 'the SOM shard worker failed to start'));
      });
    },
    terminate() {
      worker.terminate();
    },
  };
}

/** Start the workers and return them as a ShardPool (dispose() stops them). */
export function createBrowserPool(options: BrowserPoolOptions = {}): ShardPool {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  const workers = options.workers ?? Math.min(8, Math.max(1, cores - 1));
  const backend = options.backend ?? 'js';
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new RangeError(`workers must be an integer from 1 to 64, got ${workers}`);
  }
  if (backend !== 'js' && backend !== 'ort') {
    throw new RangeError(`backend must be 'js' or 'ort', got ${String(backend)}`);
  }
  const settings: BrowserShardSettings = { backend, wasmPaths: options.wasmPaths };
  const ports = Array.from({ length: workers }, () =>
    browserPort(
      new Worker(new URL('./somShard.worker.ts', import.meta.url), {
        type: 'module',
        name: JSON.stringify(settings),
      }),
    ),
  );
  return createWorkerShardPool(ports, {
    name: `web-workers×${workers}:${backend === 'ort' ? 'ort-web' : 'js'}`,
    shareMemory:
      typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated === true,
  });
}
