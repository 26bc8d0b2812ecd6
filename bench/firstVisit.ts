/**
 * A stranger's first visit (issue 9 item 1): the built app (index.html, a production build served
 * by `vite preview`) in a fresh headless Chromium profile at 1280×720, every request outside the
 * app's own origin blocked, timed from navigation start until the built-in atlas is on screen
 * with its unit labels (the page's `sdr:grid:labelled` mark: the Map view's label layer drawn),
 * then until the atlas's 1,224 items are encoded on it (hit counts, the Item, Novelty and lab
 * views). Several visits, each in a new profile (nothing cached, no IndexedDB); the median
 * visit's breakdown is reported.
 *
 * Where the time went, from the page's own clock (ms after navigation start):
 *   html        the document's response ended
 *   script      the entry chunk's response ended (resource timing)
 *   appStart    the entry module ran (`sdr:app:start`, app/main.tsx)
 *   restored    the last session's autosave was looked for (`sdr:autosave:restored`)
 *   atlasFetch  the atlas's fetch began / ended (`sdr:atlas:fetch`, `sdr:atlas:fetched`;
 *               app/store/librarySlice.ts)
 *   decoded     the map was read and checked (`sdr:map:decoded`, in the map-decode worker)
 *   mapSet      the map is the store's current map (`sdr:map:set`)
 *   labelled    the labelled map drawn (`sdr:grid:labelled`, app/components/grid/GridCanvas.tsx)
 *   items       the atlas's items joined the dataset (`sdr:map:items`)
 *   encoded     the items' encoding arrived (`sdr:encode:done`, app/store/mapSlice.ts)
 * and every main-thread task over 50 ms up to `encoded` (Long Tasks API; those before
 * `labelled` are counted apart).
 *
 * `npx tsx bench/firstVisit.ts [--dist DIR] [--runs N]` prints the figures as JSON (DIR: an app
 * build to reuse instead of building one; N visits, default 5).
 */
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Browser } from '@playwright/test';

/** Visits timed; default 5 (odd, so the median is one visit). */
const DEFAULT_RUNS = 5;

/** Items in the built-in atlas (public/atlas/concepts-v1.sdrmap). */
const ATLAS_ITEMS = 1224;

interface FirstVisitRun {
  /** Navigation start → labelled atlas drawn, ms. */
  readonly labelledMs: number;
  /** Navigation start → the atlas's items encoded on it, ms. */
  readonly encodedMs: number;
  /** The breakdown (ms after navigation start; see the note at the top). */
  readonly htmlMs: number;
  readonly scriptMs: number;
  readonly appStartMs: number;
  readonly restoredMs: number;
  readonly atlasFetchStartMs: number;
  readonly atlasFetchedMs: number;
  readonly decodedMs: number;
  readonly mapSetMs: number;
  readonly itemsMs: number;
  /** Bytes of JavaScript the page loaded before the labelled map (transfer size, all chunks). */
  readonly scriptBytes: number;
  readonly longTasksBeforeLabelled: number;
  readonly longTaskMsBeforeLabelled: number;
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

export interface FirstVisitFigures extends FirstVisitRun {
  readonly workload: string;
  readonly runs: number;
  /** Every visit's labelled time, ms, in order. */
  readonly labelledEachMs: string;
}

/** One first visit in a fresh profile; `base` is the served app's address. */
async function firstVisitOn(browser: Browser, base: string): Promise<FirstVisitRun> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    const origin = new URL(base).origin;
    await page.route('**', (route) => {
      const url = route.request().url();
      const own = url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin; // prettier-ignore
      return own ? route.continue() : route.abort('blockedbyclient');
    });
    // tsx (esbuild, keepNames) wraps functions inside page callbacks in __name(): give the page
    // that helper. Long tasks are observed from the document's start.
    await page.addInitScript(`
      globalThis.__name = (f) => f;
      globalThis.__firstVisitTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) globalThis.__firstVisitTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    `);
    await page.goto(base);
    await page.waitForFunction(
      (n) =>
        performance.getEntriesByName('sdr:grid:labelled', 'mark').length > 0 &&
        performance
          .getEntriesByName('sdr:encode:done', 'mark')
          .some((m) => (m as PerformanceMark).detail === n),
      ATLAS_ITEMS,
      { timeout: 300_000, polling: 50 },
    );
    return await page.evaluate(() => {
      const at = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime ?? NaN; // prettier-ignore
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const scripts = (
        performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      ).filter((r) => r.initiatorType === 'script' || /\.m?js$/.test(new URL(r.name).pathname));
      const labelled = at('sdr:grid:labelled');
      const entry = scripts.find((r) => /\/assets\/index-[^/]*\.js$/.test(r.name));
      const tasks = (globalThis as unknown as { __firstVisitTasks: [number, number][] })
        .__firstVisitTasks;
      const encoded = at('sdr:encode:done');
      const early = tasks.filter(([t]) => t < labelled);
      const upTo = tasks.filter(([t]) => t < encoded);
      const r = (v: number) => Math.round(v);
      return {
        labelledMs: r(labelled),
        encodedMs: r(encoded),
        htmlMs: r(nav.responseEnd),
        scriptMs: r(entry?.responseEnd ?? NaN),
        appStartMs: r(at('sdr:app:start')),
        restoredMs: r(at('sdr:autosave:restored')),
        atlasFetchStartMs: r(at('sdr:atlas:fetch')),
        atlasFetchedMs: r(at('sdr:atlas:fetched')),
        decodedMs: r(at('sdr:map:decoded')),
        mapSetMs: r(at('sdr:map:set')),
        itemsMs: r(at('sdr:map:items')),
        scriptBytes: scripts
          .filter((s) => s.startTime < labelled)
          .reduce((sum, s) => sum + (s.encodedBodySize || s.transferSize), 0),
        longTasksBeforeLabelled: early.length,
        longTaskMsBeforeLabelled: r(early.reduce((sum, [, d]) => sum + d, 0)),
        longTasks: upTo.length,
        longestTaskMs: r(upTo.reduce((most, [, d]) => Math.max(most, d), 0)),
      };
    });
  } finally {
    await context.close();
  }
}

/** `runs` first visits of the app served at `base`; the median visit (by labelled time). */
export async function firstVisits(
  browser: Browser,
  base: string,
  runs = DEFAULT_RUNS,
): Promise<FirstVisitFigures> {
  const all: FirstVisitRun[] = [];
  for (let i = 0; i < runs; i++) all.push(await firstVisitOn(browser, base));
  const sorted = [...all].sort((a, b) => a.labelledMs - b.labelledMs);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    workload: `built-in atlas (${ATLAS_ITEMS} items, 32×32), production build, fresh profile, outside requests blocked, 1280×720`,
    runs,
    labelledEachMs: all.map((v) => v.labelledMs).join(', '),
    ...median,
  };
}

// `npx tsx bench/firstVisit.ts [--dist DIR] [--runs N]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const { launchChromium } = await import('./chromium.ts');
  const { buildApp, serveApp } = await import('./firstMap.ts');
  const given = arg('--dist');
  const outDir = given ?? (await buildApp());
  const { server, base } = await serveApp(outDir);
  const browser = await launchChromium();
  try {
    const runs = Number(arg('--runs') ?? DEFAULT_RUNS);
    console.log(JSON.stringify(await firstVisits(browser, base, runs), null, 2));
  } finally {
    await browser.close();
    await server.close();
    if (!given) await rm(outDir, { recursive: true, force: true });
  }
}
