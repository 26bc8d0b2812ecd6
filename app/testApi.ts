/**
 * A small typed test API on `window.__sdrExplorer`, so end-to-end tests assert on state rather
 * than pixels (the tldraw habit). It exposes read access to the store and nothing else.
 */
import { useAppStore, type AppState } from './store/index.ts';

export interface SdrExplorerTestApi {
  getState: () => AppState;
  ready: boolean;
}

declare global {
  interface Window {
    __sdrExplorer?: SdrExplorerTestApi;
  }
}

export function installTestApi(): void {
  window.__sdrExplorer = { getState: () => useAppStore.getState(), ready: true };
}
