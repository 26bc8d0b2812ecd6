/**
 * The CLIP embedding engine: transformers.js's CLIPTextModelWithProjection and
 * CLIPVisionModelWithProjection behind one object that loads each tower lazily (with one
 * aggregated progress figure and cancellation), embeds texts and decoded images in batches, and
 * returns unit-length rows in a flat Float32Array.
 *
 * DOM-free: the same code runs in the page's embed worker (onnxruntime-web, WebGPU or WASM) and
 * in Node for the `sdr embed` command (onnxruntime-node). transformers.js keeps its settings in
 * one module-wide `env`, so one engine at a time owns a process or worker.
 */
import {
  AutoImageProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
  env,
  type ImageProcessor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type ProgressInfo,
  type Tensor,
} from '@huggingface/transformers';
import { chooseDevice } from './device.ts';
import { EmbedCancelledError, EmbedInputError, ModelLoadError } from './errors.ts';
import { modelSourceEnv, type ModelSourceEnv } from './modelSource.ts';
import { normalizeRows } from './normalize.ts';
import { LoadProgressTracker } from './progress.ts';
import { findModel, towerDtype, type ModelEntry } from './registry.ts';
import { tensorToFloat32 } from './tensorData.ts';
import type {
  DeviceChoice,
  DeviceProbe,
  EmbedSettings,
  LoadedModelInfo,
  LoadProgress,
  TextEmbeddings,
  Tower,
} from './types.ts';
import { errorMessage } from '../util/errorMessage.ts';

/** Decoded pixels, row-major, `channels` interleaved bytes per pixel (RGBA from a canvas). */
export interface PixelImage {
  readonly data: Uint8Array | Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
}

export interface ClipLoadOptions {
  /** Called whenever the aggregated download figure changes. */
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Abort to stop the download; load() then rejects with EmbedCancelledError. */
  readonly signal?: AbortSignal;
}

export interface ClipTextOptions extends ClipLoadOptions {
  /** Texts per model call. Default 32, range 1–256. */
  readonly batchSize?: number;
  /**
   * Called after each batch with its first input index, its unit-length rows and the absolute
   * indices of its truncated texts. The rows are also part of the final result.
   */
  readonly onBatch?: (start: number, vectors: Float32Array, truncated: readonly number[]) => void;
}

/** CLIP's context length; texts are cut to this many tokens (start and end tokens included). */
const CLIP_MAX_TOKENS = 77;

/**
 * The signal of the load in progress, so it can stop transformers.js downloads (which take no
 * signal of their own). Both towers may load at once under the same signal; it is dropped when
 * the last of them ends.
 */
let activeSignal: AbortSignal | undefined;
let activeLoads = 0;
let fetchInstalled = false;

function installAbortableFetch(): void {
  if (fetchInstalled) return;
  fetchInstalled = true;
  const base = env.fetch.bind(globalThis) as typeof env.fetch;
  env.fetch = (input, init) =>
    base(input, activeSignal ? { ...(init as object), signal: activeSignal } : init);
}

function applySource(source: ModelSourceEnv): void {
  env.allowLocalModels = source.allowLocalModels;
  env.allowRemoteModels = source.allowRemoteModels;
  env.localModelPath = source.localModelPath;
  env.remoteHost = source.remoteHost;
  env.remotePathTemplate = source.remotePathTemplate;
}

interface TextTower {
  readonly tokenizer: PreTrainedTokenizer;
  readonly model: PreTrainedModel;
}
interface VisionTower {
  readonly processor: ImageProcessor;
  readonly model: PreTrainedModel;
}

function checkBatchSize(batchSize: number, max: number): number {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > max) {
    throw new EmbedInputError(`batchSize must be an integer from 1 to ${max}, got ${batchSize}.`);
  }
  return batchSize;
}

export class ClipEmbedder {
  readonly settings: EmbedSettings;
  readonly choice: DeviceChoice;
  readonly entry: ModelEntry | undefined;
  private readonly source: ModelSourceEnv;
  private text: TextTower | null = null;
  private vision: VisionTower | null = null;
  private textLoading: Promise<TextTower> | null = null;
  private visionLoading: Promise<VisionTower> | null = null;
  private dimension = 0;
  /** The dimension came from an actual output, not just config.json. */
  private dimensionSeen = false;
  private readonly tracker: LoadProgressTracker;
  private disposed = false;

  /**
   * `base`: URL that relative model folders resolve against (the page's URL in a worker).
   * Throws EmbedInputError for a malformed model folder.
   */
  constructor(settings: EmbedSettings, probe: DeviceProbe, base?: string) {
    if (!settings.modelId.trim()) throw new EmbedInputError('The model id is empty.');
    this.settings = { ...settings, modelId: settings.modelId.trim() };
    this.entry = findModel(this.settings.modelId);
    this.choice = chooseDevice(probe, this.settings);
    this.source = modelSourceEnv(settings.modelFolder, base);
    this.tracker = new LoadProgressTracker(this.settings.modelId);
  }

  /** Where the files come from, in words ('the Hugging Face Hub', '/models/', a URL). */
  get sourceDescription(): string {
    return this.source.description;
  }

  /** What is loaded, or null before the first tower is. */
  get info(): LoadedModelInfo | null {
    const towers: Tower[] = [];
    if (this.text) towers.push('text');
    if (this.vision) towers.push('vision');
    if (towers.length === 0) return null;
    return {
      modelId: this.settings.modelId,
      dim: this.dimension,
      choice: this.choice,
      towers,
      maxTokens: this.maxTokens(),
    };
  }

  /** Side of the square the vision tower sees (its processor's crop), once vision is loaded. */
  get imageSize(): number {
    const crop = this.vision?.processor.crop_size as { height?: number } | number | undefined;
    if (typeof crop === 'number') return crop;
    if (crop && typeof crop.height === 'number') return crop.height;
    return this.entry?.imageSize ?? 224;
  }

  /**
   * The shortest image side the processor resizes to: decoding straight to this size saves
   * memory and time without changing the result.
   */
  get resizeShortestEdge(): number {
    const size = this.vision?.processor.size as
      { shortest_edge?: number; height?: number; width?: number } | number | undefined;
    if (typeof size === 'number') return size;
    if (size?.shortest_edge) return size.shortest_edge;
    if (size?.height && size.width) return Math.max(size.height, size.width);
    return this.imageSize;
  }

  isLoaded(tower: Tower): boolean {
    return tower === 'text' ? this.text !== null : this.vision !== null;
  }

  /** Load the given towers (those already loaded cost nothing). */
  async load(towers: readonly Tower[], options: ClipLoadOptions = {}): Promise<LoadedModelInfo> {
    if (this.disposed) throw new ModelLoadError('This model was unloaded; create a new engine.');
    const jobs: Promise<unknown>[] = [];
    if (towers.includes('text')) jobs.push(this.loadText(options));
    if (towers.includes('vision')) jobs.push(this.loadVision(options));
    await Promise.all(jobs);
    const info = this.info;
    if (!info) throw new ModelLoadError('No tower was asked for.');
    return info;
  }

  /**
   * Embed `texts` (loading the text tower if needed). Texts longer than the token limit are
   * cut to their first tokens and reported in `truncated`. When `signal` aborts, the batches
   * done so far come back with `cancelled: true`.
   */
  async embedTexts(
    texts: readonly string[],
    options: ClipTextOptions = {},
  ): Promise<TextEmbeddings> {
    const batchSize = checkBatchSize(options.batchSize ?? 32, 256);
    const { tokenizer, model } = await this.loadText(options);
    const maxTokens = this.maxTokens();
    const padding = this.entry?.padToMaxLength ? 'max_length' : true;
    const chunks: Float32Array[] = [];
    const truncated: number[] = [];
    let count = 0;
    let cancelled = false;
    for (let start = 0; start < texts.length; start += batchSize) {
      if (options.signal?.aborted) {
        cancelled = true;
        break;
      }
      const batch = texts.slice(start, start + batchSize);
      const batchTruncated: number[] = [];
      batch.forEach((t, i) => {
        // encode() adds the start and end tokens, as the model input does.
        if (tokenizer.encode(t).length > maxTokens) batchTruncated.push(start + i);
      });
      const inputs = tokenizer(batch, { padding, truncation: true, max_length: maxTokens });
      const output = (await model(inputs)) as { text_embeds?: Tensor };
      const vectors = this.rows(output.text_embeds, batch.length, 'text_embeds');
      chunks.push(vectors);
      truncated.push(...batchTruncated);
      count += batch.length;
      options.onBatch?.(start, vectors, batchTruncated);
    }
    const vectors = new Float32Array(count * this.dimension);
    let offset = 0;
    for (const c of chunks) {
      vectors.set(c, offset);
      offset += c.length;
    }
    return {
      modelId: this.settings.modelId,
      dim: this.dimension,
      vectors,
      count,
      truncated,
      cancelled,
    };
  }

  /**
   * Embed decoded images in one model call (loading the vision tower if needed): CLIP's
   * preprocessing (resize the shortest side, centre crop, normalise) then the vision tower.
   * Returns images.length·dim unit-length floats. Callers batch (the worker does, 8 a call).
   */
  async embedImages(
    images: readonly PixelImage[],
    options: ClipLoadOptions = {},
  ): Promise<Float32Array> {
    const { processor, model } = await this.loadVision(options);
    if (images.length === 0) return new Float32Array(0);
    const raw = images.map((img, i) => {
      if (
        !Number.isInteger(img.width) ||
        !Number.isInteger(img.height) ||
        img.width < 1 ||
        img.height < 1 ||
        img.data.length !== img.width * img.height * img.channels
      ) {
        throw new EmbedInputError(
          `Image ${i + 1} has ${img.data.length} bytes, not ${img.width}×${img.height}×${img.channels}.`,
        );
      }
      return img instanceof RawImage
        ? img
        : new RawImage(img.data, img.width, img.height, img.channels);
    });
    const { pixel_values } = (await processor(raw)) as { pixel_values: Tensor };
    const output = (await model({ pixel_values })) as { image_embeds?: Tensor };
    return this.rows(output.image_embeds, images.length, 'image_embeds');
  }

  /** Release the ONNX sessions. The engine cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const models = [this.text?.model, this.vision?.model];
    this.text = null;
    this.vision = null;
    await Promise.all(models.map((m) => m?.dispose()));
  }

  private maxTokens(): number {
    const fromTokenizer = Number(this.text?.tokenizer.model_max_length);
    // Some configs say 1e30 ("no limit"); CLIP's position table has 77 rows.
    return Number.isFinite(fromTokenizer) && fromTokenizer > 2
      ? Math.min(fromTokenizer, CLIP_MAX_TOKENS)
      : CLIP_MAX_TOKENS;
  }

  /** Check an output tensor's shape, learn the dimension from it, normalise its rows. */
  private rows(tensor: Tensor | undefined, n: number, name: string): Float32Array {
    if (!tensor) {
      throw new ModelLoadError(
        `The model "${this.settings.modelId}" returned no ${name}: is it a CLIP model with projection?`,
      );
    }
    const dims = tensor.dims;
    if (dims.length !== 2 || dims[0] !== n) {
      throw new ModelLoadError(`${name} has shape [${dims.join(', ')}], expected [${n}, dim].`);
    }
    if (!this.dimensionSeen) {
      this.dimension = dims[1];
      this.dimensionSeen = true;
    } else if (dims[1] !== this.dimension) {
      throw new ModelLoadError(
        `The text and image towers disagree on the dimension (${this.dimension} vs ${dims[1]}).`,
      );
    }
    return normalizeRows(tensorToFloat32(tensor.data, tensor.type), this.dimension);
  }

  private progressCallback(options: ClipLoadOptions): (info: ProgressInfo) => void {
    return (info) => {
      if (this.tracker.update(info as Parameters<LoadProgressTracker['update']>[0])) {
        options.onProgress?.(this.tracker.snapshot());
      }
    };
  }

  private modelOptions(tower: Tower, options: ClipLoadOptions) {
    return {
      device: this.choice.device,
      dtype: towerDtype(this.entry, tower, this.choice.dtype),
      progress_callback: this.progressCallback(options),
    } as const;
  }

  /** Run one tower's load with the source settings and the abortable fetch in place. */
  private async guarded<T>(
    tower: Tower,
    options: ClipLoadOptions,
    run: () => Promise<T>,
  ): Promise<T> {
    const signal = options.signal;
    if (signal?.aborted) throw new EmbedCancelledError();
    installAbortableFetch();
    applySource(this.source);
    activeSignal = signal;
    activeLoads++;
    try {
      const result = await run();
      if (signal?.aborted) throw new EmbedCancelledError();
      return result;
    } catch (e) {
      if (signal?.aborted || e instanceof EmbedCancelledError) throw new EmbedCancelledError();
      if (e instanceof EmbedInputError || e instanceof ModelLoadError) throw e;
      const message = errorMessage(e);
      // transformers.js reads a missing config as undefined and fails deep inside
      // ("Cannot read properties of undefined (reading 'tokenizer_class')"): say what is missing.
      if (
        /Cannot read properties of (undefined|null)|could not locate file|ENOENT/i.test(message)
      ) {
        throw new ModelLoadError(
          `Could not load the ${tower} tower of "${this.settings.modelId}" from ${this.source.description}: ` +
            `no model files there (expected config.json, tokenizer.json and onnx/… under ` +
            `${this.source.description}${this.settings.modelId}/); check the model folder and the model id.`,
        );
      }
      throw new ModelLoadError(
        `Could not load the ${tower} tower of "${this.settings.modelId}" from ${this.source.description}: ${message}`,
      );
    } finally {
      if (--activeLoads === 0) activeSignal = undefined;
    }
  }

  private loadText(options: ClipLoadOptions): Promise<TextTower> {
    if (this.text) return Promise.resolve(this.text);
    if (!this.textLoading) {
      const id = this.settings.modelId;
      this.textLoading = this.guarded('text', options, async () => {
        const progress_callback = this.progressCallback(options);
        const [tokenizer, model] = await Promise.all([
          AutoTokenizer.from_pretrained(id, { progress_callback }),
          CLIPTextModelWithProjection.from_pretrained(id, this.modelOptions('text', options)),
        ]);
        this.learnDimension(model);
        this.text = { tokenizer, model };
        return this.text;
      }).finally(() => {
        this.textLoading = null;
      });
    }
    return this.textLoading;
  }

  private loadVision(options: ClipLoadOptions): Promise<VisionTower> {
    if (this.vision) return Promise.resolve(this.vision);
    if (!this.visionLoading) {
      const id = this.settings.modelId;
      this.visionLoading = this.guarded('vision', options, async () => {
        const progress_callback = this.progressCallback(options);
        const [processor, model] = await Promise.all([
          AutoImageProcessor.from_pretrained(id, { progress_callback }),
          CLIPVisionModelWithProjection.from_pretrained(id, this.modelOptions('vision', options)),
        ]);
        this.learnDimension(model);
        this.vision = { processor, model };
        return this.vision;
      }).finally(() => {
        this.visionLoading = null;
      });
    }
    return this.visionLoading;
  }

  /** The dimension from config.json (projection_dim), checked again on the first output. */
  private learnDimension(model: PreTrainedModel): void {
    const config = model.config as {
      projection_dim?: number;
      text_config?: { projection_dim?: number };
    };
    const dim = config.projection_dim ?? config.text_config?.projection_dim ?? this.entry?.dim ?? 0;
    if (this.dimension === 0 && Number.isInteger(dim) && dim > 0) this.dimension = dim;
  }
}
