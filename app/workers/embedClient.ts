/**
 * The page's door to CLIP embedding. One lazily created module worker (app/workers/embed.worker.ts)
 * runs transformers.js behind the embed session (src/embed/session.ts), over comlink like the
 * other workers. This client numbers requests, hands the session its callbacks (Comlink.proxy:
 * model progress, transferred Float32Array batches), assembles the batches, and turns an
 * AbortSignal into the session's `cancel`.
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
import * as Comlink from 'comlink';
import {
  type EmbedCallback,
  type EmbedModelEvent,
  type EmbedSessionApi,
  type ImageInput,
  type DeviceProbe,
  type EmbedSettings,
  type ImageEmbeddings,
  type ImageItemResult,
  type LoadedModelInfo,
  type LoadProgress,
  type TextEmbeddings,
  type Tower,
  DEFAULT_EMBED_SETTINGS,
  EmbedCancelledError,
} from '../../src/embed/page.ts';

/** A model load stopped by its AbortSignal (the engine's class, re-exported). */
export { EmbedCancelledError };

export type { DeviceProbe, EmbedSettings, ImageEmbeddings, LoadedModelInfo, TextEmbeddings, Tower };

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

function checkRange(label: string, value: number, lo: number, hi: number): number {
  if (!Number.isInteger(value) || value < lo || value > hi) {
    throw new EmbedError(`${label} must be an integer from ${lo} to ${hi}, got ${value}.`);
  }
  return value;
}

interface Connection {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EmbedSessionApi>;
}

export class EmbedClient {
  private connection: Connection | null = null;
  private nextJob = 1;
  /** Rejecters of requests in flight (a dead or stopped worker fails them all). */
  private readonly inFlight = new Set<(error: Error) => void>();
  private readonly listeners = new Set<(event: EmbedClientEvent) => void>();
  private current: EmbedSettings = DEFAULT_EMBED_SETTINGS;
  private readonly createWorker: () => Worker;

  /** `createWorker` is called at the first request, and again after the worker died. */
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
    return this.call(undefined, (remote) => remote.probe());
  }

  /**
   * Load the model's towers now (default both), rather than at the first embedding call.
   * Rejects with EmbedCancelledError when `signal` aborts, EmbedError when files are missing.
   */
  async load(
    options: { towers?: readonly Tower[]; signal?: AbortSignal } = {},
  ): Promise<LoadedModelInfo> {
    const towers = options.towers ?? (['text', 'vision'] as const);
    const settings = this.current;
    if (options.signal?.aborted) throw new EmbedCancelledError();
    const info = await this.call(options.signal, (remote, job) =>
      remote.load(job, settings, towers, this.modelEvents(settings)),
    );
    if (!info) {
      const error = new EmbedCancelledError();
      this.emit({
        type: 'load-error',
        modelId: settings.modelId,
        message: error.message,
        cancelled: true,
      });
      throw error;
    }
    return info;
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
    const { cancelled } = await this.call(options.signal, (remote, job) =>
      remote.embedTexts(
        job,
        settings,
        [...texts],
        batchSize,
        this.modelEvents(settings),
        Comlink.proxy((batch) => {
          modelId = batch.modelId;
          dim = batch.dim;
          chunks.push({ start: batch.start, vectors: batch.vectors });
          truncated.push(...batch.truncated);
          done += batch.vectors.length / batch.dim;
          options.onProgress?.(done, texts.length);
        }),
      ),
    );
    const vectors = new Float32Array(done * dim);
    for (const c of chunks) vectors.set(c.vectors, c.start * dim);
    return { modelId, dim, vectors, count: done, truncated, cancelled };
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
    const { cancelled } = await this.call(options.signal, (remote, job) =>
      remote.embedImages(
        job,
        settings,
        images,
        batchSize,
        maxMegapixels,
        this.modelEvents(settings),
        Comlink.proxy((batch) => {
          modelId = batch.modelId;
          dim = batch.dim;
          chunks.push(batch.vectors);
          for (const item of batch.items) {
            const global: ImageItemResult =
              item.status === 'ok' ? { ...item, row: rows + item.row } : item;
            items.push(global);
            const vector =
              item.status === 'ok'
                ? batch.vectors.subarray(item.row * dim, (item.row + 1) * dim)
                : null;
            options.onItem?.(global, vector, items.length, files.length);
          }
          rows += batch.vectors.length / Math.max(1, batch.dim);
        }),
      ),
    );
    const vectors = new Float32Array(rows * dim);
    let offset = 0;
    for (const c of chunks) {
      vectors.set(c, offset);
      offset += c.length;
    }
    return { modelId, dim, vectors, items, cancelled };
  }

  /** Free the model's memory in the worker (the browser cache keeps the files). */
  async unload(): Promise<void> {
    await this.call(undefined, (remote, job) => remote.unload(job));
    this.emit({ type: 'unloaded' });
  }

  /** Stop the worker; pending requests reject. A later request starts a fresh worker. */
  dispose(): void {
    this.stop(new EmbedError('The embedding worker was stopped.'));
    this.emit({ type: 'unloaded' });
  }

  private emit(event: EmbedClientEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** The callback that turns the session's model events of a request into client events. */
  private modelEvents(settings: EmbedSettings): EmbedCallback<EmbedModelEvent> {
    return Comlink.proxy((event: EmbedModelEvent) => {
      switch (event.kind) {
        case 'loading':
          this.emit({ type: 'loading', modelId: event.modelId });
          return;
        case 'load-progress':
          this.emit({ type: 'load-progress', progress: event.progress });
          return;
        case 'model':
          this.emit({ type: 'ready', info: event.info });
          return;
        case 'load-failed': {
          const cancelled = event.name === 'EmbedCancelledError';
          this.emit({
            type: 'load-error',
            modelId: settings.modelId,
            message: cancelled ? new EmbedCancelledError().message : event.message,
            cancelled,
          });
        }
      }
    });
  }

  /** Terminate the worker and fail every request in flight with `error`. */
  private stop(error: Error): void {
    const connection = this.connection;
    this.connection = null;
    connection?.remote[Comlink.releaseProxy]();
    connection?.worker.terminate();
    for (const reject of [...this.inFlight]) reject(error);
    this.inFlight.clear();
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (e) {
      throw new EmbedError(`Could not start the embedding worker: ${(e as Error).message}`);
    }
    worker.addEventListener('error', (event: Event) => {
      // A worker that fails to start (or throws outside a request) fails everything pending.
      event.preventDefault();
      const message = (event as ErrorEvent).message;
      this.stop(new EmbedError(`The embedding worker failed: ${message || 'unknown error'}`));
    });
    this.connection = { worker, remote: Comlink.wrap<EmbedSessionApi>(worker) };
    return this.connection;
  }

  /**
   * Run one request under a fresh job number. An abort on `signal` calls the session's
   * `cancel`; the worker stops at the next safe point. The session's errors come back as
   * EmbedCancelledError (a cancelled load) or EmbedError with the worker's message.
   */
  private call<T>(
    signal: AbortSignal | undefined,
    request: (remote: Comlink.Remote<EmbedSessionApi>, job: number) => Promise<T>,
  ): Promise<T> {
    const job = this.nextJob++;
    return new Promise<T>((resolve, reject) => {
      let connection: Connection;
      try {
        connection = this.connect();
      } catch (e) {
        reject(e as Error);
        return;
      }
      const onAbort = () => void connection.remote.cancel(job).catch(() => undefined);
      const finish = () => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight.delete(fail);
      };
      const fail = (error: Error) => {
        finish();
        reject(error);
      };
      this.inFlight.add(fail);
      signal?.addEventListener('abort', onAbort, { once: true });
      request(connection.remote, job).then(
        (value) => {
          finish();
          resolve(value);
        },
        (e: unknown) => {
          const error = e instanceof Error ? e : new Error(String(e));
          fail(
            error.name === 'EmbedCancelledError'
              ? new EmbedCancelledError()
              : new EmbedError(error.message),
          );
        },
      );
      if (signal?.aborted) onAbort();
    });
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
