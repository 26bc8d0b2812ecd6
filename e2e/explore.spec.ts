/**
 * The explorer views, as a person uses them, with the fixture CLIP model (`npm run fixture`,
 * self-hosted folder `/models/fixture/`) and a 32×32 map trained on its texts: texts are added and
 * encoded; the Item view shows an item's SDR with K units, the K slider changes it live, and
 * the picture and the SDRs download as PNG, SVG, JSON, CSV and .npy with the right content;
 * Compare shows three items including a mixture built in the page, with their measures in
 * numbers and words; the Novelty table sorts and its threshold shows a false-alarm rate; the
 * galleries list a clicked unit's items and draw one mean SDR per label. Assertions read state
 * through the test API and the files; screenshots go to /tmp/explore-*.png.
 */
import { readFileSync } from 'node:fs';
import { test, expect, type Locator, type Page } from '@playwright/test';
import {
  expectAccessible,
  mapState,
  openFixtureMapWithTexts,
  openTab,
  pickItem,
  selectInDataList,
  serialStory,
  solidPng,
  tab,
  tabPanel,
  waitForEncoded,
} from './helpers.ts';

const TEXTS = [
  'a sleeping cat',
  'a pyramid in the desert',
  'a red bicycle',
  'the sea at night',
  'a bowl of ramen',
  'a snowy mountain',
];
/** Two images (labelled after their file stems), so galleries show thumbnails too. */
const IMAGES: { name: string; rgb: [number, number, number] }[] = [
  { name: 'red.png', rgb: [220, 40, 40] },
  { name: 'teal.png', rgb: [30, 170, 160] },
];
const N_ITEMS = TEXTS.length + IMAGES.length;

/** Click `button` and return the downloaded file's name and bytes. */
async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

const story = serialStory({ viewport: { width: 1400, height: 1000 } });

test('with a 32×32 map of six texts, the Item view shows K units, follows the K slider, and exports', async () => {
  test.setTimeout(300_000);
  const { page } = story;
  await openFixtureMapWithTexts(page, TEXTS, 60_000);
  await page.getByTestId('file-input').setInputFiles(
    IMAGES.map((im) => ({
      name: im.name,
      mimeType: 'image/png',
      buffer: solidPng(48, 40, im.rgb),
    })),
  );
  await waitForEncoded(page, N_ITEMS, 90_000);

  const view = await openTab(page, 'Item');
  await pickItem(view, 'Item', 'a sleeping cat', 'sleeping');
  await expect(view.getByTestId('item-active-count')).toHaveText('20');
  await expect(
    view.getByRole('img', { name: /SDR of 'a sleeping cat': 20 of 1024 units active/ }),
  ).toBeVisible();
  await expect(view.getByTestId('item-novelty')).toContainText(
    /more unusual than (every one of|\d+(\.\d)?% of) the map's training inputs/,
  );
  await expect(view.getByRole('region', { name: 'Scores' })).toContainText('Dispersion');
  await page.screenshot({ path: '/tmp/explore-item.png', fullPage: true });
  await expectAccessible(page);

  // The K slider, by keyboard: the heatmap and the count follow at once.
  const slider = view.getByLabel('K (active units)');
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(view.getByTestId('item-active-count')).toHaveText('25');
  await expect(
    view.getByRole('img', { name: /SDR of 'a sleeping cat': 25 of 1024 units active/ }),
  ).toBeVisible();
  expect((await mapState(page)).k).toBe(25);
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(view.getByTestId('item-active-count')).toHaveText('20');
  await expect.poll(async () => (await mapState(page)).encodedK).toBe(20);

  // The picture: PNG bytes, and an SVG whose active cells are the item's K units.
  const png = await download(page, view.getByRole('button', { name: 'Download PNG' }));
  expect(png.name).toBe('a-sleeping-cat-k20.png');
  expect(png.bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  );
  const svg = await download(page, view.getByRole('button', { name: 'Download SVG' }));
  expect(svg.name).toBe('a-sleeping-cat-k20.svg');
  const svgText = svg.bytes.toString('utf8');
  expect(svgText.startsWith('<svg')).toBe(true);
  const svgUnits = [...svgText.matchAll(/class="cell active-a" data-unit="(\d+)"/g)].map((m) =>
    Number(m[1]),
  );
  // Select the cat in the data list, as a person would, to read its SDR through the test API.
  await selectInDataList(page, 'a sleeping cat', 'Item');
  const catSdr = (await mapState(page)).selectedItemSdr!;
  expect(catSdr).toHaveLength(20);
  expect(svgUnits).toEqual(catSdr);

  // The SDRs of all items: JSON with grid, K and K indices per item; CSV; .npy.
  await view.getByLabel(`All items (${N_ITEMS})`).check();
  const json = await download(page, view.getByRole('button', { name: 'JSON' }));
  expect(json.name).toBe('all-items-k20.json');
  const doc = JSON.parse(json.bytes.toString('utf8'));
  expect(doc).toMatchObject({
    type: 'sdr-explorer/sdrs',
    grid: { rows: 32, cols: 32, topology: 'rect' },
    k: 20,
    count: N_ITEMS,
  });
  expect(doc.items.map((x: { label: string; kind: string }) => [x.label, x.kind])).toEqual([
    ...TEXTS.map((t) => [t, 'text']),
    ['red', 'image'],
    ['teal', 'image'],
  ]);
  for (const x of doc.items as { active: number[] }[]) {
    expect(x.active).toHaveLength(20);
    expect(new Set(x.active).size).toBe(20);
    expect(x.active.every((u) => Number.isInteger(u) && u >= 0 && u < 1024)).toBe(true);
  }
  expect(doc.items[0].active).toEqual(catSdr);

  const csv = await download(page, view.getByRole('button', { name: 'CSV' }));
  const csvLines = csv.bytes.toString('utf8').trim().split('\n');
  expect(csvLines).toHaveLength(N_ITEMS + 1);
  expect(csvLines[0]).toBe(
    ['label', 'kind', ...Array.from({ length: 20 }, (_, j) => `unit_${j + 1}`)].join(','),
  );
  expect(csvLines[1]).toBe(['a sleeping cat', 'text', ...catSdr].join(','));

  const npy = await download(page, view.getByRole('button', { name: '.npy' }));
  expect(npy.name).toBe('all-items-k20.npy');
  expect(npy.bytes.subarray(0, 6).toString('latin1')).toBe('\x93NUMPY');
  expect(npy.bytes.toString('latin1')).toContain(`'shape': (${N_ITEMS}, 20)`);
  const headerLength = npy.bytes.readUInt16LE(8);
  const data = npy.bytes.subarray(10 + headerLength);
  expect(data.length).toBe(N_ITEMS * 20 * 4);
  const firstRow = Array.from({ length: 20 }, (_, j) => data.readFloatLE(4 * j));
  expect(firstRow).toEqual(catSdr);
});

test('Compare shows three items including a mixture, with their measures in numbers and words', async () => {
  const { page } = story;
  const view = await openTab(page, 'Compare');
  await pickItem(view, 'First item', 'a sleeping cat');
  await pickItem(view, 'Second item', 'a pyramid in the desert');
  await view.getByRole('button', { name: 'Mix', exact: true }).click();
  const mixture = await page.evaluate(() => window.__sdrExplorer!.getState().mixtures);
  expect(mixture.map((m) => [m.label, m.kind, m.embedding.length > 0])).toEqual([
    ['a sleeping cat + a pyramid in the desert', 'mixture', true],
  ]);
  // The dataset is untouched: a mixture is a derived item.
  expect(await page.evaluate(() => window.__sdrExplorer!.getState().items.length)).toBe(N_ITEMS);

  for (const label of ['a sleeping cat', 'a pyramid in the desert']) {
    await pickItem(view, 'Add an item', label);
    await view.getByRole('button', { name: 'Add', exact: true }).click();
  }
  const cards = view.getByTestId('compare-card');
  await expect(cards).toHaveCount(3);
  await expect(cards.nth(0)).toContainText('a sleeping cat + a pyramid in the desert');
  await expect(cards.nth(0)).toContainText('mixture');
  for (let i = 0; i < 3; i++) {
    const card = cards.nth(i);
    await expect(card.getByRole('img', { name: /20 of 1024 units active/ })).toBeVisible();
    await expect(card.getByTestId('compare-dispersion')).toHaveText(/^\d+\.\d\d×$/);
    await expect(card.getByTestId('compare-clusters')).toHaveText(/^\d+ \(largest \d+\)$/);
    await expect(card.getByTestId('compare-novelty')).toHaveText(/^\d+\.\d$/);
    await expect(card.getByTestId('compare-qe')).toHaveText(/^\d\.\d{3}$/);
    await expect(card.getByTestId('compare-line')).toHaveText(
      /^(one tight cluster|spread over \d+ clusters.*); (novel|unusual|familiar): /,
    );
  }
  await expect(
    view.getByRole('complementary', { name: 'How to read these numbers' }),
  ).toContainText('neither number can tell a mixture from a novel concept');
  await page.screenshot({ path: '/tmp/explore-compare.png', fullPage: true });
  await expectAccessible(page);
});

test('the Novelty table sorts by any column and the threshold shows its false-alarm rate', async () => {
  const { page } = story;
  const view = await openTab(page, 'Novelty');
  const table = view.getByRole('table', { name: 'Items by novelty' });
  // Six texts, two images and the mixture.
  await expect(table.locator('tbody tr')).toHaveCount(N_ITEMS + 1);
  const column = async (index: number) =>
    (await table.locator(`tbody tr > :nth-child(${index})`).allTextContents()).map((t) => t.trim());

  // Six training texts are too few for the centred kNN score: the page says so and sorts by the
  // QE percentile, highest first; the Novelty column is empty.
  await expect(view.getByTestId('novelty-score-note')).toContainText(
    /QE percentile.*trained on only 6 items/,
  );
  await expect(table.getByRole('columnheader', { name: 'QE pct' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  expect(new Set(await column(3))).toEqual(new Set(['n/a']));

  await table.getByRole('button', { name: 'QE', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'QE', exact: true })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const down = (await column(4)).map(Number);
  expect(down).toEqual([...down].sort((a, b) => b - a));
  await table.getByRole('button', { name: 'QE', exact: true }).click();
  await expect(table.getByRole('columnheader', { name: 'QE', exact: true })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  const up = (await column(4)).map(Number);
  expect(up).toEqual([...up].sort((a, b) => a - b));
  expect(up).toEqual([...down].reverse());

  await table.getByRole('button', { name: 'Label' }).click();
  const labels = await column(1);
  expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  await table.getByRole('button', { name: 'Kind' }).click();
  expect(await column(2)).toContain('mixture');

  // The threshold: the story's map is calibrated on its six training texts (under 500 rows a map
  // calibrates on what it was trained on), so rates move in sixths: at the 95th percentile one
  // of six calibration rows is a false alarm (16.7%); at the lowest setting half. Items above
  // the threshold are flagged: the two images, far from a map of texts, among them.
  await expect(view.getByTestId('novelty-false-alarms')).toHaveText(/^16\.7%$/);
  const slider = view.getByLabel('Flag items more novel than');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(view.getByTestId('novelty-false-alarms')).toHaveText(/^(49|50)\.\d%$/);
  const threshold = Number(await view.getByTestId('novelty-threshold').textContent());
  // Each row against the threshold as shown (3 decimals): rows clearly above it are flagged,
  // rows clearly below are not (a 32×32 map fits six texts almost exactly, so their QE and the
  // threshold are all near 0.000 and only the page's full precision can tell those apart).
  const qes = (await column(4)).map(Number);
  const rowFlags = await table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.classList.contains('flagged')));
  qes.forEach((q, i) => {
    if (q > threshold + 5e-4) expect(rowFlags[i]).toBe(true);
    if (q < threshold - 5e-4) expect(rowFlags[i]).toBe(false);
  });
  const flagged = Number(await view.getByTestId('novelty-flagged').textContent());
  expect(rowFlags.filter(Boolean)).toHaveLength(flagged);
  for (const image of IMAGES) {
    const label = image.name.replace('.png', '');
    const row = table
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
    await expect(row).toHaveClass(/flagged/);
  }
  await page.screenshot({ path: '/tmp/explore-novelty.png', fullPage: true });
  await expectAccessible(page);
});

test('the galleries list the items of a clicked unit and draw a mean SDR per label', async () => {
  const { page } = story;
  const view = await openTab(page, 'Galleries');
  // Click a unit of the red image's SDR (read through the test API after selecting it in the
  // data list): the image must be in that unit's gallery, as a thumbnail.
  await selectInDataList(page, 'red', 'Galleries');
  const unit = (await mapState(page)).selectedItemSdr![0];
  const canvas = view.getByRole('img', { name: /^Activation density of 1024 units/ });
  const box = (await canvas.boundingBox())!;
  const pad = 4;
  const row = Math.floor(unit / 32);
  const col = unit % 32;
  await canvas.click({
    position: {
      x: pad + ((col + 0.5) * (box.width - 2 * pad)) / 32,
      y: pad + ((row + 0.5) * (box.height - 2 * pad)) / 32,
    },
  });
  await expect(view.getByTestId('gallery-unit')).toContainText(`Unit ${unit} `);
  await expect(view.getByTestId('gallery-density')).toHaveText(/^\d+(\.\d)?%$/);
  const tiles = view.getByRole('list', { name: `Items with unit ${unit} active` });
  const redTile = tiles.getByRole('button', { name: /^red, cosine / });
  await expect(redTile.getByRole('img', { name: 'red' })).toBeVisible();
  // One small map per label (six texts and two images).
  await expect(view.getByRole('list', { name: 'Mean SDR per label' }).getByRole('img')).toHaveCount(
    N_ITEMS,
  );
  await page.screenshot({ path: '/tmp/explore-gallery.png', fullPage: true });
  await expectAccessible(page);

  // A gallery tile opens the item in the Item view.
  await redTile.click();
  await expect(tab(page, 'Item')).toHaveAttribute('aria-selected', 'true');
  const redKey = await page.evaluate(
    () => window.__sdrExplorer!.getState().items.find((i) => i.label === 'red')!.id,
  );
  await expect(
    tabPanel(page, 'Item').getByRole('combobox', { name: 'Item', exact: true }),
  ).toHaveValue('red');
  expect(await page.evaluate(() => window.__sdrExplorer!.getState().inspectKey)).toBe(redKey);
  await expect(tabPanel(page, 'Item').getByRole('img', { name: 'red', exact: true })).toBeVisible();
  await page.screenshot({ path: '/tmp/explore-item-image.png', fullPage: true });
});
