/**
 * A map carried inside a share link: `#m=<base64url of the packed map>`.
 *
 * Packing (the map file in a link container at a chosen precision, no thumbnails, deflated) and
 * zip-bomb-safe unpacking belong to the map file room (src/io/mapLink.ts); this module turns
 * those bytes into link text and back, and holds the link to MAX_INLINE_MAP_CHARS (512 KiB of
 * text, 384 KiB packed; see urlState.ts for why). `linkFragmentFor` walks the precision ladder
 * (exact float32, 16 and 14 significand bits, float16) and takes the most exact rung that fits,
 * with the items' embeddings when they fit at all: a 12×12×512 map travels exact, a 16×16×512
 * one rounded to 16 or 14 bits (measured: no SDR changed), a 20×20×512 one only as float16
 * (marked approximate, unless its weights already were float16, as the page trains them), and
 * larger maps as a file or a `?map=` address.
 */
import { MapFileError } from '../io/errors.ts';
import {
  isApproximate,
  LINK_PRECISIONS,
  linkPayloadEstimate,
  linkRoundingIsLossless,
  packMapForLinkAt,
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
  /** True when SDRs on the linked map may differ from the original's (float16 only). */
  readonly approximate: boolean;
  /** Whether the items' embeddings travel too (false when the map has none, or they did not fit). */
  readonly withEmbeddings: boolean;
  readonly packedBytes: number;
}

/** A map read from link text, and the precision it came at. */
export interface LinkedMap {
  readonly map: SdrMap;
  readonly precision: LinkPrecision;
  readonly approximate: boolean;
}

/**
 * The link text of `map` at the most exact precision that fits, items' embeddings included
 * when they fit at all (else left out, so the map still travels). Throws InlineMapTooLargeError
 * when not even float16 without embeddings fits.
 */
export function linkFragmentFor(map: SdrMap): LinkFragment {
  const hasEmbeddings = map.items?.embeddings !== undefined;
  let smallest = Infinity;
  let bound = Infinity;
  for (const withEmbeddings of hasEmbeddings ? [true, false] : [false]) {
    for (const precision of LINK_PRECISIONS) {
      const lower = linkPayloadEstimate(map, precision, { includeEmbeddings: withEmbeddings });
      if (lower > MAX_INLINE_MAP_BYTES) {
        bound = Math.min(bound, lower);
        continue;
      }
      const packed = packMapForLinkAt(map, precision, { includeEmbeddings: withEmbeddings });
      if (base64UrlLength(packed.length) <= MAX_INLINE_MAP_CHARS) {
        const declared = linkRoundingIsLossless(map, precision, {
          includeEmbeddings: withEmbeddings,
        })
          ? 'exact'
          : precision;
        return {
          text: encodeBase64Url(packed),
          precision: declared,
          approximate: isApproximate(declared),
          withEmbeddings,
          packedBytes: packed.length,
        };
      }
      smallest = Math.min(smallest, packed.length);
    }
  }
  throw smallest < Infinity
    ? new InlineMapTooLargeError(smallest)
    : new InlineMapTooLargeError(bound, true);
}

/** One sentence for a person on how exactly a linked map reproduces the original. */
export function describeLinkPrecision(precision: LinkPrecision): string {
  switch (precision) {
    case 'exact':
      return 'exact: the weights as saved';
    case 'r16':
    case 'r14':
      return `weights rounded to ${precision === 'r16' ? 16 : 14} significant bits (in our measurements no SDR changed)`;
    case 'f16':
      return 'approximate: weights as 16-bit floats, so about 1 SDR in 200 may differ by one unit from the original';
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
  const { map, precision } = unpackLink(decodeBase64Url(text));
  return { map, precision, approximate: isApproximate(precision) };
}
