import { describe, expect, it } from 'vitest';
import {
  decodePrefetchedAtlas,
  prefetchBuiltinAtlas,
  takePrefetchedAtlas,
} from './atlasPrefetch.ts';
import { BUILTIN_ATLAS_VERSIONED_ID } from './builtinAtlas.ts';
import type { SdrMap } from '../../src/index.ts';

const ATLAS_URL = `/app/atlas/${BUILTIN_ATLAS_VERSIONED_ID}.sdrmap`;

/** A fetch that records what it was asked for and answers with `bytes`. */
function recorder(bytes = new Uint8Array([1, 2, 3])) {
  const asked: string[] = [];
  return { asked, fetch: (url: string) => (asked.push(url), Promise.resolve(bytes)) };
}

describe('atlas prefetch', () => {
  it('starts the download when the address names no map or the atlas itself, and hands it over once', async () => {
    for (const search of ['', '?view=novelty', '?builtin=concepts', `?builtin=concepts@1`]) {
      const r = recorder();
      expect(prefetchBuiltinAtlas(search, '', '/app/', r.fetch)).toBe(true);
      expect(r.asked).toEqual([ATLAS_URL]);
      const taken = takePrefetchedAtlas(ATLAS_URL);
      expect(await taken?.bytes).toEqual(new Uint8Array([1, 2, 3]));
      expect(taken?.map).toBeNull();
      expect(takePrefetchedAtlas(ATLAS_URL)).toBeNull();
    }
  });

  it('downloads nothing when the address opens another map', () => {
    for (const [search, hash] of [
      ['?map=https://example.org/cats.sdrmap', ''],
      ['?library=abc', ''],
      ['?builtin=elsewhere', ''],
      ['', '#m=AAAA'],
    ]) {
      const r = recorder();
      expect(prefetchBuiltinAtlas(search, hash, '/app/', r.fetch)).toBe(false);
      expect(r.asked).toEqual([]);
      expect(takePrefetchedAtlas(ATLAS_URL)).toBeNull();
    }
  });

  it('decodes the file once it is in, when asked, and gives the map with it', async () => {
    const r = recorder(new Uint8Array([9]));
    prefetchBuiltinAtlas('', '', '/app/', r.fetch);
    const decoded: Uint8Array[] = [];
    const map = { name: 'atlas' } as SdrMap;
    const decode = (bytes: Uint8Array) => (decoded.push(bytes), Promise.resolve(map));
    decodePrefetchedAtlas(decode);
    decodePrefetchedAtlas(decode); // a second call starts nothing more
    expect(takePrefetchedAtlas('/elsewhere.sdrmap')).toBeNull();
    const taken = takePrefetchedAtlas(ATLAS_URL);
    expect(await taken?.map).toBe(map);
    expect(decoded).toEqual([new Uint8Array([9])]);
  });

  it('keeps a failed download for the caller to report, with no unhandled rejection on the way', async () => {
    prefetchBuiltinAtlas('', '', '/app/', () => Promise.reject(new Error('offline')));
    decodePrefetchedAtlas(() => Promise.reject(new Error('never called')));
    // Let the rejection settle first: it must not surface as an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const taken = takePrefetchedAtlas(ATLAS_URL);
    await expect(taken!.bytes).rejects.toThrow('offline');
    await expect(taken!.map).rejects.toThrow('offline');
  });
});
