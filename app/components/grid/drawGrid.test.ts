import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cachedPixelCells, makePixelCells, preparePixelCells } from './drawGrid.ts';
import { layoutCells } from './geometry.ts';
import { rasterizeCells } from './rasterGrid.ts';
import { makeGrid } from '../../../src/index.ts';

// Node has no ImageData: the little of it the pixel cells use.
const hadImageData = 'ImageData' in globalThis;
beforeAll(() => {
  if (!hadImageData) {
    (globalThis as Record<string, unknown>).ImageData = class {
      readonly data: Uint8ClampedArray;
      constructor(
        readonly width: number,
        readonly height: number,
      ) {
        this.data = new Uint8ClampedArray(width * height * 4);
      }
    };
  }
});
afterAll(() => {
  if (!hadImageData) delete (globalThis as Record<string, unknown>).ImageData;
});

describe('the per-pixel cell map, made without stalling the page', () => {
  it('is not made by a look in the cache, then made in slices and found there', async () => {
    // A size no other test uses, so the module's cache starts without it.
    const layout = layoutCells(makeGrid(12, 10), 311, 257);
    expect(cachedPixelCells(layout, 1)).toBeNull();
    expect(await preparePixelCells(layout, 1)).toBe(true);
    const cells = cachedPixelCells(layout, 1);
    expect(cells?.raster).toEqual(rasterizeCells(layout, 1, 1));
    expect(cells?.pixels).toHaveLength(311 * 257);
    // Each caller paints into pixels of its own over the one shared raster.
    const again = makePixelCells(layout, 1);
    expect(again.raster).toBe(cells?.raster);
    expect(again.pixels).not.toBe(cells?.pixels);
  });

  it('stops when its canvas moves on, leaving nothing half made in the cache', async () => {
    const layout = layoutCells(makeGrid(40, 40), 523, 509);
    const stop = new AbortController();
    const made = preparePixelCells(layout, 1, stop.signal);
    stop.abort();
    expect(await made).toBe(false);
    expect(cachedPixelCells(layout, 1)).toBeNull();
  });
});
