/**
 * The embedding part of the browser benchmark: 12-megapixel JPEGs (4000×3000, drawn and encoded
 * in the page with OffscreenCanvas.convertToBlob) through the app's real embed client and worker
 * (app/workers/embedClient.ts, embed.worker.ts): header check, decode straight to CLIP's size,
 * thumbnail, preprocessing and the model run, with the fixture CLIP model (`npm run fixture`:
 * model folder /models/fixture/, id clip-tiny) on WASM.
 *
 * A few distinct pictures are made (encoding a 12 MP JPEG takes the page a while) and sent in
 * turn: the worker decodes every file anew, so the work per image is the same as for distinct
 * files. Long main-thread tasks (PerformanceObserver 'longtask', > 50 ms) are collected while
 * the batch is embedded.
 */
import { EmbedClient } from '../app/workers/embedClient.ts';
import { createRng } from '../src/util/random.ts';
import { watchLongTasks } from './longTasks.ts';

export interface EmbedBenchSpec {
  /** Images in the timed batch; default 200. */
  readonly images?: number;
  /** Picture size; default 4000×3000 (12 megapixels). */
  readonly width?: number;
  readonly height?: number;
  /** Distinct pictures made and cycled through; default 6. */
  readonly distinct?: number;
  /** Images per model call (EmbedImagesOptions.batchSize); default 8 (the app's default). */
  readonly batchSize?: number;
}

export interface EmbedFigures {
  readonly images: number;
  readonly megapixels: number;
  /** Mean JPEG size, bytes. */
  readonly jpegBytes: number;
  /** Making the test pictures (not part of the pipeline), ms. */
  readonly makeMs: number;
  /** Starting the worker and loading the vision tower, ms. */
  readonly loadMs: number;
  /** The timed batch, ms, and its throughput. */
  readonly batchMs: number;
  readonly imagesPerSecond: number;
  readonly embedded: number;
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

/** A seeded photo-like picture: gradients, shapes and fine noise (so JPEG has work to do). */
async function makeJpeg(width: number, height: number, seed: number): Promise<Blob> {
  const rng = createRng(seed);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D OffscreenCanvas in this browser');
  const sky = ctx.createLinearGradient(0, 0, width, height);
  sky.addColorStop(0, `hsl(${Math.floor(rng() * 360)} 60% 70%)`);
  sky.addColorStop(1, `hsl(${Math.floor(rng() * 360)} 50% 30%)`);
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);
  for (let s = 0; s < 60; s++) {
    ctx.fillStyle = `hsl(${Math.floor(rng() * 360)} ${40 + Math.floor(rng() * 50)}% ${20 + Math.floor(rng() * 60)}% / 0.7)`;
    ctx.beginPath();
    ctx.ellipse(
      rng() * width,
      rng() * height,
      20 + rng() * width * 0.2,
      20 + rng() * height * 0.2,
      rng() * Math.PI,
      0,
      2 * Math.PI,
    );
    ctx.fill();
  }
  // Grain over a strip, so the JPEG is not trivially smooth (real photos are not).
  const grain = ctx.getImageData(0, 0, width, Math.min(height, 400));
  for (let i = 0; i < grain.data.length; i += 4) {
    const v = (rng() - 0.5) * 40;
    grain.data[i] += v;
    grain.data[i + 1] += v;
    grain.data[i + 2] += v;
  }
  ctx.putImageData(grain, 0, Math.floor(rng() * (height - grain.height)));
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
}

export async function benchEmbed(spec: EmbedBenchSpec = {}): Promise<EmbedFigures> {
  const count = spec.images ?? 200;
  const width = spec.width ?? 4000;
  const height = spec.height ?? 3000;
  const distinct = Math.max(1, Math.min(count, spec.distinct ?? 6));
  const t0 = performance.now();
  const pictures: Blob[] = [];
  for (let i = 0; i < distinct; i++) pictures.push(await makeJpeg(width, height, 11 + i));
  const makeMs = performance.now() - t0;
  const files = Array.from(
    { length: count },
    (_, i) => new File([pictures[i % distinct]], `photo-${i}.jpg`, { type: 'image/jpeg' }),
  );

  let worker: Worker | null = null;
  const client = new EmbedClient(
    () =>
      (worker = new Worker(new URL('../app/workers/embed.worker.ts', import.meta.url), {
        type: 'module',
      })),
  );
  client.configure({
    modelId: 'clip-tiny',
    dtype: 'auto',
    device: 'wasm',
    modelFolder: '/models/fixture/',
  });
  try {
    const t1 = performance.now();
    await client.load({ towers: ['vision'] });
    // One image first: the runtime's first run allocates and compiles what it needs.
    await client.embedImages(files.slice(0, 1));
    const loadMs = performance.now() - t1;

    const stopWatching = watchLongTasks();
    let long: number[] = [];
    const t2 = performance.now();
    let result;
    try {
      result = await client.embedImages(files, { batchSize: spec.batchSize ?? 8 });
    } finally {
      long = stopWatching();
    }
    const batchMs = performance.now() - t2;
    const embedded = result.items.filter((item) => item.status === 'ok').length;
    return {
      images: count,
      megapixels: (width * height) / 1e6,
      jpegBytes: Math.round(pictures.reduce((s, p) => s + p.size, 0) / distinct),
      makeMs,
      loadMs,
      batchMs,
      imagesPerSecond: (embedded * 1000) / batchMs,
      embedded,
      longTasks: long.length,
      longestTaskMs: long.length > 0 ? Math.max(...long) : 0,
    };
  } finally {
    (worker as Worker | null)?.terminate();
  }
}
