/**
 * Values the lab views (robustness, claim check) ask for in their controls: the sample sizes
 * offered, and the seed field's rule.
 */

/** Sample sizes offered (items measured; the claim check makes as many blends and random vectors). */
export const SAMPLE_SIZES = [100, 200, 500, 1000] as const;

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 4294967295;

/** The seed typed in a seed field (fractions cut off), or null when it is not 0 to MAX_SEED. */
export function parseSeed(text: string): number | null {
  const v = Math.trunc(Number(text));
  return Number.isFinite(v) && v >= 0 && v <= MAX_SEED ? v : null;
}

/** How a sample-size option reads when the dataset has `available` items: "500", or "37 (all)". */
export function sampleSizeText(size: number, available?: number): string {
  if (available === undefined || size <= available) return String(size);
  return `${available} (all)`;
}
