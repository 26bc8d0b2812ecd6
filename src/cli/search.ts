/**
 * `sdr search <map> <queries> [--top 10] [--mode exact|overlap|rerank] [--shortlist N]`: the
 * map's stored items nearest to each query row, one JSON line per query:
 *   {"row": i, "mode": …, "items": [item indices, best first], "labels": [...],
 *    "cosines": [...] | null, "overlaps": [...] | null, "dotProducts": …, "shortlist": …}
 * Modes (src/search/twoStage.ts): exact = brute-force cosine over the stored embeddings;
 * overlap = shared active units alone (what the SDR by itself gives); rerank (the default) =
 * an overlap shortlist ranked by exact cosine. A map saved without embeddings can only do
 * overlap: that is the default there, said on stderr, and asking for another mode is an error.
 */
import { encodeBatchWith, gridSize, sdrFromSorted, type SdrMap } from '../index.ts';
import { defaultShortlist, itemSearch, SEARCH_MODES, type SearchHits, type SearchMode } from '../search/twoStage.ts'; // prettier-ignore
import { CliError, getChoice, getInt, getString } from './args.ts';
import { HELP_OPTION, helpText, parseCommandArgs, type CliIo, type Command } from './command.ts';
import { loadMapAndEmbeddings, mapAndEmbeddingsPaths } from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel } from './kernel.ts';

const SPEC = {
  top: { type: 'string', help: 'items per query (default 10, 1 to 10,000)' },
  mode: { type: 'string', help: 'exact, overlap or rerank (default rerank; overlap when the map stores no embeddings)' }, // prettier-ignore
  shortlist: { type: 'string', help: 'rerank shortlist size (default ⌈2.5·K·items/units⌉, at least 200, at most items/10; ≥ --top)' }, // prettier-ignore
  kernel: KERNEL_OPTION,
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr search <map.sdrmap> <queries> [--top 10] [--mode exact|overlap|rerank] [--shortlist N]',
  'Find the stored items of a map nearest to each query embedding. One JSON line per query.\n' +
    'rerank: the SDR overlap index gives a shortlist, exact cosine on the stored embeddings\n' +
    'ranks it; overlap: the SDR alone; exact: brute-force cosine (the truth).',
  SPEC,
);

const fig = (x: number) => Number(x.toPrecision(6));

/** The JSON object for query `row`. */
function hitsObject(
  row: number,
  mode: SearchMode,
  hits: SearchHits,
  labels: readonly string[],
): Record<string, unknown> {
  // prettier-ignore
  return {
    row,
    mode,
    items: Array.from(hits.ids),
    labels: Array.from(hits.ids, (id) => labels[id]),
    cosines: hits.cosines ? Array.from(hits.cosines, fig) : null,
    overlaps: hits.overlaps ? Array.from(hits.overlaps) : null,
    dotProducts: hits.dotProducts,
    shortlist: hits.shortlist,
  };
}

function storedItems(map: SdrMap, path: string): NonNullable<SdrMap['items']> {
  if (!map.items || map.items.labels.length === 0) {
    throw new CliError(`${path} holds no items to search (train it with sdr train, which stores them)`); // prettier-ignore
  }
  return map.items;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  const [mapPath, queryPath] = mapAndEmbeddingsPaths(args, 'search');
  const top = getInt(args, 'top', 10, 1, 10_000);
  const asked = getString(args, 'mode');
  const kernel = getKernel(args);
  const { map, embeddings: queries } = await loadMapAndEmbeddings(mapPath, queryPath);
  const items = storedItems(map, mapPath);
  const n = items.labels.length;
  const stored = items.embeddings ?? null;
  let mode: SearchMode;
  if (!stored) {
    mode = getChoice(args, 'mode', SEARCH_MODES, 'overlap');
    if (mode !== 'overlap') {
      throw new CliError(`--mode ${mode} needs stored embeddings, and ${mapPath} has none: only overlap search is possible`); // prettier-ignore
    }
    io.stderr(`note: ${mapPath} stores no embeddings, so this search is overlap only (the SDR alone)\n`); // prettier-ignore
  } else mode = getChoice(args, 'mode', SEARCH_MODES, 'rerank');
  const m = gridSize(map.som.grid);
  const fallback = Math.max(top, defaultShortlist(n, items.k, m));
  const shortlist = getInt(args, 'shortlist', fallback, top, Math.max(top, n));
  if (getString(args, 'shortlist') !== undefined && mode !== 'rerank') {
    throw new CliError(`--shortlist applies to --mode rerank, not ${mode}`);
  }
  if (asked === undefined && stored) io.stderr(`mode rerank: shortlist ${shortlist} of ${n} items\n`); // prettier-ignore

  const search = itemSearch(map.som.grid, items.sdrs, items.k, stored, map.som.dim);
  const d = queries.d;
  // Queries are encoded with the stored items' K, so overlaps compare like with like.
  let active: Uint32Array = new Uint32Array(0);
  if (mode !== 'exact') {
    const backend = await createKernelBackend(kernel);
    try {
      active = (await encodeBatchWith(backend, map.som, queries.data, queries.n, { k: items.k })).active; // prettier-ignore
    } finally {
      await backend.dispose();
    }
  }
  const k = items.k;
  for (let i = 0; i < queries.n; i++) {
    if (io.signal?.aborted) break;
    const vector = queries.data.subarray(i * d, (i + 1) * d);
    const sdr = () => sdrFromSorted(map.som.grid, active.subarray(i * k, (i + 1) * k));
    const hits =
      mode === 'exact'
        ? search.exact(vector, top)
        : mode === 'overlap'
          ? search.overlap(sdr(), top)
          : search.rerank(sdr(), vector, { top, shortlist });
    io.stdout(`${JSON.stringify(hitsObject(i, mode, hits, items.labels))}\n`);
  }
  return 0;
}

export const searchCommand: Command = {
  name: 'search',
  summary: "find a map's stored items nearest to each query (overlap shortlist + exact rerank)",
  run,
};
