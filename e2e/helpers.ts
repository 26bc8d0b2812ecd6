/**
 * What the e2e specs do the same way, as a person would: open the page, point the model panel
 * at the fixture CLIP model (`npm run fixture` → public/models/fixture/clip-tiny/) and load it,
 * wait for the concept atlas, type texts, switch tabs, select an item in the data list, audit
 * a view with axe; plus a hand-written PNG so no spec needs an image library, and one browser
 * page shared by the tests of a serial story. State is read through the test API
 * (`window.__sdrExplorer`), never from pixels.
 */
import { crc32, deflateSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import {
  test,
  expect,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from '@playwright/test';
import type { TestMapState } from '../app/testApi.ts';
import type { DtypePreference } from '../src/embed/types.ts';

/** The fixture model's id and the self-hosted folder the app serves it from. */
export const FIXTURE_MODEL_ID = 'clip-tiny';
export const FIXTURE_MODEL_FOLDER = '/models/fixture/';

/** The map as plain data, read through the test API. */
export const mapState = (page: Page): Promise<TestMapState> =>
  page.evaluate(() => window.__sdrExplorer!.mapState());

/** Wait until the dataset has been read from IndexedDB (after a visit or a reload). */
export async function waitForData(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer?.getState().dataStatus))
    .toBe('ready');
}

/**
 * Visit `path` (default '/') and wait until the dataset is ready. A visit that opens on the
 * built-in atlas (a first visit) then sets it aside, so the test starts from an empty page:
 * no map, no items (the first screen itself is e2e/first-visit.spec.ts's subject).
 */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await waitForData(page);
  await setAsideBuiltinAtlas(page);
}

/**
 * Once the page has settled on its first map: when that is the built-in atlas, clear its items
 * from the dataset and close it, as a person would before starting with their own data.
 */
export async function setAsideBuiltinAtlas(page: Page): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().builtinStatus))
    .not.toBe('loading');
  await page.evaluate(async () => {
    const s = window.__sdrExplorer!.getState();
    if (s.mapSource?.kind !== 'builtin') return;
    await s.clearData();
    window.__sdrExplorer!.getState().closeMap();
  });
}

/** The side bar's Model panel. */
export const modelPanel = (page: Page): Locator =>
  page.getByRole('region', { name: 'Model', exact: true });

export interface FixtureModelChoice {
  /** Device to run on; default 'wasm' (the same path on every machine). */
  device?: 'auto' | 'wasm' | 'webgpu';
  /** Precision to choose; default: leave the panel's own choice untouched. */
  dtype?: DtypePreference;
}

/**
 * Point the model panel at the fixture model in its self-hosted folder, the way a person points
 * the app at their own model folder; nothing is loaded yet. Returns the panel.
 */
export async function chooseFixtureModel(
  page: Page,
  { device = 'wasm', dtype }: FixtureModelChoice = {},
): Promise<Locator> {
  const panel = modelPanel(page);
  await panel.getByLabel('CLIP model').selectOption({ label: 'Other model id…' });
  await panel.getByLabel('Model id', { exact: true }).fill(FIXTURE_MODEL_ID);
  await panel.getByRole('button', { name: 'Use', exact: true }).click();
  await panel.getByLabel('Model folder').fill(FIXTURE_MODEL_FOLDER);
  await panel.getByRole('button', { name: 'Set', exact: true }).click();
  if (dtype) await panel.getByLabel('Precision').selectOption(dtype);
  await panel.getByLabel('Device').selectOption(device);
  return panel;
}

/**
 * Point the model panel at the fixture model (unless the saved settings already do) and load
 * it (WASM: the same on every machine); waits until the panel says it is ready.
 */
export async function loadFixtureModel(page: Page): Promise<void> {
  const panel = modelPanel(page);
  const settings = await page.evaluate(() => window.__sdrExplorer!.getState().modelSettings);
  if (settings.modelId !== FIXTURE_MODEL_ID || settings.modelFolder !== FIXTURE_MODEL_FOLDER) {
    await chooseFixtureModel(page);
  }
  await panel.getByRole('button', { name: /Load model|Reload model/ }).click();
  await expect(panel.getByRole('status')).toContainText(`Ready: ${FIXTURE_MODEL_ID}`, {
    timeout: 60_000,
  });
}

/** Wait until the built-in atlas is the map (its file fetched and opened). */
export async function waitForAtlas(page: Page, timeout: number): Promise<void> {
  await expect.poll(async () => (await mapState(page)).builtinStatus, { timeout }).toBe('ready');
}

/** Type two or more texts, one a line, into the text entry and embed them. */
export async function addTexts(page: Page, texts: readonly string[]): Promise<void> {
  if (texts.length < 2) throw new Error(`addTexts needs two or more texts, got ${texts.length}`);
  await page.getByLabel('Text to embed').fill(texts.join('\n'));
  await page.getByRole('button', { name: `Embed ${texts.length} texts` }).click();
}

/** Wait until `count` items are encoded on the map at the current K. */
export async function waitForEncoded(page: Page, count: number, timeout?: number): Promise<void> {
  await expect.poll(async () => (await mapState(page)).encodedItems, { timeout }).toBe(count);
}

/**
 * The start of a story on a fresh page with the fixture model's own map: visit (the built-in
 * atlas set aside), load the fixture model, embed `texts` as the whole dataset, train a 32×32
 * map on them (5 epochs) and wait until they are encoded on it (each wait up to
 * `encodeTimeout` ms). The fixture model's space is not the atlas's (CLIP ViT-B/32), so its
 * texts need a map of their own.
 */
export async function openFixtureMapWithTexts(
  page: Page,
  texts: readonly string[],
  encodeTimeout: number,
): Promise<void> {
  await openApp(page, '/');
  await loadFixtureModel(page);
  await addTexts(page, texts);
  await expect
    .poll(() => page.evaluate(() => window.__sdrExplorer!.getState().items.length), {
      timeout: encodeTimeout,
    })
    .toBe(texts.length);
  // A 32×32 map (the default size, K = 20) in the fixture model's space.
  const train = page.getByRole('region', { name: 'Train a map on your data' });
  await train.getByLabel('Epochs').fill('5');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(async () => (await mapState(page)).training.status, { timeout: encodeTimeout })
    .toBe('done');
  await waitForEncoded(page, texts.length, encodeTimeout);
}

/** The tab of a view, by its exact title. */
export const tab = (page: Page, name: string): Locator =>
  page.getByRole('tab', { name, exact: true });

/** The view on show, by its title. */
export const tabPanel = (page: Page, name: string): Locator => page.getByRole('tabpanel', { name });

/** Open a view by its tab and return its panel. */
export async function openTab(page: Page, name: string): Promise<Locator> {
  await tab(page, name).click();
  return tabPanel(page, name);
}

/** Select one item in the Data view's list, as a person would, then go back to view `back`. */
export async function selectInDataList(page: Page, label: string, back: string): Promise<void> {
  await tab(page, 'Data').click();
  await page.getByLabel(`Select ${label}`).check();
  await tab(page, back).click();
}

/** The part of the page that `include` selects (default: the open view) passes an axe audit. */
export async function expectAccessible(page: Page, include = '[role="tabpanel"]'): Promise<void> {
  const audit = await new AxeBuilder({ page }).include(include).analyze();
  expect(audit.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** A solid-colour RGB PNG, written by hand (zlib + CRC), so tests need no image library. */
export function solidPng(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set(rgb, y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One page that the tests of a serial story share, in order. */
export interface Story {
  /** The shared page (only inside a test: it opens before the first one). */
  readonly page: Page;
}

/**
 * Make this spec file one story told in order: its tests run serially in one browser context
 * (`contextOptions`, default none), so the dataset, the atlas cache (IndexedDB) and the model
 * settings (localStorage) carry from one step to the next, as they do for a person. Every test
 * fails if the page threw an uncaught error. Call once, at the top level of a spec file.
 */
export function serialStory(contextOptions: BrowserContextOptions = {}): Story {
  test.describe.configure({ mode: 'serial' });
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const errors: string[] = [];
  test.beforeAll(async ({ browser }) => {
    context = await browser.newContext(contextOptions);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  test.afterAll(async () => {
    await context?.close();
  });
  test.afterEach(() => {
    expect(errors).toEqual([]);
  });
  return {
    get page(): Page {
      if (!page) throw new Error('The story page opens in beforeAll: use it inside a test.');
      return page;
    },
  };
}

/**
 * The training form, opened as a person opens it: once a map exists it is folded under
 * "Train a new map on your data" (the picture comes first), so the disclosure is opened first.
 */
export async function openTrainPanel(page: Page): Promise<Locator> {
  const fold = page.locator('details.train-disclosure');
  if ((await fold.count()) > 0 && !(await fold.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await fold.getByText('Train a new map on your data').click();
  }
  return page.getByRole('region', { name: 'Train a map on your data' });
}

/**
 * Choose an item in the item picker labelled `name` inside `scope` as a person does with the
 * keyboard: type part of its label, then Enter on the option whose text is `label` (↓ until it
 * is the active one). `typed` defaults to the whole label.
 */
export async function pickItem(
  scope: Locator,
  name: string,
  label: string,
  typed: string = label,
): Promise<void> {
  const box = scope.getByRole('combobox', { name, exact: true });
  await box.click();
  await box.fill(typed);
  const list = scope.getByRole('listbox', { name, exact: true });
  const option = list.getByRole('option', { name: label, exact: true });
  await expect(option).toBeVisible();
  for (let step = 0; step < 50; step++) {
    if ((await option.getAttribute('aria-selected')) === 'true') break;
    await box.press('ArrowDown');
  }
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await box.press('Enter');
  await expect(list).toBeHidden();
}
