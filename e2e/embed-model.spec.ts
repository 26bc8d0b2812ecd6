import { test, expect, type Page } from '@playwright/test';
import {
  FIXTURE_MODEL_FOLDER as FOLDER,
  FIXTURE_MODEL_ID as MODEL_ID,
  chooseFixtureModel,
  expectAccessible,
  modelPanel,
} from './helpers.ts';

/**
 * CLIP in the browser, as a person uses it: the model panel pointed at a self-hosted model
 * folder (the tiny fixture model, served by the app like any model folder) loads the model with
 * progress, names the device, and the embed worker embeds texts and image files.
 */

async function openWithFixture(page: Page, device: 'wasm' | 'webgpu') {
  await page.goto('/');
  return chooseFixtureModel(page, { device, dtype: 'fp32' });
}

async function loadModel(page: Page, device: 'wasm' | 'webgpu') {
  const panel = modelPanel(page);
  await panel.getByLabel('Device').selectOption(device);
  await panel.getByRole('button', { name: /Load model|Reload model/ }).click();
  const name = device === 'wasm' ? 'WASM' : 'WebGPU';
  await expect(panel.getByRole('status')).toContainText(`Ready: ${MODEL_ID}, 512-d, ${name} fp32`);
}

function dot(a: number[], b: number[]) {
  return a.reduce((s, x, i) => s + x * b[i], 0);
}

test('the model panel loads a self-hosted model with progress and embeds texts in the worker', async ({
  page,
}) => {
  const errors: string[] = [];
  const offsite: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1') && !/^(blob|data):/.test(r.url()))
      offsite.push(r.url());
  });
  const panel = await openWithFixture(page, 'wasm');
  // Sizes are shown before anything downloads.
  await expect(panel.getByRole('table')).toContainText('CLIP ViT-B/32');
  await expect(panel.getByRole('table')).toContainText('q8: ≈');
  await loadModel(page, 'wasm');

  // One progress figure, complete, with the files behind it.
  await expect(panel.getByRole('progressbar', { name: 'Model download' })).toBeVisible();
  const progress = await page.evaluate(() => window.__sdrExplorer!.getState().modelProgress);
  expect(progress!.total).toBeGreaterThan(100_000);
  expect(progress!.loaded).toBe(progress!.total);
  expect(progress!.files.map((f) => f.file)).toEqual(
    expect.arrayContaining(['onnx/text_model.onnx', 'onnx/vision_model.onnx', 'tokenizer.json']),
  );
  await panel.getByText(/^Files \(/).click();
  await expect(panel.getByText('onnx/text_model.onnx')).toBeVisible();

  // The device is named, with the reason.
  await expect(panel.getByTestId('model-device')).toContainText('Running on WASM fp32');
  await expect(panel.getByTestId('model-device')).toContainText('WASM chosen by you');

  const r = await page.evaluate(() =>
    window.__sdrExplorer!.embedTexts(['a photo of a cat', 'a photo of a dog', 'a photo of a cat']),
  );
  expect(r).toMatchObject({ modelId: MODEL_ID, dim: 512, truncated: [] });
  const row = (i: number) => r.vectors.slice(i * 512, (i + 1) * 512);
  expect(Math.sqrt(dot(row(0), row(0)))).toBeCloseTo(1, 4);
  expect(dot(row(0), row(1))).toBeLessThan(0.999);
  expect(dot(row(0), row(2))).toBeCloseTo(1, 5);

  // The settings survive a reload (localStorage).
  await page.reload();
  const settings = await page.evaluate(() => window.__sdrExplorer!.getState().modelSettings);
  expect(settings).toEqual({
    modelId: MODEL_ID,
    modelFolder: FOLDER,
    dtype: 'fp32',
    device: 'wasm',
  });

  // The browser cache holds the model files; clearing empties it.
  const cache = modelPanel(page).locator('details.model-cache');
  await cache.locator('summary').click();
  await expect(cache.locator('summary')).toContainText(/Browser cache: [1-9]\d* files/);
  await expect(cache.getByRole('list', { name: 'Cached models' })).toContainText(MODEL_ID);
  await cache.getByRole('button', { name: 'Clear cache' }).click();
  await expect(cache.locator('summary')).toContainText('Browser cache: 0 files');

  // The panel passes an accessibility audit with its details open.
  await expectAccessible(page, '.model-panel');

  expect(offsite).toEqual([]);
  expect(errors).toEqual([]);
});

test('image files are decoded in the worker: formats, EXIF rotation, thumbnails, clear refusals', async ({
  page,
}) => {
  await openWithFixture(page, 'wasm');
  await loadModel(page, 'wasm');
  const r = await page.evaluate(async () => {
    /** Left half red, right half blue: turning it a quarter changes what CLIP sees. */
    function source(w: number, h: number) {
      const c = new OffscreenCanvas(w, h);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#e02020';
      ctx.fillRect(0, 0, w / 2, h);
      ctx.fillStyle = '#2040e0';
      ctx.fillRect(w / 2, 0, w / 2, h);
      return c;
    }
    const plain = source(160, 80);
    const png = await plain.convertToBlob({ type: 'image/png' });
    const jpeg = await plain.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const webp = await plain.convertToBlob({ type: 'image/webp', quality: 0.95 });
    // The same picture turned 90° clockwise, drawn for real…
    const turned = new OffscreenCanvas(80, 160);
    const tctx = turned.getContext('2d')!;
    tctx.translate(80, 0);
    tctx.rotate(Math.PI / 2);
    tctx.drawImage(plain, 0, 0);
    const turnedJpeg = await turned.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    // …and stored unturned with EXIF orientation 6 ("turn 90° clockwise to display").
    const jpegBytes = new Uint8Array(await jpeg.arrayBuffer());
    const tiff = [
      0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0,
    ];
    const exif = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    const app1 = [0xff, 0xe1, (exif.length + 2) >> 8, (exif.length + 2) & 255, ...exif];
    const exifJpeg = new Blob([jpegBytes.slice(0, 2), new Uint8Array(app1), jpegBytes.slice(2)], {
      type: 'image/jpeg',
    });
    // GIF (1×1, first frame) and a 24-bit BMP (2×2) written by hand.
    const gif = new Blob([
      Uint8Array.from(atob('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='), (c) =>
        c.charCodeAt(0),
      ),
    ]);
    const bmp = new Uint8Array(70);
    const v = new DataView(bmp.buffer);
    bmp.set([0x42, 0x4d]);
    v.setUint32(2, 70, true);
    v.setUint32(10, 54, true);
    v.setUint32(14, 40, true);
    v.setInt32(18, 2, true);
    v.setInt32(22, 2, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, 24, true);
    for (let i = 54; i < 70; i++) bmp[i] = (i * 37) % 256;
    // Files that must be refused, each with its own reason.
    const empty = new Blob([]);
    const pdf = new Blob(['%PDF-1.7\n1 0 obj\n<<>>\nendobj\n']);
    const cut = new Blob([jpegBytes.slice(0, Math.floor(jpegBytes.length / 2))]);
    const bombHeader = new Uint8Array(33);
    bombHeader.set([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    new DataView(bombHeader.buffer).setUint32(16, 30000);
    new DataView(bombHeader.buffer).setUint32(20, 30000);
    const bomb = new Blob([
      bombHeader,
      new Uint8Array([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]),
    ]);
    const named = (b: Blob, name: string) => new File([b], name, { type: b.type });
    return window.__sdrExplorer!.embedImages([
      named(png, 'plain.png'),
      named(jpeg, 'plain.jpg'),
      named(webp, 'plain.webp'),
      named(turnedJpeg, 'turned.jpg'),
      named(exifJpeg, 'exif6.jpg'),
      named(gif, 'dot.gif'),
      named(new Blob([bmp]), 'tiny.bmp'),
      named(empty, 'empty.png'),
      named(pdf, 'paper.pdf'),
      named(cut, 'cut.jpg'),
      named(bomb, 'bomb.png'),
    ]);
  });
  const byName = Object.fromEntries(r.items.map((i) => [i.name, i]));
  for (const name of [
    'plain.png',
    'plain.jpg',
    'plain.webp',
    'turned.jpg',
    'exif6.jpg',
    'dot.gif',
    'tiny.bmp',
  ]) {
    expect(byName[name].status, name).toBe('ok');
    expect(byName[name].thumbnail?.type).toBe('image/jpeg');
    expect(byName[name].thumbnail?.bytes).toBeGreaterThan(100);
  }
  expect(byName['exif6.jpg']).toMatchObject({ width: 80, height: 160 });
  expect(byName['empty.png'].error).toBe('empty.png was skipped: it is empty (0 bytes).');
  expect(byName['paper.pdf'].error).toMatch(/PDF document/);
  expect(byName['cut.jpg'].error).toMatch(/truncated JPEG/);
  expect(byName['bomb.png'].error).toMatch(/900 megapixels \(30000×30000\); the limit is 100/);

  const vec = (name: string) =>
    r.vectors.slice(byName[name].row! * 512, (byName[name].row! + 1) * 512);
  // The same picture in three formats embeds (nearly) the same.
  expect(dot(vec('plain.png'), vec('plain.webp'))).toBeGreaterThan(0.99);
  // EXIF orientation is honoured: the EXIF-turned file matches the really turned one…
  const exifVsTurned = dot(vec('exif6.jpg'), vec('turned.jpg'));
  expect(exifVsTurned).toBeGreaterThan(0.99);
  // …and not the unturned picture.
  expect(dot(vec('exif6.jpg'), vec('plain.jpg'))).toBeLessThan(exifVsTurned - 0.01);
});

test('WebGPU and WASM give the same vectors', async ({ page }) => {
  await page.goto('/');
  const adapter = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'navigator.gpu is missing';
    return (await gpu.requestAdapter()) ? '' : 'navigator.gpu.requestAdapter() returned null';
  });
  test.skip(adapter !== '', `WebGPU is unavailable in this headless Chromium: ${adapter}`);

  await openWithFixture(page, 'wasm');
  const texts = ['a photo of a cat', 'two dogs playing in the snow', 'a red car'];
  await loadModel(page, 'wasm');
  const wasm = await page.evaluate((t) => window.__sdrExplorer!.embedTexts(t), texts);
  await loadModel(page, 'webgpu');
  await expect(page.getByTestId('model-device')).toContainText('Running on WebGPU');
  const gpu = await page.evaluate((t) => window.__sdrExplorer!.embedTexts(t), texts);
  expect(gpu.vectors.length).toBe(wasm.vectors.length);
  let worst = 0;
  for (let i = 0; i < wasm.vectors.length; i++)
    worst = Math.max(worst, Math.abs(wasm.vectors[i] - gpu.vectors[i]));
  expect(worst).toBeLessThan(1e-4);
});
