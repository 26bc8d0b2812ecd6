import { describe, expect, it } from 'vitest';
import {
  describeMapShape,
  formatSize,
  mapFileName,
  mapWithItems,
  savedMapMeta,
} from './mapExport.ts';
import { makeGrid, type SdrMap } from '../../../src/index.ts';
import { decodeMapFile, encodeMapFile } from '../../../src/index.ts';

function mapOf(dim = 3): SdrMap {
  const grid = makeGrid(2, 3, 'hex');
  return {
    name: 'm',
    createdAt: '2025-01-01T00:00:00Z',
    model: 'clip',
    som: { grid, dim, codebook: new Float32Array(6 * dim).fill(0.5) },
    training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 1 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
  };
}

const data = {
  items: [
    { label: 'cat', thumbnail: new Blob([Uint8Array.of(0xff, 0xd8)], { type: 'image/jpeg' }) },
    { label: 'x'.repeat(1500) },
  ],
  embeddings: Float32Array.of(1, 0, 0, 0, 1, 0),
  d: 3,
};
const encoded = { k: 2, sdrs: Uint32Array.of(0, 1, 2, 5) };

describe('mapWithItems', () => {
  it('attaches labels, SDRs and, as chosen, embeddings and thumbnails', async () => {
    const full = await mapWithItems(mapOf(), data, encoded, { embeddings: true, thumbnails: true });
    expect(full.items?.labels[0]).toBe('cat');
    expect(full.items?.labels[1]).toHaveLength(1000); // cut to the file's label limit
    expect(full.items?.labels[1].endsWith('…')).toBe(true);
    expect(Array.from(full.items!.sdrs)).toEqual([0, 1, 2, 5]);
    expect(Array.from(full.items!.embeddings!)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(full.items!.thumbnails!.map((t) => (t ? Array.from(t) : null))).toEqual([
      [255, 216],
      null,
    ]);

    const lean = await mapWithItems(mapOf(), data, encoded, { embeddings: false });
    expect(lean.items?.embeddings).toBeUndefined();
    expect(lean.items?.thumbnails).toBeUndefined();
  });

  it('saves items whose stored labels hold control characters (imported before cleaning)', async () => {
    const hostile = { ...data, items: [{ label: 'a\u0000b' }, { label: 'c\td\u202E' }] };
    const map = await mapWithItems(mapOf(), hostile, encoded);
    expect(map.items?.labels).toEqual(['ab', 'c d']);
    // Save, Download and Copy link all encode the map: one bad label must not refuse it.
    expect(decodeMapFile(encodeMapFile(map)).items?.labels).toEqual(['ab', 'c d']);
  });

  it('keeps the map as it is when the data does not fit it, and refuses mismatched SDRs', async () => {
    const map = mapOf(4);
    expect(await mapWithItems(map, data, encoded)).toBe(map);
    await expect(mapWithItems(mapOf(), data, { k: 3, sdrs: new Uint32Array(5) })).rejects.toThrow(
      /expected 2×3 SDR indices/,
    );
  });

  it('describes the map for the library', () => {
    const map = { ...mapOf(), items: { labels: ['a'], k: 1, sdrs: Uint32Array.of(0) } };
    const meta = savedMapMeta('id', 'name', map, 1234, new Date('2025-02-03T04:05:06Z'));
    expect(meta).toMatchObject({ itemCount: 1, withEmbeddings: false, bytes: 1234, dim: 3 });
    expect(meta.savedAt).toBe('2025-02-03T04:05:06.000Z');
    expect(describeMapShape(map)).toBe('2×3 hex (6 units), 3-d, 1 item');
    expect(describeMapShape(mapOf())).toBe('2×3 hex (6 units), 3-d');
    expect([formatSize(999), formatSize(2048), formatSize(3 * 1024 * 1024)]).toEqual([
      '999 bytes',
      '2 KiB',
      '3.0 MiB',
    ]);
  });
});

describe('mapFileName', () => {
  it('makes a safe file name ending in .sdrmap', () => {
    expect(mapFileName('Cats & dogs')).toBe('Cats & dogs.sdrmap');
    expect(mapFileName('../../etc/passwd')).toBe('-..-etc-passwd.sdrmap');
    expect(mapFileName('a<b>:c"|?*\u0000')).toBe('a-b--c-----.sdrmap');
    expect(mapFileName('  ..  ')).toBe('map.sdrmap');
    expect(mapFileName('x'.repeat(300))).toHaveLength(107);
  });
});
