import { describe, expect, it } from 'vitest';
import { createRng, sampleWithoutReplacement } from './random.ts';

describe('createRng', () => {
  it('repeats for the same seed and differs for another', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('sampleWithoutReplacement', () => {
  it('draws distinct values in range', () => {
    const s = sampleWithoutReplacement(createRng(1), 100, 100);
    expect(new Set(s).size).toBe(100);
    expect(Math.max(...s)).toBe(99);
  });
  it('refuses to draw more than there are', () => {
    expect(() => sampleWithoutReplacement(createRng(1), 3, 4)).toThrow(RangeError);
  });
});
