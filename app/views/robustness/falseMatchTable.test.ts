import { describe, expect, it } from 'vitest';
import { falseMatchTable, log10Share } from './falseMatchTable.ts';

describe('falseMatchTable', () => {
  it('gives the Ahmad–Hawkins figure for n = 1024, w = 20, θ = 10 and falls with θ', () => {
    const rows = falseMatchTable(1024, 20, null);
    expect(rows).toHaveLength(20);
    expect(rows[9].theta).toBe(10);
    expect(10 ** rows[9].theoryLog10).toBeCloseTo(9.3e-14, 15);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i].theoryLog10).toBeLessThan(rows[i - 1].theoryLog10);
    }
    expect(Number.isNaN(rows[0].measured)).toBe(true);
  });

  it('reads the measured share ≥ θ from overlap counts', () => {
    // 10 pairs: 6 share nothing, 2 share one cell, 1 shares two, 1 shares three.
    const counts = { counts: Float64Array.from([6, 2, 1, 1]), pairs: 10, queries: 2 };
    const rows = falseMatchTable(64, 3, counts);
    expect(rows.map((r) => r.measured)).toEqual([0.4, 0.2, 0.1]);
  });
});

describe('log10Share', () => {
  it('puts zero shares on the floor and keeps missing ones missing', () => {
    expect(log10Share(0.01, -15)).toBeCloseTo(-2, 12);
    expect(log10Share(0, -15)).toBe(-15);
    expect(log10Share(1e-20, -15)).toBe(-15);
    expect(Number.isNaN(log10Share(Number.NaN, -15))).toBe(true);
  });
});
