import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdrMap } from '../index.ts';
import { parseArgs } from './args.ts';
import { trainMap, trainSettings } from './train.ts';
import { scratchDir, sdr, writeClusters, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const n = 300;
const d = 12;
let map: SdrMap;

interface Line {
  row: number;
  mode: string;
  items: number[];
  labels: string[];
  cosines: number[] | null;
  overlaps: number[] | null;
  dotProducts: number;
  shortlist: number;
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

beforeAll(async () => {
  const { data } = writeClusters(scratch.path('e.npy'), n, d, 5);
  writeClusters(scratch.path('q.npy'), 20, d, 6);
  const spec = { grid: { type: 'string', help: '' }, epochs: { type: 'string', help: '' }, k: { type: 'string', help: '' }, kernel: { type: 'string', help: '' } } as const; // prettier-ignore
  const settings = trainSettings(parseArgs(['--grid', '8x8', '--epochs', '4', '--k', '4', '--kernel', 'js'], spec), 'e.npy'); // prettier-ignore
  map = (await trainMap({ data, n, d }, settings, () => undefined)).map;
  writeMap(scratch.path('m.sdrmap'), map);
  const { embeddings: _dropped, ...bare } = map.items!;
  writeMap(scratch.path('bare.sdrmap'), { ...map, items: bare });
});

describe('sdr search', () => {
  it('prints one JSON line per query; rerank beats overlap alone and never beats exact', async () => {
    const m = scratch.path('m.sdrmap');
    const q = scratch.path('q.npy');
    const exact = await sdr(['search', m, q, '--mode', 'exact', '--kernel', 'js']);
    expect(exact.code).toBe(0);
    const truth = lines(exact.stdout);
    expect(truth).toHaveLength(20);
    for (const [i, r] of truth.entries()) {
      expect(r.row).toBe(i);
      expect(r.items).toHaveLength(10);
      expect(r.labels).toHaveLength(10);
      expect(r.dotProducts).toBe(n);
      for (let j = 1; j < 10; j++) expect(r.cosines![j]).toBeLessThanOrEqual(r.cosines![j - 1]);
    }
    const recall = (rows: Line[]) =>
      rows.reduce((s, r, i) => s + r.items.filter((id) => truth[i].items.includes(id)).length, 0) /
      (10 * rows.length);
    const reranked = lines((await sdr(['search', m, q, '--shortlist', '100', '--kernel', 'js'])).stdout); // prettier-ignore
    const overlap = lines((await sdr(['search', m, q, '--mode', 'overlap', '--kernel', 'js'])).stdout); // prettier-ignore
    for (const [i, r] of reranked.entries()) {
      expect(r.mode).toBe('rerank');
      expect(r.dotProducts).toBeLessThanOrEqual(100);
      // The j-th best of a subset is never better than the j-th best of all.
      r.cosines!.forEach((c, j) => expect(c).toBeLessThanOrEqual(truth[i].cosines![j] + 1e-6));
    }
    expect(recall(reranked)).toBeGreaterThan(recall(overlap));
  });

  it('the overlap mode ranks by shared units alone, with overlaps and no cosines', async () => {
    const run = await sdr(['search', scratch.path('m.sdrmap'), scratch.path('q.npy'), '--mode', 'overlap', '--top', '5', '--kernel', 'js']); // prettier-ignore
    expect(run.code).toBe(0);
    for (const r of lines(run.stdout)) {
      expect(r.cosines).toBeNull();
      expect(r.overlaps!.length).toBeLessThanOrEqual(5);
      for (let j = 1; j < r.overlaps!.length; j++)
        expect(r.overlaps![j]).toBeLessThanOrEqual(r.overlaps![j - 1]);
      expect(r.dotProducts).toBe(0);
    }
  });

  it('on a map without embeddings: overlap only, said on stderr; other modes exit 2', async () => {
    const bare = scratch.path('bare.sdrmap');
    const q = scratch.path('q.npy');
    const run = await sdr(['search', bare, q, '--kernel', 'js']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/stores no embeddings, so this search is overlap only/);
    expect(lines(run.stdout)[0].mode).toBe('overlap');
    const refused = await sdr(['search', bare, q, '--mode', 'rerank', '--kernel', 'js']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs stored embeddings/);
  });

  it('refuses bad options and a shortlist below --top with exit 2', async () => {
    const m = scratch.path('m.sdrmap');
    const q = scratch.path('q.npy');
    for (const extra of [
      ['--mode', 'fuzzy'],
      ['--top', '0'],
      ['--top', '20', '--shortlist', '10'],
      ['--mode', 'exact', '--shortlist', '50'],
    ]) {
      // prettier-ignore
      const run = await sdr(['search', m, q, ...extra]);
      expect(run.code, extra.join(' ')).toBe(2);
    }
    expect((await sdr(['search', m])).code).toBe(2);
  });
});
