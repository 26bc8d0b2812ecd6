/**
 * The map in the page, as a person uses it: the built-in atlas opens on the first visit with
 * no model (a static file of the page), shows its labels and the model that made it, and opens
 * again after a reload; then, with the fixture CLIP model (self-hosted folder
 * `/models/fixture/`, `npm run fixture`), its texts are refused on the atlas (another model's
 * space), get a map of their own, the selected one's SDR shows K active units, the K slider
 * changes that number live; and a map trained on the dataset draws its curves and can be
 * cancelled, keeping a usable map. Assertions read state through the test API; screenshots go
 * to /tmp.
 */
import { test, expect, type Page } from '@playwright/test';
import {
  addTexts,
  expectAccessible,
  loadFixtureModel,
  mapState,
  openTrainPanel,
  selectInDataList,
  serialStory,
  setAsideBuiltinAtlas,
  tab,
  tabPanel,
  waitForAtlas,
  waitForEncoded,
} from './helpers.ts';

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
const story = serialStory();

test('the built-in atlas opens on the first visit with no model, shows labels and its model, and opens again after a reload', async () => {
  test.setTimeout(120_000);
  const { page } = story;
  await page.goto('/');
  await expect(tab(page, 'Map')).toHaveAttribute('aria-selected', 'true');
  await waitForAtlas(page, 30_000);
  const s = await mapState(page);
  expect(s).toMatchObject({
    hasMap: true,
    mapName: 'CLIP concepts (LVIS + COCO)',
    mapSource: 'builtin',
    grid: { rows: 32, cols: 32, topology: 'rect' },
    k: 20,
    unitLabelCount: 1024,
  });
  // Many different concepts name regions of the map.
  expect(s.distinctUnitLabels).toBeGreaterThan(50);

  const view = tabPanel(page, 'Map');
  await expect(
    view.getByRole('definition').filter({ hasText: 'built-in concept atlas' }),
  ).toBeVisible();
  // Provenance: the header names the model behind the embeddings.
  await expect(
    view.getByRole('definition').filter({ hasText: 'CLIP ViT-B/32 (text prompts)' }),
  ).toBeVisible();
  // The first visit starts with an example selected: 'cat' and its SDR over the U-matrix.
  await expect(
    view.getByRole('img', {
      name: /^SDR of 'cat': 20 of 1024 units active; colour shows U-matrix distance/,
    }),
  ).toBeVisible();
  // Hovering a unit names it after its concept.
  const tooltip = await hoverUnit(page, 0.37, 0.41);
  const labels = await page.evaluate(() => window.__sdrExplorer!.getState().map!.unitLabels!);
  const text = (await tooltip.textContent()) ?? '';
  expect(labels.some((l) => text.includes(l))).toBe(true);
  await page.screenshot({ path: '/tmp/map-atlas.png', fullPage: true });

  // A reload opens the atlas again, still with no model, and its items are not added twice.
  await page.reload();
  await waitForAtlas(page, 30_000);
  const again = await page.evaluate(() => {
    const st = window.__sdrExplorer!.getState();
    return { items: st.items.length, modelStatus: st.modelStatus };
  });
  expect(again).toEqual({ items: 1224, modelStatus: 'idle' });
  expect((await mapState(page)).unitLabelCount).toBe(1024);
});

test("the fixture model's texts are refused on the atlas's data, and start a map of their own on an empty dataset", async () => {
  test.setTimeout(180_000);
  const { page } = story;
  await loadFixtureModel(page);
  // Onto the atlas's items (CLIP ViT-B/32): refused, with the reason, nothing added.
  await addTexts(page, ['a sleeping cat', 'a red bicycle']);
  await expect(
    page.getByText(/your data was embedded with Xenova\/clip-vit-base-patch32/).first(),
  ).toBeVisible();
  expect(await page.evaluate(() => window.__sdrExplorer!.getState().items.length)).toBe(1224);
  // On an empty dataset they come in and the atlas (another model's map) closes, saying why.
  await setAsideBuiltinAtlas(page);
  await page.evaluate(() => window.__sdrExplorer!.getState().openBuiltinMap('concepts'));
  await waitForAtlas(page, 30_000);
  await page.evaluate(() => window.__sdrExplorer!.getState().clearData());
  await addTexts(page, ['a sleeping cat', 'a red bicycle']);
  await expect(
    page.getByText(/so the map was closed: train a map on your items/).first(),
  ).toBeVisible();
  expect(await mapState(page)).toMatchObject({ hasMap: false });
  await page.evaluate(() => window.__sdrExplorer!.getState().clearData());
  // Errors stay until dismissed: the person has read them and closes each one.
  const dismiss = page.getByRole('button', { name: 'Dismiss message' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
});

test('texts are encoded on the map, the selected one shows K active units, and the K slider changes them', async () => {
  test.setTimeout(180_000);
  const { page } = story;
  await loadFixtureModel(page);
  await addTexts(page, ['a sleeping cat', 'a red bicycle', 'the sea at night']);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().items.length))
    .toBe(3);
  // Their own 32×32 map (the default size) in the fixture model's space.
  const train = page.getByRole('region', { name: 'Train a map on your data' });
  await train.getByLabel('Epochs').fill('5');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect.poll(async () => (await mapState(page)).training.status).toBe('done');
  await waitForEncoded(page, 3, 60_000);

  // Select an item in the data list, then look at it on the map.
  await selectInDataList(page, 'a sleeping cat', 'Map');
  const view = tabPanel(page, 'Map');
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
  await expectAccessible(page);

  // Hit counts underlay: the three items land somewhere.
  await view.getByLabel('Hit counts').check();
  await expect(view.getByRole('img', { name: /colour shows hits/ })).toBeVisible();
});

test('training a map on the dataset draws live curves and can be cancelled, keeping a usable map', async () => {
  test.setTimeout(180_000);
  const { page } = story;
  expect(await page.evaluate(() => window.__sdrExplorer!.getState().items.length)).toBe(3);

  const panel = await openTrainPanel(page);
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
  await waitForEncoded(page, 3);
  await selectInDataList(page, 'a red bicycle', 'Map');
  const k = (await mapState(page)).k;
  expect((await mapState(page)).selectedItemSdr).toHaveLength(k);
  await page.screenshot({ path: '/tmp/map-trained.png', fullPage: true });
});
