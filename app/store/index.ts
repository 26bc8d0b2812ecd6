/**
 * One zustand store made of typed slices. Components read with selectors that return
 * primitives (or use useShallow); big typed arrays live here by reference and are replaced,
 * never mutated or deep-compared.
 */
import { create } from 'zustand';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';
import { createMapSlice, type MapSlice } from './mapSlice.ts';
import { createDataSlice, type DataSlice } from './dataSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createExploreSlice, type ExploreSlice } from '../views/compare/exploreSlice.ts';
import { createLibrarySlice, type LibrarySlice } from './librarySlice.ts';
import { createLabSlice, type LabSlice } from '../views/robustness/labSlice.ts';

export type AppState = ViewSlice &
  DataSlice &
  ModelSlice &
  MapSlice &
  ExploreSlice &
  LabSlice &
  LibrarySlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createViewSlice(...a),
  ...createMapSlice(...a),
  ...createDataSlice(...a),
  ...createModelSlice(...a),
  ...createExploreSlice(...a),
  ...createLabSlice(...a),
  ...createLibrarySlice(...a),
}));
