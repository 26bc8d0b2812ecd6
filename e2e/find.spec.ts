/**
 * Finding and reading, as a stranger does with no network beyond the page's own origin: import
 * the LVIS class names' CLIP ViT-B/32 embeddings (../shared/data/clip-vit-b32-text, 1,203
 * labels such as "traffic_light"), train a 16×16 map, and then, keyboard only, find items by
 * typing part of their label in the Item view, in Compare and in the Map view's search box.
 * Labels read as words; the K slider shows its share of the units and warns once one unit is
 * active for a large share of the items; the Item view's PNG carries its title and legend.
 * Screenshots (1280×720) go to /tmp/find-*.png.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, openApp, openTab, pickItem, serialStory, tab } from './helpers.ts';

const DATA = resolve('../shared/data/clip-vit-b32-text');
const N = 1203;

// Every test here reads the map the first one trains on the shared data: without that data,
// all of them skip, with the reason (the later ones would otherwise wait on an empty page).
test.skip(!existsSync(`${DATA}/lvis-1203.npy`), `needs ${DATA}`);

const story = serialStory({ viewport: { width: 1280, height: 720 } });

const state = <T>(page: Page, read: string): Promise<T> =>
  page.evaluate((r) => {
    const s = window.__sdrExplorer!.getState() as unknown as Record<string, unknown>;
    return s[r] as T;
  }, read);

test('a map of the LVIS class names is trained with every outside request blocked', async () => {
  test.setTimeout(240_000);
  const { page } = story;
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    return url.hostname === '127.0.0.1' ? route.continue() : route.abort();
  });
  await openApp(page);
  await tab(page, 'Data').click();
  await page.getByTestId('embeddings-input').setInputFiles([
    {
      name: 'lvis-1203.npy',
      mimeType: 'application/octet-stream',
      buffer: readFileSync(`${DATA}/lvis-1203.npy`),
    },
    {
      name: 'lvis-1203.labels.txt',
      mimeType: 'text/plain',
      buffer: readFileSync(`${DATA}/lvis-1203.labels.txt`),
    },
  ]);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().items.length), {
      timeout: 60_000,
    })
    .toBe(N);
  // The card is titled by the label, as words: not "row from lvis-1203.npy"; the filter reads
  // labels as words too.
  await page.getByLabel('Filter items').fill('traffic light');
  const card = page.getByRole('listitem', { name: 'imported item: traffic_light' });
  await expect(card.locator('.item-imported')).toHaveText('traffic light');
  await page.screenshot({ path: '/tmp/find-data-card.png' });
  await page.getByLabel('Filter items').fill('');

  await tab(page, 'Map').click();
  const train = page.getByRole('region', { name: 'Train a map on your data' });
  await train.getByLabel('Grid').selectOption('16x16');
  await train.getByLabel('Epochs').fill('10');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().training.status), {
      timeout: 180_000,
    })
    .toBe('done');
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().encoding?.n ?? 0), {
      timeout: 60_000,
    })
    .toBe(N);
});

test('the Item view’s picker finds an item by part of its label, keyboard only', async () => {
  const { page } = story;
  const view = await openTab(page, 'Item');
  const box = view.getByRole('combobox', { name: 'Item', exact: true });
  await box.focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('traff');
  const list = view.getByRole('listbox', { name: 'Item', exact: true });
  await expect(list.getByRole('option').first()).toHaveText('traffic light');
  await expect(box).toHaveAttribute('aria-expanded', 'true');
  await page.screenshot({ path: '/tmp/find-picker.png' });
  await expectAccessible(page);
  await page.keyboard.press('Enter');
  await expect(list).toBeHidden();
  await expect(view.getByRole('heading', { name: 'traffic light' })).toBeVisible();
  await expect(box).toHaveValue('traffic light');

  // Escape closes the list and puts the choice back.
  await page.keyboard.type('zebra');
  await page.keyboard.press('Escape');
  await expect(box).toHaveValue('traffic light');

  // The PNG export carries the item's name, the legend and the best unit's ring.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    view.getByRole('button', { name: 'Download PNG' }).click(),
  ]);
  const png = readFileSync(await download.path());
  writeFileSync('/tmp/find-export.png', png);
  // Taller than the grid alone (heading and legend), and a real PNG.
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect(h).toBeGreaterThan(w);
});

test('Compare adds items found by typing, keyboard only', async () => {
  const { page } = story;
  const view = await openTab(page, 'Compare');
  await pickItem(view, 'Add an item', 'hot-air balloon', 'air ball');
  await page.keyboard.press('Tab');
  await expect(view.getByRole('button', { name: 'Add', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await pickItem(view, 'Add an item', 'hot sauce', 'hot s');
  await view.getByRole('button', { name: 'Add', exact: true }).press('Enter');
  const cards = view.getByTestId('compare-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.nth(0)).toContainText('hot-air balloon');
  await expect(cards.nth(1)).toContainText('hot sauce');
});

test('the Map view’s search box selects an item and shows it on the map', async () => {
  const { page } = story;
  const view = await openTab(page, 'Map');
  await pickItem(view, 'Find an item', 'shot glass', 'shot g');
  const ids = await state<string[]>(page, 'selectedItemIds');
  const label = await page.evaluate(
    (id) => window.__sdrExplorer!.getState().items.find((i) => i.id === id)!.label,
    ids.at(-1)!,
  );
  expect(label).toBe('shot_glass');
  const selected = view.getByRole('region', { name: 'Selected item' });
  await expect(selected).toContainText('shot glass');
  const k = await state<number>(page, 'k');
  await expect(view.getByTestId('item-sdr-count')).toHaveText(String(k));
  await expect(view.getByRole('img', { name: /SDR of 'shot glass'/ })).toBeVisible();
});

test('the K slider shows its share of the units and warns when one unit dominates', async () => {
  const { page } = story;
  const view = await openTab(page, 'Map');
  // 16×16 = 256 units: K = 5 is 2% of them, where no unit dominates.
  const slider = view.getByLabel('K (active units)');
  await slider.fill('5');
  await expect(view.getByTestId('k-share')).toHaveText('5 · 2.0% of units');
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().encoding?.k))
    .toBe(5);
  await expect(view.getByTestId('k-hub-warning')).toHaveCount(0);
  await slider.fill('60');
  await expect(view.getByTestId('k-share')).toHaveText('60 · 23% of units');
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().encoding?.k))
    .toBe(60);
  const warning = view.getByTestId('k-hub-warning');
  await expect(warning).toContainText(/At K = 60, one unit .* is active for \d+% of your items/);
  await page.screenshot({ path: '/tmp/find-k-warning.png' });
  await expectAccessible(page);
  await slider.fill('5');
  await expect(view.getByTestId('k-hub-warning')).toHaveCount(0);
});
