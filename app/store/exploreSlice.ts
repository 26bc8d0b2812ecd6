/**
 * The explore slice: mixtures built in the page, the items picked for comparison, and the item
 * the Item view shows. Mixtures are derived items (kind 'mixture'): they live in this session
 * only and are never written to the dataset, so the dataset stays what the person put in.
 *
 *   mixtures: readonly MixtureItem[]     oldest first
 *   compareKeys: readonly string[]       2–6 items side by side (dataset ids or mixture ids)
 *   inspectKey: string | null            the Item view's item (null: the last selected one)
 *   addMixture(keys)                     mix 2 or 3 items; returns the mixture or null (and a message)
 *   removeMixture(id) · setCompareKeys(keys) · addCompareKey(key) · removeCompareKey(key)
 *   inspectItem(key)                     show an item in the Item view (switches to it)
 *   algebra: AlgebraState | null         the Algebra view's operation and operands (row
 *                                        indices); null: the view's default (the selection)
 *   searchText: string                   the Algebra view's typed search text ('' for none)
 *   setAlgebra(a) · setSearchText(t)     (share links carry both)
 */
import type { StateCreator } from 'zustand';
import type { AppState } from './state.ts';
import { exploreLabel, exploreRow, type MixtureItem } from './exploreItems.ts';
import { MAX_MIX_PARTS, MIN_MIX_PARTS, mixEmbeddings, mixtureLabel } from '../lib/mixture.ts';
import { errorMessage, type AlgebraState } from '../../src/index.ts';

/** Most items compared side by side. */
export const MAX_COMPARE = 6;

export interface ExploreSlice {
  mixtures: readonly MixtureItem[];
  compareKeys: readonly string[];
  inspectKey: string | null;
  /**
   * Mix 2 or 3 items (dataset items or mixtures, by key) into a new mixture, add it, and put it
   * in the comparison when there is room. Returns it, or null after an in-page message.
   */
  addMixture: (keys: readonly string[]) => MixtureItem | null;
  removeMixture: (id: string) => void;
  /** The comparison, in order: unknown keys and repeats dropped, at most 6 kept. */
  setCompareKeys: (keys: readonly string[]) => void;
  /** Add one item to the comparison (no-op when there or already 6, with a message). */
  addCompareKey: (key: string) => void;
  removeCompareKey: (key: string) => void;
  /** Show the item with `key` in the Item view. */
  inspectItem: (key: string) => void;
  /**
   * Bring back mixtures, comparison and inspected item saved by the autosave (a reload): unknown
   * dataset keys are dropped, and mixtures made later never reuse a restored mixture's id.
   */
  restoreExplore: (saved: {
    readonly mixtures: readonly MixtureItem[];
    readonly compareKeys: readonly string[];
    readonly inspectKey: string | null;
  }) => void;
  algebra: AlgebraState | null;
  searchText: string;
  setAlgebra: (algebra: AlgebraState | null) => void;
  setSearchText: (text: string) => void;
}

let nextMixture = 1;

function known(s: AppState, key: string): boolean {
  return s.items.some((item) => item.id === key) || s.mixtures.some((m) => m.id === key);
}

export const createExploreSlice: StateCreator<AppState, [], [], ExploreSlice> = (set, get) => ({
  mixtures: [],
  compareKeys: [],
  inspectKey: null,
  algebra: null,
  searchText: '',

  addMixture: (keys) => {
    const s = get();
    const unique = [...new Set(keys)];
    if (unique.length < MIN_MIX_PARTS || unique.length > MAX_MIX_PARTS) {
      s.notify('error', `Pick ${MIN_MIX_PARTS} or ${MAX_MIX_PARTS} different items to mix.`);
      return null;
    }
    const rows: Float32Array[] = [];
    const labels: string[] = [];
    for (const key of unique) {
      const row = exploreRow(s, key);
      const label = exploreLabel(s, key);
      if (!row || label === null) {
        s.notify('error', 'One of the items to mix is gone; pick again.');
        return null;
      }
      rows.push(row);
      labels.push(label);
    }
    let embedding: Float32Array;
    try {
      embedding = mixEmbeddings(rows);
    } catch (error) {
      s.notify('error', errorMessage(error));
      return null;
    }
    const mixture: MixtureItem = {
      id: `mixture-${nextMixture++}`,
      kind: 'mixture',
      label: mixtureLabel(labels),
      parts: labels,
      partKeys: unique,
      embedding,
    };
    set((st) => ({
      mixtures: [...st.mixtures, mixture],
      compareKeys:
        st.compareKeys.length < MAX_COMPARE ? [...st.compareKeys, mixture.id] : st.compareKeys,
    }));
    return mixture;
  },

  removeMixture: (id) =>
    set((st) => ({
      mixtures: st.mixtures.filter((m) => m.id !== id),
      compareKeys: st.compareKeys.filter((k) => k !== id),
      inspectKey: st.inspectKey === id ? null : st.inspectKey,
    })),

  setCompareKeys: (keys) => {
    const s = get();
    set({ compareKeys: [...new Set(keys)].filter((k) => known(s, k)).slice(0, MAX_COMPARE) });
  },

  addCompareKey: (key) => {
    const s = get();
    if (!known(s, key) || s.compareKeys.includes(key)) return;
    if (s.compareKeys.length >= MAX_COMPARE) {
      s.notify('error', `At most ${MAX_COMPARE} items fit side by side; remove one first.`);
      return;
    }
    set({ compareKeys: [...s.compareKeys, key] });
  },

  removeCompareKey: (key) =>
    set((st) => ({ compareKeys: st.compareKeys.filter((k) => k !== key) })),

  inspectItem: (key) => {
    if (!known(get(), key)) return;
    set({ inspectKey: key, view: 'item' });
  },

  restoreExplore: (saved) => {
    for (const m of saved.mixtures) {
      const n = Number(/^mixture-(\d+)$/.exec(m.id)?.[1] ?? 0);
      if (n >= nextMixture) nextMixture = n + 1;
    }
    set({ mixtures: [...saved.mixtures] });
    const s = get();
    set({
      compareKeys: [...new Set(saved.compareKeys)].filter((k) => known(s, k)).slice(0, MAX_COMPARE),
      inspectKey: saved.inspectKey !== null && known(s, saved.inspectKey) ? saved.inspectKey : null,
    });
  },
  setAlgebra: (algebra) => set({ algebra }),
  setSearchText: (text) => set({ searchText: text }),
});
