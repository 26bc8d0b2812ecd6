/**
 * One item's code under noise, for the robustness lab's picture: optionally push its embedding
 * to cosine 1 − ε_e and encode it again (noise that passes through the encoder), then move,
 * drop or flip a fraction ε of the resulting SDR's active cells. DOM-free.
 *
 * Seeds: the embedding noise draws from seed, the bit noise from seed + 1, so moving one slider
 * never re-rolls the other's noise.
 */
import { encodeRows, type EncodeTarget } from '../../../src/index.ts';
import {
  addEmbeddingNoise,
  MeasureError,
  gridSize,
  overlap,
  dropNoise,
  flipNoise,
  moveNoise,
  sdrFromSorted,
  type SDR,
  createRng,
  type Rng,
  type NoiseSettings,
} from '../../../src/index.ts';

export type BitNoise = 'move' | 'drop' | 'flip';

export const BIT_NOISES: readonly { id: BitNoise; label: string; hint: string }[] = [
  {
    id: 'move',
    label: 'Move',
    hint: 'a fraction of the active bits jump to random inactive cells',
  },
  { id: 'drop', label: 'Drop', hint: 'a fraction of the active bits switch off' },
  {
    id: 'flip',
    label: 'Flip',
    hint: 'every cell flips with probability level·K/m: as many flips as Move, anywhere on the grid',
  },
];

export interface CorruptSettings {
  readonly kind: BitNoise;
  /** Fraction ε of the active bits hit, 0 to 0.5 in the lab (the engine allows up to 1). */
  readonly level: number;
  /** Cosine the embedding loses before encoding, 0 to 0.5 (0: the embedding is untouched). */
  readonly embeddingLevel: number;
  /** Seed of both draws; any whole number. */
  readonly seed: number;
}

/** Flip probability per cell that makes ε·K flips on average on m cells (at most 1). */
export function flipProbability(level: number, k: number, m: number): number {
  if (!(m > 0)) throw new MeasureError(`the grid must have at least one cell, got ${m}`);
  return Math.min(1, (level * k) / m);
}

/** Bit noise of one kind at level ε on `sdr` (K is its width). */
export function corruptSdr(sdr: SDR, kind: BitNoise, level: number, rng: Rng): SDR {
  switch (kind) {
    case 'move':
      return moveNoise(sdr, level, rng);
    case 'drop':
      return dropNoise(sdr, level, rng);
    case 'flip':
      return flipNoise(sdr, flipProbability(level, sdr.active.length, gridSize(sdr.grid)), rng);
  }
}

export interface CorruptedItem {
  /** The corrupted SDR. */
  readonly sdr: SDR;
  /** Cells it shares with the clean SDR. */
  readonly overlap: number;
  /** The SDR the bit noise was applied to: the clean one, or that of the noisy embedding. */
  readonly reencoded: SDR;
}

/**
 * Corrupt one item: `row` is its unit-length embedding (d floats), `clean` its SDR on `target`
 * at K = `k`.
 */
export function corruptItem(
  target: EncodeTarget,
  row: Float32Array,
  clean: SDR,
  k: number,
  settings: CorruptSettings,
): CorruptedItem {
  const d = target.som.dim;
  if (row.length !== d) {
    throw new MeasureError(`the embedding has ${row.length} values, the map expects ${d}`);
  }
  let base = clean;
  if (settings.embeddingLevel > 0) {
    const noisy = addEmbeddingNoise(row, 1, d, settings.embeddingLevel, createRng(settings.seed));
    base = sdrFromSorted(target.som.grid, encodeRows(target, noisy, 1, k).active);
  }
  const sdr =
    settings.level > 0
      ? corruptSdr(base, settings.kind, settings.level, createRng(settings.seed + 1))
      : base;
  return { sdr, overlap: overlap(clean, sdr), reencoded: base };
}

/**
 * The lab's settings from the noise levels a share link carries (one bit-noise kind at a time:
 * the first of move, drop, flip with a level above 0, else `kind`), so a link reopens the lab
 * as it was left.
 */
export function settingsFromNoise(
  noise: NoiseSettings,
  kind: BitNoise,
  seed: number,
): CorruptSettings {
  const active = BIT_NOISES.find((b) => noise[b.id] > 0)?.id ?? kind;
  return { kind: active, level: noise[active], embeddingLevel: noise.embed, seed };
}

/** The noise levels a share link carries for the lab's settings (the other bit kinds at 0). */
export function noiseFromSettings(s: CorruptSettings): NoiseSettings {
  return {
    move: s.kind === 'move' ? s.level : 0,
    drop: s.kind === 'drop' ? s.level : 0,
    flip: s.kind === 'flip' ? s.level : 0,
    embed: s.embeddingLevel,
  };
}
