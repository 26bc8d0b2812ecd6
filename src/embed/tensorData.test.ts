import { describe, expect, it } from 'vitest';
import { halfToFloat, tensorToFloat32 } from './tensorData.ts';

describe('tensorToFloat32', () => {
  it('decodes raw half-precision bits', () => {
    // 1.0, -2.0, 0.5, 65504 (max half), smallest subnormal
    const bits = new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001]);
    expect(Array.from(tensorToFloat32(bits, 'float16'))).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
  });

  it('copies float32 data so the result never aliases the tensor', () => {
    const data = new Float32Array([1, 2]);
    const out = tensorToFloat32(data, 'float32');
    out[0] = 9;
    expect(data[0]).toBe(1);
  });

  it('refuses integer tensors', () => {
    expect(() => tensorToFloat32(new Int32Array(2), 'int32')).toThrow(/floating-point/);
  });

  it('maps the special half values', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});
