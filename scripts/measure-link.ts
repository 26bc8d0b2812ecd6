/**
 * Link size and SDR agreement per grid size (the table in src/io/mapLink.ts):
 *
 *   npx tsx scripts/measure-link.ts [folder of clip-vit-b32-text]   (default ../shared/data/…)
 *
 * For the 1,203 LVIS CLIP text embeddings (when the folder is there) and a synthetic clustered
 * set of 1,333 rows, 10% of rows are held out; a map is trained on the rest at 16×16, 24×24,
 * 32×32, 48×48 and 64×64 (512-d, the engine's defaults), carrying every training row as an item
 * (label, SDR at K = 2% of units, embedding). linkFragmentFor makes its link; the script prints
 * the rung, link characters, packed bytes, whether every item's SDR came back identical, and the
 * share of active units the held-out rows keep on the linked map (top-K by cosine).
 */
import { existsSync, readFileSync } from 'node:fs';
import { encodeBatch } from '../src/encode/encode.ts';
import { makeGrid } from '../src/grid/grid.ts';
import { normalizedRows } from '../src/io/embeddings.ts';
import type { SdrMap } from '../src/io/mapModel.ts';
import { readNpy } from '../src/io/npy.ts';
import {
  InlineMapTooLargeError,
  linkFragmentFor,
  readLinkFragment,
  shrinkForLink,
} from '../src/share/inlineMap.ts';
import type { SomModel } from '../src/som/types.ts';
import { defaultTrainConfig } from '../src/som/config.ts';
import { syntheticClusters } from '../src/som/synthetic.ts';
import { train } from '../src/som/trainer.ts';
import { createRng, sampleWithoutReplacement } from '../src/util/random.ts';

const d = 512;
const folder =
  process.argv[2] ?? new URL('../../shared/data/clip-vit-b32-text/', import.meta.url).pathname;
const sides = (process.env.SIDES ?? '16,24,32,48,64').split(',').map(Number);

interface Rows {
  name: string;
  data: Float32Array;
  n: number;
  labels: string[];
}
const sets: Rows[] = [];
if (existsSync(`${folder}/lvis-1203.npy`)) {
  const npy = readNpy(new Uint8Array(readFileSync(`${folder}/lvis-1203.npy`)));
  const labels = readFileSync(`${folder}/lvis-1203.labels.txt`, 'utf8').trim().split('\n');
  sets.push({
    name: 'LVIS',
    data: normalizedRows(npy.data, npy.shape[0], d),
    n: npy.shape[0],
    labels,
  });
} else {
  console.error(`(no ${folder}/lvis-1203.npy: measuring the synthetic set only)`);
}
const syn = syntheticClusters({ n: 1333, d, clusters: 12, seed: 7 });
sets.push({
  name: 'synthetic',
  data: syn.data,
  n: syn.n,
  labels: Array.from({ length: syn.n }, (_, i) => `cluster ${syn.labels[i]} item ${i}`),
});

/** Share of active units the rows keep on `b` against `a` (top-K by cosine). */
function heldAgreement(a: SomModel, b: SomModel, rows: Float32Array, n: number, k: number) {
  const x = encodeBatch(a, rows, n, { k }).active;
  const y = encodeBatch(b, rows, n, { k }).active;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const s = new Set(x.subarray(i * k, (i + 1) * k));
    for (let j = i * k; j < (i + 1) * k; j++) if (s.has(y[j])) kept++;
  }
  return kept / (n * k);
}

function pick(data: Float32Array, rows: number[]): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, j) => out.set(data.subarray(r * d, (r + 1) * d), j * d));
  return out;
}

console.log('set        grid   K   rung   link chars  packed B  items same  agreement(held-out)');
for (const set of sets) {
  const held = new Set(sampleWithoutReplacement(createRng(3), set.n, Math.round(set.n / 10)));
  const trainRows = [...Array(set.n).keys()].filter((i) => !held.has(i));
  const heldRows = [...held];
  const trainData = pick(set.data, trainRows);
  const heldData = pick(set.data, heldRows);
  for (const side of sides) {
    const grid = makeGrid(side, side);
    const snap = await train(trainData, trainRows.length, defaultTrainConfig(grid));
    const k = Math.max(1, Math.round(side * side * 0.02));
    const som = { grid, dim: d, codebook: snap.codebook };
    const sdrs = encodeBatch(som, trainData, trainRows.length, { k }).active;
    const map: SdrMap = {
      name: `${set.name} ${side}×${side}`,
      createdAt: '2026-01-01T00:00:00.000Z',
      model: 'Xenova/clip-vit-base-patch32',
      som,
      training: { ...snap.config, inputs: trainRows.length },
      quality: { quantizationError: 0.5, topographicError: 0.1 },
      calibration: null,
      items: { labels: trainRows.map((r) => set.labels[r]), k, sdrs, embeddings: trainData },
    };
    const row = (rest: string) =>
      console.log(
        `${set.name.padEnd(10)} ${`${side}×${side}`.padEnd(6)} ${String(k).padEnd(3)} ${rest}`,
      );
    try {
      const fragment = linkFragmentFor(map);
      const back = readLinkFragment(fragment.text).map;
      const same = back.items!.sdrs.every((v, i) => v === sdrs[i]);
      row(
        `${fragment.precision.padEnd(6)} ${String(fragment.text.length).padStart(10)}  ${String(fragment.packedBytes).padStart(8)}  ${same ? 'yes' : 'NO '}         ${heldAgreement(som, back.som, heldData, heldRows.length, k).toFixed(4)} (probe ${fragment.agreement.toFixed(4)} on ${fragment.agreementProbes})`,
      );
    } catch (e) {
      if (!(e instanceof InlineMapTooLargeError)) throw e;
      row(`does not fit (${(e.packedBytes / 1024).toFixed(1)} KiB packed at best)`);
      const shrunk = shrinkForLink(map);
      const back = readLinkFragment(shrunk.fragment.text).map;
      const g = back.som.grid;
      const agree =
        g.rows === side
          ? heldAgreement(som, back.som, heldData, heldRows.length, k).toFixed(4)
          : 'n/a (other grid)';
      row(
        `  shrinkForLink → ${g.rows}×${g.cols}, ${shrunk.fragment.precision}, ${shrunk.fragment.text.length} chars, ${shrunk.fragment.packedBytes} B, held-out agreement ${agree}: ${shrunk.changes.join('; ')}`,
      );
    }
  }
}
