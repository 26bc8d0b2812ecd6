/**
 * Nothing lost on reload, calm messages, the picture first (issue 9 items 3, 7, 8), as a person
 * meets them at 1280×720: a map trained on imported embeddings comes back after a reload with
 * the same codebook, items, view, selection, unit, K, compare set and mixture; closing during
 * training keeps a finished epoch; a saved map that no longer decodes is reported and the data
 * stays; information leaves by itself while errors stay, beside the map and never over it, and
 * none show in embed mode; the map is above the fold and the training form folded away.
 *
 * The autosave's cost on a 32×32 map with 10,000 items (bytes written, main-thread milliseconds,
 * long tasks while it saved) is printed and attached to the report: figures, not assertions.
 * Screenshots go to /tmp/persist-*.png.
 */
import { test, expect, type Page } from '@playwright/test';
import { mapState, openApp, openTrainPanel, serialStory, tab, waitForData } from './helpers.ts';

const story = serialStory({ viewport: { width: 1280, height: 720 } });

/** A .npy file of float32 rows (version 1.0 header). */
function npy(rows: number, cols: number, value: (r: number, c: number) => number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(rows * cols * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) body.writeFloatLE(value(r, c), (r * cols + c) * 4);
  }
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

/** Four clusters of 12-d rows (60 items), labelled by cluster. */
const CLUSTERS = ['cat', 'car', 'tree', 'boat'];
const N = 60;
const D = 12;
function clusterRows(): { file: Buffer; labels: Buffer } {
  const file = npy(N, D, (r, c) => {
    const cluster = r % CLUSTERS.length;
    const wobble = Math.sin(r * 7.3 + c * 1.7) * 0.15;
    return (c % CLUSTERS.length === cluster ? 1 : 0) + wobble;
  });
  const labels = Array.from({ length: N }, (_, r) => `${CLUSTERS[r % CLUSTERS.length]} ${r}`);
  return { file, labels: Buffer.from(`${labels.join('\n')}\n`) };
}

/** What must come back after a reload, as plain data (codebook by checksum). */
function persisted(page: Page) {
  return page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    let sum = 0;
    const cb = s.map?.som.codebook ?? new Float32Array(0);
    // An order-sensitive checksum: a moved or changed weight changes it.
    for (let i = 0; i < cb.length; i++) sum = (sum * 31 + Math.round(cb[i] * 1e6)) % 2147483647;
    return {
      checksum: sum,
      grid: s.map ? { ...s.map.som.grid } : null,
      mapSource: s.mapSource?.kind ?? null,
      mapEpochs: s.map?.training.epochs ?? null,
      unitLabels: s.map?.unitLabels?.length ?? 0,
      items: s.items.map((item) => item.label),
      view: s.view,
      k: s.k,
      selected: s.selectedItemIds.map((id) => s.items.find((item) => item.id === id)?.label),
      selectedUnit: s.selectedUnit,
      compare: s.compareKeys.map(
        (key) =>
          s.items.find((item) => item.id === key)?.label ??
          s.mixtures.find((m) => m.id === key)?.label,
      ),
      mixtures: s.mixtures.map((m) => m.label),
    };
  });
}

const settled = (page: Page) => page.evaluate(() => window.__sdrExplorer!.autosaveSettled());
const stats = (page: Page) => page.evaluate(() => window.__sdrExplorer!.autosaveStats());

/** The map canvas lies wholly inside the 1280×720 viewport. */
async function expectMapAboveFold(page: Page): Promise<void> {
  const box = await page.locator('.map-canvas canvas[role="img"]').boundingBox();
  expect(box).not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(720);
  expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
}

test('a trained map, its view, selection, unit, K, compare set and mixture come back after a reload', async () => {
  test.setTimeout(180_000);
  const { page } = story;
  await openApp(page);
  const rows = clusterRows();
  await page.getByTestId('embeddings-input').setInputFiles([
    { name: 'clusters.npy', mimeType: 'application/octet-stream', buffer: rows.file },
    { name: 'clusters.labels.txt', mimeType: 'text/plain', buffer: rows.labels },
  ]);
  await expect.poll(async () => (await persisted(page)).items.length).toBe(N);

  const train = await openTrainPanel(page);
  await train.getByLabel('Grid').selectOption('12x12');
  await train.getByLabel('Epochs').fill('10');
  await train.getByRole('button', { name: 'Train' }).click();
  await expect
    .poll(async () => (await mapState(page)).training.status, { timeout: 90_000 })
    .toBe('done');

  // The picture first: the form folded away, the map wholly above the fold.
  await expect(page.getByText('Train a new map on your data')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Train a map on your data' })).toBeHidden();
  await expectMapAboveFold(page);

  // A person's state: K, two selected items, a clicked unit, a comparison with a mixture.
  await page.getByLabel('K (active units)').fill('5');
  await tab(page, 'Data').click();
  await page.getByLabel('Select car 5', { exact: true }).check();
  await page.getByLabel('Select tree 2', { exact: true }).check();
  await tab(page, 'Map').click();
  const canvas = page.locator('.map-canvas canvas[role="img"]');
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.6 } });
  expect((await mapState(page)).selectedUnit).not.toBeNull();
  await page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    const id = (label: string) => s.items.find((item) => item.label === label)!.id;
    s.setCompareKeys([id('cat 0'), id('boat 3')]);
    window.__sdrExplorer!.getState().addMixture([id('cat 0'), id('boat 3')]);
  });
  await tab(page, 'Compare').click();
  await tab(page, 'Map').click();
  await settled(page);
  const before = await persisted(page);
  expect(before).toMatchObject({
    mapSource: 'trained',
    grid: { rows: 12, cols: 12, topology: 'rect' },
    view: 'map',
    k: 5,
    selected: ['car 5', 'tree 2'],
    compare: ['cat 0', 'boat 3', 'cat 0 + boat 3'],
    mixtures: ['cat 0 + boat 3'],
  });
  await page.screenshot({ path: '/tmp/persist-before-reload.png' });

  await page.reload();
  await waitForData(page);
  await expect
    .poll(async () => (await persisted(page)).checksum, { timeout: 30_000 })
    .toBe(before.checksum);
  await settled(page);
  expect(await persisted(page)).toEqual(before);
  await expectMapAboveFold(page);
  await page.screenshot({ path: '/tmp/persist-after-reload.png' });
  // Restoring wrote nothing back: the map on screen is the one saved.
  expect((await stats(page)).mapSaves).toBe(0);
});

test('information leaves by itself, errors stay until dismissed, beside the map and never over it; none in embed mode', async () => {
  test.setTimeout(90_000);
  const { page } = story;
  await page.evaluate(() => {
    const s = window.__sdrExplorer!.getState();
    s.notify('info', 'Saved "cats" in this browser’s library.');
    s.notify('error', 'Could not open the file broken.sdrmap: it is empty.');
  });
  const info = page.locator('.notice-info', { hasText: 'Saved "cats"' });
  const error = page.locator('.notice-error', { hasText: 'broken.sdrmap' });
  await expect(info).toBeVisible();
  await expect(error).toBeVisible();
  // Nothing covers the map.
  const map = (await page.locator('.map-canvas canvas[role="img"]').boundingBox())!;
  for (const notice of [info, error]) {
    const b = (await notice.boundingBox())!;
    const overlaps =
      b.x < map.x + map.width &&
      map.x < b.x + b.width &&
      b.y < map.y + map.height &&
      map.y < b.y + b.height;
    expect(overlaps).toBe(false);
  }
  await page.screenshot({ path: '/tmp/persist-notices.png' });
  await expect(info).toBeHidden({ timeout: 15_000 });
  await expect(error).toBeVisible();
  await error.getByRole('button', { name: 'Dismiss message' }).click();
  await expect(error).toBeHidden();

  // Embed mode (slides): no messages at all.
  await page.evaluate(() => window.__sdrExplorer!.getState().setEmbedMode(true));
  await page.evaluate(() => window.__sdrExplorer!.getState().notify('error', 'Not on a slide.'));
  await expect(page.locator('.notice')).toHaveCount(0);
  await page.evaluate(() => window.__sdrExplorer!.getState().setEmbedMode(false));
  await expect(page.locator('.notice-error', { hasText: 'Not on a slide.' })).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss message' }).click();
});

test('closing during training keeps the last saved epoch', async () => {
  test.setTimeout(180_000);
  const { page } = story;
  const train = await openTrainPanel(page);
  await train.getByLabel('Grid').selectOption('16x16');
  await train.getByLabel('Epochs').fill('10000');
  await train.getByRole('button', { name: 'Train' }).click();
  // A finished epoch's map is written every few seconds while the run goes on.
  await expect
    .poll(async () => (await stats(page)).mapSaves, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
  const during = await page.evaluate(
    () => window.__sdrExplorer!.getState().training.history.length,
  );
  await page.reload(); // the tab closes mid-run
  await waitForData(page);
  await expect
    .poll(async () => (await persisted(page)).grid, { timeout: 30_000 })
    .toEqual({ rows: 16, cols: 16, topology: 'rect' });
  const back = await persisted(page);
  expect(back.mapSource).toBe('trained');
  expect(back.mapEpochs).toBeGreaterThanOrEqual(1);
  expect(back.mapEpochs).toBeLessThanOrEqual(during + 1);
  expect(back.items).toHaveLength(N);
  await expect(page.locator('.notice-info')).toContainText(/Training stopped when the page closed/);
});

test('a saved map that no longer decodes is reported in words; the data stays', async () => {
  const { page } = story;
  await settled(page);
  // Spoil the saved copy the way a broken disk would.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('sdr-explorer-session');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('map', 'readwrite');
          const store = tx.objectStore('map');
          const get = store.get('current');
          get.onsuccess = () => {
            const record = get.result as { bytes: Uint8Array };
            store.put({ ...record, bytes: record.bytes.subarray(0, 100) }, 'current');
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await waitForData(page);
  await expect(page.locator('.notice-error')).toContainText(
    'The map from your last visit could not be read back',
  );
  const s = await persisted(page);
  expect(s.items).toHaveLength(N);
  expect(s.mapSource).not.toBe('trained');
});

test('autosave cost: a 32×32 map with 10,000 items', async () => {
  test.setTimeout(240_000);
  const { page } = story;
  const n = 10_000;
  const d = 512;
  await page.evaluate(() => window.__sdrExplorer!.getState().clearData());
  await page.getByTestId('embeddings-input').setInputFiles({
    name: 'ten-thousand.npy',
    mimeType: 'application/octet-stream',
    buffer: npy(n, d, (r, c) => Math.sin(r * 0.37 + c * 1.91) + (c === r % d ? 2 : 0)),
  });
  await expect.poll(async () => (await persisted(page)).items.length, { timeout: 120_000 }).toBe(n);
  await page.evaluate(() => {
    const obs = new PerformanceObserver((list) => {
      const w = window as unknown as { longTasks: { start: number; ms: number }[] };
      for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, ms: e.duration });
    });
    (window as unknown as { longTasks: unknown[] }).longTasks = [];
    obs.observe({ type: 'longtask' });
  });
  const before = await stats(page);
  // A 32×32 map of 512-d unit rows, opened as a file would be.
  await page.evaluate(
    ([dim]) => {
      const m = 32 * 32;
      const codebook = new Float32Array(m * dim);
      for (let u = 0; u < m; u++) {
        let norm = 0;
        for (let c = 0; c < dim; c++) {
          const v = Math.sin(u * 0.13 + c * 0.71) + Math.cos(u * 0.05 * c);
          codebook[u * dim + c] = v;
          norm += v * v;
        }
        for (let c = 0; c < dim; c++) codebook[u * dim + c] /= Math.sqrt(norm);
      }
      window.__sdrExplorer!.getState().setMap(
        {
          name: 'Ten thousand',
          createdAt: new Date().toISOString(),
          model: null,
          som: { grid: { rows: 32, cols: 32, topology: 'rect' }, dim, codebook },
          training: {
            grid: { rows: 32, cols: 32, topology: 'rect' },
            epochs: 20,
            seed: 1,
            init: 'pca',
            radiusStart: 16,
            radiusEnd: 1,
            inputs: 10_000,
          },
          quality: { quantizationError: 0.5, topographicError: 0.1 },
          calibration: null,
        },
        { kind: 'file', name: 'ten-thousand.sdrmap' },
      );
    },
    [d],
  );
  await expect
    .poll(async () => (await stats(page)).mapSaves, { timeout: 60_000 })
    .toBe(before.mapSaves + 1);
  await expect.poll(async () => (await mapState(page)).encodedItems, { timeout: 120_000 }).toBe(n);

  // Moving K re-encodes 10,000 items but never rewrites the map: only the small view record.
  const afterMap = await stats(page);
  const slider = page.getByLabel('K (active units)');
  await slider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await stats(page)).viewSaves).toBeGreaterThan(afterMap.viewSaves);
  await settled(page);
  const after = await stats(page);
  expect(after.mapSaves).toBe(afterMap.mapSaves);
  expect(after.lastError).toBeNull();

  const overlapping = await page.evaluate(() => {
    const w = window as unknown as { longTasks: { start: number; ms: number }[] };
    const saves = performance
      .getEntriesByType('measure')
      .filter((e) => e.name.startsWith('autosave:'));
    return w.longTasks.filter((t) =>
      saves.some((m) => m.startTime < t.start + t.ms && t.start < m.startTime + m.duration),
    );
  });
  const figures = {
    mapBytes: after.lastMap?.bytes,
    mapMainMs: after.lastMap?.mainMs,
    mapWorkerEncodeMs: after.lastMap?.encodeMs,
    mapWorkerWriteMs: after.lastMap?.writeMs,
    viewBytes: after.lastViewBytes,
    maxMainMsPerSave: after.maxMainMs,
    longTasksDuringAutosave: overlapping,
  };
  console.log(`autosave cost (32×32×512 map, 10,000 items): ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'autosave cost', description: JSON.stringify(figures) });

  // And it comes back.
  const saved = await persisted(page);
  await page.reload();
  await waitForData(page);
  await expect
    .poll(async () => (await persisted(page)).checksum, { timeout: 60_000 })
    .toBe(saved.checksum);
  expect((await persisted(page)).k).toBe(saved.k);
});
