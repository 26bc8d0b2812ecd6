import { beforeAll, describe, expect, it } from 'vitest';
import { noiseCount } from '../sdr/noise.ts';
import { measureRobustness, createRobustnessRun, type RobustnessCurves } from './robustness.ts';
import { smallTrainedMap, type TestMap } from './testKit.ts';

let map: TestMap;
let curves: RobustnessCurves;
const levels = [0, 0.2, 0.5];

beforeAll(async () => {
  map = await smallTrainedMap();
  curves = measureRobustness(map, { levels, sample: 60, topN: 5, seed: 4 });
});

describe('measureRobustness', () => {
  it('finds every neighbour unchanged without noise', () => {
    for (const [family, curve] of Object.entries(curves.families)) {
      expect({ family, s: curve.similarity[0], t1: curve.top1[0], tn: curve.topN[0] }).toEqual({
        family,
        s: expect.closeTo(1, 5),
        t1: 1,
        tn: 1,
      });
    }
  });

  it('keeps exactly 1 − ε of the cells under move noise and a cosine of 1 − ε for dense noise', () => {
    const move = curves.families.move!;
    const drop = curves.families.drop!;
    const dense = curves.families.dense!;
    for (let i = 0; i < levels.length; i++) {
      const kept = 1 - noiseCount(map.k, levels[i]) / map.k;
      expect(move.similarity[i]).toBeCloseTo(kept, 12);
      expect(drop.similarity[i]).toBeCloseTo(kept, 12);
      expect(dense.similarity[i]).toBeCloseTo(1 - levels[i], 5);
    }
  });

  it('loses neighbours as noise grows, for every kind of noise', () => {
    for (const curve of Object.values(curves.families)) {
      expect(curve.top1[2]).toBeLessThan(curve.top1[0]);
      expect(curve.topN[2]).toBeLessThan(curve.topN[0]);
      expect(curve.top1[2]).toBeGreaterThanOrEqual(0);
    }
    // Half the cells moved leaves the nearest item in place far less often than none moved.
    expect(curves.families.move!.top1[2]).toBeLessThan(0.9);
  });

  it('reports the sample, the pool and the clean-list figures', () => {
    expect(curves).toMatchObject({ sample: 60, n: map.n, k: map.k, m: 144, topN: 5, seed: 4 });
    expect(curves.overlapTop1InDenseTopN).toBeGreaterThan(0);
    expect(curves.overlapTop1InDenseTopN).toBeLessThanOrEqual(1);
    expect(curves.overlapTop1Tied).toBeGreaterThanOrEqual(0);
    expect(curves.overlapTop1Tied).toBeLessThanOrEqual(1);
  });

  it('repeats with a seed, and a curve does not depend on which others are measured', () => {
    const alone = measureRobustness(map, {
      levels,
      sample: 60,
      topN: 5,
      seed: 4,
      families: ['embedding'],
    });
    expect(Object.keys(alone.families)).toEqual(['embedding']);
    expect(alone.families.embedding).toEqual(curves.families.embedding);
  });

  it('steps one (kind, level) at a time and reports progress', () => {
    const run = createRobustnessRun(map, { levels: [0.1], sample: 10, families: ['move', 'drop'] });
    expect(run.total).toBe(2);
    expect(Number.isNaN(run.result().families.move!.top1[0])).toBe(true);
    expect(run.step()).toBe(true);
    expect(run.done).toBe(1);
    expect(run.step()).toBe(false);
    expect(run.result().families.drop!.top1[0]).toBeGreaterThanOrEqual(0);
    const seen: number[] = [];
    measureRobustness(map, { levels: [0.1], sample: 5, families: ['drop'] }, (done) =>
      seen.push(done),
    );
    expect(seen.at(-1)).toBe(1);
  });

  it('refuses bad input with one clear line', () => {
    expect(() => measureRobustness(map, { levels: [0.6, 1.2] })).toThrow(/from 0 to 1/);
    expect(() => measureRobustness(map, { sample: 0 })).toThrow(/sample size/);
    expect(() => measureRobustness({ ...map, k: 5 })).toThrow(/SDR rows hold/);
    expect(() => measureRobustness(map, { families: ['shake' as 'move'], levels: [0] })).toThrow(
      /unknown kind of noise "shake"/,
    );
  });
});
