/**
 * Lists the explorer views make from the dataset's items, one entry per item: the items as the
 * views list them, each item id's row, and the item pickers' options (labels numbered where
 * they repeat). At 100,000 items each takes 30–70 ms to make, allocation and garbage collection
 * included (measured in the page: together most of Compare's and Robustness's first open, one
 * task of 120–170 ms each). They are made once per item array and kept (weakly) with it; the
 * page prepares them in slices while it is idle after a dataset change (prepareItemLists,
 * started by startItemListEffects), so a view opened later finds them made. A view opened
 * before that makes what it needs at once, as before.
 */
import type { StoreApi } from 'zustand';
import type { PickerOption } from '../components/ItemPicker.tsx';
import type { DataItem } from '../store/dataSlice.ts';
import type { ExploreItem } from '../store/exploreItems.ts';
import type { AppState } from '../store/state.ts';
import { runSliced, whenIdle, type SliceOptions } from './slices.ts';

/** The three lists of one item array, by name (see the accessors below for their types). */
type ListName = 'explore' | 'rows' | 'options';
type Lists = Partial<Record<ListName, unknown>>;

const made = new WeakMap<readonly DataItem[], Lists>();

function listsOf(items: readonly DataItem[]): Lists {
  let lists = made.get(items);
  if (!lists) {
    lists = {};
    made.set(items, lists);
  }
  return lists;
}

/** Item i as the explorer views list it. */
function exploreItem(item: DataItem, i: number): ExploreItem {
  return {
    key: item.id,
    label: item.label,
    kind: item.kind,
    datasetIndex: i,
    ...(item.text !== undefined ? { text: item.text } : {}),
    ...(item.thumbnail !== undefined ? { thumbnail: item.thumbnail } : {}),
  };
}

function exploreBuilder(items: readonly DataItem[]) {
  const out: ExploreItem[] = new Array<ExploreItem>(items.length);
  return {
    run: (start: number, end: number) => {
      for (let i = start; i < end; i++) out[i] = exploreItem(items[i], i);
    },
    done: () => out,
  };
}

function rowsBuilder(items: readonly DataItem[]) {
  const out = new Map<string, number>();
  return {
    run: (start: number, end: number) => {
      for (let i = start; i < end; i++) out.set(items[i].id, i);
    },
    done: () => out,
  };
}

function optionsBuilder(items: readonly DataItem[]) {
  const out: PickerOption[] = new Array<PickerOption>(items.length);
  const seen = new Map<string, number>();
  return {
    run: (start: number, end: number) => {
      for (let i = start; i < end; i++) {
        const { label } = items[i];
        const count = (seen.get(label) ?? 0) + 1;
        seen.set(label, count);
        out[i] = { key: String(i), label: count > 1 ? `${label} (${count})` : label };
      }
    },
    done: () => out,
  };
}

/** A builder: a pass over the items that can stop after any item and go on later. */
interface Builder<T> {
  run(start: number, end: number): void;
  done(): T;
}

const builders: Readonly<Record<ListName, (items: readonly DataItem[]) => Builder<unknown>>> = {
  explore: exploreBuilder,
  rows: rowsBuilder,
  options: optionsBuilder,
};

/** List `name` of `items`, made now in one go unless it was made before. */
function madeNow(items: readonly DataItem[], name: ListName): unknown {
  const lists = listsOf(items);
  if (lists[name] === undefined) {
    const builder = builders[name](items);
    builder.run(0, items.length);
    lists[name] = builder.done();
  }
  return lists[name];
}

/** The dataset's items as the explorer views list them (dataset order; datasetIndex = row). */
export function datasetExploreItems(items: readonly DataItem[]): readonly ExploreItem[] {
  return madeNow(items, 'explore') as readonly ExploreItem[];
}

/** Each item id's row. */
export function datasetRowOfId(items: readonly DataItem[]): ReadonlyMap<string, number> {
  return madeNow(items, 'rows') as ReadonlyMap<string, number>;
}

/** Each item id's row if that map is made already (else null: this makes nothing). */
export function preparedRowOfId(items: readonly DataItem[]): ReadonlyMap<string, number> | null {
  return (made.get(items)?.rows as ReadonlyMap<string, number> | undefined) ?? null;
}

/**
 * The item pickers' options over the dataset: key = the item's row, label = its label, with
 * " (2)", " (3)", … after the second and later items of a label.
 */
export function datasetPickerOptions(items: readonly DataItem[]): readonly PickerOption[] {
  return madeNow(items, 'options') as readonly PickerOption[];
}

/** Items between two reads of the clock: well under a millisecond of work. */
const ITEMS_PER_CHECK = 2048;

/**
 * Make the three lists of `items` a slice at a time, handing the page's thread back every
 * `sliceMs` (runSliced). Resolves true once all three are made (at once if they were), false if
 * `isWanted` said no first (the list in the making is not kept). A list a view made meanwhile
 * is kept and not made again.
 */
export async function prepareItemLists(
  items: readonly DataItem[],
  options: SliceOptions = {},
): Promise<boolean> {
  const lists = listsOf(items);
  for (const name of ['explore', 'rows', 'options'] as const) {
    if (lists[name] !== undefined) continue;
    const builder = builders[name](items);
    if (!(await runSliced(items.length, ITEMS_PER_CHECK, builder.run, options))) return false;
    // A view may have made it meanwhile: that one stays.
    lists[name] ??= builder.done();
  }
  return true;
}

/**
 * From this many items on, the page prepares the lists after each dataset change; below it a
 * view makes them in a few milliseconds when it opens (10,000 items: ~5 ms each).
 */
const PREPARE_ITEM_LISTS_FROM = 20_000;

/** The longest the preparation waits for the page to be idle before it starts anyway, ms. */
const IDLE_WAIT_MS = 2000;

/**
 * Prepare the lists of every new item array of the store's dataset (at least `from` items,
 * default PREPARE_ITEM_LISTS_FROM), in slices, starting when the page is next idle; a newer
 * array stops the work on an older one. Returns the unsubscribe function.
 */
export function startItemListEffects(
  store: StoreApi<AppState>,
  from = PREPARE_ITEM_LISTS_FROM,
): () => void {
  let current: readonly DataItem[] | null = null;
  let cancelIdle: (() => void) | null = null;
  const follow = (items: readonly DataItem[]) => {
    if (items === current) return;
    current = items;
    cancelIdle?.();
    cancelIdle = null;
    if (items.length < from) return;
    cancelIdle = whenIdle(() => {
      void prepareItemLists(items, { isWanted: () => current === items });
    }, IDLE_WAIT_MS);
  };
  follow(store.getState().items);
  const unsubscribe = store.subscribe((s) => follow(s.items));
  return () => {
    current = null;
    cancelIdle?.();
    unsubscribe();
  };
}
