/**
 * One zustand store made of typed slices. Components read with selectors that return
 * primitives (or use useShallow); big typed arrays live here by reference and are replaced,
 * never mutated or deep-compared.
 */
import { create } from 'zustand';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';

export type AppState = ViewSlice;

export const useAppStore = create<AppState>()((...a) => ({
  ...createViewSlice(...a),
}));
