import { describe, expect, it } from 'vitest';
import { measureWholePage, readQuickMemory } from './pageMemory.ts';

describe('page memory figures', () => {
  it('reads the heap and the stored bytes (IndexedDB of them) from the browser', async () => {
    const f = await readQuickMemory({
      performance: { memory: { usedJSHeapSize: 5e8, jsHeapSizeLimit: 4e9 } },
      storage: {
        estimate: async () => ({ usage: 3e8, quota: 1e10, usageDetails: { indexedDB: 2.9e8 } }),
      },
      crossOriginIsolated: true,
    });
    expect(f).toEqual({
      jsHeapUsed: 5e8,
      jsHeapLimit: 4e9,
      wholePage: null,
      stored: 3e8,
      quota: 1e10,
      indexedDb: 2.9e8,
    });
  });

  it('says unknown, not zero, where the browser gives nothing or refuses', async () => {
    const f = await readQuickMemory({
      performance: {},
      storage: {
        estimate: () => Promise.reject(new Error('denied')),
      },
      crossOriginIsolated: false,
    });
    expect(Object.values(f).every((v) => v === null)).toBe(true);
  });

  it('measures page, workers and WASM only on a cross-origin-isolated page', async () => {
    const performance = { measureUserAgentSpecificMemory: async () => ({ bytes: 7e8 }) };
    expect(await measureWholePage({ performance, storage: undefined, crossOriginIsolated: true })).toBe(7e8); // prettier-ignore
    expect(await measureWholePage({ performance, storage: undefined, crossOriginIsolated: false })).toBeNull(); // prettier-ignore
  });
});
