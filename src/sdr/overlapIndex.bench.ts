/**
 * Speed of `OverlapIndex.search` against its peer, a linear scan that merges the query with
 * every stored SDR (`bruteForceSearchRows`). Never part of the tests; `npm run bench` runs it.
 *
 * Default workload: 1,000,000 random SDRs of w = 20 on a 32×32 grid (n = 1024), 50 random
 * queries of w = 20, top 10. The target is a median search ≤ 10 ms on one core.
 */
import { makeGrid, gridSize } from '../grid/grid.ts';
import { createRng, randomInt, type Rng } from '../util/random.ts';
import { OverlapIndex, bruteForceSearchRows, type OverlapSearchResult } from './overlapIndex.ts';
import { sdrFromSorted, type SDR } from './sdr.ts';

export interface OverlapBenchOptions {
  /** Stored SDRs; default 1,000,000, 1 and up. */
  readonly items?: number;
  /** Active cells per SDR (stored and query); default 20, 1 to rows·cols. */
  readonly width?: number;
  /** Grid side (square grid, rect); default 32 (n = 1024), 1 to 1024. */
  readonly side?: number;
  /** Timed index searches; default 50, 1 and up. */
  readonly searches?: number;
  /** Timed brute-force scans (each is slow); default 10, 1 and up. */
  readonly bruteSearches?: number;
  /** Results per search; default 10. */
  readonly topN?: number;
  /** Seed for the stored SDRs and the queries; default 1. */
  readonly seed?: number;
}

/** Fill `out` with `w` distinct cells of [0, n), ascending (rejection with a stamp array). */
function randomRow(
  rng: Rng,
  n: number,
  w: number,
  stamp: Uint32Array,
  mark: number,
  out: Uint32Array,
): void {
  for (let i = 0; i < w; i++) {
    let u = randomInt(rng, n);
    while (stamp[u] === mark) u = randomInt(rng, n);
    stamp[u] = mark;
    // Insertion into the sorted prefix: w is small.
    let j = i;
    while (j > 0 && out[j - 1] > u) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = u;
  }
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function sameResult(a: OverlapSearchResult, b: OverlapSearchResult): boolean {
  if (a.ids.length !== b.ids.length) return false;
  for (let i = 0; i < a.ids.length; i++) {
    if (a.ids[i] !== b.ids[i] || a.overlaps[i] !== b.overlaps[i]) return false;
  }
  return true;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

export async function benchOverlapSearch(
  options: OverlapBenchOptions = {},
): Promise<Record<string, number | string>> {
  const items = options.items ?? 1_000_000;
  const w = options.width ?? 20;
  const side = options.side ?? 32;
  const searches = options.searches ?? 50;
  const bruteSearches = options.bruteSearches ?? 10;
  const topN = options.topN ?? 10;
  const grid = makeGrid(side, side);
  const n = gridSize(grid);
  if (!Number.isInteger(w) || w < 1 || w > n) {
    throw new RangeError(`width must be an integer from 1 to ${n}, got ${w}`);
  }
  const rng = createRng(options.seed ?? 1);
  const stamp = new Uint32Array(n);
  let mark = 0;

  const rows = new Uint32Array(items * w);
  for (let r = 0; r < items; r++)
    randomRow(rng, n, w, stamp, ++mark, rows.subarray(r * w, r * w + w));
  const queries: SDR[] = [];
  for (let t = 0; t < Math.max(searches, bruteSearches); t++) {
    const q = new Uint32Array(w);
    randomRow(rng, n, w, stamp, ++mark, q);
    queries.push(sdrFromSorted(grid, q));
  }

  const t0 = performance.now();
  const index = new OverlapIndex(grid);
  index.addMany(rows, w);
  index.build();
  const buildMs = performance.now() - t0;

  // A few untimed searches let the JIT settle, as it would in a long-lived worker.
  for (let t = 0; t < 3; t++) index.search(queries[t], topN);
  const times: number[] = [];
  const results: OverlapSearchResult[] = [];
  for (let t = 0; t < searches; t++) {
    const s = performance.now();
    results.push(index.search(queries[t], topN));
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);

  const bruteTimes: number[] = [];
  let agree = true;
  for (let t = 0; t < bruteSearches; t++) {
    const s = performance.now();
    const r = bruteForceSearchRows(rows, w, queries[t], topN);
    bruteTimes.push(performance.now() - s);
    const fromIndex = t < results.length ? results[t] : index.search(queries[t], topN);
    if (!sameResult(r, fromIndex)) agree = false;
  }
  bruteTimes.sort((a, b) => a - b);

  // A stronger scan for reference: mark the query in a dense bit grid once, then count each
  // row's marked cells (k lookups per row instead of a k + w merge).
  const denseTimes: number[] = [];
  const bits = new Uint8Array(n);
  for (let t = 0; t < bruteSearches; t++) {
    const s = performance.now();
    const q = queries[t].active;
    for (let j = 0; j < q.length; j++) bits[q[j]] = 1;
    const counts = new Uint8Array(items);
    for (let r = 0, i = 0; r < items; r++) {
      let c = 0;
      for (const end = i + w; i < end; i++) c += bits[rows[i]];
      counts[r] = c;
    }
    for (let j = 0; j < q.length; j++) bits[q[j]] = 0;
    denseTimes.push(performance.now() - s);
  }
  denseTimes.sort((a, b) => a - b);

  const median = quantile(times, 0.5);
  const bruteMedian = quantile(bruteTimes, 0.5);
  return {
    workload: `${items} SDRs, w=${w}, ${side}×${side} grid (n=${n}), top ${topN}`,
    buildMs: round(buildMs, 1),
    postingsMiB: round((index.postingCount * 4) / 2 ** 20, 1),
    searchMedianMs: round(median),
    searchP95Ms: round(quantile(times, 0.95)),
    searches,
    bruteForceMedianMs: round(bruteMedian),
    bruteForceSearches: bruteSearches,
    speedup: round(bruteMedian / median, 1),
    denseScanMedianMs: round(quantile(denseTimes, 0.5)),
    speedupVsDenseScan: round(quantile(denseTimes, 0.5) / median, 1),
    resultsAgree: agree ? 'yes' : 'NO',
  };
}
