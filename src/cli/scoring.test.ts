import { describe, expect, it } from 'vitest';
import { createJsBackend, syntheticClusters } from '../index.ts';
import { CliError, parseArgs } from './args.ts';
import { MAP_K_OPTION, mapK, requestedK, scoreRows } from './scoring.ts';
import { randomMap } from './testKit.ts';

const cal = (k: number) => ({ k, qe: Float32Array.of(0.2, 0.4, 0.6, 0.8), dispersion: Float32Array.of(0.1, 0.3, 0.5, 0.7) }); // prettier-ignore

describe('mapK', () => {
  it('prefers the requested K, then the calibration’s, then the items’, then 20 (capped at m)', () => {
    const map = randomMap(4, 6);
    expect(mapK(map)).toBe(20);
    expect(mapK({ ...map, items: { labels: ['a'], k: 7, sdrs: new Uint32Array(7).map((_, i) => i) } })).toBe(7); // prettier-ignore
    expect(mapK({ ...map, calibration: cal(5) })).toBe(5);
    expect(mapK({ ...map, calibration: cal(5) }, 3)).toBe(3);
    expect(mapK(randomMap(4, 3))).toBe(9);
    expect(() => mapK(map, 37)).toThrow(/--k: k must be an integer from 1 to 36/);
  });
});

describe('scoreRows', () => {
  const { data, n, d } = syntheticClusters({ n: 30, d: 6, clusters: 3, seed: 2 });
  it('ranks novelty against the calibration, and dispersion only for the same K', async () => {
    const map = { ...randomMap(d, 4), calibration: cal(3) };
    const same = await scoreRows(createJsBackend(), map, data, n, 3);
    expect(same.novelty).not.toBeNull();
    expect(same.dispersionPercentile).not.toBeNull();
    for (let i = 0; i < n; i++) {
      const below = Array.from(map.calibration.qe).filter((q) => q < same.qe[i]).length;
      expect(same.novelty?.[i]).toBeCloseTo((100 * below) / 4, 4); // no ties with 4 round values
    }
    const other = await scoreRows(createJsBackend(), map, data, n, 4);
    expect(other.novelty).not.toBeNull();
    expect(other.dispersionPercentile).toBeNull();
    expect(other.active.length).toBe(n * 4);
  });
  it('counts clusters between 1 and K and a largest cluster no bigger than K', async () => {
    const s = await scoreRows(createJsBackend(), randomMap(d, 4), data, n, 5);
    expect(s.novelty).toBeNull();
    for (let i = 0; i < n; i++) {
      expect(s.clusters[i]).toBeGreaterThanOrEqual(1);
      expect(s.clusters[i]).toBeLessThanOrEqual(5);
      expect(s.largestCluster[i]).toBeLessThanOrEqual(5);
      expect(s.largestCluster[i] * s.clusters[i]).toBeGreaterThanOrEqual(5);
    }
  });
});

describe('requestedK', () => {
  const spec = { k: MAP_K_OPTION };
  it('is undefined without --k (mapK chooses) and the integer given with it', () => {
    expect(requestedK(parseArgs([], spec))).toBeUndefined();
    expect(requestedK(parseArgs(['--k', '12'], spec))).toBe(12);
  });
  it('refuses a K that is not a positive integer', () => {
    expect(() => requestedK(parseArgs(['--k', '0'], spec))).toThrow(CliError);
    expect(() => requestedK(parseArgs(['--k', '2.5'], spec))).toThrow(/--k/);
  });
});
