/**
 * Helpers for the CLI tests (not shipped in the public API): run `sdr` in-process with captured
 * output, a scratch folder, and small seeded inputs and maps.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from './command.ts';
import {
  createRng,
  encodeMapFile,
  gridSize,
  makeGrid,
  randomNormal,
  syntheticClusters,
  writeNpy,
  type Calibration,
  type SdrMap,
} from '../index.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `sdr argv` in this process; `onStderr` sees each stderr write (e.g. to abort). */
export async function sdr(
  argv: string[],
  options: {
    signal?: AbortSignal;
    onStderr?: (s: string) => void;
    /** The commands `sdr` knows; default its own (COMMANDS). */
    commands?: readonly Command[];
  } = {},
): Promise<CliRun> {
  // Loaded on first use, so tests of single modules do not load every command.
  const { runCli } = await import('./main.ts');
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: (s) => void (stdout += s),
      stderr: (s) => {
        stderr += s;
        options.onStderr?.(s);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    },
    options.commands,
  );
  return { code, stdout, stderr };
}

/** A fresh scratch folder and a function that removes it. */
export function scratchDir(): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'sdr-cli-'));
  return {
    dir,
    path: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Seeded clustered embeddings (unit length) written as a float32 .npy; returns the data too. */
export function writeClusters(
  file: string,
  n: number,
  d: number,
  seed = 1,
): { data: Float32Array; clusterOf: Uint32Array } {
  const s = syntheticClusters({ n, d, clusters: 4, seed });
  writeFileSync(file, writeNpy(s.data, [n, d]));
  return { data: s.data, clusterOf: s.labels };
}

/** Seeded Gaussian rows (not normalised) written as a float32 .npy. */
export function writeGaussian(file: string, n: number, d: number, seed = 7): Float32Array {
  const rng = createRng(seed);
  const data = new Float32Array(n * d);
  for (let t = 0; t < data.length; t++) data[t] = randomNormal(rng);
  writeFileSync(file, writeNpy(data, [n, d]));
  return data;
}

/** A small valid map with a seeded random codebook; calibration optional. */
export function randomMap(
  dim: number,
  side = 4,
  calibration: Calibration | null = null,
  seed = 3,
): SdrMap {
  const grid = makeGrid(side, side);
  const m = gridSize(grid);
  const rng = createRng(seed);
  const codebook = new Float32Array(m * dim);
  for (let t = 0; t < codebook.length; t++) codebook[t] = randomNormal(rng) / Math.sqrt(dim);
  return {
    name: 'random map',
    createdAt: '2025-01-01T00:00:00.000Z',
    model: null,
    som: { grid, dim, codebook },
    training: { grid, epochs: 1, seed, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 10 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration,
  };
}

/** Write `map` as a .sdrmap file and return its bytes. */
export function writeMap(file: string, map: SdrMap): Uint8Array {
  const bytes = encodeMapFile(map);
  writeFileSync(file, bytes);
  return bytes;
}

/** The last JSON value printed on stdout. */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  return JSON.parse(run.stdout) as T;
}
