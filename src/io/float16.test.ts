import { describe, expect, it } from 'vitest';
import {
  FLOAT16_MAX,
  float16ToFloat32Array,
  float32ToFloat16Array,
  fromFloat16Bits,
  roundTripFloat16,
  toFloat16Bits,
} from './float16.ts';
import { createRng, randomNormal } from '../util/random.ts';

/** Every finite half value in increasing order of magnitude (positive only), as numbers. */
function positiveFiniteHalves(): number[] {
  const out: number[] = [];
  for (let h = 0; h < 0x7c00; h++) out.push(fromFloat16Bits(h));
  return out;
}

describe('fromFloat16Bits', () => {
  it('decodes the landmark values', () => {
    expect(fromFloat16Bits(0x0000)).toBe(0);
    expect(Object.is(fromFloat16Bits(0x8000), -0)).toBe(true);
    expect(fromFloat16Bits(0x3c00)).toBe(1);
    expect(fromFloat16Bits(0xc000)).toBe(-2);
    expect(fromFloat16Bits(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(fromFloat16Bits(0x7bff)).toBe(FLOAT16_MAX);
    expect(fromFloat16Bits(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(fromFloat16Bits(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(fromFloat16Bits(0x0400)).toBe(2 ** -14); // smallest normal
    expect(fromFloat16Bits(0x7c00)).toBe(Infinity);
    expect(fromFloat16Bits(0xfc00)).toBe(-Infinity);
    expect(fromFloat16Bits(0x7e00)).toBeNaN();
    expect(fromFloat16Bits(0x7c01)).toBeNaN();
  });

  it('is strictly increasing over the positive finite halves', () => {
    const v = positiveFiniteHalves();
    const bad: number[] = [];
    for (let i = 1; i < v.length; i++) if (!(v[i] > v[i - 1])) bad.push(i);
    expect(bad).toEqual([]);
  });
});

describe('toFloat16Bits', () => {
  it('round-trips every one of the 65,536 bit patterns (NaNs stay NaN)', () => {
    const bad: number[] = [];
    for (let h = 0; h < 65536; h++) {
      const x = fromFloat16Bits(h);
      const back = toFloat16Bits(x);
      const ok = Number.isNaN(x) ? Number.isNaN(fromFloat16Bits(back)) : back === h;
      if (!ok) bad.push(h);
    }
    expect(bad).toEqual([]);
  });

  it('rounds to nearest, ties to even, between every pair of adjacent halves', () => {
    const v = positiveFiniteHalves();
    const bad: string[] = [];
    for (let h = 0; h + 1 < v.length; h++) {
      const lo = v[h];
      const hi = v[h + 1];
      const mid = (lo + hi) / 2; // exact in float32: halves have ≤ 11 significant bits
      const even = h % 2 === 0 ? h : h + 1;
      // Just either side of the midpoint (well above float32 resolution) goes to the nearer one.
      const below = mid - (mid - lo) / 1024;
      const above = mid + (hi - mid) / 1024;
      if (toFloat16Bits(mid) !== even) bad.push(`mid ${h}`);
      if (toFloat16Bits(-mid) !== (even | 0x8000)) bad.push(`-mid ${h}`);
      if (toFloat16Bits(below) !== h) bad.push(`below ${h}`);
      if (toFloat16Bits(above) !== h + 1) bad.push(`above ${h}`);
    }
    expect(bad).toEqual([]);
  });

  it('handles subnormals, underflow, overflow and signed zero', () => {
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -25)).toBe(0x0000); // tie with 0: even wins
    expect(toFloat16Bits(2 ** -25 * 1.0001)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(toFloat16Bits(1e-30)).toBe(0x0000);
    expect(toFloat16Bits(-1e-30)).toBe(0x8000);
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(3 * 2 ** -25)).toBe(0x0002); // 1.5 ulp ties to even (2)
    expect(toFloat16Bits(2 ** -14 - 2 ** -26)).toBe(0x0400); // rounds up into the normals
    expect(toFloat16Bits(65519.99)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // tie between 65504 and 65536 (=Inf): even is Inf
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(-1e6)).toBe(0xfc00);
    expect(toFloat16Bits(Infinity)).toBe(0x7c00);
    expect(toFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN)))).toBe(true);
  });

  it('keeps the relative error within half an ulp (2^-11) for normal values', () => {
    const rng = createRng(7);
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = Math.fround(randomNormal(rng) * 10 ** (4 * rng() - 3));
      if (Math.abs(x) < 2 ** -14 || Math.abs(x) > FLOAT16_MAX) continue;
      const y = fromFloat16Bits(toFloat16Bits(x));
      worst = Math.max(worst, Math.abs(y - x) / Math.abs(x));
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(2 ** -11);
  });
});

describe('bulk conversion', () => {
  it('agrees with the scalar functions, including views at an offset', () => {
    const rng = createRng(3);
    const buf = new Float32Array(1001);
    for (let i = 0; i < buf.length; i++) buf[i] = randomNormal(rng) * 100;
    buf[5] = NaN;
    buf[6] = Infinity;
    buf[7] = 1e-7;
    const view = buf.subarray(1); // byteOffset 4
    const halves = float32ToFloat16Array(view);
    expect(Array.from(halves)).toEqual(Array.from(view, toFloat16Bits));
    const back = float16ToFloat32Array(halves);
    expect(Array.from(back)).toEqual(Array.from(halves, (h) => Math.fround(fromFloat16Bits(h))));
  });

  it('roundTripFloat16 equals encode then decode, in place', () => {
    const data = Float32Array.from([0.1, -3.14159, 70000, 1e-8, 0.7071]);
    const want = float16ToFloat32Array(float32ToFloat16Array(data));
    expect(roundTripFloat16(data)).toBe(data);
    expect(Array.from(data)).toEqual(Array.from(want));
  });

  it('refuses an output of the wrong length', () => {
    expect(() => float32ToFloat16Array(new Float32Array(3), new Uint16Array(2))).toThrow(
      /holds 2 values, input has 3/,
    );
    expect(() => float16ToFloat32Array(new Uint16Array(3), new Float32Array(4))).toThrow(
      /holds 4 values, input has 3/,
    );
  });
});
