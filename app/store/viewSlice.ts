import type { StateCreator } from 'zustand';
import type { AppState } from './index.ts';

/** The screens of the main view. */
export const VIEWS = [
  'map',
  'data',
  'item',
  'gallery',
  'compare',
  'novelty',
  'robustness',
  'algebra',
  'claims',
  'storage',
  'library',
] as const;
export type ViewId = (typeof VIEWS)[number];

export const VIEW_TITLES: Record<ViewId, string> = {
  map: 'Map',
  data: 'Data',
  item: 'Item',
  gallery: 'Galleries',
  compare: 'Compare',
  novelty: 'Novelty',
  robustness: 'Robustness',
  algebra: 'Algebra & search',
  claims: 'Claim check',
  storage: 'Storage',
  library: 'Library & sharing',
};

export interface Notice {
  readonly id: number;
  readonly kind: 'info' | 'error';
  readonly text: string;
}

export interface ViewSlice {
  view: ViewId;
  notices: Notice[];
  setView: (view: ViewId) => void;
  /** Show a message in the page (errors from bad input go here, never to a silent console). */
  notify: (kind: Notice['kind'], text: string) => void;
  dismissNotice: (id: number) => void;
}

let nextNoticeId = 1;

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set) => ({
  view: 'map',
  notices: [],
  setView: (view) => set({ view }),
  notify: (kind, text) =>
    set((s) => ({ notices: [...s.notices.slice(-4), { id: nextNoticeId++, kind, text }] })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
