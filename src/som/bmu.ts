/**
 * Plain-JS best-matching-unit kernels over flat row-major Float32Arrays.
 *
 * Why a score and not a distance: for an input x and a unit weight w,
 *   ‖x − w‖² = ‖x‖² − 2·(x·w − ½‖w‖²),
 * and ‖x‖² is the same for every unit, so the Euclidean best-matching unit is
 *   argmax_j  x·w_j − ½‖w_j‖²,
 * one matrix product (n×d)·(d×m) plus a per-unit bias. The distance itself comes back for free:
 * ‖x − w_best‖ = sqrt(‖x‖² − 2·score_best). CLIP inputs are unit length (compared by angle), so
 * ‖x‖² = 1, but nothing here relies on it.
 *
 * The product is cache-blocked (a block of rows against a block of units, so both stay in L1/L2)
 * with 4×4 register tiles: 8 loads feed 16 multiply-adds, which is what lets a scalar JIT keep up.
 */

/** Best and second-best unit per input row. */
export interface BestTwo {
  /** Index of the best unit per row (n). */
  readonly best: Uint32Array;
  /** Index of the second-best unit per row (n); equals `best` when there is only one unit. */
  readonly second: Uint32Array;
  /** Score a·w_best + bias_best per row (n). */
  readonly bestScore: Float32Array;
}

/** A BestTwo with room for n rows. */
export function allocBestTwo(n: number): BestTwo {
  return { best: new Uint32Array(n), second: new Uint32Array(n), bestScore: new Float32Array(n) };
}

/** Rows per cache block: 64 rows of 512 floats = 128 KiB. */
const ROW_BLOCK = 64;
/** Units per cache block, chosen so a unit block of d floats stays near 256 KiB. */
function unitBlock(d: number): number {
  return Math.max(4, Math.min(256, (Math.floor(65536 / Math.max(1, d)) >> 2) << 2));
}

/** Reusable scratch for the kernels, so a training loop allocates nothing per epoch. */
export interface KernelScratch {
  bestVal: Float64Array;
  secondVal: Float64Array;
  bestIdx: Int32Array;
  secondIdx: Int32Array;
  /** The 4×4 tile of dot products just computed. */
  tile: Float64Array;
}

export function createKernelScratch(): KernelScratch {
  return {
    bestVal: new Float64Array(ROW_BLOCK),
    secondVal: new Float64Array(ROW_BLOCK),
    bestIdx: new Int32Array(ROW_BLOCK),
    secondIdx: new Int32Array(ROW_BLOCK),
    tile: new Float64Array(16),
  };
}

/** −½‖w_j‖² for every unit: the bias that turns a dot product into the Euclidean BMU score. */
export function halfNormBias(codebook: Float32Array, m: number, d: number): Float32Array {
  const bias = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    const o = j * d;
    for (let k = 0; k < d; k++) s += codebook[o + k] * codebook[o + k];
    bias[j] = -0.5 * s;
  }
  return bias;
}

function checkShapes(a: Float32Array, n: number, b: Float32Array, m: number, d: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`row count must be ≥ 0, got ${n}`);
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`unit count must be ≥ 1, got ${m}`);
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`dimension must be ≥ 1, got ${d}`);
  if (a.length < n * d) throw new RangeError(`input holds ${a.length} floats, need ${n}×${d}`);
  if (b.length < m * d) throw new RangeError(`codebook holds ${b.length} floats, need ${m}×${d}`);
}

/**
 * The 4×4 register tile: tile[4·r + c] = a_{row r}·b_{unit c} over d, where the four rows start
 * at offsets ao0..ao3 of `a` and the four units at bo0..bo3 of `b`. Eight loads feed sixteen
 * multiply-adds per step, which is what lets a scalar JIT get near its peak.
 */
function dotTile4x4(
  a: Float32Array,
  ao0: number,
  ao1: number,
  ao2: number,
  ao3: number,
  b: Float32Array,
  bo0: number,
  bo1: number,
  bo2: number,
  bo3: number,
  d: number,
  tile: Float64Array,
): void {
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0;
  let s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0;
  let s20 = 0,
    s21 = 0,
    s22 = 0,
    s23 = 0;
  let s30 = 0,
    s31 = 0,
    s32 = 0,
    s33 = 0;
  for (let k = 0; k < d; k++) {
    const a0 = a[ao0 + k];
    const a1 = a[ao1 + k];
    const a2 = a[ao2 + k];
    const a3 = a[ao3 + k];
    const b0 = b[bo0 + k];
    const b1 = b[bo1 + k];
    const b2 = b[bo2 + k];
    const b3 = b[bo3 + k];
    s00 += a0 * b0;
    s01 += a0 * b1;
    s02 += a0 * b2;
    s03 += a0 * b3;
    s10 += a1 * b0;
    s11 += a1 * b1;
    s12 += a1 * b2;
    s13 += a1 * b3;
    s20 += a2 * b0;
    s21 += a2 * b1;
    s22 += a2 * b2;
    s23 += a2 * b3;
    s30 += a3 * b0;
    s31 += a3 * b1;
    s32 += a3 * b2;
    s33 += a3 * b3;
  }
  tile[0] = s00;
  tile[1] = s01;
  tile[2] = s02;
  tile[3] = s03;
  tile[4] = s10;
  tile[5] = s11;
  tile[6] = s12;
  tile[7] = s13;
  tile[8] = s20;
  tile[9] = s21;
  tile[10] = s22;
  tile[11] = s23;
  tile[12] = s30;
  tile[13] = s31;
  tile[14] = s32;
  tile[15] = s33;
}

/**
 * Walk A·Bᵀ in cache blocks and 4×4 tiles, handing each finished tile to `visit(i, j, ni, nj)`
 * with its values in `tile`. Units are visited in ascending order for every row, which is what
 * makes "ties go to the lower index" hold for the best-two scan. Rows/units past the end of a
 * block are computed as copies of the last one and not reported (ni, nj < 4).
 */
function forEachTile(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  d: number,
  tile: Float64Array,
  startRowBlock: (r0: number, r1: number) => void,
  visit: (i: number, j: number, ni: number, nj: number) => void,
  endRowBlock: (r0: number, r1: number) => void,
): void {
  const ub = unitBlock(d);
  for (let r0 = 0; r0 < n; r0 += ROW_BLOCK) {
    const r1 = Math.min(n, r0 + ROW_BLOCK);
    startRowBlock(r0, r1);
    for (let u0 = 0; u0 < m; u0 += ub) {
      const u1 = Math.min(m, u0 + ub);
      for (let i = r0; i < r1; i += 4) {
        const last = r1 - 1;
        const ao0 = i * d;
        const ao1 = Math.min(i + 1, last) * d;
        const ao2 = Math.min(i + 2, last) * d;
        const ao3 = Math.min(i + 3, last) * d;
        const ni = Math.min(4, r1 - i);
        for (let j = u0; j < u1; j += 4) {
          const lastU = u1 - 1;
          dotTile4x4(
            a,
            ao0,
            ao1,
            ao2,
            ao3,
            b,
            j * d,
            Math.min(j + 1, lastU) * d,
            Math.min(j + 2, lastU) * d,
            Math.min(j + 3, lastU) * d,
            d,
            tile,
          );
          visit(i, j, ni, Math.min(4, u1 - j));
        }
      }
    }
    endRowBlock(r0, r1);
  }
}

/**
 * For rows i < n of `a` (n·d): the best and second-best unit j < m of `b` (m·d) by
 * a_i·b_j + bias_j. Ties go to the lower unit index (the same rule ONNX TopK follows).
 */
export function bestTwoJs(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  d: number,
  bias: Float32Array,
  out: BestTwo,
  scratch: KernelScratch = createKernelScratch(),
): void {
  checkShapes(a, n, b, m, d);
  if (bias.length < m) throw new RangeError(`bias holds ${bias.length} floats, need ${m}`);
  if (out.best.length < n) {
    throw new RangeError(`output has room for ${out.best.length} rows, need ${n}`);
  }
  const { bestVal, secondVal, bestIdx, secondIdx, tile } = scratch;
  forEachTile(
    a,
    n,
    b,
    m,
    d,
    tile,
    () => {
      bestVal.fill(-Infinity);
      secondVal.fill(-Infinity);
      bestIdx.fill(0);
      secondIdx.fill(0);
    },
    (i, j, ni, nj) => {
      for (let ti = 0; ti < ni; ti++) {
        const slot = (i & (ROW_BLOCK - 1)) + ti;
        let bv = bestVal[slot];
        let sv = secondVal[slot];
        let bi = bestIdx[slot];
        let si = secondIdx[slot];
        for (let tj = 0; tj < nj; tj++) {
          // Round to float32 so this kernel and ONNX (float32 throughout) rank alike.
          const v = Math.fround(Math.fround(tile[ti * 4 + tj]) + bias[j + tj]);
          if (v > bv) {
            sv = bv;
            si = bi;
            bv = v;
            bi = j + tj;
          } else if (v > sv) {
            sv = v;
            si = j + tj;
          }
        }
        bestVal[slot] = bv;
        secondVal[slot] = sv;
        bestIdx[slot] = bi;
        secondIdx[slot] = si;
      }
    },
    (r0, r1) => {
      for (let i = r0; i < r1; i++) {
        const slot = i - r0;
        out.best[i] = bestIdx[slot];
        out.second[i] = m > 1 ? secondIdx[slot] : bestIdx[slot];
        out.bestScore[i] = bestVal[slot];
      }
    },
  );
}

/**
 * out[i·m + j] = a_i·b_j for rows i < n of `a` (n·d) and units j < m of `b` (m·d): the product
 * A·Bᵀ with both operands row-major, same blocking as {@link bestTwoJs}.
 */
export function scoresJs(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  d: number,
  out: Float32Array,
  scratch: KernelScratch = createKernelScratch(),
): void {
  checkShapes(a, n, b, m, d);
  if (out.length < n * m) throw new RangeError(`output holds ${out.length} floats, need ${n}×${m}`);
  const { tile } = scratch;
  const none = () => {};
  forEachTile(
    a,
    n,
    b,
    m,
    d,
    tile,
    none,
    (i, j, ni, nj) => {
      for (let ti = 0; ti < ni; ti++) {
        const o = (i + ti) * m + j;
        for (let tj = 0; tj < nj; tj++) out[o + tj] = tile[ti * 4 + tj];
      }
    },
    none,
  );
}
