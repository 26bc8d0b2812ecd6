/**
 * One zustand store made of typed slices. Components read with selectors that return
 * primitives (or use useShallow); big typed arrays live here by reference and are replaced,
 * never mutated or deep-compared.
 *
 * The import graph has no circle: this module imports the slices, the slices import only the
 * state's type (state.ts) and the services they are given, and the hooks (hooks.ts) and the URL
 * sync (lib/urlSync.ts) are handed the store or import this module from outside.
 *
 * Long-lived jobs keep their state in services (app/services), made here and handed to the
 * slices that call them; `resetAppStore` resets them together with the state.
 */
import { create } from 'zustand';
import { createViewSlice } from './viewSlice.ts';
import { createMapSlice, startMapEffects, type MapEncodeScheduler } from './mapSlice.ts';
import { createDataSlice } from './dataSlice.ts';
import { createModelSlice } from './modelSlice.ts';
import { createExploreSlice } from './exploreSlice.ts';
import { createLibrarySlice } from './librarySlice.ts';
import { createLabSlice } from './labSlice.ts';
import type { AppState } from './state.ts';
import { createEncodeScheduler } from '../services/encodeScheduler.ts';
import { createLabJobs } from '../services/labJobs.ts';
import { createEmbedQueue } from '../services/embedQueue.ts';
import { createAutosave } from '../services/autosave.ts';
import { startItemListEffects } from '../lib/itemLists.ts';

export type { AppState };

/** The store's long-lived jobs, each owning its own state. */
export const appServices = {
  /** Keeps the dataset's encoding in step with map, K and data (latest wins). */
  encode: createEncodeScheduler() as MapEncodeScheduler,
  /** The lab measurements' live runs and their workers. */
  lab: createLabJobs(),
  /** The dataset's embedding jobs, one at a time, with cancel. */
  embed: createEmbedQueue(),
  /** Keeps the map and the view state in IndexedDB, and brings them back after a reload. */
  autosave: createAutosave(),
};

export const useAppStore = create<AppState>()((...a) => ({
  ...createViewSlice(...a),
  ...createMapSlice(appServices.encode)(...a),
  ...createDataSlice(appServices.embed)(...a),
  ...createModelSlice(...a),
  ...createExploreSlice(...a),
  ...createLabSlice(appServices.lab)(...a),
  ...createLibrarySlice(...a),
}));

const initialState = useAppStore.getState();

/** Back to a fresh page's state: every slice's fields, and every service's jobs dropped. */
export function resetAppStore(): void {
  appServices.encode.reset();
  appServices.lab.reset();
  appServices.embed.reset();
  appServices.autosave.reset();
  useAppStore.setState(initialState, true);
}

/**
 * Start the store's own effects (encoding follows the dataset; the last session is restored,
 * then kept; a large dataset's item lists are prepared while the page is idle).
 */
export function startStoreEffects(): () => void {
  const stopMap = startMapEffects(useAppStore, appServices.encode);
  const stopAutosave = appServices.autosave.start(useAppStore);
  const stopLists = startItemListEffects(useAppStore);
  return () => {
    stopMap();
    stopAutosave();
    stopLists();
  };
}
