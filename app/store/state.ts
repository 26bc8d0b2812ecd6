/**
 * The shape of the whole store: every slice's fields and actions. Types only, so the slices can
 * name the state they read without importing the module that builds the store (store/index.ts
 * imports the slices; nothing here imports back).
 */
import type { ViewSlice } from './viewSlice.ts';
import type { MapSlice } from './mapSlice.ts';
import type { DataSlice } from './dataSlice.ts';
import type { ModelSlice } from './modelSlice.ts';
import type { ExploreSlice } from './exploreSlice.ts';
import type { LabSlice } from './labSlice.ts';
import type { LibrarySlice } from './librarySlice.ts';

export type AppState = ViewSlice &
  DataSlice &
  ModelSlice &
  MapSlice &
  ExploreSlice &
  LabSlice &
  LibrarySlice;
