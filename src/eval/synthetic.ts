/**
 * Inputs the claim check makes up, seeded: blends of two of the person's own items (what "many
 * concepts at once" looks like in CLIP space) and random directions (inputs from nowhere, the
 * grossest out-of-distribution case).
 */
import { randomInt, randomNormal, type Rng } from '../util/random.ts';
import { MeasureError } from './errors.ts';

export interface Mixtures {
  /** count·d unit-length rows. */
  readonly rows: Float32Array;
  /** count·2 row ids: mixture r blends rows pairs[2r] and pairs[2r + 1] (always distinct). */
  readonly pairs: Uint32Array;
}

function checkCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) {
    throw new MeasureError(`${name} must be a whole number ≥ 0, got ${String(v)}`);
  }
}

function checkRows(data: Float32Array, n: number, d: number): void {
  checkCount('the row count', n);
  if (!Number.isSafeInteger(d) || d < 1) {
    throw new MeasureError(`the dimension must be a whole number ≥ 1, got ${String(d)}`);
  }
  if (data.length < n * d) {
    throw new MeasureError(`the data holds ${data.length} numbers, fewer than ${n}×${d}`);
  }
}

/** Scale row `r` of `out` (d wide) to unit length; false when it has no length. */
function normaliseRow(out: Float32Array, r: number, d: number): boolean {
  let s = 0;
  for (let t = r * d; t < (r + 1) * d; t++) s += out[t] * out[t];
  if (!(s > 1e-24) || !Number.isFinite(s)) return false;
  const inv = 1 / Math.sqrt(s);
  for (let t = r * d; t < (r + 1) * d; t++) out[t] *= inv;
  return true;
}

/**
 * `count` blends of two distinct random rows of `data` (n·d, unit-length rows): the mean of the
 * pair, scaled back to unit length, as CLIP users average embeddings to mix concepts.
 *
 * @throws MeasureError with fewer than two rows, or when every pair drawn for a blend was
 *   antipodal (their mean has no direction), which real embeddings never are.
 */
export function mixRows(
  data: Float32Array,
  n: number,
  d: number,
  count: number,
  rng: Rng,
): Mixtures {
  checkRows(data, n, d);
  checkCount('the mixture count', count);
  if (count > 0 && n < 2) throw new MeasureError(`mixtures need at least 2 items, got ${n}`);
  const rows = new Float32Array(count * d);
  const pairs = new Uint32Array(count * 2);
  for (let r = 0; r < count; r++) {
    let made = false;
    for (let attempt = 0; attempt < 16 && !made; attempt++) {
      const a = randomInt(rng, n);
      const b = (a + 1 + randomInt(rng, n - 1)) % n; // uniform over the other n − 1 rows
      for (let t = 0; t < d; t++) rows[r * d + t] = 0.5 * (data[a * d + t] + data[b * d + t]);
      pairs[2 * r] = a;
      pairs[2 * r + 1] = b;
      made = normaliseRow(rows, r, d);
    }
    if (!made) throw new MeasureError('could not blend two items: the rows drawn cancel out');
  }
  return { rows, pairs };
}

/** `count` random unit vectors of dimension d, uniform on the sphere (normalised Gaussians). */
export function randomUnitRows(count: number, d: number, rng: Rng): Float32Array {
  checkCount('the vector count', count);
  if (!Number.isSafeInteger(d) || d < 1) {
    throw new MeasureError(`the dimension must be a whole number ≥ 1, got ${String(d)}`);
  }
  const rows = new Float32Array(count * d);
  for (let r = 0; r < count; r++) {
    do {
      for (let t = 0; t < d; t++) rows[r * d + t] = randomNormal(rng);
    } while (!normaliseRow(rows, r, d));
  }
  return rows;
}
