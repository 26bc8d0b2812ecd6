import {
  clampK,
  itemSdrFromEncoding,
  maxKFor,
  readSelectedItemIndex,
  resolveTrainConfig,
  setMapDeps,
  defaultK,
  defaultTrainSettings,
  type MapDeps,
} from './mapSlice.ts';
import * as Comlink from 'comlink';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetAppStore, useAppStore, type AppState } from './index.ts';
import { encodeRows } from '../../src/index.ts';
import { TrainClient, trainDoor } from '../workers/trainClient.ts';
import { createMapSessions } from '../../src/index.ts';
import type { DataItem } from './dataSlice.ts';
import { makeGrid, type SdrMap, syntheticClusters } from '../../src/index.ts';

const { port1, port2 } = new MessageChannel();
Comlink.expose(trainDoor(createMapSessions()), port1);
const trainClient = new TrainClient(() => port2 as unknown as Worker);
afterAll(() => {
  port1.close();
  port2.close();
});

const inThread: MapDeps = {
  encode: async (map, data, n, k) => encodeRows(map, data, n, k),
  encodeDataset: async (map, data, n, k) => encodeRows(map, data, n, k),
  train: (data, n, config, options) => trainClient.train(data, n, config, options),
  labelUnits: (som, vectors, names) => trainClient.labelUnits(som, vectors, names),
  warmTraining: async () => undefined,
};

const D = 12;

function mapOf(rows: number, cols: number, dim = D, name = 'test map'): SdrMap {
  const grid = makeGrid(rows, cols);
  const m = rows * cols;
  const codebook = new Float32Array(m * dim);
  for (let i = 0; i < codebook.length; i++) codebook[i] = Math.sin(i * 0.7 + dim);
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

function setDataset(n: number, seed = 1): Float32Array {
  const { data, labels } = syntheticClusters({ n, d: D, clusters: Math.min(3, n), seed });
  const items: DataItem[] = Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    seq: i + 1,
    kind: 'imported',
    label: `group ${labels[i]}`,
    source: 'test',
    modelId: 'imported',
  }));
  useAppStore.setState({ items, embeddings: data, embeddingDim: D });
  return data;
}

function state(): AppState {
  return useAppStore.getState();
}

beforeEach(() => {
  resetAppStore();
  setMapDeps(inThread);
});

describe('map slice basics', () => {
  it('starts with no map, K = 20 and training idle', () => {
    expect(state().map).toBeNull();
    expect(state().k).toBe(20);
    expect(state().training.status).toBe('idle');
    expect(state().trainSettings).toEqual(defaultTrainSettings());
  });

  it('keeps K within 1..m/4 of the current map', () => {
    expect(maxKFor(mapOf(32, 32))).toBe(256);
    expect(clampK(300, mapOf(32, 32))).toBe(256);
    expect(clampK(0.2, mapOf(4, 4))).toBe(1);
    state().setMap(mapOf(8, 8), { kind: 'trained' });
    state().setK(7.6);
    expect(state().k).toBe(8);
    state().setK(1000);
    expect(state().k).toBe(16);
    state().setK(Number.NaN);
    expect(state().k).toBe(16);
    expect(state().notices.at(-1)?.kind).toBe('error');
  });

  it('a map of another size opens at its own default K (about 2%); one of the same size keeps K', () => {
    state().setMap(mapOf(16, 16), { kind: 'trained' });
    expect(state().k).toBe(5); // 2% of 256 units, not the 32×32 default of 20 (7.8%)
    state().setK(9);
    state().setMap(mapOf(16, 16), { kind: 'file', name: 'other.sdrmap' });
    expect(state().k).toBe(9); // the person's K on a map of the same size
    state().setMap(mapOf(64, 64), { kind: 'trained' });
    expect(state().k).toBe(82); // 2% of 4,096
    state().setMap(mapOf(4, 4), { kind: 'trained' });
    expect(state().k).toBe(2); // the rule's floor
  });

  it('refuses a map whose dimension differs from the data, keeping the current one', () => {
    setDataset(10);
    const good = mapOf(4, 4);
    expect(state().setMap(good, { kind: 'trained' })).toBe(true);
    expect(state().setMap(mapOf(4, 4, 7, 'wrong'), { kind: 'file', name: 'x.sdrmap' })).toBe(false);
    expect(state().map).toBe(good);
    expect(state().mapSource).toEqual({ kind: 'trained' });
    expect(state().notices.at(-1)?.text).toMatch(/dimension 7 but your data's embeddings have 12/);
  });

  it('selects units only on the map', () => {
    state().selectUnit(3);
    expect(state().selectedUnit).toBeNull(); // no map yet
    state().setMap(mapOf(4, 4), { kind: 'trained' });
    state().selectUnit(3);
    expect(state().selectedUnit).toBe(3);
    state().selectUnit(16);
    expect(state().selectedUnit).toBe(3);
    state().selectUnit(null);
    expect(state().selectedUnit).toBeNull();
  });

  it('finds the row of the item selected last', () => {
    setDataset(5);
    useAppStore.setState({ selectedItemIds: ['id1', 'id3'] });
    expect(readSelectedItemIndex(state())).toBe(3);
    useAppStore.setState({ selectedItemIds: ['gone'] });
    expect(readSelectedItemIndex(state())).toBeNull();
  });
});

describe('encoding the dataset', () => {
  it('encodes every item at K when a map is set, and again when K changes', async () => {
    const data = setDataset(40);
    state().setMap(mapOf(6, 6), { kind: 'trained' });
    await vi.waitFor(() => expect(state().encodingStatus).toBe('ready'));
    const enc = state().encoding;
    expect(enc?.n).toBe(40);
    expect(enc?.k).toBe(2); // about 2% of 36 units, at least 2
    expect(enc?.embeddings).toBe(data);
    state().setK(4);
    await vi.waitFor(() => expect(state().encoding?.k).toBe(4));
    const sdr = itemSdrFromEncoding(state().encoding!, makeGrid(6, 6), 7);
    expect(sdr.active).toHaveLength(4);
    expect(Array.from(sdr.active)).toEqual(
      Array.from(encodeRows(state().map!, data.subarray(7 * D, 8 * D), 1, 4).active),
    );
  });

  it('drops a slow reply that newer requests overtook, and collapses them into one re-run', async () => {
    setDataset(6);
    const pending: Array<{ k: number; resolve: () => void }> = [];
    setMapDeps({
      encodeDataset: (map, data, n, k) =>
        new Promise((resolve) =>
          pending.push({ k, resolve: () => resolve(encodeRows(map, data, n, k)) }),
        ),
    });
    state().setMap(mapOf(6, 6), { kind: 'trained' }); // request at K 2 goes to the worker
    state().setK(3);
    state().setK(4);
    state().setK(5); // three requests while the first is in flight
    expect(pending.map((p) => p.k)).toEqual([2]);
    expect(state().encodingStatus).toBe('encoding');
    pending[0].resolve(); // the stale reply is dropped, and one re-run starts at the latest K
    await vi.waitFor(() => expect(pending.map((p) => p.k)).toEqual([2, 5]));
    expect(state().encoding).toBeNull();
    pending[1].resolve();
    await vi.waitFor(() => expect(state().encoding?.k).toBe(5));
    expect(state().encodingStatus).toBe('ready');
  });
});

describe('training from the dataset', () => {
  it('refuses to train on fewer than 2 items, with a message', async () => {
    setDataset(1);
    await state().trainFromDataset();
    expect(state().training.status).toBe('idle');
    expect(state().notices.at(-1)?.text).toMatch(/at least 2 items/);
  });

  it('trains, streams the history, and makes the result the current map', async () => {
    setDataset(60);
    const epochs: number[] = [];
    const unsubscribe = useAppStore.subscribe((s) => {
      const h = s.training.history;
      if (h.length > 0 && epochs.at(-1) !== h.length) epochs.push(h.length);
    });
    await state().trainFromDataset({ rows: 5, cols: 5, epochs: 4 });
    unsubscribe();
    expect(epochs).toEqual([1, 2, 3, 4]);
    const { training, map, mapSource } = state();
    expect(training.status).toBe('done');
    expect(training.snapshot?.epoch).toBe(4);
    expect(mapSource).toEqual({ kind: 'trained' });
    expect(map?.som.grid).toEqual(makeGrid(5, 5));
    expect(map?.training.inputs).toBe(60);
    expect(map?.calibration?.qe).toHaveLength(60);
    // Units are named after the nearest items (no vocabulary loaded).
    expect(map?.unitLabels).toHaveLength(25);
    expect(new Set(map?.unitLabels)).toEqual(new Set(['group 0', 'group 1', 'group 2']));
    await vi.waitFor(() => expect(state().encoding?.map).toBe(map));
  });

  it("shows the trained map with the train worker's encoding of the items: no second pass", async () => {
    const data = setDataset(60);
    const asked: number[] = [];
    setMapDeps({
      encodeDataset: async (map, rows, n, k) => {
        asked.push(k);
        return encodeRows(map, rows, n, k);
      },
    });
    await state().trainFromDataset({ rows: 5, cols: 5, epochs: 3 });
    const map = state().map!;
    await vi.waitFor(() => expect(state().encoding?.map).toBe(map));
    expect(asked).toEqual([]);
    const enc = state().encoding!;
    expect(enc.embeddings).toBe(data);
    expect(enc.k).toBe(state().k);
    expect(enc.active).toEqual(encodeRows(map, data, 60, state().k).active);
    // A K move encodes in the worker as before.
    state().setK(state().k + 1);
    await vi.waitFor(() => expect(state().encoding?.k).toBe(asked[0]));
    expect(asked).toEqual([state().k]);
  });

  it("warms the train worker with the form's planned run on the dataset", async () => {
    const plans: unknown[] = [];
    setMapDeps({ warmTraining: async (plan) => void plans.push(plan) });
    state().warmTraining(); // no data yet: the kernel only
    const data = setDataset(60);
    state().setTrainSettings({ rows: 6, cols: 7, seed: 4 });
    state().warmTraining();
    state().setTrainSettings({ epochs: -1 }); // not a valid run: the kernel only
    state().warmTraining();
    expect(plans).toHaveLength(3);
    expect(plans[0]).toBeUndefined();
    expect(plans[1]).toMatchObject({ data, n: 60, config: { grid: makeGrid(6, 7), seed: 4 } });
    expect(plans[2]).toBeUndefined();
  });

  it('cancels after the epoch in flight and keeps that snapshot as a usable map', async () => {
    setDataset(60);
    const unsubscribe = useAppStore.subscribe((s) => {
      if (s.training.history.length === 2) s.cancelTraining();
    });
    await state().trainFromDataset({ rows: 5, cols: 5, epochs: 50 });
    unsubscribe();
    const { training, map } = state();
    expect(training.status).toBe('cancelled');
    expect(training.history).toHaveLength(2);
    expect(map?.training.epochs).toBe(2);
    expect(map?.som.codebook.every(Number.isFinite)).toBe(true);
    await vi.waitFor(() => expect(state().encoding?.map).toBe(map));
  });

  it('says in the page why training ran on a slower kernel', async () => {
    setDataset(40);
    // A train worker whose fast kernel cannot start (as when WebAssembly is unavailable).
    const { port1: a, port2: b } = new MessageChannel();
    Comlink.expose(
      trainDoor(createMapSessions({ kernel: () => Promise.reject(new Error('no WebAssembly')) })),
      a,
    );
    const slow = new TrainClient(() => b as unknown as Worker);
    setMapDeps({ train: (data, n, config, options) => slow.train(data, n, config, options) });
    try {
      await state().trainFromDataset({ rows: 4, cols: 4, epochs: 2 });
    } finally {
      a.close();
      b.close();
    }
    expect(state().training.status).toBe('done');
    const notice = state().notices.at(-1);
    expect(notice?.kind).toBe('info');
    expect(notice?.text).toMatch(/could not start \(no WebAssembly\).*JavaScript kernel/);
  });

  it('shows a bad setting as a message and does not start', async () => {
    setDataset(10);
    await state().trainFromDataset({ epochs: 0 });
    expect(state().training.status).toBe('idle');
    expect(state().notices.at(-1)?.text).toMatch(/Epochs must be a whole number from 1 to 10000/);
  });

  it("resolves panel settings with the engine's defaults: 32×32 for any dataset, K 2% of it", () => {
    const c = resolveTrainConfig(defaultTrainSettings());
    expect([c.grid.rows, c.grid.cols, c.radiusStart, c.radiusEnd, c.epochs]).toEqual([
      32, 32, 16, 1, 20,
    ]);
    expect(defaultK() / (c.grid.rows * c.grid.cols)).toBeCloseTo(0.02, 2);
    expect(() => resolveTrainConfig({ ...defaultTrainSettings(), radiusEnd: 50 })).toThrow(
      /End radius/,
    );
  });
});

describe('the built-in atlas as a vocabulary', () => {
  it("keeps a built-in map's concepts to name maps trained later, and closes on request", () => {
    const atlas: SdrMap = {
      ...mapOf(4, 4, D, 'CLIP concepts'),
      model: 'Xenova/clip-vit-base-patch32',
      items: {
        labels: ['cat', 'dog'],
        k: 2,
        sdrs: new Uint32Array([0, 1, 2, 3]),
        embeddings: new Float32Array(2 * D).fill(0.1),
      },
    };
    state().setMap(atlas, { kind: 'builtin', id: 'concepts-v1' });
    expect(state().vocabulary).toMatchObject({
      modelId: 'Xenova/clip-vit-base-patch32',
      concepts: ['cat', 'dog'],
      dim: D,
    });
    // A map trained here does not replace the vocabulary; closing leaves no map.
    state().setMap(mapOf(3, 3), { kind: 'trained' });
    expect(state().vocabulary?.concepts).toEqual(['cat', 'dog']);
    state().closeMap();
    expect(state().map).toBeNull();
    expect(state().mapSource).toBeNull();
  });

  it('labels the current map with the vocabulary', async () => {
    const map = mapOf(3, 3);
    state().setMap(map, { kind: 'trained' });
    const vectors = new Float32Array(2 * D);
    vectors[0] = 1; // concept 'x' points along axis 0, 'y' against it
    vectors[D] = -1;
    useAppStore.setState({ vocabulary: { modelId: 'm', concepts: ['x', 'y'], vectors, dim: D } });
    await state().labelMapWithVocabulary();
    const labels = state().map?.unitLabels ?? [];
    expect(labels).toHaveLength(9);
    for (let j = 0; j < 9; j++) {
      expect(labels[j]).toBe(map.som.codebook[j * D] >= 0 ? 'x' : 'y');
    }
  });
});
