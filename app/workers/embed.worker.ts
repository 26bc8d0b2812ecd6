/// <reference lib="webworker" />
/**
 * The embed worker: a thin comlink door to the embed session (src/embed/session.ts), which
 * runs src/embed's ClipEmbedder one request at a time, streams progress and per-batch results
 * to the page's callbacks, and stops on `cancel`. This file adds only what needs a browser
 * worker: ONNX Runtime's WASM served by the app, model paths relative to the page, and image
 * decoding on OffscreenCanvas. Errors travel back through comlink.
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { env } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { ClipEmbedder, createEmbedSession, probeDevice } from '../../src/embed/index.ts';
import { decodeForClip } from '../../src/embed/browserImage.ts';

declare const self: DedicatedWorkerGlobalScope;

// The app serves ONNX Runtime's WASM itself (works offline; never a CDN).
if (env.backends.onnx.wasm) env.backends.onnx.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };

Comlink.expose(
  createEmbedSession({
    probe: () => probeDevice(),
    // Relative model folders are relative to the page, not to this worker's script.
    createEmbedder: (settings, probe) =>
      new ClipEmbedder(settings, probe, self.location.origin + '/'),
    decode: (blob, displayed, shortestEdge) => decodeForClip(blob, displayed, shortestEdge),
  }),
);
