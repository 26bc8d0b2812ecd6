/**
 * The scale part of the browser benchmark (issue 11.2: 100,000 items in the page): run after
 * the large redraw part, on what it left in the app's store (100,000 items of dimension 512, a
 * 64×64 map, the dataset encoded by the real encode worker), it times what a person waits for
 * at that size, on the page's thread, with the app's own functions:
 * - finding an item by typing part of its label (the item picker: app/lib/labelSearch.ts),
 *   the index built once, then one search per query;
 * - the Algebra & search view's search from an item (app/views/algebra/search.ts: the overlap
 *   shortlist ranked by cosine, the overlap ranking beside it, and the brute-force cosine top
 *   10 it reports recall against), and the two-stage part alone;
 * - the Data view's filter (every item's label, text and file, lower-cased once);
 * and what the page holds then, as the Storage view reports it (app/views/storage/pageMemory.ts).
 */
import { useAppStore } from '../app/store/index.ts';
import { buildLabelIndex, searchLabels } from '../app/lib/labelSearch.ts';
import { exactRecallCheck, searchBoth } from '../app/views/algebra/search.ts';
import {
  browserMemoryEnv,
  measureWholePage,
  readQuickMemory,
} from '../app/views/storage/pageMemory.ts';
import {
  defaultShortlist,
  ItemSearch,
  OverlapIndex,
  rankCandidates,
  sdrFromSorted,
} from '../src/index.ts';

export interface ScaleBenchSpec {
  /** Searches of each kind; default 50, from 1. */
  readonly queries?: number;
}

interface Timing {
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface ScaleFigures {
  readonly items: number;
  readonly units: number;
  /** Building the picker's label index, once per dataset. */
  readonly labelIndexMs: number;
  /** One picker search (whole labels and parts of them). */
  readonly labelSearch: Timing;
  /** Building the overlap index of every item's SDR, once per K. */
  readonly overlapIndexMs: number;
  /** The Algebra view's search from an item, what the page waits for: both rankings. */
  readonly searchView: Timing;
  /**
   * Its recall check against brute force over every item, run after the lists are shown, a
   * slice of rows per task: the longest slice (what one task costs the page) and all slices.
   */
  readonly exactCheckSliceMs: Timing;
  readonly exactCheckTotal: Timing;
  /** Its two-stage part alone: overlap shortlist, cosine on the shortlist. */
  readonly twoStage: Timing;
  readonly shortlist: number;
  /** The Data view's filter over every item, one query. */
  readonly dataFilter: Timing;
  /** The Storage view's figures, MB (null where the browser gives none). */
  readonly jsHeapUsedMB: number | null;
  readonly wholePageMB: number | null;
  readonly indexedDbMB: number | null;
}

function timing(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

function timeEach(count: number, run: (i: number) => void): Timing {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    run(i);
    samples.push(performance.now() - t0);
  }
  return timing(samples);
}

const mb = (bytes: number | null) => (bytes === null ? null : bytes / 2 ** 20);

export async function benchScale(spec: ScaleBenchSpec = {}): Promise<ScaleFigures> {
  const queries = Math.max(1, Math.floor(spec.queries ?? 50));
  const s = useAppStore.getState();
  const { items, embeddings, embeddingDim: d, map, encoding } = s;
  const n = items.length;
  if (!map || !encoding || encoding.n !== n) {
    throw new Error('the scale bench runs after the large redraw part, on its encoded dataset');
  }
  const grid = map.som.grid;
  const k = encoding.k;

  let t0 = performance.now();
  const labelIndex = buildLabelIndex(items.map((item) => item.label));
  const labelIndexMs = performance.now() - t0;
  // Whole labels and their beginnings, spread over the dataset (the last item included).
  const labelQuery = (i: number) => {
    const label = items[Math.floor(((i + 1) * (n - 1)) / queries)].label;
    return i % 2 === 0 ? label : label.slice(0, Math.max(3, label.length - 2));
  };
  const labelSearch = timeEach(queries, (i) => searchLabels(labelIndex, labelQuery(i)));

  t0 = performance.now();
  const index = new OverlapIndex(grid);
  index.addMany(encoding.active, k);
  const overlapIndexMs = performance.now() - t0;
  const row = (i: number) => Math.floor((i * 7919 + 13) % n);
  const query = (i: number) => ({
    sdr: sdrFromSorted(grid, encoding.active.subarray(row(i) * k, (row(i) + 1) * k)),
    vector: embeddings.subarray(row(i) * d, (row(i) + 1) * d),
    exclude: row(i),
  });
  const searchView = timeEach(queries, (i) => searchBoth(index, embeddings, n, d, query(i), 10));
  const longestSlice: number[] = [];
  const exactCheckTotal = timeEach(queries, (i) => {
    const q = query(i);
    const check = exactRecallCheck(embeddings, n, d, q, searchBoth(index, embeddings, n, d, q, 10).dense); // prettier-ignore
    let longest = 0;
    for (let done = false; !done;) {
      const t0 = performance.now();
      done = check.step();
      longest = Math.max(longest, performance.now() - t0);
    }
    longestSlice.push(longest);
  });
  const exactCheckSliceMs = timing(longestSlice);
  const m = grid.rows * grid.cols;
  const shortlist = defaultShortlist(n, k, m);
  const search = new ItemSearch(index, embeddings, d, k);
  const twoStage = timeEach(queries, (i) => {
    const q = query(i);
    const candidates = search.overlap(q.sdr, shortlist).ids;
    rankCandidates(embeddings, d, q.vector, candidates, 11);
  });

  // The Data view's filter: its haystack is built once per dataset, each keystroke scans it.
  const haystack = items.map((item) =>
    [item.label, item.label, item.text ?? '', item.source].join('\u0001').toLowerCase(),
  );
  const dataFilter = timeEach(queries, (i) => {
    const q = labelQuery(i).toLowerCase();
    let hits = 0;
    for (let j = 0; j < n; j++) if (haystack[j].includes(q)) hits++;
    return hits;
  });

  const env = browserMemoryEnv();
  const quick = await readQuickMemory(env);
  const whole = await measureWholePage(env);
  return {
    items: n,
    units: m,
    labelIndexMs,
    labelSearch,
    overlapIndexMs,
    searchView,
    exactCheckSliceMs,
    exactCheckTotal,
    twoStage,
    shortlist,
    dataFilter,
    jsHeapUsedMB: mb(quick.jsHeapUsed),
    wholePageMB: mb(whole),
    indexedDbMB: mb(quick.indexedDb),
  };
}
