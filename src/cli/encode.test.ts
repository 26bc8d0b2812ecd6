import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy, type SdrMap } from '../index.ts';
import { parseArgs } from './args.ts';
import { trainMap, trainSettings } from './train.ts';
import { json, randomMap, scratchDir, sdr, writeClusters, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const n = 60;
const d = 8;
let mapFile = '';
let embFile = '';

interface Row {
  row: number;
  label?: string;
  active: number[];
  qe: number;
  novelty: number | null;
  dispersion: number;
  dispersionPercentile: number | null;
  clusters: number;
  largestCluster: number;
}

beforeAll(async () => {
  embFile = scratch.path('e.npy');
  const { data } = writeClusters(embFile, n, d, 5);
  const spec = { grid: { type: 'string', help: '' }, epochs: { type: 'string', help: '' }, k: { type: 'string', help: '' }, kernel: { type: 'string', help: '' } } as const; // prettier-ignore
  const settings = trainSettings(parseArgs(['--grid', '5x5', '--epochs', '3', '--k', '4', '--kernel', 'js'], spec), embFile); // prettier-ignore
  const { map } = await trainMap({ data, n, d }, settings, () => undefined);
  mapFile = scratch.path('m.sdrmap');
  writeMap(mapFile, map);
});

describe('sdr encode', () => {
  it('prints every row’s SDR and scores as JSON, with the calibration’s K by default', async () => {
    const run = await sdr(['encode', mapFile, embFile]);
    expect(run.code).toBe(0);
    const out = json<{ grid: string; k: number; rows: Row[] }>(run);
    expect(out.grid).toBe('5x5');
    expect(out.k).toBe(4);
    expect(out.rows).toHaveLength(n);
    for (const r of out.rows) {
      expect(r.active).toHaveLength(4);
      for (let i = 1; i < 4; i++) expect(r.active[i]).toBeGreaterThan(r.active[i - 1]);
      expect(r.novelty).toBeGreaterThanOrEqual(0);
      expect(r.novelty).toBeLessThanOrEqual(100);
      expect(r.clusters).toBeGreaterThanOrEqual(1);
      expect(r.largestCluster).toBeLessThanOrEqual(4);
    }
    // Novelty is the percentile of qe: it never goes down as qe goes up.
    const byQe = [...out.rows].sort((a, b) => a.qe - b.qe);
    for (let i = 1; i < byQe.length; i++) {
      expect(byQe[i].novelty as number).toBeGreaterThanOrEqual(byQe[i - 1].novelty as number);
    }
  });

  it('writes the same SDRs as JSON lines, CSV and .npy, chosen by --out extension', async () => {
    const stdoutRows = json<{ rows: Row[] }>(await sdr(['encode', mapFile, embFile, '--k', '3'])).rows; // prettier-ignore
    const active = stdoutRows.map((r) => r.active);

    const jsonl = await sdr(['encode', mapFile, embFile, '--k', '3', '--out', scratch.path('o.jsonl')]); // prettier-ignore
    expect(jsonl.code).toBe(0);
    expect(json(jsonl)).toMatchObject({ format: 'jsonl', rows: n, k: 3 });
    const lines = readFileSync(scratch.path('o.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Row).active)).toEqual(active);

    await sdr(['encode', mapFile, embFile, '--k', '3', '--out', scratch.path('o.csv')]);
    const csv = readFileSync(scratch.path('o.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('row,label,qe,novelty,dispersion,dispersion_percentile,clusters,largest_cluster,active'); // prettier-ignore
    expect(csv.slice(1).map((l) => l.split(',')[8].split(' ').map(Number))).toEqual(active);
    // K 3 differs from the calibration's K 4: the dispersion percentile would compare unlike SDRs.
    expect(csv[1].split(',')[5]).toBe('');

    await sdr(['encode', mapFile, embFile, '--k', '3', '--out', scratch.path('o.npy')]);
    const npy = readNpy(new Uint8Array(readFileSync(scratch.path('o.npy'))));
    expect(npy.shape).toEqual([n, 3]);
    expect(Array.from(npy.data)).toEqual(active.flat());
  });

  it('gives null novelty, and says so, for a map without calibration', async () => {
    const bare: SdrMap = randomMap(d, 3);
    const file = scratch.path('bare.sdrmap');
    writeMap(file, bare);
    const run = await sdr(['encode', file, embFile, '--kernel', 'js']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/no calibration, so novelty is null/);
    const rows = json<{ k: number; rows: Row[] }>(run);
    expect(rows.k).toBe(9); // min(20, 9 units)
    expect(rows.rows[0].novelty).toBeNull();
  });
});
