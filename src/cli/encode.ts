/**
 * `sdr encode <map> <embeddings> [--k K] [--out FILE]`: the SDR of every row, with its scores.
 *
 * Output by the --out extension:
 *   .jsonl / .ndjson  one JSON object per row
 *   .json             {map, grid, k, rows: [...]}  (also what stdout gets without --out)
 *   .csv / .tsv       row, label, qe, novelty, dispersion, dispersion_percentile, clusters,
 *                     largest_cluster, active (the indices, space-separated)
 *   .npy              the indices alone, shape (n, k), float32 (exact: indices stay below 2^24
 *                     on every grid the format allows)
 * With --out, stdout gets a short JSON summary instead.
 */
import { formatFloat32, writeCsv, writeNpy, type SdrMap } from '../index.ts';
import { CliError, getString } from './args.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  round,
  type CliIo,
  type Command,
} from './command.ts';
import {
  checkOutputFile,
  extensionOf,
  loadMapAndEmbeddings,
  mapAndEmbeddingsPaths,
  writeOutputFile,
} from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel } from './kernel.ts';
import { MAP_K_OPTION, mapK, requestedK, scoreRows, type ScoredRows } from './scoring.ts';
import { CHUNK_ROWS_OPTION, STREAM_THRESHOLD_BYTES, shouldStream } from './trainStream.ts';

const SPEC = {
  k: MAP_K_OPTION,
  out: { type: 'string', help: 'write to FILE (.jsonl, .ndjson, .json, .csv, .tsv or .npy) instead of stdout' }, // prettier-ignore
  labels: { type: 'string', help: 'labels file, one per row (default: labels in the embeddings file)' }, // prettier-ignore
  kernel: KERNEL_OPTION,
  stream: { type: 'boolean', help: `read a .npy file and write the output chunk by chunk (default: on for .npy files over ${STREAM_THRESHOLD_BYTES / 2 ** 20} MiB; not for .json)` }, // prettier-ignore
  'chunk-rows': CHUNK_ROWS_OPTION,
  quiet: { type: 'boolean', help: 'no progress on stderr when streaming' },
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr encode <map.sdrmap> <embeddings> [--k K] [--out FILE]',
  'Encode every embedding row as an SDR on the map: its active units and scores (qe, novelty\n' +
    'percentile, dispersion, clusters). JSON on stdout, or a file chosen by --out extension.',
  SPEC,
);

export const FORMATS = ['jsonl', 'ndjson', 'json', 'csv', 'tsv', 'npy'] as const;
export type Format = (typeof FORMATS)[number];

/** Figures people read: 6 significant digits is plenty for percentiles and distances. */
function fig(x: number): number {
  return Number(x.toPrecision(6));
}

/** The JSON object for row i. */
export function rowObject(
  s: ScoredRows,
  i: number,
  label?: string,
  first = 0,
): Record<string, unknown> {
  return {
    row: first + i,
    ...(label !== undefined ? { label } : {}),
    active: Array.from(s.active.subarray(i * s.k, (i + 1) * s.k)),
    qe: fig(s.qe[i]),
    novelty: s.novelty ? fig(s.novelty[i]) : null,
    dispersion: fig(s.dispersion[i]),
    dispersionPercentile: s.dispersionPercentile ? fig(s.dispersionPercentile[i]) : null,
    clusters: s.clusters[i],
    largestCluster: s.largestCluster[i],
  };
}

/**
 * The encoded rows as file content in `format`. A streamed encode (encodeStream.ts) formats one
 * chunk at a time: `part.first` is the chunk's first row number, `part.header` whether the CSV
 * header line comes first (default: row 0, with header).
 */
export function formatRows(
  format: Format,
  map: SdrMap,
  s: ScoredRows,
  labels?: readonly string[],
  part: { readonly first: number; readonly header: boolean } = { first: 0, header: true },
): string | Uint8Array {
  const { first } = part;
  const rows = () => Array.from({ length: s.n }, (_, i) => rowObject(s, i, labels?.[i], first));
  switch (format) {
    case 'jsonl':
    case 'ndjson':
      return rows()
        .map((r) => JSON.stringify(r) + '\n')
        .join('');
    case 'json': {
      const { grid } = map.som;
      const head = { map: map.name, grid: `${grid.rows}x${grid.cols}`, topology: grid.topology, k: s.k }; // prettier-ignore
      // One row per line: readable, greppable, and still one JSON document.
      const body = rows()
        .map((r) => JSON.stringify(r))
        .join(',\n');
      return `${JSON.stringify(head).slice(0, -1)},"rows":[\n${body}\n]}\n`;
    }
    case 'csv':
    case 'tsv': {
      const header = ['row', 'label', 'qe', 'novelty', 'dispersion', 'dispersion_percentile', 'clusters', 'largest_cluster', 'active']; // prettier-ignore
      const opt = (a: Float32Array | null, i: number) => (a ? formatFloat32(a[i]) : '');
      function* lines(): Generator<(string | number)[]> {
        for (let i = 0; i < s.n; i++) {
          yield [
            first + i,
            labels?.[i] ?? '',
            formatFloat32(s.qe[i]),
            opt(s.novelty, i),
            formatFloat32(s.dispersion[i]),
            opt(s.dispersionPercentile, i),
            s.clusters[i],
            s.largestCluster[i],
            Array.from(s.active.subarray(i * s.k, (i + 1) * s.k)).join(' '),
          ];
        }
      }
      return writeCsv(part.header ? header : null, lines(), {
        delimiter: format === 'tsv' ? '\t' : ',',
      });
    }
    case 'npy':
      return writeNpy(Float32Array.from(s.active), [s.n, s.k]);
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  const [mapPath, embPath] = mapAndEmbeddingsPaths(args, 'encode');
  const out = getString(args, 'out');
  let format: Format = 'json';
  if (out !== undefined) {
    const ext = extensionOf(out);
    if (!(FORMATS as readonly string[]).includes(ext)) {
      throw new CliError(`--out ${out}: unknown format ".${ext}" (use ${FORMATS.map((f) => '.' + f).join(', ')})`); // prettier-ignore
    }
    format = ext as Format;
  }
  const kernel = getKernel(args);
  const requested = requestedK(args);
  const labelsPath = getString(args, 'labels');
  if (out !== undefined) {
    await checkOutputFile(out, '--out', [
      { path: mapPath, what: 'map' },
      { path: embPath, what: 'embeddings file' },
      ...(labelsPath !== undefined ? [{ path: labelsPath, what: 'labels file' }] : []),
    ]);
  }
  if (await shouldStream(embPath, args)) {
    // Loaded only when streaming (it imports formatRows from here).
    const { encodeStreamed } = await import('./encodeStream.ts');
    return encodeStreamed({ mapPath, embPath, labelsPath, out, format, kernel, requested }, args, io); // prettier-ignore
  }
  const { map, embeddings: emb } = await loadMapAndEmbeddings(mapPath, embPath, labelsPath);
  const k = mapK(map, requested);
  const backend = await createKernelBackend(kernel);
  let scored: ScoredRows;
  try {
    scored = await scoreRows(backend, map, emb.data, emb.n, k);
  } finally {
    await backend.dispose();
  }
  if (!map.calibration) io.stderr('note: the map has no calibration, so novelty is null\n');
  const content = formatRows(format, map, scored, emb.labels);
  if (out === undefined) {
    io.stdout(content as string);
    return 0;
  }
  const bytes = await writeOutputFile(out, content);
  io.stderr(`wrote ${emb.n} SDRs of ${k} units to ${out}\n`);
  printJson(io, { out, format, rows: emb.n, k, bytes, meanNovelty: meanOrNull(scored.novelty) });
  return 0;
}

function meanOrNull(a: Float32Array | null): number | null {
  if (!a || a.length === 0) return null;
  let s = 0;
  for (const v of a) s += v;
  return round(s / a.length, 2);
}

export const encodeCommand: Command = {
  name: 'encode',
  summary: 'encode embeddings as SDRs on a map, with novelty scores',
  run,
};
