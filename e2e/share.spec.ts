/**
 * Saved maps and share links, as a person uses them, in real Chromium under the built page's
 * Content-Security-Policy: train a small map on imported embeddings, save it in the library,
 * reload and open it (identical SDRs), download it and drop the file on a fresh page, copy a
 * link and open it in a fresh browser (same map, items, K and view; back/forward; embed mode),
 * and open hostile links (javascript:/data: addresses, a web page, a 404, a redirect loop, an
 * endless body, a damaged inline map, script in the state, an oversized query): each is refused
 * in words and the page stays usable. Assertions read state through the test API; screenshots
 * go to /tmp/share-*.png.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { openTrainPanel, setAsideBuiltinAtlas } from './helpers.ts';

const N = 36;
const D = 64;
const HOSTILE_LABEL = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_NAME = '<b>Teaching</b> map <script>window.__pwned=1</script>';

/** 36 unit rows in 4 clusters (seeded), labelled; one label is an HTML injection attempt. */
function embeddingsJson(): string {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const centres = Array.from({ length: 4 }, () => Array.from({ length: D }, rand));
  const rows: number[][] = [];
  const labels: string[] = [];
  for (let i = 0; i < N; i++) {
    const c = centres[i % 4];
    const v = c.map((x) => x + 0.35 * rand());
    const norm = Math.hypot(...v);
    rows.push(v.map((x) => Math.fround(x / norm)));
    labels.push(i === 5 ? HOSTILE_LABEL : `${['cat', 'car', 'tree', 'sea'][i % 4]} ${i}`);
  }
  return JSON.stringify({ embeddings: rows, labels });
}

interface Snapshot {
  mapName: string | null;
  mapSource: string | null;
  grid: { rows: number; cols: number } | null;
  k: number;
  view: string;
  items: number;
  selected: number[];
  encodedK: number | null;
  sdrs: number[];
}

/** What the page shows, as plain data. */
function snapshot(page: Page): Promise<Snapshot> {
  return page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    const enc = s.encoding;
    const current = enc && enc.map === s.map && enc.k === s.k && enc.embeddings === s.embeddings;
    return {
      mapName: s.map?.name ?? null,
      mapSource: s.mapSource?.kind ?? null,
      grid: s.map ? { rows: s.map.som.grid.rows, cols: s.map.som.grid.cols } : null,
      k: s.k,
      view: s.view,
      items: s.items.length,
      selected: s.selectedItemIds.map((id) => s.items.findIndex((item) => item.id === id)),
      encodedK: current ? enc.k : null,
      sdrs: current ? Array.from(enc.active) : [],
    };
  });
}

// Empty until the page's store is up (the first script loads the page's code after it starts).
const notices = (page: Page) =>
  page.evaluate(
    () => window.__sdrExplorer?.getState().notices.map((n) => `${n.kind}: ${n.text}`) ?? [],
  );

async function openApp(page: Page, path = '/') {
  await page.goto(path);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer?.getState().dataStatus))
    .toBe('ready');
  // A visit without a map in its link opens on the built-in atlas: this story starts empty.
  await setAsideBuiltinAtlas(page);
}

/** A page that records errors, dialogs (a script that ran would open one) and CSP reports. */
function watch(page: Page, problems: string[]) {
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
}

/** The page still works: switching tabs switches views, and nothing ran that should not. */
async function stillUsable(page: Page) {
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('tab', { name: 'Data' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Map' }).click();
  await expect(page.getByRole('tab', { name: 'Map' })).toHaveAttribute('aria-selected', 'true');
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
}

// One story in order: the library context carries its IndexedDB from step to step.
test.describe.configure({ mode: 'serial' });
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
let trained: Snapshot;
let link = '';
let mapFile = '';

test.beforeAll(async ({ browser: b }) => {
  browser = b;
  context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  page = await context.newPage();
  watch(page, problems);
});
test.afterAll(async () => {
  await context.close();
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

test('a map saved in the library survives a reload and reopens with identical SDRs', async () => {
  test.setTimeout(180_000);
  await openApp(page);
  // The built page carries its Content-Security-Policy.
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("object-src 'none'");

  await page.getByTestId('embeddings-input').setInputFiles({
    name: 'teaching.json',
    mimeType: 'application/json',
    buffer: Buffer.from(embeddingsJson()),
  });
  await expect.poll(async () => (await snapshot(page)).items, { timeout: 30_000 }).toBe(N);

  const train = await openTrainPanel(page);
  await train.getByLabel('Grid').selectOption('12x12');
  await train.getByLabel('Epochs').fill('10');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().training.status), {
      timeout: 120_000,
    })
    .toBe('done');
  await page.getByLabel('K (active units)').fill('8');
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Select car 9', { exact: true }).check();
  await page.getByLabel('Select tree 2', { exact: true }).check();
  await expect.poll(async () => (await snapshot(page)).encodedK).toBe(8);
  trained = await snapshot(page);
  expect(trained).toMatchObject({ mapSource: 'trained', grid: { rows: 12, cols: 12 }, k: 8 });
  expect(trained.selected).toEqual([9, 2]);
  expect(trained.sdrs).toHaveLength(N * 8);
  // The view state is in the address.
  expect(new URL(page.url()).search).toBe('?view=data&items=9,2&k=8');

  await page.getByRole('tab', { name: 'Library & sharing' }).click();
  await page.getByLabel('Map name').fill(HOSTILE_NAME);
  await page.getByRole('button', { name: 'Save in this browser' }).click();
  const saved = page.getByRole('list', { name: 'Saved maps' }).getByRole('listitem');
  await expect(saved).toHaveCount(1);
  // Names are shown as text, never as markup.
  await expect(saved.first()).toContainText(HOSTILE_NAME);
  await expect(saved.first()).toContainText('12×12 rect, 64-d, 36 items with embeddings');
  await page.screenshot({ path: '/tmp/share-library.png', fullPage: true });

  // Reload: the library is still there; opening the map gives the same SDRs for every item.
  await page.reload();
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().dataStatus))
    .toBe('ready');
  await expect(page.getByRole('tab', { name: 'Library & sharing' })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.getByRole('button', { name: `Open ${HOSTILE_NAME}` }).click();
  await expect.poll(async () => (await snapshot(page)).mapSource).toBe('library');
  await expect.poll(async () => (await snapshot(page)).encodedK).toBe(8);
  const reopened = await snapshot(page);
  expect(reopened.mapName).toBe(HOSTILE_NAME);
  expect(reopened.sdrs).toEqual(trained.sdrs);
  expect(reopened.selected).toEqual([9, 2]); // the address kept the selection over the reload
  const stored = await page.evaluate(() =>
    Array.from(window.__sdrExplorer!.getState().map!.items!.sdrs),
  );
  expect(stored).toEqual(trained.sdrs);
  expect(new URL(page.url()).searchParams.get('library')).toMatch(/^[0-9a-f-]{36}$/);

  // Download it as a file (used below).
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .sdrmap' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.sdrmap$/);
  mapFile = (await file.path())!;
  await stillUsable(page);
});

test('a copied link opens the same view in a fresh browser; back and forward step through views', async () => {
  test.setTimeout(120_000);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().lastShareLink?.url ?? ''))
    .toContain('#m=');
  link = await page.evaluate(() => window.__sdrExplorer!.getState().lastShareLink!.url!);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  expect(link).toContain('?view=compare&items=9,2&k=8#m=');
  // The panel saying what the link carries closes as a popover does: on Escape, and on a click
  // anywhere else (it sits over the tabs).
  const panel = page.getByRole('dialog', { name: 'Share link' });
  await expect(panel).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  await expect(panel).toBeVisible();
  await page.getByRole('tab', { name: 'Compare' }).click();
  await expect(panel).toBeHidden();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherProblems: string[] = [];
  watch(other, otherProblems);
  const url = new URL(link);
  await openApp(other, `${url.pathname}${url.search}${url.hash}`);
  await expect.poll(async () => (await snapshot(other)).encodedK, { timeout: 30_000 }).toBe(8);
  const shared = await snapshot(other);
  expect(shared).toMatchObject({
    mapName: HOSTILE_NAME,
    mapSource: 'inline',
    grid: { rows: 12, cols: 12 },
    k: 8,
    view: 'compare',
    items: N,
    selected: [9, 2],
  });
  expect(shared.sdrs).toEqual(trained.sdrs); // a 12×12 map travels exact
  await expect(other.getByRole('tab', { name: 'Compare' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // Back and forward step through the views.
  await other.getByRole('tab', { name: 'Map' }).click();
  await expect.poll(() => new URL(other.url()).searchParams.get('view')).toBe('map');
  await other.goBack();
  await expect.poll(async () => (await snapshot(other)).view).toBe('compare');
  await other.goForward();
  await expect.poll(async () => (await snapshot(other)).view).toBe('map');

  // Embed mode: the view alone, and a link to the full page.
  await openApp(
    other,
    `${url.pathname}${url.search.replace('view=compare', 'view=map')}&embed=1${url.hash}`,
  );
  await expect.poll(async () => (await snapshot(other)).encodedK, { timeout: 30_000 }).toBe(8);
  await expect(other.getByRole('link', { name: /Open in SDR Explorer/ })).toBeVisible();
  await expect(other.locator('.shell-header')).toBeHidden();
  await expect(other.locator('.shell-side')).toBeHidden();
  await expect(other.getByRole('tab', { name: 'Map' })).toBeHidden();
  const full = await other.getByRole('link', { name: /Open in SDR Explorer/ }).getAttribute('href');
  expect(full).not.toContain('embed=1');
  await other.screenshot({ path: '/tmp/share-embed.png', fullPage: true });

  // A .sdrmap file dropped anywhere on a page opens as its map.
  await openApp(other, '/');
  const bytes = readFileSync(mapFile);
  await other.evaluate(async (data) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], 'dropped.sdrmap'));
    const target = document.querySelector('.shell-main')!;
    target.dispatchEvent(
      new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }),
    );
    target.dispatchEvent(
      new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
    );
  }, Array.from(bytes));
  await expect.poll(async () => (await snapshot(other)).mapSource).toBe('file');
  expect((await snapshot(other)).mapName).toBe(HOSTILE_NAME);
  expect(otherProblems).toEqual([]);
  await fresh.close();
});

test('hostile links are refused in words and the page stays usable', async () => {
  test.setTimeout(180_000);
  // A tiny server for what page.route cannot fake: an endless body, a real redirect loop.
  const server: Server = createServer((req, res) => {
    const cors = { 'Access-Control-Allow-Origin': '*' };
    if (req.url === '/page.sdrmap') {
      res.writeHead(200, { ...cors, 'Content-Type': 'text/html' }).end('<html>hi</html>');
    } else if (req.url === '/loop.sdrmap') {
      res.writeHead(302, { ...cors, Location: '/loop.sdrmap' }).end();
    } else if (req.url === '/slow.sdrmap') {
      // A real map, half of it at once and the rest after a pause: progress shows meanwhile.
      const bytes = readFileSync(mapFile);
      res.writeHead(200, {
        ...cors,
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.length),
      });
      res.write(bytes.subarray(0, bytes.length >> 1));
      const rest = setTimeout(() => res.end(bytes.subarray(bytes.length >> 1)), 2500);
      res.on('close', () => clearTimeout(rest));
    } else if (req.url === '/endless.sdrmap') {
      res.writeHead(200, { ...cors, 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1 << 20);
      const pump = () => {
        while (res.write(chunk)) {
          /* fill the socket */
        }
      };
      res.on('drain', pump);
      res.on('close', () => res.off('drain', pump));
      pump();
    } else {
      res.writeHead(404, cors).end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fresh = await browser.newContext();
  const p = await fresh.newPage();
  const seen: string[] = [];
  watch(p, seen);
  const cases: Array<[string, RegExp]> = [
    ['/?map=javascript:alert(1)', /javascript: addresses are not allowed/],
    ['/?map=data:application/octet-stream;base64,U0RSTUFQ', /data: addresses are not allowed/],
    [`/?map=${host}/page.sdrmap`, /returned a web page, not a map file/],
    [`/?map=${host}/missing.sdrmap`, /answered 404/],
    [`/?map=${host}/loop.sdrmap`, /redirects in a loop/],
    [`/?map=${host}/endless.sdrmap`, /larger than 64 MiB/],
    ['/?view=map#m=AAAAAAAAAAAAAAAAAAAA', /Could not open the map inside the link: /],
    ['/?view=map#m=<script>alert(1)</script>', /ignored the map inside the link: /],
    [
      '/?view=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E&q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&items=%3Csvg%2Fonload%3Dalert(1)%3E',
      /ignored view=<script>window.__pwned=1<\/script>: not a view/,
    ],
    [`/?k=${'9'.repeat(9000)}`, /the part after '\?' is 9,002 characters/],
    // Over the preview server's default 16 KiB request head: the page, not a 431, answers.
    [`/?q=${'x'.repeat(100_000)}`, /the part after '\?' is 100,002 characters/],
  ];
  for (const [path, expected] of cases) {
    await openApp(p, path);
    await expect
      .poll(async () => (await notices(p)).join('\n'), { timeout: 60_000, message: path })
      .toMatch(expected);
    const shown = p.getByRole('status').filter({ hasText: expected });
    await expect(shown.first()).toBeVisible();
    await stillUsable(p);
    expect(await p.evaluate(() => window.__sdrExplorer!.getState().map)).toBeNull();
  }
  await p.goto(`/?map=${host}/page.sdrmap`);
  await expect.poll(async () => (await notices(p)).join('\n')).toMatch(/web page/);
  await p.screenshot({ path: '/tmp/share-hostile.png', fullPage: true });

  // A good map at an address: progress shows over the view, Cancel stops it, and it opens.
  const banner = p.getByRole('status', { name: 'Map download' });
  await openApp(p, `/?map=${host}/slow.sdrmap`);
  await expect(banner).toContainText(/Downloading the map from 127\.0\.0\.1:\d+: .* of [\d.]+ KiB/);
  await banner.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(async () => (await notices(p)).at(-1)).toMatch(/download was cancelled/);
  await expect(banner).toBeHidden();
  await openApp(p, `/?view=data&map=${host}/slow.sdrmap`);
  await expect(banner).toBeVisible();
  await p.screenshot({ path: '/tmp/share-download.png' });
  await expect.poll(async () => (await snapshot(p)).mapSource, { timeout: 30_000 }).toBe('url');
  await expect(banner).toBeHidden();
  expect(new URL(p.url()).searchParams.get('map')).toBe(`${host}/slow.sdrmap`);
  expect(seen).toEqual([]);
  await fresh.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a corrupt or foreign file picked in the library is refused; rename and delete', async () => {
  await page.getByRole('tab', { name: 'Library & sharing' }).click();
  const before = await snapshot(page);
  const good = readFileSync(mapFile);
  const files = [
    { name: 'truncated.sdrmap', buffer: good.subarray(0, good.length >> 1) },
    { name: 'photo.sdrmap', buffer: Buffer.from('\xff\xd8\xff\xe0 not a map', 'latin1') },
  ];
  for (const f of files) {
    await page
      .getByTestId('map-file-input')
      .setInputFiles({ ...f, mimeType: 'application/octet-stream' });
    await expect
      .poll(async () => (await notices(page)).at(-1) ?? '')
      .toMatch(
        new RegExp(
          `^error: Could not open the file ${f.name}: .*Your current map and data are unchanged\\.$`,
        ),
      );
  }
  const after = await snapshot(page);
  expect(after.sdrs).toEqual(before.sdrs);
  expect(after.mapSource).toBe('library');

  // Rename, then delete: asked once, in our own dialog that starts on Cancel.
  const saved = page.getByRole('list', { name: 'Saved maps' }).getByRole('listitem');
  await page.getByRole('button', { name: `Rename ${HOSTILE_NAME}` }).click();
  await page.getByLabel(`New name for ${HOSTILE_NAME}`).fill('Cats and cars');
  await page.getByRole('button', { name: 'Save name' }).click();
  await expect(saved.first()).toContainText('Cats and cars');
  await page.getByRole('button', { name: 'Delete Cats and cars' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this saved map?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(saved).toHaveCount(1);
  await page.getByRole('button', { name: 'Delete Cats and cars' }).click();
  await dialog.getByRole('button', { name: 'Delete map' }).click();
  await expect(saved).toHaveCount(0);
  await expect(page.getByText('Nothing saved yet.')).toBeVisible();
});
