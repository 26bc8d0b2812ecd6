import { describe, expect, it } from 'vitest';
import { underlayDomain } from './underlayDomain.ts';

describe('underlayDomain', () => {
  it('spans the finite values, passing over NaN and infinities', () => {
    expect(underlayDomain(Float32Array.of(0.4, Number.NaN, 0.1, Infinity, 0.9))).toEqual([
      expect.closeTo(0.1, 6),
      expect.closeTo(0.9, 6),
    ]);
    expect(underlayDomain([3, -2, 7])).toEqual([-2, 7]);
  });
  it('widens a flat underlay by one so it still has a span', () => {
    expect(underlayDomain([5, 5, 5])).toEqual([5, 6]);
    expect(underlayDomain(Float32Array.of(0, Number.NaN))).toEqual([0, 1]);
  });
  it('is null when no value is finite', () => {
    expect(underlayDomain([])).toBeNull();
    expect(underlayDomain(Float32Array.of(Number.NaN, -Infinity))).toBeNull();
  });
});
