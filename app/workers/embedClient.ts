/**
 * The page's door to CLIP embedding. One lazily created module worker (app/workers/embed.worker.ts)
 * runs transformers.js; this client speaks its typed protocol (src/embed/protocol.ts), streams
 * progress, assembles the transferred Float32Array batches, and cancels through AbortSignals.
 *
 * Use the shared instance:
 *
 * ```ts
 * const client = getEmbedClient();
 * const { vectors, dim, items } = await client.embedImages(files, { signal, onItem });
 * const texts = await client.embedTexts(['a cat', 'a dog']);
 * ```
 *
 * Embedding calls load the model they need on first use (text and vision towers separately),
 * with the settings last given to `configure` (the model slice does that); load progress and
 * status go to `subscribe` listeners, whichever call caused the load.
 */
import type { EmbedReply, EmbedRequest, ImageInput } from '../../src/embed/protocol.ts';
import type {
  DeviceProbe,
  EmbedSettings,
  ImageEmbeddings,
  ImageItemResult,
  LoadedModelInfo,
  LoadProgress,
  TextEmbeddings,
  Tower,
} from '../../src/embed/types.ts';
import { DEFAULT_EMBED_SETTINGS } from '../../src/embed/registry.ts';
import { EmbedCancelledError } from '../../src/embed/errors.ts';

/** A model load stopped by its AbortSignal (the engine's class, re-exported). */
export { EmbedCancelledError };

export type {
  DeviceProbe,
  EmbedSettings,
  ImageEmbeddings,
  ImageItemResult,
  LoadedModelInfo,
  LoadProgress,
  TextEmbeddings,
  Tower,
};

/** A message about the model, for whoever shows model status (the model slice). */
export type EmbedClientEvent =
  | { readonly type: 'loading'; readonly modelId: string }
  | { readonly type: 'load-progress'; readonly progress: LoadProgress }
  | { readonly type: 'ready'; readonly info: LoadedModelInfo }
  /** The load failed (`cancelled`: stopped by its signal, not an error to show as one). */
  | {
      readonly type: 'load-error';
      readonly modelId: string;
      readonly message: string;
      readonly cancelled: boolean;
    }
  | { readonly type: 'unloaded' };

export interface EmbedTextsOptions {
  /** Texts per model call. Default 32, range 1–256. */
  readonly batchSize?: number;
  /** Abort to stop after the batch in flight; the promise then resolves with the rows done. */
  readonly signal?: AbortSignal;
  /** Called after each batch with the number of texts embedded so far. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface EmbedImagesOptions {
  /** Images per model call. Default 8, range 1–64. */
  readonly batchSize?: number;
  /** Abort to stop after the batch in flight; the promise then resolves with the items done. */
  readonly signal?: AbortSignal;
  /**
   * Called once per input as soon as its batch finishes, in input order: the item, its
   * unit-length vector (a view into a batch buffer; copy it to keep it past the call) or null
   * for a refused file, and how many inputs are handled so far.
   */
  readonly onItem?: (
    item: ImageItemResult,
    vector: Float32Array | null,
    done: number,
    total: number,
  ) => void;
  /** Files decoding to more pixels than this are refused before decoding. Default 100, range 1–1000. */
  readonly maxMegapixels?: number;
}

/** A request the worker could not carry out (bad settings, missing model files, bad input). */
export class EmbedError extends Error {
  override readonly name = 'EmbedError';
}

interface Pending {
  readonly onReply: (reply: EmbedReply) => void;
  readonly reject: (error: Error) => void;
}

function checkRange(label: string, value: number, lo: number, hi: number): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new EmbedError(`${label} must be an integer from ${lo} to ${hi}, got ${value}.`);
  }
  return value;
}

export class EmbedClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: EmbedClientEvent) => void>();
  private current: EmbedSettings = DEFAULT_EMBED_SETTINGS;
  private readonly createWorker: () => Worker;

  /** `createWorker` is called once, at the first request (tests may pass their own). */
  constructor(createWorker: () => Worker) {
    this.createWorker = createWorker;
  }

  /** The settings the next request uses. */
  get settings(): EmbedSettings {
    return this.current;
  }

  /**
   * Choose the model, dtype, device and model folder for the following requests. Changing any
   * of them makes the worker drop the loaded model at the next request.
   */
  configure(settings: EmbedSettings): void {
    this.current = { ...settings };
  }

  /** Listen to model status and load progress; returns the unsubscribe function. */
  subscribe(listener: (event: EmbedClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** What the worker's runtime offers: WebGPU adapter and shader-f16. */
  probe(): Promise<DeviceProbe> {
    return new Promise((resolve, reject) => {
      this.send({ id: this.nextId++, kind: 'probe' }, undefined, reject, (reply) => {
        if (reply.kind === 'probe') resolve(reply.probe);
        return reply.kind === 'probe';
      });
    });
  }

  /**
   * Load the model's towers now (default both), rather than at the first embedding call.
   * Rejects with EmbedCancelledError when `signal` aborts, EmbedError when files are missing.
   */
  load(
    options: { towers?: readonly Tower[]; signal?: AbortSignal } = {},
  ): Promise<LoadedModelInfo> {
    const towers = options.towers ?? (['text', 'vision'] as const);
    const settings = this.current;
    let info: LoadedModelInfo | null = null;
    return new Promise((resolve, reject) => {
      this.send(
        { id: this.nextId++, kind: 'load', settings, towers },
        options.signal,
        reject,
        (reply) => {
          if (reply.kind === 'model') info = reply.info;
          if (reply.kind !== 'done') return false;
          if (reply.cancelled || !info) {
            const error = new EmbedCancelledError();
            this.emit({
              type: 'load-error',
              modelId: settings.modelId,
              message: error.message,
              cancelled: true,
            });
            reject(error);
          } else resolve(info);
          return true;
        },
      );
    });
  }

  /**
   * Embed texts with the text tower (loaded on first use). Texts longer than CLIP's 77 tokens
   * are cut and listed in `truncated`. Empty strings are allowed (CLIP embeds them too).
   */
  async embedTexts(
    texts: readonly string[],
    options: EmbedTextsOptions = {},
  ): Promise<TextEmbeddings> {
    const batchSize = checkRange('batchSize', options.batchSize ?? 32, 1, 256);
    for (let i = 0; i < texts.length; i++) {
      if (typeof texts[i] !== 'string') throw new EmbedError(`Text ${i + 1} is not a string.`);
    }
    const settings = this.current;
    const chunks: { start: number; vectors: Float32Array }[] = [];
    const truncated: number[] = [];
    let modelId = settings.modelId;
    let dim = 0;
    let done = 0;
    return new Promise((resolve, reject) => {
      this.send(
        { id: this.nextId++, kind: 'embedTexts', settings, texts: [...texts], batchSize },
        options.signal,
        reject,
        (reply) => {
          if (reply.kind === 'text-batch') {
            modelId = reply.modelId;
            dim = reply.dim;
            chunks.push({ start: reply.start, vectors: reply.vectors });
            truncated.push(...reply.truncated);
            done += reply.vectors.length / reply.dim;
            options.onProgress?.(done, texts.length);
            return false;
          }
          if (reply.kind !== 'done') return false;
          const vectors = new Float32Array(done * dim);
          for (const c of chunks) vectors.set(c.vectors, c.start * dim);
          resolve({ modelId, dim, vectors, count: done, truncated, cancelled: reply.cancelled });
          return true;
        },
      );
    });
  }

  /**
   * Embed image files with the vision tower (loaded on first use). Files are decoded, EXIF
   * rotated, downscaled and thumbnailed in the worker; a file that is not a readable image
   * (unsupported format, empty, truncated, too many pixels) gets an 'error' item with the reason
   * and the batch goes on.
   */
  async embedImages(
    files: readonly Blob[],
    options: EmbedImagesOptions = {},
  ): Promise<ImageEmbeddings> {
    const batchSize = checkRange('batchSize', options.batchSize ?? 8, 1, 64);
    const maxMegapixels = options.maxMegapixels ?? 100;
    if (!(maxMegapixels >= 1 && maxMegapixels <= 1000)) {
      throw new EmbedError(`maxMegapixels must be from 1 to 1000, got ${maxMegapixels}.`);
    }
    files.forEach((f, i) => {
      if (!(f instanceof Blob)) throw new EmbedError(`Image ${i + 1} is not a file.`);
    });
    const images: ImageInput[] = files.map((blob, i) => ({
      blob,
      name: blob instanceof File && blob.name ? blob.name : `image ${i + 1}`,
    }));
    const settings = this.current;
    const items: ImageItemResult[] = [];
    const chunks: Float32Array[] = [];
    let rows = 0;
    let modelId = settings.modelId;
    let dim = 0;
    return new Promise((resolve, reject) => {
      this.send(
        {
          id: this.nextId++,
          kind: 'embedImages',
          settings,
          images,
          batchSize,
          maxMegapixels,
        },
        options.signal,
        reject,
        (reply) => {
          if (reply.kind === 'image-batch') {
            modelId = reply.modelId;
            dim = reply.dim;
            chunks.push(reply.vectors);
            for (const item of reply.items) {
              const global: ImageItemResult =
                item.status === 'ok' ? { ...item, row: rows + item.row } : item;
              items.push(global);
              const vector =
                item.status === 'ok'
                  ? reply.vectors.subarray(item.row * dim, (item.row + 1) * dim)
                  : null;
              options.onItem?.(global, vector, items.length, files.length);
            }
            rows += reply.vectors.length / Math.max(1, reply.dim);
            return false;
          }
          if (reply.kind !== 'done') return false;
          const vectors = new Float32Array(rows * dim);
          let offset = 0;
          for (const c of chunks) {
            vectors.set(c, offset);
            offset += c.length;
          }
          resolve({ modelId, dim, vectors, items, cancelled: reply.cancelled });
          return true;
        },
      );
    });
  }

  /** Free the model's memory in the worker (the browser cache keeps the files). */
  unload(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.send({ id: this.nextId++, kind: 'unload' }, undefined, reject, (reply) => {
        if (reply.kind !== 'done') return false;
        this.emit({ type: 'unloaded' });
        resolve();
        return true;
      });
    });
  }

  /** Stop the worker; pending requests reject. A later request starts a fresh worker. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    const error = new EmbedError('The embedding worker was stopped.');
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.emit({ type: 'unloaded' });
  }

  private emit(event: EmbedClientEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<EmbedReply>) => this.dispatch(event.data);
    worker.onerror = (event: ErrorEvent) => {
      // A worker that fails to start (or throws outside a request) fails everything pending.
      event.preventDefault();
      const error = new EmbedError(
        `The embedding worker failed: ${event.message || 'unknown error'}`,
      );
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.worker?.terminate();
      this.worker = null;
    };
    this.worker = worker;
    return worker;
  }

  private dispatch(reply: EmbedReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return; // a reply to a request already given up on
    if (reply.kind === 'loading') this.emit({ type: 'loading', modelId: reply.modelId });
    if (reply.kind === 'load-progress')
      this.emit({ type: 'load-progress', progress: reply.progress });
    if (reply.kind === 'model') this.emit({ type: 'ready', info: reply.info });
    if (reply.kind === 'error') {
      this.pending.delete(reply.id);
      const cancelled = reply.name === 'EmbedCancelledError';
      if (reply.phase === 'load') {
        this.emit({
          type: 'load-error',
          modelId: this.current.modelId,
          message: cancelled ? new EmbedCancelledError().message : reply.message,
          cancelled,
        });
      }
      pending.reject(cancelled ? new EmbedCancelledError() : new EmbedError(reply.message));
      return;
    }
    pending.onReply(reply);
  }

  /**
   * Post `request`; `handle` sees every reply and returns true when the request is over.
   * An abort on `signal` posts a cancel message; the worker stops at the next safe point.
   */
  private send(
    request: EmbedRequest,
    signal: AbortSignal | undefined,
    reject: (error: Error) => void,
    handle: (reply: EmbedReply) => boolean,
  ): void {
    if (signal?.aborted && request.kind === 'load') {
      reject(new EmbedCancelledError());
      return;
    }
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      reject(new EmbedError(`Could not start the embedding worker: ${(e as Error).message}`));
      return;
    }
    const onAbort = () =>
      worker.postMessage({ id: this.nextId++, kind: 'cancel', target: request.id });
    const cleanup = () => signal?.removeEventListener('abort', onAbort);
    this.pending.set(request.id, {
      onReply: (reply) => {
        let finished = false;
        try {
          finished = handle(reply);
        } catch (e) {
          finished = true;
          reject(e as Error);
        }
        if (finished) {
          cleanup();
          this.pending.delete(request.id);
        }
      },
      reject: (error) => {
        cleanup();
        reject(error);
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage(request);
    if (signal?.aborted) onAbort();
  }
}

let shared: EmbedClient | null = null;

/** The page's one embed client; its worker starts at the first request. */
export function getEmbedClient(): EmbedClient {
  shared ??= new EmbedClient(
    () => new Worker(new URL('./embed.worker.ts', import.meta.url), { type: 'module' }),
  );
  return shared;
}
