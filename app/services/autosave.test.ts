// mapSlice before the store, as mapSlice.test.ts does: the two import each other.
import { setMapDeps, type MapDeps } from '../store/mapSlice.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appServices, resetAppStore, useAppStore } from '../store/index.ts';
import type { DataItem } from '../store/dataSlice.ts';
import type { SavedMapRecord, SessionDb } from '../db/sessionDb.ts';
import { createMapSaveSession } from '../workers/mapSaveSession.ts';
import { decodeMapFile } from '../../src/io/mapFile.ts';
import { encodeRows, makeGrid, syntheticClusters, type SdrMap } from '../../src/index.ts';

const D = 8;
const inThread: MapDeps = {
  encode: async (map, data, n, k) => encodeRows(map, data, n, k),
  encodeDataset: async (map, data, n, k) => encodeRows(map, data, n, k),
  train: () => Promise.reject(new Error('no training in these tests')),
  labelUnits: async () => [],
  warmTraining: async () => undefined,
};

function mapOf(seed: number): SdrMap {
  const grid = makeGrid(6, 6);
  const codebook = new Float32Array(36 * D);
  for (let i = 0; i < codebook.length; i++) codebook[i] = Math.sin(i * 0.37 + seed) * 0.3;
  return {
    name: `map ${seed}`,
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: { grid, dim: D, codebook },
    training: { grid, epochs: 3, seed, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 9 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
  };
}

/** An in-memory last-session database, as IndexedDB would keep it across a reload. */
function memoryDb() {
  const kept: { map: SavedMapRecord | null; view: unknown; mapWrites: number; viewWrites: number } =
    { map: null, view: null, mapWrites: 0, viewWrites: 0 };
  const db: SessionDb = {
    readMap: async () => kept.map,
    writeMap: async (record) => {
      kept.map = record;
      kept.mapWrites++;
    },
    clearMap: async () => {
      kept.map = null;
    },
    readView: async () => kept.view,
    writeView: async (view) => {
      kept.view = structuredClone(view);
      kept.viewWrites++;
    },
    close: () => undefined,
  };
  return { kept, db };
}

function setDataset(n: number): void {
  const { data } = syntheticClusters({ n, d: D, clusters: 3, seed: 4 });
  const items: DataItem[] = Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    seq: i + 1,
    kind: 'imported',
    label: `item ${i}`,
    source: 'test',
    modelId: 'imported',
  }));
  useAppStore.setState({ items, embeddings: data, embeddingDim: D, dataStatus: 'ready' });
}

/** A fresh page load on the same saved session: store reset, autosave started again. */
async function reload(db: SessionDb, addressNamesMap = false): Promise<() => void> {
  resetAppStore();
  setDataset(9);
  appServices.autosave.setDeps({
    openDb: async () => db,
    saver: () => createMapSaveSession(async () => db),
    decode: async (bytes) => decodeMapFile(bytes),
    addressNamesMap: () => addressNamesMap,
    mapDelayMs: 0,
    viewDelayMs: 0,
  });
  const stop = appServices.autosave.start(useAppStore);
  await appServices.autosave.restored();
  return stop;
}

/** Let timers and idle callbacks run, then write whatever waits. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await appServices.autosave.flush();
}

let stop: () => void = () => undefined;
beforeEach(() => setMapDeps(inThread));
afterEach(() => stop());

describe('autosave', () => {
  it('brings back the map, K, selection, unit and view after a reload; a K move writes no map', async () => {
    const { kept, db } = memoryDb();
    stop = await reload(db);
    const s = useAppStore.getState();
    s.setMap(mapOf(1), { kind: 'trained' });
    s.setK(4);
    s.setSelectedItems(['id3', 'id1']);
    s.selectUnit(7);
    s.setView('compare');
    await settle();
    expect(kept.mapWrites).toBe(1);
    useAppStore.getState().setK(5);
    await settle();
    expect(kept.mapWrites).toBe(1); // the map did not change: not written again
    expect(kept.viewWrites).toBeGreaterThan(1);
    stop();

    stop = await reload(db);
    const back = useAppStore.getState();
    expect(Array.from(back.map!.som.codebook)).toEqual(Array.from(mapOf(1).som.codebook));
    expect(back.mapSource).toEqual({ kind: 'trained' });
    expect(back).toMatchObject({
      k: 5,
      selectedItemIds: ['id3', 'id1'],
      selectedUnit: 7,
      view: 'compare',
    });
    await settle();
    expect(kept.mapWrites).toBe(1); // restoring writes nothing back
  });

  it('a mixture comes back with the parts it was made from, so a link naming them finds it', async () => {
    const { db } = memoryDb();
    stop = await reload(db);
    const s = useAppStore.getState();
    s.setMap(mapOf(1), { kind: 'trained' });
    const mixture = s.addMixture(['id2', 'id5'])!;
    await settle();
    stop();

    stop = await reload(db);
    const back = useAppStore.getState().mixtures;
    expect(back.map((m) => [m.id, m.partKeys])).toEqual([[mixture.id, ['id2', 'id5']]]);
  });

  it('a link that names a map wins over the saved session', async () => {
    const { kept, db } = memoryDb();
    stop = await reload(db);
    useAppStore.getState().setMap(mapOf(2), { kind: 'file', name: 'mine.sdrmap' });
    await settle();
    expect(kept.map?.source).toEqual({ kind: 'file', name: 'mine.sdrmap' });
    stop();
    stop = await reload(db, true);
    expect(useAppStore.getState().map).toBeNull();
  });

  it('a saved map that does not decode is reported in words and set aside; the view comes back', async () => {
    const { kept, db } = memoryDb();
    stop = await reload(db);
    useAppStore.getState().setMap(mapOf(3), { kind: 'trained' });
    useAppStore.getState().setSelectedItems(['id2']);
    await settle();
    stop();
    kept.map = { ...kept.map!, bytes: kept.map!.bytes.subarray(0, 40) };
    stop = await reload(db);
    const s = useAppStore.getState();
    expect(s.map).toBeNull();
    expect(s.selectedItemIds).toEqual(['id2']);
    expect(s.notices.at(-1)).toMatchObject({ kind: 'error' });
    expect(s.notices.at(-1)!.text).toMatch(/^The map from your last visit could not be read back/);
    await settle();
    expect(kept.map).toBeNull();
  });

  it('the built-in atlas is not copied: choosing it forgets the saved map', async () => {
    const { kept, db } = memoryDb();
    stop = await reload(db);
    useAppStore.getState().setMap(mapOf(4), { kind: 'trained' });
    await settle();
    expect(kept.map).not.toBeNull();
    useAppStore.getState().setMap(mapOf(5), { kind: 'builtin', id: 'concepts' });
    await settle();
    expect(kept.map).toBeNull();
  });
});
