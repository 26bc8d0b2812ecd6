/**
 * Links that always open (issue 9, item 4), as a person uses them in real Chromium: a link
 * copied from Compare (two items and a mixture) opens the same Compare in a fresh browser; a map
 * at the default size (32×32, trained in the page on ~1,200 rows of 512-d embeddings) travels
 * inside a link and opens in a fresh browser with every item's SDR identical. The link is read
 * from the clipboard (permission granted); state is read through the test API. Sizes, agreement
 * and the time the worker took are attached to the test result (and printed); screenshots go
 * to /tmp/links-*.png.
 *
 * The 32×32 map uses the real CLIP ViT-B/32 LVIS text embeddings when the shared data folder is
 * there (../shared/data/clip-vit-b32-text), else 1,200 rows generated here (clustered, seeded).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect, type Browser, type Page } from '@playwright/test';
import { setAsideBuiltinAtlas } from './helpers.ts';

interface Snapshot {
  mapSource: string | null;
  grid: { rows: number; cols: number } | null;
  k: number;
  view: string;
  items: number;
  encodedK: number | null;
  sdrs: number[];
  compare: string[];
}

/** What the page shows, as plain data (compare entries by label). */
function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    const enc = s.encoding;
    const current = enc && enc.map === s.map && enc.k === s.k && enc.embeddings === s.embeddings;
    const labelOf = (key: string) =>
      s.items.find((item) => item.id === key)?.label ??
      s.mixtures.find((m) => m.id === key)?.label ??
      `?${key}`;
    return {
      mapSource: s.mapSource?.kind ?? null,
      grid: s.map ? { rows: s.map.som.grid.rows, cols: s.map.som.grid.cols } : null,
      k: s.k,
      view: s.view,
      items: s.items.length,
      encodedK: current ? enc.k : null,
      sdrs: current ? Array.from(enc.active) : [],
      compare: s.compareKeys.map(labelOf),
    };
  });
}

async function openApp(page: Page, path = '/') {
  await page.goto(path);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer?.getState().dataStatus))
    .toBe('ready');
}

/** Fail on page errors and on console errors (a link that opens must open cleanly). */
function watch(page: Page, problems: string[]) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
}

/** Seeded unit rows in clusters: `n` × `d` float32, as an .npy file, with labels. */
function clusteredNpy(n: number, d: number, clusters: number): { npy: Buffer; labels: string } {
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const centres = Array.from({ length: clusters }, () => Array.from({ length: d }, rand));
  const data = new Float32Array(n * d);
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = centres[i % clusters];
    const v = c.map((x) => x + 0.6 * rand());
    const norm = Math.hypot(...v);
    for (let j = 0; j < d; j++) data[i * d + j] = v[j] / norm;
    labels.push(`concept ${i % clusters} #${i}`);
  }
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${n}, ${d}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const head = `${header}${' '.repeat(pad % 64)}\n`;
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(head.length, 8);
  return {
    npy: Buffer.concat([pre, Buffer.from(head, 'latin1'), Buffer.from(data.buffer)]),
    labels: `${labels.join('\n')}\n`,
  };
}

/** The LVIS embeddings when the shared data folder is present (from a worktree or the main copy). */
function lvisFiles(): { npy: string; labels: string } | null {
  for (const base of ['../shared', '../../shared']) {
    const dir = resolve(base, 'data/clip-vit-b32-text');
    const npy = `${dir}/lvis-1203.npy`;
    const labels = `${dir}/lvis-1203.labels.txt`;
    if (existsSync(npy) && existsSync(labels)) return { npy, labels };
  }
  return null;
}

/** Copy a link with the header's button; returns it as the clipboard holds it. */
async function copyLink(page: Page, timeout = 60_000): Promise<string> {
  await page.evaluate(() => navigator.clipboard.writeText(''));
  await page
    .locator('.shell-header')
    .getByRole('button', { name: 'Copy link', exact: true })
    .click();
  await expect(page.getByRole('dialog', { name: 'Share link' })).toBeVisible({ timeout });
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).not.toBe('');
  return page.evaluate(() => navigator.clipboard.readText());
}

async function train(page: Page, grid: string, epochs: number | null, timeout: number) {
  const panel = page.getByRole('region', { name: 'Train a map on your data' });
  await panel.getByLabel('Grid').selectOption(grid);
  if (epochs !== null) await panel.getByLabel('Epochs').fill(String(epochs));
  await panel.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().training.status), {
      timeout,
    })
    .toBe('done');
}

/** Open `link` in a fresh browser context (no storage, no clipboard of its own). */
async function openFresh(browser: Browser, link: string, problems: string[]) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  watch(page, problems);
  const url = new URL(link);
  await openApp(page, `${url.pathname}${url.search}${url.hash}`);
  return { context, page };
}

test.describe.configure({ mode: 'serial' });

test('a link copied from Compare (two items and a mixture) opens the same Compare in a fresh browser', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const problems: string[] = [];
  const context = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  watch(page, problems);
  await openApp(page);
  // The sender starts from their own data: the built-in atlas a first visit opens is set aside.
  await setAsideBuiltinAtlas(page);
  const { npy, labels } = clusteredNpy(60, 64, 4);
  await page.getByTestId('embeddings-input').setInputFiles([
    { name: 'small.npy', mimeType: 'application/octet-stream', buffer: npy },
    { name: 'small.labels.txt', mimeType: 'text/plain', buffer: Buffer.from(labels) },
  ]);
  await expect.poll(async () => (await snapshot(page)).items, { timeout: 30_000 }).toBe(60);
  await train(page, '12x12', 10, 120_000);

  // Two items side by side, then a mixture of them: as a person does in Compare.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Select concept 1 #5', { exact: true }).check();
  await page.getByLabel('Select concept 2 #10', { exact: true }).check();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Compare the 2 selected items' }).click();
  // The mixture through the store's own action (the pickers' look is another part's business).
  await page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    s.addMixture([s.items[5].id, s.items[10].id]);
  });
  await expect.poll(async () => (await snapshot(page)).encodedK).not.toBeNull();
  const sender = await snapshot(page);
  expect(sender.compare).toEqual(['concept 1 #5', 'concept 2 #10', 'concept 1 #5 + concept 2 #10']);
  await expect(page.getByTestId('compare-card')).toHaveCount(3);

  const link = await copyLink(page);
  expect(new URL(link).search).toContain('view=compare');
  expect(new URL(link).search).toContain('cmp=5,10,5~10');
  expect(link).toContain('#m=');
  await page.screenshot({ path: '/tmp/links-compare-sender.png' });

  const fresh = await openFresh(browser, link, problems);
  await expect
    .poll(async () => (await snapshot(fresh.page)).encodedK, { timeout: 60_000 })
    .toBe(sender.k);
  const receiver = await snapshot(fresh.page);
  expect(receiver).toMatchObject({
    mapSource: 'inline',
    grid: { rows: 12, cols: 12 },
    view: 'compare',
    items: 60,
    compare: sender.compare,
  });
  expect(receiver.sdrs).toEqual(sender.sdrs); // a 12×12 map travels exact
  await expect(fresh.page.getByTestId('compare-card')).toHaveCount(3);
  await expect(fresh.page.getByTestId('compare-card').nth(2)).toContainText(
    'concept 1 #5 + concept 2 #10',
  );
  await fresh.page.screenshot({ path: '/tmp/links-compare-receiver.png' });
  await fresh.context.close();
  await context.close();
  expect(problems).toEqual([]);
});

test('a default-size map of your own data opens from a link with every item’s SDR identical', async ({
  browser,
}, testInfo) => {
  test.setTimeout(600_000);
  const problems: string[] = [];
  const context = await browser.newContext({
    permissions: ['clipboard-read', 'clipboard-write'],
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  watch(page, problems);
  await openApp(page);
  await setAsideBuiltinAtlas(page);
  const lvis = lvisFiles();
  const generated = lvis ? null : clusteredNpy(1200, 512, 40);
  await page.getByTestId('embeddings-input').setInputFiles(
    lvis
      ? [lvis.npy, lvis.labels]
      : [
          { name: 'own.npy', mimeType: 'application/octet-stream', buffer: generated!.npy },
          {
            name: 'own.labels.txt',
            mimeType: 'text/plain',
            buffer: Buffer.from(generated!.labels),
          },
        ],
  );
  const n = lvis ? 1203 : 1200;
  await expect.poll(async () => (await snapshot(page)).items, { timeout: 60_000 }).toBe(n);
  await train(page, '32x32', null, 400_000);
  await expect
    .poll(async () => (await snapshot(page)).encodedK, { timeout: 60_000 })
    .not.toBeNull();
  const sender = await snapshot(page);
  expect(sender.grid).toEqual({ rows: 32, cols: 32 });

  const link = await copyLink(page, 120_000);
  const made = await page.evaluate(() => window.__sdrExplorer!.getState().lastShareLink!);
  expect(made.url).toBe(link);
  expect(made.inline).not.toBeNull();
  // Said in words: it travels approximately, and what share of active units new inputs keep.
  await expect(page.getByTestId('share-note')).toContainText('approximate');
  await expect(page.getByTestId('share-note')).toContainText(
    `new inputs keep ${(made.inline!.agreement * 100).toFixed(1)}% of their active units`,
  );
  expect(made.inline!.agreement).toBeGreaterThanOrEqual(0.98);
  await page.screenshot({ path: '/tmp/links-own-map-sender.png' });
  const figures = {
    data: lvis ? 'LVIS 1,203 × 512 (CLIP ViT-B/32 text)' : 'generated 1,200 × 512',
    grid: '32×32',
    k: sender.k,
    linkChars: link.length,
    precision: made.inline!.precision,
    agreement: made.inline!.agreement,
    workerMs: Math.round(made.inline!.ms),
  };
  await testInfo.attach('link figures', { body: JSON.stringify(figures, null, 2) });
  console.log(`link figures: ${JSON.stringify(figures)}`);

  const fresh = await openFresh(browser, link, problems);
  await expect
    .poll(async () => (await snapshot(fresh.page)).mapSource, { timeout: 120_000 })
    .toBe('inline');
  const received = await fresh.page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    return {
      grid: s.map!.som.grid.rows,
      k: s.map!.items?.k ?? null,
      labels: s.map!.items?.labels.length ?? 0,
      sdrs: Array.from(s.map!.items?.sdrs ?? []),
      linkInfo: s.linkInfo && {
        precision: s.linkInfo.precision,
        approximate: s.linkInfo.approximate,
      },
    };
  });
  expect(received.grid).toBe(32);
  expect(received.k).toBe(sender.k);
  expect(received.labels).toBe(n);
  expect(received.linkInfo).toEqual({ precision: made.inline!.precision, approximate: true });
  // Every item's SDR identical to the sender's, item by item.
  expect(received.sdrs).toHaveLength(sender.sdrs.length);
  let differing = 0;
  for (let i = 0; i < sender.sdrs.length; i++) if (received.sdrs[i] !== sender.sdrs[i]) differing++;
  expect(differing).toBe(0);
  await fresh.page.screenshot({ path: '/tmp/links-own-map-receiver.png' });
  await fresh.context.close();
  await context.close();
  expect(problems).toEqual([]);
});
