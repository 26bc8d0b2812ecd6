/**
 * Training on real CLIP ViT-B/32 text embeddings (the 1,203 LVIS category prompts in
 * ../shared/data/clip-vit-b32-text): related concepts must land near each other on the map.
 * Skips, saying why, where that folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBatch } from '../encode/encode.ts';
import { makeGrid, unitDistance } from '../grid/grid.ts';
import { readNpy } from '../io/npy.ts';
import type { MatmulBackend } from './backend.ts';
import { defaultTrainConfig } from './config.ts';
import { createOrtNodeBackend } from './ortNode.ts';
import { bestUnits, quantizationError } from './quality.ts';
import { train } from './trainer.ts';
import type { SomSnapshot } from './types.ts';

const dir = fileURLToPath(new URL('../../../shared/data/clip-vit-b32-text/', import.meta.url));
const present = existsSync(`${dir}lvis-1203.npy`) && existsSync(`${dir}lvis-1203.labels.txt`);
if (!present) {
  console.warn(
    `skipping the real-CLIP SOM test: ${dir} is absent (needs ../shared next to the repo)`,
  );
}

describe.skipIf(!present)('a SOM trained on real CLIP text embeddings', () => {
  let labels: string[];
  let data: Float32Array;
  let snap: SomSnapshot;
  let backend: MatmulBackend;
  const d = 512;

  beforeAll(async () => {
    const npy = readNpy(new Uint8Array(readFileSync(`${dir}lvis-1203.npy`)));
    labels = readFileSync(`${dir}lvis-1203.labels.txt`, 'utf8').trim().split('\n');
    expect(npy.shape).toEqual([labels.length, d]);
    data = npy.data;
    // CLIP compares by angle: unit length, as the app's embedder delivers them.
    for (let i = 0; i < labels.length; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += data[i * d + k] ** 2;
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < d; k++) data[i * d + k] *= inv;
    }
    backend = await createOrtNodeBackend();
    const config = defaultTrainConfig(makeGrid(16, 16), { epochs: 10 });
    snap = await train(data, labels.length, config, { backend });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  const row = (name: string) => {
    const i = labels.indexOf(name);
    if (i < 0) throw new Error(`label ${name} not in the LVIS list`);
    return i;
  };

  it('fits: the trained map is closer to the data than the initial one', () => {
    const first = snap.history[0].quantizationError;
    const last = snap.history[snap.history.length - 1].quantizationError;
    const final = quantizationError(snap, data, labels.length);
    expect(last).toBeLessThan(first);
    expect(final).toBeLessThan(0.92 * first);
  });

  it('puts cat nearer kitten and dog than a non-animal', () => {
    const { best } = bestUnits(snap, data, labels.length);
    const grid = snap.grid;
    const dist = (a: string, b: string) => unitDistance(grid, best[row(a)], best[row(b)]);
    expect(dist('cat', 'kitten')).toBeLessThan(dist('cat', 'aerosol_can'));
    expect(dist('cat', 'dog')).toBeLessThan(dist('cat', 'aerosol_can'));
    expect(dist('cat', 'kitten')).toBeLessThan(dist('cat', 'screwdriver'));
    // As groups: animals sit closer to each other than to tools.
    const animals = ['cat', 'kitten', 'dog', 'puppy', 'lion', 'tiger'];
    const tools = ['aerosol_can', 'screwdriver', 'wrench', 'toothbrush', 'bulldozer'];
    let within = 0;
    let across = 0;
    for (const a of animals) for (const b of animals) within += dist(a, b);
    for (const a of animals) for (const b of tools) across += dist(a, b);
    expect(within / animals.length ** 2).toBeLessThan(
      0.5 * (across / (animals.length * tools.length)),
    );
  });

  it('gives cat and kitten overlapping SDRs, cat and aerosol can far fewer shared units', () => {
    const e = encodeBatch(snap, data, labels.length, { k: 10 });
    const sdr = (name: string) => new Set(e.active.subarray(row(name) * 10, row(name) * 10 + 10));
    const overlap = (a: string, b: string) => [...sdr(a)].filter((u) => sdr(b).has(u)).length;
    expect(overlap('cat', 'kitten')).toBeGreaterThan(overlap('cat', 'aerosol_can'));
    expect(overlap('cat', 'kitten')).toBeGreaterThanOrEqual(3);
  });
});
