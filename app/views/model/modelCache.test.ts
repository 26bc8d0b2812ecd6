import { describe, expect, it } from 'vitest';
import { MODEL_CACHE_NAME, clearModelCache, listModelCache, modelOfUrl } from './modelCache.ts';

/** A CacheStorage holding one cache of `entries` (url → body, with or without content-length). */
function fakeStorage(entries: Record<string, { body: string; length?: boolean }>) {
  let present = true;
  const cache = {
    keys: async () => Object.keys(entries).map((url) => ({ url }) as Request),
    match: async (req: Request) => {
      const e = entries[req.url];
      const headers = new Headers(
        e.length === false ? {} : { 'content-length': String(e.body.length) },
      );
      return new Response(e.body, { headers });
    },
  };
  return {
    has: async (name: string) => present && name === MODEL_CACHE_NAME,
    open: async () => cache,
    delete: async (name: string) => {
      if (name === MODEL_CACHE_NAME) present = false;
      return true;
    },
  } as unknown as CacheStorage;
}

describe('model cache', () => {
  it('names the model of hub, folder and runtime URLs', () => {
    expect(
      modelOfUrl(
        'https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model.onnx',
      ),
    ).toBe('Xenova/clip-vit-base-patch32');
    expect(
      modelOfUrl('http://127.0.0.1:4322/models/fixture/clip-tiny/onnx/vision_model.onnx'),
    ).toBe('clip-tiny');
    expect(modelOfUrl('http://127.0.0.1:4322/models/fixture/clip-tiny/config.json')).toBe(
      'clip-tiny',
    );
    expect(modelOfUrl('http://127.0.0.1/assets/ort-wasm-simd-threaded.asyncify-abc.wasm')).toBe(
      'ONNX Runtime',
    );
  });

  it('lists files with sizes, from headers or from the body, grouped by model', async () => {
    const storage = fakeStorage({
      'http://h/models/b-model/config.json': { body: '{}' },
      'http://h/models/a-model/onnx/text_model.onnx': { body: 'x'.repeat(50), length: false },
    });
    const summary = await listModelCache(storage);
    expect(summary).toEqual({
      files: [
        { url: 'http://h/models/a-model/onnx/text_model.onnx', model: 'a-model', bytes: 50 },
        { url: 'http://h/models/b-model/config.json', model: 'b-model', bytes: 2 },
      ],
      totalBytes: 52,
    });
  });

  it('is empty after clearing, and without the Cache API at all', async () => {
    const storage = fakeStorage({ 'http://h/models/m/config.json': { body: '{}' } });
    await clearModelCache(storage);
    expect(await listModelCache(storage)).toEqual({ files: [], totalBytes: 0 });
    expect(await listModelCache(undefined)).toEqual({ files: [], totalBytes: 0 });
  });
});
