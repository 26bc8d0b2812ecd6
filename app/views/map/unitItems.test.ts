import { describe, expect, it } from 'vitest';
import { createUnitItemLookup } from './unitItems.ts';
import { makeGrid } from '../../../src/index.ts';

// Four items on the axes of a 2-d space; units point between them.
const embeddings = new Float32Array([1, 0, 0, 1, -1, 0, 0, -1]);
const labels = ['east', 'north', 'west', 'south'];
const som = {
  grid: makeGrid(1, 2),
  dim: 2,
  // Unit 0 leans east-north (shorter than 1, like a trained codebook row), unit 1 points west.
  codebook: new Float32Array([0.6, 0.3, -0.8, 0.05]),
};

describe('createUnitItemLookup', () => {
  it('lists the nearest items to the unit by cosine, best first', () => {
    const lookup = createUnitItemLookup(som, embeddings, labels, 2);
    expect(lookup(0).map((x) => x.label)).toEqual(['east', 'north']);
    expect(lookup(1).map((x) => x.label)).toEqual(['west', 'north']);
    expect(lookup(0)[0].cosine).toBeCloseTo(0.6 / Math.hypot(0.6, 0.3), 5);
  });

  it('returns the same list object on the second ask (cached)', () => {
    const lookup = createUnitItemLookup(som, embeddings, labels);
    expect(lookup(1)).toBe(lookup(1));
  });

  it('returns nothing for units off the map or an empty dataset', () => {
    expect(createUnitItemLookup(som, embeddings, labels)(2)).toEqual([]);
    expect(createUnitItemLookup(som, new Float32Array(0), [])(0)).toEqual([]);
  });

  it('refuses a silly count', () => {
    expect(() => createUnitItemLookup(som, embeddings, labels, 0)).toThrow(/count must be/);
  });
});
