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
import { FORMATS, formatRows, type Format } from './encodeFormat.ts';
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
