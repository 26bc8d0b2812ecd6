/**
 * The honest baseline for the map's SDRs: a random code with the same units (m) and K, made
 * without looking at the data. FlyHash-style (Dasgupta et al. 2017): a seeded sparse random
 * projection to m units, then winner-take-all, the top K. Each unit sums `fanIn` input
 * dimensions with random signs (signed, because CLIP coordinates are signed; all units get the
 * same fan-in, so their scores are on one scale). If the map's SDR does no better than this on a
 * claim, the claim is about sparse codes in general, not about the map.
 */
import { encodeBatch } from '../encode/encode.ts';
import { gridSize, type Grid } from '../grid/grid.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';

export interface RandomCode {
  readonly grid: Grid;
  readonly dim: number;
  /** Input dimensions each unit sums. */
  readonly fanIn: number;
  readonly seed: number;
  /** m·d weights, unit-major; each row holds fanIn entries of ±1/√fanIn, the rest 0. */
  readonly projection: Float32Array;
}

/**
 * A seeded random code on `grid` for d-dimensional input. `fanIn` defaults to ⌈d/10⌉ (51 of
 * CLIP's 512), range 1 to d; `seed` defaults to 1.
 */
export function randomCode(
  grid: Grid,
  dim: number,
  seed = 1,
  fanIn = Math.ceil(dim / 10),
): RandomCode {
  // prettier-ignore
  if (!Number.isSafeInteger(dim) || dim < 1) throw new RangeError(`dim must be a whole number ≥ 1, got ${dim}`); // prettier-ignore
  if (!Number.isSafeInteger(fanIn) || fanIn < 1 || fanIn > dim) {
    throw new RangeError(`fanIn must be a whole number from 1 to ${dim}, got ${fanIn}`);
  }
  const m = gridSize(grid);
  const rng = createRng(seed);
  const projection = new Float32Array(m * dim);
  const w = 1 / Math.sqrt(fanIn);
  for (let u = 0; u < m; u++) {
    for (const t of sampleWithoutReplacement(rng, dim, fanIn)) {
      projection[u * dim + t] = rng() < 0.5 ? -w : w;
    }
  }
  return { grid, dim, fanIn, seed, projection };
}

/** The random code's SDRs of n rows (n·d): n·k unit indices, each row ascending. */
export function encodeRandomCode(
  code: RandomCode,
  data: Float32Array,
  n: number,
  k: number,
): Uint32Array {
  // prettier-ignore
  // Every projection row has the same length, so top-K by cosine (what encodeBatch ranks by)
  // is top-K by projected value: winner-take-all.
  const model: SomModel = { grid: code.grid, dim: code.dim, codebook: code.projection };
  return encodeBatch(model, data, n, { k }).active;
}
