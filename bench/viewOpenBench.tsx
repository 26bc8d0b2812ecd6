/**
 * The view-open part of the browser benchmark (issue 11.2: every view usable at 100,000 items):
 * run after the large redraw part, on what it left in the app's store (the dataset encoded by
 * the real encode worker at the current K), it mounts each of the explorer views that look at
 * every item — Compare, Novelty, Robustness, Algebra & search — as the app's shell does on a tab
 * click, and times from the render to the first frame drawn after React's commit (what a person
 * waits for before the view is there), `opens` times each, the view unmounted between. Long
 * main-thread tasks (> 50 ms) are watched from the render until the view has settled (`settleMs`
 * after its first frame), so work a view defers past its first paint is counted too. The
 * dataset's item lists are prepared first, as the page does while idle after a dataset change
 * (app/lib/itemLists.ts), and timed as the entry 'itemLists' (all of it; its long tasks).
 */
import type { ComponentType } from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { useAppStore } from '../app/store/index.ts';
import { prepareItemLists } from '../app/lib/itemLists.ts';
import { watchLongTasks } from './longTasks.ts';
import { CompareView } from '../app/views/compare/CompareView.tsx';
import { NoveltyView } from '../app/views/novelty/NoveltyView.tsx';
import { RobustnessView } from '../app/views/robustness/RobustnessView.tsx';
import { AlgebraView } from '../app/views/algebra/AlgebraView.tsx';

interface ViewOpenBenchSpec {
  /** Opens per view; default 5, from 1. */
  readonly opens?: number;
  /** How long after its first frame a view is watched for long tasks, ms; default 1,000. */
  readonly settleMs?: number;
}

export interface ViewOpenFigures {
  /** Render → first frame drawn after the commit, the first open. */
  readonly firstMs: number;
  /** The same, median over every open (later opens may reuse what the first computed). */
  readonly medianMs: number;
  /** Main-thread tasks over 50 ms during all opens and their settling, and the longest (0 if none). */
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

const VIEWS: readonly (readonly [string, ComponentType])[] = [
  ['compare', CompareView],
  ['novelty', NoveltyView],
  ['robustness', RobustnessView],
  ['algebra', AlgebraView],
];

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchViewOpens(
  spec: ViewOpenBenchSpec = {},
): Promise<Record<string, ViewOpenFigures>> {
  const opens = Math.max(1, Math.floor(spec.opens ?? 5));
  const settleMs = Math.max(0, spec.settleMs ?? 1000);
  const s = useAppStore.getState();
  if (!s.map || !s.encoding || s.encoding.n !== s.items.length || s.encoding.k !== s.k) {
    throw new Error('the view-open bench runs after the large redraw part, on its encoded dataset');
  }
  // Compare shows the selection: two items, as a person picks them.
  s.setSelectedItems([s.items[0].id, s.items[Math.floor(s.items.length / 2)].id]);
  // The page prepares a large dataset's item lists while it is idle after the dataset changes
  // (app/lib/itemLists.ts, started with the store's effects, which this page does not start):
  // a person opens a view after that, as here. Its slices are timed as the 'itemLists' entry.
  const stopWatching = watchLongTasks();
  const p0 = performance.now();
  await prepareItemLists(s.items);
  const prepareMs = performance.now() - p0;
  await sleep(100);
  const preparing = stopWatching();
  const prepared: ViewOpenFigures = {
    firstMs: prepareMs,
    medianMs: prepareMs,
    longTasks: preparing.length,
    longestTaskMs: preparing.length > 0 ? Math.max(...preparing) : 0,
  };
  const host = document.createElement('div');
  host.className = 'shell-main';
  document.body.append(host);
  const out: Record<string, ViewOpenFigures> = { itemLists: prepared };
  try {
    for (const [name, View] of VIEWS) {
      const stopWatching = watchLongTasks();
      let long: number[] = [];
      const times: number[] = [];
      try {
        for (let i = 0; i < opens; i++) {
          const root = createRoot(host);
          await nextFrame();
          const t0 = performance.now();
          flushSync(() => root.render(<View />));
          await nextFrame();
          times.push(performance.now() - t0);
          await sleep(settleMs);
          root.unmount();
        }
      } finally {
        long = stopWatching();
      }
      const sorted = [...times].sort((a, b) => a - b);
      out[name] = {
        firstMs: times[0],
        medianMs: sorted[Math.floor((sorted.length - 1) / 2)],
        longTasks: long.length,
        longestTaskMs: long.length > 0 ? Math.max(...long) : 0,
      };
    }
  } finally {
    host.remove();
  }
  return out;
}
