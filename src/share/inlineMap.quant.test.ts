/**
 * A person's own map at the default size travels in a link (issue 9): a trained 32×32×512 map
 * with 1,200 items, on synthetic clustered data (the real-CLIP figures are in mapLink.ts, from
 * scripts/measure-link.ts).
 */
import { deflateSync, inflateSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBatch } from '../encode/encode.ts';
import { makeGrid } from '../grid/grid.ts';
import { MapFileError } from '../io/errors.ts';
import {
  isQuantised,
  packMapForLink,
  packMapForLinkAt,
  quantisedCodebook,
  unpackLink,
} from '../io/mapLink.ts';
import type { SdrMap } from '../io/mapModel.ts';
import { mutate } from '../io/mutate.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { train } from '../som/trainer.ts';
import { createRng } from '../util/random.ts';
import {
  describeLinkPrecision,
  linkFragmentFor,
  MIN_LINK_AGREEMENT,
  readLinkFragment,
  shrinkForLink,
} from './inlineMap.ts';
import { MAX_INLINE_MAP_CHARS } from './urlState.ts';

const d = 512;
const n = 1200;
const heldOut = 133;
let map: SdrMap;
let held: Float32Array;

/** Share of active units the rows keep on `b` against `a` (top-K by cosine). */
function agreement(a: SdrMap, b: SdrMap, rows: Float32Array, k: number): number {
  const count = rows.length / d;
  const x = encodeBatch(a.som, rows, count, { k }).active;
  const y = encodeBatch(b.som, rows, count, { k }).active;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const s = new Set(x.subarray(i * k, (i + 1) * k));
    for (let j = i * k; j < (i + 1) * k; j++) if (s.has(y[j])) kept++;
  }
  return kept / (count * k);
}

beforeAll(async () => {
  const data = syntheticClusters({ n: n + heldOut, d, clusters: 12, seed: 7 }).data;
  const rows = data.subarray(0, n * d);
  held = data.slice(n * d);
  const grid = makeGrid(32, 32);
  const snap = await train(rows, n, defaultTrainConfig(grid, { epochs: 10 }));
  const som = { grid, dim: d, codebook: snap.codebook };
  const k = 20;
  map = {
    name: 'my photos',
    createdAt: '2026-01-01T00:00:00.000Z',
    model: 'Xenova/clip-vit-base-patch32',
    som,
    training: { ...snap.config, inputs: n },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
    unitLabels: Array.from({ length: 1024 }, (_, i) => `unit ${i}`),
    items: {
      labels: Array.from({ length: n }, (_, i) => `photo ${i}.jpg`),
      k,
      sdrs: encodeBatch(som, rows, n, { k }).active,
      embeddings: rows.slice(),
    },
  };
}, 120_000);

describe('a 32×32×512 map with 1,200 items in a link', () => {
  it('fits, keeps every item SDR exactly, and agrees with the full map on held-out rows', () => {
    const fragment = linkFragmentFor(map);
    expect(fragment.text.length).toBeLessThanOrEqual(MAX_INLINE_MAP_CHARS);
    expect(isQuantised(fragment.precision)).toBe(true);
    expect(fragment.approximate).toBe(true);
    expect(fragment.withEmbeddings).toBe(false);
    expect(fragment.agreementProbes).toBe('items');
    expect(fragment.agreement).toBeGreaterThanOrEqual(MIN_LINK_AGREEMENT);
    const back = readLinkFragment(fragment.text);
    expect(back.precision).toBe(fragment.precision);
    expect(back.agreement).toBeCloseTo(fragment.agreement, 4);
    expect(back.map.items!.labels).toEqual(map.items!.labels);
    expect(Array.from(back.map.items!.sdrs)).toEqual(Array.from(map.items!.sdrs));
    expect(back.map.unitLabels).toEqual(map.unitLabels);
    expect(agreement(map, back.map, held, 20)).toBeGreaterThanOrEqual(0.95);
    expect(describeLinkPrecision(back.precision, back.agreement)).toMatch(
      /^approximate: .*keep \d+\.\d% of their active units .*items' own SDRs travel unchanged$/,
    );
  });

  it('decodes the codebook the sender quantised, bit for bit', () => {
    const back = unpackLink(packMapForLinkAt(map, 'q5', { includeEmbeddings: false }));
    expect(back.precision).toBe('q5');
    expect(back.agreement).toBeUndefined();
    expect(Array.from(back.map.som.codebook)).toEqual(Array.from(quantisedCodebook(map, 'q5')));
  });

  it('old link forms still decode: legacy float16 and container v1', () => {
    const small: SdrMap = { ...map, items: undefined, unitLabels: undefined };
    expect(unpackLink(packMapForLink(small)).precision).toBe('f16');
    const v1 = unpackLink(packMapForLinkAt(small, 'r14'));
    expect(v1.precision).toBe('r14');
    expect(v1.map.som.grid).toEqual(map.som.grid);
  });

  it('shrinkForLink offers a smaller copy of a map with too many items, saying what changes', () => {
    expect(shrinkForLink(map).changes).toEqual([]);
    // 8,000 items with long, unique labels: labels are cut, unit labels and items dropped.
    const rng = createRng(4);
    const many = 8000;
    const items = map.items!;
    const big: SdrMap = {
      ...map,
      items: {
        labels: Array.from(
          { length: many },
          (_, i) =>
            `${i} ${Array.from({ length: 60 }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rng() * 26)]).join('')}`,
        ),
        k: items.k,
        sdrs: Uint32Array.from(
          { length: many * items.k },
          (_, i) => items.sdrs[i % items.sdrs.length],
        ),
      },
    };
    const shrunk = shrinkForLink(big);
    expect(shrunk.changes[0]).toBe('cuts 8,000 labels to 40 characters');
    expect(shrunk.changes[1]).toMatch(/^leaves out the unit labels/);
    expect(shrunk.changes[2]).toMatch(
      /^keeps the first [\d,]+ of 8,000 items \(the rest do not fit\)$/,
    );
    const kept = shrunk.map.items!.labels.length;
    expect(kept).toBeGreaterThan(1000);
    expect(kept).toBeLessThan(many);
    expect(shrunk.fragment.text.length).toBeLessThanOrEqual(MAX_INLINE_MAP_CHARS);
    const back = readLinkFragment(shrunk.fragment.text).map;
    expect(back.items!.labels.every((l, i) => l === `${big.items!.labels[i].slice(0, 39)}…`)).toBe(
      true,
    );
    expect(Array.from(back.items!.sdrs)).toEqual(
      Array.from(big.items!.sdrs.subarray(0, kept * items.k)),
    );
  }, 60_000);

  it('shrinkForLink halves a grid whose codebook alone does not fit, placing items again', () => {
    const rng = createRng(8);
    const grid = makeGrid(40, 40);
    const dim = 512;
    // Random weights: nothing to predict from, so a 40×40×512 codebook does not fit.
    const codebook = Float32Array.from({ length: 1600 * dim }, () => rng() - 0.5);
    const embeddings = Float32Array.from({ length: 50 * dim }, () => rng() - 0.5);
    const som = { grid, dim, codebook };
    const random: SdrMap = {
      ...map,
      som,
      training: { ...map.training, grid },
      unitLabels: undefined,
      items: {
        labels: Array.from({ length: 50 }, (_, i) => `item ${i}`),
        k: 32,
        sdrs: encodeBatch(som, embeddings, 50, { k: 32 }).active,
        embeddings,
      },
    };
    const shrunk = shrinkForLink(random);
    expect(shrunk.changes[0]).toBe(
      'halves the grid to 20×20 (each unit the mean of 2×2 units), so every item is placed again and its SDR differs from the original',
    );
    expect(shrunk.map.som.grid).toMatchObject({ rows: 20, cols: 20 });
    expect(shrunk.map.items!.k).toBe(8);
    const back = readLinkFragment(shrunk.fragment.text).map;
    expect(Array.from(back.items!.sdrs)).toEqual(Array.from(shrunk.map.items!.sdrs));
  }, 60_000);
});

describe('quantised link container (v2) against hostile bytes', () => {
  const small = (): SdrMap => {
    const grid = makeGrid(4, 5);
    const rng = createRng(9);
    const codebook = Float32Array.from({ length: 20 * 8 }, (_, i) => Math.sin(i / 7) + rng() / 50);
    return {
      name: 'tiny',
      createdAt: '2026-01-01T00:00:00.000Z',
      model: null,
      som: { grid, dim: 8, codebook },
      training: { grid, epochs: 1, seed: 1, init: 'pca', radiusStart: 2, radiusEnd: 1, inputs: 3 },
      quality: { quantizationError: 0.5, topographicError: 0.1 },
      calibration: null,
      items: { labels: ['a', 'b', 'c'], k: 2, sdrs: Uint32Array.of(0, 1, 2, 3, 4, 5) },
    };
  };

  it('refuses damaged headers with MapFileError and a reason', () => {
    const good = inflateSync(packMapForLinkAt(small(), 'q6', { agreement: 0.99 }));
    expect(unpackLink(deflateSync(good)).agreement).toBe(0.99);
    const head = 16 + 12 * new DataView(good.buffer).getUint32(12, true);
    const edit = (change: (v: DataView) => void) => {
      const b = good.slice();
      change(new DataView(b.buffer));
      return deflateSync(b);
    };
    const cases: Array<[Uint8Array, RegExp]> = [
      [edit((v) => v.setUint16(10, 0x100 + 12, true)), /unknown quantisation/],
      [edit((v) => v.setUint32(12, 9, true)), /at most 4/],
      [edit((v) => v.setUint32(head + 4, 0, true)), /codebook block is invalid/],
      [edit((v) => v.setUint32(head + 12, 100000, true)), /codebook block is invalid/],
      [edit((v) => v.setFloat32(head + 16, NaN, true)), /codebook block is invalid/],
      [edit((v) => v.setUint16(head + 20, 3, true)), /codebook block is invalid/],
      [edit((v) => v.setUint16(head + 22, 20000, true)), /codebook block is invalid/],
      [edit((v) => v.setUint32(head, 0xfffffff0, true)), /does not fit/],
      [edit((v) => v.setUint32(head + 4, 1024, true)), /truncated|does not fit/],
      [edit((v) => v.setFloat32(head + 16, 0.5, true)), /checksum mismatch/],
      [deflateSync(good.subarray(0, head + 10)), /truncated/],
    ];
    for (const [bytes, reason] of cases) {
      expect(() => unpackLink(bytes)).toThrow(MapFileError);
      expect(() => unpackLink(bytes)).toThrow(reason);
    }
    // A codebook claimed larger than the inflated cap is refused before it is allocated.
    expect(() => unpackLink(deflateSync(good), { maxInflatedBytes: 1000 })).toThrow(MapFileError);
  });

  it('fuzz: 2,000 mutated quantised payloads unpack to a valid map or throw MapFileError', () => {
    const seeds = [
      packMapForLinkAt(small(), 'q3'),
      deflateSync(inflateSync(packMapForLinkAt(small(), 'q8')), { level: 0 }),
    ];
    const rng = createRng(123);
    for (let i = 0; i < 2000; i++) {
      const bytes = mutate(seeds[i % 2], rng);
      try {
        expect(unpackLink(bytes).map.som.codebook.length).toBe(20 * 8);
      } catch (e) {
        if (!(e instanceof MapFileError)) throw new Error(`case ${i} threw ${String(e)}`);
      }
    }
  });
});
