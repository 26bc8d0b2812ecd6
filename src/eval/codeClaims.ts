/**
 * The claims an SDR code makes, measured the same way for any code (the map's, or the random
 * baseline's from randomCode.ts), so they can be set side by side:
 * - neighbour recall@10: the 10 items sharing most units with an item (itself left out) against
 *   its 10 nearest by exact cosine;
 * - bit-noise robustness: with a share of an item's active units moved to random other units,
 *   is the item still its own best match by overlap (ties count half)?
 * - novelty AUC: K − the best overlap with any stored item (itself left out), random unit
 *   vectors against the items (the SDR alone, no QE);
 * - mixture dispersion AUC: spatial dispersion of blends of two items against single items.
 * DOM-free, seeded, on flat arrays; `onProgress` is called between stages.
 */
import { OverlapIndex } from '../sdr/overlapIndex.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { dispersion } from '../sdr/spatial.ts';
import type { Grid } from '../grid/grid.ts';
import { gridSize } from '../grid/grid.ts';
import { createRng, randomInt, sampleWithoutReplacement } from '../util/random.ts';
import { mannWhitneyAuc } from './auc.ts';
import { mixRows, randomUnitRows } from './synthetic.ts';

/** Turns count unit rows (count·d) into count·k ascending unit indices. */
export type Encoder = (rows: Float32Array, count: number) => Uint32Array;

export interface CodeClaimsOptions {
  /** Items used as queries (recall, noise); default 200, at most n. */
  readonly queries?: number;
  /** Shares of active units moved for the noise claim; default [0.25, 0.5]. */
  readonly noiseLevels?: readonly number[];
  /** Random vectors and blends; default 200 each. */
  readonly probes?: number;
  readonly seed?: number;
  readonly onProgress?: (done: number, total: number, stage: string) => void;
}

export interface CodeClaims {
  readonly neighbourRecallAt10: number;
  /** Share of items still their own best match, per noise level. */
  readonly bitNoiseKept: readonly { readonly level: number; readonly kept: number }[];
  readonly noveltyAucRandomVectors: number;
  readonly mixtureDispersionAuc: number;
}

function round(x: number): number {
  return Number(x.toFixed(4));
}

/** Measure the four claims of one code on n unit rows (n·d); `active` is their n·k SDRs. */
export function measureCodeClaims(
  grid: Grid,
  k: number,
  active: Uint32Array,
  encode: Encoder,
  data: Float32Array,
  n: number,
  d: number,
  options: CodeClaimsOptions = {},
): CodeClaims {
  if (active.length !== n * k) throw new RangeError(`${active.length} indices are not ${n} SDRs of ${k}`); // prettier-ignore
  if (n < 12) throw new RangeError(`the claims need at least 12 items, got ${n}`);
  const seed = options.seed ?? 1;
  const rng = createRng(seed);
  const q = Math.min(n, options.queries ?? 200);
  const probes = options.probes ?? 200;
  const progress = options.onProgress ?? (() => undefined);
  const index = new OverlapIndex(grid);
  index.addMany(active, k);
  index.build();
  const row = (a: Uint32Array, i: number) => sdrFromSorted(grid, a.subarray(i * k, (i + 1) * k));
  const queries = sampleWithoutReplacement(rng, n, q);

  progress(0, 4, 'neighbour recall');
  let recall = 0;
  const best = new Float32Array(10);
  const bestId = new Int32Array(10);
  for (const i of queries) {
    best.fill(-Infinity);
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let t = 0; t < d; t++) s += data[i * d + t] * data[j * d + t];
      if (s <= best[9]) continue;
      let p = 9;
      while (p > 0 && best[p - 1] < s) {
        best[p] = best[p - 1];
        bestId[p] = bestId[p - 1];
        p--;
      }
      best[p] = s;
      bestId[p] = j;
    }
    const truth = new Set(bestId);
    const found = index
      .search(row(active, i), 11)
      .ids.filter((id) => id !== i)
      .slice(0, 10);
    let hit = 0;
    for (const id of found) if (truth.has(id)) hit++;
    recall += hit / 10;
  }

  progress(1, 4, 'bit noise');
  const m = gridSize(grid);
  const bitNoiseKept = (options.noiseLevels ?? [0.25, 0.5]).map((level) => {
    const moves = Math.round(level * k);
    let kept = 0;
    for (const i of queries) {
      const units = new Set(active.subarray(i * k, (i + 1) * k));
      const drop = sampleWithoutReplacement(rng, k, moves);
      const list = Array.from(active.subarray(i * k, (i + 1) * k));
      for (const t of drop) units.delete(list[t]);
      while (units.size < k) units.add(randomInt(rng, m));
      const noisy = sdrFromSorted(grid, Uint32Array.from(units).sort());
      const r = index.search(noisy, n);
      const top = r.overlaps[0];
      let ties = 0;
      let selfTop = false;
      for (let t = 0; t < r.ids.length && r.overlaps[t] === top; t++) {
        ties++;
        if (r.ids[t] === i) selfTop = true;
      }
      if (selfTop) kept += ties === 1 ? 1 : 0.5;
    }
    return { level, kept: round(kept / q) };
  });

  progress(2, 4, 'novelty');
  const sdrNovelty = (a: Uint32Array, i: number, self: number) => {
    const r = index.search(row(a, i), 2);
    for (let t = 0; t < r.ids.length; t++) if (r.ids[t] !== self) return k - r.overlaps[t];
    return k;
  };
  const randomRows = randomUnitRows(probes, d, rng);
  const randomActive = encode(randomRows, probes);
  const itemNovelty = Array.from(queries, (i) => sdrNovelty(active, i, i));
  const randomNovelty = Array.from({ length: probes }, (_, i) => sdrNovelty(randomActive, i, -1));

  progress(3, 4, 'mixture dispersion');
  const blends = mixRows(data, n, d, probes, rng);
  const blendActive = encode(blends.rows, probes);
  const blendSpread = Array.from({ length: probes }, (_, i) => dispersion(row(blendActive, i)));
  const itemSpread = Array.from(queries, (i) => dispersion(row(active, i)));
  progress(4, 4, 'done');
  return {
    neighbourRecallAt10: round(recall / q),
    bitNoiseKept,
    noveltyAucRandomVectors: round(mannWhitneyAuc(randomNovelty, itemNovelty)),
    mixtureDispersionAuc: round(mannWhitneyAuc(blendSpread, itemSpread)),
  };
}
