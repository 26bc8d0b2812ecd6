/**
 * The lab views as a person uses them, with the fixture CLIP model (`/models/fixture/`, written
 * by `npm run fixture`): two dozen typed texts are the dataset, on a 32×32 map trained on them.
 * The noise slider changes the corrupted SDR's overlap; the union of two items is at least as
 * big as either; a typed-text search finds items; the claim check completes with four verdicts;
 * the storage view shows the ratio; and axe finds no serious or critical accessibility issue in
 * the main views. Screenshots go to /tmp/lab-*.png.
 */
import AxeBuilder from '@axe-core/playwright';
import { test, expect } from '@playwright/test';
import { mapState, openFixtureMapWithTexts, openTab, pickItem, serialStory } from './helpers.ts';

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
  'a violin on a table',
  'an electric guitar',
  'a grand piano',
  'a pair of running shoes',
  'a leather handbag',
  'a desk lamp',
  'an old wooden chair',
  'a laptop on a desk',
];

const story = serialStory({ viewport: { width: 1440, height: 1000 } });

test('a map and a dataset of typed texts are ready', async () => {
  test.setTimeout(300_000);
  const { page } = story;
  await openFixtureMapWithTexts(page, TEXTS, 90_000);
  expect((await mapState(page)).k).toBe(20);
});

test('the noise slider changes the corrupted SDR’s overlap; the curves and false matches are measured', async () => {
  const { page } = story;
  test.setTimeout(180_000);
  const view = await openTab(page, 'Robustness');
  const overlap = view.getByTestId('corrupt-overlap');
  const level = view.getByLabel('Noise level');
  await level.fill('0');
  await expect(overlap).toHaveText('20');
  await level.fill('0.25');
  await expect(overlap).toHaveText('15'); // round(0.25 · 20) = 5 bits moved
  await level.fill('0.5');
  await expect(overlap).toHaveText('10');
  await view.getByLabel('Drop').check();
  await expect(overlap).toHaveText('10');
  await expect(view.getByTestId('corrupt-size')).toHaveText('10');
  // Embedding noise moves the code itself; with no bit noise the overlap falls below 20.
  await level.fill('0');
  await view.getByLabel('Embedding noise').fill('0.5');
  await expect.poll(async () => Number(await overlap.textContent())).toBeLessThan(20);
  await view.getByLabel('Embedding noise').fill('0');
  await level.fill('0.2');
  await view.getByLabel('Move').check();
  await expect(overlap).toHaveText('16');
  await expect(
    view.getByRole('img', {
      name: /SDR of 'a sleeping cat': 20 of 1024 units active; SDR of 'corrupted': 20 active, 16 shared/,
    }),
  ).toBeVisible();

  // The theory figure for n = 1024, w = 20 at the default θ = 10 is Ahmad and Hawkins' own.
  await expect(view.getByTestId('false-match-theory')).toHaveText('9.3e-14');
  await expect(view.getByTestId('false-match-measured')).toContainText('%', { timeout: 30_000 });

  await view.getByRole('button', { name: 'Measure the curves' }).click();
  await expect(view.getByTestId('curves-summary')).toBeVisible({ timeout: 120_000 });
  await expect(view.getByTestId('curves-summary')).toContainText(`${TEXTS.length} items`);
  await expect(
    view.getByRole('img', {
      name: /^Nearest item unchanged \(top-1\): SDR, bits moved 100% at 0%/,
    }),
  ).toBeVisible();
  await page.screenshot({ path: '/tmp/lab-robustness.png', fullPage: true });
});

test('the union of two items is at least as big as either, and typed text finds items', async () => {
  const { page } = story;
  test.setTimeout(120_000);
  const view = await openTab(page, 'Algebra & search');
  await pickItem(view, 'Item A', 'a sleeping cat');
  await pickItem(view, 'Item B', 'a red bicycle');
  await view.getByLabel('Union ∪').check();
  const size = Number(await view.getByTestId('algebra-result-size').textContent());
  const operands = (await view.getByTestId('algebra-operand-size').allTextContents()).map(Number);
  expect(operands).toEqual([20, 20]);
  expect(size).toBeGreaterThanOrEqual(Math.max(...operands));
  expect(size).toBeLessThanOrEqual(40);
  // The union overlaps both of its items fully: they lead its nearest items.
  const nearest = await view.getByTestId('algebra-nearest').locator('li').allTextContents();
  expect(nearest.slice(0, 2).join(' ')).toMatch(/a sleeping cat/);
  expect(nearest.slice(0, 2).join(' ')).toMatch(/a red bicycle/);
  await view.getByLabel('Intersection ∩').check();
  expect(Number(await view.getByTestId('algebra-result-size').textContent())).toBeLessThanOrEqual(
    20,
  );
  await view.getByLabel('Union ∪').check();
  await page.screenshot({ path: '/tmp/lab-algebra.png', fullPage: true });

  await view.getByLabel('typed text').check();
  await view.getByLabel('Search text').fill('a sleeping cat');
  await view.getByRole('button', { name: 'Search' }).click();
  const byOverlap = view.getByTestId('search-overlap-results').locator('li');
  await expect(byOverlap.first()).toBeVisible({ timeout: 60_000 });
  // The same words embed to the same vector: the item itself shares all 20 units.
  await expect(byOverlap.first()).toContainText('a sleeping cat');
  await expect(byOverlap.first()).toContainText('20');
  await expect(view.getByTestId('search-dense-results').locator('li')).toHaveCount(10);
  await page.screenshot({ path: '/tmp/lab-search.png', fullPage: true });
});

test('the claim check completes and shows four verdicts', async () => {
  const { page } = story;
  test.setTimeout(180_000);
  const view = await openTab(page, 'Claim check');
  await view.getByRole('button', { name: 'Check the claims' }).click();
  await expect(view.getByTestId('claim-verdict')).toHaveCount(4, { timeout: 150_000 });
  const badges = await view.getByTestId('claim-badge').allTextContents();
  for (const b of badges) expect(['Holds', 'Partly', 'Does not hold']).toContain(b);
  const verdicts = await view.getByTestId('claim-verdict').allTextContents();
  expect(verdicts[3]).toMatch(/9\.3e-14 at θ = 10/);
  await expect(view).toContainText(`${TEXTS.length} of your items`);
  await page.screenshot({ path: '/tmp/lab-claims.png', fullPage: true });
});

test('the storage view shows how much smaller SDR indices are', async () => {
  const { page } = story;
  const view = await openTab(page, 'Storage');
  // 24 items: 24·20·2 bytes of indices against 24·512·4 bytes of floats, 51.2 times more.
  await expect(view.getByTestId('storage-ratio')).toHaveText('51×');
  await expect(view.getByTestId('storage-indices')).toHaveText('960');
  await expect(view.getByTestId('storage-floats')).toHaveText('49,152');
  await expect(
    view.getByRole('img', { name: /^Bytes to store your items: SDR indices 960 B/ }),
  ).toBeVisible();
  await page.screenshot({ path: '/tmp/lab-storage.png', fullPage: true });
});

test('axe finds no serious or critical accessibility issue in the main views', async () => {
  const { page } = story;
  test.setTimeout(180_000);
  const tabs = await page.getByRole('tab').allTextContents();
  const problems: string[] = [];
  for (const name of tabs) {
    await openTab(page, name);
    await expect(page.getByRole('tabpanel', { name })).toBeVisible();
    // The whole page: header, side panel, the tab list and the view on show.
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') {
        problems.push(
          `${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      }
    }
  }
  expect(problems).toEqual([]);
});
