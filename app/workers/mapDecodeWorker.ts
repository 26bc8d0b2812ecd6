/**
 * The map-decode worker itself (mapDecode.worker.ts), kept apart from its client so the page's
 * first script (app/boot.ts) can start it early without loading the engine: on a first visit
 * its code then loads and compiles while the page's own code does, and the atlas's decoding
 * does not wait for it.
 */

let early: Worker | null = null;

function createMapDecodeWorker(): Worker {
  return new Worker(new URL('./mapDecode.worker.ts', import.meta.url), {
    type: 'module',
    name: 'map-decode',
  });
}

/** Start the worker now, for the client to take later (once; nothing where there is no Worker). */
export function startMapDecodeWorkerEarly(): void {
  if (typeof Worker === 'undefined') return;
  early ??= createMapDecodeWorker();
}

/** The worker started early, or a new one. */
export function takeMapDecodeWorker(): Worker {
  const worker = early ?? createMapDecodeWorker();
  early = null;
  return worker;
}
