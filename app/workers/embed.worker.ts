/// <reference lib="webworker" />
/**
 * The embed worker: a thin door to src/embed's ClipEmbedder. It runs requests one at a time
 * (ONNX sessions are not re-entrant), streams progress and per-batch results back with their
 * Float32Arrays transferred, stops at the next batch boundary on a cancel message, and turns
 * every failure into an error message (never an uncaught exception).
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import { env } from '@huggingface/transformers';
import { ClipEmbedder, type PixelImage } from '../../src/embed/clip.ts';
import { probeDevice } from '../../src/embed/device.ts';
import { EmbedCancelledError } from '../../src/embed/errors.ts';
import { inspectImage } from '../../src/embed/inspectImage.ts';
import { decodeForClip } from '../../src/embed/browserImage.ts';
import type { EmbedReply, EmbedRequest, ImageInput } from '../../src/embed/protocol.ts';
import type { DeviceProbe, EmbedSettings, ImageItemResult, Tower } from '../../src/embed/types.ts';

declare const self: DedicatedWorkerGlobalScope;

// The app serves ONNX Runtime's WASM itself (works offline; never a CDN).
if (env.backends.onnx.wasm) env.backends.onnx.wasm.wasmPaths = { wasm: wasmUrl, mjs: mjsUrl };

let probe: Promise<DeviceProbe> | null = null;
let engine: ClipEmbedder | null = null;
let engineKey = '';
/** Abort controllers of queued and running requests, by request id. */
const controllers = new Map<number, AbortController>();
let queue: Promise<void> = Promise.resolve();

function post(reply: EmbedReply, transfer: Transferable[] = []): void {
  self.postMessage(reply, transfer);
}

function getProbe(): Promise<DeviceProbe> {
  probe ??= probeDevice();
  return probe;
}

/** The engine for `settings`, replacing (and freeing) one made for other settings. */
async function engineFor(settings: EmbedSettings): Promise<ClipEmbedder> {
  const key = JSON.stringify([
    settings.modelId,
    settings.dtype,
    settings.device,
    settings.modelFolder,
  ]);
  if (engine && key === engineKey) return engine;
  const old = engine;
  engine = null;
  await old?.dispose();
  // Relative model folders are relative to the page, not to this worker's script.
  engine = new ClipEmbedder(settings, await getProbe(), self.location.origin + '/');
  engineKey = key;
  return engine;
}

/** Load `towers` if needed, telling the client about start, progress and the result. */
async function ensureTowers(
  id: number,
  embedder: ClipEmbedder,
  towers: readonly Tower[],
  signal: AbortSignal,
) {
  const missing = towers.filter((t) => !embedder.isLoaded(t));
  if (missing.length === 0) return;
  post({ id, kind: 'loading', modelId: embedder.settings.modelId });
  try {
    await embedder.load(missing, {
      signal,
      onProgress: (progress) => post({ id, kind: 'load-progress', progress }),
    });
  } catch (e) {
    throw Object.assign(e as Error, { phase: 'load' });
  }
  const info = embedder.info;
  if (info) post({ id, kind: 'model', info });
}

async function embedTexts(
  id: number,
  settings: EmbedSettings,
  texts: readonly string[],
  batchSize: number,
  signal: AbortSignal,
): Promise<boolean> {
  const embedder = await engineFor(settings);
  await ensureTowers(id, embedder, ['text'], signal);
  const result = await embedder.embedTexts(texts, {
    batchSize,
    signal,
    onBatch: (start, rows, truncated) => {
      // The engine keeps `rows` for its own result, so a copy crosses (by transfer, not clone).
      const vectors = rows.slice();
      post(
        {
          id,
          kind: 'text-batch',
          modelId: embedder.settings.modelId,
          dim: embedder.info?.dim ?? 0,
          start,
          vectors,
          truncated,
        },
        [vectors.buffer],
      );
    },
  });
  return result.cancelled;
}

async function embedImages(
  id: number,
  settings: EmbedSettings,
  images: readonly ImageInput[],
  batchSize: number,
  maxMegapixels: number,
  signal: AbortSignal,
): Promise<boolean> {
  const embedder = await engineFor(settings);
  await ensureTowers(id, embedder, ['vision'], signal);
  const edge = embedder.resizeShortestEdge;
  for (let start = 0; start < images.length; start += batchSize) {
    if (signal.aborted) return true;
    const batch = images.slice(start, start + batchSize);
    const items: ImageItemResult[] = [];
    const pixels: PixelImage[] = [];
    for (let i = 0; i < batch.length; i++) {
      const { blob, name } = batch[i];
      const index = start + i;
      try {
        const inspection = await inspectImage(blob, maxMegapixels);
        if (!inspection.ok) {
          items.push({
            index,
            name,
            status: 'error',
            error: `${name} was skipped: ${inspection.reason}.`,
          });
          continue;
        }
        const decoded = await decodeForClip(blob, inspection.displayed, edge);
        items.push({
          index,
          name,
          status: 'ok',
          row: pixels.length,
          width: inspection.displayed.width,
          height: inspection.displayed.height,
          thumbnail: decoded.thumbnail,
        });
        pixels.push(decoded.pixels);
      } catch (e) {
        const why = e instanceof Error && e.message ? e.message : 'the browser could not decode it';
        items.push({
          index,
          name,
          status: 'error',
          error: `${name} was skipped: it could not be decoded (damaged or unsupported: ${why}).`,
        });
      }
    }
    const vectors = await embedder.embedImages(pixels);
    post(
      {
        id,
        kind: 'image-batch',
        modelId: embedder.settings.modelId,
        dim: embedder.info?.dim ?? 0,
        items,
        vectors,
      },
      [vectors.buffer],
    );
  }
  return false;
}

async function handle(request: EmbedRequest, signal: AbortSignal): Promise<void> {
  const { id } = request;
  try {
    let cancelled = false;
    switch (request.kind) {
      case 'probe':
        post({ id, kind: 'probe', probe: await getProbe() });
        return;
      case 'load': {
        const embedder = await engineFor(request.settings);
        await ensureTowers(id, embedder, request.towers, signal);
        const info = embedder.info;
        // Towers already loaded: still say what is there.
        if (info) post({ id, kind: 'model', info });
        break;
      }
      case 'embedTexts':
        cancelled = await embedTexts(
          id,
          request.settings,
          request.texts,
          request.batchSize,
          signal,
        );
        break;
      case 'embedImages':
        cancelled = await embedImages(
          id,
          request.settings,
          request.images,
          request.batchSize,
          request.maxMegapixels,
          signal,
        );
        break;
      case 'unload': {
        const old = engine;
        engine = null;
        engineKey = '';
        await old?.dispose();
        break;
      }
      case 'cancel':
        return;
    }
    post({ id, kind: 'done', cancelled });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    const phase = (error as { phase?: string }).phase === 'load' ? 'load' : 'embed';
    if (error instanceof EmbedCancelledError && phase !== 'load') {
      post({ id, kind: 'done', cancelled: true });
      return;
    }
    post({ id, kind: 'error', name: error.name, message: error.message, phase });
  }
}

self.onmessage = (event: MessageEvent<EmbedRequest>) => {
  const request = event.data;
  if (request.kind === 'cancel') {
    controllers.get(request.target)?.abort();
    return;
  }
  if (request.kind === 'probe') {
    // Answer at once: probing never touches the model.
    void handle(request, new AbortController().signal);
    return;
  }
  const controller = new AbortController();
  controllers.set(request.id, controller);
  queue = queue.then(async () => {
    await handle(request, controller.signal);
    controllers.delete(request.id);
  });
};
