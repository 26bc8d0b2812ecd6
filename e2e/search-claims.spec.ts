/**
 * Issue 10 on the page, as a stranger uses it (every request outside the app's own origin is
 * refused): the search shows the two-stage list (overlap shortlist ranked by cosine) beside the
 * overlap ranking alone, with their agreement; the claim check sets a random code of the same
 * units and K beside the map's SDRs on every claim. The fixture CLIP model, the concept atlas as
 * the map and a dozen and a half typed texts as the dataset. Screenshots at 1280×720 go to
 * /tmp/quality-search.png and /tmp/quality-claims.png.
 */
import { test, expect } from '@playwright/test';
import { openFixtureMapWithTexts, openTab, pickItem, serialStory } from './helpers.ts';

const TEXTS = [
  'a sleeping cat',
  'a kitten on a sofa',
  'a dog running on the beach',
  'a puppy with a ball',
  'a red bicycle',
  'a mountain bike on a trail',
  'a sports car',
  'a city bus',
  'the sea at night',
  'waves on a sandy beach',
  'a snowy mountain peak',
  'a forest in autumn',
  'a bowl of ramen',
  'a slice of pizza',
  'a cup of coffee',
  'a chocolate cake',
];

const story = serialStory({ viewport: { width: 1280, height: 720 } });

test('a stranger’s page: a map and a dataset of typed texts, nothing fetched from elsewhere', async () => {
  test.setTimeout(300_000);
  const { page } = story;
  const refused: string[] = [];
  await page.context().route('**', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    const own = new URL(page.url() === 'about:blank' ? 'http://127.0.0.1' : page.url());
    if (url.hostname === own.hostname) return route.continue();
    refused.push(url.href);
    return route.abort();
  });
  await openFixtureMapWithTexts(page, TEXTS, 90_000);
  expect(refused).toEqual([]);
});

test('search shows the two-stage list beside overlap alone, with their agreement', async () => {
  const { page } = story;
  test.setTimeout(120_000);
  // At the default K (20 of 1,024 units) these sixteen texts of the random-weight fixture model
  // share no unit with one another; at 60 they do, so both lists have something to show.
  const map = await openTab(page, 'Map');
  await map.getByLabel('K (active units)').fill('60');
  const view = await openTab(page, 'Algebra & search');
  const search = view.getByRole('region', { name: 'Search', exact: true });
  await pickItem(search, 'Query item', 'a sleeping cat', 'sleeping');
  const reranked = search.getByTestId('search-dense-results').locator('li');
  const overlap = search.getByTestId('search-overlap-results').locator('li');
  await expect(reranked).toHaveCount(10);
  await expect(overlap.first()).toBeVisible();
  // The query item itself is left out of both lists.
  await expect(search.getByTestId('search-dense-results')).not.toContainText('a sleeping cat');
  await expect(reranked.first()).toContainText('cosine');
  const agreement = search.getByTestId('search-agreement');
  await expect(agreement).toContainText(/share \d+ of 10 items \(overlap@10 [01]\.\d\d\)/);
  // A dozen and a half items: the shortlist holds every item sharing a unit with the query.
  await expect(agreement).toContainText(`of ${TEXTS.length} items`);
  await expect(search.getByTestId('search-overlap-only')).toHaveCount(0);
  await search.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/quality-search.png' });
});

test('the claim check sets a random code beside the map on every claim', async () => {
  const { page } = story;
  test.setTimeout(180_000);
  const view = await openTab(page, 'Claim check');
  await view.getByRole('button', { name: 'Check the claims' }).click();
  await expect(view.getByTestId('claim-verdict')).toHaveCount(4, { timeout: 150_000 });
  const tables = view.getByTestId('claim-baseline');
  await expect(tables).toHaveCount(4);
  // Noise has two levels; every other claim one measure: five rows of map beside random code.
  await expect(view.getByTestId('baseline-map')).toHaveCount(5);
  await expect(view.getByTestId('baseline-random')).toHaveCount(5);
  for (const cell of await view.getByTestId('baseline-random').allTextContents()) {
    expect(cell).toMatch(/^(0\.\d\d|1\.00|\d{1,3}%)$/);
  }
  await expect(tables.nth(3)).toContainText('Neighbour recall@10 against exact cosine');
  // The command line repeats the page's settings, K included (60, set for the search above).
  await expect(view.getByTestId('claims-baseline-note')).toContainText(
    `sdr claims map.sdrmap items.npy --seed 1 --queries ${TEXTS.length} --k 60 --kernel js`,
  );
  await view.getByTestId('claim-baseline').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/quality-claims.png' });
});

test('the hold-out check retrains without the items a person names and reports their novelty AUC', async () => {
  const { page } = story;
  test.setTimeout(180_000);
  const view = await openTab(page, 'Claim check');
  const holdOut = view.getByLabel('Hold out');
  await holdOut.fill('ramen');
  await expect(view.getByTestId('holdout-count')).toHaveText(
    '1 item with those words: the check needs at least 2, and 13 others',
  );
  await expect(view.getByRole('button', { name: 'Retrain without them and measure' })).toHaveCount(0); // prettier-ignore
  await holdOut.fill('beach');
  await expect(view.getByTestId('holdout-count')).toHaveText('2 items with those words');
  await view.getByRole('button', { name: 'Retrain without them and measure' }).click();
  const table = view.getByTestId('holdout-result');
  await expect(table).toBeVisible({ timeout: 150_000 });
  // 16 texts: 2 held out; of the other 14, 11 train the map and 3 are the unseen familiar ones.
  await expect(table).toContainText('2 items held out; map retrained on 11; compared with 3');
  const aucs = await table.locator('tbody td').allTextContents();
  expect(aucs).toHaveLength(5);
  for (const auc of aucs) expect(auc).toMatch(/^(0\.\d\d|1\.00)$/);
  await expect(table.locator('tr.recommended')).toContainText('Centred kNN (recommended)');
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/quality-holdout.png' });
});
