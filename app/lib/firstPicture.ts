/**
 * "The first picture is on screen": the first time a grid with its labels has been drawn
 * (GridCanvas calls notePictureDrawn), so work a first visit does not need for its map (probing
 * the GPU, which starts the embed worker and its ~570 kB of transformers.js) waits until after
 * it instead of competing with it for a busy machine's cores.
 */
import { whenIdle } from './slices.ts';

/** Most milliseconds afterFirstPicture waits for a picture (a page with no map); default. */
const MAX_WAIT_MS = 5000;

let drawn = false;
const waiting = new Set<() => void>();

/** A labelled grid has been drawn (GridCanvas). */
export function notePictureDrawn(): void {
  if (drawn) return;
  drawn = true;
  for (const run of [...waiting]) run();
}

/**
 * Run `work` in idle time after the first picture, or after `maxWaitMs` (default 5,000) when
 * none comes. Returns the function that cancels it.
 */
export function afterFirstPicture(work: () => void, maxWaitMs = MAX_WAIT_MS): () => void {
  let cancelIdle: (() => void) | null = null;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    waiting.delete(run);
    clearTimeout(timer);
    cancelIdle = whenIdle(work, 2000);
  };
  const timer = setTimeout(run, maxWaitMs);
  if (drawn) run();
  else waiting.add(run);
  return () => {
    done = true;
    waiting.delete(run);
    clearTimeout(timer);
    cancelIdle?.();
  };
}
