/**
 * The typed message protocol between the page's embed client and the embed worker. Hand-rolled
 * postMessage with request ids (rather than comlink) because a request streams many replies
 * (download progress, one message per finished batch with a transferred Float32Array) and is
 * cancelled by id.
 */
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

export type EmbedRequest =
  | { readonly id: number; readonly kind: 'probe' }
  | {
      readonly id: number;
      readonly kind: 'load';
      readonly settings: EmbedSettings;
      readonly towers: readonly Tower[];
    }
  | {
      readonly id: number;
      readonly kind: 'embedTexts';
      readonly settings: EmbedSettings;
      readonly texts: readonly string[];
      readonly batchSize: number;
    }
  | {
      readonly id: number;
      readonly kind: 'embedImages';
      readonly settings: EmbedSettings;
      readonly images: readonly ImageInput[];
      readonly batchSize: number;
      readonly maxMegapixels: number;
    }
  | { readonly id: number; readonly kind: 'unload' }
  | { readonly id: number; readonly kind: 'cancel'; readonly target: number };

export type EmbedReply =
  | { readonly id: number; readonly kind: 'probe'; readonly probe: DeviceProbe }
  /** A tower started loading (sent during load and during embed calls that load lazily). */
  | { readonly id: number; readonly kind: 'loading'; readonly modelId: string }
  | { readonly id: number; readonly kind: 'load-progress'; readonly progress: LoadProgress }
  /** A tower finished loading (sent during load and during embed calls that load lazily). */
  | { readonly id: number; readonly kind: 'model'; readonly info: LoadedModelInfo }
  | {
      readonly id: number;
      readonly kind: 'text-batch';
      readonly modelId: string;
      readonly dim: number;
      /** Index of the first text of this batch. */
      readonly start: number;
      readonly vectors: Float32Array;
      /** Input indices (absolute) of the texts cut at the token limit. */
      readonly truncated: readonly number[];
    }
  | {
      readonly id: number;
      readonly kind: 'image-batch';
      readonly modelId: string;
      readonly dim: number;
      /** Items of this batch; 'ok' items' `row` counts within this batch's `vectors`. */
      readonly items: readonly ImageItemResult[];
      readonly vectors: Float32Array;
    }
  /** The request finished; `cancelled` when it stopped early on a cancel message. */
  | { readonly id: number; readonly kind: 'done'; readonly cancelled: boolean }
  | {
      readonly id: number;
      readonly kind: 'error';
      readonly name: string;
      readonly message: string;
      /** 'load' when the model could not be loaded, 'embed' when the work itself failed. */
      readonly phase: 'load' | 'embed';
    };
