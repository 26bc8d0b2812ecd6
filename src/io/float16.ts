/**
 * IEEE 754 binary16 (half precision) ↔ binary32 conversion.
 *
 * Maps and embeddings are stored as float16 to halve their size; CLIP embeddings often arrive as
 * float16 `.npy` files. Encoding rounds to nearest, ties to even (as numpy's `astype(float16)`
 * does), handles subnormals, overflows to ±Infinity past 65504 and keeps NaN a NaN.
 *
 * Layout of a half: sign (1 bit) · exponent (5 bits, bias 15) · fraction (10 bits).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Largest finite float16, 65504. */
export const FLOAT16_MAX = 65504;

/**
 * Half bits for the float32 with bit pattern `bits` (an unsigned 32-bit integer).
 * The single kernel behind every encoder here, so scalar and bulk paths agree bit for bit.
 */
function halfFromFloat32Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) {
    // Infinity stays Infinity; NaN keeps its top payload bits and is forced quiet (never Inf).
    return mant === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13);
  }
  const e = exp - 112; // re-biased exponent: exp - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00; // ≥ 2^16: beyond every half, even after rounding
  if (e <= 0) {
    // A half subnormal (or zero): with M the 24-bit significand, its fraction is M · 2^(e - 14).
    if (e < -10) return sign; // below 2^-25, half of the smallest subnormal: rounds to ±0
    const m = mant | 0x800000;
    const shift = 14 - e; // 14..24
    const half = 1 << (shift - 1);
    const rem = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rem > half || (rem === half && (h & 1) !== 0)) h++; // may carry into the smallest normal
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the fraction bumps the exponent, and out of 30 gives 0x7c00 = Infinity.
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) !== 0)) h++;
  return sign | h;
}

/**
 * The float16 bit pattern nearest to `x` (ties to even). `x` is first rounded to float32, so the
 * result is exact for every float32 input (all the data this app stores is float32).
 */
export function toFloat16Bits(x: number): number {
  f32[0] = x;
  return halfFromFloat32Bits(u32[0]);
}

/** The number a float16 bit pattern (0..65535) stands for. */
export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

let decodeTable: Float32Array | null = null;

/** All 65,536 halves decoded once (256 KB): bulk decoding becomes one lookup per value. */
function table(): Float32Array {
  if (decodeTable === null) {
    decodeTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) decodeTable[h] = fromFloat16Bits(h);
  }
  return decodeTable;
}

/** Encode a whole Float32Array to float16 bit patterns (round to nearest even). */
export function float32ToFloat16Array(src: Float32Array, out?: Uint16Array): Uint16Array {
  const dst = out ?? new Uint16Array(src.length);
  if (dst.length !== src.length) {
    throw new RangeError(`float16 output holds ${dst.length} values, input has ${src.length}`);
  }
  // A Float32Array's byteOffset is always a multiple of 4, so the same bytes read as Uint32.
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) dst[i] = halfFromFloat32Bits(bits[i]);
  return dst;
}

/** Decode float16 bit patterns to a Float32Array (exact: every half is a float32). */
export function float16ToFloat32Array(src: Uint16Array, out?: Float32Array): Float32Array {
  const dst = out ?? new Float32Array(src.length);
  if (dst.length !== src.length) {
    throw new RangeError(`float32 output holds ${dst.length} values, input has ${src.length}`);
  }
  const t = table();
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i]];
  return dst;
}

/** Round every value through float16 and back, in place (what saving as float16 does to data). */
export function roundTripFloat16(data: Float32Array): Float32Array {
  const t = table();
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0; i < bits.length; i++) data[i] = t[halfFromFloat32Bits(bits[i])];
  return data;
}
