/**
 * The browser benchmark driver (`sdr bench`'s browser section; or
 * `npx tsx bench/browser.ts [--quick] [--scale-only]`): builds the dev-only bench page (bench/bench.html) with
 * the app's Vite config into a temporary folder, serves it with COOP/COEP on 127.0.0.1 (an
 * ephemeral port), opens it in headless Chromium (Debian's /usr/bin/chromium unless
 * PLAYWRIGHT_CHROMIUM_PATH says otherwise; same flags as playwright.config.ts) and runs the parts.
 * BENCH_MINIFY=0 builds the page unminified, so a profile of it names the app's functions.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import type { EmbedBenchSpec, EmbedFigures } from './embedBench.ts';
import { nodeTrainReference, type NodeTrainFigures } from './nodeReference.ts';
import type { RedrawBenchSpec, RedrawFigures } from './redrawBench.tsx';
import type { FirstMapFigures, FirstMapSpec } from './firstMap.ts';
import type { FirstVisitFigures } from './firstVisit.ts';
import type { ImportFigures } from './importBench.ts';
import type { ScaleFigures } from './scaleBench.ts';
import type { ViewOpenFigures } from './viewOpenBench.tsx';
import type { TrainBenchSpec, TrainVariantResult } from './trainBench.ts';
import { ensureFixtureModel } from '../scripts/make-fixture-model.ts';
import { BrowserBenchError, launchChromium } from './chromium.ts';

export { BrowserBenchError };

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Build the bench page into `outDir` (the app's config, bench.html as the only entry). */
async function buildBenchPage(outDir: string): Promise<void> {
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: process.env.BENCH_MINIFY !== '0',
      rollupOptions: { input: { bench: join(ROOT, 'bench/bench.html') } },
    },
  });
}

async function serve(outDir: string): Promise<{ server: PreviewServer; base: string }> {
  const server = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new BrowserBenchError('the bench page server has no local address');
  return { server, base };
}

export interface BrowserSession {
  readonly page: Page;
  close(): Promise<void>;
}

/** Build, serve and open the bench page; close() undoes all of it. */
export async function openBenchPage(
  log: (line: string) => void = () => {},
): Promise<BrowserSession> {
  const outDir = await mkdtemp(join(tmpdir(), 'sdr-bench-'));
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await rm(outDir, { recursive: true, force: true });
  };
  try {
    log('building the bench page …');
    await buildBenchPage(outDir);
    const served = await serve(outDir);
    server = served.server;
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') log(`page: ${m.text()}`);
    });
    await page.goto(new URL('bench/bench.html', served.base).href);
    await page.waitForFunction(() => window.__sdrBench !== undefined, null, { timeout: 30_000 });
    if (errors.length > 0) throw new BrowserBenchError(`the bench page failed: ${errors[0]}`);
    return { page, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export interface BrowserBenchOptions {
  /** Tiny workloads, to check the benchmark itself runs (figures not meaningful); default false. */
  readonly quick?: boolean;
  /**
   * Node's figures for the same training workload from this process run's som section
   * (src/som/som.bench.ts), shown beside the browser's; default none.
   */
  readonly nodeSom?: Readonly<Record<string, unknown>>;
  /** Progress lines (stderr in `sdr bench`); default none. */
  readonly log?: (line: string) => void;
  /**
   * Only the parts at 100,000 items (the large redraw, search and memory, view opens), none of
   * training, embedding or the fresh pages; default false.
   */
  readonly scaleOnly?: boolean;
}

/** Targets from the issue. */
export const TARGETS = {
  /** Browser training time at most this many times Node's. */
  trainRatio: 2,
  /** Median redraw of the Map view after a K or selection change, ms. */
  redrawMedianMs: 16,
  /** No main-thread task longer than this during redraws and embedding, ms. */
  longTaskMs: 50,
  /** Click on Train → drawn map, 1,200 items, 32×32, 20 epochs, fresh page, ms (issue 11). */
  firstMapMs: 1500,
  /** K slider redraw at 64×64 with 100,000 items, p95, ms (issue 11). */
  redrawP95Ms: 16,
  /** Navigation → labelled built-in atlas, fresh profile, outside requests blocked, ms (issue 9). */
  firstVisitMs: 2000,
  /** A search in the page at 100,000 items, median, ms (issue 11). */
  searchMs: 10,
} as const;

interface Workloads {
  readonly train: TrainBenchSpec;
  readonly redraw: RedrawBenchSpec;
  /** The same gestures with 100,000 items on the map (issue 11: nothing sampled). */
  readonly redrawLarge: RedrawBenchSpec;
  /** The first map on a fresh page: clicked at once, and after reading the form a while. */
  readonly firstMap: readonly FirstMapSpec[];
  /** First visits timed (bench/firstVisit.ts), each in a fresh profile; the median is reported. */
  readonly firstVisits: number;
  /** Rows imported through the Data panel on a fresh page (bench/importBench.ts). */
  readonly importRows: number;
  readonly embed: EmbedBenchSpec;
}

/**
 * The training variants: the app's own train worker ('page'), the ORT kernel in the train worker
 * with 1 and 2 WASM threads, the ORT kernel in 1 and 2 shard workers (somPool.ts), and the JS
 * kernel. The JS kernel runs two epochs (the rest projected from the second), as the Node
 * benchmark does for its JS kernel: a full run would add minutes.
 */
function workloads(quick: boolean): Workloads {
  const variants: TrainBenchSpec['variants'] = {
    page: 'page',
    'ort.1thread': { kernel: 'ort', threads: 1 },
    'ort.2threads': { kernel: 'ort', threads: 2 },
    'ort.pool×1': { kernel: 'ort', poolWorkers: 1 },
    'ort.pool×2': { kernel: 'ort', poolWorkers: 2 },
    js: { kernel: 'js' },
  };
  const partial = ['js'];
  if (quick) {
    return {
      train: { variants, partial, n: 1000, d: 64, side: 8, epochs: 3, partialEpochs: 2 },
      redraw: { items: 500, side: 16, dim: 64, moves: 10 },
      redrawLarge: { items: 2000, side: 16, dim: 64, moves: 10 },
      firstMap: [{ n: 200, side: 8, epochs: 3, readingMs: 0 }],
      firstVisits: 1,
      importRows: 3000,
      embed: { images: 4, width: 800, height: 600, distinct: 2 },
    };
  }
  return {
    train: { variants, partial, partialEpochs: 2 },
    redraw: { moves: 100 },
    redrawLarge: { items: 100_000, moves: 100 },
    firstMap: [{ readingMs: 0 }, { readingMs: 5000 }],
    firstVisits: 5,
    importRows: 100_000,
    embed: { images: 200 },
  };
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** Run every part in one browser session; figures flat, name → number or string. */
export async function benchBrowser(
  options: BrowserBenchOptions = {},
): Promise<Record<string, number | string>> {
  const quick = options.quick ?? false;
  const log = options.log ?? (() => {});
  const w = workloads(quick);
  ensureFixtureModel();
  if (options.scaleOnly) return benchAtScale(w, log);
  log('node reference (in-thread onnxruntime-node, 1 thread) …');
  const node = await nodeTrainReference(w.train);
  const session = await openBenchPage(log);
  let figures: Record<string, number | string>;
  try {
    const { page } = session;
    const env = await page.evaluate(() => ({
      isolated: window.__sdrBench!.isolated,
      cores: window.__sdrBench!.cores,
      userAgent: navigator.userAgent,
    }));
    log(`training in the browser (${Object.keys(w.train.variants).length} variants) …`);
    const train = await page.evaluate((spec) => window.__sdrBench!.train(spec), w.train);
    log('explorer redraw …');
    const redraw = await page.evaluate((spec) => window.__sdrBench!.redraw(spec), w.redraw);
    log(`explorer redraw, ${w.redrawLarge.items} items …`);
    const redrawLarge = await page.evaluate(
      (spec) => window.__sdrBench!.redraw(spec),
      w.redrawLarge,
    );
    const scale = await scaleParts(page, quick, w, log);
    log('embedding pipeline …');
    const embed = await page.evaluate((spec) => window.__sdrBench!.embed(spec), w.embed);
    figures = {
      ...flatten(w, env, node, train, redraw, embed, options.nodeSom),
      ...flattenLarge(redrawLarge),
      ...scale,
    };
  } finally {
    await session.close();
  }
  log('first map and first visit on a fresh page (the app itself) …');
  const app = await benchFreshPages(w.firstMap, w.firstVisits, w.importRows, log);
  return {
    ...figures,
    ...flattenFirstMaps(app.firstMaps),
    ...flattenFirstVisit(app.firstVisit),
    ...flattenImport(app.imported),
  };
}

/** Search, memory and view opens on what the large redraw part left in the page's store. */
async function scaleParts(
  page: Page,
  quick: boolean,
  w: Workloads,
  log: (line: string) => void,
): Promise<Record<string, number | string>> {
  log(`search and memory, ${w.redrawLarge.items} items …`);
  const scale = await page.evaluate(
    (queries) => window.__sdrBench!.scale({ queries }),
    quick ? 5 : 50,
  );
  log(`opening the views, ${w.redrawLarge.items} items …`);
  const opens = await page.evaluate(
    (spec) => window.__sdrBench!.viewOpens(spec),
    quick ? { opens: 1, settleMs: 200 } : { opens: 5 },
  );
  return { ...flattenScale(scale), ...flattenViewOpens(opens) };
}

/** The parts at 100,000 items alone (`npx tsx bench/browser.ts --scale-only`). */
async function benchAtScale(
  w: Workloads,
  log: (line: string) => void,
): Promise<Record<string, number | string>> {
  const quick = w.redrawLarge.items !== 100_000;
  const session = await openBenchPage(log);
  try {
    const { page } = session;
    log(`explorer redraw, ${w.redrawLarge.items} items …`);
    const redrawLarge = await page.evaluate(
      (spec) => window.__sdrBench!.redraw(spec),
      w.redrawLarge,
    );
    return { ...flattenLarge(redrawLarge), ...(await scaleParts(page, quick, w, log)) };
  } finally {
    await session.close();
  }
}

/**
 * Build and serve the app; time each first map in a fresh browser context of its own, then
 * `visits` first visits (bench/firstVisit.ts), then an import of `importRows` rows
 * (bench/importBench.ts).
 */
async function benchFreshPages(
  specs: readonly FirstMapSpec[],
  visits: number,
  importRows: number,
  log: (line: string) => void,
): Promise<{
  firstMaps: FirstMapFigures[];
  firstVisit: FirstVisitFigures;
  imported: ImportFigures;
}> {
  const { buildApp, serveApp, freshApp, firstMapOn } = await import('./firstMap.ts');
  const { firstVisits } = await import('./firstVisit.ts');
  const { importOn } = await import('./importBench.ts');
  const outDir = await buildApp();
  const { server, base } = await serveApp(outDir);
  const browser = await launchChromium();
  try {
    const out: FirstMapFigures[] = [];
    for (const spec of specs) {
      const page = await freshApp(browser, base);
      out.push(await firstMapOn(page, spec));
      await page.context().close();
    }
    const firstVisit = await firstVisits(browser, base, visits);
    log(`importing ${importRows.toLocaleString('en-US')} rows on a fresh page …`);
    const page = await freshApp(browser, base);
    const imported = await importOn(page, { rows: importRows });
    await page.context().close();
    return { firstMaps: out, firstVisit, imported };
  } finally {
    await browser.close();
    await server.close();
    await rm(outDir, { recursive: true, force: true });
  }
}

function flattenLarge(r: RedrawFigures): Record<string, number | string> {
  const out: Record<string, number | string> = {
    'redrawLarge.workload': `${r.items} items on a ${Math.sqrt(r.units)}×${Math.sqrt(r.units)} map`,
    'redrawLarge.setupMs': round(r.setupMs),
  };
  for (const [gesture, g] of [
    ['kSlider', r.kSlider],
    ['selectItem', r.selectItem],
  ] as const) {
    out[`redrawLarge.${gesture}.medianMs`] = round(g.medianMs, 2);
    out[`redrawLarge.${gesture}.p95Ms`] = round(g.p95Ms, 2);
    out[`redrawLarge.${gesture}.longTasksOver50ms`] = g.longTasks;
    out[`redrawLarge.${gesture}.longestTaskMs`] = round(g.longestTaskMs);
  }
  return out;
}

function flattenScale(r: ScaleFigures): Record<string, number | string> {
  const out: Record<string, number | string> = {
    'scale.workload': `${r.items} items on a ${Math.sqrt(r.units)}×${Math.sqrt(r.units)} map, the page's thread`,
    'scale.labelIndexMs': round(r.labelIndexMs),
    'scale.overlapIndexMs': round(r.overlapIndexMs),
    'scale.shortlist': r.shortlist,
  };
  for (const [name, t] of [
    ['labelSearch', r.labelSearch],
    ['searchView', r.searchView],
    ['exactCheckSliceMs', r.exactCheckSliceMs],
    ['exactCheckTotal', r.exactCheckTotal],
    ['twoStage', r.twoStage],
    ['dataFilter', r.dataFilter],
  ] as const) {
    out[`scale.${name}.medianMs`] = round(t.medianMs, 2);
    out[`scale.${name}.p95Ms`] = round(t.p95Ms, 2);
  }
  for (const [name, v] of [
    ['jsHeapUsedMB', r.jsHeapUsedMB],
    ['wholePageMB', r.wholePageMB],
    ['indexedDbMB', r.indexedDbMB],
  ] as const) {
    out[`scale.memory.${name}`] = v === null ? 'not given by this browser' : round(v);
  }
  return out;
}

function flattenViewOpens(r: Record<string, ViewOpenFigures>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [view, v] of Object.entries(r)) {
    out[`viewOpen.${view}.firstMs`] = round(v.firstMs);
    out[`viewOpen.${view}.medianMs`] = round(v.medianMs);
    out[`viewOpen.${view}.longTasksOver50ms`] = v.longTasks;
    out[`viewOpen.${view}.longestTaskMs`] = round(v.longestTaskMs);
  }
  return out;
}

function flattenFirstMaps(runs: readonly FirstMapFigures[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const r of runs) {
    const key = `firstMap.reading${r.readingMs}ms`;
    out[`${key}.workload`] = r.workload;
    for (const [name, value] of Object.entries(r)) {
      if (name !== 'workload' && name !== 'readingMs') out[`${key}.${name}`] = value;
    }
  }
  return out;
}

function flattenImport(r: ImportFigures): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(r)) out[`import.${name}`] = value;
  return out;
}

function flattenFirstVisit(r: FirstVisitFigures): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [name, value] of Object.entries(r)) out[`firstVisit.${name}`] = value;
  return out;
}

function flatten(
  w: Workloads,
  env: { isolated: boolean; cores: number; userAgent: string },
  node: NodeTrainFigures,
  train: Record<string, TrainVariantResult>,
  redraw: RedrawFigures,
  embed: EmbedFigures,
  nodeSom: Readonly<Record<string, unknown>> | undefined,
): Record<string, number | string> {
  const t = w.train;
  const out: Record<string, number | string> = {
    browser: env.userAgent.match(/(HeadlessChrome|Chrome)\/[\d.]+/)?.[0] ?? env.userAgent,
    crossOriginIsolated: String(env.isolated),
    cores: env.cores,
    'train.workload': `${t.n ?? 10_000}×${t.d ?? 512} unit vectors, 10 clusters; ${t.side ?? 32}×${t.side ?? 32} map; ${t.epochs ?? 10} epochs; PCA init`,
    'train.node.inThreadOrt1thread.trainMs': round(node.trainMs),
    'train.node.inThreadOrt1thread.perEpochMs': round(node.perEpochMs),
    'train.node.inThreadOrt1thread.finalQE': round(node.finalQE, 4),
  };
  const som1 = nodeSom?.['ours.ort.1worker.trainMs'];
  const som2 = nodeSom?.['ours.ort.2workers.trainMs'];
  if (typeof som1 === 'number') out['train.node.somSection.1worker.trainMs'] = som1;
  if (typeof som2 === 'number') out['train.node.somSection.2workers.trainMs'] = som2;
  for (const [name, r] of Object.entries(train)) {
    const key = `train.browser.${name}`;
    out[`${key}.engine`] = `${r.engine.pool}${r.engine.fallback ? ` (fallback: ${r.engine.fallback})` : ''}`; // prettier-ignore
    out[`${key}.startupMs`] = round(r.startupMs);
    if (r.epochsRun < (t.epochs ?? 10)) {
      out[`${key}.epochsRun`] = r.epochsRun;
      out[`${key}.projectedTrainMs`] = round(r.projectedTrainMs);
    } else {
      out[`${key}.trainMs`] = round(r.trainMs);
      out[`${key}.finalQE`] = round(r.finalQE, 4);
      out[`${key}.finalTE`] = round(r.finalTE, 4);
    }
    out[`${key}.firstEpochMs`] = round(r.firstEpochMs);
    out[`${key}.steadyEpochMs`] = round(r.steadyEpochMs);
    if (r.poolStartMs > 0) out[`${key}.poolStartInFirstEpochMs`] = round(r.poolStartMs);
    out[`${key}.finishMs`] = round(r.finishMs);
    out[`ratio.train.${name}VsNode`] = round(r.comparableTrainMs / node.trainMs, 2);
  }
  const js = train.js;
  const pageRun = train.page;
  if (js && pageRun) {
    out['ratio.speedup.pageVsJsKernel(steady epoch)'] = round(
      js.steadyEpochMs / pageRun.steadyEpochMs,
      1,
    );
  }
  if (pageRun && typeof som1 === 'number') {
    out['ratio.train.pageVsNodeSom1worker'] = round(pageRun.comparableTrainMs / som1, 2);
  }
  out['redraw.workload'] = `${redraw.items} items on a ${Math.sqrt(redraw.units)}×${Math.sqrt(redraw.units)} map, Map view ${redraw.canvas.width}×${redraw.canvas.height} px`; // prettier-ignore
  out['redraw.setupMs'] = round(redraw.setupMs);
  for (const [gesture, g] of [
    ['kSlider', redraw.kSlider],
    ['selectItem', redraw.selectItem],
  ] as const) {
    out[`redraw.${gesture}.moves`] = g.moves;
    out[`redraw.${gesture}.medianMs`] = round(g.medianMs, 2);
    out[`redraw.${gesture}.p95Ms`] = round(g.p95Ms, 2);
    out[`redraw.${gesture}.maxMs`] = round(g.maxMs, 2);
    out[`redraw.${gesture}.longTasksOver50ms`] = g.longTasks;
    out[`redraw.${gesture}.longestTaskMs`] = round(g.longestTaskMs);
  }
  out['embed.workload'] = `${embed.images} JPEGs of ${embed.megapixels} MP (~${Math.round(embed.jpegBytes / 1024)} KiB), fixture CLIP (clip-tiny), WASM`; // prettier-ignore
  out['embed.loadMs'] = round(embed.loadMs);
  out['embed.batchMs'] = round(embed.batchMs);
  out['embed.embedded'] = embed.embedded;
  out['embed.imagesPerSecond'] = round(embed.imagesPerSecond, 2);
  out['embed.longTasksOver50ms'] = embed.longTasks;
  out['embed.longestTaskMs'] = round(embed.longestTaskMs);
  return out;
}

/** The figures that have targets, as a readable table: measure, value, target, verdict. */
export function formatBrowserTable(f: Readonly<Record<string, number | string>>): string {
  const rows: [string, string, string, string][] = [];
  const num = (k: string) => (typeof f[k] === 'number' ? (f[k] as number) : NaN);
  const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const ms = (v: number) => (Number.isFinite(v) ? `${v.toLocaleString('en-US')} ms` : '–');
  const nodeMs = num('train.node.inThreadOrt1thread.trainMs');
  rows.push(['train, Node (onnxruntime-node, 1 thread)', ms(nodeMs), '', '']);
  for (const key of Object.keys(f)) {
    const m = key.match(/^ratio\.train\.(.+)VsNode$/);
    if (!m) continue;
    const name = m[1];
    const measured = num(`train.browser.${name}.trainMs`);
    const projected = num(`train.browser.${name}.projectedTrainMs`);
    const ratio = num(key);
    const poolStart = num(`train.browser.${name}.poolStartInFirstEpochMs`);
    const shown =
      (Number.isFinite(measured) ? ms(measured) : `${ms(projected)} (projected)`) +
      (Number.isFinite(poolStart) ? ` incl. ${ms(poolStart)} pool start,` : '');
    const target = name === 'page' ? `≤ ${TARGETS.trainRatio}× Node` : '';
    rows.push([
      `train, browser ${name}`,
      `${shown} = ${ratio}× Node`,
      target,
      target ? verdict(ratio <= TARGETS.trainRatio) : '',
    ]);
  }
  for (const gesture of ['kSlider', 'selectItem']) {
    const median = num(`redraw.${gesture}.medianMs`);
    const p95 = num(`redraw.${gesture}.p95Ms`);
    const longest = num(`redraw.${gesture}.longestTaskMs`);
    const count = num(`redraw.${gesture}.longTasksOver50ms`);
    rows.push([
      `redraw on ${gesture}, median (p95)`,
      `${median} ms (${p95} ms)`,
      `≤ ${TARGETS.redrawMedianMs} ms`,
      verdict(median <= TARGETS.redrawMedianMs),
    ]);
    rows.push([
      `  long tasks during ${gesture}`,
      count === 0 ? 'none' : `${count}, longest ${longest} ms`,
      `none > ${TARGETS.longTaskMs} ms`,
      verdict(count === 0),
    ]);
  }
  const p95Large = num('redrawLarge.kSlider.p95Ms');
  if (Number.isFinite(p95Large)) {
    rows.push([
      `redraw on kSlider, ${String(f['redrawLarge.workload'])}, p95`,
      `${p95Large} ms`,
      `≤ ${TARGETS.redrawP95Ms} ms`,
      verdict(p95Large <= TARGETS.redrawP95Ms),
    ]);
  }
  for (const [name, what] of [
    ['labelSearch', 'finding an item by label (picker)'],
    ['twoStage', 'search, two stages (overlap shortlist + cosine)'],
    ['searchView', 'search as the Algebra view runs it (two stages + overlap list)'],
    ['exactCheckSliceMs', 'its recall check over every item: the longest slice (one task)'],
    ['dataFilter', 'Data view filter'],
  ] as const) {
    const median = num(`scale.${name}.medianMs`);
    if (!Number.isFinite(median)) continue;
    rows.push([
      `${what}, ${String(f['scale.workload'])}, median (p95)`,
      `${median} ms (${num(`scale.${name}.p95Ms`)} ms)`,
      `≤ ${TARGETS.searchMs} ms`,
      verdict(median <= TARGETS.searchMs),
    ]);
  }
  for (const key of Object.keys(f)) {
    const m = key.match(/^viewOpen\.(\w+)\.medianMs$/);
    if (!m) continue;
    const count = num(`viewOpen.${m[1]}.longTasksOver50ms`);
    const what =
      m[1] === 'itemLists'
        ? 'preparing the item lists while idle (before the views open)'
        : `opening ${m[1]}`;
    rows.push([
      `${what}, ${String(f['redrawLarge.workload'])}: median (first)`,
      `${ms(num(key))} (${ms(num(`viewOpen.${m[1]}.firstMs`))}); long tasks: ${count === 0 ? 'none' : `${count}, longest ${ms(num(`viewOpen.${m[1]}.longestTaskMs`))}`}`,
      `none > ${TARGETS.longTaskMs} ms`,
      verdict(count === 0),
    ]);
  }
  if (f['scale.memory.jsHeapUsedMB'] !== undefined) {
    rows.push([
      '  memory then: JS heap, whole page (workers, WASM), IndexedDB',
      `${String(f['scale.memory.jsHeapUsedMB'])} MB, ${String(f['scale.memory.wholePageMB'])} MB, ${String(f['scale.memory.indexedDbMB'])} MB`,
      '',
      '',
    ]);
  }
  for (const key of Object.keys(f)) {
    const m = key.match(/^(firstMap\.reading(\d+)ms)\.clickToMapMs$/);
    if (!m) continue;
    const total = num(key);
    const first = num(`${m[1]}.clickToFirstDrawnMs`);
    rows.push([
      `first map, click after ${m[2]} ms of reading: drawn (first epoch drawn)`,
      `${ms(total)} (${ms(first)}); kernel ${ms(num(`${m[1]}.startKernelMs`))}, PCA ${ms(num(`${m[1]}.startInitMs`))}, epochs ${ms(num(`${m[1]}.epochsMs`))}, finish ${ms(num(`${m[1]}.finishMs`))}`,
      `≤ ${ms(TARGETS.firstMapMs)}`,
      verdict(total <= TARGETS.firstMapMs),
    ]);
    const count = num(`${m[1]}.longTasks`);
    rows.push([
      '  long tasks from click to map',
      count === 0 ? 'none' : `${count}, longest ${num(`${m[1]}.longestTaskMs`)} ms`,
      `none > ${TARGETS.longTaskMs} ms`,
      verdict(count === 0),
    ]);
  }
  const visit = num('firstVisit.labelledMs');
  if (Number.isFinite(visit)) {
    const at = (name: string) => ms(num(`firstVisit.${name}`));
    rows.push([
      `first visit: labelled atlas after navigation, median of ${num('firstVisit.runs')}`,
      `${ms(visit)} (first script ${at('scriptMs')}, app ${at('appStartMs')}, restored ${at('restoredMs')}, decoded ${at('decodedMs')}, map ${at('mapSetMs')}; items encoded ${at('encodedMs')})`,
      `≤ ${ms(TARGETS.firstVisitMs)}`,
      verdict(visit <= TARGETS.firstVisitMs),
    ]);
    const count = num('firstVisit.longTasksBeforeLabelled');
    rows.push([
      '  long tasks before the labelled atlas',
      count === 0 ? 'none' : `${count}, ${ms(num('firstVisit.longTaskMsBeforeLabelled'))} in all`,
      '',
      '',
    ]);
  }
  const usable = num('import.usableMs');
  if (Number.isFinite(usable)) {
    rows.push([
      `import: ${String(f['import.workload'])}: file chosen → items usable (every item encoded; persisted)`,
      `${ms(usable)} (${ms(num('import.encodedMs'))}; ${ms(num('import.persistedMs'))}); read ${ms(num('import.readMs'))}, parsed ${ms(num('import.parsedMs'))}; reload → all read back ${ms(num('import.reloadMs'))}`,
      '',
      '',
    ]);
    const count = num('import.longTasks');
    rows.push([
      '  long tasks from file chosen to persisted',
      count === 0 ? 'none' : `${count}, longest ${ms(num('import.longestTaskMs'))}, ${ms(num('import.longTaskTotalMs'))} in all`, // prettier-ignore
      '',
      '',
    ]);
  }
  rows.push(['embedding, images per second', String(num('embed.imagesPerSecond')), '', '']);
  const embedLong = num('embed.longTasksOver50ms');
  rows.push([
    '  long tasks while embedding',
    embedLong === 0 ? 'none' : `${embedLong}, longest ${num('embed.longestTaskMs')} ms`,
    `none > ${TARGETS.longTaskMs} ms`,
    verdict(embedLong === 0),
  ]);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      `  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`.trimEnd(),
    ) // prettier-ignore
    .join('\n');
}

// `npx tsx bench/browser.ts [--quick] [--scale-only]` prints the table on stderr and the figures as JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchBrowser({
    quick: process.argv.includes('--quick'),
    scaleOnly: process.argv.includes('--scale-only'),
    log: (line) => console.error(line),
  });
  console.error(formatBrowserTable(figures));
  console.log(JSON.stringify(figures, null, 2));
}
