/**
 * Work the page does on its own thread without holding it: in slices of a few milliseconds
 * with the thread handed back between them, or when the page is idle. One place for the loop
 * the sliced builders (item lists, overlap index, overlap counts, the grid's cell map) share.
 */

/** Hand the page's thread back: what follows runs in a later task. */
export function handBack(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface SliceOptions {
  /** Milliseconds of work per task before the thread is handed back; default 8, from 1. */
  readonly sliceMs?: number;
  /** Asked after each hand-back; a no stops the work. Default always. */
  readonly isWanted?: () => boolean;
}

/**
 * Run `work(start, end)` over [0, n) in steps of `step` (from 1), handing the thread back
 * whenever a slice has taken `sliceMs`. Resolves true once every step has run, false as soon as
 * `isWanted` says no after a hand-back (the rest is not run).
 */
export async function runSliced(
  n: number,
  step: number,
  work: (start: number, end: number) => void,
  options: SliceOptions = {},
): Promise<boolean> {
  const sliceMs = Math.max(1, options.sliceMs ?? 8);
  const isWanted = options.isWanted ?? (() => true);
  const size = Math.max(1, Math.floor(step));
  let start = 0;
  while (start < n) {
    const t0 = performance.now();
    do {
      const end = Math.min(n, start + size);
      work(start, end);
      start = end;
    } while (start < n && performance.now() - t0 < sliceMs);
    if (start < n) {
      await handBack();
      if (!isWanted()) return false;
    }
  }
  return true;
}

/** Run `work` when the page is idle (at the latest after `timeoutMs`); returns a canceller. */
export function whenIdle(work: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(work, { timeout: timeoutMs });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(work, 0);
  return () => clearTimeout(id);
}
