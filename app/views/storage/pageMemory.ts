/**
 * What this page holds in memory and on disk, from the browser's own figures (issue 11: at
 * 100,000 items a person should see what the page costs before the browser runs out):
 * - the main thread's JavaScript heap (`performance.memory`, Chromium only);
 * - the whole page with its workers and their WebAssembly memory
 *   (`performance.measureUserAgentSpecificMemory`, only on a cross-origin-isolated page, which
 *   this app is; Chromium answers at its next garbage collection, so this can take seconds);
 * - what the site stores in this browser, IndexedDB and caches (`navigator.storage.estimate`).
 * Each figure is null where the browser does not give it.
 */

export interface PageMemory {
  /** Main-thread JS heap in use and its limit, bytes. */
  readonly jsHeapUsed: number | null;
  readonly jsHeapLimit: number | null;
  /** Page, workers and WASM together, bytes (null until measured or where unsupported). */
  readonly wholePage: number | null;
  /** Bytes the site stores (IndexedDB, caches, …) and the quota the browser grants it. */
  readonly stored: number | null;
  readonly quota: number | null;
  /** Of `stored`, IndexedDB alone (Chromium's usageDetails), bytes. */
  readonly indexedDb: number | null;
}

/** The globals read (a test passes its own). */
export interface MemoryEnv {
  readonly performance: unknown;
  readonly storage: { estimate?: () => Promise<unknown> } | undefined;
  readonly crossOriginIsolated: boolean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The quick figures (heap, storage): no wait for a garbage collection. */
export async function readQuickMemory(env: MemoryEnv): Promise<PageMemory> {
  const mem = (env.performance as { memory?: Record<string, unknown> } | undefined)?.memory;
  let stored: number | null = null;
  let quota: number | null = null;
  let indexedDb: number | null = null;
  try {
    const e = (await env.storage?.estimate?.()) as
      { usage?: unknown; quota?: unknown; usageDetails?: { indexedDB?: unknown } } | undefined;
    stored = num(e?.usage);
    quota = num(e?.quota);
    indexedDb = num(e?.usageDetails?.indexedDB);
  } catch {
    // Storage estimates can be refused (private windows): those figures stay unknown.
  }
  return {
    jsHeapUsed: num(mem?.usedJSHeapSize),
    jsHeapLimit: num(mem?.jsHeapSizeLimit),
    wholePage: null,
    stored,
    quota,
    indexedDb,
  };
}

/** Page + workers + WASM, bytes; null where the browser cannot measure it. */
export async function measureWholePage(env: MemoryEnv): Promise<number | null> {
  const measure = (env.performance as { measureUserAgentSpecificMemory?: () => Promise<unknown> })
    ?.measureUserAgentSpecificMemory;
  if (!env.crossOriginIsolated || typeof measure !== 'function') return null;
  try {
    const r = (await measure.call(env.performance)) as { bytes?: unknown };
    return num(r.bytes);
  } catch {
    return null;
  }
}

/** This page's globals as a MemoryEnv. */
export function browserMemoryEnv(): MemoryEnv {
  return {
    performance: globalThis.performance,
    storage: typeof navigator !== 'undefined' ? navigator.storage : undefined,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
}
