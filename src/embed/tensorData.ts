/**
 * A model output's data as a fresh Float32Array, whatever precision the tensor holds: fp16
 * models may return a Float16Array, or raw half-precision bits in a Uint16Array where the
 * runtime lacks Float16Array.
 */
export function tensorToFloat32(data: ArrayLike<number | bigint>, type: string): Float32Array {
  if (type === 'float16' && data instanceof Uint16Array) {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = halfToFloat(data[i]);
    return out;
  }
  if (type !== 'float32' && type !== 'float16' && type !== 'float64') {
    throw new TypeError(`expected a floating-point tensor, got ${type}`);
  }
  return Float32Array.from(data as ArrayLike<number>);
}

/** IEEE 754 binary16 bits → number. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
