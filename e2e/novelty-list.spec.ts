/**
 * The Novelty table as a list of every item (issue 11.2): with 3,000 imported rows it draws a
 * screenful of rows, says how many there are in all, and scrolling its box to the end (or End
 * in the focused box) shows the last item of the current order, whatever column it is sorted
 * by; the header stays on top while it scrolls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { expectAccessible, mapState, openApp, openTab, openTrainPanel } from './helpers.ts';
import { writeLargeNpy } from '../scripts/make-large-npy.ts';

const ROWS = 3000;
const DIM = 64;

const dir = mkdtempSync(join(tmpdir(), 'sdr-novelty-list-e2e-'));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('every item of the Novelty table is reachable by scrolling, in the order it is sorted by', async ({
  page,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const npyPath = join(dir, 'rows.npy');
  const labelsPath = join(dir, 'rows.labels.txt');
  writeLargeNpy(npyPath, labelsPath, { rows: ROWS, dim: DIM, seed: 5 });

  await openApp(page);
  await page.getByTestId('embeddings-input').setInputFiles([npyPath, labelsPath]);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().items.length), {
      timeout: 60_000,
    })
    .toBe(ROWS);
  await openTab(page, 'Map');
  const train = await openTrainPanel(page);
  await train.getByLabel('Grid').selectOption('8x8');
  await train.getByLabel('Epochs').fill('2');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(async () => (await mapState(page)).training.status, { timeout: 90_000 })
    .toBe('done');
  await expect.poll(async () => (await mapState(page)).encodedItems, { timeout: 60_000 }).toBe(ROWS); // prettier-ignore

  const view = await openTab(page, 'Novelty');
  const table = view.getByRole('table', { name: 'Items by novelty' });
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toBeVisible();
  await page.screenshot({ path: 'test-results/novelty-list-top.png' });
  await expect(table).toHaveAttribute('aria-rowcount', String(ROWS + 1));
  const drawn = await rows.count();
  expect(drawn).toBeGreaterThan(5);
  expect(drawn).toBeLessThan(60);
  await expect(view.getByRole('button', { name: /^Show \d+ more/ })).toHaveCount(0);
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '2');

  // Sorted by the QE percentile, highest first: the last row has the lowest.
  const box = view.getByTestId('novelty-list');
  const qePct = async (row: ReturnType<typeof rows.last>) =>
    Number(await row.locator('td').nth(3).textContent());
  const firstQe = await qePct(rows.first());
  await box.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  const last = rows.last();
  await expect(last).toHaveAttribute('aria-rowindex', String(ROWS + 1));
  // The box's own bottom in the window (the view's controls sit above it): its last row shows.
  await box.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await expect(last).toBeInViewport();
  expect(await qePct(last)).toBeLessThanOrEqual(firstQe);
  // The header stays on top of the scrolled box, its sort still said.
  const header = table.getByRole('columnheader', { name: 'QE pct' });
  await expect(header).toBeInViewport();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await page.screenshot({ path: 'test-results/novelty-list-end.png' });

  // Sorted by label, A to Z: the box starts at the top again, and End in it reaches "Z…".
  await table.getByRole('button', { name: 'Label' }).click();
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '2');
  const labels = await table.locator('tbody tr th').allTextContents();
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  expect(labels).toEqual([...labels].sort(collator.compare));
  await box.focus();
  await page.keyboard.press('End');
  await expect(last).toHaveAttribute('aria-rowindex', String(ROWS + 1));
  const tail = await table.locator('tbody tr th').allTextContents();
  expect(tail).toEqual([...tail].sort(collator.compare));
  expect(collator.compare(tail[tail.length - 1], labels[labels.length - 1])).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/novelty-list-labels-end.png' });

  // A row's label still opens the item.
  const lastLabel = (await last.locator('th').textContent())!.trim();
  await last.getByRole('button', { name: lastLabel }).click();
  await expect(page.getByRole('tab', { name: 'Item' })).toHaveAttribute('aria-selected', 'true');
  await openTab(page, 'Novelty');
  await expectAccessible(page);
  expect(errors).toEqual([]);
});
