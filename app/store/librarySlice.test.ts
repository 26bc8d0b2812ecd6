import 'fake-indexeddb/auto';
// mapSlice before the store, as mapSlice.test.ts does: the two import each other.
import { setMapDeps, type MapDeps } from './mapSlice.ts';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAppStore, useAppStore, type AppState } from './index.ts';
import { setLibraryDeps, type LibraryDeps } from './librarySlice.ts';
import { openMapsDb } from '../db/maps.ts';
import type { DataItem } from './dataSlice.ts';
import { encodeRows } from '../../src/index.ts';
import { encodeMapFile, mapChecksum } from '../../src/io/mapFile.ts';
import {
  makeGrid,
  type SdrMap,
  FetchMapError,
  type fetchMapBytes,
  mapFromLinkFragment,
  parseShareState,
  syntheticClusters,
  createRng,
} from '../../src/index.ts';

const D = 12;
const inThread: MapDeps = {
  encode: async (map, data, n, k) => encodeRows(map, data, n, k),
  encodeDataset: async (map, data, n, k) => encodeRows(map, data, n, k),
  train: () => Promise.reject(new Error('no training in these tests')),
  labelUnits: async () => [],
  warmTraining: async () => undefined,
};

function mapOf(rows: number, cols: number, dim = D, name = 'test map'): SdrMap {
  const grid = makeGrid(rows, cols);
  const codebook = new Float32Array(rows * cols * dim);
  for (let i = 0; i < codebook.length; i++) codebook[i] = Math.sin(i * 0.37 + 1) * 0.3;
  return {
    name,
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: { grid, dim, codebook },
    training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 1 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
  };
}

function setDataset(n: number, seed = 1): void {
  const { data } = syntheticClusters({ n, d: D, clusters: 3, seed });
  const items: DataItem[] = Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    seq: i + 1,
    kind: 'imported',
    label: i === 0 ? '<img src=x onerror=alert(1)>' : `item ${i}`,
    source: 'test',
    modelId: 'imported',
  }));
  useAppStore.setState({ items, embeddings: data, embeddingDim: D });
}

const state = (): AppState => useAppStore.getState();
const lastNotice = () => state().notices.at(-1);

/** Wait until the dataset's encoding on the current map is ready. */
async function encoded(): Promise<void> {
  await vi.waitFor(() => expect(state().encodingStatus).toBe('ready'));
}

let dbName = 0;
let fetchBytes: ReturnType<typeof vi.fn<typeof fetchMapBytes>>;
function freshLibrary(name = `library-test-${++dbName}`): string {
  fetchBytes = vi.fn<typeof fetchMapBytes>();
  const deps: LibraryDeps = {
    openDb: () => openMapsDb(name),
    fetchBytes,
    newId: (() => {
      let i = 0;
      return () => `map-${++i}`;
    })(),
    now: () => new Date('2025-05-01T12:00:00Z'),
  };
  setLibraryDeps(deps);
  return name;
}

beforeAll(async () => {
  // The dataset database is read once per store; afterwards tests set the dataset directly.
  await useAppStore.getState().loadData();
});
beforeEach(() => {
  resetAppStore();
  useAppStore.setState({ dataStatus: 'ready' });
  setMapDeps(inThread);
  freshLibrary();
});
afterEach(() => vi.restoreAllMocks());

describe('the library', () => {
  it('saves the current map with its items, and a reopened save gives identical SDRs', async () => {
    const name = freshLibrary();
    setDataset(9);
    state().setMap(mapOf(6, 6), { kind: 'trained' });
    state().setK(5);
    await encoded();
    const before = state().encoding!.active.slice();

    const saved = await state().saveCurrentMap('  my map ', { embeddings: true });
    expect(saved).toMatchObject({ name: 'my map', itemCount: 9, withEmbeddings: true });
    expect(lastNotice()?.text).toMatch(/^Saved "my map" \(\d+ KiB\) in this browser's library\.$/);

    // "Reload": a fresh store state and library handle on the same database.
    resetAppStore();
    useAppStore.setState({ dataStatus: 'ready' });
    freshLibrary(name);
    setDataset(9);
    await state().loadLibrary();
    expect(state().savedMaps.map((m) => m.name)).toEqual(['my map']);
    expect(await state().openSavedMap('map-1')).toBe(true);
    expect(state().map?.name).toBe('my map');
    expect(state().mapSource).toEqual({ kind: 'library', id: 'map-1' });
    state().setK(5);
    await encoded();
    expect(Array.from(state().encoding!.active)).toEqual(Array.from(before));
    // The stored items hold the same SDRs, labels (as plain text) and exact embeddings.
    const items = state().map!.items!;
    expect(Array.from(items.sdrs)).toEqual(Array.from(before));
    expect(items.labels[0]).toBe('<img src=x onerror=alert(1)>');
    expect(Array.from(items.embeddings!)).toEqual(Array.from(state().embeddings));
  });

  it('renames and deletes saved maps', async () => {
    state().setMap(mapOf(4, 4), { kind: 'trained' });
    await state().saveCurrentMap('first');
    await state().saveCurrentMap('second');
    expect(await state().renameSavedMap('map-1', 'renamed')).toBe(true);
    expect(
      state()
        .savedMaps.map((m) => m.name)
        .sort(),
    ).toEqual(['renamed', 'second']);
    expect(await state().deleteSavedMap('map-2')).toBe(true);
    expect(state().savedMaps.map((m) => m.name)).toEqual(['renamed']);
    expect(await state().openSavedMap('map-2')).toBe(false);
    expect(lastNotice()?.text).toMatch(/not in this browser's library/);
  });

  it('a full disk gives a clear message and loses nothing', async () => {
    const map = mapOf(4, 4);
    state().setMap(map, { kind: 'trained' });
    await state().saveCurrentMap('kept');
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'files') {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return realPut.apply(this, args);
    });
    expect(await state().saveCurrentMap('too much')).toBeNull();
    expect(lastNotice()).toMatchObject({ kind: 'error' });
    expect(lastNotice()?.text).toMatch(
      /storage is full, so the map "too much" could not be saved\. Nothing was changed/,
    );
    vi.restoreAllMocks();
    await state().loadLibrary();
    expect(state().savedMaps.map((m) => m.name)).toEqual(['kept']);
    expect(state().map).toBe(map);
  });
});

describe('opening maps from outside', () => {
  function corruptions(): Array<[string, Uint8Array, RegExp]> {
    const good = encodeMapFile(mapOf(3, 3), { codebookDtype: 'f32' });
    const edit = (change: (v: DataView, b: Uint8Array) => void, fixCrc = false) => {
      const b = good.slice();
      const v = new DataView(b.buffer);
      change(v, b);
      if (fixCrc) v.setUint32(20, mapChecksum(b), true);
      return b;
    };
    const codebookAt = good.length - 3 * 3 * D * 4; // the codebook is the last section
    return [
      ['truncated', good.subarray(0, good.length - 40), /truncated/],
      ['newer', edit((v) => v.setUint16(8, 9, true)), /newer SDR Explorer \(format v9\)/],
      ['NaN', edit((v) => v.setFloat32(codebookAt, NaN, true), true), /must be finite/],
      ['absurd size', edit((v) => v.setUint32(16, 0xfffffff0, true)), /the limit is 512 MiB/],
      ['not a map', new TextEncoder().encode('<html>hello</html>'), /not an SDR Explorer map/i],
      ['damaged', edit((_, b) => (b[100] ^= 0xff)), /damaged map file/i],
    ];
  }

  it('refuses truncated, corrupt, newer, NaN and absurd-size files, keeping map and data', async () => {
    setDataset(5);
    const map = mapOf(4, 4);
    state().setMap(map, { kind: 'trained' });
    const items = state().items;
    for (const [label, bytes, reason] of corruptions()) {
      const file = new File([bytes as Uint8Array<ArrayBuffer>], `${label}.sdrmap`);
      expect(await state().openMapFile(file), label).toBe(false);
      expect(lastNotice()?.kind, label).toBe('error');
      expect(lastNotice()?.text, label).toMatch(reason);
      expect(lastNotice()?.text, label).toMatch(/Your current map and data are unchanged\.$/);
      expect(state().map).toBe(map);
      expect(state().items).toBe(items);
    }
  });

  it('opens a good file and names it as the source', async () => {
    const bytes = encodeMapFile(mapOf(5, 5, D, 'from disk'));
    const file = new File([bytes as Uint8Array<ArrayBuffer>], 'disk.sdrmap');
    expect(await state().openMapFile(file)).toBe(true);
    expect(state().map?.name).toBe('from disk');
    expect(state().mapSource).toEqual({ kind: 'file', name: 'disk.sdrmap' });
    expect(lastNotice()?.text).toMatch(/^Opened the file disk\.sdrmap: 5×5 rect/);
  });

  it('refuses javascript: and data: addresses without fetching them', async () => {
    for (const url of ['javascript:alert(1)', 'data:application/octet-stream;base64,AAAA']) {
      expect(await state().openMapUrl(url)).toBe(false);
      expect(lastNotice()?.text).toMatch(/^Refused the map address: (javascript|data): addresses/);
    }
    expect(fetchBytes).not.toHaveBeenCalled();
  });

  it('says in words why a download failed, and keeps the current map', async () => {
    const map = mapOf(4, 4);
    state().setMap(map, { kind: 'trained' });
    const failures = [
      new FetchMapError('that address returned a web page, not a map file', 'html'),
      new FetchMapError('could not download the map: the server at x answered 404', 'http', 404),
      new FetchMapError('the address on x redirects in a loop (or too many times)', 'network'),
      new FetchMapError('the map file is larger than 64 MiB', 'too-large'),
    ];
    for (const failure of failures) {
      fetchBytes.mockRejectedValueOnce(failure);
      expect(await state().openMapUrl('https://maps.example/m.sdrmap')).toBe(false);
      expect(lastNotice()?.text).toContain(failure.message.slice(1));
      expect(state().map).toBe(map);
      expect(state().mapDownload).toBeNull();
    }
  });

  it('downloads with progress and opens the map', async () => {
    const bytes = encodeMapFile(mapOf(4, 4, D, 'remote'));
    const seen: Array<number | null> = [];
    const unsubscribe = useAppStore.subscribe((s) => {
      if (s.mapDownload && s.mapDownload.loaded !== seen.at(-1)) seen.push(s.mapDownload.loaded);
    });
    fetchBytes.mockImplementationOnce(async (_url, options) => {
      options?.onProgress?.(0, bytes.length);
      options?.onProgress?.(bytes.length >> 1, bytes.length);
      options?.onProgress?.(bytes.length, bytes.length);
      return bytes;
    });
    expect(await state().openMapUrl('https://maps.example/remote.sdrmap')).toBe(true);
    unsubscribe();
    expect(seen).toEqual([0, bytes.length >> 1, bytes.length]);
    expect(state().mapSource).toEqual({ kind: 'url', url: 'https://maps.example/remote.sdrmap' });
    expect(state().mapDownload).toBeNull();
  });
});

describe('share links', () => {
  it('a library map travels inside the link, with its items, and comes back whole', async () => {
    setDataset(6);
    state().setMap(mapOf(5, 5), { kind: 'trained' });
    await encoded();
    state().setSelectedItems(['id4', 'id1']);
    state().setView('compare');
    const link = await state().makeShareLink({ base: 'https://sdr.example/app/?old=1#x' });
    expect(link.url).toMatch(/^https:\/\/sdr\.example\/app\/\?view=compare&items=4,1&k=2#m=/);
    expect(link.inline).toMatchObject({ precision: 'exact', approximate: false });
    expect(link.note).toMatch(/travels inside the link/);
    const url = new URL(link.url!);
    const parsed = parseShareState(url.search, url.hash);
    expect(parsed.warnings).toEqual([]);
    if (parsed.state.mapSource?.kind !== 'inline') throw new Error('expected an inline map');
    const map = mapFromLinkFragment(parsed.state.mapSource.data);
    expect(map.items?.labels).toEqual(state().items.map((i) => i.label));
    expect(Array.from(map.items!.embeddings!)).toEqual(Array.from(state().embeddings));
    expect(Array.from(map.som.codebook)).toEqual(Array.from(state().map!.som.codebook));

    // Opened in a fresh page with no data: the map, its items as the data.
    resetAppStore();
    useAppStore.setState({ dataStatus: 'ready' });
    expect(await state().openInlineMap(parsed.state.mapSource.data)).toBe(true);
    expect(state().mapSource).toEqual({ kind: 'inline' });
    expect(state().linkInfo).toMatchObject({ precision: 'exact', approximate: false });
    expect(state().items.map((i) => i.label)).toEqual(map.items!.labels);
  });

  it('a built-in map is named, not carried; a map too large for a link says how to host it', async () => {
    state().setMap(mapOf(4, 4), { kind: 'builtin', id: 'concepts' });
    const builtin = await state().makeShareLink({ base: 'https://sdr.example/' });
    // By name and version: the receiver learns when its atlas is another build.
    expect(builtin.url).toBe('https://sdr.example/?builtin=concepts@1&view=map&k=2');

    // Weights with no pattern do not compress: 48×48×512 fits no rung of the link ladder.
    const big48 = mapOf(48, 48, 512);
    const random = createRng(7);
    for (let i = 0; i < big48.som.codebook.length; i++) big48.som.codebook[i] = random() - 0.5;
    state().setMap(big48, { kind: 'library', id: 'big' });
    const big = await state().makeShareLink({ base: 'https://sdr.example/' });
    expect(big.url).toBeNull();
    expect(big.note).toMatch(/a link carries at most 384 KiB/);
    expect(big.note).toMatch(/static host .*CORS.*gist.*\?map=/);
    expect(big.shrinkable).toBe(true);

    // One click further: a smaller copy that fits, and what it changes, in words.
    const smaller = await state().makeSmallerShareLink({ base: 'https://sdr.example/' });
    expect(smaller.url).toMatch(/^https:\/\/sdr\.example\/\?view=map&k=\d+#m=/);
    expect(smaller.changes!.length).toBeGreaterThan(0);
    expect(smaller.note).toMatch(
      /^The link carries a smaller copy of this map, which .*halves the grid/,
    );
    expect(smaller.url!.length).toBeLessThan(600_000);
  });

  it('refuses a damaged map inside a link, keeping the page as it was', async () => {
    const map = mapOf(4, 4);
    state().setMap(map, { kind: 'trained' });
    expect(await state().openInlineMap('AAAAAAAA')).toBe(false);
    expect(lastNotice()?.text).toMatch(/^Could not open the map inside the link: /);
    expect(state().map).toBe(map);
  });
});
