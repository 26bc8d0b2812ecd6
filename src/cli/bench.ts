/**
 * `sdr bench` (also `npm run bench`): the engine's speed and memory figures, side by side, in
 * one process run:
 *   som      SOM training (src/som/som.bench.ts): ours with 1 and 2 workers, JS vs ORT kernel,
 *            the ml-som peer; GFLOP/s, peak memory, QE/TE
 *   encode   top-K encoding of 10,000 inputs on a 32×32×512 map vs a naive full-sort peer
 *            (encodeBench.ts)
 *   overlap  overlap search over 1,000,000 stored SDRs vs brute force
 *            (src/sdr/overlapIndex.bench.ts)
 *   cli      whole `sdr train` processes against whole numpy/OpenBLAS processes, map sizes per
 *            --items choice, and streamed training of a generated float16 .npy (rows/s, peak
 *            RSS) against numpy on a memory map (cliBench.ts); --stream-rows sizes that file
 *   search   two-stage search (overlap shortlist + exact cosine rerank) vs brute-force cosine
 *            over 1,000,000 stored items, recall@10 and dot products (src/search/twoStage.bench.ts)
 * `npm run bench` (bench/run.ts, outside the engine) runs the same command with one more
 * section, last:
 *   browser  the page in headless Chromium (bench/browser.ts): SOM training in a worker on
 *            onnxruntime-web and the JS kernel against Node in the same run, the Map view's
 *            redraw on K and selection changes, the embedding pipeline on 12 MP JPEGs, and the
 *            main thread's long tasks; skip with --no-browser
 * The engine does not reach into bench/ (it would pull Playwright into `sdr`): the browser
 * section comes in through createBenchCommand.
 * A readable table goes to stderr, the JSON (ratios included) to stdout; nothing is written to
 * disk. `--quick` runs every section on small sizes, for smoke tests (figures not meaningful).
 */
import { CliError, getFlag, getInt, getMulti, getString, type ParsedArgs } from './args.ts';
import {
  HELP_OPTION,
  helpText,
  parseCommandArgs,
  printJson,
  type CliIo,
  type Command,
} from './command.ts';

type Figures = Record<string, unknown>;

/** One benchmark section: its figures, and optionally a table of its own printed after them. */
export interface BenchSection {
  readonly name: string;
  /** `report` holds the sections run before this one (the browser compares with `som`). */
  run(
    quick: boolean,
    report: Readonly<Record<string, unknown>>,
    io: CliIo,
    args: ParsedArgs,
  ): Promise<Figures>;
  table?(figures: Figures): Promise<string>;
}

const SPEC = {
  quick: { type: 'boolean', help: 'small sizes for a smoke test (seconds; figures not meaningful)' }, // prettier-ignore
  only: { type: 'multi', help: 'run only this section (repeatable)' },
  'stream-rows': { type: 'string', help: 'rows of the generated .npy the cli section streams, 1,000 to 100,000,000 (default 500,000 = 512 MB of float16; 10000000 for the 10 GB run)' }, // prettier-ignore
  'no-browser': { type: 'boolean', help: 'skip the browser section of `npm run bench` (it needs Chromium; about 4 minutes)' }, // prettier-ignore
  help: HELP_OPTION,
} as const;

/**
 * Each section's full-size and quick workloads. Benchmarks load only when run, so every other
 * `sdr` command starts without them (and without the ml-som peer).
 */
const RUNNERS: Record<string, BenchSection['run']> = {
  som: async (quick) => {
    const { benchSom } = await import('../som/som.bench.ts');
    return benchSom(quick ? { quick: true } : {});
  },
  encode: async (quick) => {
    const { benchEncode } = await import('./encodeBench.ts');
    return benchEncode(quick ? { inputs: 200, side: 8, dim: 32, k: 5, repeats: 1 } : {});
  },
  overlap: async (quick) => {
    const { benchOverlapSearch } = await import('../sdr/overlapIndex.bench.ts');
    return benchOverlapSearch(
      quick ? { items: 2_000, side: 16, width: 8, searches: 5, bruteSearches: 2 } : {},
    );
  },
  cli: async (quick, _report, io, args) => {
    const { benchCli } = await import('./cliBench.ts');
    const rows = getString(args, 'stream-rows');
    return benchCli({
      quick,
      ...(rows !== undefined ? { streamRows: getInt(args, 'stream-rows', 500_000, 1000, 100_000_000) } : {}), // prettier-ignore
      log: (line) => io.stderr(`  ${line}\n`),
    });
  },
  search: async (quick) => {
    const { benchRerankSearch } = await import('../search/twoStage.bench.ts');
    return benchRerankSearch(
      quick ? { items: 3_000, dim: 16, side: 12, k: 3, queries: 5, bruteQueries: 3 } : {},
    );
  },
};

function cell(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** One section's figures as aligned `name  value` lines (nested objects flattened with dots). */
export function formatSection(title: string, figures: Figures): string {
  const rows: [string, string][] = [];
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x);
    } else rows.push([prefix, cell(v)]);
  };
  walk('', figures);
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return `── ${title} ${'─'.repeat(Math.max(3, 60 - title.length))}\n${rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n')}\n`; // prettier-ignore
}

/** Current and peak-so-far memory of this process, in MiB. */
function memoryMiB(): { rssMiB: number; heapUsedMiB: number } {
  const m = process.memoryUsage();
  return { rssMiB: Math.round(m.rss / 2 ** 20), heapUsedMiB: Math.round(m.heapUsed / 2 ** 20) };
}

async function run(sections: readonly BenchSection[], argv: string[], io: CliIo): Promise<number> {
  const names = sections.map((s) => s.name);
  const help = helpText(
    `sdr bench [--quick] [--only ${names.join('|')}] [--no-browser]`,
    'Measure SOM training, top-K encoding and overlap search against their peers' +
      (names.includes('browser') ? ', and the page\nin headless Chromium' : '') +
      '. Table on stderr, JSON on stdout. The full run takes several minutes\non 2 cores.' +
      (names.includes('browser') ? '' : ' `npm run bench` adds the page in headless Chromium.'),
    SPEC,
  );
  const args = parseCommandArgs(argv, SPEC, help, io);
  if (!args) return 0;
  if (args.positionals.length > 0) {
    throw new CliError(`bench takes no files, got ${args.positionals.join(' ')}`);
  }
  const quick = getFlag(args, 'quick');
  const only = getMulti(args, 'only');
  for (const s of only) {
    if (!names.includes(s)) {
      throw new CliError(`--only must be one of ${names.join(', ')}, got "${s}"`);
    }
  }
  const noBrowser = getFlag(args, 'no-browser');
  if (noBrowser && only.includes('browser')) {
    throw new CliError('--no-browser and --only browser ask for opposite things');
  }
  const chosen = sections.filter(
    (s) => (only.length === 0 || only.includes(s.name)) && !(s.name === 'browser' && noBrowser),
  );
  const report: Record<string, unknown> = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    quick,
  };
  const t0 = performance.now();
  for (const { name: section, run: measure, table } of chosen) {
    if (io.signal?.aborted) break;
    io.stderr(`running ${section}${quick ? ' (quick)' : ''} …\n`);
    const started = performance.now();
    const figures = await measure(quick, report, io, args);
    const result = {
      ...figures,
      sectionSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      memoryAfter: memoryMiB(),
    };
    report[section] = result;
    io.stderr(formatSection(section, result));
    if (table) io.stderr(`${await table(figures)}\n`);
  }
  report.totalSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  printJson(io, report);
  return 0;
}

/** The engine's sections, in the order they run. */
const ENGINE_SECTIONS: readonly BenchSection[] = Object.entries(RUNNERS).map(([name, r]) => ({
  name,
  run: r,
}));

/** `sdr bench` with `extra` sections after the engine's (bench/run.ts adds the browser). */
export function createBenchCommand(extra: readonly BenchSection[] = []): Command {
  const sections = [...ENGINE_SECTIONS, ...extra];
  return {
    name: 'bench',
    summary: 'measure training, encoding and search speed against their peers',
    run: (argv, io) => run(sections, argv, io),
  };
}

export const benchCommand: Command = createBenchCommand();
