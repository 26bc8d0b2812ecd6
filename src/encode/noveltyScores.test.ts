import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageLikeSettings, measureNovelty, textSettings } from './novelty.measure.ts';
import { centredUnitRows, knnScores, meanOfRows, recommendedNoveltyScore } from './noveltyScores.ts'; // prettier-ignore

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
