import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMapFile, readNpy, writeNpy } from '../index.ts';
import { rowUniform } from './trainStream.ts';
import { json, scratchDir, sdr, writeClusters } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const n = 700;
const d = 8;
let embFile = '';
let mapFile = '';

beforeAll(async () => {
  embFile = scratch.path('e.npy');
  writeClusters(embFile, n, d, 5);
  mapFile = scratch.path('m.sdrmap');
  const run = await sdr(['train', embFile, '--out', mapFile, '--grid', '5x5', '--epochs', '3', '--k', '4', '--kernel', 'js', '--quiet']); // prettier-ignore
  expect(run.code).toBe(0);
});

describe('sdr train --stream', () => {
  it('trains in chunks, holds out rows by hash, calibrates on them and stores no items', async () => {
    const out = scratch.path('s.sdrmap');
    const run = await sdr(['train', embFile, '--stream', '--chunk-rows', '64', '--out', out, '--grid', '5x5', '--epochs', '3', '--k', '4', '--kernel', 'js']); // prettier-ignore
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/streaming 700 × 8 float32 rows .* in chunks of 64 rows; the map stores no items/); // prettier-ignore
    expect(run.stderr).toMatch(/epoch 3\/3 .* rows\/s/);
    const held = Array.from({ length: n }, (_, i) => i).filter((i) => rowUniform(i, 1) < 0.1);
    const summary = json(run);
    expect(summary).toMatchObject({ streamed: true, inputs: n, trainingRows: n - held.length, items: 0, epochs: 3 }); // prettier-ignore
    const map = decodeMapFile(new Uint8Array(readFileSync(out)));
    expect(map.items).toBeUndefined();
    expect(map.calibration?.qe.length).toBe(held.length);
    expect(map.training.inputs).toBe(n - held.length);
    expect(map.quality.quantizationError).toBeGreaterThan(0);
  });

  it('gives the same codebook whatever the chunk size', async () => {
    const books = [];
    for (const chunk of ['1', '100', '5000']) {
      const out = scratch.path(`c${chunk}.sdrmap`);
      const run = await sdr(['train', embFile, '--stream', '--chunk-rows', chunk, '--out', out, '--grid', '4x4', '--epochs', '2', '--kernel', 'js', '--quiet']); // prettier-ignore
      expect(run.code).toBe(0);
      books.push(decodeMapFile(new Uint8Array(readFileSync(out))).som.codebook);
    }
    // Saved as float16: chunking changes only the float64 summation order, far below its step.
    for (let i = 0; i < books[0].length; i++) {
      expect(Math.abs(books[1][i] - books[0][i])).toBeLessThan(1e-3);
      expect(Math.abs(books[2][i] - books[0][i])).toBeLessThan(1e-3);
    }
  });

  it('Ctrl-C mid-run saves the last finished epoch, exit 130', async () => {
    const out = scratch.path('stop.sdrmap');
    const controller = new AbortController();
    const run = await sdr(
      [
        'train',
        embFile,
        '--stream',
        '--chunk-rows',
        '50',
        '--out',
        out,
        '--grid',
        '4x4',
        '--epochs',
        '50',
        '--kernel',
        'js',
      ],
      {
        // prettier-ignore
        signal: controller.signal,
        onStderr: (s) => {
          if (s.startsWith('epoch  2/')) controller.abort();
        },
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/stopped after epoch 2 of 50/);
    const map = decodeMapFile(new Uint8Array(readFileSync(out)));
    expect(map.som.codebook.every(Number.isFinite)).toBe(true);
    expect(map.training.epochs).toBe(50);
  });

  it('refuses what a streamed map cannot hold, and non-.npy input', async () => {
    const labels = await sdr(['train', embFile, '--stream', '--labels', embFile, '--out', scratch.path('x.sdrmap')]); // prettier-ignore
    expect(labels.code).toBe(2);
    expect(labels.stderr).toMatch(/--labels cannot be used when streaming/);
    const items = await sdr(['train', embFile, '--stream', '--items', 'full', '--out', scratch.path('x.sdrmap')]); // prettier-ignore
    expect(items.stderr).toMatch(/stores no items/);
    const csv = scratch.path('e.csv');
    const notNpy = await sdr(['train', csv, '--stream', '--out', scratch.path('x.sdrmap')]);
    expect(notNpy.stderr).toMatch(/--stream reads .npy files/);
  });

  it('refuses a truncated .npy before training', async () => {
    const bad = scratch.path('bad.npy');
    const bytes = writeNpy(new Float32Array(40 * d).fill(1), [40, d]);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, bytes.subarray(0, bytes.length - 10));
    const run = await sdr(['train', bad, '--stream', '--out', scratch.path('x.sdrmap')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad.npy: file is truncated/);
  });
});

describe('sdr train --items', () => {
  it('full keeps embeddings, sdr drops them, none drops every item', async () => {
    const sizes: Record<string, number> = {};
    for (const items of ['full', 'sdr', 'none']) {
      const out = scratch.path(`i-${items}.sdrmap`);
      const run = await sdr(['train', embFile, '--items', items, '--out', out, '--grid', '4x4', '--epochs', '1', '--kernel', 'js', '--quiet']); // prettier-ignore
      expect(run.code).toBe(0);
      const map = decodeMapFile(new Uint8Array(readFileSync(out)));
      sizes[items] = readFileSync(out).length;
      if (items === 'none') expect(map.items).toBeUndefined();
      else expect(map.items?.sdrs.length).toBe(n * map.items!.k);
      expect(map.items?.embeddings !== undefined).toBe(items === 'full');
    }
    expect(sizes.full).toBeGreaterThan(sizes.sdr);
    expect(sizes.sdr).toBeGreaterThan(sizes.none);
    const clash = await sdr(['train', embFile, '--items', 'full', '--no-embeddings', '--out', scratch.path('x.sdrmap')]); // prettier-ignore
    expect(clash.stderr).toMatch(/ask for different things/);
  });
});

describe('sdr encode --stream', () => {
  it.each(['jsonl', 'csv', 'npy'])('writes the same %s as the in-memory encode', async (ext) => {
    const whole = scratch.path(`whole.${ext}`);
    const streamed = scratch.path(`streamed.${ext}`);
    expect((await sdr(['encode', mapFile, embFile, '--kernel', 'js', '--out', whole])).code).toBe(0); // prettier-ignore
    const run = await sdr(['encode', mapFile, embFile, '--kernel', 'js', '--stream', '--chunk-rows', '33', '--out', streamed]); // prettier-ignore
    expect(run.code).toBe(0);
    expect(json(run)).toMatchObject({ rows: n, streamed: true });
    if (ext === 'npy') {
      const a = readNpy(new Uint8Array(readFileSync(whole)));
      const b = readNpy(new Uint8Array(readFileSync(streamed)));
      expect(b.shape).toEqual(a.shape);
      expect(b.data).toEqual(a.data);
    } else {
      expect(readFileSync(streamed, 'utf8')).toBe(readFileSync(whole, 'utf8'));
    }
  });

  it('refuses a whole .json document (streams are written row by row)', async () => {
    const out = scratch.path('x.json');
    const run = await sdr(['encode', mapFile, embFile, '--stream', '--out', out]);
    expect(run.stderr).toMatch(/not one .json document/);
  });
});
