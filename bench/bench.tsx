/**
 * The browser benchmark page (dev-only: built by bench/browser.ts into a temporary folder, never
 * part of the app's build, whose only entry is index.html). It exposes the benchmark parts on
 * `window.__sdrBench` for the driver to call with page.evaluate; each part runs the app's real
 * code (workers, store, views) on synthetic data.
 */
import '../app/styles.css';
import { benchEmbed } from './embedBench.ts';
import { benchRedraw } from './redrawBench.tsx';
import { benchScale } from './scaleBench.ts';
import { benchTrain } from './trainBench.ts';
import { benchViewOpens } from './viewOpenBench.tsx';

export interface SdrBenchApi {
  /** Whether the page is cross-origin isolated (SharedArrayBuffer, WASM threads). */
  readonly isolated: boolean;
  /** navigator.hardwareConcurrency. */
  readonly cores: number;
  readonly train: typeof benchTrain;
  readonly redraw: typeof benchRedraw;
  /** Search and memory at scale, on what the last redraw part left in the store. */
  readonly scale: typeof benchScale;
  /** Compare, Novelty, Robustness and Algebra opened on what the last redraw part left. */
  readonly viewOpens: typeof benchViewOpens;
  readonly embed: typeof benchEmbed;
}

declare global {
  interface Window {
    __sdrBench?: SdrBenchApi;
  }
}

window.__sdrBench = {
  isolated: window.crossOriginIsolated,
  cores: navigator.hardwareConcurrency,
  train: benchTrain,
  redraw: benchRedraw,
  scale: benchScale,
  viewOpens: benchViewOpens,
  embed: benchEmbed,
};
