import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { MapFileError } from '../io/errors.ts';
import type { SdrMap } from '../io/mapModel.ts';
import { createRng, randomInt, randomNormal } from '../util/random.ts';
import { encodeBase64Url } from './base64url.ts';
import {
  InlineMapTooLargeError,
  MAX_INLINE_MAP_BYTES,
  mapFromLinkFragment,
  mapToLinkFragment,
} from './inlineMap.ts';
import { MAX_INLINE_MAP_CHARS, formatShareState, parseShareState } from './urlState.ts';

/** A seeded map with unit-length codebook rows, unit labels and a few items. */
function makeMap(rows: number, cols: number, dim: number, items = 0, seed = 1): SdrMap {
  const rng = createRng(seed);
  const grid = makeGrid(rows, cols);
  const m = gridSize(grid);
  const codebook = new Float32Array(m * dim);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += (codebook[i * dim + j] = randomNormal(rng)) ** 2;
    for (let j = 0; j < dim; j++) codebook[i * dim + j] /= Math.sqrt(s);
  }
  const k = 3;
  const sdrs = new Uint32Array(items * k);
  for (let i = 0; i < items; i++) {
    const first = randomInt(rng, m - 2);
    sdrs.set([first, first + 1, first + 2], i * k);
  }
  return {
    name: 'shared map',
    createdAt: '2025-01-31T12:00:00.000Z',
    model: 'Xenova/clip-vit-base-patch32',
    som: { grid, dim, codebook },
    training: { grid, epochs: 5, seed, init: 'pca', radiusStart: 2, radiusEnd: 1, inputs: 80 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
    unitLabels: Array.from({ length: m }, (_, i) => `unit ${i}`),
    ...(items > 0
      ? { items: { labels: Array.from({ length: items }, (_, i) => `item ${i}`), k, sdrs } }
      : {}),
  };
}

describe('mapToLinkFragment / mapFromLinkFragment', () => {
  it('carries a small map through a whole share link', () => {
    const map = makeMap(4, 4, 8, 5);
    const data = mapToLinkFragment(map);
    const link = formatShareState({
      ...parseShareState('', '').state,
      mapSource: { kind: 'inline', data },
    });
    expect(link.hash).toBe(`#m=${data}`);
    const parsed = parseShareState(link.search, link.hash);
    expect(parsed.warnings).toEqual([]);
    const source = parsed.state.mapSource;
    if (source?.kind !== 'inline') throw new Error('expected an inline map source');
    const back = mapFromLinkFragment(source.data);

    expect(back.name).toBe(map.name);
    expect(back.som.grid).toEqual(map.som.grid);
    expect(back.som.dim).toBe(8);
    expect(back.unitLabels).toEqual(map.unitLabels);
    expect(back.items?.labels).toEqual(map.items?.labels);
    expect(Array.from(back.items?.sdrs ?? [])).toEqual(Array.from(map.items?.sdrs ?? []));
    // Links carry the codebook as float16: within half a float16 step of values below 1.
    let worst = 0;
    for (let i = 0; i < map.som.codebook.length; i++) {
      worst = Math.max(worst, Math.abs(back.som.codebook[i] - map.som.codebook[i]));
    }
    expect(worst).toBeLessThanOrEqual(2 ** -11);
  });

  it('refuses a map too large for a link, saying what to do instead', () => {
    expect(() => mapToLinkFragment(makeMap(5, 5, 512))).not.toThrow();
    let err: unknown;
    try {
      mapToLinkFragment(makeMap(10, 10, 512));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InlineMapTooLargeError);
    expect((err as InlineMapTooLargeError).packedBytes).toBeGreaterThan(MAX_INLINE_MAP_BYTES);
    expect((err as Error).message).toMatch(
      /^this map is \d+(\.\d)? KiB packed; a link carries at most 48 KiB: share the \.sdrmap file or its web address instead$/,
    );
  });

  it('refuses hostile text with MapFileError and a readable reason', () => {
    const good = mapToLinkFragment(makeMap(3, 3, 4));
    const cases: Array<[string, RegExp]> = [
      ['', /holds no map/],
      ['<script>', /damaged: character 1 is not base64url/],
      ['A'.repeat(MAX_INLINE_MAP_CHARS + 4), /at most 65,536/],
      [good.slice(0, -9), /./],
      [encodeBase64Url(Uint8Array.from({ length: 500 }, (_, i) => (i * 37) & 255)), /./],
    ];
    for (const [text, reason] of cases) {
      expect(() => mapFromLinkFragment(text)).toThrow(MapFileError);
      expect(() => mapFromLinkFragment(text)).toThrow(reason);
    }
  });

  it('refuses a deflate bomb that fits in a link', () => {
    // 1 MiB of zeros as non-final DEFLATE blocks ending byte-aligned (a sync flush), repeated
    // 17 times, then an empty final block (0x03 0x00): 17 MiB, past the 16 MiB inflation cap,
    // from about 17 KB, built in milliseconds instead of compressing 17 MiB.
    const mib = deflateRawSync(Buffer.alloc(1024 * 1024), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
    });
    const bomb = Buffer.concat([...Array.from({ length: 17 }, () => mib), Buffer.of(0x03, 0x00)]);
    const text = encodeBase64Url(bomb);
    expect(text.length).toBeLessThanOrEqual(MAX_INLINE_MAP_CHARS);
    let err: unknown;
    try {
      mapFromLinkFragment(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MapFileError);
    expect((err as Error).message).toMatch(/inflates to more than 16 MiB/);
  });

  it('meets single-character damage with MapFileError or a valid map, never another error', () => {
    const good = mapToLinkFragment(makeMap(3, 3, 4, 2));
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const rng = createRng(5);
    for (let t = 0; t < 300; t++) {
      const at = randomInt(rng, good.length);
      const text = good.slice(0, at) + alphabet[randomInt(rng, 64)] + good.slice(at + 1);
      try {
        const map = mapFromLinkFragment(text);
        expect(map.som.codebook.length).toBe(map.som.grid.rows * map.som.grid.cols * map.som.dim);
      } catch (e) {
        expect(e).toBeInstanceOf(MapFileError);
      }
    }
  });
});
