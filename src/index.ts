/**
 * The engine's public door: everything the page, the workers and the `sdr` command use comes
 * from here. Only code that runs in a browser worker and in Node alike: the Node-only parts
 * (the worker_threads pool, onnxruntime-node) are imported from src/som/node.ts by Node code,
 * and the CLIP encoders (which pull in transformers.js) from src/embed.
 */
export * from './grid/grid.ts';
export * from './util/random.ts';
export * from './sdr/index.ts';
export * from './som/index.ts';
export * from './encode/index.ts';
export * from './io/index.ts';
export * from './share/index.ts';
export * from './eval/index.ts';
export * from './map/index.ts';
export * from './util/errorMessage.ts';
export * from './search/index.ts';
