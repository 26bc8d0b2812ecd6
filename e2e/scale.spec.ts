/**
 * Scale (issue 11.2), as a person meets it: import a large embeddings file with its labels,
 * scroll the data list to the very last item, train a map, find the last item with the picker,
 * open every view, and have a file the page cannot hold refused in words with the data kept.
 *
 * Rows: 20,000 × 512 (41 MB), not 100,000. On this project's shared 2-core machine a
 * 100,000-row import alone takes 45–75 s and a 64×64 map on it minutes, which would not fit the
 * spec's ~90 s; the list, the picker and the views do the same per-item work at either size,
 * and `npm run bench` (bench/browser.ts) times them at 100,000. The over-limit file is a sparse
 * file (a real .npy header and zeros the disk never stores), so the refusal costs no disk.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import { mapState, openApp, openTab, openTrainPanel, pickItem, tab } from './helpers.ts';
import { writeLargeNpy } from '../scripts/make-large-npy.ts';
import { npyHeaderBytes } from '../src/io/npy.ts';

const ROWS = 20_000;
const DIM = 512;

const dir = mkdtempSync(join(tmpdir(), 'sdr-scale-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

const itemCount = (page: Page) =>
  page.evaluate(() => window.__sdrExplorer!.getState().items.length);

test('a large import: every item reachable, the picker finds the last, every view opens, a file too big is refused in words', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const npyPath = join(dir, 'clip-rows.npy');
  const labelsPath = join(dir, 'clip-rows.labels.txt');
  const { last } = writeLargeNpy(npyPath, labelsPath, { rows: ROWS, dim: DIM, seed: 11 });

  await openApp(page);
  await page.getByTestId('embeddings-input').setInputFiles([npyPath, labelsPath]);
  await expect.poll(() => itemCount(page), { timeout: 90_000 }).toBe(ROWS);

  // The data list: a screenful of cards in the page, the scroll height of all of them.
  const data = await openTab(page, 'Data');
  const list = data.getByRole('list', { name: 'Dataset items' });
  await expect(list.getByRole('listitem').first()).toBeVisible();
  const drawn = await list.getByRole('listitem').count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(200);
  await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(ROWS));
  await expect(data.getByText(`${ROWS} items`, { exact: true })).toBeVisible();
  // Scrolled to the end (as a person drags the scroll bar down), the last item is there.
  const box = data.getByTestId('data-list');
  await box.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const lastCard = list.getByRole('listitem', { name: `imported item: ${last}` });
  await expect(lastCard).toBeVisible();
  await expect(lastCard).toHaveAttribute('aria-posinset', String(ROWS));
  await page.screenshot({ path: 'test-results/scale-data-end.png' });
  // The keyboard reaches it too: End in the focused scroll box, then its check box.
  await box.evaluate((el) => el.scrollTo({ top: 0 }));
  await box.focus();
  await page.keyboard.press('End');
  await expect(lastCard).toBeVisible();
  const check = lastCard.getByRole('checkbox', { name: `Select ${last}` });
  await check.check();
  await expect(data.getByText('· 1 selected')).toBeVisible();
  await check.uncheck();

  // A small map on all of them (the map's size is not what this spec is about).
  await openTab(page, 'Map');
  const train = await openTrainPanel(page);
  await train.getByLabel('Grid').selectOption('16x16');
  await train.getByLabel('Epochs').fill('2');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(async () => (await mapState(page)).training.status, { timeout: 120_000 })
    .toBe('done');
  await expect.poll(async () => (await mapState(page)).encodedItems, { timeout: 60_000 }).toBe(ROWS); // prettier-ignore

  // The picker finds the last item by typing its label.
  const item = await openTab(page, 'Item');
  await pickItem(item, 'Item', last);
  await expect(item.getByRole('heading', { name: last, exact: true })).toBeVisible();

  // Every view opens on all of them.
  for (const name of [
    'Galleries',
    'Compare',
    'Novelty',
    'Robustness',
    'Algebra & search',
    'Claim check',
    'Storage',
    'Library & sharing',
    'Map',
  ]) {
    const panel = await openTab(page, name);
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading').first()).toBeVisible({ timeout: 30_000 });
    if (name === 'Galleries') {
      // Every row has a label of its own: only the first label maps are drawn, the rest offered.
      const means = panel.getByRole('list', { name: 'Mean SDR per label' }).getByRole('img');
      await expect(means).toHaveCount(48);
      await expect(panel.getByRole('button', { name: /^Show 48 more/ })).toBeVisible();
      // A unit's gallery: all its items in the list's count, a screenful of them drawn.
      await panel.getByRole('img', { name: /^Activation density of 256 units/ }).click();
      const unit = await panel.getByTestId('gallery-unit').textContent();
      const number = /Unit (\d+)/.exec(unit ?? '')![1];
      const tiles = panel.getByRole('list', { name: `Items with unit ${number} active` });
      const members = Number(
        await tiles.getByRole('listitem').first().getAttribute('aria-setsize'),
      );
      expect(members).toBeGreaterThan(0);
      await expect(panel.getByText(`(${members} of ${ROWS})`)).toBeVisible();
      expect(await tiles.getByRole('listitem').count()).toBeLessThanOrEqual(Math.min(members, 100));
      await page.screenshot({ path: 'test-results/scale-galleries.png' });
    }
  }
  await page.screenshot({ path: 'test-results/scale-map.png' });

  // A file the page cannot hold: refused before it is read, in words, and nothing is lost.
  const hugePath = join(dir, 'too-many-rows.npy');
  const header = npyHeaderBytes([500_000, DIM], 'f4');
  const fd = openSync(hugePath, 'w');
  writeSync(fd, header);
  ftruncateSync(fd, header.length + 500_000 * DIM * 4);
  closeSync(fd);
  await page.getByTestId('embeddings-input').setInputFiles(hugePath);
  const notice = page.locator('.notice', { hasText: 'too-many-rows.npy' });
  await expect(notice).toContainText('more than this page can hold');
  await expect(notice).toContainText('With the 20,000 items already here, 380,000 more fit.');
  await expect(notice).toContainText('sdr train too-many-rows.npy');
  await expect(notice).toContainText('Nothing was changed.');
  await page.screenshot({ path: 'test-results/scale-refused.png' });
  expect(await itemCount(page)).toBe(ROWS);
  expect((await mapState(page)).hasMap).toBe(true);
  await expect(tab(page, 'Map')).toHaveAttribute('aria-selected', 'true');
  expect(errors).toEqual([]);
});
