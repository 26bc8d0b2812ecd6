/**
 * The embed room's door for Node and worker code: CLIP via transformers.js (clip.ts), and the
 * light modules around it. The page's main thread must not import this file (it would bundle
 * transformers.js into the page); it imports the light modules (registry, types, device,
 * modelSource, errors) directly and reaches the engine through app/workers/embedClient.ts.
 */
export * from './types.ts';
export * from './errors.ts';
export * from './registry.ts';
export * from './device.ts';
export * from './modelSource.ts';
export * from './progress.ts';
export * from './normalize.ts';
export * from './tensorData.ts';
export * from './imageHeader.ts';
export * from './imageGeometry.ts';
export * from './inspectImage.ts';
export * from './session.ts';
export * from './clip.ts';
