import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { MapFileError } from '../io/errors.ts';
import { roundTripFloat16 } from '../io/float16.ts';
import type { SdrMap } from '../io/mapModel.ts';
import { createRng, randomInt, randomNormal } from '../util/random.ts';
import { encodeBase64Url } from './base64url.ts';
import {
  describeLinkPrecision,
  InlineMapTooLargeError,
  linkFragmentFor,
  MAX_INLINE_MAP_BYTES,
  mapFromLinkFragment,
  mapToLinkFragment,
  readLinkFragment,
} from './inlineMap.ts';
import { MAX_INLINE_MAP_CHARS, formatShareState, parseShareState } from './urlState.ts';

/** A seeded map with unit-length codebook rows, unit labels and a few items. */
function makeMap(
  rows: number,
  cols: number,
  dim: number,
  items = 0,
  seed = 1,
  withEmbeddings = false,
): SdrMap {
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
      ? {
          items: {
            labels: Array.from({ length: items }, (_, i) => `item ${i}`),
            k,
            sdrs,
            ...(withEmbeddings ? { embeddings: codebook.slice(0, items * dim) } : {}),
          },
        }
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
    // A small map travels exact.
    expect(Array.from(back.som.codebook)).toEqual(Array.from(map.som.codebook));
  });

  it('takes the most exact precision that fits: teaching maps exact or rounded, larger ones float16', () => {
    const cases: Array<[SdrMap, string, boolean]> = [
      [makeMap(12, 12, 512, 36, 1, true), 'exact', true],
      [makeMap(16, 16, 512, 36, 1, true), 'r14', true],
      [makeMap(20, 20, 512, 36, 1, true), 'f16', false],
    ];
    for (const [map, precision, withEmbeddings] of cases) {
      const fragment = linkFragmentFor(map);
      expect(fragment.text.length).toBeLessThanOrEqual(MAX_INLINE_MAP_CHARS);
      expect([fragment.precision, fragment.withEmbeddings]).toEqual([precision, withEmbeddings]);
      expect(fragment.approximate).toBe(precision === 'f16');
      const back = readLinkFragment(fragment.text);
      expect(back.precision).toBe(precision);
      expect(back.approximate).toBe(fragment.approximate);
      expect(back.map.items?.labels).toEqual(map.items?.labels);
      expect(back.map.items?.embeddings !== undefined).toBe(withEmbeddings);
    }
    // A map whose weights are already float16 (as the page trains them) travels as float16, exact.
    const trained = makeMap(20, 20, 512);
    roundTripFloat16(trained.som.codebook);
    expect(linkFragmentFor(trained)).toMatchObject({ precision: 'exact', approximate: false });
    expect(describeLinkPrecision('exact')).toMatch(/^exact/);
    expect(describeLinkPrecision('f16')).toMatch(/^approximate/);
  });

  it('refuses a map too large for a link, saying what to do instead', () => {
    const refusal = (map: SdrMap) => {
      try {
        mapToLinkFragment(map);
      } catch (e) {
        return e as InlineMapTooLargeError;
      }
      throw new Error('expected a refusal');
    };
    // Random weights have no neighbour to predict them from, so not even the coarsest quantised
    // rung fits (a trained map of this size does: see the quantised tests below).
    const err = refusal(makeMap(40, 40, 512));
    expect(err).toBeInstanceOf(InlineMapTooLargeError);
    expect(err.packedBytes).toBeGreaterThan(MAX_INLINE_MAP_BYTES);
    expect(err.message).toMatch(
      /^this map is \d+(\.\d)? KiB packed; a link carries at most 384 KiB: share the \.sdrmap file or its web address instead$/,
    );
    // A much larger map is refused from its coarsest quantised packing (the float rungs are
    // skipped from their lower bounds).
    const huge = refusal(makeMap(64, 64, 512));
    expect(huge.packedBytes).toBeGreaterThan(2 * MAX_INLINE_MAP_BYTES);
    expect(huge.message).toMatch(/^this map is \d+(\.\d)? (KiB|MiB) packed/);
  });

  it('refuses hostile text with MapFileError and a readable reason', () => {
    const good = mapToLinkFragment(makeMap(3, 3, 4));
    const cases: Array<[string, RegExp]> = [
      ['', /holds no map/],
      ['<script>', /damaged: character 1 is not base64url/],
      ['A'.repeat(MAX_INLINE_MAP_CHARS + 4), /at most 524,288/],
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
