/**
 * A large embeddings file for trying the page at scale (issue 11: 100,000 CLIP-sized rows):
 * `rows` float32 rows of `dim` numbers in seeded clusters (so a trained map has regions), as
 * a `.npy` (format 1.0), plus a labels file (one label a line: the row's cluster name and its
 * row number, e.g. "heron 100000", so every row can be found by name). Written chunk by chunk:
 * memory stays small whatever `rows` is. Never commit the output (100,000 × 512 is 205 MB).
 *
 *   npx tsx scripts/make-large-npy.ts OUT.npy [--rows 100000] [--dim 512] [--clusters 40] [--seed 7]
 *
 * e2e/scale.spec.ts and the bench call `writeLargeNpy` directly.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { npyHeaderBytes } from '../src/io/npy.ts';
import { createRng, randomInt, randomNormal } from '../src/util/random.ts';

export interface LargeNpySpec {
  /** Rows; default 100,000, from 1. */
  readonly rows?: number;
  /** Numbers per row; default 512 (CLIP ViT-B/32), from 2. */
  readonly dim?: number;
  /** Clusters the rows fall in; default 40, from 1. */
  readonly clusters?: number;
  /** Seed of everything random; default 7. */
  readonly seed?: number;
}

/** Cluster names: the labels' first word. */
const NAMES = [
  'heron', 'maple', 'tram', 'violin', 'lantern', 'otter', 'canyon', 'teapot', 'glacier', 'kite',
  'cactus', 'anchor', 'falcon', 'meadow', 'bicycle', 'walrus', 'harbor', 'saddle', 'comet', 'fern',
]; // prettier-ignore

/** The label of row `i` (0-based) in cluster `c`. */
function largeNpyLabel(c: number, i: number): string {
  const name = NAMES[c % NAMES.length];
  const round = Math.floor(c / NAMES.length);
  return `${round === 0 ? name : `${name}${round + 1}`} ${i + 1}`;
}

/**
 * Write `path` (.npy, float32) and, when `labelsPath` is given, its labels file. Resolves to
 * the labels of the first and last rows (what a test looks for).
 */
export function writeLargeNpy(
  path: string,
  labelsPath: string | null,
  spec: LargeNpySpec = {},
): { first: string; last: string } {
  const rows = spec.rows ?? 100_000;
  const dim = spec.dim ?? 512;
  const clusters = spec.clusters ?? 40;
  const rng = createRng(spec.seed ?? 7);
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`rows must be ≥ 1, got ${rows}`);
  if (!Number.isInteger(dim) || dim < 2) throw new RangeError(`dim must be ≥ 2, got ${dim}`);
  const centres = new Float32Array(clusters * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = randomNormal(rng);
  // Spread around each centre comparable to the distance between centres, as CLIP classes are.
  const spread = 0.6;
  const fd = openSync(path, 'w');
  const labels: string[] = [];
  try {
    writeSync(fd, npyHeaderBytes([rows, dim], 'f4'));
    const chunkRows = 4096;
    const chunk = new Float32Array(chunkRows * dim);
    for (let start = 0; start < rows; start += chunkRows) {
      const count = Math.min(chunkRows, rows - start);
      for (let r = 0; r < count; r++) {
        const c = randomInt(rng, clusters);
        if (labelsPath) labels.push(largeNpyLabel(c, start + r));
        for (let k = 0; k < dim; k++) {
          chunk[r * dim + k] = centres[c * dim + k] + spread * randomNormal(rng);
        }
      }
      writeSync(fd, new Uint8Array(chunk.buffer, 0, count * dim * 4));
    }
  } finally {
    closeSync(fd);
  }
  if (labelsPath) writeFileSync(labelsPath, labels.join('\n') + '\n');
  return { first: labels[0] ?? '', last: labels[labels.length - 1] ?? '' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a));
  const num = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : undefined;
  };
  if (!out) {
    console.error('usage: npx tsx scripts/make-large-npy.ts OUT.npy [--rows N] [--dim D] [--clusters C] [--seed S]'); // prettier-ignore
    process.exit(2);
  }
  const labelsPath = out.replace(/\.npy$/, '') + '.labels.txt';
  const t0 = Date.now();
  const { last } = writeLargeNpy(out, labelsPath, {
    rows: num('rows'),
    dim: num('dim'),
    clusters: num('clusters'),
    seed: num('seed'),
  });
  console.error(`wrote ${out} and ${labelsPath} in ${Date.now() - t0} ms (last label: ${last})`);
}
