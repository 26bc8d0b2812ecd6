/**
 * Recall@10 of overlap, and of two-stage search per shortlist rule, against exact cosine on a
 * seeded synthetic clustered set (src/som/synthetic.ts) encoded on a map trained on a sample of
 * it. Not a test: `npx tsx src/search/search.measure.ts [items] [dim]` prints a JSON table; the
 * figures behind SHORTLIST_MIN / SHORTLIST_FRACTION / DEFAULT_PROBE in twoStage.ts.
 */
import { encodeBatch } from '../encode/encode.ts';
import { makeGrid } from '../grid/grid.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { train } from '../som/trainer.ts';
import type { SomModel } from '../som/types.ts';
import { itemSearch, recallOf } from './twoStage.ts';

export interface SearchMeasureOptions {
  /** Stored items; default 20,000. */
  readonly items?: number;
  /** Embedding dimension; default 64. */
  readonly dim?: number;
  /** Clusters in the synthetic set; default 50. */
  readonly clusters?: number;
  /** Queries (held out, same distribution); default 200. */
  readonly queries?: number;
  /** Grid side; default 32. */
  readonly side?: number;
  /** Active units per stored SDR; default 20. */
  readonly k?: number;
  /** Training rows (a prefix of the items); default min(items, 10,000). */
  readonly trainRows?: number;
  /** Shortlist sizes to try; default 50, 100, 200, 500, 1000, 2000. */
  readonly shortlists?: readonly number[];
  /** Probe factors to try (query looked up with probe·K units); default 1, 2, 3. */
  readonly probes?: readonly number[];
  readonly seed?: number;
}

export interface SearchMeasureRow {
  readonly rule: string;
  readonly recallAt10: number;
  readonly dotProductsPerQuery: number;
  readonly fewerDotProductsThanBrute: number;
}

export async function measureSearch(options: SearchMeasureOptions = {}): Promise<{
  items: number;
  dim: number;
  rows: SearchMeasureRow[];
}> {
  const items = options.items ?? 20_000;
  const dim = options.dim ?? 64;
  const queries = options.queries ?? 200;
  const side = options.side ?? 32;
  const k = options.k ?? 20;
  const seed = options.seed ?? 1;
  const all = syntheticClusters({
    n: items + queries,
    d: dim,
    clusters: options.clusters ?? 50,
    seed,
  });
  const data = all.data.subarray(0, items * dim);
  const q = all.data.subarray(items * dim);
  const grid = makeGrid(side, side);
  const trainRows = Math.min(items, options.trainRows ?? 10_000);
  const snap = await train(
    data.subarray(0, trainRows * dim),
    trainRows,
    defaultTrainConfig(grid, { epochs: 10, seed }),
  );
  const som: SomModel = { grid, dim, codebook: snap.codebook };
  const stored = encodeBatch(som, data, items, { k });
  const search = itemSearch(grid, stored.active, k, data, dim);
  const truth: Uint32Array[] = [];
  for (let i = 0; i < queries; i++)
    truth.push(search.exact(q.subarray(i * dim, (i + 1) * dim), 10).ids);
  const rows: SearchMeasureRow[] = [];
  const add = (rule: string, recall: number, dots: number) =>
    rows.push({
      rule,
      recallAt10: Number(recall.toFixed(3)),
      dotProductsPerQuery: Math.round(dots),
      fewerDotProductsThanBrute: Number((items / Math.max(1, dots)).toFixed(1)),
    });
  for (const probe of options.probes ?? [1, 2, 3]) {
    const pk = Math.min(side * side, probe * k);
    const probes = encodeBatch(som, q, queries, { k: pk });
    if (probe === 1) {
      let r = 0;
      for (let i = 0; i < queries; i++) {
        const sdr = sdrFromSorted(grid, probes.active.subarray(i * pk, (i + 1) * pk));
        r += recallOf(search.overlap(sdr, 10).ids, truth[i]);
      }
      add('overlap only (the SDR alone)', r / queries, 0);
    }
    for (const shortlist of options.shortlists ?? [50, 100, 200, 500, 1000, 2000]) {
      if (shortlist > items) continue;
      let r = 0;
      let dots = 0;
      for (let i = 0; i < queries; i++) {
        const sdr = sdrFromSorted(grid, probes.active.subarray(i * pk, (i + 1) * pk));
        const hits = search.rerank(sdr, q.subarray(i * dim, (i + 1) * dim), { top: 10, shortlist });
        r += recallOf(hits.ids, truth[i]);
        dots += hits.dotProducts;
      }
      add(`rerank shortlist ${shortlist}, probe ${probe}K`, r / queries, dots / queries);
    }
  }
  return { items, dim, rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const items = Number(process.argv[2] ?? 20_000);
  const dim = Number(process.argv[3] ?? 64);
  const result = await measureSearch({ items, dim });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
