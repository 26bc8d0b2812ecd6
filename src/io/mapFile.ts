/**
 * The `.sdrmap` file: one versioned binary file holding an SdrMap (see mapModel.ts).
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  what
 *        0     8  magic 53 44 52 4D 41 50 00 1A: "SDRMAP", NUL, ^Z (stops `cat` and text-mode
 *                 transfers early, as PNG's magic does)
 *        8     2  u16 format major version (MAP_FORMAT_VERSION); a reader refuses newer majors
 *       10     2  u16 format minor version; additions a reader may ignore (fields, sections)
 *       12     4  u32 header length H in bytes
 *       16     4  u32 total file length
 *       20     4  u32 CRC-32 of bytes [0, 20) then [24, total), i.e. everything but itself:
 *                 damage anywhere is caught before anything is parsed
 *       24     H  UTF-8 JSON header, space-padded so 24 + H is a multiple of 8
 *    24+H      …  sections, in the order of the header's section table, each starting on an
 *                 8-byte boundary after the previous one (zero padding); the file ends padded
 *                 to a multiple of 8
 *
 * The JSON header carries type 'sdr-explorer/map', version, name, createdAt, model, grid, dim,
 * training, quality, calibration {k, count} | null, unitLabels (boolean), trainingMean (boolean;
 * from minor version 1, absent = false),
 * items {count, k, embeddings, thumbnails} | null, and `sections`: [{name, dtype, offset, length}]
 * with absolute byte offsets and byte lengths. Sections and their dtypes:
 *   codebook                 f16 | f32  m·d weights, unit-major
 *   unitLabels               utf8       m strings
 *   trainingMean             f32        d: mean of the (unit-length) training rows (minor ≥ 1)
 *   calibration.qe           f32        count ascending quantisation errors
 *   calibration.dispersion   f32        count ascending dispersions
 *   items.labels             utf8       n strings
 *   items.sdrs               u16 | u32  n·k unit indices (u16 only when m ≤ 65,536)
 *   items.embeddings         f16 | f32  n·d
 *   items.thumbnails         bytes      n byte strings (empty = no thumbnail)
 * `utf8` and `bytes` lists are a u32 byte length per entry, then the entries back to back.
 *
 * Decoding trusts nothing: every length, offset, count, range and value is checked against the
 * file, the header and `limits` before anything is allocated, and every refusal is a
 * `MapFileError` with a one-line reason. Encoding applies the same checks to the map it is given,
 * so it never writes a file it would refuse to read.
 *
 * Measured (mapFile.test.ts, "measurement" block): a 32×32 map of 512-d units with no items is
 * 1,049,072 bytes with a float16 codebook and 2,097,648 with float32 (preamble + JSON header:
 * ~500 bytes). Deflate (level 9) shrinks either only to 0.92×: float16 mantissas look random.
 * With Gaussian codebook rows of lengths 0.7–0.96, rounding to float16 changed the top-20 (by
 * cosine) SDR of 14 of 2,000 random unit inputs (0.7%), each by a single unit swapped at the
 * rank-20 boundary, where the two scores were within float16 error. Float16 is the default.
 */
import { gridSize, MAX_GRID_SIDE, type Grid } from '../grid/grid.ts';
import type { InitMethod } from '../som/types.ts';
import { crc32 } from './crc32.ts';
import { formatCount, MapFileError } from './errors.ts';
import { float16ToFloat32Array, float32ToFloat16Array, FLOAT16_MAX } from './float16.ts';
import type { Calibration, MapItems, SdrMap } from './mapModel.ts';
import { plainTextProblem } from './text.ts';

export const MAP_FILE_TYPE = 'sdr-explorer/map';
/** Major format version this code writes and the newest it reads. */
export const MAP_FORMAT_VERSION = 1;
/**
 * Minor version this code writes (readers accept any minor of a major they know). Minor 1 added
 * the optional trainingMean field and section; files of minor 0 have neither and still load.
 */
export const MAP_FORMAT_MINOR = 1;
export const MAP_MAGIC: readonly number[] = [0x53, 0x44, 0x52, 0x4d, 0x41, 0x50, 0x00, 0x1a];
/** Bytes before the JSON header. */
export const MAP_PREAMBLE_BYTES = 24;

/** Largest embedding dimension accepted (CLIP ViT-bigG is 1,280; 8,192 leaves room). */
export const MAX_MAP_DIM = 8192;
const MAX_NAME_LENGTH = 200;
const MAX_HEADER_BYTES = 1 << 20;
const MAX_SECTIONS = 64;
const U32_MAX = 0xffffffff;

export interface MapFileLimits {
  /** Largest file accepted, in bytes; default 512 MiB, at most 4 GiB − 1 (the length field is u32). */
  readonly maxBytes?: number;
  /** Most items accepted; default 5,000,000. */
  readonly maxItems?: number;
  /** Longest label (item or unit), in UTF-16 code units; default 1,000. */
  readonly maxLabelLength?: number;
  /** Largest single thumbnail, in bytes; default 1 MiB (thumbnails are meant to be small). */
  readonly maxThumbnailBytes?: number;
}

export const DEFAULT_MAP_FILE_LIMITS: Required<MapFileLimits> = {
  maxBytes: 512 * 1024 * 1024,
  maxItems: 5_000_000,
  maxLabelLength: 1000,
  maxThumbnailBytes: 1024 * 1024,
};

export type FloatDtype = 'f16' | 'f32';

export interface EncodeMapOptions {
  /** Codebook element type: 'f16' (default; half the size, see the note above) or 'f32' (exact). */
  readonly codebookDtype?: FloatDtype;
  /** Item embedding element type; default: the codebook's. */
  readonly embeddingDtype?: FloatDtype;
  /** Save item embeddings; default true when the map has them. */
  readonly includeEmbeddings?: boolean;
  /** Save item thumbnails; default true when the map has them. */
  readonly includeThumbnails?: boolean;
  /** Limits the map must fit (the reader's defaults unless given). */
  readonly limits?: MapFileLimits;
}

type SectionDtype = FloatDtype | 'u16' | 'u32' | 'utf8' | 'bytes';

interface SectionEntry {
  readonly name: string;
  readonly dtype: string;
  readonly offset: number;
  readonly length: number;
}

/** The scalar part of a map, as stored in the header; validated the same way both directions. */
interface HeaderMeta {
  readonly name: string;
  readonly createdAt: string;
  readonly model: string | null;
  readonly grid: Grid;
  readonly dim: number;
  readonly training: {
    readonly epochs: number;
    readonly seed: number;
    readonly init: InitMethod;
    readonly radiusStart: number;
    readonly radiusEnd: number;
    readonly inputs: number;
  };
  readonly quality: { readonly quantizationError: number; readonly topographicError: number };
  readonly calibration: { readonly k: number; readonly count: number } | null;
  readonly unitLabels: boolean;
  readonly trainingMean: boolean;
  readonly items: {
    readonly count: number;
    readonly k: number;
    readonly embeddings: boolean;
    readonly thumbnails: boolean;
  } | null;
}

// Made once: constructing a TextDecoder costs more than decoding a small map's labels.
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true });
const UTF8_ENCODER = new TextEncoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function resolveLimits(limits: MapFileLimits | undefined): Required<MapFileLimits> {
  const l = { ...DEFAULT_MAP_FILE_LIMITS, ...limits };
  for (const [key, value] of Object.entries(l)) {
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new MapFileError(`map file limit ${key} must be a non-negative number, got ${value}`);
    }
  }
  return { ...l, maxBytes: Math.min(l.maxBytes, U32_MAX) };
}

const fmt = formatCount;
/** A byte size for people: "812 bytes", "1.5 MiB", "512 MiB". */
const mib = (n: number) =>
  n < 1048576 ? `${fmt(n)} bytes` : `${(n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0)} MiB`;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** One-line description of an untrusted value for error messages. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (v === undefined) return 'nothing';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** Checks for one direction: `fail` prefixes every message with what was being done. */
class Check {
  constructor(private readonly context: string) {}

  fail(message: string): never {
    throw new MapFileError(`${this.context}: ${message}`);
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.fail(`${path} must be an object, got ${show(v)}`);
    }
    return v as Record<string, unknown>;
  }

  field(obj: Record<string, unknown>, key: string): unknown {
    return Object.hasOwn(obj, key) ? obj[key] : undefined;
  }

  int(v: unknown, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(`${path} must be an integer from ${fmt(min)} to ${fmt(max)}, got ${show(v)}`);
    }
    return v as number;
  }

  num(v: unknown, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      const range =
        max === Infinity ? `a finite number ≥ ${min}` : `a number from ${min} to ${max}`;
      this.fail(`${path} must be ${range}, got ${show(v)}`);
    }
    return v as number;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(`${path} must be true or false, got ${show(v)}`);
    return v as boolean;
  }

  /** A plain string: 1..maxLength UTF-16 units (0 allowed when minLength is 0), no control characters, no lone surrogates. */
  text(v: unknown, path: string, maxLength: number, minLength = 1): string {
    if (typeof v !== 'string') this.fail(`${path} must be a string, got ${show(v)}`);
    const s = v as string;
    if (s.length < minLength || s.length > maxLength) {
      this.fail(
        `${path} must be ${minLength} to ${fmt(maxLength)} characters long, got ${fmt(s.length)}`,
      );
    }
    const bad = plainTextProblem(s);
    if (bad) this.fail(`${path} ${bad}`);
    return s;
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Validate the scalar part of a map (header JSON on read, the SdrMap's fields on write). */
function checkMeta(raw: unknown, c: Check, limits: Required<MapFileLimits>): HeaderMeta {
  const h = c.object(raw, 'header');
  const f = (key: string) => c.field(h, key);
  const name = c.text(f('name'), 'name', MAX_NAME_LENGTH);
  const createdAtRaw = f('createdAt');
  if (
    typeof createdAtRaw !== 'string' ||
    !ISO_TIME.test(createdAtRaw) ||
    !Number.isFinite(Date.parse(createdAtRaw))
  ) {
    c.fail(
      `createdAt must be an ISO 8601 time like 2025-01-31T12:00:00.000Z, got ${show(createdAtRaw)}`,
    );
  }
  const createdAt = createdAtRaw as string;
  const modelRaw = f('model');
  const model = modelRaw === null ? null : c.text(modelRaw, 'model', MAX_NAME_LENGTH);

  const g = c.object(f('grid'), 'grid');
  const rows = c.int(c.field(g, 'rows'), 'grid.rows', 1, MAX_GRID_SIDE);
  const cols = c.int(c.field(g, 'cols'), 'grid.cols', 1, MAX_GRID_SIDE);
  const topology = c.field(g, 'topology');
  if (topology !== 'rect' && topology !== 'hex') {
    c.fail(`grid.topology must be "rect" or "hex", got ${show(topology)}`);
  }
  const grid: Grid = { rows, cols, topology: topology as Grid['topology'] };
  const m = rows * cols;
  const dim = c.int(f('dim'), 'dim', 1, MAX_MAP_DIM);

  const t = c.object(f('training'), 'training');
  const init = c.field(t, 'init');
  if (init !== 'pca' && init !== 'random') {
    c.fail(`training.init must be "pca" or "random", got ${show(init)}`);
  }
  const training = {
    epochs: c.int(c.field(t, 'epochs'), 'training.epochs', 1, 10_000),
    seed: c.num(c.field(t, 'seed'), 'training.seed', -Number.MAX_VALUE, Number.MAX_VALUE),
    init: init as InitMethod,
    radiusStart: c.num(
      c.field(t, 'radiusStart'),
      'training.radiusStart',
      Number.MIN_VALUE,
      Infinity,
    ),
    radiusEnd: c.num(c.field(t, 'radiusEnd'), 'training.radiusEnd', Number.MIN_VALUE, Infinity),
    inputs: c.int(c.field(t, 'inputs'), 'training.inputs', 0, Number.MAX_SAFE_INTEGER),
  };

  const q = c.object(f('quality'), 'quality');
  const quality = {
    quantizationError: c.num(
      c.field(q, 'quantizationError'),
      'quality.quantizationError',
      0,
      Infinity,
    ),
    topographicError: c.num(c.field(q, 'topographicError'), 'quality.topographicError', 0, 1),
  };

  let calibration: HeaderMeta['calibration'] = null;
  if (f('calibration') !== null) {
    const cal = c.object(f('calibration'), 'calibration');
    calibration = {
      k: c.int(c.field(cal, 'k'), 'calibration.k', 1, m),
      count: c.int(c.field(cal, 'count'), 'calibration.count', 1, limits.maxItems),
    };
  }
  const unitLabels = c.bool(f('unitLabels'), 'unitLabels');
  // Added in minor 1: a file without the field has no mean.
  const trainingMean =
    f('trainingMean') === undefined ? false : c.bool(f('trainingMean'), 'trainingMean');

  let items: HeaderMeta['items'] = null;
  if (f('items') !== null) {
    const it = c.object(f('items'), 'items');
    const count = c.field(it, 'count');
    if (typeof count === 'number' && count > limits.maxItems) {
      c.fail(`the map holds ${fmt(count)} items; the limit is ${fmt(limits.maxItems)}`);
    }
    items = {
      count: c.int(count, 'items.count', 0, limits.maxItems),
      k: c.int(c.field(it, 'k'), 'items.k', 1, m),
      embeddings: c.bool(c.field(it, 'embeddings'), 'items.embeddings'),
      thumbnails: c.bool(c.field(it, 'thumbnails'), 'items.thumbnails'),
    };
  }
  return {
    name,
    createdAt,
    model,
    grid,
    dim,
    training,
    quality,
    calibration,
    unitLabels,
    trainingMean,
    items,
  };
}

function checkFloats(data: Float32Array, rowLength: number, what: string, c: Check): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      c.fail(`${what} ${Math.floor(i / rowLength)} holds ${data[i]}; every value must be finite`);
    }
  }
}

/** |values| must fit float16 (65,504) when saved as float16, or they would turn into Infinity. */
function checkFloat16Range(data: Float32Array, rowLength: number, what: string, c: Check): void {
  for (let i = 0; i < data.length; i++) {
    if (Math.abs(data[i]) > FLOAT16_MAX) {
      c.fail(
        `${what} ${Math.floor(i / rowLength)} holds ${data[i]}, beyond float16 range (±65,504); save it as 'f32'`,
      );
    }
  }
}

function checkSdrs(sdrs: Uint32Array | Uint16Array, k: number, m: number, c: Check): void {
  for (let i = 0, o = 0; o < sdrs.length; i++, o += k) {
    let prev = -1;
    for (let j = 0; j < k; j++) {
      const u = sdrs[o + j];
      if (u >= m) c.fail(`item ${i}'s SDR names unit ${u}, beyond the map's ${fmt(m)} units`);
      if (u <= prev) {
        c.fail(
          `item ${i}'s SDR is not sorted ascending without repeats (unit ${u} follows ${prev})`,
        );
      }
      prev = u;
    }
  }
}

function checkAscending(values: Float32Array, what: string, c: Check): void {
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < 0)
      c.fail(`${what} value ${i} is ${v}; it must be finite and ≥ 0`);
    if (v < prev) c.fail(`${what} must be in ascending order (value ${i} is ${v} after ${prev})`);
    prev = v;
  }
}

function checkLabels(
  labels: readonly unknown[],
  what: string,
  limits: Required<MapFileLimits>,
  c: Check,
): void {
  for (let i = 0; i < labels.length; i++)
    c.text(labels[i], `${what} ${i}`, limits.maxLabelLength, 0);
}

// ---------------------------------------------------------------- binary helpers

function floatBytes(data: Float32Array, dtype: FloatDtype): Uint8Array {
  if (dtype === 'f16') {
    const halves = float32ToFloat16Array(data);
    if (LITTLE_ENDIAN) return new Uint8Array(halves.buffer);
    const out = new Uint8Array(halves.length * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < halves.length; i++) view.setUint16(2 * i, halves[i], true);
    return out;
  }
  const out = new Uint8Array(data.length * 4);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  else {
    const view = new DataView(out.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  }
  return out;
}

function indexBytes(indices: Uint32Array, dtype: 'u16' | 'u32'): Uint8Array {
  const size = dtype === 'u16' ? 2 : 4;
  const out = new Uint8Array(indices.length * size);
  const view = new DataView(out.buffer);
  if (dtype === 'u16')
    for (let i = 0; i < indices.length; i++) view.setUint16(2 * i, indices[i], true);
  else for (let i = 0; i < indices.length; i++) view.setUint32(4 * i, indices[i], true);
  return out;
}

/** A u32 length per entry, then the entries. */
function listBytes(entries: readonly Uint8Array[]): Uint8Array {
  let total = 4 * entries.length;
  for (const e of entries) total += e.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let o = 4 * entries.length;
  entries.forEach((e, i) => {
    view.setUint32(4 * i, e.length, true);
    out.set(e, o);
    o += e.length;
  });
  return out;
}

function readFloats(
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: FloatDtype,
): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'f16') {
    const halves = new Uint16Array(count);
    for (let i = 0; i < count; i++) halves[i] = view.getUint16(offset + 2 * i, true);
    return float16ToFloat32Array(halves);
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
  return out;
}

function readIndices(
  bytes: Uint8Array,
  offset: number,
  count: number,
  dtype: 'u16' | 'u32',
): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(count);
  if (dtype === 'u16')
    for (let i = 0; i < count; i++) out[i] = view.getUint16(offset + 2 * i, true);
  else for (let i = 0; i < count; i++) out[i] = view.getUint32(offset + 4 * i, true);
  return out;
}

/** Split a length-prefixed list section into `count` views, checking every length first. */
function readList(
  bytes: Uint8Array,
  section: SectionEntry,
  count: number,
  maxEntry: number,
  what: string,
  c: Check,
): Uint8Array[] {
  if (section.length < 4 * count) {
    c.fail(
      `section ${section.name} is ${fmt(section.length)} bytes, too short for ${fmt(count)} ${what} lengths`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 4 * count;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(section.offset + 4 * i, true);
    if (len > maxEntry) c.fail(`${what} ${i} is ${fmt(len)} bytes; the limit is ${fmt(maxEntry)}`);
    total += len;
  }
  if (total !== section.length) {
    c.fail(
      `section ${section.name} is ${fmt(section.length)} bytes but its ${what} lengths add up to ${fmt(total)}`,
    );
  }
  const out: Uint8Array[] = new Array<Uint8Array>(count);
  let o = section.offset + 4 * count;
  for (let i = 0; i < count; i++) {
    const len = view.getUint32(section.offset + 4 * i, true);
    out[i] = bytes.subarray(o, o + len);
    o += len;
  }
  return out;
}

/** The stored checksum: CRC-32 over the whole file except the checksum field (bytes 20–23). */
export function mapChecksum(file: Uint8Array, total = file.length): number {
  return crc32(file.subarray(MAP_PREAMBLE_BYTES, total), crc32(file.subarray(0, 20)));
}

// ---------------------------------------------------------------- encode

/** Serialise a map to `.sdrmap` bytes. Throws `MapFileError` ("cannot save the map: …") if it is inconsistent. */
export function encodeMapFile(map: SdrMap, options: EncodeMapOptions = {}): Uint8Array {
  const c: Check = new Check('cannot save the map');
  c.object(map, 'the map');
  const limits = resolveLimits(options.limits);
  const codebookDtype = options.codebookDtype ?? 'f16';
  const embeddingDtype = options.embeddingDtype ?? codebookDtype;
  for (const [k, v] of [
    ['codebookDtype', codebookDtype],
    ['embeddingDtype', embeddingDtype],
  ] as const) {
    if (v !== 'f16' && v !== 'f32') c.fail(`${k} must be 'f16' or 'f32', got ${show(v)}`);
  }
  const som = c.object(map.som, 'som') as unknown as SdrMap['som'];
  const training = c.object(map.training, 'training') as unknown as SdrMap['training'];
  const items = map.items;
  if (items !== undefined && !Array.isArray(items.labels)) {
    c.fail('items.labels must be an array of strings, one per item');
  }
  const withEmbeddings = items?.embeddings !== undefined && options.includeEmbeddings !== false;
  const withThumbnails = items?.thumbnails !== undefined && options.includeThumbnails !== false;
  const calibration = map.calibration;

  const meta = checkMeta(
    {
      name: map.name,
      createdAt: map.createdAt,
      model: map.model,
      grid: som.grid,
      dim: som.dim,
      training: {
        epochs: training.epochs,
        seed: training.seed,
        init: training.init,
        radiusStart: training.radiusStart,
        radiusEnd: training.radiusEnd,
        inputs: training.inputs,
      },
      quality: map.quality,
      calibration:
        calibration == null ? null : { k: calibration.k, count: calibration.qe?.length ?? 0 },
      unitLabels: map.unitLabels !== undefined,
      trainingMean: map.trainingMean !== undefined,
      items:
        items === undefined
          ? null
          : {
              count: items.labels?.length,
              k: items.k,
              embeddings: withEmbeddings,
              thumbnails: withThumbnails,
            },
    },
    c,
    limits,
  );
  const { grid, dim } = meta;
  const m = gridSize(grid);
  const tg = training.grid;
  if (!tg || tg.rows !== grid.rows || tg.cols !== grid.cols || tg.topology !== grid.topology) {
    c.fail(`training.grid differs from the map's grid ${grid.rows}×${grid.cols} ${grid.topology}`);
  }

  const sections: { name: string; dtype: SectionDtype; bytes: Uint8Array }[] = [];
  if (!(som.codebook instanceof Float32Array) || som.codebook.length !== m * dim) {
    c.fail(`the codebook must be a Float32Array of ${fmt(m)}×${dim} = ${fmt(m * dim)} values`);
  }
  checkFloats(som.codebook, dim, 'codebook unit', c);
  if (codebookDtype === 'f16') checkFloat16Range(som.codebook, dim, 'codebook unit', c);
  sections.push({
    name: 'codebook',
    dtype: codebookDtype,
    bytes: floatBytes(som.codebook, codebookDtype),
  });

  if (map.unitLabels !== undefined) {
    if (!Array.isArray(map.unitLabels) || map.unitLabels.length !== m) {
      c.fail(
        `unitLabels must hold one label per unit (${fmt(m)}), got ${show(map.unitLabels?.length)}`,
      );
    }
    checkLabels(map.unitLabels, 'unit label', limits, c);
    sections.push({
      name: 'unitLabels',
      dtype: 'utf8',
      bytes: listBytes(map.unitLabels.map((s) => UTF8_ENCODER.encode(s))),
    });
  }

  if (map.trainingMean !== undefined) {
    const mean = map.trainingMean;
    if (!(mean instanceof Float32Array) || mean.length !== dim) {
      c.fail(`trainingMean must be a Float32Array of ${dim} values, got ${show(mean?.length)}`);
    }
    checkFloats(mean, dim, 'trainingMean', c);
    sections.push({ name: 'trainingMean', dtype: 'f32', bytes: floatBytes(mean, 'f32') });
  }

  if (calibration != null && meta.calibration) {
    const cal: Calibration = calibration;
    if (!(cal.qe instanceof Float32Array) || !(cal.dispersion instanceof Float32Array)) {
      c.fail('calibration.qe and calibration.dispersion must be Float32Arrays');
    }
    if (cal.dispersion.length !== cal.qe.length) {
      c.fail(`calibration has ${cal.qe.length} qe values but ${cal.dispersion.length} dispersions`);
    }
    checkAscending(cal.qe, 'calibration.qe', c);
    checkAscending(cal.dispersion, 'calibration.dispersion', c);
    sections.push({ name: 'calibration.qe', dtype: 'f32', bytes: floatBytes(cal.qe, 'f32') });
    sections.push({
      name: 'calibration.dispersion',
      dtype: 'f32',
      bytes: floatBytes(cal.dispersion, 'f32'),
    });
  }

  if (items !== undefined && meta.items) {
    const it: MapItems = items;
    const n = meta.items.count;
    const k = meta.items.k;
    checkLabels(it.labels, 'item label', limits, c);
    sections.push({
      name: 'items.labels',
      dtype: 'utf8',
      bytes: listBytes(it.labels.map((s) => UTF8_ENCODER.encode(s))),
    });
    if (!(it.sdrs instanceof Uint32Array) || it.sdrs.length !== n * k) {
      c.fail(`items.sdrs must be a Uint32Array of ${fmt(n)}×${k} = ${fmt(n * k)} indices`);
    }
    checkSdrs(it.sdrs, k, m, c);
    const indexDtype = m <= 65536 ? 'u16' : 'u32';
    sections.push({
      name: 'items.sdrs',
      dtype: indexDtype,
      bytes: indexBytes(it.sdrs, indexDtype),
    });
    if (withEmbeddings) {
      const e = it.embeddings;
      if (!(e instanceof Float32Array) || e.length !== n * dim) {
        c.fail(
          `items.embeddings must be a Float32Array of ${fmt(n)}×${dim} = ${fmt(n * dim)} values`,
        );
      }
      checkFloats(e, dim, 'item embedding', c);
      if (embeddingDtype === 'f16') checkFloat16Range(e, dim, 'item embedding', c);
      sections.push({
        name: 'items.embeddings',
        dtype: embeddingDtype,
        bytes: floatBytes(e, embeddingDtype),
      });
    }
    if (withThumbnails) {
      const th = it.thumbnails;
      if (!Array.isArray(th) || th.length !== n) {
        c.fail(
          `items.thumbnails must hold one entry per item (${fmt(n)}), got ${show(th?.length)}`,
        );
      }
      const blobs = th.map((t, i) => {
        if (t === null) return new Uint8Array(0);
        if (!(t instanceof Uint8Array))
          c.fail(`thumbnail ${i} must be a Uint8Array or null, got ${show(t)}`);
        if (t.length > limits.maxThumbnailBytes) {
          c.fail(
            `thumbnail ${i} is ${fmt(t.length)} bytes; the limit is ${fmt(limits.maxThumbnailBytes)}`,
          );
        }
        return t;
      });
      sections.push({ name: 'items.thumbnails', dtype: 'bytes', bytes: listBytes(blobs) });
    }
  }

  // Offsets depend on the header's length, which depends on the offsets' digits. Grow the data
  // start until the header fits before it (monotone, so it stops; a shorter header is padded).
  let dataStart = align8(MAP_PREAMBLE_BYTES + 2);
  let json = new Uint8Array(0);
  let table: SectionEntry[] = [];
  for (;;) {
    let o = dataStart;
    table = sections.map((s) => {
      const entry = { name: s.name, dtype: s.dtype, offset: o, length: s.bytes.length };
      o = align8(o + s.bytes.length);
      return entry;
    });
    const header = { type: MAP_FILE_TYPE, version: MAP_FORMAT_VERSION, ...meta, sections: table };
    json = UTF8_ENCODER.encode(JSON.stringify(header));
    const need = align8(MAP_PREAMBLE_BYTES + json.length);
    if (need <= dataStart) break;
    dataStart = need;
  }
  const last = table[table.length - 1];
  const total = align8(last.offset + last.length);
  if (total > limits.maxBytes) {
    c.fail(`the map would be ${mib(total)}, more than the ${mib(limits.maxBytes)} limit`);
  }

  const out = new Uint8Array(total);
  out.set(MAP_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, MAP_FORMAT_VERSION, true);
  view.setUint16(10, MAP_FORMAT_MINOR, true);
  view.setUint32(12, dataStart - MAP_PREAMBLE_BYTES, true);
  view.setUint32(16, total, true);
  out.set(json, MAP_PREAMBLE_BYTES);
  out.fill(0x20, MAP_PREAMBLE_BYTES + json.length, dataStart);
  sections.forEach((s, i) => out.set(s.bytes, table[i].offset));
  view.setUint32(20, mapChecksum(out, total), true);
  return out;
}

// ---------------------------------------------------------------- decode

const KNOWN_SECTIONS = new Set([
  'codebook',
  'unitLabels',
  'trainingMean',
  'calibration.qe',
  'calibration.dispersion',
  'items.labels',
  'items.sdrs',
  'items.embeddings',
  'items.thumbnails',
]);

/** Expected dtype(s) and exact byte length (or null for lists) of each known section. */
function expectedSections(
  meta: HeaderMeta,
): Map<string, { dtypes: SectionDtype[]; bytes: (dtype: string) => number | null }> {
  const m = gridSize(meta.grid);
  const d = meta.dim;
  const size = (dtype: string) => ({ f16: 2, f32: 4, u16: 2, u32: 4 })[dtype] ?? 0;
  const out = new Map<
    string,
    { dtypes: SectionDtype[]; bytes: (dtype: string) => number | null }
  >();
  out.set('codebook', { dtypes: ['f16', 'f32'], bytes: (t) => m * d * size(t) });
  if (meta.unitLabels) out.set('unitLabels', { dtypes: ['utf8'], bytes: () => null });
  if (meta.trainingMean) out.set('trainingMean', { dtypes: ['f32'], bytes: () => d * 4 });
  if (meta.calibration) {
    const count = meta.calibration.count;
    out.set('calibration.qe', { dtypes: ['f32'], bytes: () => count * 4 });
    out.set('calibration.dispersion', { dtypes: ['f32'], bytes: () => count * 4 });
  }
  if (meta.items) {
    const { count: n, k } = meta.items;
    out.set('items.labels', { dtypes: ['utf8'], bytes: () => null });
    out.set('items.sdrs', {
      dtypes: m <= 65536 ? ['u16', 'u32'] : ['u32'],
      bytes: (t) => n * k * size(t),
    });
    if (meta.items.embeddings)
      out.set('items.embeddings', { dtypes: ['f16', 'f32'], bytes: (t) => n * d * size(t) });
    if (meta.items.thumbnails)
      out.set('items.thumbnails', { dtypes: ['bytes'], bytes: () => null });
  }
  return out;
}

/**
 * Read `.sdrmap` bytes into an SdrMap, or throw `MapFileError` saying why not. The result owns
 * its arrays (nothing aliases `bytes`), so the file's buffer can be dropped.
 */
export function decodeMapFile(bytes: Uint8Array, limits?: MapFileLimits): SdrMap {
  const lim = resolveLimits(limits);
  const c: Check = new Check('damaged map file');
  if (!(bytes instanceof Uint8Array))
    throw new MapFileError('expected the map file as bytes (a Uint8Array)');
  if (bytes.length === 0) throw new MapFileError('the map file is empty');
  for (let i = 0; i < Math.min(bytes.length, MAP_MAGIC.length); i++) {
    if (bytes[i] !== MAP_MAGIC[i])
      throw new MapFileError('not an SDR Explorer map: the file does not start with "SDRMAP"');
  }
  if (bytes.length < MAP_PREAMBLE_BYTES) {
    throw new MapFileError(
      `file is truncated: ${bytes.length} bytes, the preamble alone needs ${MAP_PREAMBLE_BYTES}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = view.getUint16(8, true);
  if (major > MAP_FORMAT_VERSION) {
    throw new MapFileError(
      `this map was saved by a newer SDR Explorer (format v${major}); this version reads up to v${MAP_FORMAT_VERSION}`,
    );
  }
  if (major < 1) c.fail(`unknown format version ${major}`);
  const headerLength = view.getUint32(12, true);
  const total = view.getUint32(16, true);
  if (total > lim.maxBytes || bytes.length > lim.maxBytes) {
    throw new MapFileError(
      `the map file is ${mib(Math.max(total, bytes.length))}; the limit is ${mib(lim.maxBytes)}`,
    );
  }
  if (total > bytes.length)
    throw new MapFileError(
      `file is truncated: it should be ${fmt(total)} bytes, got ${fmt(bytes.length)}`,
    );
  if (total < bytes.length)
    c.fail(`${fmt(bytes.length - total)} unexpected bytes after the end of the map`);
  if (headerLength > MAX_HEADER_BYTES || MAP_PREAMBLE_BYTES + headerLength > total) {
    c.fail(`the header claims ${fmt(headerLength)} bytes in a ${fmt(total)}-byte file`);
  }
  if ((MAP_PREAMBLE_BYTES + headerLength) % 8 !== 0)
    c.fail('the header does not end on an 8-byte boundary');
  const stored = view.getUint32(20, true);
  const actual = mapChecksum(bytes, total);
  if (stored !== actual) {
    c.fail(
      `checksum mismatch (stored ${stored.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')})`,
    );
  }

  let header: unknown;
  try {
    const text = UTF8_DECODER.decode(
      bytes.subarray(MAP_PREAMBLE_BYTES, MAP_PREAMBLE_BYTES + headerLength),
    );
    header = JSON.parse(text);
  } catch {
    c.fail('the header is not valid UTF-8 JSON');
  }
  const h = c.object(header, 'header');
  if (c.field(h, 'type') !== MAP_FILE_TYPE) {
    throw new MapFileError(
      `not an SDR Explorer map: its type is ${show(c.field(h, 'type'))}, expected "${MAP_FILE_TYPE}"`,
    );
  }
  if (c.field(h, 'version') !== major) {
    c.fail(`the header says version ${show(c.field(h, 'version'))} but the preamble says ${major}`);
  }
  const meta = checkMeta(h, c, lim);
  const minor = view.getUint16(10, true);
  if (meta.trainingMean && minor < 1) {
    c.fail(
      `the header has a trainingMean, which format v${major}.${minor} does not know (from v1.1)`,
    );
  }
  const m = gridSize(meta.grid);
  const d = meta.dim;

  // Section table: known names with the right dtype and size, laid out back to back.
  const rawSections = c.field(h, 'sections');
  if (!Array.isArray(rawSections) || rawSections.length > MAX_SECTIONS) {
    c.fail(`sections must be an array of at most ${MAX_SECTIONS} entries`);
  }
  const expected = expectedSections(meta);
  const found = new Map<string, SectionEntry>();
  let next = MAP_PREAMBLE_BYTES + headerLength;
  (rawSections as unknown[]).forEach((raw, i) => {
    const s = c.object(raw, `sections[${i}]`);
    const name = c.text(c.field(s, 'name'), `sections[${i}].name`, 64);
    const dtype = c.text(c.field(s, 'dtype'), `section ${name} dtype`, 16);
    const offset = c.int(c.field(s, 'offset'), `section ${name} offset`, 0, total);
    const length = c.int(c.field(s, 'length'), `section ${name} length`, 0, total);
    if (found.has(name)) c.fail(`section ${name} appears twice`);
    if (offset !== next)
      c.fail(`section ${name} starts at byte ${fmt(offset)}, expected ${fmt(next)}`);
    if (offset + length > total) {
      c.fail(
        `section ${name} runs to byte ${fmt(offset + length)}, past the end of the ${fmt(total)}-byte file`,
      );
    }
    const want = expected.get(name);
    if (want) {
      if (!(want.dtypes as string[]).includes(dtype)) {
        c.fail(`section ${name} has dtype ${show(dtype)}, expected ${want.dtypes.join(' or ')}`);
      }
      const size = want.bytes(dtype);
      if (size !== null && size !== length) {
        c.fail(`section ${name} is ${fmt(length)} bytes; the header's sizes need ${fmt(size)}`);
      }
    } else if (KNOWN_SECTIONS.has(name)) {
      c.fail(`section ${name} is present but the header says the map has none`);
    } // Unknown sections come from a newer minor version: laid out like the rest, then skipped.
    found.set(name, { name, dtype, offset, length });
    next = align8(offset + length);
  });
  if (next !== total)
    c.fail(`the sections end at byte ${fmt(next)} but the file is ${fmt(total)} bytes`);
  for (const name of expected.keys()) if (!found.has(name)) c.fail(`section ${name} is missing`);

  const sec = (name: string) => found.get(name)!;
  const codebookSection = sec('codebook');
  const codebook = readFloats(
    bytes,
    codebookSection.offset,
    m * d,
    codebookSection.dtype as FloatDtype,
  );
  checkFloats(codebook, d, 'codebook unit', c);

  const readStrings = (name: string, count: number, what: string): string[] => {
    const parts = readList(bytes, sec(name), count, lim.maxLabelLength * 3, what, c);
    return parts.map((p, i) => {
      let s: string;
      try {
        s = UTF8_DECODER.decode(p);
      } catch {
        return c.fail(`${what} ${i} is not valid UTF-8`);
      }
      return c.text(s, `${what} ${i}`, lim.maxLabelLength, 0);
    });
  };

  const unitLabels = meta.unitLabels ? readStrings('unitLabels', m, 'unit label') : undefined;
  let trainingMean: Float32Array | undefined;
  if (meta.trainingMean) {
    trainingMean = readFloats(bytes, sec('trainingMean').offset, d, 'f32');
    checkFloats(trainingMean, d, 'trainingMean', c);
  }

  let calibration: Calibration | null = null;
  if (meta.calibration) {
    const count = meta.calibration.count;
    const qe = readFloats(bytes, sec('calibration.qe').offset, count, 'f32');
    const dispersion = readFloats(bytes, sec('calibration.dispersion').offset, count, 'f32');
    checkAscending(qe, 'calibration.qe', c);
    checkAscending(dispersion, 'calibration.dispersion', c);
    calibration = { k: meta.calibration.k, qe, dispersion };
  }

  let items: MapItems | undefined;
  if (meta.items) {
    const { count: n, k } = meta.items;
    const labels = readStrings('items.labels', n, 'item label');
    const sdrSection = sec('items.sdrs');
    const sdrs = readIndices(bytes, sdrSection.offset, n * k, sdrSection.dtype as 'u16' | 'u32');
    checkSdrs(sdrs, k, m, c);
    let embeddings: Float32Array | undefined;
    if (meta.items.embeddings) {
      const s = sec('items.embeddings');
      embeddings = readFloats(bytes, s.offset, n * d, s.dtype as FloatDtype);
      checkFloats(embeddings, d, 'item embedding', c);
    }
    let thumbnails: (Uint8Array | null)[] | undefined;
    if (meta.items.thumbnails) {
      thumbnails = readList(
        bytes,
        sec('items.thumbnails'),
        n,
        lim.maxThumbnailBytes,
        'thumbnail',
        c,
      ).map((t) => (t.length === 0 ? null : t.slice()));
    }
    items = {
      labels,
      k,
      sdrs,
      ...(embeddings ? { embeddings } : {}),
      ...(thumbnails ? { thumbnails } : {}),
    };
  }

  const grid = meta.grid;
  return {
    name: meta.name,
    createdAt: meta.createdAt,
    model: meta.model,
    som: { grid, dim: d, codebook },
    training: { grid, ...meta.training },
    quality: meta.quality,
    calibration,
    ...(unitLabels ? { unitLabels } : {}),
    ...(trainingMean ? { trainingMean } : {}),
    ...(items ? { items } : {}),
  };
}
