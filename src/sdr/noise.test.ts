import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { createRng } from '../util/random.ts';
import { complement, difference, overlap } from './algebra.ts';
import { dropNoise, flipNoise, moveNoise, noiseCount } from './noise.ts';
import { makeSDR, type SDR } from './sdr.ts';

const grid = makeGrid(16, 16);
const n = gridSize(grid);
const runs = { numRuns: 200 };

const arbCase = fc.record({
  cells: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 120 }),
  f: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.integer(),
});

function isValid(s: SDR): boolean {
  for (let i = 0; i < s.active.length; i++) {
    if (s.active[i] >= n || (i > 0 && s.active[i] <= s.active[i - 1])) return false;
  }
  return true;
}

describe('noiseCount', () => {
  it('rounds f·w to the nearest count, halves up, despite binary fractions', () => {
    expect(noiseCount(20, 0.1)).toBe(2);
    expect(noiseCount(30, 0.15)).toBe(5); // 0.15·30 is 4.4999… in floating point
    expect(noiseCount(3, 0.5)).toBe(2);
    expect(noiseCount(20, 0)).toBe(0);
    expect(noiseCount(20, 1)).toBe(20);
  });
  it('refuses fractions outside [0, 1]', () => {
    expect(() => noiseCount(20, -0.1)).toThrow(/from 0 to 1/);
    expect(() => noiseCount(20, 1.5)).toThrow(/from 0 to 1/);
    expect(() => noiseCount(20, Number.NaN)).toThrow(/from 0 to 1/);
  });
});

describe('moveNoise', () => {
  it('keeps w cells and overlaps the original in exactly w − round(f·w)', () => {
    fc.assert(
      fc.property(arbCase, ({ cells, f, seed }) => {
        const sdr = makeSDR(grid, cells);
        const w = sdr.active.length;
        const moved = moveNoise(sdr, f, createRng(seed));
        expect(isValid(moved)).toBe(true);
        expect(moved.active.length).toBe(w);
        expect(overlap(moved, sdr)).toBe(w - noiseCount(w, f));
      }),
      runs,
    );
  });

  it('moves 10% of a 20-cell SDR: 18 shared cells, 2 new ones', () => {
    const sdr = makeSDR(
      grid,
      Array.from({ length: 20 }, (_, i) => i * 7),
    );
    const moved = moveNoise(sdr, 0.1, createRng(3));
    expect(overlap(moved, sdr)).toBe(18);
    expect(difference(moved, sdr).active.length).toBe(2);
  });

  it('spreads moved cells over all inactive cells, not just the first ones', () => {
    const sdr = makeSDR(grid, [0, 1, 2, 3]);
    const rng = createRng(11);
    const hits = new Uint32Array(n);
    for (let t = 0; t < 400; t++) for (const c of moveNoise(sdr, 1, rng).active) hits[c]++;
    expect(hits[0] + hits[1] + hits[2] + hits[3]).toBe(0);
    const lowHalf = hits.subarray(0, n / 2).reduce((s, v) => s + v, 0);
    expect(lowHalf / 1600).toBeGreaterThan(0.4);
    expect(lowHalf / 1600).toBeLessThan(0.6);
  });

  it('refuses to move more cells than there are inactive ones', () => {
    const dense = makeSDR(makeGrid(2, 2), [0, 1, 2]);
    expect(() => moveNoise(dense, 1, createRng(1))).toThrow(/only 1 of the 4 cells/);
  });
});

describe('dropNoise', () => {
  it('keeps w − round(f·w) cells, all from the original', () => {
    fc.assert(
      fc.property(arbCase, ({ cells, f, seed }) => {
        const sdr = makeSDR(grid, cells);
        const w = sdr.active.length;
        const dropped = dropNoise(sdr, f, createRng(seed));
        expect(isValid(dropped)).toBe(true);
        expect(dropped.active.length).toBe(w - noiseCount(w, f));
        expect(difference(dropped, sdr).active.length).toBe(0);
      }),
      runs,
    );
  });
});

describe('flipNoise', () => {
  const sdr = makeSDR(grid, [3, 30, 31, 100, 200, 255]);

  it('is the identity at p = 0 and the complement at p = 1', () => {
    expect(Array.from(flipNoise(sdr, 0, createRng(1)).active)).toEqual(Array.from(sdr.active));
    expect(Array.from(flipNoise(sdr, 1, createRng(1)).active)).toEqual(
      Array.from(complement(sdr).active),
    );
  });

  it('flips about p·n cells, turning cells both on and off', () => {
    const big = makeGrid(64, 64);
    const base = makeSDR(
      big,
      Array.from({ length: 2048 }, (_, i) => i * 2),
    );
    const rng = createRng(5);
    let changed = 0;
    let turnedOff = 0;
    const trials = 20;
    for (let t = 0; t < trials; t++) {
      const out = flipNoise(base, 0.05, rng);
      const on = difference(out, base).active.length;
      const off = difference(base, out).active.length;
      changed += on + off;
      turnedOff += off;
    }
    // Expected 0.05·4096 ≈ 204.8 flips per trial, half of them on active cells.
    const mean = changed / trials;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(220);
    expect(turnedOff / changed).toBeGreaterThan(0.42);
    expect(turnedOff / changed).toBeLessThan(0.58);
  });

  it('flips every cell with the same chance (first and last cells included)', () => {
    const small = makeGrid(1, 8);
    const empty = makeSDR(small, []);
    const rng = createRng(9);
    const hits = new Uint32Array(8);
    const trials = 4000;
    for (let t = 0; t < trials; t++) for (const c of flipNoise(empty, 0.3, rng).active) hits[c]++;
    for (const h of hits) {
      expect(h / trials).toBeGreaterThan(0.27);
      expect(h / trials).toBeLessThan(0.33);
    }
  });

  it('refuses probabilities outside [0, 1]', () => {
    expect(() => flipNoise(sdr, 2, createRng(1))).toThrow(/flip probability/);
  });
});

describe('seeding', () => {
  it('repeats a run for the same seed and differs for another', () => {
    const sdr = makeSDR(
      grid,
      Array.from({ length: 20 }, (_, i) => i * 11),
    );
    for (const noise of [moveNoise, dropNoise, flipNoise]) {
      const a = Array.from(noise(sdr, 0.3, createRng(42)).active);
      const b = Array.from(noise(sdr, 0.3, createRng(42)).active);
      const c = Array.from(noise(sdr, 0.3, createRng(43)).active);
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
    }
  });
});
