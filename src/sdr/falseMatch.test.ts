import { describe, expect, it } from 'vitest';
import {
  falseMatchLog10Probability,
  falseMatchLogProbability,
  falseMatchProbability,
  logBinomial,
} from './falseMatch.ts';

/** Exact C(n, k) as a BigInt (multiplicative formula; each partial product is an integer). */
function binomialBig(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let c = 1n;
  for (let i = 1; i <= m; i++) c = (c * BigInt(n - m + i)) / BigInt(i);
  return c;
}

/** log10 of a positive BigInt from its leading 17 digits and its digit count. */
function log10Big(x: bigint): number {
  const s = x.toString();
  const lead = Number(s.slice(0, 17));
  return Math.log10(lead) + (s.length - Math.min(17, s.length));
}

/**
 * Exact log10 of Σ_{b≥θ} C(w,b)·C(n−w, v−b) / C(n,v), with every term built as an exact
 * integer (the independent check: no logs until the final ratio).
 */
function exactLog10(n: number, w: number, theta: number, v = w): number {
  let num = 0n;
  let term = binomialBig(w, theta) * binomialBig(n - w, v - theta);
  for (let b = theta; b <= Math.min(w, v); b++) {
    num += term;
    // term(b+1) = term(b)·(w−b)(v−b) / ((b+1)(n−w−v+b+1)), an exact integer division.
    const den = BigInt((b + 1) * (n - w - v + b + 1));
    term = den > 0n ? (term * BigInt((w - b) * (v - b))) / den : 0n;
  }
  if (num === 0n) return -Infinity;
  return log10Big(num) - log10Big(binomialBig(n, v));
}

describe('logBinomial', () => {
  it('matches exact binomials on both sides of the Stirling switch', () => {
    for (const [n, k] of [
      [10, 3],
      [50, 25],
      [200, 31],
      [200, 32],
      [1000, 500],
      [65536, 1311],
    ]) {
      const exactLn = log10Big(binomialBig(n, k)) * Math.LN10;
      expect(Math.abs(logBinomial(n, k) - exactLn)).toBeLessThan(1e-12 * Math.max(1, exactLn));
    }
    expect(logBinomial(7, 0)).toBe(0);
    expect(logBinomial(7, 7)).toBe(0);
    expect(logBinomial(7, 8)).toBe(-Infinity);
  });
});

describe('falseMatchProbability', () => {
  it('gives Ahmad & Hawkins’ figure for n=1024, w=20, θ=10 (≈ 9.3e-14)', () => {
    const p = falseMatchProbability(1024, 20, 10);
    expect(p).toBeGreaterThan(9.2e-14);
    expect(p).toBeLessThan(9.4e-14);
    expect(falseMatchLog10Probability(1024, 20, 10)).toBeCloseTo(exactLog10(1024, 20, 10), 10);
  });

  it('agrees with exact big-integer sums on small and medium cases', () => {
    const cases: Array<[number, number, number, number?]> = [
      [10, 3, 1],
      [10, 3, 2],
      [10, 3, 3],
      [10, 6, 4], // w > n/2: the overlap is at least 2
      [64, 8, 2],
      [256, 5, 1],
      [1024, 20, 5],
      [1024, 20, 15],
      [1024, 20, 20],
      [2048, 40, 12],
      [4096, 82, 20],
      [4096, 82, 60],
      [4096, 82, 20, 41],
      [1000, 100, 30, 300],
    ];
    for (const [n, w, theta, v] of cases) {
      const exact = exactLog10(n, w, theta, v ?? w);
      const got = falseMatchLog10Probability(n, w, theta, v);
      // Relative error of the probability below 1e-10 (log10 to ~4e-11).
      expect(Math.abs(got - exact)).toBeLessThan(5e-11);
    }
  });

  it('stays accurate for a 256×256 grid (n = 65,536, w = 1,311)', () => {
    for (const theta of [40, 200, 1311]) {
      const exact = exactLog10(65536, 1311, theta);
      const got = falseMatchLog10Probability(65536, 1311, theta);
      expect(Number.isFinite(got)).toBe(true);
      expect(Math.abs(got - exact)).toBeLessThan(1e-9 * Math.max(1, Math.abs(exact)));
    }
    // θ = w: one configuration in C(65536, 1311), far below the smallest double.
    expect(falseMatchProbability(65536, 1311, 1311)).toBe(0);
    const exactLog10Total = log10Big(binomialBig(65536, 1311));
    expect(falseMatchLog10Probability(65536, 1311, 1311)).toBeCloseTo(-exactLog10Total, 8);
  });

  it('is 1 at θ = 0, 0 above w, and falls as θ rises', () => {
    expect(falseMatchProbability(1024, 20, 0)).toBe(1);
    expect(falseMatchLogProbability(1024, 20, 21)).toBe(-Infinity);
    expect(falseMatchProbability(1024, 20, 21)).toBe(0);
    expect(falseMatchProbability(10, 6, 2)).toBe(1); // two 6-of-10 SDRs always share ≥ 2
    let previous = 1;
    for (let theta = 1; theta <= 20; theta++) {
      const p = falseMatchProbability(1024, 20, theta);
      expect(p).toBeLessThan(previous);
      previous = p;
    }
  });

  it('refuses impossible arguments with a clear message', () => {
    expect(() => falseMatchProbability(0, 0, 0)).toThrow(/n \(cells\)/);
    expect(() => falseMatchProbability(100, 101, 1)).toThrow(/w \(active cells\) must be/);
    expect(() => falseMatchProbability(100, 10, -1)).toThrow(/theta/);
    expect(() => falseMatchProbability(100, 10, 1.5)).toThrow(/theta/);
    expect(() => falseMatchProbability(100, 10, 1, 200)).toThrow(/wOther/);
  });
});
