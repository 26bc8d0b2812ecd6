import 'fake-indexeddb/auto';
import { setMapDeps, type MapDeps } from '../store/mapSlice.ts';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore, type AppState } from '../store/index.ts';
import type { DataItem } from '../store/dataSlice.ts';
import { encodeRows } from '../../src/index.ts';
import {
  addressFor,
  addressMapSource,
  applyShareState,
  selectedIndices,
  shareStateFor,
  shareUrl,
  toPageView,
  toShareView,
} from './urlSync.ts';
import { makeGrid, type SdrMap, parseShareState } from '../../src/index.ts';

const D = 4;
const inThread: MapDeps = {
  encode: async (map, data, n, k) => encodeRows(map, data, n, k),
  encodeDataset: async (map, data, n, k) => encodeRows(map, data, n, k),
  train: () => Promise.reject(new Error('no training here')),
  labelUnits: async () => [],
  warmTraining: async () => undefined,
};

function mapOf(rows: number, cols: number): SdrMap {
  const grid = makeGrid(rows, cols);
  const codebook = Float32Array.from({ length: rows * cols * D }, (_, i) => Math.cos(i));
  return {
    name: 'm',
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: { grid, dim: D, codebook },
    training: { grid, epochs: 1, seed: 1, init: 'random', radiusStart: 2, radiusEnd: 1, inputs: 1 },
    quality: { quantizationError: 0.5, topographicError: 0.1 },
    calibration: null,
  };
}

function setDataset(n: number): void {
  const items: DataItem[] = Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    seq: i + 1,
    kind: 'imported',
    label: `item ${i}`,
    source: 'test',
    modelId: 'imported',
  }));
  const embeddings = Float32Array.from({ length: n * D }, (_, i) => (i % D === i % 3 ? 1 : 0));
  useAppStore.setState({ items, embeddings, embeddingDim: D });
}

const state = (): AppState => useAppStore.getState();
beforeAll(async () => {
  await useAppStore.getState().loadData();
});
beforeEach(() => {
  resetAppStore();
  useAppStore.setState({ dataStatus: 'ready' });
  setMapDeps(inThread);
});

describe('store → address', () => {
  it('maps views both ways, every page view being a link view', () => {
    expect(toShareView('novelty')).toBe('novelty');
    expect(toShareView('library')).toBe('library');
    expect(toPageView('claims')).toBe('claims');
  });

  it('selected items travel as row indices, in selection order, unknown ids dropped', () => {
    setDataset(5);
    useAppStore.setState({ selectedItemIds: ['id3', 'gone', 'id0'] });
    expect(selectedIndices(state())).toEqual([3, 0]);
  });

  it('writes map source, view, items, K and noise; leaves out maps that have no address', () => {
    setDataset(5);
    state().setMap(mapOf(4, 4), { kind: 'library', id: 'abc' });
    state().setK(3);
    state().setView('gallery');
    state().setSelectedItems(['id2']);
    state().setNoise({ drop: 0.25, flip: 7 });
    expect(addressFor(state())).toEqual({
      search: '?library=abc&view=gallery&items=2&k=3&noise=drop:0.25,flip:1',
      hash: '',
    });
    state().setMap(mapOf(4, 4), { kind: 'trained' });
    expect(addressMapSource(state())).toBeNull();
    expect(addressFor(state()).search).toBe('?view=gallery&items=2&k=3&noise=drop:0.25,flip:1');
    state().setEmbedMode(true);
    expect(addressFor(state()).search).toMatch(/&embed=1$/);
  });

  it('a share address keeps the page origin and path, never its old state', () => {
    const s = shareStateFor(state(), { kind: 'url', url: 'https://maps.example/a.sdrmap' }, false);
    expect(shareUrl('https://sdr.example/tool/?x=<b>#m=old', s)).toBe(
      'https://sdr.example/tool/?map=https://maps.example/a.sdrmap&view=map',
    );
  });
});

describe('address → store', () => {
  it('applies view, K and selection, and says which items the data lacks', async () => {
    setDataset(3);
    state().setMap(mapOf(6, 6), { kind: 'trained' });
    await applyShareState(useAppStore, parseShareState('?view=compare&k=4&items=2,0,9', ''), {
      initial: true,
    });
    expect(state().view).toBe('compare');
    expect(state().k).toBe(4);
    expect(state().selectedItemIds).toEqual(['id2', 'id0']);
    expect(state().notices.at(-1)?.text).toBe(
      'This link selects item 9, which your data does not have (it has 3).',
    );
  });

  it('shows hostile text as plain words and keeps the page usable', async () => {
    const map = mapOf(4, 4);
    state().setMap(map, { kind: 'trained' });
    await applyShareState(
      useAppStore,
      parseShareState('?view=<script>alert(1)</script>&map=javascript:alert(1)&k=abc', ''),
      { initial: true },
    );
    const notice = state().notices.find((n) => n.text.startsWith('Parts of this link'));
    expect(notice?.kind).toBe('error');
    expect(notice?.text).toContain('ignored view=<script>alert(1)</script>: not a view');
    expect(notice?.text).toContain('javascript: addresses are not allowed');
    expect(notice?.text).toContain('ignored k=abc: not a number');
    expect(state().map).toBe(map);
    expect(state().view).toBe('map');
  });

  it('back/forward applies the selection exactly, clearing it when the link has none', async () => {
    setDataset(3);
    state().setSelectedItems(['id1']);
    await applyShareState(useAppStore, parseShareState('?view=data', ''), { initial: false });
    expect(state().selectedItemIds).toEqual([]);
    expect(state().view).toBe('data');
  });

  it('a library id from another browser is refused in words', async () => {
    await applyShareState(useAppStore, parseShareState('?library=not-here', ''), { initial: true });
    expect(state().notices.at(-1)?.text).toMatch(/not in this browser's library/);
  });
});
