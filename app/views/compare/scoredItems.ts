/**
 * Every score the explorer views show, for a list of items encoded at one K: the SDRs and the
 * encoder's scores (quantisation error, novelty percentile, dispersion, best unit) from
 * src/encode/mapEncoding.ts, plus the spatial measures from src/sdr/spatial.ts (cluster count,
 * largest cluster, radius of gyration). Flat typed arrays, one entry per item. DOM-free.
 */
import type { EncodedRows } from '../../../src/index.ts';
import { type Grid, sdrFromSorted, type SDR, spatialRows } from '../../../src/index.ts';

export interface ScoredItems extends EncodedRows {
  readonly grid: Grid;
  /** Connected groups of active units per item. */
  readonly clusters: Uint16Array;
  /** Units in each item's biggest group. */
  readonly largestCluster: Uint16Array;
  /** Root-mean-square distance of the active units from their centroid, in grid cells. */
  readonly radius: Float32Array;
}

export class ScoredItemsError extends Error {
  override name = 'ScoredItemsError';
}

/** Rows encoded in several batches (the dataset, then the mixtures) as one scored list. */
export function scoreEncoded(grid: Grid, parts: readonly EncodedRows[]): ScoredItems {
  const k = parts.length > 0 ? parts[0].k : 0;
  let n = 0;
  for (const p of parts) {
    if (p.k !== k) throw new ScoredItemsError(`cannot join rows encoded at K = ${k} and ${p.k}`);
    n += p.n;
  }
  const only = parts.length === 1 ? parts[0] : null;
  if (only?.spatial) {
    // One batch scored by the encode worker (the dataset, no mixtures): its arrays as they are,
    // no copies (at 100,000 items copying them held the page ~100 ms on each view's open).
    return {
      grid,
      n,
      k,
      active: only.active.subarray(0, n * k),
      qe: only.qe.subarray(0, n),
      novelty: only.novelty.subarray(0, n),
      dispersion: only.dispersion.subarray(0, n),
      bmu: only.bmu.subarray(0, n),
      clusters: only.spatial.clusters.subarray(0, n),
      largestCluster: only.spatial.largestCluster.subarray(0, n),
      radius: only.spatial.radius.subarray(0, n),
    };
  }
  const active = new Uint32Array(n * k);
  const qe = new Float32Array(n);
  const novelty = new Float32Array(n);
  const dispersion = new Float32Array(n);
  const bmu = new Uint32Array(n);
  let at = 0;
  for (const p of parts) {
    active.set(p.active.subarray(0, p.n * k), at * k);
    qe.set(p.qe.subarray(0, p.n), at);
    novelty.set(p.novelty.subarray(0, p.n), at);
    dispersion.set(p.dispersion.subarray(0, p.n), at);
    bmu.set(p.bmu.subarray(0, p.n), at);
    at += p.n;
  }
  const count = new Uint16Array(n);
  const largest = new Uint16Array(n);
  const radius = new Float32Array(n);
  at = 0;
  for (const p of parts) {
    // The encode worker sends a dataset's spatial scores with it (seconds at 100,000 items, off
    // this thread); rows encoded here (mixtures, a small dataset catching up) are scored here.
    const s = p.spatial ?? spatialRows(grid, p.active, p.n, k);
    count.set(s.clusters.subarray(0, p.n), at);
    largest.set(s.largestCluster.subarray(0, p.n), at);
    radius.set(s.radius.subarray(0, p.n), at);
    at += p.n;
  }
  return {
    grid,
    n,
    k,
    active,
    qe,
    novelty,
    dispersion,
    bmu,
    clusters: count,
    largestCluster: largest,
    radius,
  };
}

/** Item i's SDR (a view into the scored list, no copy). */
export function scoredSdr(scored: ScoredItems, i: number): SDR {
  if (!Number.isInteger(i) || i < 0 || i >= scored.n) {
    throw new ScoredItemsError(`item ${i} is outside the ${scored.n} scored items`);
  }
  const k = scored.k;
  return sdrFromSorted(scored.grid, scored.active.subarray(i * k, (i + 1) * k));
}

/** The cluster counts of the items `include(i)` accepts, ascending: a reference distribution. */
export function sortedClusterCounts(
  scored: ScoredItems,
  include: (i: number) => boolean,
): Uint16Array {
  // Counting sort: cluster counts are small whole numbers (at most K).
  const { clusters, n } = scored;
  let max = 0;
  for (let i = 0; i < n; i++) if (clusters[i] > max) max = clusters[i];
  const histogram = new Uint32Array(max + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (include(i)) {
      histogram[clusters[i]]++;
      total++;
    }
  }
  const out = new Uint16Array(total);
  let at = 0;
  for (let c = 0; c <= max; c++) {
    out.fill(c, at, at + histogram[c]);
    at += histogram[c];
  }
  return out;
}
