/**
 * The map drawing components (app/components/grid) in real Chromium, through the dev-only
 * harness e2e/harness/grid.html. The production build (the config's webServer) leaves the
 * harness out, so this spec starts its own Vite dev server on a free port for the harness.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { createServer, type ViteDevServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
let server: ViteDevServer | undefined;
let harnessUrl = '';

test.beforeAll(async () => {
  server = await createServer({
    root,
    configFile: `${root}/vite.config.ts`,
    logLevel: 'warn',
    clearScreen: false,
    // Port 0: the system picks a free one, so parallel runs on other E2E_PORTs never collide.
    server: { host: '127.0.0.1', port: 0, strictPort: false, watch: null },
    // Pre-bundle the harness's dependencies up front, so no mid-test reload happens.
    optimizeDeps: { entries: ['e2e/harness/grid.html'] },
    cacheDir: 'node_modules/.vite-grid-harness',
  });
  await server.listen();
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('the Vite dev server for the grid harness has no local URL');
  harnessUrl = new URL('e2e/harness/grid.html', base).href;
});

test.afterAll(async () => {
  await server?.close();
});

interface Harness {
  sdr: number[];
  labels: string[];
  clicks: number[];
}

async function openHarness(page: Page): Promise<Harness> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(harnessUrl);
  await expect(
    page.getByRole('img', { name: /SDR of 'a cat photo': 20 of 1024 units active/ }),
  ).toBeVisible();
  expect(errors).toEqual([]);
  return page.evaluate(() => {
    const h = window.__gridHarness!;
    return { sdr: h.sdr, labels: h.labels, clicks: h.clicks };
  });
}

const rectMap = (page: Page) => page.getByRole('img', { name: /^SDR of 'a cat photo': \d+ of/ });
const hexMap = (page: Page) => page.getByRole('img', { name: /^SDR of 'a boat': \d+ of/ });
const tooltip = (page: Page, map: 'harness-rect' | 'harness-hex') =>
  page.locator(`.${map} .grid-tooltip`);

/** Page coordinates of a unit's centre. */
async function unitPoint(page: Page, map: 'rect' | 'hex', unit: number) {
  const canvas = map === 'rect' ? rectMap(page) : hexMap(page);
  const box = await canvas.boundingBox();
  const c = await page.evaluate(([m, u]) => window.__gridHarness!.unitCenter(m, u), [
    map,
    unit,
  ] as const);
  if (!box || !c) throw new Error(`unit ${unit} of the ${map} map has no position yet`);
  return { x: box.x + c.x, y: box.y + c.y };
}

test('draws both maps with real pixels, the SDR and the underlay', async ({ page }) => {
  await openHarness(page);
  const stats = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.grid-canvas'), (map) => {
      const pixels = (cls: string) => {
        const c = map.querySelector<HTMLCanvasElement>(cls)!;
        return c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      };
      const cells = pixels('.grid-canvas-cells');
      const colours = new Set<number>();
      let painted = 0;
      for (let p = 0; p < cells.length; p += 4) {
        const [r, g, b] = [cells[p], cells[p + 1], cells[p + 2]];
        colours.add((r << 16) | (g << 8) | b);
        // Anything but the page background (#0f1115) counts as drawn.
        if (Math.abs(r - 15) + Math.abs(g - 17) + Math.abs(b - 21) > 12) painted++;
      }
      const marks = pixels('.grid-canvas-marks');
      let sdrBlue = 0;
      for (let p = 0; p < marks.length; p += 4) {
        const [r, g, b, a] = [marks[p], marks[p + 1], marks[p + 2], marks[p + 3]];
        if (r === 0x5a && g === 0xb0 && b === 0xff && a === 255) sdrBlue++;
      }
      return { colours: colours.size, painted: painted / (cells.length / 4), sdrBlue };
    }),
  );
  expect(stats).toHaveLength(2);
  for (const s of stats) {
    expect(s.colours).toBeGreaterThan(40); // a colour scale, not a flat fill
    expect(s.painted).toBeGreaterThan(0.5);
    expect(s.sdrBlue).toBeGreaterThan(100); // the SDR's cells (filled or outlined)
  }
  const thumbs = page.getByRole('img', { name: /^Mean SDR of/ });
  expect(await thumbs.count()).toBeGreaterThanOrEqual(5);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('hovering a unit shows its tooltip with label and values; leaving hides it', async ({
  page,
}) => {
  const h = await openHarness(page);
  const unit = 32 * 20 + 9;
  const p = await unitPoint(page, 'rect', unit);
  await page.mouse.move(p.x, p.y);
  const tip = tooltip(page, 'harness-rect');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText(`Unit ${unit} · row 20, col 9`);
  await expect(tip).toContainText(h.labels[unit]);
  await expect(tip).toContainText('U-matrix distance:');
  await expect(tip).toContainText('hits:');
  // An active unit says so.
  const active = h.sdr[3];
  const q = await unitPoint(page, 'rect', active);
  await page.mouse.move(q.x, q.y);
  await expect(tip).toContainText(`Unit ${active} ·`);
  await expect(tip).toContainText(/active in (both )?a cat photo/);
  await page.mouse.move(2, 2);
  await expect(tip).toBeHidden();
});

test('clicking a unit chooses it', async ({ page }) => {
  await openHarness(page);
  const p = await unitPoint(page, 'rect', 100);
  await page.mouse.click(p.x, p.y);
  await expect(page.getByTestId('clicked')).toHaveText('Chose unit 100');
  expect(await page.evaluate(() => window.__gridHarness!.clicks)).toEqual([100]);
});

test('arrow keys move the focus cell, Enter chooses it, and the tooltip follows', async ({
  page,
}) => {
  const h = await openHarness(page);
  // Reach the map with the keyboard, as a person would.
  const map = rectMap(page);
  for (let k = 0; k < 10 && !(await map.evaluate((el) => el === document.activeElement)); k++) {
    await page.keyboard.press('Tab');
  }
  await expect(map).toBeFocused();
  const start = h.sdr[0]; // focus starts on the SDR's first unit
  const tip = tooltip(page, 'harness-rect');
  await expect(tip).toContainText(`Unit ${start} ·`);
  const startCol = start % 32;
  const right = startCol < 31 ? start + 1 : start;
  await page.keyboard.press('ArrowRight');
  await expect(tip).toContainText(`Unit ${right} ·`);
  const down = right + 32 < 1024 ? right + 32 : right;
  await page.keyboard.press('ArrowDown');
  await expect(tip).toContainText(`Unit ${down} ·`);
  await page.keyboard.press('Home');
  const rowStart = down - (down % 32);
  await expect(tip).toContainText(`Unit ${rowStart} ·`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('clicked')).toHaveText(`Chose unit ${rowStart}`);
  // Screen readers hear the focused unit.
  await expect(page.locator('.harness-rect .grid-sr-only')).toContainText(`Unit ${rowStart}`);
  await page.keyboard.press('Escape');
  await expect(tip).toBeHidden();
});

test('on the hex map, up and down step to diagonal neighbours along one column', async ({
  page,
}) => {
  await openHarness(page);
  await page.evaluate(() => window.__gridHarness!.focusUnit('hex', 24 * 5 + 7));
  const tip = tooltip(page, 'harness-hex');
  await expect(tip).toContainText('Unit 127 · row 5, col 7');
  await page.keyboard.press('ArrowDown');
  await expect(tip).toContainText('row 6, col 7');
  await page.keyboard.press('ArrowDown');
  await expect(tip).toContainText('row 7, col 7');
  await page.keyboard.press('ArrowLeft');
  await expect(tip).toContainText('row 7, col 6');
  await expect(tip).toContainText('hits:');
});

test('exports the map as SVG with every cell and the active ones marked, and as PNG', async ({
  page,
}) => {
  const h = await openHarness(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export SVG' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('sdr-map-32x32.svg');
  const svg = await readFile(await download.path(), 'utf8');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const units = (sel: string) =>
      Array.from(doc.querySelectorAll(sel), (e) => Number(e.getAttribute('data-unit')));
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      cells: doc.querySelectorAll('.cell').length,
      active: units('.cell.active-a, .cell.active-both').sort((a, b) => a - b),
      labels: Array.from(doc.querySelectorAll('text'), (t) => t.textContent),
      title: doc.querySelector('title')?.textContent,
    };
  }, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.cells).toBe(1024);
  expect(parsed.active).toEqual(h.sdr);
  expect(parsed.labels.length).toBeGreaterThan(2);
  expect(parsed.title).toContain("SDR of 'a cat photo': 20 of 1024 units active");

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toBe('sdr-map-32x32.png');
  const bytes = await readFile(await png.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // At scale 2 the PNG is twice the map's CSS width (IHDR width at byte 16).
  const box = await rectMap(page).boundingBox();
  expect(bytes.readUInt32BE(16)).toBe(Math.round(box!.width * 2));
});
