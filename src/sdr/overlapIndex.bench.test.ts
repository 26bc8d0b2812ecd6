import { describe, expect, it } from 'vitest';
import { benchOverlapSearch } from './overlapIndex.bench.ts';

describe('benchOverlapSearch', () => {
  it('runs a small workload end to end and finds the index agrees with the scan', async () => {
    const r = await benchOverlapSearch({ items: 3000, searches: 5, bruteSearches: 3, seed: 4 });
    expect(r.resultsAgree).toBe('yes');
    expect(r.workload).toMatch(/^3000 SDRs, w=20, 32×32/);
    // 3000 rows of 20 cells, 4 bytes per posting.
    expect(r.postingsMiB).toBeCloseTo((3000 * 20 * 4) / 2 ** 20, 1);
    for (const key of ['buildMs', 'searchMedianMs', 'searchP95Ms', 'bruteForceMedianMs']) {
      expect(typeof r[key]).toBe('number');
      expect(r[key]).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses a width larger than the grid', async () => {
    await expect(benchOverlapSearch({ items: 10, side: 4, width: 17 })).rejects.toThrow(/width/);
  });
});
