import { deflateSync, inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createRng, randomNormal } from '../util/random.ts';
import { MapFileError } from './errors.ts';
import { roundTripFloat16 } from './float16.ts';
import { encodeMapFile } from './mapFile.ts';
import {
  inflateCapped,
  MAX_LINK_INFLATED_BYTES,
  packMapForLink,
  unpackMapFromLink,
} from './mapLink.ts';
import type { SdrMap } from './mapModel.ts';
import { mutate } from './mutate.ts';

function makeMap(items = 6): SdrMap {
  const rng = createRng(5);
  const grid = makeGrid(6, 5, 'hex');
  const dim = 16;
  return {
    name: 'shared map',
    createdAt: '2025-02-01T08:30:00Z',
    model: null,
    som: { grid, dim, codebook: Float32Array.from({ length: 30 * dim }, () => randomNormal(rng)) },
    training: { grid, epochs: 5, seed: 3, init: 'random', radiusStart: 3, radiusEnd: 1, inputs: 6 },
    quality: { quantizationError: 0.3, topographicError: 0.1 },
    calibration: { k: 2, qe: Float32Array.from([0.1, 0.2]), dispersion: Float32Array.from([1, 2]) },
    unitLabels: Array.from({ length: 30 }, (_, i) => `concept ${i}`),
    items: {
      labels: Array.from({ length: items }, (_, i) => `photo ${i}.jpg`),
      k: 2,
      sdrs: Uint32Array.from({ length: items * 2 }, (_, i) => (i % 2 ? 20 + (i % 7) : i % 7)),
      embeddings: Float32Array.from({ length: items * dim }, () => randomNormal(rng)),
      thumbnails: Array.from({ length: items }, (_, i) => Uint8Array.of(0xff, 0xd8, i)),
    },
  };
}

/**
 * A hand-written DEFLATE bomb: one dynamic-Huffman block whose only codes are literal 0, EOB
 * and (length 258, distance 1), the last two coded in 1 bit each, so every 2 bits of input
 * inflate to 258 zero bytes (1032:1, DEFLATE's maximum).
 */
function deflateBomb(repeats: number): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  const put = (value: number, count: number) => {
    for (let i = 0; i < count; i++) {
      acc |= ((value >>> i) & 1) << bits;
      if (++bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  };
  const code = (c: number, len: number) => {
    for (let i = len - 1; i >= 0; i--) put((c >>> i) & 1, 1); // Huffman codes go MSB first
  };
  put(1, 1); // BFINAL
  put(2, 2); // dynamic Huffman
  put(29, 5); // HLIT: 286 literal/length codes
  put(0, 5); // HDIST: 1 distance code
  put(14, 4); // HCLEN: 18 code-length codes
  // Code-length code lengths in the spec's order 16,17,18,0,8,7,9,6,10,5,11,4,12,3,13,2,14,1:
  // symbol 18 (zero run) gets 1 bit, symbols 1 and 2 get 2 bits.
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const clLength: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const s of order) put(clLength[s] ?? 0, 3);
  const cl = (s: number) => (s === 18 ? code(0, 1) : code(s === 1 ? 2 : 3, 2));
  // Literal/length lengths: 0 → 2, 1..255 → 0, 256 (EOB) → 2, 257..284 → 0, 285 → 1; distance 0 → 1.
  cl(2);
  cl(18);
  put(138 - 11, 7);
  cl(18);
  put(117 - 11, 7);
  cl(2);
  cl(18);
  put(28 - 11, 7);
  cl(1);
  cl(1);
  code(2, 2); // literal 0 (canonical codes: 285 → 0, literal 0 → 10, EOB → 11)
  for (let i = 0; i < repeats; i++) put(0, 2); // length 258 (code 0), distance 1 (code 0)
  code(3, 2); // end of block
  if (bits > 0) out.push(acc);
  return Uint8Array.from(out);
}

describe('share-link payload', () => {
  it('round-trips the compact map: float16 codebook, no embeddings or thumbnails', () => {
    const map = makeMap();
    const packed = packMapForLink(map);
    expect(packed.length).toBeLessThan(encodeMapFile(map).length);
    const back = unpackMapFromLink(packed);
    expect(Array.from(back.som.codebook)).toEqual(
      Array.from(roundTripFloat16(map.som.codebook.slice())),
    );
    expect(back.som.grid).toEqual(map.som.grid);
    expect(back.unitLabels).toEqual(map.unitLabels);
    expect(back.calibration).toEqual(map.calibration);
    expect(back.items!.labels).toEqual(map.items!.labels);
    expect(Array.from(back.items!.sdrs)).toEqual(Array.from(map.items!.sdrs));
    expect(back.items!.embeddings).toBeUndefined();
    expect(back.items!.thumbnails).toBeUndefined();
  });

  it('the test bomb is real DEFLATE: a small one inflates to the zeros it promises', () => {
    const small = inflateSync(deflateBomb(10));
    expect(small.length).toBe(1 + 10 * 258);
    expect(small.every((b) => b === 0)).toBe(true);
  });

  it('refuses a 200 MB deflate bomb, stopping near the cap', () => {
    const bomb = deflateBomb(Math.ceil((200 * 1024 * 1024) / 258));
    expect(bomb.length).toBeLessThan(210_000); // ~200 KB claiming 200 MB
    const refusal = (cap?: number) => {
      try {
        unpackMapFromLink(bomb, cap === undefined ? {} : { maxInflatedBytes: cap });
      } catch (e) {
        return e;
      }
      return null;
    };
    const error = refusal();
    expect(error).toBeInstanceOf(MapFileError);
    expect((error as Error).message).toBe(
      'the shared map inflates to more than 16 MiB; refusing it',
    );
    // A smaller cap stops it sooner, with the same message.
    expect((refusal(1 << 20) as Error).message).toMatch('inflates to more than 1 MiB');
  });

  it('inflateCapped allows exactly the cap and refuses one byte more', () => {
    const data = new Uint8Array(5000).map((_, i) => (i * 31) & 0xff);
    const packed = deflateSync(data);
    expect(Array.from(inflateCapped(packed, 5000))).toEqual(Array.from(data));
    expect(() => inflateCapped(packed, 4999)).toThrow(MapFileError);
    expect(MAX_LINK_INFLATED_BYTES).toBe(16 * 1024 * 1024);
  });

  it('refuses empty, damaged, truncated and non-map payloads with MapFileError', () => {
    const packed = packMapForLink(makeMap());
    const cases: Array<[Uint8Array, RegExp]> = [
      [new Uint8Array(0), /holds no map/],
      [Uint8Array.of(0xff, 0xff, 0xff, 0xff), /damaged: it does not decompress/],
      [packed.subarray(0, packed.length >> 1), /damaged: it does not decompress/],
      [deflateSync(new TextEncoder().encode('hello world')), /not an SDR Explorer map/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => unpackMapFromLink(bytes)).toThrow(MapFileError);
      expect(() => unpackMapFromLink(bytes)).toThrow(message);
    }
    expect(() => unpackMapFromLink(packed, { maxInflatedBytes: 0 })).toThrow(
      /maxInflatedBytes must be an integer/,
    );
  });

  it('fuzz: 2,000 mutated payloads unpack to a valid map or throw MapFileError', () => {
    const seeds = [packMapForLink(makeMap()), packMapForLink(makeMap(0))];
    const rng = createRng(31);
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = mutate(seeds[i % 2], rng);
      try {
        const map = unpackMapFromLink(bytes);
        expect(map.som.codebook.length).toBe(30 * 16);
      } catch (e) {
        if (!(e instanceof MapFileError)) throw new Error(`case ${i} threw ${String(e)}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1900); // the checksum inside catches nearly all damage
  });
});
