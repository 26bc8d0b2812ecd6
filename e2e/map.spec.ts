/**
 * The map in the page, as a person uses it: with the fixture CLIP model (self-hosted folder
 * `/models/fixture/`, `npm run fixture`), the built-in concept atlas is built on the first visit
 * and shows its labels, then comes straight from the browser's cache on reload; texts added to
 * the dataset are encoded and the selected one's SDR shows K active units; the K slider changes
 * that number live; and a map trained on the dataset draws its curves and can be cancelled,
 * keeping a usable map. Assertions read state through the test API; screenshots go to /tmp.
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import type { TestMapState } from '../app/testApi.ts';

const mapState = (page: Page): Promise<TestMapState> =>
  page.evaluate(() => window.__sdrExplorer!.mapState());

/**
 * Point the model panel at the fixture model (unless the saved settings already do) and load it
 * (WASM: the same on every machine).
 */
async function loadFixtureModel(page: Page) {
  const panel = page.getByRole('region', { name: 'Model', exact: true });
  const settings = await page.evaluate(() => window.__sdrExplorer!.getState().modelSettings);
  if (settings.modelId !== 'clip-tiny' || settings.modelFolder !== '/models/fixture/') {
    await panel.getByLabel('CLIP model').selectOption({ label: 'Other model id…' });
    await panel.getByLabel('Model id', { exact: true }).fill('clip-tiny');
    await panel.getByRole('button', { name: 'Use', exact: true }).click();
    await panel.getByLabel('Model folder').fill('/models/fixture/');
    await panel.getByRole('button', { name: 'Set', exact: true }).click();
    await panel.getByLabel('Device').selectOption('wasm');
  }
  await panel.getByRole('button', { name: /Load model|Reload model/ }).click();
  await expect(panel.getByRole('status')).toContainText('Ready: clip-tiny', { timeout: 60_000 });
}

/** Hover the map at a fraction of its width and height; returns the tooltip. */
async function hoverUnit(page: Page, fx: number, fy: number) {
  const canvas = page.locator('.map-canvas canvas[role="img"]');
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * fx, y: box.height * fy } });
  const tooltip = page.locator('.map-canvas .grid-tooltip');
  await expect(tooltip).toBeVisible();
  return tooltip;
}

// One browser context for the whole story: the dataset and the atlas cache (IndexedDB) and the
// model settings (localStorage) carry from one step to the next, as they do for a person.
test.describe.configure({ mode: 'serial' });
let context: BrowserContext;
let page: Page;
const errors: string[] = [];
test.beforeAll(async ({ browser }) => {
  context = await browser.newContext();
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
});
test.afterAll(async () => {
  await context.close();
});
test.afterEach(() => {
  expect(errors).toEqual([]);
});

test('the concept atlas is built on the first visit, shows labels, and loads from cache after a reload', async () => {
  test.setTimeout(240_000);
  await page.goto('/');
  await expect(page.getByRole('tab', { name: 'Map' })).toHaveAttribute('aria-selected', 'true');
  // Before a model: the view says what will happen.
  await expect(page.getByRole('tabpanel', { name: 'Map' })).toContainText('Load a CLIP model');

  await loadFixtureModel(page);
  // Progress is shown while the atlas is built.
  await expect(
    page.getByRole('status').filter({ hasText: 'Building the concept atlas' }),
  ).toBeVisible();
  await expect
    .poll(async () => (await mapState(page)).atlasStatus, { timeout: 180_000 })
    .toBe('ready');
  const s = await mapState(page);
  expect(s).toMatchObject({
    hasMap: true,
    mapName: 'Concept atlas',
    mapSource: 'builtin',
    grid: { rows: 32, cols: 32, topology: 'rect' },
    k: 20,
    unitLabelCount: 1024,
  });
  // Many different concepts name regions of the map.
  expect(s.distinctUnitLabels).toBeGreaterThan(50);

  const view = page.getByRole('tabpanel', { name: 'Map' });
  await expect(
    view.getByRole('definition').filter({ hasText: 'built-in concept atlas' }),
  ).toBeVisible();
  await expect(view.getByRole('img', { name: /^colour shows U-matrix distance/ })).toBeVisible();
  // Hovering a unit names it after its concept.
  const tooltip = await hoverUnit(page, 0.37, 0.41);
  const labels = await page.evaluate(() => window.__sdrExplorer!.getState().map!.unitLabels!);
  const text = (await tooltip.textContent()) ?? '';
  expect(labels.some((l) => text.includes(l))).toBe(true);
  await page.screenshot({ path: '/tmp/map-atlas.png', fullPage: true });

  // A reload shows the atlas from the cache at once, before any model is loaded.
  await page.reload();
  await expect.poll(async () => (await mapState(page)).hasMap, { timeout: 15_000 }).toBe(true);
  const again = await page.evaluate(() => {
    const st = window.__sdrExplorer!.getState();
    return { fromCache: st.atlas.fromCache, modelStatus: st.modelStatus };
  });
  expect(again).toEqual({ fromCache: true, modelStatus: 'idle' });
  expect((await mapState(page)).unitLabelCount).toBe(1024);
});

test('texts are encoded on the map, the selected one shows K active units, and the K slider changes them', async () => {
  test.setTimeout(180_000);
  await loadFixtureModel(page);
  await expect
    .poll(async () => (await mapState(page)).atlasStatus, { timeout: 120_000 })
    .toBe('ready');

  await page.getByLabel('Text to embed').fill('a sleeping cat\na red bicycle\nthe sea at night');
  await page.getByRole('button', { name: 'Embed 3 texts' }).click();
  await expect.poll(async () => (await mapState(page)).encodedItems, { timeout: 60_000 }).toBe(3);

  // Select an item in the data list, then look at it on the map.
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Select a sleeping cat').check();
  await page.getByRole('tab', { name: 'Map' }).click();
  const view = page.getByRole('tabpanel', { name: 'Map' });
  await expect(view.getByTestId('item-sdr-count')).toHaveText('20');
  expect((await mapState(page)).selectedItemSdr).toHaveLength(20);
  await expect(
    view.getByRole('img', { name: /SDR of 'a sleeping cat': 20 of 1024 units active/ }),
  ).toBeVisible();
  await page.screenshot({ path: '/tmp/map-item.png', fullPage: true });

  // The K slider, by keyboard: five steps up, then jump to the end (m/4).
  const slider = view.getByLabel('K (active units)');
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(view.getByTestId('item-sdr-count')).toHaveText('25');
  const at25 = await mapState(page);
  expect(at25.k).toBe(25);
  expect(at25.selectedItemSdr).toHaveLength(25);
  await page.keyboard.press('End');
  await expect(view.getByTestId('item-sdr-count')).toHaveText('256');
  // The dataset follows: re-encoded at the new K by the encode worker.
  await expect.poll(async () => (await mapState(page)).encodedK).toBe(256);
  await page.keyboard.press('Home');
  await expect(view.getByTestId('item-sdr-count')).toHaveText('1');

  // The Map view passes an accessibility audit (names, roles, contrast).
  const axe = await new AxeBuilder({ page }).include('[role="tabpanel"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

  // Hit counts underlay: the three items land somewhere.
  await view.getByLabel('Hit counts').check();
  await expect(view.getByRole('img', { name: /colour shows hits/ })).toBeVisible();
});

test('training a map on the dataset draws live curves and can be cancelled, keeping a usable map', async () => {
  test.setTimeout(180_000);
  expect(await page.evaluate(() => window.__sdrExplorer!.getState().items.length)).toBe(3);

  const panel = page.getByRole('region', { name: 'Train a map on your data' });
  await expect(panel.getByRole('button', { name: 'Train' })).toBeEnabled();
  await panel.getByLabel('Grid').selectOption('16x16');
  await panel.getByLabel('Epochs').fill('500');
  await panel.getByRole('button', { name: 'Train' }).click();

  // Live curves: the history grows epoch by epoch and both charts are drawn.
  await expect
    .poll(async () => (await mapState(page)).training.history.length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(3);
  await expect(panel.getByRole('img', { name: /^Quantisation error: / })).toBeVisible();
  await expect(panel.getByRole('img', { name: /^Topographic error: / })).toBeVisible();
  await page.screenshot({ path: '/tmp/map-training.png', fullPage: true });
  await panel.getByRole('button', { name: 'Cancel' }).click();

  await expect.poll(async () => (await mapState(page)).training.status).toBe('cancelled');
  const s = await mapState(page);
  const done = s.training.history.length;
  expect(done).toBeGreaterThanOrEqual(3);
  expect(done).toBeLessThan(500);
  // The last good snapshot is the map now: trained here, 16×16, as many epochs as ran.
  expect(s).toMatchObject({
    mapSource: 'trained',
    grid: { rows: 16, cols: 16 },
    mapEpochs: done,
  });
  await expect(panel.getByRole('status')).toHaveText(
    `Cancelled after epoch ${done} of 500: the map from that epoch is kept.`,
  );
  // …and a usable one: the dataset is encoded on it and the selected item has K units.
  await expect.poll(async () => (await mapState(page)).encodedItems).toBe(3);
  await page.getByRole('tab', { name: 'Data' }).click();
  await page.getByLabel('Select a red bicycle').check();
  await page.getByRole('tab', { name: 'Map' }).click();
  const k = (await mapState(page)).k;
  expect((await mapState(page)).selectedItemSdr).toHaveLength(k);
  await page.screenshot({ path: '/tmp/map-trained.png', fullPage: true });
});
