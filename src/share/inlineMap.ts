/**
 * A map carried inside a share link: `#m=<base64url of the packed map>`.
 *
 * Packing (compact `.sdrmap`, float16 codebook, no embeddings or thumbnails, deflated) and
 * zip-bomb-safe unpacking belong to the map file room (src/io/mapLink.ts); this module turns
 * those bytes into link text and back, and holds the link to MAX_INLINE_MAP_CHARS (64 KiB of
 * text, 48 KiB packed; see urlState.ts for why). Float16 weights barely compress, so at 512
 * dimensions only small grids fit (measured with random unit rows: 7×7 packs to 46.7 KB and
 * fits, 8×8 to 60.9 KB and does not; 16×16 at 64 dimensions fits); larger maps travel as a
 * file or a `?map=` address.
 */
import { MapFileError } from '../io/errors.ts';
import { packMapForLink, unpackMapFromLink } from '../io/mapLink.ts';
import type { SdrMap } from '../io/mapModel.ts';
import {
  base64UrlLength,
  base64UrlProblem,
  decodeBase64Url,
  encodeBase64Url,
} from './base64url.ts';
import { formatBytes } from './fetchMap.ts';
import { MAX_INLINE_MAP_CHARS } from './urlState.ts';

/** Largest packed map a link carries, in bytes (48 KiB). */
export const MAX_INLINE_MAP_BYTES = (MAX_INLINE_MAP_CHARS / 4) * 3;

/** The map is too large to travel inside a link; the message says how large and what to do. */
export class InlineMapTooLargeError extends Error {
  override readonly name = 'InlineMapTooLargeError';
  constructor(readonly packedBytes: number) {
    super(
      `this map is ${formatBytes(packedBytes)} packed; a link carries at most ${formatBytes(MAX_INLINE_MAP_BYTES)}: share the .sdrmap file or its web address instead`,
    );
  }
}

/**
 * The link text of `map`: the `m` value of the fragment (`#m=<text>`), i.e. the `data` of a
 * `{ kind: 'inline' }` map source. Throws InlineMapTooLargeError when it would not fit.
 */
export function mapToLinkFragment(map: SdrMap): string {
  const packed = packMapForLink(map);
  if (base64UrlLength(packed.length) > MAX_INLINE_MAP_CHARS) {
    throw new InlineMapTooLargeError(packed.length);
  }
  return encodeBase64Url(packed);
}

/**
 * The map inside a link, from its `m` text (as parseShareState returns it). Throws
 * MapFileError, with one line a person can read, for any text that is not a whole, valid map:
 * wrong characters, over the size cap (checked before decoding), damaged or truncated
 * compression, or a map file that fails its own checks.
 */
export function mapFromLinkFragment(text: string): SdrMap {
  if (typeof text !== 'string' || text.length === 0) {
    throw new MapFileError('the share link holds no map');
  }
  const problem = base64UrlProblem(text, MAX_INLINE_MAP_CHARS);
  if (problem !== null) throw new MapFileError(`the map inside the link is damaged: ${problem}`);
  return unpackMapFromLink(decodeBase64Url(text));
}
