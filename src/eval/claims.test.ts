import { beforeAll, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from './testKit.ts';
import {
  checkClaims,
  formatAuc,
  formatLog10Probability,
  formatShare,
  judgeBits,
  judgeConcepts,
  judgeNoise,
  judgeNovelty,
  type ClaimsReport,
} from './claims.ts';

let map: TestMap;
let report: ClaimsReport;
const stages: string[] = [];

beforeAll(async () => {
  map = await smallTrainedMap(5);
  report = checkClaims(
    { som: map.som, data: map.data, n: map.n, k: map.k, active: map.active, itemsInTraining: true },
    { sample: 40, seed: 2 },
    (_done, _total, stage) => stages.push(stage),
  );
});

describe('checkClaims', () => {
  it('sets a random code of the same units and K beside the map on every claim', () => {
    expect(report.baseline).not.toBeNull();
    expect(report.baseline!.randomCode.seed).toBe(2);
    for (const c of report.claims) expect(c.baseline.length).toBeGreaterThan(0);
    const noise = report.claims.find((c) => c.id === 'noise')!;
    expect(noise.baseline.map((f) => f.map)).toEqual(
      report.baseline!.map.bitNoiseKept.map((b) => b.kept),
    );
  });

  it('measures the four claims in order, each with a verdict, a one-line summary and sample sizes', () => {
    expect(report.claims.map((c) => c.id)).toEqual(['concepts', 'novelty', 'noise', 'bits']);
    for (const c of report.claims) {
      expect(['holds', 'partly', 'fails']).toContain(c.verdict);
      expect(c.summary).not.toContain('\n');
      expect(c.summary.length).toBeGreaterThan(20);
      expect(c.samples).toMatch(/\d/);
      for (const f of c.figures) {
        if (f.kind === 'auc' || f.kind === 'share') {
          expect(f.value).toBeGreaterThanOrEqual(0);
          expect(f.value).toBeLessThanOrEqual(1);
        }
      }
    }
    expect(report).toMatchObject({ sample: 40, seed: 2, n: map.n, k: map.k, m: 144 });
    expect(stages[0]).toMatch(/Encoding/);
    expect(stages.at(-1)).toBe('Done');
  });

  it('flags random directions as novel on a map of clustered data', () => {
    const novelty = report.claims[1];
    // Random unit vectors sit far from every cluster: QE separates them completely.
    expect(novelty.figures[0].value).toBeGreaterThan(0.95);
    expect(novelty.summary).toMatch(/trained this map/);
  });

  it('repeats exactly with a seed, and encodes the items itself when no rows are given', () => {
    const again = checkClaims(
      { som: map.som, data: map.data, n: map.n, k: map.k, active: null, itemsInTraining: true },
      { sample: 40, seed: 2 },
    );
    expect(again.claims).toEqual(report.claims);
  });

  it('refuses bad input with one clear line', () => {
    const input = {
      som: map.som,
      data: map.data,
      n: map.n,
      k: map.k,
      active: map.active,
      itemsInTraining: false,
    };
    expect(() => checkClaims({ ...input, n: 2, data: map.data.subarray(0, 2 * map.d) })).toThrow(
      /at least 3 items/,
    );
    expect(() => checkClaims(input, { sample: 5 })).toThrow(/sample size must be/);
    expect(() => checkClaims(input, { theta: map.k + 1 })).toThrow(/θ must be/);
    expect(() => checkClaims({ ...input, k: map.k + 1 })).toThrow(/SDR rows hold/);
  });
});

describe('the verdicts', () => {
  it('(a) says "only weakly" for a modest AUC and "does not hold" near chance', () => {
    const base = { meanSingle: 0.3, meanBlend: 0.4, singles: 100, blends: 100 };
    expect(judgeConcepts({ ...base, auc: 0.92 }).verdict).toBe('holds');
    const weak = judgeConcepts({ ...base, auc: 0.64 });
    expect(weak.verdict).toBe('partly');
    expect(weak.summary).toMatch(/^Only weakly: .*64% of pairs \(AUC 0\.64\)/);
    const none = judgeConcepts({ ...base, auc: 0.52 });
    expect(none.verdict).toBe('fails');
    expect(none.summary).toMatch(/^Does not hold here/);
  });

  it('(b) separates "novel" from "scatters", and notes when items are not held out', () => {
    const base = {
      aucQeBlends: 0.6,
      aucDispersionBlends: 0.65,
      items: 50,
      random: 50,
      blends: 50,
      itemsInTraining: false,
    };
    const both = judgeNovelty({ ...base, aucQeRandom: 1, aucDispersionRandom: 0.95 });
    expect(both.verdict).toBe('holds');
    expect(both.summary).not.toMatch(/flatter/);
    const half = judgeNovelty({ ...base, aucQeRandom: 1, aucDispersionRandom: 0.78 });
    expect(half.verdict).toBe('partly');
    expect(half.summary).toMatch(/flagged novel \(QE AUC 1\.00\) but scatter less reliably/);
    const neither = judgeNovelty({
      ...base,
      aucQeRandom: 0.55,
      aucDispersionRandom: 0.5,
      itemsInTraining: true,
    });
    expect(neither.verdict).toBe('fails');
    expect(neither.summary).toMatch(/trained this map/);
    expect(neither.samples).toMatch(/in the training set/);
  });

  it('(c) holds only when neighbours survive both 10% and 50% noise', () => {
    const base = { dense10: 0.8, dense50: 0.3, items: 200 };
    const strong = { move10: 0.97, drop10: 0.95, move50: 0.8, drop50: 0.75 };
    expect(judgeNoise({ ...base, ...strong }).verdict).toBe('holds');
    const measured = judgeNoise({
      ...base,
      move10: 0.78,
      drop10: 0.72,
      move50: 0.41,
      drop50: 0.44,
    });
    expect(measured.verdict).toBe('partly');
    expect(measured.summary).toMatch(/78% of items with 10% of the bits moved, 41% at 50%/);
    expect(measured.summary).toMatch(/not more/);
    expect(
      judgeNoise({ ...base, move10: 0.4, drop10: 0.5, move50: 0.1, drop50: 0.1 }).verdict,
    ).toBe('fails');
  });

  it('(d) says the false-match theory does not transfer when matches are far above it', () => {
    const base = {
      theta: 10,
      theoryLog10: -13.03,
      matchCosine: 0.81,
      anyCosine: 0.74,
      top1Tied: 0.4,
      queries: 200,
      pairs: 200 * 1202,
      items: 1203,
    };
    const real = judgeBits({ ...base, measured: 0.0126, top1InDenseTop10: 0.55 }, 1024, 20);
    expect(real.verdict).toBe('partly');
    expect(real.summary).toMatch(/9\.3e-14 at θ = 10\) does not transfer: 1% of your items/);
    expect(real.summary).toMatch(/mostly similar ones/);
    const chance = judgeBits({ ...base, measured: 0, top1InDenseTop10: 0.9 }, 1024, 20);
    expect(chance.verdict).toBe('holds');
    expect(chance.summary).toMatch(/as rare as theory says/);
    expect(judgeBits({ ...base, measured: 0.01, top1InDenseTop10: 0.1 }, 1024, 20).verdict).toBe(
      'fails',
    );
  });
});

describe('formatting', () => {
  it('writes shares, AUCs and tiny probabilities readably', () => {
    expect(formatShare(0.784)).toBe('78%');
    expect(formatShare(0.004)).toBe('0.4%');
    expect(formatShare(Number.NaN)).toBe('—');
    expect(formatAuc(0.6449)).toBe('0.64');
    expect(formatLog10Probability(Math.log10(9.3e-14))).toBe('9.3e-14');
    expect(formatLog10Probability(Math.log10(0.016))).toBe('0.016');
    expect(formatLog10Probability(Math.log10(9.99e-5))).toBe('1.0e-4');
    expect(formatLog10Probability(-Infinity)).toBe('0');
    expect(formatLog10Probability(-400)).toBe('< 1e-300');
  });
});
