import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageLikeSettings, measureNovelty, textSettings } from './novelty.measure.ts';
import { centredUnitRows, knnScores, meanOfRows, NoveltyScoreError, recommendedNoveltyScore, scoreNovelty } from './noveltyScores.ts'; // prettier-ignore
import { makeGrid } from '../grid/grid.ts';
import { syntheticClusters } from '../som/synthetic.ts';

describe('meanOfRows and centredUnitRows', () => {
  it('subtract the mean and scale each row back to unit length', () => {
    const rows = Float32Array.from([1, 0, 0, 1]);
    const mean = meanOfRows(rows, 2, 2);
    expect(Array.from(mean)).toEqual([0.5, 0.5]);
    const c = centredUnitRows(rows, 2, 2, mean);
    expect(c[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(c[1]).toBeCloseTo(-Math.SQRT1_2, 6);
    // A row equal to the mean has no direction: it stays zero.
    expect(Array.from(centredUnitRows(mean, 1, 2, mean))).toEqual([0, 0]);
  });
});

describe('knnScores', () => {
  it('is 1 − mean cosine to the nearest reference rows, leaving a row out of its own list', () => {
    const ref = Float32Array.from([1, 0, 0, 1, Math.SQRT1_2, Math.SQRT1_2]);
    const q = Float32Array.from([1, 0]);
    expect(knnScores(ref, 3, 2, q, 1, 1)[0]).toBeCloseTo(0, 6);
    expect(knnScores(ref, 3, 2, q, 1, 2)[0]).toBeCloseTo(1 - (1 + Math.SQRT1_2) / 2, 6);
    // Row 0 scored against the others only: nearest is the diagonal.
    expect(knnScores(ref, 3, 2, ref, 1, 1, true)[0]).toBeCloseTo(1 - Math.SQRT1_2, 6);
  });
});

describe('recommendedNoveltyScore', () => {
  it('is centred kNN with stored embeddings, centred QE with the mean only, else QE', () => {
    const v = new Float32Array(2);
    expect(recommendedNoveltyScore({ mean: v, reference: v })).toBe('centredKnn');
    expect(recommendedNoveltyScore({ mean: v })).toBe('centredQe');
    expect(recommendedNoveltyScore({})).toBe('qe');
  });
});

describe('scoreNovelty', () => {
  const d = 16;
  const som = { grid: makeGrid(2, 2), dim: d, codebook: new Float32Array(4 * d) };
  const { data: all, labels } = syntheticClusters({ n: 240, d, clusters: 4, seed: 3 });
  // Three clusters are the stored training rows; the fourth is never seen.
  const trained = Array.from({ length: 240 }, (_, i) => i).filter((i) => labels[i] !== 3);
  const unseen = Array.from({ length: 240 }, (_, i) => i).filter((i) => labels[i] === 3);
  const rows = (ids: number[]) => {
    const out = new Float32Array(ids.length * d);
    ids.forEach((id, r) => out.set(all.subarray(id * d, (id + 1) * d), r * d));
    return out;
  };
  const reference = rows(trained);
  const source = { som, mean: meanOfRows(reference, trained.length, d), reference };

  it('ranks an unseen cluster above the training rows, which score as their own calibration', () => {
    const seen = scoreNovelty(source, reference, trained.length);
    expect(seen.kind).toBe('centredKnn');
    // A stored row is not its own neighbour: scored like the leave-one-out calibration.
    const sorted = Float32Array.from(seen.scores).sort();
    expect(Array.from(sorted)).toEqual(Array.from(seen.calibration));
    const median = (a: Float32Array) => Float32Array.from(a).sort()[a.length >> 1];
    expect(median(seen.percentiles)).toBeGreaterThan(40);
    expect(median(seen.percentiles)).toBeLessThan(60);
    const novel = scoreNovelty(source, rows(unseen), unseen.length);
    expect(Math.min(...novel.percentiles)).toBeGreaterThan(90);
  });

  it('says in words what it needs', () => {
    expect(() => scoreNovelty({ som, mean: source.mean }, reference, 1)).toThrow(NoveltyScoreError);
    expect(() => scoreNovelty({ som, reference }, reference, 1)).toThrow(
      /training embeddings and their mean/,
    );
    // A handful of stored rows cannot say what is novel: refused, not shown as a score.
    const few = reference.subarray(0, 6 * d);
    expect(() => scoreNovelty({ som, mean: source.mean, reference: few }, few, 6)).toThrow(
      /trained on 6 items; the centred kNN score needs at least 100/,
    );
  });
});

type Aucs = Record<string, Record<string, number>>;

describe('novelty of an unseen class', () => {
  it('on image-like synthetic data: the chosen score finds a held-out sibling class, and gross OOD', async () => {
    const r = await measureNovelty(imageLikeSettings(1)[0], 1, ['centredKnn']);
    const auc = r.auc as Aucs;
    expect(auc.centredKnn.heldOutClass).toBeGreaterThanOrEqual(0.85);
    for (const set of ['randomUnit', 'shuffledDims', 'signedPermutation']) {
      expect(auc.centredKnn[set], set).toBeGreaterThanOrEqual(0.99);
    }
  });

  const folder = fileURLToPath(new URL('../../../shared/data/clip-vit-b32-text', import.meta.url));
  const haveText = existsSync(folder);
  it.skipIf(!haveText)(
    `on real CLIP text (${haveText ? folder : 'skipped: ../shared/data/clip-vit-b32-text is absent'}): centring beats the raw QE on a held-out group`,
    async () => {
      const vehicles = textSettings(folder).find((s) => s.name.endsWith('vehicles'))!;
      const auc = (await measureNovelty(vehicles, 1, ['qe', 'centredKnn'])).auc as Aucs;
      expect(auc.centredKnn.heldOutClass).toBeGreaterThan(auc.qe.heldOutClass + 0.1);
      expect(auc.centredKnn.randomUnit).toBeGreaterThanOrEqual(0.99);
    },
  );
});
