import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClaims } from '../eval/claims.ts';
import { parseArgs } from './args.ts';
import { loadMapAndEmbeddings } from './files.ts';
import { trainMap, trainSettings } from './train.ts';
import { json, scratchDir, sdr, writeClusters, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());
const n = 160;
const d = 12;

interface Claims {
  neighbourRecallAt10: number;
  bitNoiseKept: { level: number; kept: number }[];
  noveltyAucRandomVectors: number;
  mixtureDispersionAuc: number;
}

beforeAll(async () => {
  const { data, clusterOf } = writeClusters(scratch.path('e.npy'), n, d, 3);
  writeFileSync(scratch.path('labels.txt'), Array.from(clusterOf, (c) => `cluster ${c}`).join('\n') + '\n'); // prettier-ignore
  const spec = { grid: { type: 'string', help: '' }, epochs: { type: 'string', help: '' }, k: { type: 'string', help: '' }, kernel: { type: 'string', help: '' } } as const; // prettier-ignore
  const settings = trainSettings(parseArgs(['--grid', '8x8', '--epochs', '4', '--k', '4', '--kernel', 'js'], spec), 'e.npy'); // prettier-ignore
  const { map } = await trainMap({ data, n, d }, settings, () => undefined);
  writeMap(scratch.path('m.sdrmap'), map);
});

describe('sdr claims', () => {
  it('sets the map beside a random code of the same units and K, claim by claim', async () => {
    const run = await sdr(['claims', scratch.path('m.sdrmap'), scratch.path('e.npy'), '--queries', '40', '--kernel', 'js']); // prettier-ignore
    expect(run.code).toBe(0);
    const r = json<{ units: number; k: number; claims: { map: Claims; randomCode: Claims & { fanIn: number } }; mapNoveltyQeAucRandomVectors: number; noveltyHoldout: null }>(run); // prettier-ignore
    expect(r.units).toBe(64);
    expect(r.k).toBe(4);
    expect(r.noveltyHoldout).toBeNull();
    for (const c of [r.claims.map, r.claims.randomCode]) {
      expect(c.neighbourRecallAt10).toBeGreaterThanOrEqual(0);
      expect(c.neighbourRecallAt10).toBeLessThanOrEqual(1);
      expect(c.bitNoiseKept.map((b) => b.level)).toEqual([0.25, 0.5]);
      expect(c.mixtureDispersionAuc).toBeGreaterThanOrEqual(0);
    }
    expect(r.claims.randomCode.fanIn).toBe(2); // ⌈12 / 10⌉
    // Random directions sit far from a map trained on clusters.
    expect(r.mapNoveltyQeAucRandomVectors).toBeGreaterThan(0.9);
  });

  it('gives the numbers the page’s claim check gives for the same seed and queries', async () => {
    const run = await sdr(['claims', scratch.path('m.sdrmap'), scratch.path('e.npy'), '--queries', '40', '--seed', '5', '--kernel', 'js']); // prettier-ignore
    expect(run.code).toBe(0);
    const r = json<{ claims: { map: Claims; randomCode: Claims }; mapNoveltyQeAucRandomVectors: number }>(run); // prettier-ignore
    const { map, embeddings } = await loadMapAndEmbeddings(scratch.path('m.sdrmap'), scratch.path('e.npy')); // prettier-ignore
    const page = checkClaims(
      { som: map.som, data: embeddings.data, n: embeddings.n, k: 4, active: null, itemsInTraining: true }, // prettier-ignore
      { sample: 40, seed: 5 },
    );
    expect(page.baseline?.map).toEqual(r.claims.map);
    expect(page.baseline?.randomCode).toEqual(r.claims.randomCode);
    expect(page.baseline?.mapNoveltyQeAucRandomVectors).toBe(r.mapNoveltyQeAucRandomVectors);
    // Each claim carries its side-by-side figures: recall@10 sits with "counting shared bits".
    const bits = page.claims.find((c) => c.id === 'bits')!;
    expect(bits.baseline[0]).toMatchObject({ map: r.claims.map.neighbourRecallAt10, randomCode: r.claims.randomCode.neighbourRecallAt10 }); // prettier-ignore
  });

  it('--novelty-holdout retrains without the label and reports each score’s AUC', async () => {
    const run = await sdr(['claims', scratch.path('m.sdrmap'), scratch.path('e.npy'), '--labels', scratch.path('labels.txt'), '--novelty-holdout', 'cluster 0', '--queries', '20', '--kernel', 'js']); // prettier-ignore
    expect(run.code).toBe(0);
    const h = json<{ noveltyHoldout: { label: string; recommended: string; heldOut: number; auc: Record<string, number> } }>(run).noveltyHoldout; // prettier-ignore
    expect(h.label).toBe('cluster 0');
    expect(h.recommended).toBe('centredKnn');
    expect(h.heldOut).toBeGreaterThan(10);
    expect(Object.keys(h.auc).sort()).toEqual(['centredKnn', 'centredQe', 'combined', 'knn', 'qe']);
    // A whole cluster never seen in training is far from the rest: every score finds it.
    for (const v of Object.values(h.auc)) expect(v).toBeGreaterThan(0.8);
  });

  it('refuses a hold-out without labels, an unknown label and a missing file with exit 2', async () => {
    const m = scratch.path('m.sdrmap');
    const e = scratch.path('e.npy');
    const noLabels = await sdr(['claims', m, e, '--novelty-holdout', 'x']);
    expect(noLabels.code).toBe(2);
    expect(noLabels.stderr).toMatch(/needs labels/);
    const unknown = await sdr(['claims', m, e, '--labels', scratch.path('labels.txt'), '--novelty-holdout', 'cluster 9']); // prettier-ignore
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/0 rows carry that label/);
    expect((await sdr(['claims', m])).code).toBe(2);
    expect((await sdr(['claims', m, scratch.path('none.npy')])).code).toBe(2);
  });
});
