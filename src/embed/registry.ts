/**
 * The CLIP models the app offers, as data: id, dimension, the dtypes each tower ships, and
 * download sizes, so the model panel can say what a download costs before it starts.
 *
 * Any other model id works too when its folder holds a CLIP model in the transformers.js layout
 * (config.json, preprocessor_config.json, tokenizer.json, onnx/text_model*.onnx,
 * onnx/vision_model*.onnx with outputs text_embeds / image_embeds); its sizes are then unknown
 * until the download reports them (see `describeModel`).
 */
import type { EmbedDtype, EmbedSettings, Tower } from './types.ts';

/** Download size in bytes of one tower's ONNX file, per dtype it ships. */
type TowerFiles = Readonly<Partial<Record<EmbedDtype, number>>>;

export interface ModelEntry {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Embedding dimension (projection_dim). */
  readonly dim: number;
  /** Side of the square the vision tower sees. */
  readonly imageSize: number;
  readonly towers: Readonly<Record<Tower, TowerFiles>>;
  /** Tokenizer and config files, downloaded with the text tower. */
  readonly sharedBytes: number;
  /**
   * Pad every text to the full 77 tokens. Needed by exports with a fixed-length text input
   * (MobileCLIP); plain CLIP gives the same vectors either way (causal mask, EOS pooling).
   */
  readonly padToMaxLength: boolean;
  /** Sizes are rounded from the model repository's file listing, not exact. */
  readonly sizesApproximate: boolean;
  /** Caveats a user should read before choosing it. */
  readonly note: string;
}

const MB = 1_000_000;

/**
 * Sizes: Xenova/clip-vit-base-patch32's onnx/ folder (text 63 M and vision 88 M parameters:
 * fp32 = 4 bytes/parameter, fp16 = 2, q8 ≈ 1), rounded to the megabyte.
 * MobileCLIP-S0 (Apple, 2024): text 42 M and image 11 M parameters, 256-px input.
 */
export const MODEL_REGISTRY: readonly ModelEntry[] = [
  {
    id: 'Xenova/clip-vit-base-patch32',
    label: 'CLIP ViT-B/32 (OpenAI)',
    description:
      'The reference CLIP model; its space is the one the bundled text embeddings live in.',
    dim: 512,
    imageSize: 224,
    towers: {
      text: { fp32: 254 * MB, fp16: 127 * MB, q8: 64 * MB },
      vision: { fp32: 352 * MB, fp16: 176 * MB, q8: 89 * MB },
    },
    sharedBytes: 3 * MB,
    padToMaxLength: false,
    sizesApproximate: true,
    note: '',
  },
  {
    id: 'Xenova/mobileclip_s0',
    label: 'MobileCLIP-S0 (Apple)',
    description: 'A lighter CLIP: a quarter of the download at q8, faster on phones and CPUs.',
    dim: 512,
    imageSize: 256,
    towers: {
      text: { fp32: 170 * MB, q8: 43 * MB },
      // Its quantized image tower loses too much accuracy; only fp32 is offered.
      vision: { fp32: 46 * MB },
    },
    sharedBytes: 3 * MB,
    padToMaxLength: true,
    sizesApproximate: true,
    note: 'A different embedding space from CLIP ViT-B/32: maps trained on one do not fit the other.',
  },
];

export const DEFAULT_MODEL_ID = 'Xenova/clip-vit-base-patch32';

/** Settings before the user changes anything: the default model from the Hugging Face Hub. */
export const DEFAULT_EMBED_SETTINGS: EmbedSettings = {
  modelId: DEFAULT_MODEL_ID,
  dtype: 'auto',
  device: 'auto',
  modelFolder: '',
};

/** The registry entry of `id`, or undefined for a model the registry does not know. */
export function findModel(id: string): ModelEntry | undefined {
  return MODEL_REGISTRY.find((m) => m.id === id);
}

/**
 * The dtype a tower of `entry` will load when `wanted` is asked for: `wanted` if the tower
 * ships it, else fp32 (every export ships fp32). Unknown models get `wanted` as is.
 */
export function towerDtype(
  entry: ModelEntry | undefined,
  tower: Tower,
  wanted: EmbedDtype,
): EmbedDtype {
  if (!entry) return wanted;
  return entry.towers[tower][wanted] !== undefined ? wanted : 'fp32';
}

/**
 * Bytes to download for `towers` at `dtype` (each tower falling back as `towerDtype` says),
 * or null for a model the registry does not know.
 */
export function downloadBytes(
  entry: ModelEntry | undefined,
  dtype: EmbedDtype,
  towers: readonly Tower[] = ['text', 'vision'],
): number | null {
  if (!entry) return null;
  let total = entry.sharedBytes;
  for (const t of towers) total += entry.towers[t][towerDtype(entry, t, dtype)] ?? 0;
  return total;
}

/** The dtypes offered by any tower of `entry` (all three for an unknown model). */
export function offeredDtypes(entry: ModelEntry | undefined): EmbedDtype[] {
  const all: EmbedDtype[] = ['fp32', 'fp16', 'q8'];
  if (!entry) return all;
  return all.filter(
    (d) => entry.towers.text[d] !== undefined || entry.towers.vision[d] !== undefined,
  );
}

/** Human size: '64 MB', '1.2 GB', '830 kB'. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}
