import { deflateSync, inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createRng, randomNormal } from '../util/random.ts';
import { MapFileError } from './errors.ts';
import { roundTripFloat16 } from './float16.ts';
import { encodeBatch } from '../encode/encode.ts';
import { encodeMapFile } from './mapFile.ts';
import {
  inflateCapped,
  isApproximate,
  LINK_PRECISIONS,
  linkPayloadEstimate,
  linkRoundingIsLossless,
  MAX_LINK_INFLATED_BYTES,
  packMapForLink,
  packMapForLinkAt,
  roundSignificand,
  shuffleBytes,
  unpackLink,
  unpackMapFromLink,
  type LinkPrecision,
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

/**
 * A seeded smooth map like a trained one: each unit a bilinear blend of four random corner
 * directions plus noise, lengths 0.7–0.96; and `inputs` unit rows drawn near the map.
 */
function smoothMap(side: number, dim: number, inputs: number, seed = 7) {
  const rng = createRng(seed);
  const corners = Array.from({ length: 4 }, () =>
    Float32Array.from({ length: dim }, () => randomNormal(rng)),
  );
  const blend = (a: number, b: number, j: number) =>
    (1 - a) * (1 - b) * corners[0][j] +
    (1 - a) * b * corners[1][j] +
    a * (1 - b) * corners[2][j] +
    a * b * corners[3][j];
  const m = side * side;
  const codebook = new Float32Array(m * dim);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const u = (r * side + c) * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const v = blend(r / (side - 1), c / (side - 1), j) + 0.15 * randomNormal(rng);
        codebook[u + j] = v;
        s += v * v;
      }
      const length = 0.7 + (0.26 * (r + c)) / (2 * side);
      for (let j = 0; j < dim; j++) codebook[u + j] *= length / Math.sqrt(s);
    }
  }
  const data = new Float32Array(inputs * dim);
  for (let i = 0; i < inputs; i++) {
    const a = rng();
    const b = rng();
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = blend(a, b, j) + 0.5 * randomNormal(rng);
      data[i * dim + j] = v;
      s += v * v;
    }
    for (let j = 0; j < dim; j++) data[i * dim + j] /= Math.sqrt(s);
  }
  const grid = makeGrid(side, side);
  const map: SdrMap = {
    name: 'smooth',
    createdAt: '2025-03-01T00:00:00Z',
    model: null,
    som: { grid, dim, codebook },
    training: { grid, epochs: 1, seed, init: 'pca', radiusStart: 2, radiusEnd: 1, inputs },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
    items: {
      labels: ['a', 'b'],
      k: 2,
      sdrs: Uint32Array.of(0, 1, 2, 3),
      embeddings: data.slice(0, 2 * dim),
    },
  };
  return { map, data, inputs };
}

/** Rows whose top-K SDR on `map` differs from `reference` (n·k SDRs of the same inputs). */
function changedSdrs(reference: Uint32Array, map: SdrMap, data: Float32Array, n: number, k = 20) {
  const y = encodeBatch(map.som, data, n, { k }).active;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      if (reference[i * k + t] !== y[i * k + t]) {
        changed++;
        break;
      }
    }
  }
  return changed;
}

describe('roundSignificand', () => {
  it('keeps values within half a step of the kept bits, and 23 bits is a plain copy', () => {
    const rng = createRng(3);
    const values = Float32Array.from({ length: 4000 }, () => randomNormal(rng) * 0.1);
    expect(Array.from(roundSignificand(values, 23))).toEqual(Array.from(values));
    for (const bits of [16, 14, 10]) {
      const r = roundSignificand(values, bits);
      let worst = 0;
      let moved = 0;
      for (let i = 0; i < values.length; i++) {
        worst = Math.max(worst, Math.abs(r[i] - values[i]) / Math.abs(values[i]));
        if (r[i] !== values[i]) moved++;
      }
      expect(worst).toBeLessThanOrEqual(2 ** -(bits + 1));
      expect(moved).toBeGreaterThan(values.length * 0.9); // it really rounds
    }
  });

  it('carries into the exponent, keeps signs, and never rounds a finite value to Infinity', () => {
    const r = roundSignificand(Float32Array.of(1.9999999, -1.9999999, 3.4028234e38, 0, -0), 10);
    expect(Array.from(r.subarray(0, 2))).toEqual([2, -2]);
    expect(Number.isFinite(r[2])).toBe(true);
    expect(Object.is(r[3], 0)).toBe(true);
    expect(Object.is(r[4], -0)).toBe(true);
    expect(() => roundSignificand(new Float32Array(1), 24)).toThrow(/from 0 to 23/);
  });

  it('shuffleBytes regroups bytes by position', () => {
    expect(Array.from(shuffleBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4))).toEqual([
      1, 5, 2, 6, 3, 7, 4, 8,
    ]);
  });
});

describe('link precision ladder', () => {
  it('round-trips each precision with the error it promises, embeddings included', () => {
    const map = makeMap();
    for (const precision of LINK_PRECISIONS) {
      const { map: back, precision: read } = unpackLink(packMapForLinkAt(map, precision));
      expect(read).toBe(precision);
      expect(back.items!.labels).toEqual(map.items!.labels);
      expect(Array.from(back.items!.sdrs)).toEqual(Array.from(map.items!.sdrs));
      expect(back.items!.thumbnails).toBeUndefined();
      const expected =
        precision === 'f16'
          ? roundTripFloat16(map.som.codebook.slice())
          : roundSignificand(map.som.codebook, { exact: 23, r16: 16, r14: 14 }[precision]);
      expect(Array.from(back.som.codebook)).toEqual(Array.from(expected));
      expect(back.items!.embeddings!.length).toBe(map.items!.embeddings!.length);
      if (precision === 'exact') {
        expect(Array.from(back.items!.embeddings!)).toEqual(Array.from(map.items!.embeddings!));
      }
      expect(isApproximate(precision)).toBe(precision === 'f16');
    }
    const bare = unpackLink(packMapForLinkAt(map, 'exact', { includeEmbeddings: false })).map;
    expect(bare.items!.embeddings).toBeUndefined();
    // Legacy payloads still open, and say they are float16.
    expect(unpackLink(packMapForLink(map)).precision).toBe('f16');
  });

  it('a rounding that changes nothing is declared exact (maps trained in the page are float16)', () => {
    const map = makeMap();
    const half: SdrMap = {
      ...map,
      som: { ...map.som, codebook: roundTripFloat16(map.som.codebook.slice()) },
    };
    expect(linkRoundingIsLossless(half, 'f16', { includeEmbeddings: false })).toBe(true);
    expect(linkRoundingIsLossless(half, 'f16')).toBe(false); // its items' embeddings are float32
    expect(linkRoundingIsLossless(map, 'r14', { includeEmbeddings: false })).toBe(false);
    const back = unpackLink(packMapForLinkAt(half, 'f16', { includeEmbeddings: false }));
    expect(back.precision).toBe('exact');
    expect(Array.from(back.map.som.codebook)).toEqual(Array.from(half.som.codebook));
    expect(unpackLink(packMapForLinkAt(half, 'f16')).precision).toBe('f16');
  });

  it('each rung down the ladder is smaller, and the size estimate stays below the real size', () => {
    const { map } = smoothMap(8, 256, 2);
    for (const m of [map, makeMap()]) {
      const sizes = LINK_PRECISIONS.map((p) => packMapForLinkAt(m, p).length);
      for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThan(sizes[i - 1]);
      LINK_PRECISIONS.forEach((p, i) => {
        expect(linkPayloadEstimate(m, p)).toBeLessThan(sizes[i]);
        expect(linkPayloadEstimate(m, p, { includeEmbeddings: false })).toBeLessThan(
          linkPayloadEstimate(m, p),
        );
      });
    }
  });

  it('refuses hostile containers with MapFileError and a reason', () => {
    const good = inflateSync(packMapForLinkAt(makeMap(), 'r16'));
    const edit = (change: (v: DataView, b: Uint8Array) => void) => {
      const b = good.slice();
      change(new DataView(b.buffer), b);
      return deflateSync(b);
    };
    const cases: Array<[Uint8Array, RegExp]> = [
      [edit((v) => v.setUint16(8, 3, true)), /newer SDR Explorer \(link format v3\)/],
      [edit((v) => v.setUint16(10, 7, true)), /unknown precision \(7 significand bits\)/],
      [edit((v) => v.setUint32(12, 99, true)), /99 entries; at most 4/],
      [edit((v) => v.setUint32(16, 0xfffffff0, true)), /does not fit/],
      [edit((v) => v.setUint32(24, 3, true)), /width 3/],
      // A region that fits but is the wrong one scrambles bytes the checksum then catches.
      [edit((v) => v.setUint32(16, v.getUint32(16, true) + 8, true)), /checksum mismatch/],
      [deflateSync(good.subarray(0, 12)), /truncated/],
    ];
    for (const [bytes, reason] of cases) {
      expect(() => unpackLink(bytes)).toThrow(MapFileError);
      expect(() => unpackLink(bytes)).toThrow(reason);
    }
  });

  it('fuzz: 1,000 mutated container payloads unpack to a valid map or throw MapFileError', () => {
    const seed = packMapForLinkAt(makeMap(), 'r14');
    const rng = createRng(77);
    for (let i = 0; i < 1000; i++) {
      try {
        expect(unpackLink(mutate(seed, rng)).map.som.codebook.length).toBe(30 * 16);
      } catch (e) {
        if (!(e instanceof MapFileError)) throw new Error(`case ${i} threw ${String(e)}`);
      }
    }
  });
});

describe('measurement: SDRs changed by each link precision', () => {
  it('on a smooth 16×16×512 map, exact, r16 and r14 change no top-20 SDR; f16 changes a few', () => {
    const { map, data, inputs } = smoothMap(16, 512, 1000);
    const reference = encodeBatch(map.som, data, inputs, { k: 20 }).active;
    const changed: Partial<Record<LinkPrecision, number>> = {};
    const bytes: Partial<Record<LinkPrecision, number>> = {};
    for (const p of LINK_PRECISIONS) {
      const packed = packMapForLinkAt(map, p, { includeEmbeddings: false });
      bytes[p] = packed.length;
      changed[p] = changedSdrs(reference, unpackLink(packed).map, data, inputs);
    }
    // Recorded in mapLink.ts's table: exact, r16, r14 0 of 1,000; f16 4 of 1,000 (so a
    // float16 link is marked approximate).
    expect({ exact: changed.exact, r16: changed.r16, r14: changed.r14 }).toEqual({
      exact: 0,
      r16: 0,
      r14: 0,
    });
    expect(changed.f16).toBeGreaterThan(0);
    expect(changed.f16).toBeLessThanOrEqual(10);
    // Payload sizes: exact ≈ 445 KB, r16 ≈ 337 KB, r14 ≈ 301 KB, f16 ≈ 240 KB.
    expect(bytes.r16! / bytes.exact!).toBeLessThan(0.8);
    expect(bytes.r14!).toBeLessThan(320_000);
  });
});
