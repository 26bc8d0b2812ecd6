/**
 * The claim check: four things said about SDRs on a self-organizing map, each measured on the
 * person's own map and data, with a one-line verdict that says so plainly when a claim does not
 * hold. DOM-free: the lab worker runs it; Node tests run it directly.
 *
 * (a) "One concept lights a tight cluster, many concepts spread out": dispersion of single
 *     items' SDRs against blends of two random items (AUC, Mann–Whitney).
 * (b) "Out-of-distribution inputs scatter / are novel": quantisation error (what the novelty
 *     percentile ranks) and dispersion of random directions and of blends, against items.
 * (c) "SDRs survive noise": is the nearest item by overlap unchanged after moving or dropping
 *     10% and 50% of the active cells, next to dense vectors under matched noise.
 * (d) "Similarity is counting shared bits": the random-SDR false-match probability at θ next to
 *     the measured share of items overlapping a query by ≥ θ, and how often the overlap
 *     neighbour is among the 10 nearest by cosine.
 *
 * Measured on CLIP ViT-B/32 text embeddings (see the project notes): (a) AUC 0.60–0.69, (b) QE
 * AUC 1.00 for random vectors, dispersion 0.70–0.97, (c) top-1 kept 65–85% at 10%, 30–50% at
 * 50%, (d) 1–2% of items overlap by ≥ θ (theory: ~1e-13), overlap top-1 in dense top-10 34–64%.
 * The thresholds below put those in 'partly'.
 *
 * Beside each claim, a random code with the same units and K (codeBaseline.ts, the numbers
 * `sdr claims` prints): if the map does no better than it, the claim is about sparse codes in
 * general, not about the map.
 */
import { encodeBatch } from '../encode/encode.ts';
import { mannWhitneyAuc } from './auc.ts';
import { BASELINE_MIN_ITEMS, compareWithRandomCode, type CodeBaseline } from './codeBaseline.ts';
import { MeasureError } from './errors.ts';
import { fractionAtLeast, overlapDistribution } from './overlapDistribution.ts';
import { measureRobustness } from './robustness.ts';
import { mixRows, randomUnitRows } from './synthetic.ts';
import { gridSize, type Grid } from '../grid/grid.ts';
import { falseMatchLog10Probability } from '../sdr/falseMatch.ts';
import { OverlapIndex } from '../sdr/overlapIndex.ts';
import { sdrFromSorted, type SDR } from '../sdr/sdr.ts';
import { dispersion } from '../sdr/spatial.ts';
import type { SomModel } from '../som/types.ts';
import { createRng, sampleWithoutReplacement } from '../util/random.ts';

export interface ClaimsInput {
  readonly som: SomModel;
  /** n·d unit-length embeddings of the person's items. */
  readonly data: Float32Array;
  readonly n: number;
  /** Active units per SDR. */
  readonly k: number;
  /** n·k SDR rows of `data` at K = k (the store's encoding); null to encode them here. */
  readonly active: Uint32Array | null;
  /** True when the map was trained on these very items, so they are not held out. */
  readonly itemsInTraining: boolean;
}

export interface ClaimsOptions {
  /** Items measured, and blends and random vectors made; default 200, from 10 to 5,000. */
  readonly sample?: number;
  /** Seed of every draw; default 1, any whole number. */
  readonly seed?: number;
  /** Match threshold θ for (d); default ⌈K/2⌉, from 1 to K. */
  readonly theta?: number;
  /**
   * Set a random code with the same units and K beside the map for each claim
   * (compareWithRandomCode, the numbers `sdr claims --seed S --queries N` gives with S = seed and
   * N = sample); default true. Needs at least 12 items; with fewer the report's baseline is null.
   */
  readonly baseline?: boolean;
}

export type ClaimId = 'concepts' | 'novelty' | 'noise' | 'bits';
export type Verdict = 'holds' | 'partly' | 'fails';

export interface ClaimFigure {
  readonly label: string;
  readonly value: number;
  /**
   * How to read `value`: an AUC (0 to 1), a share (shown as a percentage), a plain number, or
   * the log10 of a probability (tiny probabilities stay exact).
   */
  readonly kind: 'auc' | 'share' | 'number' | 'log10-probability';
}

export interface ClaimResult {
  readonly id: ClaimId;
  /** The claim, in the words it is usually made in. */
  readonly claim: string;
  readonly verdict: Verdict;
  /** One line: the verdict and the figure it rests on. */
  readonly summary: string;
  readonly figures: readonly ClaimFigure[];
  /** The sample sizes, in words. */
  readonly samples: string;
  /** The map's SDRs beside the random code on this claim's measures; empty without a baseline. */
  readonly baseline: readonly BaselineFigure[];
}

/** A claim judged on the map alone, before the random code is set beside it. */
export type Verdicted = Omit<ClaimResult, 'baseline'>;

/** One measure on both codes, measured the same way (codeClaims.ts). */
export interface BaselineFigure {
  readonly label: string;
  readonly map: number;
  readonly randomCode: number;
  readonly kind: 'auc' | 'share';
}

export interface ClaimsReport {
  readonly claims: readonly ClaimResult[];
  readonly sample: number;
  readonly seed: number;
  readonly n: number;
  readonly k: number;
  readonly m: number;
  /** The map beside the random code (null when not asked for, or under 12 items). */
  readonly baseline: CodeBaseline | null;
}

export type ClaimsProgress = (done: number, total: number, stage: string) => void;

// ── Formatting (shared with the view) ────────────────────────────────────────────────────────

/** A share as a whole percentage ("78%"); below 1% one decimal ("0.4%"). */
export function formatShare(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const p = 100 * v;
  return p > 0 && p < 1 ? `${p.toFixed(1)}%` : `${Math.round(p)}%`;
}

/** An AUC to two decimals. */
export function formatAuc(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '—';
}

/** A probability given as log10: "0.016", "3.2e-5", "9.3e-14", "< 1e-300", "0" for −∞. */
export function formatLog10Probability(log10p: number): string {
  if (log10p === -Infinity) return '0';
  if (!Number.isFinite(log10p)) return '—';
  if (log10p < -300) return '< 1e-300';
  if (log10p >= -2) return (10 ** log10p).toPrecision(2);
  const exponent = Math.floor(log10p);
  let mantissa = 10 ** (log10p - exponent);
  let e = exponent;
  if (Number(mantissa.toFixed(1)) >= 10) {
    mantissa /= 10;
    e += 1;
  }
  return `${mantissa.toFixed(1)}e${e}`;
}

// ── The measurements ─────────────────────────────────────────────────────────────────────────

export interface ConceptsMeasure {
  /** P(a blend's SDR is more dispersed than a single item's). */
  readonly auc: number;
  readonly meanSingle: number;
  readonly meanBlend: number;
  readonly singles: number;
  readonly blends: number;
}

export interface NoveltyMeasure {
  readonly aucQeRandom: number;
  readonly aucDispersionRandom: number;
  readonly aucQeBlends: number;
  readonly aucDispersionBlends: number;
  readonly items: number;
  readonly random: number;
  readonly blends: number;
  readonly itemsInTraining: boolean;
}

export interface NoiseMeasure {
  /** Share of items whose overlap neighbour is unchanged, at 10% and at 50% noise. */
  readonly move10: number;
  readonly move50: number;
  readonly drop10: number;
  readonly drop50: number;
  /** The same for dense vectors at matched noise (cosine 0.9 and 0.5 to the original). */
  readonly dense10: number;
  readonly dense50: number;
  readonly items: number;
}

export interface BitsMeasure {
  readonly theta: number;
  /** log10 of the Ahmad–Hawkins false-match probability for random SDRs of K of m cells. */
  readonly theoryLog10: number;
  /** Share of (query, other item) pairs sharing ≥ θ cells. */
  readonly measured: number;
  /** Mean cosine of those pairs, and of all pairs: are the matches semantic neighbours? */
  readonly matchCosine: number;
  readonly anyCosine: number;
  /** Share of items whose overlap top-1 is among their 10 nearest by cosine. */
  readonly top1InDenseTop10: number;
  /** Share of items whose best overlap is tied with another item's. */
  readonly top1Tied: number;
  readonly queries: number;
  readonly pairs: number;
  /** Items stored (the pool the neighbours come from). */
  readonly items: number;
}

function dispersions(grid: Grid, active: Uint32Array, k: number, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    out[r] = dispersion(sdrFromSorted(grid, active.subarray(r * k, (r + 1) * k)));
  }
  return out;
}

function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return v.length === 0 ? Number.NaN : s / v.length;
}

function gatherRows(data: Float32Array, d: number, ids: Uint32Array): Float32Array {
  const out = new Float32Array(ids.length * d);
  for (let i = 0; i < ids.length; i++) out.set(data.subarray(ids[i] * d, (ids[i] + 1) * d), i * d);
  return out;
}

function checkInput(input: ClaimsInput): void {
  const { som, data, n, k, active } = input;
  const m = gridSize(som.grid);
  if (!Number.isSafeInteger(n) || n < 3) {
    throw new MeasureError(`the claim check needs at least 3 items, got ${n}`);
  }
  if (!Number.isSafeInteger(k) || k < 1 || k > m) {
    throw new MeasureError(`K must be a whole number from 1 to ${m}, got ${k}`);
  }
  if (data.length !== n * som.dim) {
    throw new MeasureError(`the embeddings hold ${data.length} numbers, not ${n}×${som.dim}`);
  }
  if (active && active.length !== n * k) {
    throw new MeasureError(`the SDR rows hold ${active.length} indices, not ${n}×${k}`);
  }
}

/**
 * Run all four measurements and verdicts. Costs O(sample · n · d) for the dense baselines plus
 * O(sample · m · d) to encode the made-up inputs: seconds for thousands of items, in a worker.
 */
export function checkClaims(
  input: ClaimsInput,
  options: ClaimsOptions = {},
  onProgress?: ClaimsProgress,
): ClaimsReport {
  checkInput(input);
  const { som, data, n, k } = input;
  const grid = som.grid;
  const d = som.dim;
  const m = gridSize(grid);
  const requested = options.sample ?? 200;
  if (!Number.isSafeInteger(requested) || requested < 10 || requested > 5000) {
    throw new MeasureError(
      `the sample size must be a whole number from 10 to 5000, got ${requested}`,
    );
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed))
    throw new MeasureError(`the seed must be a whole number, got ${seed}`);
  const theta = options.theta ?? Math.ceil(k / 2);
  if (!Number.isSafeInteger(theta) || theta < 1 || theta > k) {
    throw new MeasureError(`θ must be a whole number from 1 to K (${k}), got ${theta}`);
  }
  const sample = Math.min(n, requested);
  const withBaseline = (options.baseline ?? true) && n >= BASELINE_MIN_ITEMS;
  const total = withBaseline ? 6 : 5;
  const progress = (done: number, stage: string) => onProgress?.(done, total, stage);

  progress(0, 'Encoding your items and the made-up inputs');
  const active = input.active ?? encodeBatch(som, data, n, { k }).active;
  const ids = sampleWithoutReplacement(createRng(seed), n, sample);
  const itemRows = gatherRows(data, d, ids);
  const items = encodeBatch(som, itemRows, sample, { k });
  const blends = mixRows(data, n, d, requested, createRng(seed + 1));
  const blendCodes = encodeBatch(som, blends.rows, requested, { k });
  const random = encodeBatch(som, randomUnitRows(requested, d, createRng(seed + 2)), requested, {
    k,
  });
  const itemSpread = dispersions(grid, items.active, k, sample);
  const blendSpread = dispersions(grid, blendCodes.active, k, requested);
  const randomSpread = dispersions(grid, random.active, k, requested);

  progress(1, 'Claim (a): single items against blends');
  const concepts: ConceptsMeasure = {
    auc: mannWhitneyAuc(blendSpread, itemSpread),
    meanSingle: mean(itemSpread),
    meanBlend: mean(blendSpread),
    singles: sample,
    blends: requested,
  };

  progress(2, 'Claim (b): novelty of random directions and blends');
  const novelty: NoveltyMeasure = {
    aucQeRandom: mannWhitneyAuc(random.qe, items.qe),
    aucDispersionRandom: mannWhitneyAuc(randomSpread, itemSpread),
    aucQeBlends: mannWhitneyAuc(blendCodes.qe, items.qe),
    aucDispersionBlends: mannWhitneyAuc(blendSpread, itemSpread),
    items: sample,
    random: requested,
    blends: requested,
    itemsInTraining: input.itemsInTraining,
  };

  progress(3, 'Claim (c): neighbours under noise');
  const curves = measureRobustness(
    { som, data, n, k, active },
    { levels: [0.1, 0.5], sample, topN: 10, seed, families: ['move', 'drop', 'dense'] },
  );
  const fam = curves.families;
  const noise: NoiseMeasure = {
    move10: fam.move!.top1[0],
    move50: fam.move!.top1[1],
    drop10: fam.drop!.top1[0],
    drop50: fam.drop!.top1[1],
    dense10: fam.dense!.top1[0],
    dense50: fam.dense!.top1[1],
    items: curves.sample,
  };

  progress(4, 'Claim (d): shared bits against chance');
  const bits = measureBits(grid, data, d, n, k, active, ids, theta);
  const bitsMeasure: BitsMeasure = {
    ...bits,
    top1InDenseTop10: curves.overlapTop1InDenseTopN,
    top1Tied: curves.overlapTop1Tied,
  };

  let baseline: CodeBaseline | null = null;
  if (withBaseline) {
    progress(5, 'The same claims on a random code of the same size');
    baseline = compareWithRandomCode({ som, data, n, k, active }, { queries: requested, seed });
  }
  const claims = [
    judgeConcepts(concepts),
    judgeNovelty(novelty),
    judgeNoise(noise),
    judgeBits(bitsMeasure, m, k),
  ].map((c) => ({ ...c, baseline: baseline ? baselineFigures(c.id, baseline) : [] }));
  progress(total, 'Done');
  return { claims, sample, seed, n, k, m, baseline };
}

/** The measures of `baseline` that bear on claim `id`, map beside random code. */
function baselineFigures(id: ClaimId, baseline: CodeBaseline): BaselineFigure[] {
  const { map, randomCode } = baseline;
  switch (id) {
    case 'concepts':
      return [
        {
          // Its own draw of blends (the comparison's seed), so it may differ a little from the
          // figure above: both codes are measured on the same draw.
          label: 'AUC, dispersion of blends vs single items (same blends for both codes)',
          map: map.mixtureDispersionAuc,
          randomCode: randomCode.mixtureDispersionAuc,
          kind: 'auc',
        },
      ];
    case 'novelty':
      return [
        {
          label: 'AUC, SDR novelty (K − best overlap): random vectors vs items',
          map: map.noveltyAucRandomVectors,
          randomCode: randomCode.noveltyAucRandomVectors,
          kind: 'auc',
        },
      ];
    case 'noise':
      return map.bitNoiseKept.map((b, i) => ({
        label: `Still its own best match, ${formatShare(b.level)} of bits moved`,
        map: b.kept,
        randomCode: randomCode.bitNoiseKept[i].kept,
        kind: 'share' as const,
      }));
    case 'bits':
      return [
        {
          label: 'Neighbour recall@10 against exact cosine',
          map: map.neighbourRecallAt10,
          randomCode: randomCode.neighbourRecallAt10,
          kind: 'share',
        },
      ];
  }
}

/** The measured side of (d): pairs sharing ≥ θ cells, and how similar such pairs are. */
function measureBits(
  grid: Grid,
  data: Float32Array,
  d: number,
  n: number,
  k: number,
  active: Uint32Array,
  ids: Uint32Array,
  theta: number,
): Omit<BitsMeasure, 'top1InDenseTop10' | 'top1Tied'> {
  const m = gridSize(grid);
  const index = new OverlapIndex(grid);
  index.addMany(active, k);
  const queries: SDR[] = Array.from(ids, (id) =>
    sdrFromSorted(grid, active.subarray(id * k, (id + 1) * k)),
  );
  const dist = overlapDistribution(index, queries, Int32Array.from(ids), k);
  let matchSum = 0;
  let matches = 0;
  let anySum = 0;
  let any = 0;
  for (let q = 0; q < ids.length; q++) {
    const self = ids[q];
    const qo = self * d;
    const found = index.search(queries[q], n, { minOverlap: theta });
    for (let i = 0; i < found.ids.length; i++) {
      const other = found.ids[i];
      if (other === self) continue;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += data[qo + t] * data[other * d + t];
      matchSum += dot;
      matches++;
    }
    for (let r = 0; r < n; r++) {
      if (r === self) continue;
      let dot = 0;
      for (let t = 0; t < d; t++) dot += data[qo + t] * data[r * d + t];
      anySum += dot;
      any++;
    }
  }
  return {
    theta,
    theoryLog10: falseMatchLog10Probability(m, k, theta),
    measured: fractionAtLeast(dist, theta),
    matchCosine: matches > 0 ? matchSum / matches : Number.NaN,
    anyCosine: any > 0 ? anySum / any : Number.NaN,
    queries: dist.queries,
    pairs: dist.pairs,
    items: n,
  };
}

// ── The verdicts ─────────────────────────────────────────────────────────────────────────────

const CLAIMS: Record<ClaimId, string> = {
  concepts: 'One concept lights a tight cluster; many concepts spread out.',
  novelty: 'Out-of-distribution inputs scatter and are flagged as novel.',
  noise: 'SDRs survive noise.',
  bits: 'Similarity is counting shared bits.',
};

export function judgeConcepts(c: ConceptsMeasure): Verdicted {
  const verdict: Verdict = c.auc >= 0.8 ? 'holds' : c.auc >= 0.6 ? 'partly' : 'fails';
  const auc = formatAuc(c.auc);
  const summary =
    verdict === 'holds'
      ? `Holds: blends of two items are more scattered than single items (AUC ${auc}).`
      : verdict === 'partly'
        ? `Only weakly: a blend of two items is more scattered than a single item in ${formatShare(c.auc)} of pairs (AUC ${auc}); a tight SDR does not prove a single concept.`
        : `Does not hold here: blends of two items are no more scattered than single items (AUC ${auc}).`;
  return {
    id: 'concepts',
    claim: CLAIMS.concepts,
    verdict,
    summary,
    figures: [
      { label: 'AUC, dispersion of blends vs single items', value: c.auc, kind: 'auc' },
      { label: 'Mean dispersion, single items', value: c.meanSingle, kind: 'number' },
      { label: 'Mean dispersion, blends of two', value: c.meanBlend, kind: 'number' },
    ],
    samples: `${c.singles} of your items, ${c.blends} blends of two random items`,
  };
}

export function judgeNovelty(c: NoveltyMeasure): Verdicted {
  const novel = c.aucQeRandom >= 0.9;
  const scatter = c.aucDispersionRandom >= 0.9;
  const verdict: Verdict =
    novel && scatter ? 'holds' : novel || scatter || c.aucQeRandom >= 0.75 ? 'partly' : 'fails';
  const qe = formatAuc(c.aucQeRandom);
  const disp = formatAuc(c.aucDispersionRandom);
  const blendNote = `blends of your own items: QE AUC ${formatAuc(c.aucQeBlends)}`;
  const head =
    verdict === 'holds'
      ? `Holds for random inputs: they are flagged novel (QE AUC ${qe}) and scatter (dispersion AUC ${disp})`
      : verdict === 'partly'
        ? novel
          ? `Partly: random inputs are flagged novel (QE AUC ${qe}) but scatter less reliably (dispersion AUC ${disp})`
          : `Partly: random inputs are told apart only in part (QE AUC ${qe}, dispersion AUC ${disp})`
        : `Does not hold here: random inputs look like your items (QE AUC ${qe}, dispersion AUC ${disp})`;
  const trainingNote = c.itemsInTraining
    ? ' Your items trained this map, so they are not held out and these AUCs flatter it.'
    : '';
  return {
    id: 'novelty',
    claim: CLAIMS.novelty,
    verdict,
    summary: `${head}; ${blendNote}.${trainingNote}`,
    figures: [
      {
        label: 'AUC, QE (novelty percentile): random vectors vs items',
        value: c.aucQeRandom,
        kind: 'auc',
      },
      {
        label: 'AUC, dispersion: random vectors vs items',
        value: c.aucDispersionRandom,
        kind: 'auc',
      },
      { label: 'AUC, QE: blends vs items', value: c.aucQeBlends, kind: 'auc' },
      { label: 'AUC, dispersion: blends vs items', value: c.aucDispersionBlends, kind: 'auc' },
    ],
    samples: `${c.items} of your items${c.itemsInTraining ? ' (in the training set)' : ' (held out)'}, ${c.random} random unit vectors, ${c.blends} blends`,
  };
}

export function judgeNoise(c: NoiseMeasure): Verdicted {
  const at10 = Math.min(c.move10, c.drop10);
  const at50 = Math.min(c.move50, c.drop50);
  const verdict: Verdict = at10 >= 0.9 && at50 >= 0.7 ? 'holds' : at10 >= 0.6 ? 'partly' : 'fails';
  const figures =
    `the nearest item stays the same for ${formatShare(c.move10)} of items with 10% of the bits moved, ` +
    `${formatShare(c.move50)} at 50%; dense vectors at matched noise: ${formatShare(c.dense10)} and ${formatShare(c.dense50)}`;
  const summary =
    verdict === 'holds'
      ? `Holds: ${figures}.`
      : verdict === 'partly'
        ? `Partly: ${figures}. About as robust as dense vectors, not more.`
        : `Does not hold here: ${figures}.`;
  return {
    id: 'noise',
    claim: CLAIMS.noise,
    verdict,
    summary,
    figures: [
      { label: 'Nearest item unchanged, 10% of bits moved', value: c.move10, kind: 'share' },
      { label: 'Nearest item unchanged, 50% of bits moved', value: c.move50, kind: 'share' },
      { label: 'Nearest item unchanged, 10% of bits dropped', value: c.drop10, kind: 'share' },
      { label: 'Nearest item unchanged, 50% of bits dropped', value: c.drop50, kind: 'share' },
      { label: 'Dense vectors, matched 10% noise (cosine 0.9)', value: c.dense10, kind: 'share' },
      { label: 'Dense vectors, matched 50% noise (cosine 0.5)', value: c.dense50, kind: 'share' },
    ],
    samples: `${c.items} of your items, each corrupted once per level (seeded)`,
  };
}

export function judgeBits(c: BitsMeasure, m: number, k: number): Verdicted {
  const verdict: Verdict =
    c.top1InDenseTop10 >= 0.8 ? 'holds' : c.top1InDenseTop10 >= 0.3 ? 'partly' : 'fails';
  const theory = formatLog10Probability(c.theoryLog10);
  const transfer =
    c.measured > 100 * 10 ** c.theoryLog10
      ? `the random-SDR false-match rate (${theory} at θ = ${c.theta}) does not transfer: ${formatShare(c.measured)} of your items share ≥ ${c.theta} bits with a query`
      : `chance matches are as rare as theory says (${theory} at θ = ${c.theta}; measured ${formatShare(c.measured)})`;
  const similar =
    Number.isFinite(c.matchCosine) && c.measured > 0
      ? `, mostly similar ones (cosine ${c.matchCosine.toFixed(2)} vs ${c.anyCosine.toFixed(2)} for any two)`
      : '';
  const chance = Math.min(1, 10 / Math.max(1, c.items - 1));
  const top = `the overlap neighbour is among the 10 nearest by cosine for ${formatShare(c.top1InDenseTop10)} of items (chance: ${formatShare(chance)}; tied for first: ${formatShare(c.top1Tied)})`;
  const head =
    verdict === 'holds' ? 'Holds' : verdict === 'partly' ? 'Partly' : 'Does not hold here';
  return {
    id: 'bits',
    claim: CLAIMS.bits,
    verdict,
    summary: `${head}: ${top}; ${transfer}${similar}.`,
    figures: [
      {
        label: `False-match probability in theory (n = ${m}, w = ${k}, θ = ${c.theta})`,
        value: c.theoryLog10,
        kind: 'log10-probability',
      },
      {
        label: `Measured: items sharing ≥ ${c.theta} bits with a query`,
        value: c.measured,
        kind: 'share',
      },
      { label: 'Overlap top-1 in the dense top-10', value: c.top1InDenseTop10, kind: 'share' },
      { label: 'Overlap top-1 tied', value: c.top1Tied, kind: 'share' },
    ],
    samples: `${c.queries} of your items as queries against all ${c.items} (${c.pairs} pairs)`,
  };
}
