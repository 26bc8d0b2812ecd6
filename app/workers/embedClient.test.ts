import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  EmbedCancelledError,
  EmbedClient,
  EmbedError,
  type EmbedClientEvent,
} from './embedClient.ts';
import {
  type EmbedSessionApi,
  type ImageInput,
  type EmbedSettings,
  type LoadedModelInfo,
} from '../../src/embed/page.ts';

const info: LoadedModelInfo = {
  modelId: 'm',
  dim: 2,
  choice: { device: 'wasm', dtype: 'q8', reason: 'test' },
  towers: ['text'],
  maxTokens: 77,
};

/** What the fake session was asked, in order (a request's kind and its arguments). */
type Received =
  | { kind: 'probe' }
  | { kind: 'load'; job: number }
  | { kind: 'embedTexts'; job: number; settings: EmbedSettings; batchSize: number }
  | { kind: 'embedImages'; job: number; images: readonly ImageInput[] }
  | { kind: 'unload'; job: number }
  | { kind: 'cancel'; job: number };

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

/**
 * A client over a message channel to `session` (the parts a test needs; the rest never
 * answer), as the page has it over the worker: comlink, proxied callbacks, job numbers.
 */
function client(session: Partial<EmbedSessionApi>) {
  const received: Received[] = [];
  const never = () => new Promise<never>(() => undefined);
  const api: EmbedSessionApi = {
    probe: () => (received.push({ kind: 'probe' }), session.probe?.() ?? never()),
    load: (job, ...rest) => {
      received.push({ kind: 'load', job });
      return session.load?.(job, ...rest) ?? never();
    },
    embedTexts: (job, settings, texts, batchSize, ...rest) => {
      received.push({ kind: 'embedTexts', job, settings, batchSize });
      return session.embedTexts?.(job, settings, texts, batchSize, ...rest) ?? never();
    },
    embedImages: (job, settings, images, ...rest) => {
      received.push({ kind: 'embedImages', job, images });
      return session.embedImages?.(job, settings, images, ...rest) ?? never();
    },
    unload: (job) => (received.push({ kind: 'unload', job }), session.unload?.(job) ?? never()),
    cancel: (job) => {
      received.push({ kind: 'cancel', job });
      session.cancel?.(job);
    },
  };
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(api, port1);
  const worker = Object.assign(port2, {
    terminated: false,
    terminate() {
      worker.terminated = true;
    },
  });
  let created = 0;
  const c = new EmbedClient(() => {
    created++;
    return worker as unknown as Worker;
  });
  return { c, worker, received, created: () => created };
}

describe('EmbedClient', () => {
  it('starts no worker until the first request', async () => {
    const { c, created } = client({
      probe: async () => ({ webgpu: false, shaderF16: false, adapterInfo: '', node: false }),
    });
    c.configure({ modelId: 'x', dtype: 'fp32', device: 'wasm', modelFolder: '/models/' });
    expect(created()).toBe(0);
    await c.probe();
    await c.probe();
    expect(created()).toBe(1);
  });

  it('assembles text batches into one flat array and sends the configured settings', async () => {
    const progress: number[] = [];
    const { c, received } = client({
      embedTexts: async (_job, _settings, _texts, _batchSize, _onModel, onBatch) => {
        await onBatch({
          modelId: 'm',
          dim: 2,
          start: 0,
          vectors: new Float32Array([1, 0, 0, 1]),
          truncated: [],
        });
        await onBatch({
          modelId: 'm',
          dim: 2,
          start: 2,
          vectors: new Float32Array([0.6, 0.8]),
          truncated: [2],
        });
        return { cancelled: false };
      },
    });
    c.configure({ modelId: 'm', dtype: 'q8', device: 'auto', modelFolder: '' });
    const r = await c.embedTexts(['a', 'b', 'c'], {
      batchSize: 2,
      onProgress: (done) => progress.push(done),
    });
    expect(r).toEqual({
      modelId: 'm',
      dim: 2,
      vectors: new Float32Array([1, 0, 0, 1, 0.6, 0.8]),
      count: 3,
      truncated: [2],
      cancelled: false,
    });
    expect(progress).toEqual([2, 3]);
    expect(received[0]).toMatchObject({
      kind: 'embedTexts',
      batchSize: 2,
      settings: { modelId: 'm', dtype: 'q8' },
    });
  });

  it('numbers image rows across batches and hands each item its vector', async () => {
    const { c } = client({
      embedImages: async (_job, _settings, images, _batchSize, _max, _onModel, onBatch) => {
        expect(images.map((i) => i.name)).toEqual(['a.png', 'image 2', 'c.jpg']);
        await onBatch({
          modelId: 'm',
          dim: 2,
          items: [
            { index: 0, name: 'a.png', status: 'ok', row: 0, width: 4, height: 3 },
            {
              index: 1,
              name: 'image 2',
              status: 'error',
              error: 'image 2 was skipped: it is empty (0 bytes).',
            },
          ],
          vectors: new Float32Array([1, 0]),
        });
        await onBatch({
          modelId: 'm',
          dim: 2,
          items: [{ index: 2, name: 'c.jpg', status: 'ok', row: 0, width: 1, height: 1 }],
          vectors: new Float32Array([0, 1]),
        });
        return { cancelled: false };
      },
    });
    const seen: [string, number[] | null, number][] = [];
    const r = await c.embedImages(
      [new File(['x'], 'a.png'), new Blob([]), new File(['y'], 'c.jpg')],
      {
        batchSize: 2,
        onItem: (item, vector, done) => seen.push([item.name, vector && Array.from(vector), done]),
      },
    );
    expect(Array.from(r.vectors)).toEqual([1, 0, 0, 1]);
    expect(r.items.map((i) => (i.status === 'ok' ? i.row : -1))).toEqual([0, -1, 1]);
    expect(seen).toEqual([
      ['a.png', [1, 0], 1],
      ['image 2', null, 2],
      ['c.jpg', [0, 1], 3],
    ]);
  });

  it('turns an abort into a cancel message and resolves with what was done', async () => {
    const controller = new AbortController();
    let cancelled = (): void => undefined;
    const { c, received } = client({
      embedTexts: async (job, _settings, _texts, _batchSize, _onModel, onBatch) => {
        const stopped = new Promise<void>((resolve) => (cancelled = resolve));
        await onBatch({
          modelId: 'm',
          dim: 2,
          start: 0,
          vectors: new Float32Array([1, 0]),
          truncated: [],
        });
        await stopped; // the next batch boundary comes after the cancel
        return { cancelled: true };
      },
      cancel: () => cancelled(),
    });
    const pending = c.embedTexts(['a', 'b'], {
      batchSize: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const r = await pending;
    expect(r).toMatchObject({ count: 1, cancelled: true });
    expect(received.map((m) => m.kind)).toEqual(['embedTexts', 'cancel']);
  });

  it('tells subscribers about loads, including lazy ones inside embedding calls', async () => {
    const events: EmbedClientEvent['type'][] = [];
    const { c } = client({
      load: async (_job, _settings, _towers, onModel) => {
        await onModel({ kind: 'loading', modelId: 'm' });
        await onModel({
          kind: 'load-progress',
          progress: { modelId: 'm', loaded: 5, total: 10, files: [] },
        });
        await onModel({ kind: 'model', info });
        return info;
      },
    });
    const off = c.subscribe((e) => events.push(e.type));
    expect(await c.load()).toEqual(info);
    expect(events).toEqual(['loading', 'load-progress', 'ready']);
    off();
    await c.load();
    expect(events).toHaveLength(3);
  });

  it('rejects with the worker’s message, and reports load failures to subscribers', async () => {
    const events: EmbedClientEvent[] = [];
    const failure = (name: string, message: string) => Object.assign(new Error(message), { name });
    const { c } = client({
      load: async (_job, _settings, _towers, onModel) => {
        await onModel({ kind: 'load-failed', name: 'ModelLoadError', message: 'files missing' });
        throw failure('ModelLoadError', 'files missing');
      },
      embedTexts: async (_job, _settings, _texts, _batchSize, onModel) => {
        await onModel({ kind: 'load-failed', name: 'EmbedCancelledError', message: 'x' });
        throw failure('EmbedCancelledError', 'x');
      },
    });
    c.subscribe((e) => events.push(e));
    await expect(c.load()).rejects.toThrow(new EmbedError('files missing'));
    await expect(c.embedTexts(['a'])).rejects.toBeInstanceOf(EmbedCancelledError);
    expect(events).toEqual([
      {
        type: 'load-error',
        modelId: 'Xenova/clip-vit-base-patch32',
        message: 'files missing',
        cancelled: false,
      },
      {
        type: 'load-error',
        modelId: 'Xenova/clip-vit-base-patch32',
        message: 'Model loading was cancelled.',
        cancelled: true,
      },
    ]);
  });

  it('fails pending requests when the worker dies, and starts a fresh one next time', async () => {
    const { c, worker, received } = client({});
    const pending = c.embedTexts(['a']);
    await vi.waitFor(() => expect(received.map((m) => m.kind)).toEqual(['embedTexts']));
    worker.dispatchEvent(Object.assign(new Event('error'), { message: 'out of memory' }));
    await expect(pending).rejects.toThrow('The embedding worker failed: out of memory');
    expect(worker.terminated).toBe(true);
  });

  it('refuses bad arguments without bothering the worker', async () => {
    const { c, created } = client({});
    await expect(c.embedTexts(['a'], { batchSize: 0 })).rejects.toThrow(
      'batchSize must be an integer from 1 to 256, got 0.',
    );
    await expect(c.embedImages([new Blob(['x'])], { maxMegapixels: 0 })).rejects.toThrow(
      /maxMegapixels/,
    );
    await expect(c.embedTexts([3 as unknown as string])).rejects.toThrow('Text 1 is not a string.');
    expect(created()).toBe(0);
  });
});
