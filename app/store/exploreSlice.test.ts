import { beforeEach, describe, expect, it } from 'vitest';
import { resetAppStore, useAppStore } from './index.ts';
import type { DataItem } from './dataSlice.ts';
import { listExploreItems, exploreRow } from './exploreItems.ts';
import { MAX_COMPARE } from './exploreSlice.ts';

const D = 4;

function item(id: string, label: string): DataItem {
  return { id, seq: 1, kind: 'text', label, text: label, source: '', modelId: 'm' };
}

function unitRows(rows: number[][]): Float32Array {
  return Float32Array.from(rows.flatMap((r) => r.map((v) => v / Math.hypot(...r))));
}

beforeEach(() => {
  resetAppStore();
  useAppStore.setState({
    items: [item('a', 'cat'), item('b', 'pyramid'), item('c', 'sea')],
    embeddings: unitRows([
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 1],
    ]),
    embeddingDim: D,
  });
});

describe('addMixture', () => {
  it('adds "cat + pyramid" as a unit-length mixture and puts it in the comparison', () => {
    const mix = useAppStore.getState().addMixture(['a', 'b'])!;
    expect(mix.label).toBe('cat + pyramid');
    expect(mix.kind).toBe('mixture');
    const s = useAppStore.getState();
    expect(s.mixtures).toHaveLength(1);
    expect(s.compareKeys).toEqual([mix.id]);
    const row = exploreRow(s, mix.id)!;
    expect(Array.from(row).map((v) => Number(v.toFixed(4)))).toEqual([0.7071, 0.7071, 0, 0]);
    // The dataset is untouched: mixtures are derived items.
    expect(s.items).toHaveLength(3);
    expect(listExploreItems(s).map((x) => [x.label, x.kind])).toEqual([
      ['cat', 'text'],
      ['pyramid', 'text'],
      ['sea', 'text'],
      ['cat + pyramid', 'mixture'],
    ]);
  });

  it('mixes three items, and a mixture with another item', () => {
    const st = useAppStore.getState();
    const abc = st.addMixture(['a', 'b', 'c'])!;
    expect(abc.parts).toEqual(['cat', 'pyramid', 'sea']);
    const again = useAppStore.getState().addMixture([abc.id, 'a'])!;
    expect(again.label).toBe('cat + pyramid + sea + cat');
  });

  it('refuses one item, four items, or an unknown item, with a message', () => {
    const st = useAppStore.getState();
    expect(st.addMixture(['a', 'a'])).toBeNull();
    expect(st.addMixture(['a', 'b', 'c', 'a2'])).toBeNull();
    expect(st.addMixture(['a', 'gone'])).toBeNull();
    const s = useAppStore.getState();
    expect(s.mixtures).toHaveLength(0);
    expect(s.notices.map((n) => n.kind)).toEqual(['error', 'error', 'error']);
    expect(s.notices[0].text).toMatch(/Pick 2 or 3 different items/);
  });

  it('hides mixtures from another embedding space', () => {
    const mix = useAppStore.getState().addMixture(['a', 'b'])!;
    useAppStore.setState({ embeddingDim: 8, items: [], embeddings: new Float32Array(0) });
    const s = useAppStore.getState();
    expect(listExploreItems(s)).toEqual([]);
    expect(exploreRow(s, mix.id)).toBeNull();
  });
});

describe('the comparison', () => {
  it('keeps known keys once, in order, at most six', () => {
    const st = useAppStore.getState();
    for (let i = 0; i < 5; i++) st.addMixture(['a', 'b']);
    const ids = useAppStore.getState().mixtures.map((m) => m.id);
    useAppStore.getState().setCompareKeys(['c', 'c', 'nope', 'a', ...ids]);
    expect(useAppStore.getState().compareKeys).toEqual(['c', 'a', ...ids.slice(0, 4)]);
    expect(useAppStore.getState().compareKeys).toHaveLength(MAX_COMPARE);
    useAppStore.getState().addCompareKey('b');
    expect(useAppStore.getState().compareKeys).not.toContain('b');
    expect(useAppStore.getState().notices.at(-1)?.text).toMatch(/At most 6/);
    useAppStore.getState().removeCompareKey('a');
    useAppStore.getState().addCompareKey('b');
    expect(useAppStore.getState().compareKeys.at(-1)).toBe('b');
  });

  it('drops a removed mixture everywhere', () => {
    const mix = useAppStore.getState().addMixture(['a', 'b'])!;
    useAppStore.getState().inspectItem(mix.id);
    expect(useAppStore.getState()).toMatchObject({ inspectKey: mix.id, view: 'item' });
    useAppStore.getState().removeMixture(mix.id);
    expect(useAppStore.getState()).toMatchObject({
      mixtures: [],
      compareKeys: [],
      inspectKey: null,
    });
  });
});
