/**
 * Shared value types of the CLIP embedding engine. They cross the worker boundary by structured
 * clone, so every field is plain data (numbers, strings, typed arrays, Blobs).
 */

/** Where the ONNX sessions run. 'cpu' is onnxruntime-node (Node only). */
type EmbedDevice = 'webgpu' | 'wasm' | 'cpu';

/** What the user asks for: 'auto' picks WebGPU when an adapter exists, else WASM. */
export type DevicePreference = 'auto' | EmbedDevice;

/** Weight precision of the ONNX files ('q8' = the `_quantized` int8 files). */
export type EmbedDtype = 'fp32' | 'fp16' | 'q8';

/** What the user asks for: 'auto' chooses from the device (see chooseDevice). */
export type DtypePreference = 'auto' | EmbedDtype;

/** The two halves of CLIP; each loads lazily on first use. */
export type Tower = 'text' | 'vision';

/** What the runtime offers, probed once. */
export interface DeviceProbe {
  /** `navigator.gpu` exists and `requestAdapter()` returned an adapter. */
  readonly webgpu: boolean;
  /** The adapter has the `shader-f16` feature (fp16 weights run natively). */
  readonly shaderF16: boolean;
  /** Adapter vendor/architecture/description when the browser tells it, else ''. */
  readonly adapterInfo: string;
  /** Running under Node (onnxruntime-node, device 'cpu'). */
  readonly node: boolean;
}

/** The device and dtype that will be (or were) used, and the reason in plain words. */
export interface DeviceChoice {
  readonly device: EmbedDevice;
  readonly dtype: EmbedDtype;
  readonly reason: string;
}

/** Download progress of one file of the model. */
export interface FileProgress {
  /** Path inside the model folder, e.g. 'onnx/text_model_quantized.onnx'. */
  readonly file: string;
  readonly loaded: number;
  /** 0 while the size is not yet known. */
  readonly total: number;
  readonly done: boolean;
}

/** One figure for the whole model load (bytes done of bytes known), with per-file detail. */
export interface LoadProgress {
  readonly modelId: string;
  readonly loaded: number;
  readonly total: number;
  readonly files: readonly FileProgress[];
}

/** Where model files come from and which model, dtype and device to use. */
export interface EmbedSettings {
  /** Model id: a registry id such as 'Xenova/clip-vit-base-patch32', or any folder name in
   * the model folder holding a CLIP model in the transformers.js layout. */
  readonly modelId: string;
  /** Default 'auto'. */
  readonly dtype: DtypePreference;
  /** Default 'auto'. */
  readonly device: DevicePreference;
  /**
   * Where model folders live. '' (default) = the Hugging Face Hub. A path ('/models/', or
   * in Node a directory) = self-hosted files at `<folder><modelId>/…`. An http(s) URL = a remote
   * host serving `<url><modelId>/…` (it must send CORS headers to the page).
   */
  readonly modelFolder: string;
}

/** What a loaded model is. */
export interface LoadedModelInfo {
  readonly modelId: string;
  /** Embedding dimension (projection_dim of config.json). */
  readonly dim: number;
  readonly choice: DeviceChoice;
  /** Towers ready right now. */
  readonly towers: readonly Tower[];
  /** CLIP's context length in tokens (77); longer texts are cut. */
  readonly maxTokens: number;
}

/** Text embeddings: one unit-length row per input text, in input order. */
export interface TextEmbeddings {
  readonly modelId: string;
  readonly dim: number;
  /** count·dim floats, rows of unit length. */
  readonly vectors: Float32Array;
  /** Rows embedded (= inputs, unless cancelled: then the first `count` inputs). */
  readonly count: number;
  /** Indices of inputs longer than the token limit, embedded from their first tokens only. */
  readonly truncated: readonly number[];
  /** True when the signal aborted before every input was embedded. */
  readonly cancelled: boolean;
}

/** Outcome of one image in a batch: embedded (with a thumbnail), or refused with a reason. */
export type ImageItemResult =
  | {
      readonly index: number;
      readonly name: string;
      readonly status: 'ok';
      /** Row of this image in the batch's `vectors`. */
      readonly row: number;
      /** Size of the image as displayed (EXIF orientation applied). */
      readonly width: number;
      readonly height: number;
      /** A small JPEG (longest side ≤ 96 px) for galleries; absent in Node. */
      readonly thumbnail?: Blob;
    }
  | {
      readonly index: number;
      readonly name: string;
      readonly status: 'error';
      /** One human sentence: why this file was refused. */
      readonly error: string;
    };

/** Image embeddings of a batch of files. */
export interface ImageEmbeddings {
  readonly modelId: string;
  readonly dim: number;
  /** (number of 'ok' items)·dim floats, unit-length rows; item.row says which row is whose. */
  readonly vectors: Float32Array;
  /** One entry per input that was reached, in input order (all of them unless cancelled). */
  readonly items: readonly ImageItemResult[];
  /** True when the signal aborted before every input was handled. */
  readonly cancelled: boolean;
}
