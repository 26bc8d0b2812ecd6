import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMap } from './info.ts';
import { json, randomMap, scratchDir, sdr, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());

describe('describeMap', () => {
  it('reports the header figures of a map without calibration or items as such', () => {
    const info = describeMap(randomMap(10, 3), 1234);
    expect(info).toMatchObject({
      name: 'random map',
      model: null,
      grid: '3x3',
      topology: 'rect',
      units: 9,
      dim: 10,
      calibration: null,
      items: null,
      unitLabels: 0,
      bytes: 1234,
    });
    expect(info.training).toEqual({ inputs: 10, epochs: 1, seed: 3, init: 'random', radiusStart: 2, radiusEnd: 1 }); // prettier-ignore
  });
});

describe('sdr info', () => {
  it('prints the header of a saved map, with calibration size, item count and file size', async () => {
    const base = randomMap(6, 2);
    const map = {
      ...base,
      calibration: { k: 2, qe: Float32Array.of(0.1, 0.2, 0.3), dispersion: Float32Array.of(0.5, 0.6, 0.7) }, // prettier-ignore
      unitLabels: ['a', 'b', 'c', 'd'],
      items: { labels: ['x', 'y'], k: 2, sdrs: Uint32Array.of(0, 1, 2, 3) },
    };
    const file = scratch.path('m.sdrmap');
    writeMap(file, map);
    const run = await sdr(['info', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const info = json(run);
    expect(info.calibration).toEqual({ k: 2, inputs: 3 });
    expect(info.items).toEqual({ count: 2, k: 2, embeddings: false, thumbnails: false });
    expect(info.unitLabels).toBe(4);
    expect(info.bytes).toBe(readFileSync(file).length);
  });
  it('takes exactly one file', async () => {
    const run = await sdr(['info', 'a.sdrmap', 'b.sdrmap']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('sdr: info takes one map file, got 2 arguments\n');
  });
});
