import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { normalizeRows } from '../io/embeddings.ts';
import { createJsBackend } from '../som/backend.ts';
import { labelUnits, nearestItemPerUnit } from './unitLabels.ts';

describe('nearestItemPerUnit', () => {
  it('finds, for each unit, the item pointing most nearly its way, whatever the unit’s length', async () => {
    // Items: the 4 axis directions of R^4 and a diagonal; units are scaled copies of some.
    const items = normalizeRows(
      Float32Array.of(1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0),
      5,
      4,
    );
    const codebook = Float32Array.of(
      0,
      0,
      0.3,
      0, // → item 2
      0.9,
      0.85,
      0,
      0, // → item 4 (the diagonal), though it is longer than 1
      0,
      0.1,
      0,
      0.2, // → item 3
      -1,
      0,
      0,
      0.01, // → item 3: the least negative products are the axes 1, 2, 3; 3 has +0.01
    );
    const model = { grid: makeGrid(2, 2), dim: 4, codebook };
    const nearest = await nearestItemPerUnit(createJsBackend(), model, items, 5);
    expect(Array.from(nearest)).toEqual([2, 4, 3, 3]);
  });
  it('breaks ties by the lower item index', async () => {
    const items = Float32Array.of(0, 1, 0, 1, 1, 0);
    const model = { grid: makeGrid(1, 2), dim: 2, codebook: Float32Array.of(0, 0.5, 0.5, 0) };
    expect(Array.from(await nearestItemPerUnit(createJsBackend(), model, items, 3))).toEqual([0, 2]); // prettier-ignore
  });
  it('ranks by cosine, so a long concept row does not outvote a closer short one', async () => {
    // Row 1 is longer but points away; row 0 is short and points the unit's way.
    const rows = Float32Array.of(0.1, 0.01, 5, 5);
    const model = { grid: makeGrid(1, 1), dim: 2, codebook: Float32Array.of(1, 0) };
    expect(await labelUnits(createJsBackend(), model, rows, ['short', 'long'])).toEqual(['short']);
  });
});
