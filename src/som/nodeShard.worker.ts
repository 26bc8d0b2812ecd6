/**
 * A Node worker_threads shard worker: a thin door onto createShardHost (see pool.ts).
 * Started by nodePool.ts; workerData says which kernel to run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createJsBackend } from './backend.ts';
import { createShardHost } from './pool.ts';
import type { ShardRequest } from './shardProtocol.ts';
import type { NodeShardWorkerData } from './nodePool.ts';

const config = workerData as NodeShardWorkerData;
const port = parentPort;
if (!port) throw new Error('nodeShard.worker.ts must run as a worker thread');

const host = createShardHost(
  async () => {
    if (config.backend === 'js') return createJsBackend();
    const { createOrtNodeBackend } = await import('./ortNode.ts');
    return createOrtNodeBackend({ threads: config.ortThreads });
  },
  // Load onnxruntime and build its sessions while the main thread reads the data.
  { eager: true },
);

port.on('message', (request: ShardRequest) => {
  void host.handle(request).then(({ reply, transfer }) => port.postMessage(reply, transfer));
});
