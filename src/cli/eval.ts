/**
 * `sdr eval <map> <embeddings>`: how well a map fits a set of embeddings. Quantisation and
 * topographic error and the hit counts come from one best-matching-unit pass (the training
 * kernel); novelty and dispersion from encoding every row as `sdr encode` does.
 */
import { createInThreadPool, createJsBackend, gridSize, type MatmulBackend } from '../index.ts';
import { createOrtNodeBackend } from '../som/node.ts';
import { CliError, getChoice, getInt, getString } from './args.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  round,
  type CliIo,
  type Command,
} from './command.ts';
import { checkSameDimension, loadEmbeddings, loadMap } from './files.ts';
import { mapK, scoreRows } from './scoring.ts';

const SPEC = {
  k: { type: 'string', help: "active units per SDR (default: the map's calibration K, usually 20)" }, // prettier-ignore
  kernel: { type: 'string', help: 'matrix kernel: ort (onnxruntime-node) or js (default ort)' },
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr eval <map.sdrmap> <embeddings>',
  'Measure the map on the embeddings: quantisation error, topographic error, hit counts\n' +
    '(units hit, most, mean, empty units), and a summary of novelty and dispersion.',
  SPEC,
);

/** Novelty above this percentile counts as "novel" in the summary (about 5% in distribution). */
export const NOVEL_PERCENTILE = 95;

/** Linear-interpolated quantile q (0 to 1) of ascending `sorted`. */
function quantile(sorted: Float32Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** mean, median, 95th percentile and max of `values`, rounded. */
export function summarise(values: Float32Array): Record<string, number> {
  const sorted = Float32Array.from(values).sort();
  return {
    mean: round(mean(sorted)),
    median: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    max: round(sorted[sorted.length - 1]),
  };
}

/** Hit-count figures from per-unit best-match counts. */
export function hitSummary(counts: ArrayLike<number>): Record<string, number> {
  const m = counts.length;
  let hit = 0;
  let max = 0;
  let total = 0;
  for (let j = 0; j < m; j++) {
    const c = counts[j];
    total += c;
    if (c > 0) hit++;
    if (c > max) max = c;
  }
  return {
    units: m,
    unitsHit: hit,
    emptyUnits: m - hit,
    maxHits: max,
    meanHits: round(total / m),
    meanHitsPerHitUnit: hit > 0 ? round(total / hit) : 0,
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  if (args.positionals.length !== 2) {
    throw new CliError(
      `eval takes a map and an embeddings file, got ${args.positionals.length} arguments`,
    );
  }
  const [mapPath, embPath] = args.positionals;
  const kernel = getChoice(args, 'kernel', ['ort', 'js'] as const, 'ort');
  const requested = getString(args, 'k') === undefined ? undefined : getInt(args, 'k', 20, 1, 1 << 20); // prettier-ignore
  const { map } = await loadMap(mapPath);
  const { data, n, d } = await loadEmbeddings(embPath);
  checkSameDimension(map, { d });
  const k = mapK(map, requested);
  const { grid, codebook } = map.som;
  const m = gridSize(grid);
  const makeBackend = (): Promise<MatmulBackend> | MatmulBackend =>
    kernel === 'ort' ? createOrtNodeBackend() : createJsBackend();

  const pool = createInThreadPool(await makeBackend());
  let partial;
  try {
    await pool.load(data, n, d);
    partial = await pool.run(codebook, m, grid);
  } finally {
    await pool.dispose();
  }
  const backend = await makeBackend();
  let scored;
  try {
    scored = await scoreRows(backend, map, data, n, k);
  } finally {
    await backend.dispose();
  }
  let novel = 0;
  if (scored.novelty) for (const v of scored.novelty) if (v > NOVEL_PERCENTILE) novel++;
  printJson(io, {
    map: map.name,
    grid: `${grid.rows}x${grid.cols}`,
    topology: grid.topology,
    rows: n,
    k,
    quantizationError: round(partial.qeSum / n),
    topographicError: round(partial.teCount / n),
    trainingQuality: {
      quantizationError: round(map.quality.quantizationError),
      topographicError: round(map.quality.topographicError),
    },
    hits: hitSummary(partial.counts),
    novelty: scored.novelty
      ? {
          ...summarise(scored.novelty),
          [`above${NOVEL_PERCENTILE}`]: round(novel / n),
          calibrationInputs: map.calibration?.qe.length ?? 0,
        }
      : null,
    dispersion: summarise(scored.dispersion),
    clusters: {
      mean: round(mean(scored.clusters), 2),
      max: scored.clusters.reduce((a, b) => Math.max(a, b), 0),
    },
  });
  return 0;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'measure a map on embeddings: QE, TE, hit counts, novelty',
  run,
};
