import { beforeAll, describe, expect, it } from 'vitest';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClipEmbedder, type PixelImage } from './clip.ts';
import { probeDevice } from './device.ts';
import { EmbedCancelledError, EmbedInputError, ModelLoadError } from './errors.ts';
import type { DeviceProbe, EmbedSettings, LoadProgress } from './types.ts';

// The fixture model (written by the vitest globalSetup), loaded the way users load any model:
// a model folder and a model id.
const folder = join(dirname(fileURLToPath(import.meta.url)), '../../public/models/fixture');
const settings: EmbedSettings = {
  modelId: 'clip-tiny',
  dtype: 'fp32',
  device: 'auto',
  modelFolder: folder,
};

function row(v: Float32Array, i: number, d: number) {
  return v.subarray(i * d, (i + 1) * d);
}
function dot(a: Float32Array, b: Float32Array) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function image(seed: number, w = 64, h = 48): PixelImage {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * (seed * 7 + 3) + seed * 31) % 256;
  return { data, width: w, height: h, channels: 3 };
}

let probe: DeviceProbe;
let engine: ClipEmbedder;
const progress: LoadProgress[] = [];

beforeAll(async () => {
  probe = await probeDevice();
  engine = new ClipEmbedder(settings, probe);
  await engine.load(['text', 'vision'], { onProgress: (p) => progress.push(p) });
});

describe('ClipEmbedder loading', () => {
  it('reports one growing byte figure that ends complete, with per-file detail', () => {
    const last = progress[progress.length - 1];
    expect(last.total).toBeGreaterThan(100_000);
    expect(last.loaded).toBe(last.total);
    const files = last.files.map((f) => f.file);
    expect(files).toEqual(
      expect.arrayContaining(['tokenizer.json', 'onnx/text_model.onnx', 'onnx/vision_model.onnx']),
    );
    for (let i = 1; i < progress.length; i++)
      expect(progress[i].loaded).toBeGreaterThanOrEqual(progress[i - 1].loaded);
  });

  it('says what it loaded and on which device', () => {
    expect(engine.info).toMatchObject({
      modelId: 'clip-tiny',
      dim: 512,
      towers: ['text', 'vision'],
      maxTokens: 77,
      choice: { device: 'cpu', dtype: 'fp32' },
    });
    expect(engine.imageSize).toBe(224);
    expect(engine.resizeShortestEdge).toBe(224);
  });

  it('names the model and the folder when the files are missing', async () => {
    const missing = new ClipEmbedder({ ...settings, modelId: 'no-such-model' }, probe);
    const error = await missing.load(['text']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/text tower of "no-such-model" from .*fixture/);
  });

  it('stops before downloading when the signal is already aborted', async () => {
    const fresh = new ClipEmbedder(settings, probe);
    const controller = new AbortController();
    controller.abort();
    await expect(fresh.load(['text'], { signal: controller.signal })).rejects.toBeInstanceOf(
      EmbedCancelledError,
    );
    expect(fresh.info).toBeNull();
  });

  it('refuses an empty model id', () => {
    expect(() => new ClipEmbedder({ ...settings, modelId: ' ' }, probe)).toThrow(EmbedInputError);
  });
});

describe('ClipEmbedder texts', () => {
  it('returns unit-length rows, different for different texts, equal for equal texts', async () => {
    const r = await engine.embedTexts([
      'a photo of a cat',
      'a photo of a dog',
      'a photo of a cat',
      'dog a of photo a',
    ]);
    expect(r).toMatchObject({
      modelId: 'clip-tiny',
      dim: 512,
      count: 4,
      truncated: [],
      cancelled: false,
    });
    const d = r.dim;
    for (let i = 0; i < 4; i++)
      expect(Math.sqrt(dot(row(r.vectors, i, d), row(r.vectors, i, d)))).toBeCloseTo(1, 5);
    expect(dot(row(r.vectors, 0, d), row(r.vectors, 1, d))).toBeLessThan(0.999);
    expect(dot(row(r.vectors, 0, d), row(r.vectors, 2, d))).toBeCloseTo(1, 6);
    // Word order matters (position embeddings), as in real CLIP.
    expect(dot(row(r.vectors, 1, d), row(r.vectors, 3, d))).toBeLessThan(0.999);
  });

  it('gives the same vectors whatever the batch size (padding does not leak in)', async () => {
    const texts = ['a', 'a red car on the street', 'two dogs', 'the sky at night over the city'];
    const one = await engine.embedTexts(texts, { batchSize: 1 });
    const all = await engine.embedTexts(texts, { batchSize: 4 });
    for (let i = 0; i < one.vectors.length; i++)
      expect(all.vectors[i]).toBeCloseTo(one.vectors[i], 5);
  });

  it('cuts texts at 77 tokens and says which ones', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    const r = await engine.embedTexts(['short', long, `${long} and then something else entirely`]);
    expect(r.truncated).toEqual([1, 2]);
    // Everything after the limit is ignored: both long texts embed the same.
    expect(dot(row(r.vectors, 1, r.dim), row(r.vectors, 2, r.dim))).toBeCloseTo(1, 6);
  });

  it('stops at a batch boundary when cancelled, keeping the rows done', async () => {
    const controller = new AbortController();
    const batches: number[] = [];
    const r = await engine.embedTexts(['a', 'b', 'c', 'd', 'e'], {
      batchSize: 2,
      signal: controller.signal,
      onBatch: (start) => {
        batches.push(start);
        controller.abort();
      },
    });
    expect(batches).toEqual([0]);
    expect(r).toMatchObject({ count: 2, cancelled: true });
    expect(r.vectors.length).toBe(2 * 512);
  });

  it('refuses a batch size out of range', async () => {
    await expect(engine.embedTexts(['a'], { batchSize: 0 })).rejects.toThrow(
      /batchSize must be an integer from 1 to 256/,
    );
  });

  it('q8 weights give vectors close to fp32 but not identical', async () => {
    const q8 = new ClipEmbedder({ ...settings, dtype: 'q8' }, probe);
    const a = await engine.embedTexts(['a photo of a horse']);
    const b = await q8.embedTexts(['a photo of a horse']);
    expect(q8.info?.choice.dtype).toBe('q8');
    const cos = dot(a.vectors, b.vectors);
    expect(cos).toBeGreaterThan(0.98);
    expect(cos).toBeLessThan(1 - 1e-7);
    await q8.dispose();
  });
});

describe('ClipEmbedder images', () => {
  it('returns unit-length rows, different for different images, equal for equal images', async () => {
    const v = await engine.embedImages([image(1), image(2), image(1), image(3, 30, 90)]);
    const d = 512;
    expect(v.length).toBe(4 * d);
    for (let i = 0; i < 4; i++)
      expect(Math.sqrt(dot(row(v, i, d), row(v, i, d)))).toBeCloseTo(1, 5);
    expect(dot(row(v, 0, d), row(v, 1, d))).toBeLessThan(0.999);
    expect(dot(row(v, 0, d), row(v, 2, d))).toBeCloseTo(1, 6);
  });

  it('treats RGBA like RGB (alpha dropped, as CLIP converts to RGB)', async () => {
    const rgb = image(5);
    const rgba = new Uint8Array(rgb.width * rgb.height * 4);
    for (let p = 0; p < rgb.width * rgb.height; p++) {
      rgba.set(rgb.data.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = 255;
    }
    const v = await engine.embedImages([rgb, { ...rgb, data: rgba, channels: 4 }]);
    expect(dot(row(v, 0, 512), row(v, 1, 512))).toBeCloseTo(1, 5);
  });

  it('refuses pixel data that does not match its size', async () => {
    await expect(engine.embedImages([{ ...image(1), width: 65 }])).rejects.toThrow(
      /Image 1 has 9216 bytes, not 65×48×3/,
    );
  });
});

describe('ClipEmbedder downloads', () => {
  it('stops a download in flight when the signal aborts', async () => {
    const { createServer } = await import('node:http');
    const { readFile } = await import('node:fs/promises');
    const { env } = await import('@huggingface/transformers');
    const useFSCache = env.useFSCache;
    env.useFSCache = false; // keep the test's downloads out of transformers.js's disk cache
    // Serves the fixture, but sends only half of each ONNX file and then stalls.
    const server = createServer((req, res) => {
      const path = join(folder, decodeURIComponent(req.url ?? '/'));
      readFile(path).then(
        (body) => {
          res.writeHead(200, { 'content-length': String(body.length) });
          if (path.endsWith('.onnx')) res.write(body.subarray(0, body.length >> 1));
          else res.end(body);
        },
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const remote = new ClipEmbedder(
        { ...settings, modelFolder: `http://127.0.0.1:${port}/` },
        probe,
      );
      const controller = new AbortController();
      const loading = remote.load(['text'], {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.files.some((f) => f.file.endsWith('.onnx') && f.loaded > 0)) controller.abort();
        },
      });
      await expect(loading).rejects.toBeInstanceOf(EmbedCancelledError);
      expect(remote.info).toBeNull();
    } finally {
      env.useFSCache = useFSCache;
      server.closeAllConnections();
      server.close();
    }
  });
});
