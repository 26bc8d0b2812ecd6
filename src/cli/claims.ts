/**
 * `sdr claims <map> <embeddings> [--labels F] [--novelty-holdout LABEL]`: the map's SDRs beside
 * a random code with the same units and K (src/eval/randomCode.ts), claim by claim, on the
 * person's own embeddings: neighbour recall@10, bit-noise robustness, novelty AUC, mixture
 * dispersion. The numbers come from compareWithRandomCode (src/eval/codeBaseline.ts), the one
 * function the page's claim check uses too. With --novelty-holdout, a map is retrained without that
 * label's rows (the map's own training settings) and each novelty score's AUC for that label is
 * reported (src/eval/noveltyHoldout.ts). JSON on stdout.
 */
import { compareWithRandomCode, encodeBatchWith, gridSize, noveltyHoldout } from '../index.ts';
import { CliError, getInt, getString } from './args.ts';
import { HELP_OPTION, helpText, parseCommandArgs, printJson, type CliIo, type Command } from './command.ts'; // prettier-ignore
import { loadMapAndEmbeddings, mapAndEmbeddingsPaths } from './files.ts';
import { KERNEL_OPTION, createKernelBackend, getKernel } from './kernel.ts';
import { MAP_K_OPTION, mapK, requestedK } from './scoring.ts';

const SPEC = {
  labels: { type: 'string', help: 'labels file, one per row (default: labels in the embeddings file)' }, // prettier-ignore
  'novelty-holdout': { type: 'string', help: "retrain without this label's rows and report their novelty AUC per score" }, // prettier-ignore
  k: MAP_K_OPTION,
  queries: { type: 'string', help: 'items used as queries for recall and noise (default 200, 12 to 100,000)' }, // prettier-ignore
  seed: { type: 'string', help: "seed of the random code and the samples (default: the map's training seed)" }, // prettier-ignore
  kernel: KERNEL_OPTION,
  help: HELP_OPTION,
} as const;

const HELP = helpText(
  'sdr claims <map.sdrmap> <embeddings> [--labels F] [--novelty-holdout LABEL]',
  "Check what the map's SDRs claim against a random code with the same units and K\n" +
    '(sparse random projection + top-K): neighbour recall@10, bit-noise robustness, novelty\n' +
    'AUC, mixture dispersion. JSON on stdout.',
  SPEC,
);

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, SPEC, HELP, io);
  if (!args) return 0;
  const [mapPath, embPath] = mapAndEmbeddingsPaths(args, 'claims');
  const holdoutLabel = getString(args, 'novelty-holdout');
  const queries = getInt(args, 'queries', 200, 12, 100_000);
  const requested = requestedK(args);
  const kernel = getKernel(args);
  const { map, embeddings: emb } = await loadMapAndEmbeddings(mapPath, embPath, getString(args, 'labels')); // prettier-ignore
  const seed = getInt(args, 'seed', Math.trunc(map.training.seed), -(2 ** 31), 2 ** 31 - 1);
  const { data, n, d } = emb;
  if (n < 12) throw new CliError(`the claims need at least 12 embeddings, ${embPath} holds ${n}`);
  let holdoutRows: ((i: number) => boolean) | null = null;
  if (holdoutLabel !== undefined) {
    const labels = emb.labels;
    if (!labels) throw new CliError('--novelty-holdout needs labels: give --labels FILE or an embeddings file with labels'); // prettier-ignore
    const count = labels.filter((l) => l === holdoutLabel).length;
    if (count < 2) throw new CliError(`--novelty-holdout ${holdoutLabel}: ${count} rows carry that label, the check needs at least 2`); // prettier-ignore
    holdoutRows = (i) => labels[i] === holdoutLabel;
  }
  const k = mapK(map, requested);
  const grid = map.som.grid;
  const backend = await createKernelBackend(kernel);
  let baseline;
  try {
    // The map's SDRs of the items on the chosen kernel; the probes (a few hundred rows) and the
    // random code go through the JS kernel inside the engine's comparison, as on the page.
    const mapActive = (await encodeBatchWith(backend, map.som, data, n, { k })).active;
    io.stderr('measuring the map’s SDRs, then the random code …\n');
    baseline = compareWithRandomCode(
      { som: map.som, data, n, k, active: mapActive },
      { queries, seed, onProgress: (done, total, stage) => io.stderr(`  ${stage} (${done}/${total})\n`) }, // prettier-ignore
    );
  } finally {
    await backend.dispose();
  }
  let holdout: Record<string, unknown> | null = null;
  if (holdoutRows && holdoutLabel !== undefined) {
    io.stderr(`retraining without "${holdoutLabel}" for the hold-out novelty check …\n`);
    const result = await noveltyHoldout(data, n, d, holdoutRows, map.training, { seed, ...(io.signal ? { signal: io.signal } : {}) }); // prettier-ignore
    holdout = { label: holdoutLabel, ...result };
  }
  printJson(io, {
    map: map.name,
    rows: n,
    units: gridSize(grid),
    k,
    claims: { map: baseline.map, randomCode: baseline.randomCode },
    mapNoveltyQeAucRandomVectors: baseline.mapNoveltyQeAucRandomVectors,
    noveltyHoldout: holdout,
  });
  return 0;
}

export const claimsCommand: Command = {
  name: 'claims',
  summary: "set the map's SDRs beside a random code of the same size, claim by claim",
  run,
};
