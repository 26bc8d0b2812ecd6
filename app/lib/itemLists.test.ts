import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { DataItem } from '../store/dataSlice.ts';
import type { AppState } from '../store/state.ts';
import {
  datasetExploreItems,
  datasetPickerOptions,
  datasetRowOfId,
  prepareItemLists,
  preparedRowOfId,
  startItemListEffects,
} from './itemLists.ts';

/** n items; every third label repeats an earlier one, some have text. */
function items(n: number, tag = 'a'): DataItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${tag}-${i}`,
    seq: i,
    kind: i % 2 === 0 ? 'text' : 'imported',
    label: i % 3 === 0 ? 'same' : `item ${i}`,
    source: '',
    modelId: 'imported',
    ...(i % 2 === 0 ? { text: `text ${i}` } : {}),
  }));
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the item lists', () => {
  it('list every item in order, its row by id, and number repeated labels in the pickers', () => {
    const list = items(7);
    expect(datasetExploreItems(list)[4]).toEqual({
      key: 'a-4',
      label: 'item 4',
      kind: 'text',
      datasetIndex: 4,
      text: 'text 4',
    });
    expect(datasetExploreItems(list)[1]).not.toHaveProperty('text');
    expect(datasetRowOfId(list).get('a-6')).toBe(6);
    expect(datasetPickerOptions(list).map((o) => o.label)).toEqual([
      'same',
      'item 1',
      'item 2',
      'same (2)',
      'item 4',
      'item 5',
      'same (3)',
    ]);
    expect(datasetPickerOptions(list)[5].key).toBe('5');
    // Made once per item array: the same lists again.
    expect(datasetExploreItems(list)).toBe(datasetExploreItems(list));
  });

  it('are prepared a slice at a time, handing the thread back, into the very lists a view reads', async () => {
    const list = items(30_000);
    const fresh = items(30_000);
    let turns = 0;
    let counting = true;
    const count = async () => {
      while (counting) {
        await turn();
        turns++;
      }
    };
    void count();
    expect(preparedRowOfId(list)).toBeNull();
    const done = await prepareItemLists(list, { sliceMs: 1 });
    counting = false;
    expect(done).toBe(true);
    expect(turns).toBeGreaterThan(0); // other tasks ran in between
    const explore = datasetExploreItems(list);
    expect(explore).toEqual(datasetExploreItems(fresh));
    expect(datasetPickerOptions(list)).toEqual(datasetPickerOptions(fresh));
    expect(preparedRowOfId(list)).toBe(datasetRowOfId(list));
    expect(datasetRowOfId(list).get('a-29999')).toBe(29_999);
    // Already made: nothing to do.
    expect(await prepareItemLists(list)).toBe(true);
    expect(datasetExploreItems(list)).toBe(explore);
  });

  it('stops when no longer wanted, and keeps nothing half made', async () => {
    const list = items(30_000);
    let asked = 0;
    const done = await prepareItemLists(list, { sliceMs: 1, isWanted: () => ++asked < 2 });
    expect(done).toBe(false);
    expect(preparedRowOfId(list)).toBeNull();
    expect(datasetRowOfId(list).size).toBe(30_000); // made in one go when a view needs it
  });

  it("follows the store's dataset from the size given, and drops an older array's work", async () => {
    const small = items(10, 's');
    const store = createStore<AppState>()(() => ({ items: small }) as unknown as AppState);
    const stop = startItemListEffects(store, 1000);
    await turn();
    await turn();
    expect(preparedRowOfId(small)).toBeNull(); // under the size: made when a view needs it
    const older = items(5000, 'o');
    const newer = items(5000, 'n');
    store.setState({ items: older });
    store.setState({ items: newer });
    await vi.waitFor(() => expect(preparedRowOfId(newer)?.size).toBe(5000));
    expect(preparedRowOfId(older)).toBeNull();
    stop();
    const after = items(5000, 'x');
    store.setState({ items: after });
    await turn();
    await turn();
    expect(preparedRowOfId(after)).toBeNull();
  });
});
