/**
 * Two-stage search (overlap shortlist, exact cosine rerank) against brute-force cosine over
 * 1,000,000 stored items, side by side. Never part of the tests; `npm run bench` runs it.
 *
 * Workload: a seeded clustered synthetic set (src/som/synthetic.ts; 100 clusters) of `items` +
 * `queries` unit rows of `dim` values; a `side`×`side` map trained on the first 10,000 rows
 * (6 epochs), every item encoded on it with K = `k`; queries are held-out rows of the same
 * distribution. Rerank time includes encoding the query on the map (m dot products); the
 * breakdown times its steps one by one (encode, overlap shortlist, cosine ranking). The
 * default dim is 64, to keep 1,000,000 rows in 256 MiB; CLIP's 512 makes each dot product 8×
 * dearer, so `rerankStageMsAtDim512` times the second stage alone on the same shortlist at
 * d = 512 (the overlap stage does not depend on d).
 */
import { encodeBatch } from '../encode/encode.ts';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { train } from '../som/trainer.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, randomNormal } from '../util/random.ts';
import { defaultShortlist, itemSearch, rankCandidates, recallOf } from './twoStage.ts';

export interface RerankBenchOptions {
  /** Stored items; default 1,000,000, 1,000 and up. */
  readonly items?: number;
  /** Embedding dimension; default 64, 2 and up. */
  readonly dim?: number;
  /** Grid side; default 32. */
  readonly side?: number;
  /** Active units per SDR; default 20. */
  readonly k?: number;
  /** Timed rerank queries; default 50. */
  readonly queries?: number;
  /** Brute-force queries whose time counts (recall is measured on every query); default all. */
  readonly bruteQueries?: number;
  /** Seed; default 1. */
  readonly seed?: number;
}

const round = (x: number, digits = 3) => Number(x.toFixed(digits));

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2;
}

export async function benchRerankSearch(
  options: RerankBenchOptions = {},
): Promise<Record<string, number | string>> {
  const items = options.items ?? 1_000_000;
  const dim = options.dim ?? 64;
  const side = options.side ?? 32;
  const k = options.k ?? 20;
  const queries = options.queries ?? 50;
  const bruteQueries = Math.min(queries, options.bruteQueries ?? queries);
  const seed = options.seed ?? 1;
  const grid = makeGrid(side, side);
  const m = gridSize(grid);

  const t0 = performance.now();
  const all = syntheticClusters({ n: items + queries, d: dim, clusters: 100, seed });
  const data = all.data.subarray(0, items * dim);
  const q = all.data.subarray(items * dim);
  const trainRows = Math.min(items, 10_000);
  const snap = await train(data.subarray(0, trainRows * dim), trainRows, defaultTrainConfig(grid, { epochs: 6, seed })); // prettier-ignore
  const som: SomModel = { grid, dim, codebook: snap.codebook };
  const stored = encodeBatch(som, data, items, { k });
  const search = itemSearch(grid, stored.active, k, data, dim);
  const setupSeconds = (performance.now() - t0) / 1000;
  const shortlist = defaultShortlist(items, k, m);

  const query = (i: number) => q.subarray(i * dim, (i + 1) * dim);
  // Untimed warm-up, as in a long-lived worker.
  for (let i = 0; i < 3; i++) search.rerank(sdrFromSorted(grid, encodeBatch(som, query(i), 1, { k }).active), query(i)); // prettier-ignore

  // Each query runs whole, then step by step (where its time goes), then by brute force, one
  // right after the other: on a shared machine the load drifts, and the ratios stay fair.
  const rerankMs: number[] = [];
  const encodeMs: number[] = [];
  const shortlistMs: number[] = [];
  const rankMs: number[] = [];
  const bruteMs: number[] = [];
  const shortlists: Uint32Array[] = [];
  let dots = 0;
  let recall = 0;
  for (let i = 0; i < queries; i++) {
    const s = performance.now();
    const sdr = sdrFromSorted(grid, encodeBatch(som, query(i), 1, { k }).active);
    const hits = search.rerank(sdr, query(i), { top: 10, shortlist });
    rerankMs.push(performance.now() - s);
    dots += hits.dotProducts;

    const s0 = performance.now();
    const again = sdrFromSorted(grid, encodeBatch(som, query(i), 1, { k }).active);
    const s1 = performance.now();
    const ids = search.index.searchSet(again, shortlist).ids;
    const s2 = performance.now();
    rankCandidates(data, dim, query(i), ids, 10);
    const s3 = performance.now();
    encodeMs.push(s1 - s0);
    shortlistMs.push(s2 - s1);
    rankMs.push(s3 - s2);
    shortlists.push(ids.slice());

    const b = performance.now();
    const truth = search.exact(query(i), 10).ids;
    if (i < bruteQueries) bruteMs.push(performance.now() - b);
    recall += recallOf(hits.ids, truth);
  }

  // The rerank stage alone at CLIP's d = 512, on the shortlists above (random unit rows: the
  // cost of a dot product does not depend on the values).
  const wide = 512;
  const rng = createRng(seed + 1);
  const rows = Math.min(items, 1 << 17);
  const wideData = new Float32Array(rows * wide);
  for (let i = 0; i < wideData.length; i++) wideData[i] = randomNormal(rng) / Math.sqrt(wide);
  const wideQuery = wideData.slice(0, wide);
  const wideMs: number[] = [];
  for (const ids of shortlists.slice(0, 10)) {
    const local = Uint32Array.from(ids, (id) => id % rows);
    const s = performance.now();
    rankCandidates(wideData, wide, wideQuery, local, 10);
    wideMs.push(performance.now() - s);
  }

  const rerankMedian = median(rerankMs);
  const bruteMedian = median(bruteMs);
  const dotsPerQuery = dots / queries + m;
  return {
    workload: `${items} items, d=${dim}, ${side}×${side} map, K=${k}, top 10, 100 clusters`,
    setupSeconds: round(setupSeconds, 1),
    shortlist,
    rerankMedianMs: round(rerankMedian),
    rerankP95Ms: round([...rerankMs].sort((a, b) => a - b)[Math.floor(0.95 * (rerankMs.length - 1))]), // prettier-ignore
    bruteForceMedianMs: round(bruteMedian),
    speedup: round(bruteMedian / rerankMedian, 1),
    recallAt10: round(recall / queries),
    dotProductsPerQuery: Math.round(dotsPerQuery),
    bruteForceDotProducts: items,
    fewerDotProducts: round(items / dotsPerQuery, 1),
    // Where the time goes (medians of the steps timed one by one).
    encodeQueryMedianMs: round(median(encodeMs)),
    shortlistStageMedianMs: round(median(shortlistMs)),
    rankStageMedianMs: round(median(rankMs)),
    rerankStageMsAtDim512: round(median(wideMs)),
  };
}
