import type { StateCreator } from 'zustand';
import type { ShareViewId } from '../../src/index.ts';
import type { AppState } from './state.ts';

/** The screens of the main view: the views a link can open (one list, in the engine's share codec). */
export type ViewId = ShareViewId;

/** Each view's tab title, in the order the tabs are shown. */
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

/** The views in tab order (the order of VIEW_TITLES). */
export const VIEWS = Object.keys(VIEW_TITLES) as readonly ViewId[];

interface Notice {
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
