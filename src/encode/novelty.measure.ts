/**
 * Which novelty score finds unseen classes: AUCs of every score of noveltyScores.ts, per
 * setting, for (a) a class held out of training against held-out rows of the trained classes,
 * and (b) gross out-of-distribution input against the same rows. Not a test:
 *   npx tsx src/encode/novelty.measure.ts [path/to/clip-vit-b32-text]
 * prints one JSON line per setting (text groups need the folder; synthetic settings always run).
 *
 * Protocol: in-distribution rows (all but the held-out group) are split 80/20 by a seeded
 * shuffle; a map (16×16 rect, 10 epochs, PCA init) is trained on the 80%; the 20% are the
 * negatives of every AUC, so no score sees its own training rows. Calibration for the combined
 * score is the training rows' own scores (kNN leave-one-out). Gross OOD sets: random unit
 * vectors; each test row with its dimensions shuffled; every test row under one random signed
 * permutation of the axes (an orthogonal map: "another model" with the same geometry).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mannWhitneyAuc } from '../eval/auc.ts';
import { makeGrid } from '../grid/grid.ts';
import { readNpy } from '../io/npy.ts';
import { normalizeRows } from '../io/embeddings.ts';
import { sdrFromSorted } from '../sdr/sdr.ts';
import { dispersion } from '../sdr/spatial.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { train } from '../som/trainer.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, randomInt, randomNormal, type Rng } from '../util/random.ts';
import { encodeBatch } from './encode.ts';
import { calibratedPercentiles, meanOfRows, NOVELTY_SCORE_KINDS, noveltyScores, type NoveltySource } from './noveltyScores.ts'; // prettier-ignore

type Kind = (typeof NOVELTY_SCORE_KINDS)[number] | 'combined' | 'dispersion';

function gather(data: Float32Array, d: number, ids: ArrayLike<number>): Float32Array {
  const out = new Float32Array(ids.length * d);
  for (let i = 0; i < ids.length; i++) out.set(data.subarray(ids[i] * d, (ids[i] + 1) * d), i * d);
  return out;
}

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function grossSets(
  test: Float32Array,
  n: number,
  d: number,
  rng: Rng,
): Record<string, Float32Array> {
  const random = new Float32Array(200 * d);
  for (let i = 0; i < random.length; i++) random[i] = randomNormal(rng);
  normalizeRows(random, 200, d);
  const dimShuffled = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const p = shuffled(d, rng);
    for (let t = 0; t < d; t++) dimShuffled[i * d + t] = test[i * d + p[t]];
  }
  const perm = shuffled(d, rng);
  const sign = Array.from({ length: d }, () => (rng() < 0.5 ? -1 : 1));
  const otherModel = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) otherModel[i * d + t] = sign[t] * test[i * d + perm[t]]; // prettier-ignore
  return { randomUnit: random, shuffledDims: dimShuffled, signedPermutation: otherModel };
}

export interface NoveltySetting {
  readonly name: string;
  readonly data: Float32Array; // unit rows
  readonly d: number;
  /** Row ids of the held-out class (never trained on). */
  readonly heldOut: readonly number[];
}

const r3 = (x: number) => Number(x.toFixed(3));

/** AUC per score for the held-out class and each gross OOD set, on one setting and seed. */
export async function measureNovelty(
  setting: NoveltySetting,
  seed = 1,
  only?: readonly Kind[],
): Promise<Record<string, unknown>> {
  // prettier-ignore
  const { data, d } = setting;
  const n = data.length / d;
  const held = new Set(setting.heldOut);
  const rng = createRng(seed);
  const inDist = shuffled(n, rng).filter((i) => !held.has(i));
  const cut = Math.round(0.8 * inDist.length);
  const trainRows = gather(data, d, inDist.slice(0, cut));
  const nTrain = cut;
  const test = gather(data, d, inDist.slice(cut));
  const nTest = inDist.length - cut;
  const heldRows = gather(data, d, setting.heldOut);
  const grid = makeGrid(16, 16);
  const snap = await train(trainRows, nTrain, defaultTrainConfig(grid, { epochs: 10, seed }));
  const som: SomModel = { grid, dim: d, codebook: snap.codebook };
  const source: NoveltySource = { som, mean: meanOfRows(trainRows, nTrain, d), reference: trainRows }; // prettier-ignore
  const k = 5; // ≈ 2% of 256 units
  const disp = (rows: Float32Array, count: number) => {
    const a = encodeBatch(som, rows, count, { k }).active;
    return Float32Array.from({ length: count }, (_, i) => dispersion(sdrFromSorted(grid, a.subarray(i * k, (i + 1) * k)))); // prettier-ignore
  };
  // Calibration of the combined score, computed only when asked for.
  let calibCache: { centredQe: Float32Array; centredKnn: Float32Array } | null = null;
  const calibration = () =>
    (calibCache ??= {
      centredQe: noveltyScores('centredQe', source, trainRows, nTrain).sort(),
      centredKnn: noveltyScores('centredKnn', source, trainRows, nTrain, true).sort(),
    });
  const score = (kind: Kind, rows: Float32Array, count: number): Float32Array => {
    if (kind === 'dispersion') return disp(rows, count);
    if (kind === 'combined') {
      const calib = calibration();
      const a = calibratedPercentiles(calib.centredQe, noveltyScores('centredQe', source, rows, count)); // prettier-ignore
      const b = calibratedPercentiles(calib.centredKnn, noveltyScores('centredKnn', source, rows, count)); // prettier-ignore
      return Float32Array.from(a, (v, i) => (v + b[i]) / 2);
    }
    return noveltyScores(kind, source, rows, count);
  };
  const kinds: readonly Kind[] = only ?? [...NOVELTY_SCORE_KINDS, 'combined', 'dispersion'];
  const sets: Record<string, Float32Array> = { heldOutClass: heldRows, ...grossSets(test, nTest, d, rng) }; // prettier-ignore
  const out: Record<string, Record<string, number>> = {};
  for (const kind of kinds) {
    const neg = score(kind, test, nTest);
    out[kind] = {};
    for (const [name, rows] of Object.entries(sets)) {
      out[kind][name] = r3(mannWhitneyAuc(score(kind, rows, rows.length / d), neg));
    }
  }
  return { setting: setting.name, seed, train: nTrain, test: nTest, heldOut: setting.heldOut.length, auc: out }; // prettier-ignore
}

function loadUnit(path: string): { data: Float32Array; n: number; d: number } {
  const arr = readNpy(readFileSync(path));
  const [n, d] = arr.shape;
  const data = Float32Array.from(arr.data as ArrayLike<number>);
  normalizeRows(data, n, d);
  return { data, n, d };
}

/** Text settings: LVIS 1,203 + COCO 80 prompts, holding out one keyword group at a time. */
export function textSettings(folder: string): NoveltySetting[] {
  const lvis = loadUnit(join(folder, 'lvis-1203.npy'));
  const coco = loadUnit(join(folder, 'coco-80.npy'));
  const d = lvis.d;
  const data = new Float32Array((lvis.n + coco.n) * d);
  data.set(lvis.data);
  data.set(coco.data, lvis.n * d);
  const meta = readFileSync(join(folder, 'lvis-1203.meta.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { name: string; definition: string }); // prettier-ignore
  const cocoNames = readFileSync(join(folder, 'coco-80.labels.txt'), 'utf8').trim().split('\n');
  const groups: Record<string, { words: RegExp; coco: readonly string[] }> = {
    animals: { words: /\b(animal|mammal|bird|fish|insect|reptile|dog|cat|horse|cattle|bovine|sheep|deer|bear|monkey|snake|frog|whale|duck|goose|fowl|chicken|rodent)s?\b/i, coco: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'] }, // prettier-ignore
    food: { words: /\b(food|fruit|vegetable|dish|eaten|edible|bread|cake|cheese|meat|sauce|beverage|drink|pastry|candy)s?\b/i, coco: ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'] }, // prettier-ignore
    vehicles: { words: /\b(vehicle|car|boat|ship|aircraft|truck|bicycle|motorcycle|train|bus|automobile|vessel)s?\b/i, coco: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'] }, // prettier-ignore
  };
  return Object.entries(groups).map(([name, g]) => {
    const ids: number[] = [];
    meta.forEach((row, i) => {
      if (g.words.test(row.definition)) ids.push(i);
    });
    cocoNames.forEach((label, i) => {
      if (g.coco.includes(label.trim())) ids.push(lvis.n + i);
    });
    return { name: `text, hold out ${name}`, data, d, heldOut: ids };
  });
}

/**
 * Image-like synthetic settings: a two-level hierarchy (`families` super-clusters of
 * `perFamily` sub-clusters, like breeds within "dog"), every row sharing one strong common
 * direction (CLIP image rows have cosine ≈ 0.5 with each other). The held-out class is one
 * sub-cluster whose siblings are trained on: an unseen class near seen ones, the hard case.
 */
export function imageLikeSettings(
  seed: number,
  d = 256,
  families = 6,
  perFamily = 4,
  perClass = 100,
): NoveltySetting[] {
  // prettier-ignore
  const rng = createRng(seed + 100);
  const unit = (v: Float32Array) => (normalizeRows(v, 1, d), v);
  const gauss = (scale: number) => Float32Array.from({ length: d }, () => randomNormal(rng) * scale); // prettier-ignore
  const common = unit(gauss(1));
  const classes: Float32Array[] = [];
  for (let f = 0; f < families; f++) {
    const family = unit(gauss(1));
    for (let c = 0; c < perFamily; c++) {
      const sub = unit(gauss(1));
      classes.push(unit(Float32Array.from(family, (v, t) => v + 0.5 * sub[t])));
    }
  }
  const n = classes.length * perClass;
  const data = new Float32Array(n * d);
  const heldOut: number[] = [];
  for (let c = 0; c < classes.length; c++) {
    for (let r = 0; r < perClass; r++) {
      const i = c * perClass + r;
      const noise = gauss(1.3 / Math.sqrt(d));
      for (let t = 0; t < d; t++) data[i * d + t] = classes[c][t] + noise[t] + 1.1 * common[t];
      if (c === 0) heldOut.push(i);
    }
  }
  normalizeRows(data, n, d);
  return [{ name: `image-like synthetic (d=${d}, ${families}×${perFamily} classes in families, common direction), seed ${seed}`, data, d, heldOut }]; // prettier-ignore
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const folder = process.argv[2];
  const settings: NoveltySetting[] = [];
  if (folder) settings.push(...textSettings(folder));
  for (const seed of [1, 2, 3]) settings.push(...imageLikeSettings(seed));
  for (const s of settings) process.stdout.write(`${JSON.stringify(await measureNovelty(s))}\n`);
}
