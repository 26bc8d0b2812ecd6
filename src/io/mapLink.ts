/**
 * The compact map payload for share links: the `.sdrmap` bytes without thumbnails, deflated (raw
 * DEFLATE). The share room turns these bytes into URL text; this module only packs and unpacks
 * them. The container is deflated at level 6: on shuffled float planes level 9 was within 1% of
 * its size but 3–7× slower (1–3 s for a 20×20×512 codebook), and a person waits on it.
 *
 * Three payload forms, told apart by their first bytes (and the container's version) once
 * inflated:
 * - legacy (`packMapForLink(map)`): the `.sdrmap` file itself, float16 codebook, no item
 *   embeddings. Still read, so links made before the precision ladder keep working.
 * - link container (`packMapForLinkAt(map, precision)`): magic `SDRLINK^Z`, u16 container
 *   version, u16 significand bits the floats were rounded to (23 = exact: float32, or a rounding
 *   that changed no value; 16, 14, or 10 for float16), u32 region count R ≤ 4, then R × (u32 offset, u32 length, u32 width) naming the
 *   float sections of the map file whose bytes are stored byte-plane shuffled (all first bytes,
 *   then all second bytes…), then the map file. Shuffling puts the sign/exponent bytes and the
 *   zeroed low bytes of rounded floats side by side, which DEFLATE compresses well; the map file's
 *   own CRC-32 is checked after unshuffling, so a lying region table is caught like any damage.
 * - quantised container, version 2 (`packMapForLinkAt(map, 'q6')` …): the same header with
 *   precision code 0x100 + B, then a codebook block (grid, step, residual width, the agreement
 *   the sender measured) and the codebook's residual planes (gridCodec.ts), then the map file
 *   without its codebook bytes; the receiver decodes the codebook, puts it back as float32, and
 *   the map file's CRC-32 and every check of decodeMapFile then run as for any file. The items'
 *   SDR indices are a shuffled region here (their high bytes repeat), the embeddings float16.
 *
 * Precision ladder, measured two ways: the test's smooth 16×16×512 map with 1,000 unit inputs
 * near it (mapLink.test.ts, "measurement"), and real CLIP maps (12×12 and 16×16, trained on the
 * 1,203 LVIS text embeddings, every LVIS row encoded). SDRs are top-20 by cosine.
 *
 *   precision  significand  16×16×512 codebook packed  SDRs changed: smooth    LVIS 12×12, 16×16
 *   exact      23 bits      445 KB                     0 of 1,000              0, 0 of 1,203
 *   r16        16 bits      337 KB                     0 of 1,000              0, 0 of 1,203
 *   r14        14 bits      301 KB                     0 of 1,000              0, 0 of 1,203
 *   f16        10 bits      230 KB                     4 of 1,000              8, 7 of 1,203
 *
 * Where an SDR changed, one unit was swapped at rank 20, where two scores were within rounding
 * of each other. At 13 and 12 bits one LVIS or smooth row in a thousand or two already changed,
 * so 14 is the lowest rung; a link is called approximate only at f16. Rounding the inputs (item
 * embeddings) to the same precision as well changed none either at r16 and r14. An 8-bit codebook
 * with a per-row scale and offset was tried and refused: neighbouring units of a trained map are
 * so alike that it changed 38–43% of the LVIS SDRs.
 *
 * Quantised rungs (issue 9: a person's own 32×32×512 map with ~1,200 items must fit a link; a
 * float16 codebook of that size alone is ~920 KB packed). Float rungs cannot get there: every
 * float carries its own exponent and significand. A trained map is smooth, so the codebook is
 * quantised on one uniform step relative to its scale, step = RMS weight·2^−B, and each unit is
 * coded as the residual from its grid neighbours (JPEG-LS's median predictor, per dimension),
 * byte planes, DEFLATE. Score error then has one size everywhere: a cosine moves by about
 * step/√12·‖x‖/‖w‖, so the step is what decides rank flips at the K-th unit. Measured on the
 * maps of scripts/measure-link.ts (codebook only, K = 2% of units, held-out 10% of rows):
 *
 *   predictor at step RMS/16, 32×32  none   left   plane (L+U−UL)  mean (L+U)/2  median (MED)
 *   bits per weight, LVIS / synthetic 4.1/5.1 3.5/4.3 3.1/3.8     3.1/3.9       3.1/3.7
 *
 *   step RMS/2^B  B=2          3            4            5            6
 *   LVIS 16×16     0.868 27KB  0.922 36KB   0.975 47KB   0.982 61KB   0.997 77KB
 *   LVIS 32×32     0.924 116KB 0.956 154KB  0.979 201KB  0.986 262KB  0.993 328KB
 *   LVIS 48×48     0.934 283KB 0.965 374KB  0.980 492KB  0.990 636KB  0.995 778KB
 *   LVIS 64×64     0.944 531KB 0.972 703KB  0.986 922KB  0.993 1.18MB 0.996 1.43MB
 *   synth 32×32    0.897 145KB 0.947 190KB  0.965 245KB  0.988 305KB  0.991 369KB
 *   synth 64×64    0.966 604KB 0.981 799KB  0.991 1.03MB 0.996 1.29MB 0.998 1.52MB
 *   (held-out unit agreement, codebook bytes packed)
 *
 * Agreement on the training rows was 0–1.6 points above held-out rows (LVIS 32×32 at RMS/16:
 * 0.985 vs 0.979; synthetic 16×16 at RMS/32: 0.978 vs 0.947 is the widest gap, K = 5). So the
 * share room (inlineMap.ts) takes the finest rung that fits, measures agreement on the map's own
 * items, and offers the link only at ≥ 0.98 there: the rule is the requirement (≥ 0.95 on new
 * inputs) plus the measured train/held-out gap, not a step tuned to one data set. The 8-bit
 * per-row-scale codebook refused above is consistent with this: its step (a row's range/255) is
 * near RMS/20, where ~2% of active units move, and 2% of 20 units touches about a third of the
 * SDRs; unit agreement, not "SDRs unchanged", is the measure the requirement names.
 * Whole links (scripts/measure-link.ts: map trained on 90% of rows, every training row an item
 * with label and SDR; held-out rows encoded on both maps):
 *
 *   grid   K   LVIS (1,083 items)                    synthetic (1,200 items)
 *   16×16  5   r16 467,204 chars 350 KB, 1.000       r16 451,436 chars 339 KB, 1.000
 *   24×24  12  q8  343,919 chars 258 KB, 0.996       q8  383,106 chars 287 KB, 0.995
 *   32×32  20  q6  464,295 chars 348 KB, 0.994       q6  516,119 chars 387 KB, 0.990
 *   48×48  46  does not fit (402.5 KiB at q3)        does not fit (450.4 KiB at q3)
 *   64×64  82  does not fit (750.2 KiB at q3)        does not fit (809.6 KiB at q3)
 *
 * Every item's SDR came back identical (they travel as stored). Where nothing fits,
 * shrinkForLink (inlineMap.ts) offers a smaller copy and says what it changes: LVIS 48×48 kept
 * its grid at q3 without its items (374 KB; held-out agreement 0.970, probes: its units);
 * synthetic 48×48 was halved to 24×24 (q8, 333 KB) and both 64×64 maps to 32×32 (q5 / q4), the
 * items placed again on the smaller grid.
 *
 * Not measured here for lack of time: a low-rank (PCA) codebook and a 2-D DCT per dimension.
 * Both need the quantisation error kept at the same size to keep rank flips as rare; a PCA basis
 * of the 512-d space costs 0.25–0.5 MB itself unless cut to few components, which leaves an
 * error that does not shrink with the step.
 *
 * Unpacking is zip-bomb safe: DEFLATE can expand up to 1032:1, so a 200 KB link could claim
 * 200 MB. Inflation runs as a stream fed in slices and stops as soon as the running output total
 * passes the cap, having allocated at most about one slice's worth (≤ 1 MiB) beyond it.
 *
 * The cap, 16 MiB: Chrome refuses URLs over 2 MiB, so a link carries at most ~1.5 MiB of deflated
 * bytes after base64url. Floats barely compress and labels/SDR indices about 3–4×, so no map that
 * fits in a URL inflates to more than ~6 MiB; 16 MiB leaves room for unusually compressible maps
 * while holding a bomb to 16 MiB of memory.
 */
import { deflateSync, Inflate } from 'fflate';
import { MapFileError } from './errors.ts';
import { MAX_GRID_SIDE } from '../grid/grid.ts';
import { roundTripFloat16 } from './float16.ts';
import {
  codebookScale,
  decodeGridCodebook,
  encodeGridCodebook,
  quantiseCodebook,
} from './gridCodec.ts';
import {
  decodeMapFile,
  encodeMapFile,
  MAP_MAGIC,
  MAX_MAP_DIM,
  type MapFileLimits,
} from './mapFile.ts';
import type { SdrMap } from './mapModel.ts';

/** Largest map a share link may inflate to, in bytes (see the note above). */
export const MAX_LINK_INFLATED_BYTES = 16 * 1024 * 1024;

/** DEFLATE's best case: 258 bytes per 2 bits (a length-258 match and distance both coded in 1 bit). */
const MAX_DEFLATE_RATIO = 1032;
const MIN_SLICE = 1024;

export interface UnpackLinkOptions {
  /** Inflated size cap in bytes; default MAX_LINK_INFLATED_BYTES (16 MiB), range 1 to 512 MiB. */
  readonly maxInflatedBytes?: number;
  /** Further limits for the map inside (items, label length…); maxBytes is the inflated cap. */
  readonly limits?: Omit<MapFileLimits, 'maxBytes'>;
}

/** Deflated compact `.sdrmap` bytes for a share link (no embeddings or thumbnails, float16 codebook). */
export function packMapForLink(map: SdrMap): Uint8Array {
  const file = encodeMapFile(map, {
    codebookDtype: 'f16',
    includeEmbeddings: false,
    includeThumbnails: false,
  });
  return deflateSync(file, { level: 9 });
}

/** Inflate `bytes`, refusing (MapFileError) as soon as the output passes `cap` bytes. */
export function inflateCapped(bytes: Uint8Array, cap: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflate = new Inflate((chunk) => {
    total += chunk.length;
    if (total > cap) {
      throw new MapFileError(
        `the shared map inflates to more than ${(cap / 1048576).toFixed(0)} MiB; refusing it`,
      );
    }
    chunks.push(chunk);
  });
  try {
    let pos = 0;
    while (pos < bytes.length) {
      // Feed no more than could inflate to the room left (at the worst ratio), so a bomb is
      // stopped within one small slice of the cap rather than after a huge allocation.
      const slice = Math.max(MIN_SLICE, Math.floor((cap - total) / MAX_DEFLATE_RATIO));
      const end = Math.min(bytes.length, pos + slice);
      inflate.push(bytes.subarray(pos, end), end === bytes.length);
      pos = end;
    }
  } catch (e) {
    if (e instanceof MapFileError) throw e;
    throw new MapFileError(
      `the shared map is damaged: it does not decompress (${(e as Error).message || 'invalid data'})`,
    );
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Unpack a share-link payload into a map, or throw `MapFileError` saying why not. */
export function unpackMapFromLink(bytes: Uint8Array, options: UnpackLinkOptions = {}): SdrMap {
  return unpackLink(bytes, options).map;
}

// ---------------------------------------------------------------- precision ladder

/**
 * How finely a link carries the map's floats (codebook and item embeddings), most exact first:
 * 'exact' float32; 'r16' and 'r14' float32 rounded to 16 or 14 significand bits (relative error
 * at most 2^-17 and 2^-15; no SDR changed in the measurements above); 'f16' float16 (10 bits:
 * about 0.6% of SDRs change by one unit at the rank-K boundary).
 */
export type FloatLinkPrecision = 'exact' | 'r16' | 'r14' | 'f16';

/**
 * The quantised rungs below float16 (container v2): 'qB' stores the codebook on a uniform grid
 * of step = scale·2^−B, scale being the codebook's root-mean-square weight, predictively coded
 * over the SOM grid (gridCodec.ts). The items' SDRs travel as they are, never recomputed.
 */
export type QuantLinkPrecision = 'q8' | 'q7' | 'q6' | 'q5' | 'q4' | 'q3';

export type LinkPrecision = FloatLinkPrecision | QuantLinkPrecision;

/** The float ladder, most exact first: a link uses the first rung that fits. */
export const LINK_PRECISIONS: readonly FloatLinkPrecision[] = ['exact', 'r16', 'r14', 'f16'];

/** The quantised ladder, finest first: tried after every float rung (see the table above). */
export const QUANT_LINK_PRECISIONS: readonly QuantLinkPrecision[] = [
  'q8',
  'q7',
  'q6',
  'q5',
  'q4',
  'q3',
];

/** Halvings of the scale that make each quantised rung's step: step = scale·2^−bits. */
export const QUANT_LINK_STEP_BITS: Readonly<Record<QuantLinkPrecision, number>> = {
  q8: 8,
  q7: 7,
  q6: 6,
  q5: 5,
  q4: 4,
  q3: 3,
};

/** Significand bits (after the implicit leading 1) each precision keeps. */
export const LINK_PRECISION_BITS: Readonly<Record<FloatLinkPrecision, number>> = {
  exact: 23,
  r16: 16,
  r14: 14,
  f16: 10,
};

/**
 * Whether SDRs encoded on a map that came at this precision may differ from the original's.
 * Only 'f16' changed any in the measurements; the page says so for such a link.
 */
export function isApproximate(precision: LinkPrecision): boolean {
  return precision === 'f16' || isQuantised(precision);
}

/** Whether `precision` is a quantised rung (container v2). */
export function isQuantised(precision: LinkPrecision): precision is QuantLinkPrecision {
  return (QUANT_LINK_PRECISIONS as readonly string[]).includes(precision);
}

/** What a link payload held. */
export interface UnpackedLink {
  readonly map: SdrMap;
  readonly precision: LinkPrecision;
  /**
   * For a quantised link: the share of active units that SDRs of the map's own items (or, with
   * no item embeddings, of its units' weight vectors) kept, measured by the sender, 0–1.
   * Undefined for the float rungs and for links made before it was recorded.
   */
  readonly agreement?: number;
}

export interface PackLinkOptions {
  /** Carry the items' embeddings (so the receiver can place them again); default true. */
  readonly includeEmbeddings?: boolean;
}

/** Magic of the link container: "SDRLINK", ^Z. */
const LINK_MAGIC = [0x53, 0x44, 0x52, 0x4c, 0x49, 0x4e, 0x4b, 0x1a] as const;
/** Container version of the float rungs. */
const LINK_VERSION = 1;
/** Container version of the quantised rungs (a coded codebook block); the newest this reads. */
const LINK_VERSION_QUANT = 2;
const MAX_REGIONS = 4;
const LINK_HEADER_BYTES = 16;
const REGION_BYTES = 12;
/** v2's codebook block: u32 offset, u32 rows, u32 cols, u32 dim, f32 step, u16 width, u16 agreement. */
const CODED_BLOCK_BYTES = 24;
/** The precision field of a v2 container: QUANT_CODE_BASE + the rung's step bits. */
const QUANT_CODE_BASE = 0x100;
/** v2's agreement field when the sender did not measure it. */
const AGREEMENT_UNKNOWN = 0xffff;

/**
 * Round every value to `bits` significand bits (0..23; 23 returns an unchanged copy), to nearest
 * with ties away from zero. Rounding works on the bit pattern, so a carry moves into the exponent
 * as it should; a value that would round past the largest float32 keeps its truncated form.
 */
export function roundSignificand(values: Float32Array, bits: number): Float32Array {
  if (!Number.isInteger(bits) || bits < 0 || bits > 23) {
    throw new RangeError(`bits must be a whole number from 0 to 23, got ${bits}`);
  }
  const out = values.slice();
  if (bits === 23) return out;
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length);
  const drop = 23 - bits;
  const half = 1 << (drop - 1);
  const keep = ~((1 << drop) - 1) >>> 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if ((w & 0x7f800000) === 0x7f800000) continue; // Inf/NaN: left alone (maps never hold them)
    const rounded = ((w + half) & keep) >>> 0;
    words[i] = (rounded & 0x7f800000) === 0x7f800000 ? (w & keep) >>> 0 : rounded;
  }
  return out;
}

/** Bytes of `width`-byte elements, regrouped by byte position (byte 0 of every element first…). */
export function shuffleBytes(bytes: Uint8Array, width: number): Uint8Array {
  const n = bytes.length / width;
  const out = new Uint8Array(bytes.length);
  for (let b = 0; b < width; b++) {
    const plane = b * n;
    for (let i = 0, j = b; i < n; i++, j += width) out[plane + i] = bytes[j];
  }
  return out;
}

/** The inverse of shuffleBytes, written into `out` (which must not alias `bytes`). */
function unshuffleInto(bytes: Uint8Array, width: number, out: Uint8Array): void {
  const n = bytes.length / width;
  for (let b = 0; b < width; b++) {
    const plane = b * n;
    for (let i = 0, j = b; i < n; i++, j += width) out[j] = bytes[plane + i];
  }
}

/** A copy of `map` with its floats rounded to `precision` (f16 rounding is the file's own). */
function roundedMap(map: SdrMap, precision: FloatLinkPrecision, withEmbeddings: boolean): SdrMap {
  const bits = LINK_PRECISION_BITS[precision];
  const round = (v: Float32Array) =>
    precision === 'exact' || precision === 'f16' ? v : roundSignificand(v, bits);
  const items = map.items;
  return {
    ...map,
    som: { ...map.som, codebook: round(map.som.codebook) },
    ...(items
      ? {
          items: {
            labels: items.labels,
            k: items.k,
            sdrs: items.sdrs,
            ...(withEmbeddings && items.embeddings ? { embeddings: round(items.embeddings) } : {}),
          },
        }
      : {}),
  };
}

/**
 * Offsets, lengths and element widths of a map file's sections to byte-shuffle (from our own
 * header): the item embeddings, and the codebook unless it travels coded (container v2, where
 * the items' SDR indices are shuffled instead: their high bytes repeat, like a float's exponent).
 */
function shuffledSections(
  file: Uint8Array,
  names: readonly string[] = ['codebook', 'items.embeddings'],
): Array<{ offset: number; length: number; width: number; name: string }> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(file.subarray(24, 24 + headerLength))) as {
    sections: Array<{ name: string; dtype: string; offset: number; length: number }>;
  };
  return header.sections
    .filter((s) => names.includes(s.name) && s.length > 0)
    .map((s) => ({
      name: s.name,
      offset: s.offset,
      length: s.length,
      width: s.dtype === 'f16' || s.dtype === 'u16' ? 2 : 4,
    }));
}

/**
 * Whether carrying `map` at `precision` changes none of its floats (codebook, and the items'
 * embeddings when they travel): then the link is exact whatever its storage. Maps trained in the
 * page already hold float16 values, so a float16 link of one loses nothing.
 */
export function linkRoundingIsLossless(
  map: SdrMap,
  precision: LinkPrecision,
  options: PackLinkOptions = {},
): boolean {
  if (precision === 'exact') return true;
  const withEmbeddings = options.includeEmbeddings ?? true;
  const embeddings = withEmbeddings ? map.items?.embeddings : undefined;
  if (isQuantised(precision)) {
    // The codebook is quantised; embeddings travel as float16.
    const codebook = map.som.codebook;
    const q = quantiseCodebook(codebook, quantStep(codebook, precision));
    for (let i = 0; i < q.length; i++) if (!Object.is(q[i], codebook[i])) return false;
    if (embeddings === undefined) return true;
    const half = roundTripFloat16(embeddings.slice());
    return half.every((v, i) => Object.is(v, embeddings[i]));
  }
  const same = (v: Float32Array) => {
    const r =
      precision === 'f16'
        ? roundTripFloat16(v.slice())
        : roundSignificand(v, LINK_PRECISION_BITS[precision]);
    for (let i = 0; i < v.length; i++) if (!Object.is(r[i], v[i])) return false;
    return true;
  };
  return same(map.som.codebook) && (embeddings === undefined || same(embeddings));
}

/**
 * The link payload of `map` at `precision`: the map file (no thumbnails; item embeddings unless
 * `includeEmbeddings` is false) in the link container, deflated. Throws MapFileError for a map
 * that cannot be saved.
 */
export function packMapForLinkAt(
  map: SdrMap,
  precision: LinkPrecision,
  options: PackQuantisedOptions = {},
): Uint8Array {
  if (isQuantised(precision)) return packQuantised(map, precision, options);
  if (!LINK_PRECISIONS.includes(precision)) {
    throw new MapFileError(`unknown link precision ${String(precision)}`);
  }
  const withEmbeddings = options.includeEmbeddings ?? true;
  const dtype = precision === 'f16' ? 'f16' : 'f32';
  const file = encodeMapFile(roundedMap(map, precision, withEmbeddings), {
    codebookDtype: dtype,
    embeddingDtype: dtype,
    includeEmbeddings: withEmbeddings,
    includeThumbnails: false,
  });
  const regions = shuffledSections(file);
  const head = LINK_HEADER_BYTES + REGION_BYTES * regions.length;
  const out = new Uint8Array(head + file.length);
  const view = new DataView(out.buffer);
  out.set(LINK_MAGIC, 0);
  view.setUint16(8, LINK_VERSION, true);
  // A rounding that changed nothing is declared exact, so the receiver is told the truth.
  const declared = linkRoundingIsLossless(map, precision, options) ? 'exact' : precision;
  view.setUint16(10, LINK_PRECISION_BITS[declared], true);
  view.setUint32(12, regions.length, true);
  regions.forEach((r, i) => {
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i, r.offset, true);
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i + 4, r.length, true);
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i + 8, r.width, true);
  });
  out.set(file, head);
  for (const r of regions) {
    out.set(shuffleBytes(file.subarray(r.offset, r.offset + r.length), r.width), head + r.offset);
  }
  return deflateSync(out, { level: 6 });
}

/** The quantisation step of a quantised rung for `codebook`: its RMS weight·2^−bits, as float32. */
export function quantStep(codebook: Float32Array, precision: QuantLinkPrecision): number {
  const scale = codebookScale(codebook);
  // An all-zero codebook has no scale; any step codes it exactly.
  const step = Math.fround((scale > 1e-30 ? scale : 1) * 2 ** -QUANT_LINK_STEP_BITS[precision]);
  return step > 0 ? step : Math.fround(2 ** -126);
}

/** The codebook a quantised link of `map` carries (what the receiver's map will hold). */
export function quantisedCodebook(map: SdrMap, precision: QuantLinkPrecision): Float32Array {
  return quantiseCodebook(map.som.codebook, quantStep(map.som.codebook, precision));
}

export interface PackQuantisedOptions extends PackLinkOptions {
  /**
   * The measured share of active units kept (0–1), recorded in the link so the receiver can say
   * how close its map is; default: not recorded.
   */
  readonly agreement?: number;
}

/**
 * Container v2: the codebook quantised and predictively coded (gridCodec.ts), the item
 * embeddings (when asked for) as float16, the rest of the map file as it is.
 *
 *   16 + 12R bytes  the v1 header and region table (precision field QUANT_CODE_BASE + bits;
 *                   regions name offsets in the whole map file, codebook included)
 *   24 bytes        u32 codebook section offset, u32 rows, u32 cols, u32 dim, f32 step,
 *                   u16 residual width (2 or 4), u16 agreement·10,000 (0xffff: not measured)
 *   rows·cols·dim·width  the residual planes
 *   the rest        the map file without its codebook section's bytes (float32 in the file)
 */
function packQuantised(
  map: SdrMap,
  precision: QuantLinkPrecision,
  options: PackQuantisedOptions,
): Uint8Array {
  const withEmbeddings = options.includeEmbeddings ?? true;
  const { grid, dim, codebook } = map.som;
  const step = quantStep(codebook, precision);
  let coded: ReturnType<typeof encodeGridCodebook>;
  try {
    coded = encodeGridCodebook(codebook, grid.rows, grid.cols, dim, step);
  } catch (e) {
    throw new MapFileError(`the map cannot be packed: ${(e as Error).message}`);
  }
  const items = map.items;
  const file = encodeMapFile(
    {
      ...map,
      som: { ...map.som, codebook: quantiseCodebook(codebook, step) },
      ...(items
        ? {
            items: {
              labels: items.labels,
              k: items.k,
              sdrs: items.sdrs,
              ...(withEmbeddings && items.embeddings ? { embeddings: items.embeddings } : {}),
            },
          }
        : {}),
    },
    {
      codebookDtype: 'f32',
      embeddingDtype: 'f16',
      includeEmbeddings: withEmbeddings,
      includeThumbnails: false,
    },
  );
  const sections = shuffledSections(file, ['codebook', 'items.embeddings', 'items.sdrs']);
  const book = sections.find((s) => s.name === 'codebook');
  if (!book) throw new MapFileError('the map cannot be packed: it has no codebook section');
  const regions = sections.filter((s) => s !== book);
  for (const r of regions) {
    file.set(shuffleBytes(file.subarray(r.offset, r.offset + r.length), r.width), r.offset);
  }
  const head = LINK_HEADER_BYTES + REGION_BYTES * regions.length;
  const out = new Uint8Array(
    head + CODED_BLOCK_BYTES + coded.residuals.length + file.length - book.length,
  );
  const view = new DataView(out.buffer);
  out.set(LINK_MAGIC, 0);
  view.setUint16(8, LINK_VERSION_QUANT, true);
  view.setUint16(10, QUANT_CODE_BASE + QUANT_LINK_STEP_BITS[precision], true);
  view.setUint32(12, regions.length, true);
  regions.forEach((r, i) => {
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i, r.offset, true);
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i + 4, r.length, true);
    view.setUint32(LINK_HEADER_BYTES + REGION_BYTES * i + 8, r.width, true);
  });
  view.setUint32(head, book.offset, true);
  view.setUint32(head + 4, grid.rows, true);
  view.setUint32(head + 8, grid.cols, true);
  view.setUint32(head + 12, dim, true);
  view.setFloat32(head + 16, step, true);
  view.setUint16(head + 20, coded.width, true);
  const agreement = options.agreement;
  view.setUint16(
    head + 22,
    agreement !== undefined && agreement >= 0 && agreement <= 1
      ? Math.round(agreement * 10000)
      : AGREEMENT_UNKNOWN,
    true,
  );
  let at = head + CODED_BLOCK_BYTES;
  out.set(coded.residuals, at);
  at += coded.residuals.length;
  out.set(file.subarray(0, book.offset), at);
  out.set(file.subarray(book.offset + book.length), at + book.offset);
  return deflateSync(out, { level: 6 });
}

/**
 * A low estimate of the packed size at `precision`, in bytes: sign and exponent compress to about
 * 4 bits per float and the significand not at all, so a float costs at least (bits + 2) bits.
 * For weights spread like CLIP's (trained, smooth or random maps) the real size was 2–3 bits per
 * float above it. Lets a caller skip rungs that cannot fit without deflating megabytes for
 * nothing; a degenerate, highly compressible map may pack smaller, and then merely travels at a
 * less exact rung than it could have.
 */
export function linkPayloadEstimate(
  map: SdrMap,
  precision: LinkPrecision,
  options: PackLinkOptions = {},
): number {
  const withEmbeddings = options.includeEmbeddings ?? true;
  const embeddings = withEmbeddings ? (map.items?.embeddings?.length ?? 0) : 0;
  // A quantised codebook of a perfectly smooth map costs next to nothing: only its embeddings
  // (float16) count towards the bound.
  if (isQuantised(precision)) return Math.floor((embeddings * 12) / 8);
  const floats = map.som.codebook.length + embeddings;
  return Math.floor((floats * (LINK_PRECISION_BITS[precision] + 2)) / 8);
}

/**
 * Unpack a share-link payload (either form) into a map and the precision it came at, or throw
 * `MapFileError` saying why not.
 */
export function unpackLink(bytes: Uint8Array, options: UnpackLinkOptions = {}): UnpackedLink {
  const cap = options.maxInflatedBytes ?? MAX_LINK_INFLATED_BYTES;
  if (!Number.isInteger(cap) || cap < 1 || cap > 512 * 1024 * 1024) {
    throw new MapFileError(`maxInflatedBytes must be an integer from 1 to 512 MiB, got ${cap}`);
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new MapFileError('the share link holds no map');
  }
  const inflated = inflateCapped(bytes, cap);
  const limits = { ...options.limits, maxBytes: cap };
  if (startsWith(inflated, MAP_MAGIC)) {
    // Legacy payload: always float16 (what packMapForLink writes).
    return { map: decodeMapFile(inflated, limits), precision: 'f16' };
  }
  if (!startsWith(inflated, LINK_MAGIC)) {
    throw new MapFileError('not an SDR Explorer map: the link does not hold "SDRMAP" or "SDRLINK"');
  }
  if (inflated.length < LINK_HEADER_BYTES) {
    throw new MapFileError('the map inside the link is truncated');
  }
  const view = new DataView(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  const version = view.getUint16(8, true);
  if (version > LINK_VERSION_QUANT) {
    throw new MapFileError(
      `this link was made by a newer SDR Explorer (link format v${version}); this version reads up to v${LINK_VERSION_QUANT}`,
    );
  }
  if (version < 1) throw new MapFileError(`the link has an unknown format version ${version}`);
  if (version === LINK_VERSION_QUANT) return unpackQuantised(inflated, view, cap, limits);
  const bits = view.getUint16(10, true);
  const precision = LINK_PRECISIONS.find((p) => LINK_PRECISION_BITS[p] === bits);
  if (precision === undefined) {
    throw new MapFileError(`the link names an unknown precision (${bits} significand bits)`);
  }
  const count = view.getUint32(12, true);
  if (count > MAX_REGIONS) {
    throw new MapFileError(`the link's region table has ${count} entries; at most ${MAX_REGIONS}`);
  }
  const head = LINK_HEADER_BYTES + REGION_BYTES * count;
  if (inflated.length < head) throw new MapFileError('the map inside the link is truncated');
  const file = inflated.slice(head);
  for (let i = 0; i < count; i++) {
    const at = LINK_HEADER_BYTES + REGION_BYTES * i;
    const offset = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    const width = view.getUint32(at + 8, true);
    if ((width !== 2 && width !== 4) || length % width !== 0 || offset + length > file.length) {
      throw new MapFileError(
        `the link's region ${i + 1} (${offset}+${length}, width ${width}) does not fit its ${file.length}-byte map`,
      );
    }
    unshuffleInto(
      inflated.subarray(head + offset, head + offset + length),
      width,
      file.subarray(offset, offset + length),
    );
  }
  return { map: decodeMapFile(file, limits), precision };
}

/** Read a v2 container (see packQuantised); every size is checked before anything is allocated. */
function unpackQuantised(
  inflated: Uint8Array,
  view: DataView,
  cap: number,
  limits: MapFileLimits,
): UnpackedLink {
  const code = view.getUint16(10, true);
  const precision = QUANT_LINK_PRECISIONS.find(
    (p) => QUANT_CODE_BASE + QUANT_LINK_STEP_BITS[p] === code,
  );
  if (precision === undefined) {
    throw new MapFileError(`the link names an unknown quantisation (code ${code})`);
  }
  const count = view.getUint32(12, true);
  if (count > MAX_REGIONS) {
    throw new MapFileError(`the link's region table has ${count} entries; at most ${MAX_REGIONS}`);
  }
  const head = LINK_HEADER_BYTES + REGION_BYTES * count;
  if (inflated.length < head + CODED_BLOCK_BYTES) {
    throw new MapFileError('the map inside the link is truncated');
  }
  const offset = view.getUint32(head, true);
  const rows = view.getUint32(head + 4, true);
  const cols = view.getUint32(head + 8, true);
  const dim = view.getUint32(head + 12, true);
  const step = view.getFloat32(head + 16, true);
  const width = view.getUint16(head + 20, true);
  const agreementField = view.getUint16(head + 22, true);
  if (
    rows < 1 ||
    rows > MAX_GRID_SIDE ||
    cols < 1 ||
    cols > MAX_GRID_SIDE ||
    dim < 1 ||
    dim > MAX_MAP_DIM ||
    (width !== 2 && width !== 4) ||
    !(step > 0) ||
    !Number.isFinite(step) ||
    (agreementField > 10000 && agreementField !== AGREEMENT_UNKNOWN)
  ) {
    throw new MapFileError(
      `the link's codebook block is invalid (${rows}×${cols}×${dim}, step ${step}, width ${width})`,
    );
  }
  const values = rows * cols * dim;
  const residualBytes = values * width;
  const bookBytes = values * 4;
  const rest = inflated.length - head - CODED_BLOCK_BYTES - residualBytes;
  if (rest < 0) throw new MapFileError('the map inside the link is truncated');
  if (offset > rest || rest + bookBytes > cap) {
    throw new MapFileError(
      `the link's codebook (${rows}×${cols}×${dim} at byte ${offset}) does not fit its ${rest}-byte map within the ${(cap / 1048576).toFixed(0)} MiB cap`,
    );
  }
  const residualsAt = head + CODED_BLOCK_BYTES;
  const codebook = decodeGridCodebook(
    inflated.subarray(residualsAt, residualsAt + residualBytes),
    rows,
    cols,
    dim,
    step,
    width,
  );
  const stripped = inflated.subarray(residualsAt + residualBytes);
  const file = new Uint8Array(rest + bookBytes);
  file.set(stripped.subarray(0, offset), 0);
  const bookView = new DataView(file.buffer, offset, bookBytes);
  for (let i = 0; i < values; i++) bookView.setFloat32(4 * i, codebook[i], true);
  file.set(stripped.subarray(offset), offset + bookBytes);
  for (let i = 0; i < count; i++) {
    const at = LINK_HEADER_BYTES + REGION_BYTES * i;
    const start = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    const w = view.getUint32(at + 8, true);
    if ((w !== 2 && w !== 4) || length % w !== 0 || start + length > file.length) {
      throw new MapFileError(
        `the link's region ${i + 1} (${start}+${length}, width ${w}) does not fit its ${file.length}-byte map`,
      );
    }
    const shuffled = file.slice(start, start + length);
    unshuffleInto(shuffled, w, file.subarray(start, start + length));
  }
  return {
    map: decodeMapFile(file, limits),
    precision,
    ...(agreementField !== AGREEMENT_UNKNOWN ? { agreement: agreementField / 10000 } : {}),
  };
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}
