/**
 * The `cli` section of `sdr bench`: whole processes, timed from outside, each beside its numpy
 * peer in the same run (never part of the tests' timings).
 *
 * (a) `sdr train` of the bench workload (10,000×512 seeded clusters, 32×32, 10 epochs,
 *     2 workers) as a whole process (Node start, module loading, read, PCA, epochs, encoding the
 *     items, calibration, writing the map) against a whole numpy/OpenBLAS batch-SOM process
 *     (bench/somReference.py: Python start, numpy import, load, PCA, 10 epochs, save), alternated
 *     `repeats` times, medians reported, ratio ours/numpy (below 1 = ours faster). The `sdr`
 *     process is bin/sdr.mjs, whatever it runs (TypeScript through tsx, or built JavaScript), and
 *     `sdr --help` alone measures the start-up. Map sizes of --items full, sdr and none are
 *     reported from the same workload.
 * (b) Streaming: a generated `.npy` of `streamRows` × 512 float16 rows (default 500,000 =
 *     512 MB; `--stream-rows 10000000` for the 10 GB run) in a temporary folder, trained with
 *     `sdr train --stream` for 2 epochs: rows/s and peak RSS (GNU time's maximum resident set),
 *     against numpy reading the same file through a memory map chunk by chunk.
 * numpy is looked for as $SDR_BENCH_PYTHON, `python3` on PATH, then /usr/bin/python3; without it
 * the peer figures are replaced by a `skipped` message. The temporary folder is removed at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { float32ToFloat16Array } from '../io/float16.ts';
import { npyHeaderBytes, writeNpy } from '../io/npy.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { createRng, randomNormal } from '../util/random.ts';

export interface CliBenchOptions {
  /** Tiny sizes to check the bench runs (figures not meaningful); default false. */
  readonly quick?: boolean;
  /** Rows of the generated streaming file, 1,000 to 100,000,000; default 500,000 (quick 20,000). */
  readonly streamRows?: number;
  /** Alternated runs of ours and numpy in (a); default 3 (quick 1), range 1 to 20. */
  readonly repeats?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** The project folder: two levels up from src/cli, or three from the built dist-cli/src/cli. */
const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(
  new URL(/[\\/]dist-cli[\\/]/.test(HERE) ? '../../..' : '../..', import.meta.url),
);
const SDR = join(ROOT, 'bin', 'sdr.mjs');
const REFERENCE = join(ROOT, 'bench', 'somReference.py');
const GNU_TIME = '/usr/bin/time';

interface ProcessRun {
  readonly ms: number;
  /** Peak resident memory in MiB (GNU time), or null without it. */
  readonly peakRssMiB: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Run a command to completion, timed from outside; peak RSS through GNU time when present. */
async function timed(cmd: string, args: string[]): Promise<ProcessRun> {
  const useTime = existsSync(GNU_TIME);
  const [file, argv] = useTime ? [GNU_TIME, ['-f', '%M maxrss-kb', cmd, ...args]] : [cmd, args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const m = /(\d+) maxrss-kb\s*$/.exec(stderr);
      resolve({
        ms,
        peakRssMiB: m ? Math.round(Number(m[1]) / 1024) : null,
        stdout,
        stderr,
        code: code ?? 1,
      });
    });
  });
}

/** A Python that imports numpy, or null. */
function findNumpyPython(): string | null {
  const candidates = [process.env.SDR_BENCH_PYTHON, 'python3', '/usr/bin/python3'];
  for (const py of candidates) {
    if (!py) continue;
    const r = spawnSync(py, ['-c', 'import numpy'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** `[name: 123 ms]` lines of `sdr train --verbose`, as {name: ms}. */
function phases(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stderr.matchAll(/\[(.+?): (\d+) ms\]/g)) out[m[1]] = Number(m[2]);
  const epochs = [...stderr.matchAll(/^epoch +(\d+)\/\d+ .* (\d+) ms/gm)].map((m) => Number(m[2]));
  if (epochs.length > 0) {
    out['epoch 1'] = epochs[0];
    if (epochs.length > 1) out['epochs 2+ median'] = median(epochs.slice(1));
  }
  return out;
}

/**
 * Write n × d float16 rows of seeded clusters to `path`, a chunk at a time (memory stays small
 * whatever n): each row is a cluster centre plus noise drawn from a pool of 4,096 Gaussian rows
 * at a random rotation, so 10,000,000 rows take seconds, not minutes of random draws.
 */
function writeLargeNpy(path: string, n: number, d: number, seed = 1): void {
  const rng = createRng(seed);
  const clusters = 10;
  const centres = Float32Array.from({ length: clusters * d }, () => randomNormal(rng));
  const spread = 0.55;
  const pool = Float32Array.from({ length: 4096 * d }, () => randomNormal(rng) * spread);
  const fd = openSync(path, 'w');
  try {
    const header = npyHeaderBytes([n, d], 'f2');
    writeSync(fd, header);
    const chunk = 16_384;
    const rows = new Float32Array(chunk * d);
    const halves = new Uint16Array(chunk * d);
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      for (let r = 0; r < count; r++) {
        const c = Math.floor(rng() * clusters) * d;
        const p = Math.floor(rng() * 4096) * d;
        const shift = Math.floor(rng() * d);
        const o = r * d;
        for (let k = 0; k < d; k++) rows[o + k] = centres[c + k] + pool[p + ((k + shift) % d)];
      }
      float32ToFloat16Array(rows.subarray(0, count * d), halves.subarray(0, count * d));
      writeSync(fd, new Uint8Array(halves.buffer, 0, count * d * 2));
    }
  } finally {
    closeSync(fd);
  }
}

export async function benchCli(options: CliBenchOptions = {}): Promise<Record<string, unknown>> {
  const quick = options.quick ?? false;
  const log = options.log ?? (() => undefined);
  const repeats = options.repeats ?? (quick ? 1 : 3);
  const streamRows = options.streamRows ?? (quick ? 20_000 : 500_000);
  if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20) throw new RangeError(`repeats must be 1 to 20, got ${repeats}`); // prettier-ignore
  if (!Number.isInteger(streamRows) || streamRows < 1000 || streamRows > 100_000_000) throw new RangeError(`streamRows must be 1,000 to 100,000,000, got ${streamRows}`); // prettier-ignore
  const w = quick
    ? { n: 1000, d: 64, grid: '8x8', epochs: 2 }
    : { n: 10_000, d: 512, grid: '32x32', epochs: 10 };
  const dir = mkdtempSync(join(tmpdir(), 'sdr-cli-bench-'));
  const node = process.execPath;
  const python = findNumpyPython();
  const figures: Record<string, unknown> = {
    workload: `${w.n}x${w.d}, ${w.grid}, ${w.epochs} epochs, 2 workers`,
    sdrEntry: 'bin/sdr.mjs',
  };
  try {
    const file = join(dir, 'bench.npy');
    const { data, n, d } = syntheticClusters({ n: w.n, d: w.d, seed: 1 });
    const fd = openSync(file, 'w');
    writeSync(fd, writeNpy(data, [n, d]));
    closeSync(fd);

    // Start-up alone: `sdr --help`.
    const help = await timed(node, [SDR, '--help']);
    figures.sdrHelpMs = Math.round(help.ms);

    // (a) the whole process, ours and numpy alternated.
    const ours: ProcessRun[] = [];
    const peer: ProcessRun[] = [];
    const trainArgs = (out: string, extra: string[] = []) => [SDR, 'train', file, '--out', out, '--grid', w.grid, '--epochs', String(w.epochs), '--workers', '2', '--verbose', ...extra]; // prettier-ignore
    for (let r = 0; r < repeats; r++) {
      log(`sdr train, whole process, run ${r + 1}/${repeats}`);
      const run = await timed(node, trainArgs(join(dir, 'full.sdrmap')));
      if (run.code !== 0) throw new Error(`sdr train failed: ${run.stderr.slice(-500)}`);
      ours.push(run);
      if (python) {
        log(`numpy batch SOM, whole process, run ${r + 1}/${repeats}`);
        const p = await timed(python, [REFERENCE, file, join(dir, 'ref.npy'), '--grid', w.grid, '--epochs', String(w.epochs)]); // prettier-ignore
        if (p.code !== 0) throw new Error(`the numpy reference failed: ${p.stderr.slice(-500)}`);
        peer.push(p);
      }
    }
    const oursMs = median(ours.map((r) => r.ms));
    figures.ours = {
      processMs: Math.round(oursMs),
      runsMs: ours.map((r) => Math.round(r.ms)),
      peakRssMiB: ours[ours.length - 1].peakRssMiB,
      phasesMs: phases(ours[ours.length - 1].stderr),
    };
    if (python) {
      const peerMs = median(peer.map((r) => r.ms));
      const last = JSON.parse(peer[peer.length - 1].stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>; // prettier-ignore
      figures.numpy = {
        python,
        processMs: Math.round(peerMs),
        runsMs: peer.map((r) => Math.round(r.ms)),
        peakRssMiB: peer[peer.length - 1].peakRssMiB,
        phasesMs: last,
      };
      figures.ratioProcessOursOverNumpy = r3(oursMs / peerMs);
    } else {
      figures.numpy = { skipped: 'no Python with numpy (set SDR_BENCH_PYTHON): the numpy comparison is not run' }; // prettier-ignore
    }

    // Map size of each --items choice on the same workload.
    const sizes: Record<string, number> = {};
    for (const items of ['full', 'sdr', 'none']) {
      const out = join(dir, `items-${items}.sdrmap`);
      const run = await timed(node, trainArgs(out, ['--items', items, '--quiet']));
      if (run.code !== 0) throw new Error(`sdr train --items ${items} failed: ${run.stderr.slice(-500)}`); // prettier-ignore
      sizes[items] = statSync(out).size;
      if (items === 'none') figures.processMsItemsNone = Math.round(run.ms);
    }
    figures.mapBytes = sizes;

    // (b) streaming a generated float16 file.
    const big = join(dir, 'stream.npy');
    const sd = quick ? 64 : 512;
    const sEpochs = 2;
    log(`writing ${streamRows.toLocaleString('en-US')} × ${sd} float16 rows to ${big}`);
    const tGen = performance.now();
    writeLargeNpy(big, streamRows, sd);
    const stream: Record<string, unknown> = {
      rows: streamRows,
      dim: sd,
      fileMiB: Math.round(statSync(big).size / 2 ** 20),
      generateMs: Math.round(performance.now() - tGen),
      epochs: sEpochs,
      grid: quick ? '8x8' : '32x32',
    };
    log('sdr train --stream');
    const s = await timed(node, [SDR, 'train', big, '--stream', '--out', join(dir, 'stream.sdrmap'), '--grid', String(stream.grid), '--epochs', String(sEpochs), '--workers', '2', '--verbose']); // prettier-ignore
    if (s.code !== 0) throw new Error(`sdr train --stream failed: ${s.stderr.slice(-500)}`);
    const summary = JSON.parse(s.stdout) as { rowsPerSecond: number; seconds: number };
    stream.ours = {
      trainRowsPerSecond: summary.rowsPerSecond,
      processMs: Math.round(s.ms),
      peakRssMiB: s.peakRssMiB,
      phasesMs: phases(s.stderr),
    };
    if (python) {
      log('numpy, memory-mapped, chunk by chunk');
      const p = await timed(python, [REFERENCE, big, join(dir, 'stream-ref.npy'), '--grid', String(stream.grid), '--epochs', String(sEpochs), '--mmap']); // prettier-ignore
      if (p.code !== 0) throw new Error(`the numpy reference failed: ${p.stderr.slice(-500)}`);
      const ref = JSON.parse(p.stdout.trim().split('\n').pop() ?? '{}') as { trainMs: number };
      const peerRate = (streamRows * sEpochs) / (ref.trainMs / 1000);
      stream.numpy = {
        trainRowsPerSecond: Math.round(peerRate),
        processMs: Math.round(p.ms),
        peakRssMiB: p.peakRssMiB,
      };
      stream.ratioRowsPerSecondOursOverNumpy = r3(summary.rowsPerSecond / peerRate);
    } else {
      stream.numpy = { skipped: 'no Python with numpy' };
    }
    figures.stream = stream;
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
