import { describe, expect, it } from 'vitest';
import { createTopKScratch, topKIndices } from '../index.ts';
import { benchEncode, fullSortTopK } from './encodeBench.ts';

describe('fullSortTopK (the naive peer)', () => {
  it('picks the same units as the heap, ties to the lower index', () => {
    const m = 6;
    const cos = Float32Array.of(0.5, 0.9, 0.5, 0.1, 0.9, 0.5, /* row 2 */ 1, 1, 1, 1, 1, 1);
    const naive = fullSortTopK(cos, 2, m, 3);
    const heap = new Uint32Array(6);
    const scratch = createTopKScratch(3);
    topKIndices(cos, 0, m, 3, heap, 0, scratch);
    topKIndices(cos, m, m, 3, heap, 3, scratch);
    expect(Array.from(naive)).toEqual([0, 1, 4, 0, 1, 2]);
    expect(Array.from(heap)).toEqual(Array.from(naive));
  });
});

describe('benchEncode', () => {
  it('reports every figure on a tiny workload, and both selections agree', async () => {
    const r = await benchEncode({ inputs: 50, side: 4, dim: 8, k: 3, repeats: 1 });
    expect(r.workload).toBe('50 inputs × 4×4 map × 8-d, K=3');
    for (const key of [
      'encodeJsMs',
      'encodeOrtMs',
      'inputsPerSecondOrt',
      'topKHeapMs',
      'fullSortMs',
      'topKSpeedupVsFullSort',
      'naiveEncodeMs',
      'encodeSpeedupVsNaive',
    ]) {
      // prettier-ignore
      expect(typeof r[key]).toBe('number');
    }
    expect(r.agree).toBe('yes');
  });
  it('refuses a K larger than the map', async () => {
    await expect(benchEncode({ inputs: 5, side: 2, dim: 4, k: 5 })).rejects.toThrow(/k must be from 1 to 4/); // prettier-ignore
  });
});
