/**
 * The compact map payload for share links: the `.sdrmap` bytes with a float16 codebook and
 * without item embeddings and thumbnails, deflated (raw DEFLATE, fflate level 9). The share room
 * turns these bytes into URL text; this module only packs and unpacks them.
 *
 * Unpacking is zip-bomb safe: DEFLATE can expand up to 1032:1, so a 200 KB link could claim
 * 200 MB. Inflation runs as a stream fed in slices and stops as soon as the running output total
 * passes the cap, having allocated at most about one slice's worth (≤ 1 MiB) beyond it.
 *
 * The cap, 16 MiB: Chrome refuses URLs over 2 MiB, so a link carries at most ~1.5 MiB of deflated
 * bytes after base64url. Float16 weights barely compress (deflate gets a 32×32×512 float16 map only to 0.92×)
 * and labels/SDR indices about 3–4×, so no map that fits in a URL inflates to more than ~6 MiB;
 * 16 MiB leaves room for unusually compressible maps while holding a bomb to 16 MiB of memory.
 */
import { deflateSync, Inflate } from 'fflate';
import { MapFileError } from './errors.ts';
import { decodeMapFile, encodeMapFile, type MapFileLimits } from './mapFile.ts';
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
  const cap = options.maxInflatedBytes ?? MAX_LINK_INFLATED_BYTES;
  if (!Number.isInteger(cap) || cap < 1 || cap > 512 * 1024 * 1024) {
    throw new MapFileError(`maxInflatedBytes must be an integer from 1 to 512 MiB, got ${cap}`);
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new MapFileError('the share link holds no map');
  }
  return decodeMapFile(inflateCapped(bytes, cap), { ...options.limits, maxBytes: cap });
}
