/**
 * The principal plane of a data set (its top two principal components), for the SOM's linear
 * initialisation (Kohonen 2001, §3.7; SOM Toolbox `som_lininit`).
 *
 * Block subspace iteration on the covariance C = X̃ᵀX̃/(s−1) (X̃ the centred rows) without forming
 * C or any n×n matrix: each round computes Z = X̃ᵀ(X̃Vᵀ) for a block V of p > 2 vectors and
 * re-orthonormalises it; a final Rayleigh–Ritz step on the p×p projected covariance picks the top
 * two directions. Extra vectors (p = 6) make the top two converge fast even when eigenvalues are
 * close (Golub & Van Loan, "Matrix Computations", §8.2.4; Halko, Martinsson & Tropp 2011).
 * At most `maxRows` rows (a seeded sample) enter the iteration: the plane of a few thousand
 * rows is as good as the plane of all of them for initialising a map, at a fraction of the cost.
 */
import { createRng, randomNormal, sampleWithoutReplacement } from '../util/random.ts';

export interface PrincipalPlane {
  /** d: the mean of all rows. */
  readonly mean: Float32Array;
  /** 2·d: PC1 then PC2, unit length and orthogonal (PC1 explains the most variance). */
  readonly components: Float32Array;
  /** Standard deviation of the data along PC1 and PC2. */
  readonly stddev: readonly [number, number];
}

export interface PcaOptions {
  /** Seed for the row sample and the start block; default 1. */
  readonly seed?: number;
  /** Most rows used by the iteration; default 2,048, range 2 to 10,000,000. */
  readonly maxRows?: number;
  /** Subspace-iteration rounds; default 10, range 1 to 1,000. */
  readonly iterations?: number;
}

/** Block size: the two wanted directions plus four guard vectors. */
const BLOCK = 6;

/** Orthonormalise the p rows of v (p·d) in place by modified Gram–Schmidt; refills dead rows. */
function orthonormalise(v: Float64Array, p: number, d: number, rng: () => number): void {
  for (let a = 0; a < p; a++) {
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let b = 0; b < a; b++) {
        let dot = 0;
        for (let k = 0; k < d; k++) dot += v[a * d + k] * v[b * d + k];
        for (let k = 0; k < d; k++) v[a * d + k] -= dot * v[b * d + k];
      }
      let norm = 0;
      for (let k = 0; k < d; k++) norm += v[a * d + k] * v[a * d + k];
      norm = Math.sqrt(norm);
      if (norm > 1e-12) {
        for (let k = 0; k < d; k++) v[a * d + k] /= norm;
        break;
      }
      // The data has no variance left in this direction: any orthogonal vector will do.
      for (let k = 0; k < d; k++) v[a * d + k] = randomNormal(rng);
    }
  }
}

/** Eigen-decomposition of a symmetric p×p matrix by cyclic Jacobi; returns eigenvalues, and
 * eigenvectors as the columns of `vecs` (p·p, row-major). */
function jacobiEigen(a: Float64Array, p: number): { values: Float64Array; vecs: Float64Array } {
  const m = Float64Array.from(a);
  const vecs = new Float64Array(p * p);
  for (let i = 0; i < p; i++) vecs[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) off += m[i * p + j] ** 2;
    if (off < 1e-30) break;
    for (let i = 0; i < p; i++) {
      for (let j = i + 1; j < p; j++) {
        const aij = m[i * p + j];
        if (Math.abs(aij) < 1e-300) continue;
        const theta = (m[j * p + j] - m[i * p + i]) / (2 * aij);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const mki = m[k * p + i];
          const mkj = m[k * p + j];
          m[k * p + i] = c * mki - s * mkj;
          m[k * p + j] = s * mki + c * mkj;
        }
        for (let k = 0; k < p; k++) {
          const mik = m[i * p + k];
          const mjk = m[j * p + k];
          m[i * p + k] = c * mik - s * mjk;
          m[j * p + k] = s * mik + c * mjk;
        }
        for (let k = 0; k < p; k++) {
          const vki = vecs[k * p + i];
          const vkj = vecs[k * p + j];
          vecs[k * p + i] = c * vki - s * vkj;
          vecs[k * p + j] = s * vki + c * vkj;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = m[i * p + i];
  return { values, vecs };
}

function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * One product with the (unscaled) covariance of the chosen rows, in a single pass over them:
 * y = X̃·Vᵀ (s×p) and z = X̃ᵀ·y (p·d). The centring is folded in (x̃ = x − μ, so
 * x̃·v = x·v − μ·v and Σ y·x̃ = Σ y·x − (Σ y)·μ) rather than copying the data. Everything is a
 * local or a parameter so the JIT keeps the inner loops tight.
 */
function multiplyCovariance(
  data: Float32Array,
  rows: Uint32Array,
  s: number,
  d: number,
  mean: Float64Array,
  v: Float64Array,
  p: number,
  y: Float64Array,
  z: Float64Array,
): void {
  const muV = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let dot = 0;
    for (let k = 0; k < d; k++) dot += mean[k] * v[a * d + k];
    muV[a] = dot;
  }
  const ySum = new Float64Array(p);
  z.fill(0);
  if (p === 6) {
    multiplyRows6(data, rows, s, d, v, muV, y, ySum, z);
  } else {
    for (let i = 0; i < s; i++) {
      const o = rows[i] * d;
      for (let a = 0; a < p; a++) {
        let dot = 0;
        const vo = a * d;
        for (let k = 0; k < d; k++) dot += data[o + k] * v[vo + k];
        const ya = dot - muV[a];
        y[i * p + a] = ya;
        ySum[a] += ya;
        for (let k = 0; k < d; k++) z[vo + k] += ya * data[o + k];
      }
    }
  }
  for (let a = 0; a < p; a++) {
    const c = ySum[a];
    for (let k = 0; k < d; k++) z[a * d + k] -= c * mean[k];
  }
}

/**
 * The same loop for the usual block of six vectors, with the six dot products (and then the six
 * updates) fused so each coordinate of the row is loaded once per pass rather than six times.
 */
function multiplyRows6(
  data: Float32Array,
  rows: Uint32Array,
  s: number,
  d: number,
  v: Float64Array,
  muV: Float64Array,
  y: Float64Array,
  ySum: Float64Array,
  z: Float64Array,
): void {
  const [o1, o2, o3, o4, o5] = [d, 2 * d, 3 * d, 4 * d, 5 * d];
  for (let i = 0; i < s; i++) {
    const o = rows[i] * d;
    let d0 = 0,
      d1 = 0,
      d2 = 0,
      d3 = 0,
      d4 = 0,
      d5 = 0;
    for (let k = 0; k < d; k++) {
      const x = data[o + k];
      d0 += x * v[k];
      d1 += x * v[o1 + k];
      d2 += x * v[o2 + k];
      d3 += x * v[o3 + k];
      d4 += x * v[o4 + k];
      d5 += x * v[o5 + k];
    }
    const y0 = d0 - muV[0];
    const y1 = d1 - muV[1];
    const y2 = d2 - muV[2];
    const y3 = d3 - muV[3];
    const y4 = d4 - muV[4];
    const y5 = d5 - muV[5];
    const yo = i * 6;
    y[yo] = y0;
    y[yo + 1] = y1;
    y[yo + 2] = y2;
    y[yo + 3] = y3;
    y[yo + 4] = y4;
    y[yo + 5] = y5;
    ySum[0] += y0;
    ySum[1] += y1;
    ySum[2] += y2;
    ySum[3] += y3;
    ySum[4] += y4;
    ySum[5] += y5;
    for (let k = 0; k < d; k++) {
      const x = data[o + k];
      z[k] += y0 * x;
      z[o1 + k] += y1 * x;
      z[o2 + k] += y2 * x;
      z[o3 + k] += y3 * x;
      z[o4 + k] += y4 * x;
      z[o5 + k] += y5 * x;
    }
  }
}

/** Mean, top-two principal directions and their standard deviations of n rows of d floats. */
export function principalPlane(
  data: Float32Array,
  n: number,
  d: number,
  options: PcaOptions = {},
): PrincipalPlane {
  const seed = options.seed ?? 1;
  const maxRows = options.maxRows ?? 2048;
  const iterations = options.iterations ?? 10;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`PCA needs at least one row, got ${n}`);
  if (!Number.isInteger(d) || d < 2) throw new RangeError(`PCA needs d ≥ 2, got ${d}`);
  if (data.length < n * d) throw new RangeError(`data holds ${data.length} floats, need ${n}×${d}`);
  if (!Number.isInteger(maxRows) || maxRows < 2 || maxRows > 10_000_000) {
    throw new RangeError(`maxRows must be an integer from 2 to 10,000,000, got ${maxRows}`);
  }
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) {
    throw new RangeError(`iterations must be an integer from 1 to 1,000, got ${iterations}`);
  }
  const rng = createRng(seed);
  const mean64 = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let k = 0; k < d; k++) mean64[k] += data[o + k];
  }
  for (let k = 0; k < d; k++) mean64[k] /= n;

  const rows = n > maxRows ? sampleWithoutReplacement(rng, n, maxRows).sort() : identity(n);
  const s = rows.length;
  const p = Math.min(BLOCK, d);

  const v = new Float64Array(p * d);
  for (let t = 0; t < v.length; t++) v[t] = randomNormal(rng);
  orthonormalise(v, p, d, rng);
  const y = new Float64Array(s * p);
  const z = new Float64Array(p * d);
  for (let it = 0; it < iterations; it++) {
    multiplyCovariance(data, rows, s, d, mean64, v, p, y, z);
    orthonormalise(z, p, d, rng);
    v.set(z);
  }
  // Rayleigh–Ritz: the covariance restricted to span(V) is B = (X̃Vᵀ)ᵀ(X̃Vᵀ)/(s−1).
  multiplyCovariance(data, rows, s, d, mean64, v, p, y, z);
  const b = new Float64Array(p * p);
  for (let i = 0; i < s; i++) {
    for (let a = 0; a < p; a++) {
      for (let c = 0; c < p; c++) b[a * p + c] += y[i * p + a] * y[i * p + c];
    }
  }
  const denom = Math.max(1, s - 1);
  for (let t = 0; t < b.length; t++) b[t] /= denom;
  const { values, vecs } = jacobiEigen(b, p);
  const order = Array.from({ length: p }, (_, i) => i).sort((i, j) => values[j] - values[i]);
  const components = new Float32Array(2 * d);
  const stddev: [number, number] = [0, 0];
  for (let r = 0; r < 2; r++) {
    const col = order[Math.min(r, p - 1)];
    stddev[r] = Math.sqrt(Math.max(0, values[col]));
    let biggest = 0;
    for (let k = 0; k < d; k++) {
      let x = 0;
      for (let a = 0; a < p; a++) x += vecs[a * p + col] * v[a * d + k];
      components[r * d + k] = x;
      if (Math.abs(x) > Math.abs(biggest)) biggest = x;
    }
    // Fix the sign (largest entry positive) so a direction is the same whatever the start block.
    if (biggest < 0) for (let k = 0; k < d; k++) components[r * d + k] *= -1;
  }
  return { mean: Float32Array.from(mean64), components, stddev };
}
