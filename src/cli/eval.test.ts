import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';
import { hitSummary, summarise } from './eval.ts';
import { trainMap, trainSettings } from './train.ts';
import { json, scratchDir, sdr, writeClusters, writeGaussian, writeMap } from './testKit.ts';
import type { SdrMap } from '../index.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const n = 120;
const d = 10;
let map: SdrMap;

beforeAll(async () => {
  const { data } = writeClusters(scratch.path('e.npy'), n, d, 9);
  const spec = { grid: { type: 'string', help: '' }, epochs: { type: 'string', help: '' }, k: { type: 'string', help: '' } } as const; // prettier-ignore
  const settings = trainSettings(parseArgs(['--grid', '6x6', '--epochs', '5', '--k', '4'], spec), 'e.npy'); // prettier-ignore
  map = (await trainMap({ data, n, d }, settings, () => undefined)).map;
  writeMap(scratch.path('m.sdrmap'), map);
});

describe('hitSummary and summarise', () => {
  it('accounts for every unit and every hit', () => {
    const h = hitSummary([0, 3, 0, 5, 2]);
    expect(h).toEqual({ units: 5, unitsHit: 3, emptyUnits: 2, maxHits: 5, meanHits: 2, meanHitsPerHitUnit: 3.3333 }); // prettier-ignore
  });
  it('orders mean, median, p95 and max sensibly', () => {
    const s = summarise(Float32Array.of(5, 1, 3, 2, 4));
    expect(s).toEqual({ mean: 3, median: 3, p95: 4.8, max: 5 });
  });
});

describe('sdr eval', () => {
  it('on the training data: the training QE, hits adding up, novelty centred on 50', async () => {
    const run = await sdr(['eval', scratch.path('m.sdrmap'), scratch.path('e.npy')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const r = json<{
      rows: number;
      quantizationError: number;
      hits: Record<string, number>;
      novelty: Record<string, number>;
    }>(run);
    expect(r.rows).toBe(n);
    // The saved codebook is float16, so QE matches the trained one to about 3 decimals.
    expect(r.quantizationError).toBeCloseTo(map.quality.quantizationError, 2);
    expect(r.hits.unitsHit + r.hits.emptyUnits).toBe(36);
    expect(r.hits.meanHits * 36).toBeCloseTo(n, 1);
    // Calibrated on these very rows (under 500: no hold-out), so percentiles average ~50.
    expect(r.novelty.mean).toBeGreaterThan(40);
    expect(r.novelty.mean).toBeLessThan(60);
    expect(r.novelty.above95).toBeLessThanOrEqual(0.1);
  });
  it('on random directions: worse fit and high novelty', async () => {
    writeGaussian(scratch.path('r.npy'), 40, d, 4);
    const r = json<{ quantizationError: number; novelty: Record<string, number> }>(
      await sdr(['eval', scratch.path('m.sdrmap'), scratch.path('r.npy'), '--kernel', 'js']),
    );
    expect(r.quantizationError).toBeGreaterThan(map.quality.quantizationError);
    expect(r.novelty.median).toBeGreaterThan(90);
  });
});
