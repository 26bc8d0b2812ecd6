import { describe, expect, it } from 'vitest';
import { isMapFileName, splitMapFiles } from './mapDrop.ts';

describe('map files among dropped files', () => {
  it('recognises .sdrmap in any case, and only as the extension', () => {
    expect(
      ['a.sdrmap', 'B.SDRMAP', 'x.sdrmap.png', 'sdrmap', 'a.sdrmap '].map(isMapFileName),
    ).toEqual([true, true, false, false, false]);
  });

  it('splits map files from the rest, keeping their order', () => {
    const files = ['1.png', 'a.sdrmap', 'e.npy', 'b.sdrmap'].map((name) => ({ name }));
    const { maps, rest } = splitMapFiles(files);
    expect(maps.map((f) => f.name)).toEqual(['a.sdrmap', 'b.sdrmap']);
    expect(rest.map((f) => f.name)).toEqual(['1.png', 'e.npy']);
  });
});
