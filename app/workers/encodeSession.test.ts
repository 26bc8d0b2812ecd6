import { describe, expect, it } from 'vitest';
import { makeGrid } from '../../src/grid/grid.ts';
import { createEncodeWorkerApi, StaleMapError } from './encodeSession.ts';

const grid = makeGrid(2, 3);
const target = (fill: number) => ({
  som: { grid, dim: 2, codebook: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i + fill)) },
  calibration: null,
});

describe('encode session', () => {
  it('encodes on the map of the latest token and refuses older tokens', async () => {
    const api = createEncodeWorkerApi();
    await api.setMap(1, target(0));
    await api.setMap(2, target(1));
    const rows = await api.encode(2, new Float32Array([1, 0, 0, 1]), 2, 2);
    expect(rows.active).toHaveLength(4);
    await expect(api.encode(1, new Float32Array([1, 0]), 1, 2)).rejects.toBeInstanceOf(
      StaleMapError,
    );
  });

  it('refuses to encode before any map, and a codebook of the wrong size', async () => {
    const api = createEncodeWorkerApi();
    await expect(api.encode(1, new Float32Array(2), 1, 1)).rejects.toThrow(/has no map yet/);
    await expect(
      api.setMap(1, { som: { grid, dim: 2, codebook: new Float32Array(5) }, calibration: null }),
    ).rejects.toThrow(/holds 5 numbers, not 2×3×2/);
  });
});
