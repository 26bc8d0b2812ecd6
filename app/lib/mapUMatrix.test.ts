import { describe, expect, it } from 'vitest';
import { makeGrid, uMatrix, type SomModel } from '../../src/index.ts';
import { mapUMatrix, rememberUMatrix } from './mapUMatrix.ts';

function som(seed: number): SomModel {
  const grid = makeGrid(3, 4);
  const codebook = Float32Array.from({ length: 12 * 5 }, (_, i) => Math.sin(i * 0.37 + seed));
  return { grid, dim: 5, codebook };
}

describe('mapUMatrix', () => {
  it("gives the map's U-matrix, once per codebook", () => {
    const a = som(1);
    const first = mapUMatrix(a);
    expect(Array.from(first)).toEqual(Array.from(uMatrix(a)));
    expect(mapUMatrix(a)).toBe(first);
    expect(mapUMatrix({ ...a, codebook: a.codebook.slice() })).not.toBe(first);
    expect(Array.from(mapUMatrix(som(2)))).not.toEqual(Array.from(first));
  });

  it("uses a U-matrix computed elsewhere, if it has the map's size", () => {
    const a = som(3);
    const sent = uMatrix(a);
    rememberUMatrix(a, sent);
    expect(mapUMatrix(a)).toBe(sent);
    const b = som(4);
    rememberUMatrix(b, new Float32Array(5)); // wrong size: ignored
    expect(mapUMatrix(b)).toHaveLength(12);
  });
});
