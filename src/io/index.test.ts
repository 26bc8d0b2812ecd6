import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import * as io from './index.ts';

describe('src/io public API', () => {
  it('takes an embeddings file to a saved map and back, through the index alone', () => {
    const csv = 'label,x,y,z\ncat,3,4,0\ndog,0,0,2\n';
    const e = io.readEmbeddings(new TextEncoder().encode(csv), 'pets.csv');
    io.normalizeRows(e.data, e.n, e.d);
    expect(Array.from(e.data)).toEqual([0.6, 0.8, 0, 0, 0, 1].map(Math.fround));
    const grid = makeGrid(1, 2);
    const map: io.SdrMap = {
      name: 'pets',
      createdAt: new Date(0).toISOString(),
      model: null,
      som: { grid, dim: e.d, codebook: e.data.slice() },
      training: {
        grid,
        epochs: 1,
        seed: 1,
        init: 'random',
        radiusStart: 1,
        radiusEnd: 1,
        inputs: 2,
      },
      quality: { quantizationError: 0, topographicError: 0 },
      calibration: null,
      items: { labels: e.labels!, k: 1, sdrs: Uint32Array.of(0, 1), embeddings: e.data },
    };
    const back = io.decodeMapFile(io.encodeMapFile(map, { codebookDtype: 'f32' }));
    expect(back.items!.labels).toEqual(['cat', 'dog']);
    expect(Array.from(back.som.codebook)).toEqual(Array.from(e.data));
    expect(io.unpackMapFromLink(io.packMapForLink(map)).name).toBe('pets');
  });

  it('exposes one error family', () => {
    for (const E of [io.NpyError, io.EmbeddingsError, io.MapFileError]) {
      expect(new E('x')).toBeInstanceOf(io.FileFormatError);
    }
  });
});
