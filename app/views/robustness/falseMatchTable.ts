import {
  fractionAtLeast,
  type OverlapDistribution,
  falseMatchLog10Probability,
} from '../../../src/index.ts';
/**
 * The false-match question for every threshold θ = 1..K: the Ahmad–Hawkins probability that a
 * random SDR of K of m cells shares ≥ θ cells with a given one, next to the share of the
 * person's items that actually do (from measured overlap counts). DOM-free.
 */

export interface FalseMatchRow {
  readonly theta: number;
  /** log10 of the theoretical probability (−Infinity when impossible). */
  readonly theoryLog10: number;
  /** Measured share of (query, other item) pairs with overlap ≥ θ; NaN without counts. */
  readonly measured: number;
}

/**
 * The theory column per map size and K (θ = 1..k): it depends on nothing else, and costs
 * O(K³) logarithms (tens of ms at K = 82), so the view pays it once, not on every open.
 */
const theoryByShape = new Map<string, Float64Array>();

function theoryLog10(m: number, k: number): Float64Array {
  const key = `${m} ${k}`;
  let column = theoryByShape.get(key);
  if (!column) {
    column = new Float64Array(k);
    for (let theta = 1; theta <= k; theta++) {
      column[theta - 1] = falseMatchLog10Probability(m, k, theta);
    }
    theoryByShape.set(key, column);
  }
  return column;
}

/** One row per θ from 1 to k, for a map of m units. */
export function falseMatchTable(
  m: number,
  k: number,
  counts: OverlapDistribution | null,
): FalseMatchRow[] {
  const theory = theoryLog10(m, k);
  const rows: FalseMatchRow[] = [];
  for (let theta = 1; theta <= k; theta++) {
    rows.push({
      theta,
      theoryLog10: theory[theta - 1],
      measured: counts ? fractionAtLeast(counts, theta) : Number.NaN,
    });
  }
  return rows;
}

/** log10 of a share for a log chart; shares of 0 sit at `floor` (nothing measured there). */
export function log10Share(v: number, floor: number): number {
  if (!Number.isFinite(v)) return Number.NaN;
  return v > 0 ? Math.max(floor, Math.log10(v)) : floor;
}
