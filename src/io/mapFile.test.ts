import { describe, expect, it } from 'vitest';
import { gridSize, makeGrid, type Topology } from '../grid/grid.ts';
import {
  createRng,
  randomInt,
  randomNormal,
  sampleWithoutReplacement,
  type Rng,
} from '../util/random.ts';
import { MapFileError } from './errors.ts';
import { roundTripFloat16 } from './float16.ts';
import {
  decodeMapFile,
  encodeMapFile,
  MAP_FORMAT_VERSION,
  MAP_PREAMBLE_BYTES,
  mapChecksum,
  type EncodeMapOptions,
} from './mapFile.ts';
import type { SdrMap } from './mapModel.ts';
import { mutate } from './mutate.ts';

interface MapSpec {
  rows?: number;
  cols?: number;
  dim?: number;
  topology?: Topology;
  items?: number;
  k?: number;
  embeddings?: boolean;
  thumbnails?: boolean;
  calibration?: boolean;
  unitLabels?: boolean;
  seed?: number;
}

function unitRows(rng: Rng, n: number, d: number): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (out[i * d + j] = randomNormal(rng)) ** 2;
    for (let j = 0; j < d; j++) out[i * d + j] /= Math.sqrt(s);
  }
  return out;
}

/** A seeded, fully populated test map. */
function makeMap(spec: MapSpec = {}): SdrMap {
  const { rows = 4, cols = 4, dim = 8, topology = 'rect', items = 0, k = 3, seed = 1 } = spec;
  const rng = createRng(seed);
  const grid = makeGrid(rows, cols, topology);
  const m = gridSize(grid);
  const sorted = (values: Float32Array) => values.sort();
  const map: SdrMap = {
    name: `test map ${seed} — ünïcode`,
    createdAt: '2025-01-31T12:00:00.000Z',
    model: 'Xenova/clip-vit-base-patch32',
    som: { grid, dim, codebook: unitRows(rng, m, dim) },
    training: { grid, epochs: 20, seed, init: 'pca', radiusStart: 2, radiusEnd: 1, inputs: 1203 },
    quality: { quantizationError: 0.42, topographicError: 0.05 },
    calibration: spec.calibration
      ? {
          k,
          qe: sorted(Float32Array.from({ length: 10 }, () => rng())),
          dispersion: sorted(Float32Array.from({ length: 10 }, () => 3 * rng())),
        }
      : null,
    ...(spec.unitLabels ? { unitLabels: Array.from({ length: m }, (_, i) => `unit ${i}`) } : {}),
  };
  if (items === 0 && !spec.embeddings) return map;
  const sdrs = new Uint32Array(items * k);
  for (let i = 0; i < items; i++) sdrs.set(sampleWithoutReplacement(rng, m, k).sort(), i * k);
  return {
    ...map,
    items: {
      labels: Array.from({ length: items }, (_, i) => (i % 3 === 0 ? '' : `item ${i} «${i * 7}»`)),
      k,
      sdrs,
      ...(spec.embeddings ? { embeddings: unitRows(rng, items, dim) } : {}),
      ...(spec.thumbnails
        ? {
            thumbnails: Array.from({ length: items }, (_, i) =>
              i % 2 ? null : Uint8Array.from({ length: 5 + i }, () => randomInt(rng, 256)),
            ),
          }
        : {}),
    },
  };
}

/** Rewrite the checksum after an edit, so checks beyond it are exercised. */
function fixCrc(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= MAP_PREAMBLE_BYTES) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setUint32(16, bytes.length, true);
    view.setUint32(20, mapChecksum(bytes), true);
  }
  return bytes;
}

type Json = Record<string, unknown>;

function readHeader(file: Uint8Array): { header: Json; dataStart: number } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const length = view.getUint32(12, true);
  const text = new TextDecoder().decode(
    file.subarray(MAP_PREAMBLE_BYTES, MAP_PREAMBLE_BYTES + length),
  );
  return { header: JSON.parse(text) as Json, dataStart: MAP_PREAMBLE_BYTES + length };
}

/**
 * Edit the JSON header and rebuild a well-formed file around it: the sections keep their bytes,
 * their offsets move with the header's new length, and the lengths and checksum are rewritten.
 */
function rewriteHeader(file: Uint8Array, edit: (h: Json) => void): Uint8Array {
  const { header, dataStart } = readHeader(file);
  edit(header);
  const sections = Array.isArray(header.sections) ? (header.sections as unknown[]) : [];
  const originalOffsets = sections.map((s) =>
    s && typeof s === 'object' ? (s as Json).offset : undefined,
  );
  let start = dataStart;
  let json = new Uint8Array(0);
  for (let round = 0; round < 5; round++) {
    sections.forEach((s, i) => {
      const o = originalOffsets[i];
      if (s && typeof s === 'object' && typeof o === 'number') {
        (s as Json).offset = o + (start - dataStart);
      }
    });
    json = new TextEncoder().encode(JSON.stringify(header));
    const need = Math.ceil((MAP_PREAMBLE_BYTES + json.length) / 8) * 8;
    if (need <= start) break;
    start = need;
  }
  const data = file.subarray(dataStart);
  const out = new Uint8Array(start + data.length);
  out.set(file.subarray(0, MAP_PREAMBLE_BYTES));
  out.set(json, MAP_PREAMBLE_BYTES);
  out.fill(0x20, MAP_PREAMBLE_BYTES + json.length, start);
  out.set(data, start);
  new DataView(out.buffer).setUint32(12, start - MAP_PREAMBLE_BYTES, true);
  return fixCrc(out);
}

function sectionOf(file: Uint8Array, name: string): { offset: number; length: number } {
  const { header } = readHeader(file);
  const s = (header.sections as Json[]).find((x) => x.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return { offset: s.offset as number, length: s.length as number };
}

/** Independent checks that a decoded map is usable, without trusting the decoder's validation. */
function expectConsistent(map: SdrMap): void {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const { grid, dim, codebook } = map.som;
  const m = grid.rows * grid.cols;
  check(grid.rows >= 1 && grid.rows <= 1024 && grid.cols >= 1 && grid.cols <= 1024, 'grid size');
  check(grid.topology === 'rect' || grid.topology === 'hex', 'topology');
  check(codebook instanceof Float32Array && codebook.length === m * dim, 'codebook size');
  check(codebook.every(Number.isFinite), 'codebook finite');
  check(typeof map.name === 'string' && map.name.length > 0, 'name');
  check(Number.isFinite(Date.parse(map.createdAt)), 'createdAt');
  const tg = map.training.grid;
  check(
    tg.rows === grid.rows && tg.cols === grid.cols && tg.topology === grid.topology,
    'training grid',
  );
  if (map.unitLabels) check(map.unitLabels.length === m, 'unit labels');
  if (map.calibration) {
    check(map.calibration.qe.length === map.calibration.dispersion.length, 'calibration sizes');
    check(map.calibration.k >= 1 && map.calibration.k <= m, 'calibration k');
  }
  if (map.items) {
    const { labels, k, sdrs, embeddings, thumbnails } = map.items;
    const n = labels.length;
    check(k >= 1 && k <= m && sdrs.length === n * k, 'items k / sdrs size');
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const u = sdrs[i * k + j];
        check(u < m && (j === 0 || u > sdrs[i * k + j - 1]), `item ${i} SDR`);
      }
    }
    if (embeddings) {
      check(embeddings.length === n * dim && embeddings.every(Number.isFinite), 'embeddings');
    }
    if (thumbnails) check(thumbnails.length === n, 'thumbnails');
  }
  expect(problems).toEqual([]);
}

function expectRefused(bytes: Uint8Array, message: string | RegExp): void {
  let error: unknown;
  try {
    decodeMapFile(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(MapFileError);
  expect((error as Error).message).toMatch(message);
}

describe('encodeMapFile / decodeMapFile round trips', () => {
  const variants: Array<[string, MapSpec, EncodeMapOptions]> = [
    ['bare map, f16', {}, {}],
    ['bare map, f32', {}, { codebookDtype: 'f32' }],
    [
      'hex grid with unit labels and calibration',
      { topology: 'hex', unitLabels: true, calibration: true },
      {},
    ],
    ['items only', { items: 7 }, { codebookDtype: 'f32' }],
    [
      'items with embeddings (f16) and thumbnails',
      { items: 9, embeddings: true, thumbnails: true },
      {},
    ],
    [
      'everything, f32 codebook, f16 embeddings',
      { items: 5, embeddings: true, thumbnails: true, calibration: true, unitLabels: true },
      { codebookDtype: 'f32', embeddingDtype: 'f16' },
    ],
    ['non-square 3×5 grid, dim 2', { rows: 3, cols: 5, dim: 2, items: 4, k: 15 }, {}],
    ['zero items', { items: 0, embeddings: true }, {}],
  ];

  it.each(variants)('%s', (_, spec, options) => {
    const map = makeMap(spec);
    const bytes = encodeMapFile(map, options);
    expect(bytes.length % 8).toBe(0);
    const back = decodeMapFile(bytes);
    expectConsistent(back);
    const f16 = (options.codebookDtype ?? 'f16') === 'f16';
    const wantCodebook = f16 ? roundTripFloat16(map.som.codebook.slice()) : map.som.codebook;
    expect(Array.from(back.som.codebook)).toEqual(Array.from(wantCodebook));
    expect(back.som.grid).toEqual(map.som.grid);
    expect(back.som.dim).toBe(map.som.dim);
    expect(back.training).toEqual(map.training);
    expect([back.name, back.createdAt, back.model]).toEqual([map.name, map.createdAt, map.model]);
    expect(back.quality).toEqual(map.quality);
    expect(back.calibration).toEqual(map.calibration);
    expect(back.unitLabels).toEqual(map.unitLabels);
    if (!map.items) {
      expect(back.items).toBeUndefined();
      return;
    }
    const items = back.items!;
    expect(items.labels).toEqual(map.items.labels);
    expect(items.k).toBe(map.items.k);
    expect(Array.from(items.sdrs)).toEqual(Array.from(map.items.sdrs));
    if (map.items.embeddings) {
      const embF16 = (options.embeddingDtype ?? options.codebookDtype ?? 'f16') === 'f16';
      const want = embF16 ? roundTripFloat16(map.items.embeddings.slice()) : map.items.embeddings;
      expect(Array.from(items.embeddings!)).toEqual(Array.from(want));
    } else expect(items.embeddings).toBeUndefined();
    expect(items.thumbnails).toEqual(map.items.thumbnails);
  });

  it('leaves embeddings and thumbnails out when asked', () => {
    const map = makeMap({ items: 4, embeddings: true, thumbnails: true });
    const full = encodeMapFile(map);
    const lean = encodeMapFile(map, { includeEmbeddings: false, includeThumbnails: false });
    expect(lean.length).toBeLessThan(full.length);
    const back = decodeMapFile(lean);
    expect(back.items!.embeddings).toBeUndefined();
    expect(back.items!.thumbnails).toBeUndefined();
    expect(back.items!.labels).toEqual(map.items!.labels);
  });

  it('stores SDR indices as u16 up to 65,536 units and u32 beyond', () => {
    const small = encodeMapFile(makeMap({ rows: 256, cols: 256, dim: 1, items: 2, k: 2 }));
    expect(
      (readHeader(small).header.sections as Json[]).find((s) => s.name === 'items.sdrs'),
    ).toMatchObject({ dtype: 'u16', length: 8 });
    const big = makeMap({ rows: 257, cols: 256, dim: 1, items: 2, k: 2 });
    big.items!.sdrs.set([0, 65_791, 1, 65_536]);
    const bytes = encodeMapFile(big);
    expect(sectionOf(bytes, 'items.sdrs').length).toBe(16);
    expect(Array.from(decodeMapFile(bytes).items!.sdrs)).toEqual([0, 65_791, 1, 65_536]);
  });

  it('is deterministic and does not alias the file buffer', () => {
    const map = makeMap({ items: 3, thumbnails: true });
    const bytes = encodeMapFile(map);
    expect(Array.from(encodeMapFile(map))).toEqual(Array.from(bytes));
    const back = decodeMapFile(bytes);
    bytes.fill(0);
    expect(back.items!.thumbnails![0]![0]).toBe(map.items!.thumbnails![0]![0]);
  });
});

describe('trainingMean (format 1.1)', () => {
  it('is stored and loaded exactly, as float32', () => {
    const map = makeMap({ dim: 5 });
    const mean = Float32Array.from([0.1, -0.2, 0.30000001, 1e-7, -0.5]);
    const back = decodeMapFile(encodeMapFile({ ...map, trainingMean: mean }));
    expect(back.trainingMean).toEqual(mean);
  });

  it('is absent when the map has none, and a minor-0 file (written before it existed) loads', () => {
    const file = encodeMapFile(makeMap({ items: 3, calibration: true }));
    const old = rewriteHeader(file, (h) => {
      delete h.trainingMean;
    });
    new DataView(old.buffer).setUint16(10, 0, true);
    fixCrc(old);
    const back = decodeMapFile(old);
    expect(back.trainingMean).toBeUndefined();
    expect(back.items?.labels.length).toBe(3);
  });

  it('is refused in a file that claims minor 0, and when its length is not the dimension', () => {
    const file = encodeMapFile({ ...makeMap({ dim: 4 }), trainingMean: new Float32Array(4) });
    const old = file.slice();
    new DataView(old.buffer).setUint16(10, 0, true);
    fixCrc(old);
    expectRefused(old, /trainingMean, which format v1\.0 does not know/);
    expect(() =>
      encodeMapFile({ ...makeMap({ dim: 4 }), trainingMean: new Float32Array(3) }),
    ).toThrow(/trainingMean must be a Float32Array of 4 values/);
  });
});

describe('encodeMapFile refuses maps it could not read back', () => {
  const base = makeMap({ items: 3, embeddings: true });
  const cases: Array<[string, () => SdrMap, EncodeMapOptions, string | RegExp]> = [
    [
      'NaN in the codebook',
      () => {
        const m = makeMap();
        m.som.codebook[9] = NaN;
        return m;
      },
      {},
      'cannot save the map: codebook unit 1 holds NaN; every value must be finite',
    ],
    [
      'a value beyond float16',
      () => {
        const m = makeMap();
        m.som.codebook[0] = 1e5;
        return m;
      },
      {},
      /beyond float16 range .* save it as 'f32'/,
    ],
    [
      'codebook of the wrong size',
      () => ({ ...base, som: { ...base.som, codebook: new Float32Array(5) } }),
      {},
      /must be a Float32Array of 16×8 = 128/,
    ],
    [
      'unsorted SDR',
      () => ({
        ...base,
        items: { ...base.items!, sdrs: Uint32Array.from([2, 1, 3, 0, 1, 2, 0, 1, 2]) },
      }),
      {},
      /item 0's SDR is not sorted/,
    ],
    [
      'SDR unit beyond the grid',
      () => ({
        ...base,
        items: { ...base.items!, sdrs: Uint32Array.from([0, 1, 16, 0, 1, 2, 0, 1, 2]) },
      }),
      {},
      /names unit 16, beyond the map's 16 units/,
    ],
    [
      'labels and SDRs disagree',
      () => ({ ...base, items: { ...base.items!, labels: ['a', 'b'] } }),
      {},
      /items.sdrs must be a Uint32Array of 2×3 = 6/,
    ],
    [
      'k beyond m',
      () => ({ ...base, items: { ...base.items!, k: 17 } }),
      {},
      /items.k must be an integer from 1 to 16, got 17/,
    ],
    [
      'a label with a control character',
      () => ({ ...base, items: { ...base.items!, labels: ['a', 'b\u0007', 'c'] } }),
      {},
      /item label 1 holds control character U\+0007/,
    ],
    ['an empty name', () => ({ ...base, name: '' }), {}, /name must be 1 to 200 characters/],
    [
      'a bad time',
      () => ({ ...base, createdAt: 'yesterday' }),
      {},
      /createdAt must be an ISO 8601 time/,
    ],
    [
      'a mismatched training grid',
      () => ({ ...base, training: { ...base.training, grid: makeGrid(2, 2) } }),
      {},
      /training.grid differs/,
    ],
    [
      'unsorted calibration',
      () => ({
        ...base,
        calibration: { k: 3, qe: Float32Array.from([2, 1]), dispersion: Float32Array.from([1, 2]) },
      }),
      {},
      /calibration.qe must be in ascending order/,
    ],
    [
      'a bad dtype option',
      () => base,
      { codebookDtype: 'f8' as 'f16' },
      /codebookDtype must be 'f16' or 'f32'/,
    ],
    [
      'over the size limit',
      () => base,
      { limits: { maxBytes: 100 } },
      /the map would be [\d,]+ bytes, more than the 100 bytes limit/,
    ],
  ];
  it.each(cases)('%s', (_, make, options, message) => {
    expect(() => encodeMapFile(make(), options)).toThrow(MapFileError);
    expect(() => encodeMapFile(make(), options)).toThrow(message);
  });
});

describe('decodeMapFile refuses bad files with a one-line MapFileError', () => {
  const good = encodeMapFile(
    makeMap({ items: 3, embeddings: true, thumbnails: true, calibration: true, unitLabels: true }),
    { codebookDtype: 'f32' },
  );

  it('empty file, wrong magic, text file', () => {
    expectRefused(new Uint8Array(0), 'the map file is empty');
    expectRefused(
      new TextEncoder().encode('{"type": "sdr-explorer/map"}'),
      /not an SDR Explorer map/,
    );
    const wrong = good.slice();
    wrong[3] = 0x58;
    expectRefused(wrong, /does not start with "SDRMAP"/);
  });

  it('a file from a newer major version, saying so', () => {
    const newer = good.slice();
    new DataView(newer.buffer).setUint16(8, MAP_FORMAT_VERSION + 1, true);
    expectRefused(
      newer,
      `this map was saved by a newer SDR Explorer (format v${MAP_FORMAT_VERSION + 1}); this version reads up to v${MAP_FORMAT_VERSION}`,
    );
  });

  it('but a newer minor version with an extra section and field it ignores', () => {
    const withExtra = rewriteHeader(good, (h) => {
      h.futureField = { anything: [1, 2] };
    });
    const view = new DataView(withExtra.buffer);
    view.setUint16(10, 7, true);
    fixCrc(withExtra);
    expect(decodeMapFile(withExtra).name).toBe(makeMap().name);
  });

  it('every truncation, at every byte position', () => {
    const small = encodeMapFile(
      makeMap({ rows: 2, cols: 2, dim: 2, items: 2, k: 1, thumbnails: true, calibration: true }),
    );
    for (let cut = 0; cut < small.length; cut++) {
      let error: unknown = null;
      try {
        decodeMapFile(small.subarray(0, cut));
      } catch (e) {
        error = e;
      }
      expect(error, `cut at ${cut}`).toBeInstanceOf(MapFileError);
    }
    expectRefused(small.subarray(0, 30), /file is truncated: it should be [\d,]+ bytes, got 30/);
    expectRefused(
      small.subarray(0, 10),
      'file is truncated: 10 bytes, the preamble alone needs 24',
    );
  });

  it('a flipped bit anywhere (checksum)', () => {
    const bad = good.slice();
    bad[good.length - 3] ^= 0x10;
    expectRefused(bad, /damaged map file: checksum mismatch/);
  });

  it('trailing bytes after the end', () => {
    const longer = new Uint8Array(good.length + 8);
    longer.set(good);
    expectRefused(longer, '8 unexpected bytes after the end of the map');
  });

  it('NaN in the codebook', () => {
    const bad = good.slice();
    const { offset } = sectionOf(bad, 'codebook');
    new DataView(bad.buffer).setFloat32(offset + 4 * 8 * 2 + 4, NaN, true);
    expectRefused(
      fixCrc(bad),
      'damaged map file: codebook unit 2 holds NaN; every value must be finite',
    );
  });

  it('non-sorted or out-of-range SDRs', () => {
    const bad = good.slice();
    const { offset } = sectionOf(bad, 'items.sdrs');
    const view = new DataView(bad.buffer);
    const a = view.getUint16(offset + 2, true);
    view.setUint16(offset + 2, view.getUint16(offset + 4, true), true);
    view.setUint16(offset + 4, a, true);
    expectRefused(fixCrc(bad), /item 0's SDR is not sorted ascending/);
    view.setUint16(offset + 4, 999, true);
    expectRefused(fixCrc(bad), /names unit 999, beyond the map's 16 units/);
  });

  it('headers that claim huge sizes are refused before any allocation', () => {
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.grid as Json).rows = 1_000_000;
      }),
      'grid.rows must be an integer from 1 to 1,024, got 1000000',
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.dim = 1e9;
      }),
      'dim must be an integer from 1 to 8,192, got 1000000000',
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.items as Json).count = 1e9;
      }),
      'the map holds 1,000,000,000 items; the limit is 5,000,000',
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.grid = { rows: 1024, cols: 1024, topology: 'rect' };
        h.dim = 8192;
      }),
      /section codebook is 512 bytes; the header's sizes need 34,359,738,368/,
    );
    const tooBig = good.slice();
    new DataView(tooBig.buffer).setUint32(16, 0xfffffff0, true);
    expectRefused(tooBig, /the map file is 4096 MiB; the limit is 512 MiB/);
    new DataView(tooBig.buffer).setUint32(16, good.length, true);
    new DataView(tooBig.buffer).setUint32(12, 0x7fffffff, true);
    expectRefused(tooBig, /the header claims 2,147,483,647 bytes/);
  });

  it('labels count mismatch and inconsistent sections', () => {
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.items as Json).count = 2;
      }),
      "section items.sdrs is 18 bytes; the header's sizes need 12",
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.items as Json).count = 4;
      }),
      "section items.sdrs is 18 bytes; the header's sizes need 24",
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.sections as Json[]).pop();
      }),
      /the sections end at byte|section items.thumbnails is missing/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.sections as Json[])[0].offset = 8;
      }),
      /section codebook starts at byte 8, expected/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.sections as Json[])[0].dtype = 'f64';
      }),
      /section codebook has dtype "f64", expected f16 or f32/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.unitLabels = false;
      }),
      'section unitLabels is present but the header says the map has none',
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.type = 'something/else';
      }),
      /not an SDR Explorer map: its type is "something\/else"/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.version = 2;
      }),
      /header says version 2 but the preamble says 1/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        (h.quality as Json).topographicError = 1.5;
      }),
      /quality.topographicError must be a number from 0 to 1, got 1.5/,
    );
    expectRefused(
      rewriteHeader(good, (h) => {
        h.name = 'x'.repeat(201);
      }),
      /name must be 1 to 200 characters long, got 201/,
    );
  });

  it('invalid JSON and invalid UTF-8 in the header', () => {
    const bad = good.slice();
    bad[MAP_PREAMBLE_BYTES] = 0x5b; // '[' makes the JSON unbalanced
    expectRefused(fixCrc(bad), 'damaged map file: the header is not valid UTF-8 JSON');
    bad[MAP_PREAMBLE_BYTES] = 0xff;
    expectRefused(fixCrc(bad), 'damaged map file: the header is not valid UTF-8 JSON');
  });

  it('respects custom limits', () => {
    const noCalibration = encodeMapFile(makeMap({ items: 3 }));
    expect(() => decodeMapFile(noCalibration, { maxItems: 2 })).toThrow(
      'the map holds 3 items; the limit is 2',
    );
    expect(() => decodeMapFile(good, { maxItems: 2 })).toThrow(
      'calibration.count must be an integer from 1 to 2, got 10',
    );
    expect(() => decodeMapFile(good, { maxLabelLength: 3 })).toThrow(
      /unit label 10 is \d+ bytes; the limit is 9|must be 0 to 3 characters/,
    );
    expect(() => decodeMapFile(good, { maxBytes: 100 })).toThrow(
      /the map file is [\d,]+ bytes; the limit is 100 bytes/,
    );
  });
});

describe('fuzz: mutated map files decode consistently or throw MapFileError', () => {
  const seeds = [
    encodeMapFile(makeMap({ seed: 1 })),
    encodeMapFile(makeMap({ seed: 2, items: 5, embeddings: true }), { codebookDtype: 'f32' }),
    encodeMapFile(
      makeMap({
        seed: 3,
        items: 3,
        thumbnails: true,
        calibration: true,
        unitLabels: true,
        topology: 'hex',
      }),
    ),
    encodeMapFile(
      makeMap({
        seed: 4,
        rows: 2,
        cols: 3,
        dim: 4,
        items: 4,
        k: 2,
        embeddings: true,
        thumbnails: true,
        calibration: true,
      }),
      { codebookDtype: 'f32', embeddingDtype: 'f32' },
    ),
  ];
  const INTERESTING: unknown[] = [
    0,
    -1,
    1,
    2,
    3,
    7,
    8,
    16,
    1.5,
    1e9,
    -1e9,
    2 ** 32,
    1e308,
    null,
    true,
    false,
    '',
    'x',
    'f16',
    'f32',
    'u16',
    'u32',
    'utf8',
    'bytes',
    'codebook',
    'items.sdrs',
    'hex',
    [],
    {},
    [1, 2],
    { rows: 1 },
  ];

  /** All paths to leaves (and objects) in a JSON value. */
  function paths(
    v: unknown,
    prefix: (string | number)[] = [],
    out: (string | number)[][] = [],
  ): (string | number)[][] {
    if (prefix.length > 0) out.push(prefix);
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v))
        paths(child, [...prefix, Array.isArray(v) ? Number(k) : k], out);
    }
    return out;
  }

  function mutateHeader(file: Uint8Array, rng: () => number): Uint8Array {
    return rewriteHeader(file, (h) => {
      const all = paths(h);
      const count = 1 + randomInt(rng, 2);
      for (let c = 0; c < count; c++) {
        const path = all[randomInt(rng, all.length)];
        // An earlier edit in this case may have removed or replaced part of the path.
        let parent: unknown = h;
        for (const key of path.slice(0, -1)) {
          parent = parent && typeof parent === 'object' ? (parent as Json)[key] : undefined;
        }
        if (!parent || typeof parent !== 'object') continue;
        const target = parent as Json;
        const key = path[path.length - 1];
        const old = target[key];
        const r = rng();
        if (r < 0.15) delete target[key];
        else if (r < 0.45 && typeof old === 'number')
          target[key] = old + (rng() < 0.5 ? 1 : -1) * (1 + randomInt(rng, 8));
        else target[key] = INTERESTING[randomInt(rng, INTERESTING.length)];
      }
    });
  }

  it('10,000+ cases: bytes with and without checksum repair, and JSON header values', () => {
    const rng = createRng(77);
    const tally = { decoded: 0, refused: 0, crcCaught: 0 };
    const CASES = 10_500;
    for (let i = 0; i < CASES; i++) {
      const seed = seeds[i % seeds.length];
      const strategy = i % 3;
      let bytes: Uint8Array;
      if (strategy === 0) bytes = mutate(seed, rng);
      else if (strategy === 1) bytes = fixCrc(mutate(seed, rng, 2));
      else bytes = mutateHeader(seed, rng);
      let map: SdrMap | null = null;
      try {
        map = decodeMapFile(bytes);
      } catch (e) {
        if (!(e instanceof MapFileError)) {
          throw new Error(`case ${i} (strategy ${strategy}) threw ${String(e)}`);
        }
        expect(e.message).not.toMatch(/[\n\r]/);
        tally.refused++;
        if (strategy === 0 && /checksum/.test(e.message)) tally.crcCaught++;
        continue;
      }
      // Raw byte damage must never get past the checksum (unless it happened to change nothing).
      if (strategy === 0)
        expect(bytes.length === seed.length && bytes.every((b, j) => b === seed[j])).toBe(true);
      expectConsistent(map);
      // A decoded map is one the encoder accepts: everything the reader let through is valid.
      expect(() =>
        encodeMapFile(map!, { codebookDtype: 'f32', embeddingDtype: 'f32' }),
      ).not.toThrow();
      tally.decoded++;
    }
    expect(tally.decoded + tally.refused).toBe(CASES);
    expect(tally.decoded).toBeGreaterThan(100); // some mutations are harmless (e.g. a codebook value)
    expect(tally.refused).toBeGreaterThan(5000);
    expect(tally.crcCaught).toBeGreaterThan(500);
  });
});

/**
 * Measurement (numbers quoted in mapFile.ts): size of a 32×32×512 map without items, float16
 * vs float32, and how many top-20 SDRs change when the codebook is rounded to float16.
 */
describe('measurement: 32×32×512 map', () => {
  const grid = makeGrid(32, 32);
  const m = 1024;
  const d = 512;
  const rng = createRng(512);
  // Gaussian rows scaled to lengths 0.7–0.96, like a trained codebook of unit-length inputs.
  const codebook = unitRows(rng, m, d);
  for (let j = 0; j < m; j++) {
    const len = 0.7 + 0.26 * rng();
    for (let t = 0; t < d; t++) codebook[j * d + t] *= len;
  }
  const map: SdrMap = {
    ...makeMap(),
    som: { grid, dim: d, codebook },
    training: {
      grid,
      epochs: 20,
      seed: 1,
      init: 'pca',
      radiusStart: 16,
      radiusEnd: 1,
      inputs: 2000,
    },
  };

  it('is ≤ 1.1 MB with a float16 codebook, about twice that with float32', () => {
    const f16 = encodeMapFile(map).length;
    const f32 = encodeMapFile(map, { codebookDtype: 'f32' }).length;
    expect(f16).toBeLessThanOrEqual(1_100_000);
    expect(f16).toBeGreaterThan(m * d * 2);
    expect(f32 - f16).toBe(m * d * 2);
  });

  it('float16 changes at most a few of 2,000 top-20 SDRs', () => {
    const n = 2000;
    const k = 20;
    const inputs = unitRows(createRng(99), n, d);
    const half = decodeMapFile(encodeMapFile(map)).som.codebook;
    expect(countChangedTopK(codebook, half, inputs, n, d, k)).toBeLessThanOrEqual(n * 0.01);
  });
});

/**
 * How many inputs get a different top-K unit set (by cosine, dot / |w|) from codebook `b` than
 * from `a`: this test's own tiny kernel, not src/encode's.
 *
 * Only `a` is scored in full. Unit j's cosine moves by at most B_j = |δ_j|/|w'_j| +
 * |1 − |w_j|/|w'_j|| (δ = w' − w; Cauchy–Schwarz, |x| = 1), so with B the largest B_j, a unit
 * scoring above the K-th score + 2B stays in the top K and one below the (K+1)-th − 2B stays out;
 * only the few units in between are rescored with `b`. Exact, at half the work of two passes.
 */
function countChangedTopK(
  a: Float32Array,
  b: Float32Array,
  inputs: Float32Array,
  n: number,
  d: number,
  k: number,
): number {
  const m = a.length / d;
  const normA = new Float64Array(m);
  const normB = new Float64Array(m);
  let bound = 0;
  for (let j = 0; j < m; j++) {
    let sa = 0;
    let sb = 0;
    let sd = 0;
    for (let t = j * d; t < j * d + d; t++) {
      sa += a[t] * a[t];
      sb += b[t] * b[t];
      sd += (b[t] - a[t]) ** 2;
    }
    normA[j] = Math.sqrt(sa);
    normB[j] = Math.sqrt(sb);
    bound = Math.max(bound, Math.sqrt(sd) / normB[j] + Math.abs(1 - normA[j] / normB[j]));
  }
  bound += 1e-9; // float64 rounding in the scores themselves
  const cosine = (cb: Float32Array, norms: Float64Array, j: number, x: Float32Array) => {
    let s = 0;
    for (let t = 0, o = j * d; t < d; t++) s += cb[o + t] * x[t];
    return s / norms[j];
  };
  // Four inputs per sweep of the codebook: each weight is loaded once for four dot products.
  const BLOCK = 4;
  const scores = Array.from({ length: BLOCK }, () => new Float64Array(m));
  const sorted = new Float64Array(m);
  let changed = 0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const rows = Math.min(BLOCK, n - i0);
    const x0 = i0 * d;
    const x1 = x0 + (rows > 1 ? d : 0);
    const x2 = x0 + (rows > 2 ? 2 * d : 0);
    const x3 = x0 + (rows > 3 ? 3 * d : 0);
    for (let j = 0; j < m; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let t = 0, o = j * d; t < d; t++) {
        const w = a[o + t];
        s0 += w * inputs[x0 + t];
        s1 += w * inputs[x1 + t];
        s2 += w * inputs[x2 + t];
        s3 += w * inputs[x3 + t];
      }
      scores[0][j] = s0 / normA[j];
      scores[1][j] = s1 / normA[j];
      scores[2][j] = s2 / normA[j];
      scores[3][j] = s3 / normA[j];
    }
    for (let r = 0; r < rows; r++) {
      const sc = scores[r];
      const x = inputs.subarray((i0 + r) * d, (i0 + r + 1) * d);
      sorted.set(sc);
      sorted.sort();
      const kth = sorted[m - k];
      const next = sorted[m - k - 1];
      const above: number[] = [];
      const window: number[] = [];
      for (let j = 0; j < m; j++) {
        if (sc[j] > kth + 2 * bound) above.push(j);
        else if (sc[j] >= next - 2 * bound) window.push(j);
      }
      const rescored = window
        .map((j) => ({ j, s: cosine(b, normB, j, x) }))
        .sort((p, q) => q.s - p.s)
        .slice(0, k - above.length);
      if (rescored.some((e) => sc[e.j] < kth)) changed++; // a unit from outside the top K got in
    }
  }
  return changed;
}
