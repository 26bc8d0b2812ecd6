import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMapFile, encodeBatch, encodeMapFile, overlap, sdrFromSorted } from '../index.ts';
import { parseArgs } from './args.ts';
import { estimateMapBytes, trainMap, trainSettings } from './train.ts';
import { json, scratchDir, sdr, writeClusters, writeGaussian } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());

describe('trainSettings', () => {
  const spec = {
    grid: { type: 'string', help: '' },
    topology: { type: 'string', help: '' },
    k: { type: 'string', help: '' },
    'radius-end': { type: 'string', help: '' },
  } as const;
  it('picks 32x32 and K = 20 (2% of the units) for any file, with the documented defaults', () => {
    expect(trainSettings(parseArgs(['--topology', 'hex'], spec), 'x.npy').config.grid).toEqual({ rows: 32, cols: 32, topology: 'hex' }); // prettier-ignore
    // K follows the grid: about 2% of its units.
    expect(trainSettings(parseArgs(['--grid', '16x16'], spec), 'x.npy').k).toBe(5);
    expect(trainSettings(parseArgs(['--grid', '64x64'], spec), 'x.npy').k).toBe(82);
    const s = trainSettings(parseArgs([], spec), 'dir/concepts.npy');
    expect(s).toMatchObject({ k: 20, workers: 1, kernel: 'ort', holdout: 0.1, embeddings: true });
    expect(s.config).toEqual({
      grid: { rows: 32, cols: 32, topology: 'rect' },
      epochs: 20,
      seed: 1,
      init: 'pca',
      radiusStart: 16,
      radiusEnd: 1,
    });
    expect(s.name).toBe('concepts');
  });
  it('refuses a bad grid and a K larger than the map, naming the option', () => {
    expect(() => trainSettings(parseArgs(['--grid', '32by32'], spec), 'x.npy')).toThrow(/--grid: grid must look like 32x32/); // prettier-ignore
    expect(() => trainSettings(parseArgs(['--grid', '0x5'], spec), 'x.npy')).toThrow(/--grid/);
    expect(() => trainSettings(parseArgs(['--grid', '3x3', '--k', '10'], spec), 'x.npy')).toThrow(/--k must be an integer from 1 to 9/); // prettier-ignore
  });
});

describe('estimateMapBytes', () => {
  it('is close to the real file size, and counts embeddings at 2 bytes a value', async () => {
    const n = 150;
    const d = 12;
    const { data } = writeClusters(scratch.path('size.npy'), n, d, 8);
    const labels = Array.from({ length: n }, (_, i) => `concept number ${i}`);
    const spec = { grid: { type: 'string', help: '' }, epochs: { type: 'string', help: '' }, k: { type: 'string', help: '' } } as const; // prettier-ignore
    const s = trainSettings(parseArgs(['--grid', '5x5', '--epochs', '1', '--k', '3'], spec), 'x'); // prettier-ignore
    const { map } = await trainMap({ data, n, d, labels }, s, () => undefined);
    const real = encodeMapFile(map).length;
    const chars = labels.reduce((t, l) => t + l.length, 0); // ASCII: one byte a character
    const estimate = estimateMapBytes(25, d, n, 3, chars, true);
    expect(estimate).toBeGreaterThan(real * 0.9);
    expect(estimate).toBeLessThan(real * 1.25);
    expect(estimate - estimateMapBytes(25, d, n, 3, chars, false)).toBe(2 * n * d);
  });
});

describe('trainMap', () => {
  it('fits the data better than the initial map, and keeps every row as an item', async () => {
    const n = 240;
    const d = 16;
    const { data } = writeClusters(scratch.path('c.npy'), n, d);
    const labels = Array.from({ length: n }, (_, i) => `item ${i}`);
    const lines: string[] = [];
    const settings = trainSettings(
      parseArgs(['--grid', '6x6', '--epochs', '4', '--k', '5', '--kernel', 'js'], {
        grid: { type: 'string', help: '' },
        epochs: { type: 'string', help: '' },
        k: { type: 'string', help: '' },
        kernel: { type: 'string', help: '' },
      }),
      'c.npy',
    );
    const r = await trainMap({ data, n, d, labels }, settings, (l) => lines.push(l));
    const epochLines = lines.filter((l) => l.startsWith('epoch '));
    expect(epochLines).toHaveLength(4);
    expect(epochLines[0]).toMatch(/^epoch 1\/4 {2}σ +\d+\.\d\d {2}QE \d\.\d{4} {2}TE \d\.\d{4} {2}\d+ ms\n$/); // prettier-ignore
    const firstQe = Number(/QE (\S+)/.exec(epochLines[0])?.[1]);
    expect(r.map.quality.quantizationError).toBeLessThan(firstQe);
    expect(r.calibratedOn).toBe('training'); // 10% of 240 is under 50 rows
    expect(r.map.calibration?.qe.length).toBe(n);
    expect(r.map.items?.labels).toEqual(labels);
    expect(r.map.items?.sdrs.length).toBe(n * 5);
    expect(r.map.unitLabels).toHaveLength(36);
    expect(r.map.training.inputs).toBe(n);
  });
});

describe('sdr train', () => {
  it('writes a map that reads back, with a JSON summary on stdout and epochs on stderr', async () => {
    const n = 600;
    const { data } = writeClusters(scratch.path('big.npy'), n, 12, 2);
    const out = scratch.path('big.sdrmap');
    const run = await sdr(['train', scratch.path('big.npy'), '--grid', '5x7', '--epochs', '3', '--k', '4', '--topology', 'hex', '--out', out]); // prettier-ignore
    expect(run.stderr).not.toMatch(/sdr:/);
    expect(run.code).toBe(0);
    const summary = json(run);
    expect(summary).toMatchObject({ out, grid: '5x7', topology: 'hex', units: 35, dim: 12, inputs: n, epochs: 3, k: 4, items: n, unitLabels: false }); // prettier-ignore
    expect(summary.calibration).toEqual({ on: 'holdout', rows: 60 });
    expect(summary.trainingRows).toBe(540);
    expect(run.stderr.match(/^epoch \d\/3 /gm)).toHaveLength(3);
    const map = decodeMapFile(new Uint8Array(readFileSync(out)));
    expect(summary.bytes).toBe(readFileSync(out).length);
    expect(map.som.grid).toEqual({ rows: 5, cols: 7, topology: 'hex' });
    expect(map.items?.labels[0]).toBe('row 1');
    expect(map.items?.embeddings?.length).toBe(n * 12);
    // The file holds a float16 codebook; re-encoding every item with the map as read back gives
    // exactly the SDRs stored at training time.
    const again = encodeBatch(map.som, data, n, { k: 4 });
    expect(Array.from(again.active)).toEqual(Array.from(map.items?.sdrs ?? []));
  });

  it('gives the same map with 2 worker threads as with one (up to summation order)', async () => {
    writeClusters(scratch.path('w.npy'), 200, 8, 3);
    const base = ['train', scratch.path('w.npy'), '--grid', '4x4', '--epochs', '3', '--kernel', 'js', '--quiet']; // prettier-ignore
    const one = await sdr([...base, '--out', scratch.path('w1.sdrmap')]);
    const two = await sdr([...base, '--workers', '2', '--out', scratch.path('w2.sdrmap')]);
    expect([one.code, two.code, one.stderr, two.stderr]).toEqual([0, 0, '', '']);
    expect(json(two).quantizationError).toBeCloseTo(json(one).quantizationError as number, 3);
  });

  it('stops after the current epoch on Ctrl-C and still saves the map (exit 130)', async () => {
    writeClusters(scratch.path('s.npy'), 100, 8, 4);
    const controller = new AbortController();
    const out = scratch.path('s.sdrmap');
    const run = await sdr(
      ['train', scratch.path('s.npy'), '--grid', '4x4', '--epochs', '50', '--kernel', 'js', '--out', out], // prettier-ignore
      { signal: controller.signal, onStderr: (s) => s.startsWith('epoch  2/') && controller.abort() }, // prettier-ignore
    );
    expect(run.code).toBe(130);
    expect(json(run)).toMatchObject({ epochs: 2, stoppedEarly: true });
    expect(existsSync(out)).toBe(true);
  });

  it('needs --out, and refuses a 1-D array as too few rows to train on', async () => {
    writeClusters(scratch.path('o.npy'), 20, 4);
    const noOut = await sdr(['train', scratch.path('o.npy')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toBe('sdr: train needs --out FILE.sdrmap: where to save the map\n');
    writeGaussian(scratch.path('flat.npy'), 1, 64);
    const flat = await sdr(['train', scratch.path('flat.npy'), '--out', scratch.path('f.sdrmap')]);
    expect(flat.code).toBe(2);
    expect(flat.stderr).toMatch(
      /^sdr: training needs at least 2 embeddings, .*flat.npy holds 1 \(a 1-D array is read as one embedding\)\n$/,
    );
  });
});

const CLIP = join(process.cwd(), '..', 'shared', 'data', 'clip-vit-b32-text');
const haveClip = existsSync(join(CLIP, 'coco-80.npy'));
if (!haveClip) {
  console.warn(`skipping the real-CLIP CLI test: ${CLIP} is absent (../shared is not mounted)`);
}

describe.skipIf(!haveClip)(
  'sdr train → encode → info on real CLIP text embeddings (coco-80)',
  () => {
    it('trains a labelled map whose concepts are less novel than random directions', async () => {
      const map = scratch.path('coco.sdrmap');
      const train = await sdr([
      'train', join(CLIP, 'coco-80.npy'), '--labels', join(CLIP, 'coco-80.labels.txt'),
      '--grid', '8x8', '--epochs', '8', '--k', '6', '--model', 'Xenova/clip-vit-base-patch32',
      '--out', map, '--quiet',
    ]); // prettier-ignore
      expect(train.stderr).toBe('');
      expect(train.code).toBe(0);
      expect(json(train)).toMatchObject({ inputs: 80, dim: 512, unitLabels: true, items: 80 });

      const info = json(await sdr(['info', map]));
      expect(info).toMatchObject({ name: 'coco-80', model: 'Xenova/clip-vit-base-patch32', grid: '8x8', dim: 512 }); // prettier-ignore
      expect(info.calibration).toEqual({ k: 6, inputs: 80 });
      expect(info.items).toMatchObject({ count: 80, k: 6 });

      // The concepts themselves sit at typical novelty; random directions in CLIP space do not.
      const concepts = await sdr(['encode', map, join(CLIP, 'coco-80.npy'), '--labels', join(CLIP, 'coco-80.labels.txt')]); // prettier-ignore
      expect(concepts.code).toBe(0);
      const rows = json<{ rows: { label: string; active: number[]; novelty: number }[] }>(concepts).rows; // prettier-ignore
      expect(rows).toHaveLength(80);
      const meanNovelty = rows.reduce((s, r) => s + r.novelty, 0) / rows.length;
      expect(meanNovelty).toBeGreaterThan(35);
      expect(meanNovelty).toBeLessThan(65);
      writeGaussian(scratch.path('random512.npy'), 20, 512, 11);
      const random = json<{ rows: { novelty: number }[] }>(await sdr(['encode', map, scratch.path('random512.npy')])); // prettier-ignore
      for (const r of random.rows) expect(r.novelty).toBeGreaterThan(95);

      // Related concepts share more units than unrelated ones.
      const sdrOf = (label: string) => {
        const row = rows.find((r) => r.label === label);
        if (!row) throw new Error(`no row labelled ${label}`);
        return sdrFromSorted({ rows: 8, cols: 8, topology: 'rect' }, Uint32Array.from(row.active));
      };
      expect(overlap(sdrOf('cat'), sdrOf('dog'))).toBeGreaterThan(overlap(sdrOf('cat'), sdrOf('airplane'))); // prettier-ignore

      // The items saved in the map are the SDRs `encode` gives for the same rows (the saved
      // codebook is float16, which may swap the last-ranked unit of a rare row).
      const saved = decodeMapFile(new Uint8Array(readFileSync(map))).items;
      let differ = 0;
      rows.forEach((r, i) => {
        const own = Array.from(saved?.sdrs.subarray(i * 6, i * 6 + 6) ?? []);
        if (own.join() !== r.active.join()) differ++;
      });
      expect(differ).toBeLessThanOrEqual(2);
    });
  },
);
