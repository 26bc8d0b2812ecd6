/// <reference lib="webworker" />
/**
 * A browser SOM shard worker: a thin door onto the engine's shard host (src/som/pool.ts), the
 * same code the Node workers run. somPool.ts starts it and passes its settings in the worker's
 * name (JSON), so no extra handshake is needed. Errors travel back as 'error' replies.
 */
import { createJsBackend, type MatmulBackend } from '../../src/som/backend.ts';
import { createOrtBackend, type OrtModuleLike } from '../../src/som/ortBackend.ts';
import { createShardHost } from '../../src/som/pool.ts';
import type { ShardRequest } from '../../src/som/shardProtocol.ts';
import type { BrowserShardSettings } from './somPool.ts';

declare const self: DedicatedWorkerGlobalScope;

const settings = JSON.parse(self.name || '{"backend":"js"}') as BrowserShardSettings;

async function makeBackend(): Promise<MatmulBackend> {
  if (settings.backend !== 'ort') return createJsBackend();
  const ort = await import('onnxruntime-web');
  if (settings.wasmPaths) ort.env.wasm.wasmPaths = settings.wasmPaths;
  // One thread per shard worker: the pool is the parallelism.
  ort.env.wasm.numThreads = 1;
  return createOrtBackend(ort as unknown as OrtModuleLike, {
    name: 'ort-web',
    acceptsShared: false,
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
  });
}

const host = createShardHost(makeBackend);

self.onmessage = (event: MessageEvent<ShardRequest>) => {
  void host.handle(event.data).then(({ reply, transfer }) => self.postMessage(reply, transfer));
};
