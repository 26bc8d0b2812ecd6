#!/usr/bin/env node
// Builds the built-in atlas the page opens on (public/atlas/concepts-v1.sdrmap) from real CLIP
// ViT-B/32 text embeddings: the LVIS 1,203 class names, then the COCO 80 names that LVIS does
// not already have, each embedded as the prompt "a {name}" (Detic's arrays, Apache-2.0; see
// ../shared/data/clip-vit-b32-text/README.md). It trains with the project's own `sdr train`
// (the compiled CLI, rebuilt when stale) at the engine defaults (32×32, K ≈ 2% of the units)
// with a fixed seed, so the same inputs give the same file, byte for byte.
//
//   npm run atlas                    build into public/atlas/
//   npm run atlas -- --data DIR      read the embeddings from DIR instead
//
// Plain JavaScript: it only reads two .npy headers and concatenates float16 rows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dataFlag = args.indexOf('--data');
const dataDir =
  dataFlag >= 0 ? args[dataFlag + 1] : join(root, '..', 'shared', 'data', 'clip-vit-b32-text');

// Keep in step with app/lib/builtinAtlas.ts (the page fetches this file by these names).
const OUT = join(root, 'public', 'atlas', 'concepts-v1.sdrmap');
const NAME = 'CLIP concepts (LVIS + COCO)';
const MODEL = 'Xenova/clip-vit-base-patch32';
const SEED = '1';
// The creation time written into the map (SOURCE_DATE_EPOCH): fixed, so rebuilds are identical.
const CREATED = String(Date.UTC(2026, 0, 1) / 1000);

/** A C-order float16 .npy file of shape (n, d): its rows' raw bytes and its shape. */
function readNpyF16(path) {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = bytes[6];
  const headerLen = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = bytes.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f2'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${path}: expected little-endian float16 in C order, got ${header.trim()}`);
  }
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw new Error(`${path}: expected a 2-d shape, got ${header.trim()}`);
  const n = Number(shape[1]);
  const d = Number(shape[2]);
  const body = bytes.subarray(start);
  if (body.length !== n * d * 2) throw new Error(`${path}: ${body.length} bytes for ${n}×${d}`);
  return { body, n, d };
}

/** Lines of a labels file, as words: LVIS writes `aerosol_can`, people read "aerosol can". */
function readLabels(path, n) {
  const labels = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().replace(/_/g, ' '));
  if (labels.length !== n) throw new Error(`${path} has ${labels.length} labels for ${n} rows`);
  return labels;
}

/** A version-1 .npy header for float16 rows of shape (n, d), padded to 64 bytes as numpy does. */
function npyHeader(n, d) {
  let dict = `{'descr': '<f2', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  const unpadded = 10 + dict.length + 1;
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1')]);
}

const lvis = readNpyF16(join(dataDir, 'lvis-1203.npy'));
const coco = readNpyF16(join(dataDir, 'coco-80.npy'));
if (lvis.d !== coco.d) throw new Error(`LVIS rows are ${lvis.d}-d but COCO rows ${coco.d}-d`);
const d = lvis.d;
const lvisLabels = readLabels(join(dataDir, 'lvis-1203.labels.txt'), lvis.n);
const cocoLabels = readLabels(join(dataDir, 'coco-80.labels.txt'), coco.n);

// 59 COCO names are LVIS names too, embedded from the same prompt (rows equal to float16
// rounding): a second "dog" would only make two identical items. Keep the COCO-only 21.
const known = new Set(lvisLabels);
const rows = [lvis.body];
const labels = [...lvisLabels];
cocoLabels.forEach((label, i) => {
  if (known.has(label)) return;
  known.add(label);
  rows.push(coco.body.subarray(i * d * 2, (i + 1) * d * 2));
  labels.push(label);
});

const work = mkdtempSync(join(tmpdir(), 'sdr-atlas-'));
try {
  const npy = join(work, 'concepts.npy');
  const labelsPath = join(work, 'concepts.labels.txt');
  writeFileSync(npy, Buffer.concat([npyHeader(labels.length, d), ...rows]));
  writeFileSync(labelsPath, labels.join('\n') + '\n');
  mkdirSync(dirname(OUT), { recursive: true });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-cli.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  // The JS kernel on one thread: the same arithmetic on every machine (onnxruntime's kernels
  // may sum in another order on other CPUs, which moves the last bits of the codebook).
  execFileSync(
    process.execPath,
    [
      join(root, 'bin', 'sdr.mjs'),
      'train',
      npy,
      '--labels',
      labelsPath,
      '--out',
      OUT,
      '--name',
      NAME,
      '--model',
      MODEL,
      '--seed',
      SEED,
      '--kernel',
      'js',
      '--workers',
      '1',
      '--items',
      'full',
      '--quiet',
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, SOURCE_DATE_EPOCH: CREATED },
    },
  );
  const size = statSync(OUT).size;
  console.log(
    `build-atlas: ${labels.length} concepts (${lvis.n} LVIS + ${labels.length - lvis.n} COCO-only) → ${OUT} (${(size / 1024).toFixed(0)} KiB)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
