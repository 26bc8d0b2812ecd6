/**
 * Node-only SOM pieces: the worker_threads shard pool and the onnxruntime-node backend. Kept
 * out of index.ts so a browser bundle never sees node: imports or native modules.
 */
export { createNodePool } from './nodePool.ts';
export { createOrtNodeBackend } from './ortNode.ts';
