/**
 * A seeded mixture of Gaussian clusters on the unit sphere: the stand-in for CLIP embeddings in
 * tests and benchmarks (unit-length rows, a few dense clusters, the rest of the space empty).
 */
import { createRng, randomInt, randomNormal } from '../util/random.ts';

export interface SyntheticOptions {
  /** Number of rows; default 10,000, range 1 to 10,000,000. */
  readonly n?: number;
  /** Dimension; default 512, range 2 to 65,536. */
  readonly d?: number;
  /** Number of clusters; default 10, range 1 to n. */
  readonly clusters?: number;
  /**
   * Per-coordinate standard deviation of the within-cluster noise, before normalising; default
   * 0.55/√d, range 0 to 10. At the default a point's noise is about half its centre (cosine to
   * its own centre ≈ 0.88), so clusters are clear yet wide, like CLIP concepts, and a 32×32 map
   * of the default 10,000×512 set ends near quantisation error 0.48 (what somoclu reaches on such
   * a set): there is real fitting to do.
   */
  readonly spread?: number;
  /** Seed; default 1. */
  readonly seed?: number;
}

export interface SyntheticData {
  /** n·d unit-length rows. */
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  /** Cluster of each row (n). */
  readonly labels: Uint32Array;
  /** clusters·d unit-length centres. */
  readonly centres: Float32Array;
}

function normaliseRow(v: Float32Array, o: number, d: number): void {
  let s = 0;
  for (let k = 0; k < d; k++) s += v[o + k] * v[o + k];
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let k = 0; k < d; k++) v[o + k] *= inv;
}

/** n unit vectors: each is a random centre plus Gaussian noise, normalised. */
export function syntheticClusters(options: SyntheticOptions = {}): SyntheticData {
  const n = options.n ?? 10_000;
  const d = options.d ?? 512;
  const clusters = options.clusters ?? 10;
  const spread = options.spread ?? 0.55 / Math.sqrt(d);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    throw new RangeError(`n must be an integer from 1 to 10,000,000, got ${n}`);
  }
  if (!Number.isInteger(d) || d < 2 || d > 65_536) {
    throw new RangeError(`d must be an integer from 2 to 65,536, got ${d}`);
  }
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > n) {
    throw new RangeError(`clusters must be an integer from 1 to n (${n}), got ${clusters}`);
  }
  if (!Number.isFinite(spread) || spread < 0 || spread > 10) {
    throw new RangeError(`spread must be from 0 to 10, got ${spread}`);
  }
  const rng = createRng(seed);
  const centres = new Float32Array(clusters * d);
  for (let c = 0; c < clusters; c++) {
    for (let k = 0; k < d; k++) centres[c * d + k] = randomNormal(rng);
    normaliseRow(centres, c * d, d);
  }
  const data = new Float32Array(n * d);
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = randomInt(rng, clusters);
    labels[i] = c;
    const o = i * d;
    for (let k = 0; k < d; k++) data[o + k] = centres[c * d + k] + spread * randomNormal(rng);
    normaliseRow(data, o, d);
  }
  return { data, n, d, labels, centres };
}
