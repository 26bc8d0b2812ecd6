/**
 * `sdr eval <map> <embeddings>`: how well a map fits a set of embeddings. Quantisation and
 * topographic error and the hit counts come from one best-matching-unit pass (the training
 * kernel); novelty and dispersion from encoding every row as `sdr encode` does.
 */
import { createInThreadPool, gridSize } from '../index.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  round,
  type CliIo,
  type Command,
} from './command.ts';
import { loadMapAndEmbeddings, mapAndEmbeddingsPaths } from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel } from './kernel.ts';
import { MAP_K_OPTION, mapK, requestedK, scoreRows } from './scoring.ts';

const SPEC = {
  k: MAP_K_OPTION,
  kernel: KERNEL_OPTION,
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr eval <map.sdrmap> <embeddings>',
  'Measure the map on the embeddings: quantisation error, topographic error, hit counts\n' +
    '(units hit, most, mean, empty units), and a summary of novelty and dispersion.',
  SPEC,
);

/** Novelty above this percentile counts as "novel" in the summary (about 5% in distribution). */
const NOVEL_PERCENTILE = 95;

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
  const [mapPath, embPath] = mapAndEmbeddingsPaths(args, 'eval');
  const kernel = getKernel(args);
  const requested = requestedK(args);
  const { map, embeddings } = await loadMapAndEmbeddings(mapPath, embPath);
  const { data, n, d } = embeddings;
  const k = mapK(map, requested);
  const { grid, codebook } = map.som;
  const m = gridSize(grid);

  const pool = createInThreadPool(await createKernelBackend(kernel));
  let partial;
  try {
    await pool.load(data, n, d);
    partial = await pool.run(codebook, m, grid);
  } finally {
    await pool.dispose();
  }
  const backend = await createKernelBackend(kernel);
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
