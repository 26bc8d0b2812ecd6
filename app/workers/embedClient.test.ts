import { describe, expect, it } from 'vitest';
import {
  EmbedCancelledError,
  EmbedClient,
  EmbedError,
  type EmbedClientEvent,
} from './embedClient.ts';
import type { EmbedReply, EmbedRequest } from '../../src/embed/protocol.ts';
import type { LoadedModelInfo } from '../../src/embed/types.ts';

const info: LoadedModelInfo = {
  modelId: 'm',
  dim: 2,
  choice: { device: 'wasm', dtype: 'q8', reason: 'test' },
  towers: ['text'],
  maxTokens: 77,
};

/** A worker that answers through `script`, asynchronously like a real one. */
class FakeWorker {
  onmessage: ((e: MessageEvent<EmbedReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  readonly received: EmbedRequest[] = [];
  terminated = false;
  constructor(
    private readonly script: (req: EmbedRequest, reply: (r: EmbedReply) => void) => void,
  ) {}
  postMessage(req: EmbedRequest) {
    this.received.push(req);
    this.script(req, (r) =>
      queueMicrotask(() => this.onmessage?.({ data: r } as MessageEvent<EmbedReply>)),
    );
  }
  terminate() {
    this.terminated = true;
  }
}

function client(script: ConstructorParameters<typeof FakeWorker>[0]) {
  const worker = new FakeWorker(script);
  let created = 0;
  const c = new EmbedClient(() => {
    created++;
    return worker as unknown as Worker;
  });
  return { c, worker, created: () => created };
}

describe('EmbedClient', () => {
  it('starts no worker until the first request', async () => {
    const { c, created } = client((req, reply) =>
      reply({
        id: req.id,
        kind: 'probe',
        probe: { webgpu: false, shaderF16: false, adapterInfo: '', node: false },
      }),
    );
    c.configure({ modelId: 'x', dtype: 'fp32', device: 'wasm', modelFolder: '/models/' });
    expect(created()).toBe(0);
    await c.probe();
    await c.probe();
    expect(created()).toBe(1);
  });

  it('assembles text batches into one flat array and sends the configured settings', async () => {
    const progress: number[] = [];
    const { c, worker } = client((req, reply) => {
      if (req.kind !== 'embedTexts') return;
      reply({
        id: req.id,
        kind: 'text-batch',
        modelId: 'm',
        dim: 2,
        start: 0,
        vectors: new Float32Array([1, 0, 0, 1]),
        truncated: [],
      });
      reply({
        id: req.id,
        kind: 'text-batch',
        modelId: 'm',
        dim: 2,
        start: 2,
        vectors: new Float32Array([0.6, 0.8]),
        truncated: [2],
      });
      reply({ id: req.id, kind: 'done', cancelled: false });
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
    expect(worker.received[0]).toMatchObject({
      kind: 'embedTexts',
      batchSize: 2,
      settings: { modelId: 'm', dtype: 'q8' },
    });
  });

  it('numbers image rows across batches and hands each item its vector', async () => {
    const { c } = client((req, reply) => {
      if (req.kind !== 'embedImages') return;
      expect(req.images.map((i) => i.name)).toEqual(['a.png', 'image 2', 'c.jpg']);
      reply({
        id: req.id,
        kind: 'image-batch',
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
      reply({
        id: req.id,
        kind: 'image-batch',
        modelId: 'm',
        dim: 2,
        items: [{ index: 2, name: 'c.jpg', status: 'ok', row: 0, width: 1, height: 1 }],
        vectors: new Float32Array([0, 1]),
      });
      reply({ id: req.id, kind: 'done', cancelled: false });
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
    const { c, worker } = client((req, reply) => {
      if (req.kind === 'embedTexts') {
        reply({
          id: req.id,
          kind: 'text-batch',
          modelId: 'm',
          dim: 2,
          start: 0,
          vectors: new Float32Array([1, 0]),
          truncated: [],
        });
      }
      if (req.kind === 'cancel') reply({ id: req.target, kind: 'done', cancelled: true });
    });
    const pending = c.embedTexts(['a', 'b'], {
      batchSize: 1,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const r = await pending;
    expect(r).toMatchObject({ count: 1, cancelled: true });
    expect(worker.received.map((m) => m.kind)).toEqual(['embedTexts', 'cancel']);
  });

  it('tells subscribers about loads, including lazy ones inside embedding calls', async () => {
    const events: EmbedClientEvent['type'][] = [];
    const { c } = client((req, reply) => {
      if (req.kind !== 'load') return;
      reply({ id: req.id, kind: 'loading', modelId: 'm' });
      reply({
        id: req.id,
        kind: 'load-progress',
        progress: { modelId: 'm', loaded: 5, total: 10, files: [] },
      });
      reply({ id: req.id, kind: 'model', info });
      reply({ id: req.id, kind: 'done', cancelled: false });
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
    const { c } = client((req, reply) => {
      if (req.kind === 'load')
        reply({
          id: req.id,
          kind: 'error',
          name: 'ModelLoadError',
          message: 'files missing',
          phase: 'load',
        });
      if (req.kind === 'embedTexts')
        reply({
          id: req.id,
          kind: 'error',
          name: 'EmbedCancelledError',
          message: 'x',
          phase: 'load',
        });
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
    let kill = () => {};
    const { c, worker } = client((req) => {
      if (req.kind === 'embedTexts')
        kill = () =>
          worker.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent);
    });
    const pending = c.embedTexts(['a']);
    await Promise.resolve();
    kill();
    await expect(pending).rejects.toThrow('The embedding worker failed: out of memory');
    expect(worker.terminated).toBe(true);
  });

  it('refuses bad arguments without bothering the worker', async () => {
    const { c, created } = client(() => {});
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
