/**
 * The built-in atlas's download, started by the page's first script (app/boot.ts) before the
 * rest of the page has even arrived, when the address will open the atlas: it names no map (a
 * first visit opens on the atlas) or names the atlas itself. The page's main script then has it
 * decoded off the main thread as soon as it is in (decodePrefetchedAtlas, app/main.tsx), while
 * the page restores the last session, and the store's openBuiltinMap takes the decoded map from
 * here instead of fetching and decoding its own.
 *
 * When the last session comes back with a map of its own instead, none of this is used; the
 * browser's HTTP cache usually answers the request without a transfer.
 */
import { fetchMapBytes, parseShareState, type SdrMap } from '../../src/share/boot.ts';
import { BUILTIN_ATLAS_ID, isBuiltinAtlasId, resolveBuiltinId } from './builtinAtlas.ts';

/** The atlas's file on its way, and its map once decoding has been asked for. */
export interface PrefetchedAtlas {
  readonly bytes: Promise<Uint8Array>;
  /** The decoded map, or null when nobody asked for decoding before the file was taken. */
  readonly map: Promise<SdrMap> | null;
}

let prefetched: { url: string; bytes: Promise<Uint8Array>; map: Promise<SdrMap> | null } | null =
  null;

/** Nobody may ever ask (the last session came back): a failure here is not yet the page's. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Start downloading the atlas when the address (`search`, `hash`) will open it; `base` is the
 * app's base URL. Returns whether it started. `fetchBytes` (default: fetchMapBytes) is for tests.
 */
export function prefetchBuiltinAtlas(
  search: string,
  hash: string,
  base: string,
  // Low priority: the page's code, requested at the same moment, comes first (on a busy
  // machine the two shared one server's time, and the code is what the first picture waits on).
  fetchBytes: (url: string) => Promise<Uint8Array> = (url) =>
    fetchMapBytes(url, { priority: 'low' }),
): boolean {
  const source = parseShareState(search, hash).state.mapSource;
  if (source !== null && !(source.kind === 'builtin' && isBuiltinAtlasId(source.id))) return false;
  const ref = resolveBuiltinId(source?.id ?? BUILTIN_ATLAS_ID, base);
  if (!ref) return false;
  prefetched = { url: ref.url, bytes: quiet(fetchBytes(ref.url)), map: null };
  return true;
}

/** Decode the prefetched file with `decode` as soon as it is in (once; nothing when none). */
export function decodePrefetchedAtlas(decode: (bytes: Uint8Array) => Promise<SdrMap>): void {
  if (!prefetched || prefetched.map) return;
  prefetched.map = quiet(prefetched.bytes.then(decode));
}

/**
 * The atlas at `url` as prefetched, handed over once (a second call, or another address, gets
 * null: the caller fetches for itself, so a retry after a failure really tries again).
 */
export function takePrefetchedAtlas(url: string): PrefetchedAtlas | null {
  if (!prefetched || prefetched.url !== url) return null;
  const { bytes, map } = prefetched;
  prefetched = null;
  return { bytes, map };
}
