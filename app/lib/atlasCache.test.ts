import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { atlasTrainConfig } from './atlas.ts';
import { openAtlasCache, type AtlasRecord } from './atlasCache.ts';
import { makeGrid, type SdrMap } from '../../src/index.ts';

let dbCount = 0;
const freshName = () => `atlas-test-${++dbCount}`;

function record(key: string, savedAt: string, fill = 0.5): AtlasRecord {
  const grid = makeGrid(2, 3);
  const dim = 4;
  const map: SdrMap = {
    name: 'Concept atlas',
    createdAt: savedAt,
    model: 'fixture/clip-tiny',
    som: { grid, dim, codebook: new Float32Array(6 * dim).fill(fill) },
    training: { ...atlasTrainConfig(), grid, inputs: 2 },
    quality: { quantizationError: 0.4, topographicError: 0.1 },
    calibration: { k: 2, qe: new Float32Array([0.1, 0.2]), dispersion: new Float32Array([1, 2]) },
    unitLabels: ['a', 'b', 'a', 'b', 'a', 'b'],
  };
  return {
    key,
    savedAt,
    map,
    vocabulary: {
      modelId: 'fixture/clip-tiny',
      concepts: ['a', 'b'],
      vectors: new Float32Array(2 * dim).fill(0.5),
      dim,
    },
  };
}

describe('atlas cache', () => {
  it('gives back what was saved, typed arrays included', async () => {
    const cache = openAtlasCache(freshName());
    expect(await cache.get('k1')).toBeNull();
    expect(await cache.put(record('k1', '2025-01-01T00:00:00Z', 0.25))).toBeNull();
    const back = await cache.get('k1');
    expect(back?.map.som.codebook).toBeInstanceOf(Float32Array);
    expect(back?.map.som.codebook[5]).toBe(0.25);
    expect(back?.map.unitLabels).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(back?.vocabulary.concepts).toEqual(['a', 'b']);
    cache.close();
  });

  it('keeps only the most recent atlases', async () => {
    const cache = openAtlasCache(freshName(), 2);
    await cache.put(record('old', '2025-01-01T00:00:00Z'));
    await cache.put(record('mid', '2025-01-02T00:00:00Z'));
    await cache.put(record('new', '2025-01-03T00:00:00Z'));
    expect(await cache.get('old')).toBeNull();
    expect(await cache.get('mid')).not.toBeNull();
    expect(await cache.get('new')).not.toBeNull();
    cache.close();
  });

  it('reads a damaged record as a miss rather than handing it on', async () => {
    const name = freshName();
    const cache = openAtlasCache(name);
    const bad = record('k', '2025-01-01T00:00:00Z');
    await cache.put({
      ...bad,
      map: { ...bad.map, som: { ...bad.map.som, codebook: new Float32Array(3) } },
    });
    expect(await cache.get('k')).toBeNull();
    cache.close();
  });

  it('refuses a keep count below one', () => {
    expect(() => openAtlasCache(freshName(), 0)).toThrow(/keep must be/);
  });
});
