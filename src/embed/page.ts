/**
 * The embed room's door for the page's main thread: settings and their types, the model
 * registry, device choice, model folders, errors, and the embed session's types. Everything but
 * CLIP itself: clip.ts pulls in transformers.js, which only the embed worker may bundle (the
 * worker and Node code use index.ts).
 */
export * from './types.ts';
export * from './errors.ts';
export * from './registry.ts';
export * from './device.ts';
export * from './modelSource.ts';
export * from './session.ts';
