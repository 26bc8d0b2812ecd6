import { describe, expect, it } from 'vitest';
import { formatFloat32 } from './formatFloat32.ts';
import { createRng, randomNormal } from '../util/random.ts';

describe('formatFloat32', () => {
  it('prints the short form people expect', () => {
    expect(formatFloat32(0.1)).toBe('0.1');
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(-2.5)).toBe('-2.5');
    expect(formatFloat32(3)).toBe('3');
    expect(formatFloat32(1e-7)).toBe('1e-7');
    expect(formatFloat32(123456792)).toBe('123456790');
    expect(formatFloat32(0)).toBe('0');
    expect(formatFloat32(-0)).toBe('-0');
    expect(formatFloat32(NaN)).toBe('NaN');
    expect(formatFloat32(-Infinity)).toBe('-Infinity');
  });

  it('reads back to the identical float32, with at most 9 significant digits', () => {
    const rng = createRng(9);
    const bad: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const x = Math.fround(randomNormal(rng) * 10 ** (12 * rng() - 6));
      const s = formatFloat32(x);
      if (Math.fround(Number(s)) !== x) bad.push(x);
      const digits = s.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
      if (digits.length > 9) bad.push(x);
    }
    expect(bad).toEqual([]);
  });

  it('is never longer than the 9-digit form', () => {
    const rng = createRng(10);
    for (let i = 0; i < 1000; i++) {
      const x = Math.fround(rng() - 0.5);
      expect(formatFloat32(x).length).toBeLessThanOrEqual(String(Number(x.toPrecision(9))).length);
    }
  });
});
