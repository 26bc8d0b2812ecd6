/**
 * Noise on embeddings, matched to noise on SDRs: a noise level ε moves each unit-length row to
 * a random direction whose cosine with the original is exactly 1 − ε. Moving a fraction ε of an
 * SDR's active cells leaves exactly 1 − ε of them shared with the original, so dense and sparse
 * codes are compared at equal similarity to what they were.
 *
 * The push is Gaussian: a standard normal vector with its component along the row removed
 * (isotropic over the directions orthogonal to it), scaled to length tan(arccos(1 − ε)), added
 * to the row, and the sum re-normalised.
 */
import { randomNormal, type Rng } from '../util/random.ts';
import { MeasureError } from './errors.ts';

/** Check a noise level: a number from 0 to 1 (1 leaves nothing of the original direction). */
export function checkNoiseLevel(level: number): void {
  if (typeof level !== 'number' || !(level >= 0 && level <= 1)) {
    throw new MeasureError(`the noise level must be a number from 0 to 1, got ${String(level)}`);
  }
}

/**
 * Noisy copies of n unit-length rows (n·d): row i of the result is unit length with cosine
 * exactly 1 − level (to float precision) to row i of `data`. Level 0 copies the rows.
 *
 * @param level ε, from 0 to 1: the cosine similarity the row loses.
 * @throws MeasureError on a level outside [0, 1], a short array, or a zero row.
 */
export function addEmbeddingNoise(
  data: Float32Array,
  n: number,
  d: number,
  level: number,
  rng: Rng,
): Float32Array {
  checkNoiseLevel(level);
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(d) || d < 1) {
    throw new MeasureError(`expected a row count ≥ 0 and a dimension ≥ 1, got ${n} and ${d}`);
  }
  if (data.length < n * d) {
    throw new MeasureError(`the data holds ${data.length} numbers, fewer than ${n}×${d}`);
  }
  if (d === 1 && level > 0) {
    throw new MeasureError('one-dimensional rows have no other direction to move to');
  }
  const out = new Float32Array(n * d);
  const keep = 1 - level; // the cosine to keep
  const push = Math.sqrt(Math.max(0, 1 - keep * keep)); // the orthogonal share, sin θ
  const g = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let norm2 = 0;
    for (let t = 0; t < d; t++) norm2 += data[o + t] * data[o + t];
    if (!(norm2 > 0) || !Number.isFinite(norm2)) {
      throw new MeasureError(`row ${i} has zero length or non-finite values`);
    }
    const invNorm = 1 / Math.sqrt(norm2);
    if (level === 0) {
      for (let t = 0; t < d; t++) out[o + t] = data[o + t] * invNorm;
      continue;
    }
    // A Gaussian direction orthogonal to the row (redrawn in the measure-zero case it is parallel).
    let gNorm2 = 0;
    do {
      let along = 0;
      for (let t = 0; t < d; t++) {
        g[t] = randomNormal(rng);
        along += g[t] * data[o + t] * invNorm;
      }
      gNorm2 = 0;
      for (let t = 0; t < d; t++) {
        g[t] -= along * data[o + t] * invNorm;
        gNorm2 += g[t] * g[t];
      }
    } while (!(gNorm2 > 1e-18));
    const gScale = push / Math.sqrt(gNorm2);
    // keep·x̂ + sin θ·ĝ is unit length already (x̂ ⟂ ĝ): the same as normalising x + tan θ·ĝ.
    for (let t = 0; t < d; t++) out[o + t] = keep * data[o + t] * invNorm + gScale * g[t];
  }
  return out;
}
