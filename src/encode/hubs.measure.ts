/**
 * Where large K makes summaries mislead: for a range of K, the share of items whose SDR holds
 * the busiest unit (hubShare), the share of items whose "around …" summary (the 3 most frequent
 * unit labels among its active units) names that hub unit's label, and the share whose summary
 * names the item's own label. Not a test:
 *   npx tsx src/encode/hubs.measure.ts [path/to/clip-vit-b32-text]
 * prints one JSON line per dataset and K. The LVIS rows need the folder; the synthetic clustered
 * rows (40 clusters of 30 noisy copies of a random direction, d = 64) always run. Maps: 32×32,
 * PCA init, 20 epochs, seed 1; unit labels: each unit's nearest item (as `sdr train` labels).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeGrid, gridSize } from '../grid/grid.ts';
import { readNpy } from '../io/npy.ts';
import { normalizeRows } from '../io/embeddings.ts';
import { createJsBackend } from '../som/backend.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { train } from '../som/trainer.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, randomNormal } from '../util/random.ts';
import { encodeBatch } from './encode.ts';
import { hubShare } from './hubs.ts';
import { labelUnits } from './unitLabels.ts';

const KS = [5, 10, 20, 30, 40, 50, 60, 80, 100];

/** The 3 most frequent labels among `active` (ties alphabetical), as the page's summary. */
function summary(active: Uint32Array, labels: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const u of active) counts.set(labels[u], (counts.get(labels[u]) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([l]) => l);
}

async function measure(name: string, data: Float32Array, n: number, d: number, names: string[]) {
  const grid = makeGrid(32, 32);
  const snap = await train(data, n, defaultTrainConfig(grid, { epochs: 20, seed: 1 }));
  const som: SomModel = { grid, dim: d, codebook: snap.codebook };
  const labels = await labelUnits(createJsBackend(), som, data, names);
  const m = gridSize(grid);
  for (const k of KS) {
    const enc = encodeBatch(som, data, n, { k });
    const hub = hubShare({ n, k, active: enc.active }, m);
    let hubNamed = 0;
    let ownNamed = 0;
    for (let i = 0; i < n; i++) {
      const s = summary(enc.active.subarray(i * k, (i + 1) * k), labels);
      if (s.includes(labels[hub.unit])) hubNamed++;
      if (s.includes(names[i])) ownNamed++;
    }
    const r = (v: number) => Math.round(v * 1000) / 1000;
    console.log(
      JSON.stringify({
        data: name,
        k,
        kShare: r(k / m),
        hubShare: r(hub.share),
        hubLabel: labels[hub.unit],
        hubInSummary: r(hubNamed / n),
        ownInSummary: r(ownNamed / n),
      }),
    );
  }
}

function clustered(): { data: Float32Array; n: number; d: number; names: string[] } {
  const rng = createRng(7);
  const clusters = 40;
  const per = 30;
  const d = 64;
  const n = clusters * per;
  const data = new Float32Array(n * d);
  const names: string[] = [];
  for (let c = 0; c < clusters; c++) {
    const centre = Float32Array.from({ length: d }, () => randomNormal(rng));
    let norm = 0;
    for (const v of centre) norm += v * v;
    for (let j = 0; j < per; j++) {
      const i = c * per + j;
      for (let t = 0; t < d; t++) {
        data[i * d + t] = centre[t] / Math.sqrt(norm) + 0.08 * randomNormal(rng);
      }
      names.push(`cluster ${c + 1}`);
    }
  }
  return { data: normalizeRows(data, n, d), n, d, names };
}

const folder = process.argv[2];
if (folder) {
  const npy = readNpy(readFileSync(join(folder, 'lvis-1203.npy')));
  const [n, d] = npy.shape;
  const names = readFileSync(join(folder, 'lvis-1203.labels.txt'), 'utf8').trim().split('\n');
  await measure('lvis-1203', normalizeRows(Float32Array.from(npy.data), n, d), n, d, names);
}
const syn = clustered();
await measure('synthetic-40x30', syn.data, syn.n, syn.d, syn.names);
