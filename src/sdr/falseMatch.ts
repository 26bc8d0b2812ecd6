/**
 * False-match probability of SDRs (Ahmad & Hawkins 2015, "Properties of Sparse Distributed
 * Representations and their Application to Hierarchical Temporal Memory", arXiv:1503.07469,
 * eqs. 3–5): the chance that a random SDR of `wOther` active cells out of n shares at least θ
 * cells with a given SDR of w active cells,
 *
 *   P = Σ_{b=θ..min(w, wOther)} C(w, b) · C(n − w, wOther − b) / C(n, wOther)
 *
 * (a hypergeometric upper tail). Terms are formed in natural-log space and summed with
 * log-sum-exp, so n of 65,536 and more neither overflows nor loses the tiny tails (1e-300 and
 * below are reported exactly in log10).
 */

const LN10 = Math.LN10;
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** Below this k, ln C(n, k) is summed term by term (exact to rounding); above, Stirling. */
const DIRECT_LIMIT = 32;

/**
 * δ(x) = ln x! − [(x + ½) ln x − x + ½ ln 2π], the Stirling series remainder for x ≥ 32.
 * Four terms leave an error below 1e-19 there (the next term is 1/(1188 x⁹)).
 */
function stirlingTail(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
}

/**
 * ln C(n, k) for integers 0 ≤ k ≤ n, accurate to a few ulps of its value even when n is huge.
 *
 * The Stirling form is rearranged so the large terms cancel analytically instead of in floating
 * point: ln C(n,k) = k ln(n/k) − (n−k) ln(1 − k/n) + ½ ln(n / (k (n−k))) − ½ ln 2π
 * + δ(n) − δ(k) − δ(n−k).
 */
export function logBinomial(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  const m = Math.min(k, n - k);
  if (m === 0) return 0;
  if (m < DIRECT_LIMIT) {
    // ln Π_{i=1..m} (n − m + i) / i, each factor ≥ 1.
    let s = 0;
    for (let i = 1; i <= m; i++) s += Math.log1p((n - m) / i);
    return s;
  }
  const rest = n - m;
  return (
    m * Math.log(n / m) -
    rest * Math.log1p(-m / n) +
    0.5 * Math.log(n / (m * rest)) -
    HALF_LN_2PI +
    stirlingTail(n) -
    stirlingTail(m) -
    stirlingTail(rest)
  );
}

function checkInteger(name: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(v)}`);
  }
}

/**
 * Natural log of the false-match probability; −Infinity when no match is possible (θ above
 * min(w, wOther)), 0 when every SDR matches (θ at or below the smallest possible overlap).
 *
 * @param n number of cells, 1 to 2^53 − 1
 * @param w active cells of the given SDR, 0 to n
 * @param theta match threshold θ (minimum shared cells), 0 and up
 * @param wOther active cells of the random SDR, 0 to n; default w
 */
export function falseMatchLogProbability(
  n: number,
  w: number,
  theta: number,
  wOther: number = w,
): number {
  checkInteger('n (cells)', n, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('w (active cells)', w, 0, n);
  checkInteger('wOther (active cells of the random SDR)', wOther, 0, n);
  checkInteger('theta (match threshold)', theta, 0, Number.MAX_SAFE_INTEGER);
  const hi = Math.min(w, wOther);
  // The overlap can be no smaller than wOther − (n − w) cells: the rest do not fit outside.
  const lowestPossible = Math.max(0, wOther - (n - w));
  if (theta > hi) return -Infinity;
  if (theta <= lowestPossible) return 0;

  const logTotal = logBinomial(n, wOther);
  const terms = new Float64Array(hi - theta + 1);
  let peak = -Infinity;
  for (let b = theta; b <= hi; b++) {
    const t = logBinomial(w, b) + logBinomial(n - w, wOther - b) - logTotal;
    terms[b - theta] = t;
    if (t > peak) peak = t;
  }
  let sum = 0;
  for (let i = 0; i < terms.length; i++) sum += Math.exp(terms[i] - peak);
  // A probability cannot exceed 1; rounding in the last ulp could nudge it above.
  return Math.min(0, peak + Math.log(sum));
}

/** log10 of the false-match probability (see `falseMatchLogProbability`), for tiny values. */
export function falseMatchLog10Probability(
  n: number,
  w: number,
  theta: number,
  wOther: number = w,
): number {
  return falseMatchLogProbability(n, w, theta, wOther) / LN10;
}

/**
 * The false-match probability itself, in [0, 1]. It underflows to 0 below about 1e-308; use
 * `falseMatchLog10Probability` to report such values.
 */
export function falseMatchProbability(
  n: number,
  w: number,
  theta: number,
  wOther: number = w,
): number {
  return Math.exp(falseMatchLogProbability(n, w, theta, wOther));
}
