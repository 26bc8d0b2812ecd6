/**
 * Bringing data in, in real Chromium: drop images (one corrupt), type phrases, paste text, pick a
 * folder, import embeddings made elsewhere, delete with our own confirm dialog, and find it all
 * again after a reload (IndexedDB). Embedding uses the fixture CLIP model
 * (`npm run fixture` → public/models/fixture/clip-tiny/), chosen in the model panel the way a
 * person would point the app at a self-hosted model.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { chooseFixtureModel, openApp, solidPng, tab, waitForData } from './helpers.ts';

interface ItemSummary {
  id: string;
  kind: string;
  label: string;
  source: string;
  text?: string;
  note?: string;
  thumbnailBytes: number;
}

/** The dataset as plain data, read through the test API. */
async function dataset(page: Page) {
  return page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    const d = s.embeddingDim;
    const norms: number[] = [];
    for (let i = 0; i < s.items.length; i++) {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += s.embeddings[i * d + j] ** 2;
      norms.push(Math.sqrt(sum));
    }
    return {
      status: s.dataStatus,
      dim: d,
      floats: s.embeddings.length,
      head: Array.from(s.embeddings.subarray(0, Math.min(s.embeddings.length, 4 * d))),
      norms,
      items: s.items.map((i): ItemSummary => ({
        id: i.id,
        kind: i.kind,
        label: i.label,
        source: i.source,
        text: i.text,
        note: i.note,
        thumbnailBytes: i.thumbnail?.size ?? 0,
      })),
    };
  });
}

const itemCount = (page: Page) =>
  page.evaluate(() => window.__sdrExplorer!.getState().items.length);

/** True once no embedding job runs or waits. */
const jobsIdle = (page: Page) =>
  page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    const phase = s.embedJob?.phase;
    return s.queuedJobs === 0 && phase !== 'running' && phase !== 'cancelling';
  });

/** Point the model panel at the fixture model (WASM: the same path on every machine). */
async function useFixtureModel(page: Page) {
  await chooseFixtureModel(page);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().modelSettings))
    .toMatchObject({ modelId: 'clip-tiny', modelFolder: '/models/fixture/', device: 'wasm' });
}

/** A float32 .npy file (format v1.0) of an n×d array. */
function npy(rows: number[][]): Buffer {
  const n = rows.length;
  const d = rows[0].length;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  const data = Buffer.from(new Float32Array(rows.flat()).buffer);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

test('dropped images and typed phrases are embedded, a corrupt file is named, and all survive a reload', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await openApp(page);
  await useFixtureModel(page);

  // Three images made in the page: a PNG, a JPEG, and a "PNG" that is a signature and junk.
  const transfer = await page.evaluateHandle(async () => {
    async function picture(name: string, type: string, bg: string, fg: string) {
      const canvas = new OffscreenCanvas(96, 64);
      const g = canvas.getContext('2d')!;
      g.fillStyle = bg;
      g.fillRect(0, 0, 96, 64);
      g.fillStyle = fg;
      g.beginPath();
      g.arc(48, 32, 20, 0, Math.PI * 2);
      g.fill();
      return new File([await canvas.convertToBlob({ type })], name, { type });
    }
    const dt = new DataTransfer();
    dt.items.add(await picture('sunrise.png', 'image/png', '#f4a261', '#e63946'));
    dt.items.add(
      new File(
        [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7])],
        'broken.png',
        { type: 'image/png' },
      ),
    );
    dt.items.add(await picture('ocean.jpg', 'image/jpeg', '#1d3557', '#a8dadc'));
    return dt;
  });
  const dropZone = page.getByTestId('drop-zone');
  await dropZone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await dropZone.dispatchEvent('dragover', { dataTransfer: transfer });
  await dropZone.dispatchEvent('drop', { dataTransfer: transfer });

  await page.getByLabel('Text to embed').fill('a photo of a cat\na red bicycle\nthe sea at night');
  await page.getByRole('button', { name: 'Embed 3 texts' }).click();

  // Progress is shown while the jobs run (the bar and the per-item list).
  const progress = page.getByRole('region', { name: 'Embedding progress' });
  await expect(progress).toBeVisible();
  await expect(progress.getByRole('progressbar')).toBeVisible();

  await expect.poll(() => itemCount(page), { timeout: 90_000 }).toBe(5);
  await expect.poll(() => jobsIdle(page)).toBe(true);

  // One clear error for the corrupt file, naming it; the rest went on.
  const errors = page.getByRole('region', { name: 'Files that could not be used' });
  await expect(errors).toContainText('broken.png');
  await expect(errors.getByRole('listitem')).toHaveCount(1);
  await expect(page.locator('.notice-error')).toContainText('broken.png');

  const before = await dataset(page);
  expect(before.items.map((i) => [i.kind, i.label]).sort()).toEqual(
    [
      ['image', 'ocean'],
      ['image', 'sunrise'],
      ['text', 'a photo of a cat'],
      ['text', 'a red bicycle'],
      ['text', 'the sea at night'],
    ].sort(),
  );
  expect(before.dim).toBeGreaterThan(1);
  expect(before.floats).toBe(5 * before.dim);
  for (const norm of before.norms) expect(norm).toBeCloseTo(1, 4);
  for (const item of before.items.filter((i) => i.kind === 'image')) {
    expect(item.thumbnailBytes).toBeGreaterThan(0);
  }
  expect(pageErrors).toEqual([]);

  await tab(page, 'Data').click();
  await expect(page.getByRole('list', { name: 'Dataset items' }).getByRole('listitem')).toHaveCount(
    5,
  );
  await expect(page.getByRole('img', { name: 'sunrise' })).toBeVisible();
  await page.screenshot({ path: '/tmp/data-panel.png', fullPage: true });

  // Reload: the same items, in the same order, with the same vectors and thumbnails.
  await page.reload();
  await waitForData(page);
  const after = await dataset(page);
  expect(after.items).toEqual(before.items);
  expect(after.head).toEqual(before.head);
  expect(after.dim).toBe(before.dim);
  await tab(page, 'Data').click();
  await expect(page.getByRole('img', { name: 'ocean' })).toBeVisible();

  // Text pasted on the page (not into a text field) becomes an item too.
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'a pasted phrase');
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  });
  await expect.poll(() => itemCount(page), { timeout: 60_000 }).toBe(6);
  expect((await dataset(page)).items.at(-1)?.text).toBe('a pasted phrase');
  expect(pageErrors).toEqual([]);
});

test('a picked folder labels its images with the folder name; over-long text is noted on its item', async ({
  page,
}) => {
  const root = mkdtempSync(join(tmpdir(), 'sdr-data-e2e-'));
  const folder = join(root, 'beach');
  mkdirSync(join(folder, 'shells'), { recursive: true });
  writeFileSync(join(folder, 'sand.png'), solidPng(40, 30, [222, 196, 140]));
  writeFileSync(join(folder, 'shells', 'conch.png'), solidPng(30, 40, [240, 180, 190]));
  writeFileSync(join(folder, 'notes.md'), '# not an image');
  await openApp(page);
  await useFixtureModel(page);

  await page.getByTestId('folder-input').setInputFiles(folder);
  // An info notice leaves after 6 s: watch for this one while the images embed, which can take
  // longer than that on a busy machine.
  const passedOver = expect(page.locator('.notice')).toContainText(['Passed over 1 file'], {
    timeout: 90_000,
  });
  await expect.poll(() => itemCount(page), { timeout: 90_000 }).toBe(2);
  await expect.poll(() => jobsIdle(page)).toBe(true);
  const { items } = await dataset(page);
  expect(items.map((i) => [i.source, i.label]).sort()).toEqual([
    ['conch.png', 'shells'],
    ['sand.png', 'beach'],
  ]);
  await passedOver;

  // Text past CLIP's 77-token limit, kept whole as one item: the item says it was cut.
  const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
  await page.getByLabel('All as one item').check();
  await page.getByLabel('Text to embed').fill(long);
  await page.getByRole('button', { name: 'Embed text' }).click();
  await expect.poll(() => itemCount(page), { timeout: 60_000 }).toBe(3);
  expect((await dataset(page)).items[2]).toMatchObject({ kind: 'text', text: long });
  expect((await dataset(page)).items[2].note).toMatch(/77-token limit/);
  await tab(page, 'Data').click();
  await expect(
    page.getByRole('listitem', { name: /^text item: word0/ }).getByRole('note'),
  ).toContainText('77-token limit');
});

test('embeddings made elsewhere import with labels; a wrong dimension is refused and nothing is lost', async ({
  page,
}) => {
  await openApp(page);
  const input = page.getByTestId('embeddings-input');
  await input.setInputFiles([
    {
      name: 'tiny.npy',
      mimeType: 'application/octet-stream',
      buffer: npy([
        [3, 4, 0, 0],
        [0, 0, 5, 0],
        [1, 1, 1, 1],
      ]),
    },
    {
      name: 'tiny.labels.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('alpha\nbeta\ngamma\n'),
    },
  ]);
  await expect.poll(() => itemCount(page)).toBe(3);
  const imported = await dataset(page);
  expect(imported.dim).toBe(4);
  expect(imported.items.map((i) => [i.kind, i.label, i.source])).toEqual([
    ['imported', 'alpha', 'tiny.npy'],
    ['imported', 'beta', 'tiny.npy'],
    ['imported', 'gamma', 'tiny.npy'],
  ]);
  for (const norm of imported.norms) expect(norm).toBeCloseTo(1, 5);
  await expect(page.locator('.notice')).toContainText(['Imported 3 embeddings']);

  // Six numbers a row against a 4-d dataset: refused, with both numbers, and nothing changes.
  await input.setInputFiles({
    name: 'wide.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('0.1,0.2,0.3,0.4,0.5,0.6\n0.6,0.5,0.4,0.3,0.2,0.1\n'),
  });
  const refusal = page.locator('.notice-error');
  await expect(refusal).toContainText('wide.csv gives 6-dimensional embeddings');
  await expect(refusal).toContainText('4-dimensional');
  await expect(refusal).toContainText('your 3 items are unchanged');
  expect((await dataset(page)).items).toEqual(imported.items);

  // Deleting asks once, in our own dialog; Cancel keeps, Delete deletes.
  await tab(page, 'Data').click();
  await page.getByLabel('Select beta').check();
  await page.getByRole('button', { name: 'Delete selected' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete the selected item?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await itemCount(page)).toBe(3);
  await page.getByRole('button', { name: 'Delete selected' }).click();
  await dialog.getByRole('button', { name: 'Delete 1 item' }).click();
  await expect.poll(() => itemCount(page)).toBe(2);

  await page.reload();
  await waitForData(page);
  expect((await dataset(page)).items.map((i) => i.label)).toEqual(['alpha', 'gamma']);
});
