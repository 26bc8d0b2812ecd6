/**
 * What the embed worker does, DOM-free so Node tests call it directly: one CLIP engine
 * (ClipEmbedder) for the settings of the latest request, requests run one at a time (ONNX
 * sessions are not re-entrant), progress and per-batch results handed to callbacks with their
 * Float32Arrays marked for transfer, and a cancel by job number that stops at the next batch
 * boundary. The worker (app/workers/embed.worker.ts) exposes it over comlink; the page's client
 * (app/workers/embedClient.ts) passes callbacks as Comlink.proxy and calls `cancel` on abort.
 *
 * Callbacks may return a promise (over comlink they do): the session waits for every callback
 * of a request before the request settles, so a caller never sees the result before the last
 * batch.
 */
import * as Comlink from 'comlink';
import type { ClipEmbedder, PixelImage } from './clip.ts';
import { EmbedCancelledError } from './errors.ts';
import { inspectImage } from './inspectImage.ts';
import type { Size } from './imageGeometry.ts';
import type { DecodedImage } from './browserImage.ts';
import type {
  DeviceProbe,
  EmbedSettings,
  ImageItemResult,
  LoadedModelInfo,
  LoadProgress,
  Tower,
} from './types.ts';

/** One image handed to the worker: the file itself (a Blob is shared, not copied) and a name. */
export interface ImageInput {
  readonly blob: Blob;
  readonly name: string;
}

/** What happens to the model during a request (loads happen lazily inside embedding calls too). */
export type EmbedModelEvent =
  /** A tower started loading. */
  | { readonly kind: 'loading'; readonly modelId: string }
  | { readonly kind: 'load-progress'; readonly progress: LoadProgress }
  /** A tower finished loading. */
  | { readonly kind: 'model'; readonly info: LoadedModelInfo }
  /** Loading failed (`name` 'EmbedCancelledError': stopped by a cancel); the request rejects. */
  | { readonly kind: 'load-failed'; readonly name: string; readonly message: string };

export interface TextBatch {
  readonly modelId: string;
  readonly dim: number;
  /** Index of the first text of this batch. */
  readonly start: number;
  readonly vectors: Float32Array;
  /** Input indices (absolute) of the texts cut at the token limit. */
  readonly truncated: readonly number[];
}

export interface ImageBatch {
  readonly modelId: string;
  readonly dim: number;
  /** Items of this batch; 'ok' items' `row` counts within this batch's `vectors`. */
  readonly items: readonly ImageItemResult[];
  readonly vectors: Float32Array;
}

/** A callback of the session; over comlink it returns a promise, which the session waits for. */
export type EmbedCallback<T> = (value: T) => void | Promise<void>;

/** How a request ended: `cancelled` when it stopped early on `cancel`. */
interface EmbedOutcome {
  readonly cancelled: boolean;
}

export interface EmbedSessionApi {
  /** What the runtime offers (WebGPU, shader-f16). Answered at once, never queued. */
  probe(): Promise<DeviceProbe>;
  /** Load `towers` of the model `settings` name; the model's info, or null when none loaded. */
  load(
    job: number,
    settings: EmbedSettings,
    towers: readonly Tower[],
    onModel: EmbedCallback<EmbedModelEvent>,
  ): Promise<LoadedModelInfo | null>;
  /** Embed texts (text tower loaded on first use), one `onBatch` per batch. */
  embedTexts(
    job: number,
    settings: EmbedSettings,
    texts: readonly string[],
    batchSize: number,
    onModel: EmbedCallback<EmbedModelEvent>,
    onBatch: EmbedCallback<TextBatch>,
  ): Promise<EmbedOutcome>;
  /** Check, decode and embed image files (vision tower loaded on first use), one `onBatch` per batch. */
  embedImages(
    job: number,
    settings: EmbedSettings,
    images: readonly ImageInput[],
    batchSize: number,
    maxMegapixels: number,
    onModel: EmbedCallback<EmbedModelEvent>,
    onBatch: EmbedCallback<ImageBatch>,
  ): Promise<EmbedOutcome>;
  /** Free the model's memory (the browser cache keeps the files). */
  unload(job: number): Promise<void>;
  /** Stop request `job` (queued or running) at its next batch boundary. */
  cancel(job: number): void;
}

/** The parts of ClipEmbedder the session uses (tests pass fakes). */
export type SessionEmbedder = Pick<
  ClipEmbedder,
  | 'settings'
  | 'info'
  | 'isLoaded'
  | 'load'
  | 'embedTexts'
  | 'embedImages'
  | 'resizeShortestEdge'
  | 'dispose'
>;

export interface EmbedSessionOptions {
  /** Probe the runtime (once; the answer is kept). */
  readonly probe: () => Promise<DeviceProbe>;
  /** A CLIP engine for `settings` (the worker: a ClipEmbedder with model paths from the page). */
  readonly createEmbedder: (settings: EmbedSettings, probe: DeviceProbe) => SessionEmbedder;
  /** Decode a checked image to CLIP's input size and a thumbnail (the worker: browserImage.ts). */
  readonly decode: (blob: Blob, displayed: Size, shortestEdge: number) => Promise<DecodedImage>;
}

/** An error of the load phase (reported as `load-failed` before the request rejects). */
class LoadPhaseError extends Error {
  constructor(readonly original: Error) {
    super(original.message);
  }
}

export function createEmbedSession(options: EmbedSessionOptions): EmbedSessionApi {
  let probe: Promise<DeviceProbe> | null = null;
  let engine: SessionEmbedder | null = null;
  let engineKey = '';
  /** Abort controllers of queued and running requests, by job number. */
  const controllers = new Map<number, AbortController>();
  let queue: Promise<unknown> = Promise.resolve();

  const getProbe = (): Promise<DeviceProbe> => (probe ??= options.probe());

  /** The engine for `settings`, replacing (and freeing) one made for other settings. */
  const engineFor = async (settings: EmbedSettings): Promise<SessionEmbedder> => {
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
    engine = options.createEmbedder(settings, await getProbe());
    engineKey = key;
    return engine;
  };

  /** Callbacks of one request, so it settles only after all of them were delivered. */
  const deliveries = () => {
    const pending: Promise<unknown>[] = [];
    return {
      send<T>(callback: EmbedCallback<T>, value: T): void {
        pending.push(Promise.resolve(callback(value)).catch(() => undefined));
      },
      settled: () => Promise.all(pending),
    };
  };
  type Delivery = ReturnType<typeof deliveries>;

  /** Load `towers` if needed, telling `onModel` about start, progress and the result. */
  const ensureTowers = async (
    embedder: SessionEmbedder,
    towers: readonly Tower[],
    signal: AbortSignal,
    onModel: EmbedCallback<EmbedModelEvent>,
    out: Delivery,
  ): Promise<void> => {
    const missing = towers.filter((t) => !embedder.isLoaded(t));
    if (missing.length === 0) return;
    out.send(onModel, { kind: 'loading', modelId: embedder.settings.modelId });
    try {
      await embedder.load(missing, {
        signal,
        onProgress: (progress) => out.send(onModel, { kind: 'load-progress', progress }),
      });
    } catch (e) {
      throw new LoadPhaseError(e instanceof Error ? e : new Error(String(e)));
    }
    const info = embedder.info;
    if (info) out.send(onModel, { kind: 'model', info });
  };

  /**
   * Run `work` after the requests before it, with a signal `cancel(job)` aborts. A cancel in the
   * embedding phase ends the request as cancelled; a failed load is told to `onModel` first.
   */
  const run = <T>(
    job: number,
    onModel: EmbedCallback<EmbedModelEvent> | null,
    cancelled: T,
    work: (signal: AbortSignal, out: Delivery) => Promise<T>,
  ): Promise<T> => {
    const controller = new AbortController();
    controllers.set(job, controller);
    const result = queue.then(async () => {
      const out = deliveries();
      try {
        return await work(controller.signal, out);
      } catch (e) {
        if (e instanceof LoadPhaseError) {
          if (onModel) {
            out.send(onModel, { kind: 'load-failed', name: e.original.name, message: e.message });
          }
          throw e.original;
        }
        if (e instanceof EmbedCancelledError) return cancelled;
        throw e;
      } finally {
        controllers.delete(job);
        await out.settled();
      }
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    probe: () => getProbe(),

    load: (job, settings, towers, onModel) =>
      run(job, onModel, null, async (signal, out) => {
        const embedder = await engineFor(settings);
        await ensureTowers(embedder, towers, signal, onModel, out);
        const info = embedder.info;
        // Towers already loaded: still say what is there.
        if (info) out.send(onModel, { kind: 'model', info });
        return info;
      }),

    embedTexts: (job, settings, texts, batchSize, onModel, onBatch) =>
      run(job, onModel, { cancelled: true }, async (signal, out) => {
        const embedder = await engineFor(settings);
        await ensureTowers(embedder, ['text'], signal, onModel, out);
        const result = await embedder.embedTexts(texts, {
          batchSize,
          signal,
          onBatch: (start, rows, truncated) => {
            // The engine keeps `rows` for its own result, so a copy crosses (by transfer).
            const vectors = rows.slice();
            const batch: TextBatch = {
              modelId: embedder.settings.modelId,
              dim: embedder.info?.dim ?? 0,
              start,
              vectors,
              truncated,
            };
            out.send(onBatch, Comlink.transfer(batch, [vectors.buffer]));
          },
        });
        return { cancelled: result.cancelled };
      }),

    embedImages: (job, settings, images, batchSize, maxMegapixels, onModel, onBatch) =>
      run(job, onModel, { cancelled: true }, async (signal, out) => {
        const embedder = await engineFor(settings);
        await ensureTowers(embedder, ['vision'], signal, onModel, out);
        const edge = embedder.resizeShortestEdge;
        for (let start = 0; start < images.length; start += batchSize) {
          if (signal.aborted) return { cancelled: true };
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
              const decoded = await options.decode(blob, inspection.displayed, edge);
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
              const why =
                e instanceof Error && e.message ? e.message : 'the browser could not decode it';
              items.push({
                index,
                name,
                status: 'error',
                error: `${name} was skipped: it could not be decoded (damaged or unsupported: ${why}).`,
              });
            }
          }
          const vectors = await embedder.embedImages(pixels);
          const result: ImageBatch = {
            modelId: embedder.settings.modelId,
            dim: embedder.info?.dim ?? 0,
            items,
            vectors,
          };
          out.send(onBatch, Comlink.transfer(result, [vectors.buffer]));
        }
        return { cancelled: false };
      }),

    unload: (job) =>
      run(job, null, undefined, async () => {
        const old = engine;
        engine = null;
        engineKey = '';
        await old?.dispose();
      }),

    cancel: (job) => controllers.get(job)?.abort(),
  };
}
