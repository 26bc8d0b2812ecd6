/**
 * The page's first map, as a person meets it (issue 11 item 1): the built app (index.html, not
 * the bench page) in a fresh headless Chromium profile; 1,200 CLIP-sized rows (seeded synthetic
 * clusters, 512-d float32 .npy) imported through the Data panel's file input; the Map view's
 * train form set to 32×32 and 20 epochs; then, timed from the click on Train, until the trained
 * map is drawn (two animation frames after the store holds it). Also the first epoch drawn in
 * the Map view, where the time went (the page's performance marks: sdr:train:click, …:started
 * with the worker's own phases, …:epoch, …:map; see app/store/mapSlice.ts and
 * app/workers/trainClient.ts) and every main-thread task over 50 ms from the click to the map
 * (Long Tasks API).
 *
 * `readingMs` is how long the page stays open before the click (a person reading the form):
 * the page warms its train worker on idle, so 0 measures the worst case (a click at once).
 *
 * `npx tsx bench/firstMap.ts [--dist DIR]` prints the figures as JSON (DIR: an app build to
 * reuse instead of building one).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { npyHeaderBytes } from '../src/io/npy.ts';
import { syntheticClusters } from '../src/som/synthetic.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface FirstMapSpec {
  /** Rows imported; default 1,200 (range 2 to 200,000). */
  readonly n?: number;
  /** Map side; default 32. */
  readonly side?: number;
  /** Epochs; default 20. */
  readonly epochs?: number;
  /** Milliseconds the page is open before the click on Train; default 3,000 (0 = at once). */
  readonly readingMs?: number;
}

export interface FirstMapFigures {
  readonly workload: string;
  readonly readingMs: number;
  /** Click on Train → trained map drawn, ms. */
  readonly clickToMapMs: number;
  /** Click → first epoch's report in the page, ms. */
  readonly clickToFirstEpochMs: number;
  /** Click → the first map drawn: the map after epoch 1 (the page draws it per epoch), ms. */
  readonly clickToFirstDrawnMs: number;
  /** Click → the worker's session started (worker, kernel, pool and PCA), ms. */
  readonly clickToStartedMs: number;
  /** Inside that start, as the worker measured it, ms. */
  readonly startKernelMs: number;
  readonly startPoolMs: number;
  readonly startInitMs: number;
  /** Where the epochs ran. */
  readonly pool: string;
  /** First epoch → last epoch, ms. */
  readonly epochsMs: number;
  /** Last epoch → map in the store (final figures, calibration, labels, transfer), ms. */
  readonly finishMs: number;
  /** Map in the store → drawn, ms. */
  readonly drawMs: number;
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

/** A float32 .npy file of n×d rows. */
function npyFile(data: Float32Array, n: number, d: number): Buffer {
  const head = npyHeaderBytes([n, d], 'f4');
  return Buffer.concat([Buffer.from(head), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]); // prettier-ignore
}

/** Build the app (index.html) into a new temporary folder. */
export async function buildApp(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'sdr-app-'));
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export async function serveApp(outDir: string): Promise<{ server: PreviewServer; base: string }> {
  const server = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('the app server has no local address');
  return { server, base };
}

/** Open the app in a fresh context (its own empty profile: no cache, no IndexedDB). */
export async function freshApp(browser: Browser, base: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // tsx (esbuild, keepNames) wraps functions inside page.evaluate callbacks in __name(): give
  // the page that helper.
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto(base);
  await page.waitForFunction(() => window.__sdrExplorer?.getState().dataStatus === 'ready', null, {
    timeout: 60_000,
  });
  return page;
}

/** Import n synthetic 512-d rows as a .npy file through the Data panel. */
async function importRows(page: Page, n: number, d = 512, seed = 1): Promise<void> {
  const { data } = syntheticClusters({ n, d, clusters: Math.min(n, 40), seed });
  await page.getByTestId('embeddings-input').setInputFiles({
    name: `synthetic-${n}.npy`,
    mimeType: 'application/octet-stream',
    buffer: npyFile(data, n, d),
  });
  await page.waitForFunction((want) => window.__sdrExplorer!.getState().items.length === want, n, {
    timeout: 300_000,
  });
}

/** Time one first map on a page opened by freshApp. */
export async function firstMapOn(page: Page, spec: FirstMapSpec = {}): Promise<FirstMapFigures> {
  const n = spec.n ?? 1200;
  const side = spec.side ?? 32;
  const epochs = spec.epochs ?? 20;
  const readingMs = spec.readingMs ?? 3000;
  // The page opens on the built-in atlas; a person starting from their own data sets it aside
  // first (as e2e/helpers.ts setAsideBuiltinAtlas does).
  await page.waitForFunction(
    () => window.__sdrExplorer!.getState().builtinStatus !== 'loading',
    null,
    {
      timeout: 120_000,
    },
  );
  await page.evaluate(async () => {
    const s = window.__sdrExplorer!.getState();
    if (s.mapSource?.kind !== 'builtin') return;
    await s.clearData();
    window.__sdrExplorer!.getState().closeMap();
  });
  await importRows(page, n);
  await page.getByRole('tab', { name: 'Map' }).click();
  const panel = page.getByRole('region', { name: 'Train a map on your data' });
  await panel.getByLabel('Grid').selectOption(`${side}x${side}`);
  await panel.getByLabel('Epochs').fill(String(epochs));
  await page.waitForTimeout(readingMs);
  // Observers before the click: long tasks, and the map's arrival (drawn = two frames later).
  await page.evaluate(() => {
    const w = window as unknown as {
      __firstMap: { longTasks: number[]; drawnAt: number; previewDrawnAt: number };
    };
    w.__firstMap = { longTasks: [], drawnAt: 0, previewDrawnAt: 0 };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__firstMap.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
    new PerformanceObserver((list) => {
      const names = list.getEntries().map((e) => e.name);
      const preview = names.includes('sdr:train:preview') && w.__firstMap.previewDrawnAt === 0;
      if (preview) w.__firstMap.previewDrawnAt = -1;
      if (!preview && !names.includes('sdr:train:map')) return;
      requestAnimationFrame(() =>
        requestAnimationFrame(() => {
          if (names.includes('sdr:train:map')) w.__firstMap.drawnAt = performance.now();
          if (preview) w.__firstMap.previewDrawnAt = performance.now();
        }),
      );
    }).observe({ type: 'mark' });
  });
  await panel.getByRole('button', { name: 'Train' }).click();
  if (process.env.FIRST_MAP_SCREENSHOT) {
    // A look at the map as it forms (FIRST_MAP_SCREENSHOT=file.png): the first preview drawn.
    await page.getByRole('img', { name: /^The map being trained, after epoch/ }).waitFor({ timeout: 300_000 }); // prettier-ignore
    await page.screenshot({ path: process.env.FIRST_MAP_SCREENSHOT });
  }
  await page.waitForFunction(
    () => (window as unknown as { __firstMap: { drawnAt: number } }).__firstMap.drawnAt > 0,
    null,
    { timeout: 300_000 },
  );
  const marks = await page.evaluate(() => {
    const w = window as unknown as {
      __firstMap: { longTasks: number[]; drawnAt: number; previewDrawnAt: number };
    };
    const get = (name: string) => performance.getEntriesByName(name, 'mark') as PerformanceMark[];
    const click = get('sdr:train:click').at(-1)!.startTime;
    const started = get('sdr:train:started').at(-1)!;
    const epochsAt = get('sdr:train:epoch')
      .map((m) => m.startTime)
      .filter((t) => t >= click);
    const tasks = w.__firstMap.longTasks;
    return {
      click,
      started: started.startTime,
      phases: started.detail as { kernel: number; pool: number; init: number; poolName: string },
      firstEpoch: epochsAt[0],
      lastEpoch: epochsAt.at(-1)!,
      map: get('sdr:train:map').at(-1)!.startTime,
      drawn: w.__firstMap.drawnAt,
      previewDrawn: w.__firstMap.previewDrawnAt,
      longTasks: tasks.length,
      longest: tasks.length ? Math.max(...tasks) : 0,
    };
  });
  const r = (v: number) => Math.round(v);
  const phases = marks.phases as unknown as Record<string, number | string>;
  return {
    workload: `${n}×512 rows imported (.npy), ${side}×${side} map, ${epochs} epochs, fresh profile`,
    readingMs,
    clickToMapMs: r(marks.drawn - marks.click),
    clickToFirstEpochMs: r(marks.firstEpoch - marks.click),
    clickToFirstDrawnMs: r(
      (marks.previewDrawn > 0 ? marks.previewDrawn : marks.drawn) - marks.click,
    ),
    clickToStartedMs: r(marks.started - marks.click),
    startKernelMs: r(phases.kernel as number),
    startPoolMs: r(phases.pool as number),
    startInitMs: r(phases.init as number),
    pool: String(phases.poolName ?? ''),
    epochsMs: r(marks.lastEpoch - marks.firstEpoch),
    finishMs: r(marks.map - marks.lastEpoch),
    drawMs: r(marks.drawn - marks.map),
    longTasks: marks.longTasks,
    longestTaskMs: r(marks.longest),
  };
}

// `npx tsx bench/firstMap.ts [--dist DIR] [--reading MS] [--n N]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const { launchChromium } = await import('./chromium.ts');
  const given = arg('--dist');
  const outDir = given ?? (await buildApp());
  const { server, base } = await serveApp(outDir);
  const browser = await launchChromium();
  try {
    for (const readingMs of (arg('--reading') ?? '0,3000').split(',').map(Number)) {
      const page = await freshApp(browser, base);
      const n = Number(arg('--n') ?? 1200);
      console.log(JSON.stringify(await firstMapOn(page, { readingMs, n }), null, 2));
      await page.context().close();
    }
  } finally {
    await browser.close();
    await server.close();
    if (!given) await rm(outDir, { recursive: true, force: true });
  }
}
