import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import {
  MODEL_SETTINGS_KEY,
  checkSettings,
  makeModelSlice,
  restoreSettings,
  type ModelDeps,
  type ModelHost,
} from './modelSlice.ts';
import type { EmbedClientEvent } from '../workers/embedClient.ts';
import {
  DEFAULT_EMBED_SETTINGS,
  type EmbedSettings,
  type LoadedModelInfo,
} from '../../src/embed/page.ts';

const info: LoadedModelInfo = {
  modelId: 'clip-tiny',
  dim: 512,
  choice: { device: 'wasm', dtype: 'fp32', reason: 'WASM chosen by you.' },
  towers: ['text', 'vision'],
  maxTokens: 77,
};

function setup(saved: string | null = null) {
  const stored = new Map<string, string>();
  if (saved !== null) stored.set(MODEL_SETTINGS_KEY, saved);
  let listener: (e: EmbedClientEvent) => void = () => {};
  const configured: EmbedSettings[] = [];
  const loads: AbortSignal[] = [];
  const notices: string[] = [];
  let cacheFiles = 2;
  const deps: ModelDeps = {
    client: () => ({
      configure: (s) => configured.push(s),
      subscribe: (l) => {
        listener = l;
        return () => {};
      },
      load: ({ signal } = {}) => {
        loads.push(signal!);
        return new Promise((resolve, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('cancelled'))),
        );
      },
      probe: async () => ({
        webgpu: true,
        shaderF16: false,
        adapterInfo: 'swiftshader',
        node: false,
      }),
      embedTexts: async (texts) => ({
        modelId: 'm',
        dim: 2,
        // One row per text, in a buffer with room to spare (the slice must return only dim numbers).
        vectors: Float32Array.from([...texts.flatMap(() => [0.6, 0.8]), 9, 9]),
        count: texts.length,
        truncated: [],
        cancelled: false,
      }),
    }),
    storage: () => ({
      getItem: (k) => stored.get(k) ?? null,
      setItem: (k, v) => void stored.set(k, v),
    }),
    listCache: async () => ({
      files: Array.from({ length: cacheFiles }, (_, i) => ({
        url: `u${i}`,
        model: 'm',
        bytes: 10,
      })),
      totalBytes: cacheFiles * 10,
    }),
    clearCache: async () => {
      cacheFiles = 0;
    },
  };
  const store = createStore<ModelHost>()((set, get, api) => ({
    ...makeModelSlice(deps)(set, get, api),
    notify: (_kind, text) => notices.push(text),
  }));
  return { store, stored, configured, loads, notices, emit: (e: EmbedClientEvent) => listener(e) };
}

describe('model settings', () => {
  it('accepts site paths and http(s) folders, refuses the rest with one line', () => {
    const base = DEFAULT_EMBED_SETTINGS;
    expect(checkSettings({ ...base, modelFolder: ' /models/ ' }).modelFolder).toBe('/models/');
    expect(checkSettings({ ...base, modelFolder: 'https://cdn.example.org/m/' }).modelFolder).toBe(
      'https://cdn.example.org/m/',
    );
    expect(() => checkSettings({ ...base, modelFolder: 'models/' })).toThrow(
      /must start with "\/"/,
    );
    expect(() => checkSettings({ ...base, modelFolder: 'file:///etc' })).toThrow(/not supported/);
    expect(() => checkSettings({ ...base, modelId: '  ' })).toThrow('The model id is empty.');
    expect(() => checkSettings({ ...base, device: 'tpu' as never })).toThrow(
      'Unknown device "tpu".',
    );
  });

  it('restores saved settings field by field, repairing what does not check out', () => {
    expect(restoreSettings('not json')).toEqual(DEFAULT_EMBED_SETTINGS);
    expect(
      restoreSettings(
        JSON.stringify({
          modelId: 'clip-tiny',
          device: 'quantum',
          modelFolder: '/models/fixture/',
        }),
      ),
    ).toEqual({
      ...DEFAULT_EMBED_SETTINGS,
      modelId: 'clip-tiny',
      modelFolder: '/models/fixture/',
    });
  });
});

describe('model slice', () => {
  it('starts from saved settings and hands them to the embed client', async () => {
    const { store, configured } = setup(JSON.stringify({ modelId: 'clip-tiny', dtype: 'fp32' }));
    expect(store.getState().modelSettings).toMatchObject({ modelId: 'clip-tiny', dtype: 'fp32' });
    await Promise.resolve();
    expect(configured.at(-1)).toMatchObject({ modelId: 'clip-tiny' });
  });

  it('persists a change, reconfigures the client, and forgets the model of the old settings', async () => {
    const { store, stored, configured, emit } = setup();
    await Promise.resolve();
    emit({ type: 'ready', info });
    store.getState().setModelSettings({ device: 'wasm' });
    expect(JSON.parse(stored.get(MODEL_SETTINGS_KEY)!)).toMatchObject({ device: 'wasm' });
    expect(configured.at(-1)).toMatchObject({ device: 'wasm' });
    expect(store.getState()).toMatchObject({ modelInfo: null, modelStatus: 'idle' });
  });

  it('changes nothing when the new settings are refused', () => {
    const { store, stored } = setup();
    expect(() => store.getState().setModelSettings({ modelFolder: 'ftp://x/' })).toThrow(
      /not supported/,
    );
    expect(store.getState().modelSettings).toEqual(DEFAULT_EMBED_SETTINGS);
    expect(stored.has(MODEL_SETTINGS_KEY)).toBe(false);
  });

  it('follows the client through a load: loading, progress, ready', async () => {
    const { store, emit } = setup();
    await Promise.resolve(); // the slice subscribes once the store exists
    emit({ type: 'loading', modelId: 'clip-tiny' });
    expect(store.getState().modelStatus).toBe('loading');
    emit({
      type: 'load-progress',
      progress: { modelId: 'clip-tiny', loaded: 5, total: 10, files: [] },
    });
    expect(store.getState().modelProgress?.loaded).toBe(5);
    emit({ type: 'ready', info });
    expect(store.getState()).toMatchObject({
      modelStatus: 'ready',
      modelInfo: info,
      modelError: null,
    });
  });

  it('shows a failed load as an error, a cancelled one as not loaded', async () => {
    const { store, emit } = setup();
    await Promise.resolve();
    emit({ type: 'load-error', modelId: 'm', message: 'files missing', cancelled: false });
    expect(store.getState()).toMatchObject({ modelStatus: 'error', modelError: 'files missing' });
    emit({
      type: 'load-error',
      modelId: 'm',
      message: 'Model loading was cancelled.',
      cancelled: true,
    });
    expect(store.getState()).toMatchObject({ modelStatus: 'idle', modelError: null });
  });

  it('cancels its own load through the signal it gave the client', async () => {
    const { store, loads } = setup();
    const done = store.getState().loadModel();
    await Promise.resolve();
    expect(loads[0].aborted).toBe(false);
    store.getState().cancelModelLoad();
    expect(loads[0].aborted).toBe(true);
    await done; // resolves: the outcome arrives as client events
  });

  it('probes the device and lists and clears the model cache', async () => {
    const { store, notices } = setup();
    await store.getState().probeDevice();
    expect(store.getState().deviceProbe?.adapterInfo).toBe('swiftshader');
    await store.getState().refreshModelCache();
    expect(store.getState().modelCache?.totalBytes).toBe(20);
    await store.getState().clearModelCache();
    expect(store.getState().modelCache?.files).toEqual([]);
    expect(notices).toEqual(['Cached model files deleted; the next load downloads them again.']);
  });

  it('embeds a search text with the text tower: one unit-length vector of the model dimension', async () => {
    const { store } = setup();
    const vector = await store.getState().embedQuery('a cat');
    expect(Array.from(vector)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
  });
});
