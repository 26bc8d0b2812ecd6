/**
 * The in-memory shape of a saved map (the `.sdrmap` file). The file codec lives in
 * `mapFile.ts`; this is the value every room passes around.
 */
import type { SomModel, TrainConfig } from '../som/types.ts';

/** Novelty calibration: sorted scores of in-distribution inputs, to turn a score into a percentile. */
export interface Calibration {
  /** K the SDR scores were computed with. */
  readonly k: number;
  /** Quantisation errors (distance to best unit) of calibration inputs, ascending. */
  readonly qe: Float32Array;
  /** Spatial dispersion of calibration SDRs, ascending. */
  readonly dispersion: Float32Array;
}

/** Items encoded on the map: labels, their SDRs and optionally embeddings and thumbnails. */
export interface MapItems {
  /** One label per item (n). */
  readonly labels: readonly string[];
  /** Active units per item. */
  readonly k: number;
  /** n·k unit indices; row i (sorted ascending) is item i's SDR. */
  readonly sdrs: Uint32Array;
  /** Optional n·d unit-length embeddings. */
  readonly embeddings?: Float32Array;
  /** Optional small JPEG/PNG/WebP thumbnails, one per item (null where none). */
  readonly thumbnails?: readonly (Uint8Array | null)[];
}

export interface SdrMap {
  /** Human name, 1 to 200 characters. */
  readonly name: string;
  /** ISO 8601 creation time. */
  readonly createdAt: string;
  /** Embedding model id the codebook lives in (e.g. 'Xenova/clip-vit-base-patch32'), or null. */
  readonly model: string | null;
  readonly som: SomModel;
  /** How it was trained, and on how many inputs. */
  readonly training: TrainConfig & { readonly inputs: number };
  /** Final figures on the training data. */
  readonly quality: { readonly quantizationError: number; readonly topographicError: number };
  readonly calibration: Calibration | null;
  /**
   * Mean of the (unit-length) training rows, d values; optional (maps saved before format 1.1
   * have none). Centred novelty scores and centred search subtract it.
   */
  readonly trainingMean?: Float32Array;
  /** Optional label per unit (m), e.g. the nearest vocabulary concept. */
  readonly unitLabels?: readonly string[];
  readonly items?: MapItems;
}
