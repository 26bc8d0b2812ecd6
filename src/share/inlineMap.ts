/**
 * A map carried inside a share link: `#m=<base64url of the packed map>`.
 *
 * Packing (the map file in a link container at a chosen precision, no thumbnails, deflated) and
 * zip-bomb-safe unpacking belong to the map file room (src/io/mapLink.ts); this module turns
 * those bytes into link text and back, and holds the link to MAX_INLINE_MAP_CHARS (512 KiB of
 * text, 384 KiB packed; see urlState.ts for why). `linkFragmentFor` walks the precision ladder
 * and takes the most exact rung that fits: the float rungs (exact float32, 16 and 14
 * significand bits, float16), with the items' embeddings when they fit at all, then the
 * quantised rungs (codebook on a uniform step of RMS/256 … RMS/8, predicted over the grid)
 * without them. A 12×12×512 map travels exact, a 16×16×512 one rounded to 16 or 14 bits
 * (measured: no SDR changed), a 24×24 or 32×32×512 map with ~1,200 items quantised (measured:
 * 99.0–99.6% of held-out rows' active units kept; see the table in mapLink.ts). A quantised link
 * is offered only when its agreement, measured on the map's own items as the link is made, is
 * at least MIN_LINK_AGREEMENT; the figure travels in the link and in LinkFragment. Maps that
 * still do not fit (48×48 and up with their items) get a smaller copy from `shrinkForLink`,
 * which says in words what it changed.
 */
import { MapFileError } from '../io/errors.ts';
import { encodeBatch } from '../encode/encode.ts';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { roundTripFloat16 } from '../io/float16.ts';
import {
  isApproximate,
  isQuantised,
  LINK_PRECISION_BITS,
  LINK_PRECISIONS,
  linkPayloadEstimate,
  linkRoundingIsLossless,
  packMapForLinkAt,
  QUANT_LINK_PRECISIONS,
  QUANT_LINK_STEP_BITS,
  quantisedCodebook,
  roundSignificand,
  unpackLink,
  type LinkPrecision,
} from '../io/mapLink.ts';
import type { SdrMap } from '../io/mapModel.ts';
import {
  base64UrlLength,
  base64UrlProblem,
  decodeBase64Url,
  encodeBase64Url,
} from './base64url.ts';
import { formatBytes } from './fetchMap.ts';
import { MAX_INLINE_MAP_CHARS } from './urlState.ts';

/** Largest packed map a link carries, in bytes (384 KiB). */
export const MAX_INLINE_MAP_BYTES = (MAX_INLINE_MAP_CHARS / 4) * 3;

/** The map is too large to travel inside a link; the message says how large and what to do. */
export class InlineMapTooLargeError extends Error {
  override readonly name = 'InlineMapTooLargeError';
  /**
   * @param packedBytes the smallest packed size found (or its lower bound when `atLeast`, for
   *   maps so large that packing them was not worth trying).
   */
  constructor(
    readonly packedBytes: number,
    readonly atLeast = false,
  ) {
    super(
      `this map is ${atLeast ? 'at least ' : ''}${formatBytes(packedBytes)} packed; a link carries at most ${formatBytes(MAX_INLINE_MAP_BYTES)}: share the .sdrmap file or its web address instead`,
    );
  }
}

/** A map as link text, and how it travels. */
export interface LinkFragment {
  /** The `m` value of the fragment (`#m=<text>`), i.e. an inline map source's `data`. */
  readonly text: string;
  readonly precision: LinkPrecision;
  /** True when SDRs on the linked map may differ from the original's (float16 and quantised). */
  readonly approximate: boolean;
  /** Whether the items' embeddings travel too (false when the map has none, or they did not fit). */
  readonly withEmbeddings: boolean;
  readonly packedBytes: number;
  /**
   * Share of active units (0–1) that SDRs on the linked map keep of the original's, measured
   * when the link is made on `agreementProbes`; 1 for a link whose weights are exact.
   */
  readonly agreement: number;
  /**
   * What agreement was measured on: the map's own item embeddings ('items', up to
   * AGREEMENT_PROBES of them), its units' weight vectors ('units', when it carries no
   * embeddings), or nothing ('none': the weights travel exact).
   */
  readonly agreementProbes: 'items' | 'units' | 'none';
}

/** A map read from link text, and the precision it came at. */
export interface LinkedMap {
  readonly map: SdrMap;
  readonly precision: LinkPrecision;
  readonly approximate: boolean;
  /** For a quantised link, the agreement its sender measured (see LinkFragment); else undefined. */
  readonly agreement?: number;
}

/**
 * Least share of active units a quantised link must keep on its probes (the map's own items)
 * to be offered. Held-out rows agreed 0–1.6 points less than training rows in the measurements
 * (mapLink.ts), so 0.98 on the map's items keeps new inputs at ≥ 0.95.
 */
export const MIN_LINK_AGREEMENT = 0.98;

/** Most probe rows an agreement measurement encodes (evenly spread over the items or units). */
export const AGREEMENT_PROBES = 300;

/**
 * Share of active units that SDRs on `codebook` (a linked copy of `map`'s) keep of those on
 * `map`: probes are the map's item embeddings, else its units' weight vectors, at most
 * AGREEMENT_PROBES evenly spread; K is the items' K, else the calibration's, else 2% of the
 * units (at least 1).
 */
export function measureLinkAgreement(
  map: SdrMap,
  codebook: Float32Array,
): { agreement: number; probes: 'items' | 'units' } {
  const { grid, dim } = map.som;
  const m = gridSize(grid);
  // A map whose items are all left out still has an (empty) embeddings list: probe its units.
  const embeddings = map.items?.embeddings?.length ? map.items.embeddings : undefined;
  const source = embeddings ?? map.som.codebook;
  const rows = source.length / dim;
  const count = Math.min(rows, AGREEMENT_PROBES);
  const probes = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const r = Math.floor((i * rows) / count);
    probes.set(source.subarray(r * dim, (r + 1) * dim), i * dim);
  }
  const k = Math.min(m, map.items?.k ?? map.calibration?.k ?? Math.max(1, Math.round(m * 0.02)));
  const a = encodeBatch(map.som, probes, count, { k }).active;
  const b = encodeBatch({ grid, dim, codebook }, probes, count, { k }).active;
  let kept = 0;
  for (let i = 0; i < count; i++) {
    const row = new Set(a.subarray(i * k, (i + 1) * k));
    for (let j = i * k; j < (i + 1) * k; j++) if (row.has(b[j])) kept++;
  }
  return { agreement: count > 0 ? kept / (count * k) : 1, probes: embeddings ? 'items' : 'units' };
}

/** The codebook a receiver of `map` at a lossy `precision` gets (what agreement is measured on). */
function linkedCodebook(map: SdrMap, precision: LinkPrecision): Float32Array {
  if (isQuantised(precision)) return quantisedCodebook(map, precision);
  if (precision === 'f16') return roundTripFloat16(map.som.codebook.slice());
  if (precision === 'exact') return map.som.codebook;
  return roundSignificand(map.som.codebook, LINK_PRECISION_BITS[precision]);
}

/**
 * The link text of `map` at the most exact precision that fits, items' embeddings included
 * when they fit at all (else left out, so the map still travels): first the float rungs (exact,
 * 16 and 14 significand bits, float16), then the quantised rungs (q8 … q3, without embeddings),
 * the finest that fits, and only when its measured agreement is at least MIN_LINK_AGREEMENT.
 * Throws InlineMapTooLargeError when none does; `shrinkForLink` offers a smaller copy then.
 */
export function linkFragmentFor(map: SdrMap): LinkFragment {
  const hasEmbeddings = map.items?.embeddings !== undefined;
  let smallest = Infinity;
  let bound = Infinity;
  const result = (
    packed: Uint8Array,
    precision: LinkPrecision,
    withEmbeddings: boolean,
    agreement: { agreement: number; probes: 'items' | 'units' } | null,
  ): LinkFragment => ({
    text: encodeBase64Url(packed),
    precision,
    approximate: isApproximate(precision),
    withEmbeddings,
    packedBytes: packed.length,
    agreement: agreement?.agreement ?? 1,
    agreementProbes: agreement?.probes ?? 'none',
  });
  for (const withEmbeddings of hasEmbeddings ? [true, false] : [false]) {
    for (const precision of LINK_PRECISIONS) {
      const lower = linkPayloadEstimate(map, precision, { includeEmbeddings: withEmbeddings });
      if (lower > MAX_INLINE_MAP_BYTES) {
        bound = Math.min(bound, lower);
        continue;
      }
      const packed = packMapForLinkAt(map, precision, { includeEmbeddings: withEmbeddings });
      if (base64UrlLength(packed.length) <= MAX_INLINE_MAP_CHARS) {
        const lossless = linkRoundingIsLossless(map, precision, {
          includeEmbeddings: withEmbeddings,
        });
        const declared = lossless ? 'exact' : precision;
        return result(
          packed,
          declared,
          withEmbeddings,
          lossless ? null : measureLinkAgreement(map, linkedCodebook(map, precision)),
        );
      }
      smallest = Math.min(smallest, packed.length);
    }
  }
  // The quantised rungs, without embeddings (a receiver re-placing items on a quantised map
  // would get SDRs other than the ones carried). The coarsest goes first: when it does not fit,
  // none does. Each halving of the step costs at least ~0.25 bit per weight (0.5–1 measured),
  // which skips rungs that cannot fit without packing them.
  const bare = { includeEmbeddings: false };
  const rungs = QUANT_LINK_PRECISIONS;
  const coarsest = rungs[rungs.length - 1];
  const coarsestPacked = packMapForLinkAt(map, coarsest, bare);
  if (base64UrlLength(coarsestPacked.length) > MAX_INLINE_MAP_CHARS) {
    smallest = Math.min(smallest, coarsestPacked.length);
    throw new InlineMapTooLargeError(smallest);
  }
  const weights = map.som.codebook.length;
  for (const precision of rungs) {
    const halvings = QUANT_LINK_STEP_BITS[precision] - QUANT_LINK_STEP_BITS[coarsest];
    if (coarsestPacked.length + (halvings * weights * 0.25) / 8 > MAX_INLINE_MAP_BYTES) continue;
    const packed = precision === coarsest ? coarsestPacked : packMapForLinkAt(map, precision, bare);
    if (base64UrlLength(packed.length) > MAX_INLINE_MAP_CHARS) {
      smallest = Math.min(smallest, packed.length);
      continue;
    }
    const measured = measureLinkAgreement(map, quantisedCodebook(map, precision));
    // Coarser rungs only agree less: the map needs more room than a link has.
    if (measured.agreement < MIN_LINK_AGREEMENT) break;
    // Packed again to record the agreement in the link, for the receiver to show.
    const recorded = packMapForLinkAt(map, precision, { ...bare, agreement: measured.agreement });
    return result(recorded, precision, false, measured);
  }
  throw smallest < Infinity
    ? new InlineMapTooLargeError(smallest)
    : new InlineMapTooLargeError(bound, true);
}

/**
 * One sentence for a person on how exactly a linked map reproduces the original; `agreement`
 * (0–1, as LinkFragment and LinkedMap give it) makes a quantised link's sentence exact.
 */
export function describeLinkPrecision(precision: LinkPrecision, agreement?: number): string {
  switch (precision) {
    case 'exact':
      return 'exact: the weights as saved';
    case 'r16':
    case 'r14':
      return `weights rounded to ${precision === 'r16' ? 16 : 14} significant bits (in our measurements no SDR changed)`;
    case 'f16':
      return 'approximate: weights as 16-bit floats, so about 1 SDR in 200 may differ by one unit from the original';
    default: {
      const share =
        agreement !== undefined
          ? `${(agreement * 100).toFixed(1)}% of their active units (measured on this map)`
          : 'at least 95% of their active units';
      return `approximate: weights stored in steps of 1/${2 ** QUANT_LINK_STEP_BITS[precision]} of their typical size, so SDRs of new inputs keep ${share} of the full map's; the items' own SDRs travel unchanged`;
    }
  }
}

/**
 * The link text of `map` (see linkFragmentFor): the `m` value of the fragment (`#m=<text>`), i.e.
 * the `data` of a `{ kind: 'inline' }` map source. Throws InlineMapTooLargeError when it would
 * not fit.
 */
export function mapToLinkFragment(map: SdrMap): string {
  return linkFragmentFor(map).text;
}

/**
 * The map inside a link, from its `m` text (as parseShareState returns it). Throws
 * MapFileError, with one line a person can read, for any text that is not a whole, valid map:
 * wrong characters, over the size cap (checked before decoding), damaged or truncated
 * compression, or a map file that fails its own checks.
 */
export function mapFromLinkFragment(text: string): SdrMap {
  return readLinkFragment(text).map;
}

/** The map inside a link and its precision; throws MapFileError as mapFromLinkFragment does. */
export function readLinkFragment(text: string): LinkedMap {
  if (typeof text !== 'string' || text.length === 0) {
    throw new MapFileError('the share link holds no map');
  }
  const problem = base64UrlProblem(text, MAX_INLINE_MAP_CHARS);
  if (problem !== null) throw new MapFileError(`the map inside the link is damaged: ${problem}`);
  const { map, precision, agreement } = unpackLink(decodeBase64Url(text));
  return {
    map,
    precision,
    approximate: isApproximate(precision),
    ...(agreement !== undefined ? { agreement } : {}),
  };
}

/** Longest label a shrunk copy keeps, in characters (longer ones are cut, with "…"). */
export const SHRINK_LABEL_CHARS = 40;

/** A smaller copy of a map that fits a link, and what it changes, in words for a person. */
export interface ShrunkMap {
  readonly map: SdrMap;
  /** One sentence per change, in the order made (empty when `map` already fits). */
  readonly changes: readonly string[];
  /** The copy's link (linkFragmentFor of `map`), so the caller need not pack it again. */
  readonly fragment: LinkFragment;
}

function fits(map: SdrMap): LinkFragment | null {
  try {
    return linkFragmentFor(map);
  } catch (e) {
    if (e instanceof InlineMapTooLargeError) return null;
    throw e;
  }
}

function cut(label: string): string {
  return label.length > SHRINK_LABEL_CHARS ? `${label.slice(0, SHRINK_LABEL_CHARS - 1)}…` : label;
}

/** The map with only its first `n` items (their SDRs, labels and embeddings as they are). */
function firstItems(map: SdrMap, n: number): SdrMap {
  const items = map.items;
  if (!items) return map;
  const { dim } = map.som;
  const { thumbnails: _thumbnails, ...rest } = items;
  return {
    ...map,
    items: {
      ...rest,
      labels: items.labels.slice(0, n),
      sdrs: items.sdrs.slice(0, n * items.k),
      ...(items.embeddings ? { embeddings: items.embeddings.slice(0, n * dim) } : {}),
    },
  };
}

/**
 * The map on a grid of half the rows and columns: each unit the mean of a 2×2 block (a last odd
 * row or column averages what it has). Items are placed again when their embeddings travel
 * (K scaled with the units), else left out; calibration and unit labels belong to the old grid
 * and are left out.
 */
function halvedGrid(map: SdrMap): SdrMap {
  const { grid, dim, codebook } = map.som;
  const rows = Math.ceil(grid.rows / 2);
  const cols = Math.ceil(grid.cols / 2);
  const small = makeGrid(rows, cols, grid.topology);
  const out = new Float32Array(rows * cols * dim);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const target = (r * cols + c) * dim;
      let count = 0;
      for (let dr = 0; dr < 2; dr++) {
        for (let dc = 0; dc < 2; dc++) {
          const rr = 2 * r + dr;
          const cc = 2 * c + dc;
          if (rr >= grid.rows || cc >= grid.cols) continue;
          count++;
          const source = (rr * grid.cols + cc) * dim;
          for (let k = 0; k < dim; k++) out[target + k] += codebook[source + k];
        }
      }
      for (let k = 0; k < dim; k++) out[target + k] /= count;
    }
  }
  const som = { grid: small, dim, codebook: out };
  const items = map.items;
  const { unitLabels: _unitLabels, items: _items, ...rest } = map;
  let newItems: SdrMap['items'];
  if (items?.embeddings) {
    const n = items.labels.length;
    const k = Math.max(
      1,
      Math.min(rows * cols, Math.round((items.k * rows * cols) / gridSize(grid))),
    );
    const sdrs = encodeBatch(som, items.embeddings, n, { k }).active;
    newItems = { labels: items.labels, k, sdrs, embeddings: items.embeddings };
  }
  return {
    ...rest,
    som,
    training: { ...map.training, grid: small },
    calibration: null,
    ...(newItems ? { items: newItems } : {}),
  };
}

/**
 * A copy of `map` small enough for a link, for when linkFragmentFor refuses it, and what the
 * copy changes (one sentence each, for the person to read before sharing). Changes, each only
 * when still needed, in this order: item and unit labels cut to SHRINK_LABEL_CHARS characters;
 * unit labels left out; the first N items kept (the most that fit); then, when not even the
 * bare codebook fits, the grid halved (2×2 units averaged) until it does, with items placed
 * again on the smaller grid when their embeddings travel (their SDRs then differ from the
 * original's) and left out otherwise. Throws InlineMapTooLargeError if even a 1×1 grid would
 * not fit (only with thousands of dimensions).
 */
export function shrinkForLink(map: SdrMap): ShrunkMap {
  const changes: string[] = [];
  let current = map;
  let fragment = fits(current);
  if (fragment) return { map: current, changes, fragment };

  const items = current.items;
  const longItem = items ? items.labels.filter((l) => l.length > SHRINK_LABEL_CHARS).length : 0;
  const longUnit = (current.unitLabels ?? []).filter((l) => l.length > SHRINK_LABEL_CHARS).length;
  if (longItem + longUnit > 0) {
    current = {
      ...current,
      ...(current.unitLabels ? { unitLabels: current.unitLabels.map(cut) } : {}),
      ...(items ? { items: { ...items, labels: items.labels.map(cut) } } : {}),
    };
    changes.push(
      `cuts ${(longItem + longUnit).toLocaleString('en')} label${longItem + longUnit === 1 ? '' : 's'} to ${SHRINK_LABEL_CHARS} characters`,
    );
    if ((fragment = fits(current))) return { map: current, changes, fragment };
  }
  if (current.unitLabels) {
    const { unitLabels: _unitLabels, ...rest } = current;
    current = rest;
    changes.push('leaves out the unit labels (the receiver sees an unlabelled map)');
    if ((fragment = fits(current))) return { map: current, changes, fragment };
  }
  const total = current.items?.labels.length ?? 0;
  if (total > 0) {
    const none = firstItems(current, 0);
    const bare = fits(none);
    if (bare) {
      // Items cost about the same each: estimate how many fit from all and none, then step down.
      const all = linkBytesOrBound(current);
      const perItem = Math.max(1, (all - bare.packedBytes) / total);
      let n = Math.min(total - 1, Math.floor((MAX_INLINE_MAP_BYTES - bare.packedBytes) / perItem));
      let found: LinkFragment | null = null;
      // A few steps of 10% at most: when fewer items still do not fit, the quantised rung that
      // fits is too coarse for this map, and only a smaller grid helps.
      for (let tries = 0; n > 0 && tries < 8 && !(found = fits(firstItems(current, n))); tries++) {
        n = Math.floor(n * 0.9);
      }
      if (!found) n = 0;
      current = firstItems(current, Math.max(n, 0));
      fragment = found ?? bare;
      changes.push(
        n > 0
          ? `keeps the first ${n.toLocaleString('en')} of ${total.toLocaleString('en')} items (the rest do not fit)`
          : `leaves out all ${total.toLocaleString('en')} items (the map alone just fits)`,
      );
      return { map: current, changes, fragment };
    }
  }
  while (gridSize(current.som.grid) > 1) {
    const hadItems = (current.items?.labels.length ?? 0) > 0;
    const placed = current.items?.embeddings !== undefined;
    current = halvedGrid(current);
    const g = current.som.grid;
    changes.push(
      `halves the grid to ${g.rows}×${g.cols} (each unit the mean of 2×2 units)${
        hadItems
          ? placed
            ? ', so every item is placed again and its SDR differs from the original'
            : ', leaving out the items (without their embeddings they cannot be placed again)'
          : ''
      }`,
    );
    if ((fragment = fits(current))) return { map: current, changes, fragment };
    // Items (placed again) may still be too many for the smaller map's link.
    const shrunk = current.items ? shrinkForLink(current) : null;
    if (shrunk)
      return {
        map: shrunk.map,
        changes: [...changes, ...shrunk.changes],
        fragment: shrunk.fragment,
      };
  }
  throw new InlineMapTooLargeError(linkBytesOrBound(current));
}

/** The packed size linkFragmentFor found for `map` (or its bound). */
function linkBytesOrBound(map: SdrMap): number {
  try {
    return linkFragmentFor(map).packedBytes;
  } catch (e) {
    if (e instanceof InlineMapTooLargeError) return e.packedBytes;
    throw e;
  }
}
