import { describe, expect, it } from 'vitest';
import { MixtureError, mixEmbeddings, mixtureLabel } from './mixture.ts';

function unit(values: number[]): Float32Array {
  const n = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / n);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

describe('mixEmbeddings', () => {
  it('gives a unit vector equally similar to each of two parts, and closer than they are to each other', () => {
    const a = unit([1, 0, 0, 0.2]);
    const b = unit([0, 1, 0.3, 0]);
    const mix = mixEmbeddings([a, b]);
    expect(dot(mix, mix)).toBeCloseTo(1, 6);
    expect(dot(mix, a)).toBeCloseTo(dot(mix, b), 5);
    expect(dot(mix, a)).toBeGreaterThan(dot(a, b));
  });

  it('does not depend on the order of the parts and leaves them untouched', () => {
    const a = unit([3, 1, 2]);
    const b = unit([-1, 2, 0]);
    const c = unit([0, 0, 1]);
    const before = Array.from(a);
    expect(Array.from(mixEmbeddings([a, b, c]))).toEqual(Array.from(mixEmbeddings([c, a, b])));
    expect(Array.from(a)).toEqual(before);
  });

  it('mixing an item with itself gives the item back', () => {
    const a = unit([0.3, -0.4, 0.5, 0.1]);
    const mix = mixEmbeddings([a, a]);
    for (let i = 0; i < a.length; i++) expect(mix[i]).toBeCloseTo(a[i], 6);
  });

  it('refuses the wrong number of parts, mixed sizes, and parts that cancel out', () => {
    const a = unit([1, 0]);
    expect(() => mixEmbeddings([a])).toThrow(MixtureError);
    expect(() => mixEmbeddings([a, a, a, a])).toThrow(/2 or 3 items, got 4/);
    expect(() => mixEmbeddings([a, unit([1, 0, 0])])).toThrow(/different sizes \(2 and 3\)/);
    expect(() => mixEmbeddings([a, Float32Array.from([-1, 0])])).toThrow(/cancel out/);
  });
});

describe('mixtureLabel', () => {
  it('joins the parts with plus signs and shortens long ones', () => {
    expect(mixtureLabel(['cat', ' pyramid '])).toBe('cat + pyramid');
    const long = 'a'.repeat(60);
    const label = mixtureLabel([long, 'b', 'c']);
    expect(label).toBe(`${'a'.repeat(39)}… + b + c`);
  });
});
