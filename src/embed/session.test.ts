import { describe, expect, it } from 'vitest';
import { EmbedCancelledError } from './errors.ts';
import {
  createEmbedSession,
  type EmbedModelEvent,
  type ImageBatch,
  type SessionEmbedder,
  type TextBatch,
} from './session.ts';
import type { EmbedSettings, LoadedModelInfo, Tower } from './types.ts';

const settings: EmbedSettings = { modelId: 'm', dtype: 'q8', device: 'wasm', modelFolder: '' };
const info: LoadedModelInfo = {
  modelId: 'm',
  dim: 2,
  choice: { device: 'wasm', dtype: 'q8', reason: 'test' },
  towers: ['text', 'vision'],
  maxTokens: 77,
};

const enc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** A complete PNG file of w×h (header and end only; the fake decoder never reads pixels). */
function png(w: number, h: number): Blob {
  const head = [0x89, ...enc('PNG\r\n\x1a\n'), ...u32be(13), ...enc('IHDR')];
  const ihdr = [...u32be(w), ...u32be(h), 8, 6, 0, 0, 0, 0, 0, 0, 0];
  const end = [...u32be(0), ...enc('IEND'), 0xae, 0x42, 0x60, 0x82];
  return new Blob([new Uint8Array([...head, ...ihdr, ...new Array(100).fill(7), ...end])]);
}

/**
 * A fake CLIP engine: texts become one-hot rows, batch by batch (each batch waits for `gate`),
 * images [1, 0]; `failLoad` makes loading throw that error.
 */
function fakeEngine(options: { gate?: () => Promise<void>; failLoad?: Error } = {}) {
  const loaded = new Set<Tower>();
  const log: string[] = [];
  const engine: SessionEmbedder = {
    settings,
    get info() {
      return loaded.size > 0 ? info : null;
    },
    isLoaded: (tower) => loaded.has(tower),
    load: async (towers, { onProgress } = {}) => {
      log.push(`load ${towers.join('+')}`);
      onProgress?.({ modelId: 'm', loaded: 1, total: 2, files: [] });
      if (options.failLoad) throw options.failLoad;
      towers.forEach((t) => loaded.add(t));
      return info;
    },
    embedTexts: async (texts, { batchSize = 32, signal, onBatch } = {}) => {
      const vectors = new Float32Array(texts.length * 2);
      let count = 0;
      for (let start = 0; start < texts.length; start += batchSize) {
        if (signal?.aborted) break;
        await options.gate?.();
        const rows = Math.min(batchSize, texts.length - start);
        for (let i = 0; i < rows; i++) vectors[(start + i) * 2 + ((start + i) % 2)] = 1;
        log.push(`texts ${start}`);
        onBatch?.(start, vectors.subarray(start * 2, (start + rows) * 2), []);
        count += rows;
      }
      return {
        modelId: 'm',
        dim: 2,
        vectors: vectors.slice(0, count * 2),
        count,
        truncated: [],
        cancelled: count < texts.length,
      };
    },
    embedImages: async (pixels) => new Float32Array(pixels.flatMap(() => [1, 0])),
    resizeShortestEdge: 224,
    dispose: async () => void log.push('dispose'),
  };
  return { engine, log };
}

function session(engine: SessionEmbedder) {
  return createEmbedSession({
    probe: async () => ({ webgpu: false, shaderF16: false, adapterInfo: '', node: true }),
    createEmbedder: () => engine,
    decode: async (blob) => {
      if (blob.size < 50) throw new Error('bad data');
      return {
        pixels: { data: new Uint8ClampedArray(4), width: 1, height: 1, channels: 4 },
        thumbnail: new Blob(['t']),
      } as never;
    },
  });
}

describe('embed session', () => {
  it('loads a tower lazily, telling the model events, and hands every batch over', async () => {
    const { engine } = fakeEngine();
    const events: EmbedModelEvent['kind'][] = [];
    const batches: TextBatch[] = [];
    const outcome = await session(engine).embedTexts(
      1,
      settings,
      ['a', 'b', 'c'],
      2,
      (e) => void events.push(e.kind),
      (b) => void batches.push(b),
    );
    expect(outcome).toEqual({ cancelled: false });
    expect(events).toEqual(['loading', 'load-progress', 'model']);
    expect(batches.map((b) => [b.start, Array.from(b.vectors)])).toEqual([
      [0, [1, 0, 0, 1]],
      [2, [1, 0]],
    ]);
  });

  it('runs requests one at a time and stops a cancelled one at the next batch boundary', async () => {
    let open: () => void = () => undefined;
    const gate = () => new Promise<void>((resolve) => (open = resolve));
    const { engine, log } = fakeEngine({ gate });
    const s = session(engine);
    const first = s.embedTexts(
      1,
      settings,
      ['a', 'b', 'c'],
      1,
      () => undefined,
      () => undefined,
    );
    const second = s.embedTexts(
      2,
      settings,
      ['d'],
      1,
      () => undefined,
      () => undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    s.cancel(1);
    open(); // the batch in flight finishes; the next one sees the cancel
    expect(await first).toEqual({ cancelled: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    open();
    expect(await second).toEqual({ cancelled: false });
    expect(log).toEqual(['load text', 'texts 0', 'texts 0']);
  });

  it('reports a failed load as a model event, then rejects with the engine’s error', async () => {
    const { engine } = fakeEngine({ failLoad: new EmbedCancelledError() });
    const events: EmbedModelEvent[] = [];
    await expect(
      session(engine).load(1, settings, ['text'], (e) => void events.push(e)),
    ).rejects.toBeInstanceOf(EmbedCancelledError);
    expect(events.at(-1)).toEqual({
      kind: 'load-failed',
      name: 'EmbedCancelledError',
      message: new EmbedCancelledError().message,
    });
  });

  it('skips unreadable images with the reason and numbers the rest within their batch', async () => {
    const { engine } = fakeEngine();
    const batches: ImageBatch[] = [];
    await session(engine).embedImages(
      1,
      settings,
      [
        { blob: png(4, 3), name: 'a.png' },
        { blob: new Blob([]), name: 'empty.png' },
        { blob: new Blob(['not an image at all']), name: 'b.txt' },
        { blob: png(2, 2), name: 'c.png' },
      ],
      2,
      100,
      () => undefined,
      (b) => void batches.push(b),
    );
    expect(batches.map((b) => b.items.map((i) => (i.status === 'ok' ? i.row : i.error)))).toEqual([
      [0, 'empty.png was skipped: it is empty (0 bytes).'],
      [expect.stringMatching(/^b\.txt was skipped: /), 0],
    ]);
    expect(batches.map((b) => Array.from(b.vectors))).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });
});
