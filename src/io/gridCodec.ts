/**
 * Predictive coding of a SOM codebook on its grid, for share links (see mapLink.ts for the
 * measurements that chose it). Every weight is quantised to a multiple of one step,
 * q = round(w / step), and each unit's integers are coded as the residual from a prediction out
 * of its already-coded grid neighbours: LOCO-I's median edge detector (JPEG-LS), per dimension,
 * from the unit to the left (L), above (U) and above-left (UL):
 *
 *   pred = min(L, U) if UL ≥ max(L, U);  max(L, U) if UL ≤ min(L, U);  L + U − UL otherwise.
 *
 * A trained map is smooth, so residuals are small; they are zigzag-mapped to unsigned integers,
 * laid out dimension by dimension (all units' residuals of dimension 0, then dimension 1…) and
 * stored as byte planes (all low bytes, then all high bytes), which DEFLATE then packs: the high
 * planes are nearly all zero. Prediction runs on the integers, so decoding reproduces q exactly
 * and the decoded weight is the float32 nearest to q·step, the same on every machine.
 *
 * The first row predicts from the left only, the first column from above only, and unit 0 from
 * zero. A hex grid uses the same row-major neighbours (its odd rows shift by half a cell, which
 * leaves the unit above and to the left adjacent or nearly so).
 */

/** A codebook as link bytes: the step and the residual planes. */
export interface CodedGrid {
  /** The quantisation step (a float32 value). */
  readonly step: number;
  /** Bytes per residual: 2, or 4 when some residual needs more than 16 bits. */
  readonly width: 2 | 4;
  /** rows·cols·dim residuals of `width` bytes, byte-plane shuffled, dimension-major. */
  readonly residuals: Uint8Array;
}

/** The root-mean-square weight of a codebook: the scale a quantisation step is relative to. */
export function codebookScale(codebook: Float32Array): number {
  let s = 0;
  for (let i = 0; i < codebook.length; i++) s += codebook[i] * codebook[i];
  return codebook.length > 0 ? Math.sqrt(s / codebook.length) : 0;
}

/** The weights a decoder will see for `codebook` quantised at `step` (a float32 value > 0). */
export function quantiseCodebook(codebook: Float32Array, step: number): Float32Array {
  const out = new Float32Array(codebook.length);
  // + 0 turns −0 into +0: the decoder's integers have no sign of zero, and the map file's
  // checksum sees the sign bit.
  for (let i = 0; i < codebook.length; i++) out[i] = (Math.round(codebook[i] / step) + 0) * step;
  return out;
}

function predict(q: Int32Array, u: number, r: number, c: number, cols: number, d: number): number {
  if (c > 0) {
    const left = q[u - d];
    if (r === 0) return left;
    const up = q[u - cols * d];
    const upLeft = q[u - cols * d - d];
    const lo = left < up ? left : up;
    const hi = left < up ? up : left;
    if (upLeft >= hi) return lo;
    if (upLeft <= lo) return hi;
    return left + up - upLeft;
  }
  return r > 0 ? q[u - cols * d] : 0;
}

/**
 * Code `codebook` (rows·cols units of `dim` weights, unit-major) at `step`. Throws RangeError for
 * a step that is not a positive finite float32, or weights so large against it that an integer
 * would pass 2^30 (never for a step relative to the codebook's own scale).
 */
export function encodeGridCodebook(
  codebook: Float32Array,
  rows: number,
  cols: number,
  dim: number,
  step: number,
): CodedGrid {
  if (!(step > 0) || !Number.isFinite(step) || Math.fround(step) !== step) {
    throw new RangeError(`the quantisation step must be a positive float32, got ${step}`);
  }
  const m = rows * cols;
  const q = new Int32Array(m * dim);
  for (let i = 0; i < q.length; i++) {
    const v = Math.round(codebook[i] / step);
    if (!(Math.abs(v) < 2 ** 30)) {
      throw new RangeError(`weight ${codebook[i]} is out of range for step ${step}`);
    }
    q[i] = v;
  }
  const zig = new Uint32Array(m * dim);
  let max = 0;
  for (let r = 0, u = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, u++) {
      const base = u * dim;
      for (let k = 0; k < dim; k++) {
        const res = q[base + k] - predict(q, base + k, r, c, cols, dim);
        const z = res >= 0 ? 2 * res : -2 * res - 1;
        zig[k * m + u] = z;
        if (z > max) max = z;
      }
    }
  }
  const width = max < 65536 ? 2 : 4;
  const n = zig.length;
  const residuals = new Uint8Array(n * width);
  for (let b = 0; b < width; b++) {
    const plane = b * n;
    const shift = 8 * b;
    for (let i = 0; i < n; i++) residuals[plane + i] = (zig[i] >>> shift) & 255;
  }
  return { step, width, residuals };
}

/**
 * The codebook back from its residual planes: rows·cols·dim float32 weights, unit-major.
 * `residuals` must hold exactly rows·cols·dim·width bytes (the caller checks sizes against the
 * link before allocating). Any bytes decode to some codebook; the map file's checksum says
 * whether it is the one that was sent.
 */
export function decodeGridCodebook(
  residuals: Uint8Array,
  rows: number,
  cols: number,
  dim: number,
  step: number,
  width: 2 | 4,
): Float32Array {
  const m = rows * cols;
  const n = m * dim;
  if (residuals.length !== n * width) {
    throw new RangeError(`expected ${n * width} residual bytes, got ${residuals.length}`);
  }
  const q = new Int32Array(n);
  const out = new Float32Array(n);
  for (let r = 0, u = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, u++) {
      const base = u * dim;
      for (let k = 0; k < dim; k++) {
        const at = k * m + u;
        let z = residuals[at] | (residuals[n + at] << 8);
        if (width === 4)
          z = (z | (residuals[2 * n + at] << 16) | (residuals[3 * n + at] << 24)) >>> 0;
        const res = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
        // |= 0 keeps hostile residuals inside int32, as the encoder's integers always are.
        const v = (res + predict(q, base + k, r, c, cols, dim)) | 0;
        q[base + k] = v;
        out[base + k] = v * step;
      }
    }
  }
  return out;
}
