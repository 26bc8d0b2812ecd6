// The share-link worker's session, in Node: a small map's link reads back the same map, and a
// map too large for any rung is an answer (tooLarge), not a thrown error.
import { describe, expect, it } from 'vitest';
import { createRng, makeGrid, type SdrMap } from '../../src/index.ts';
import { createShareLinkWorkerApi } from './shareLinkSession.ts';

function mapOf(rows: number, cols: number, dim: number, weight: (i: number) => number): SdrMap {
  const grid = makeGrid(rows, cols);
  const codebook = new Float32Array(rows * cols * dim);
  for (let i = 0; i < codebook.length; i++) codebook[i] = weight(i);
  return {
    name: 'test map',
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: { grid, dim, codebook },
    training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 1 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
  };
}

describe('share-link session', () => {
  const api = createShareLinkWorkerApi();

  it('makes a link that reads back as the same map, and says how long it took', async () => {
    const map = mapOf(6, 6, 16, (i) => Math.sin(i * 0.37 + 1) * 0.3);
    const reply = await api.linkFor(map);
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.ms).toBeGreaterThanOrEqual(0);
    expect(reply.fragment.precision).toBe('exact');
    const back = await api.read(reply.fragment.text);
    expect(Array.from(back.map.som.codebook)).toEqual(Array.from(map.som.codebook));
  });

  // The smaller copy itself is tested through the store (librarySlice.test.ts).
  it('answers tooLarge for a map no rung fits', async () => {
    const random = createRng(3);
    const map = mapOf(48, 48, 512, () => random() - 0.5);
    const reply = await api.linkFor(map);
    expect(reply).toMatchObject({ ok: false, tooLarge: true });
    if (!reply.ok) expect(reply.message).toMatch(/a link carries at most 384 KiB/);
  });

  it('rejects text that is not a map, with the reader’s reason', async () => {
    await expect(api.read('AAAA')).rejects.toThrow(/.+/);
  });
});
