/**
 * The page's first script: a few kilobytes that start the built-in atlas's download (when the
 * address will open it; app/lib/atlasPrefetch.ts) and the worker that will decode it, and then
 * load the page itself (main.tsx), so the 2 MiB map file, the decoder and the page's code
 * arrive side by side instead of one after the other.
 */
import { prefetchBuiltinAtlas } from './lib/atlasPrefetch.ts';
import { startMapDecodeWorkerEarly } from './workers/mapDecodeWorker.ts';

// The decoder's worker too, so its code loads beside the page's instead of after it.
if (prefetchBuiltinAtlas(location.search, location.hash, import.meta.env.BASE_URL)) {
  startMapDecodeWorkerEarly();
}

import('./main.tsx').catch((error: unknown) => {
  // Without its code the page can say only this (no styles, no store to show a notice in).
  const root = document.getElementById('root');
  if (root) {
    root.textContent = `The page could not load (${error instanceof Error ? error.message : String(error)}). Reload to try again.`;
  }
});
