/**
 * The address bar ⇄ the store. The view state a link carries (src/share/urlState.ts: map source,
 * view, selected items, K, noise levels, embed mode, the Compare items and mixtures, the Item
 * view's item, the selected unit, the algebra expression and the search text) lives in the URL,
 * so bookmarks and the back button work:
 *
 * - On load, the link is read (hostile text is dropped with warnings, shown in the page) and
 *   applied: the map it names is opened first (checked whole before use), then K, then the
 *   selection (once the dataset is read), then noise and view.
 * - Afterwards every change is written back: history.pushState when the view changes (so back and
 *   forward step through views), history.replaceState for everything else (K, selection…).
 * - On popstate (back/forward) the address is read and applied again, without writing.
 *
 * Item selection travels as dataset row indices; a map inside a link brings its items along, so
 * in a fresh browser the same rows are the same items. A library map is written as its id (it
 * only opens in this browser); a trained or dropped map has no address and is left out (Copy link
 * packs it into the link instead).
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/state.ts';
import { VIEWS, type ViewId } from '../store/viewSlice.ts';
import {
  BUILTIN_ATLAS_ID,
  BUILTIN_ATLAS_MODEL,
  BUILTIN_ATLAS_VERSION,
  resolveBuiltinId,
} from './builtinAtlas.ts';
import { datasetModelId, UNKNOWN_MODEL_ID } from './provenance.ts';
import {
  MAX_QUERY_CHARS,
  type CompareEntry,
  type SdrMap,
  formatShareState,
  MAX_SELECTED,
  NOISE_KINDS,
  parseShareState,
  SHARE_VIEWS,
  type MapSource as ShareMapSource,
  type ParsedShareState,
  type ShareState,
  type ShareViewId,
} from '../../src/index.ts';

/** The page's view as a link names it (every page view is a link view; else 'map'). */
export function toShareView(view: ViewId): ShareViewId {
  return (SHARE_VIEWS as readonly string[]).includes(view) ? (view as ShareViewId) : 'map';
}

/** A link's view as the page has it, or null when this page has no such view. */
export function toPageView(view: ShareViewId): ViewId | null {
  return (VIEWS as readonly string[]).includes(view) ? (view as ViewId) : null;
}

/** Row indices of the selected items, in selection order (at most MAX_SELECTED). */
export function selectedIndices(s: Pick<AppState, 'items' | 'selectedItemIds'>): number[] {
  if (s.selectedItemIds.length === 0) return [];
  const row = new Map<string, number>();
  s.items.forEach((item, i) => row.set(item.id, i));
  const out: number[] = [];
  for (const id of s.selectedItemIds) {
    const i = row.get(id);
    if (i !== undefined) out.push(i);
    if (out.length === MAX_SELECTED) break;
  }
  return out;
}

/**
 * The Compare view's items as a link names them: dataset items by row, mixtures by their parts'
 * rows. A mixture of a mixture (or of an item no longer in the dataset) cannot be named so and
 * is left out.
 */
function compareEntries(s: Pick<AppState, 'items' | 'mixtures' | 'compareKeys'>): CompareEntry[] {
  const row = new Map<string, number>();
  s.items.forEach((item, i) => row.set(item.id, i));
  const out: CompareEntry[] = [];
  for (const key of s.compareKeys) {
    const i = row.get(key);
    if (i !== undefined) {
      out.push(i);
      continue;
    }
    const parts = s.mixtures.find((m) => m.id === key)?.partKeys?.map((k) => row.get(k));
    if (parts && parts.length >= 2 && parts.every((p) => p !== undefined)) out.push(parts);
  }
  return out;
}

/** The search text as a link can carry it (trimmed, at most MAX_QUERY_CHARS), or undefined. */
function linkQuery(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- the link codec refuses control characters
  const clean = Array.from(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim())
    .slice(0, MAX_QUERY_CHARS)
    .join('')
    .trim();
  return clean === '' ? undefined : clean;
}

/** The state a link of the current page carries, with the given map source. */
export function shareStateFor(
  s: AppState,
  mapSource: ShareMapSource | null,
  embed: boolean,
): ShareState {
  const anyNoise = NOISE_KINDS.some((kind) => s.noise[kind] !== 0);
  const compare = compareEntries(s);
  const item = s.inspectKey !== null ? s.items.findIndex((it) => it.id === s.inspectKey) : -1;
  const query = linkQuery(s.searchText);
  const algebra = s.algebra;
  return {
    mapSource,
    view: toShareView(s.view),
    selected: selectedIndices(s),
    k: s.map ? s.k : null,
    noise: anyNoise ? { ...s.noise } : null,
    embed,
    ...(query !== undefined ? { query } : {}),
    ...(compare.length > 0 ? { compare } : {}),
    ...(item >= 0 ? { item } : {}),
    ...(s.map && s.selectedUnit !== null ? { unit: s.selectedUnit } : {}),
    ...(algebra && algebra.operands.length > 0
      ? { algebra: { op: algebra.op, operands: algebra.operands.slice(0, 6) } }
      : {}),
  };
}

/** Where the current map comes from, as the address bar can say it (null: it cannot). */
export function addressMapSource(s: AppState): ShareMapSource | null {
  const source = s.mapSource;
  if (!s.map || !source) return null;
  switch (source.kind) {
    case 'builtin':
      // By name and version, so the link stays short and says which build its sender saw.
      return resolveBuiltinId(source.id, '') !== null
        ? { kind: 'builtin', id: BUILTIN_ATLAS_ID, version: BUILTIN_ATLAS_VERSION }
        : { kind: 'builtin', id: source.id };
    case 'url':
      return { kind: 'url', url: source.url };
    case 'library':
      return { kind: 'library', id: source.id };
    case 'inline':
      return s.linkInfo ? { kind: 'inline', data: s.linkInfo.data } : null;
    default:
      return null;
  }
}

/** The `search` and `hash` of the address for the current state. */
export function addressFor(s: AppState): { search: string; hash: string } {
  const state = shareStateFor(s, addressMapSource(s), s.embedMode);
  try {
    return formatShareState(state);
  } catch {
    // A source the codec refuses (it never should) is left out rather than breaking the page.
    return formatShareState({ ...state, mapSource: null });
  }
}

/** The full address of `state` on the page at `page` (its origin and path are kept). */
export function shareUrl(page: string, state: ShareState): string {
  const url = new URL(page);
  const { search, hash } = formatShareState(state);
  return `${url.origin}${url.pathname}${search}${hash}`;
}

function sameSource(s: AppState, source: ShareMapSource): boolean {
  const current = s.mapSource;
  if (!s.map || !current) return false;
  switch (source.kind) {
    case 'builtin':
      // `concepts` and `concepts-v1` are the same map while v1 is the newest.
      return (
        current.kind === 'builtin' &&
        resolveBuiltinId(current.id, '')?.id === resolveBuiltinId(source.id, '')?.id
      );
    case 'url':
      return current.kind === 'url' && current.url === source.url;
    case 'library':
      return current.kind === 'library' && current.id === source.id;
    case 'inline':
      return current.kind === 'inline' && s.linkInfo?.data === source.data;
  }
}

/** The last built-in map seen, so back/forward can return to it without rebuilding. */
let lastBuiltin: { id: string; map: SdrMap } | null = null;

/** Remember the built-in map whenever one is on screen. */
function noteBuiltin(s: AppState): void {
  if (s.map && s.mapSource?.kind === 'builtin') lastBuiltin = { id: s.mapSource.id, map: s.map };
}

/** The store the sync reads and writes (handed in, so this module never imports the store). */
type AppStore = Pick<StoreApi<AppState>, 'getState' | 'subscribe'>;

async function openSource(app: AppStore, source: ShareMapSource): Promise<void> {
  const store = app.getState();
  if (sameSource(store, source)) return;
  switch (source.kind) {
    case 'inline':
      await store.openInlineMap(source.data);
      return;
    case 'url':
      await store.openMapUrl(source.url);
      return;
    case 'library':
      await store.loadLibrary();
      await app.getState().openSavedMap(source.id);
      return;
    case 'builtin': {
      if (source.version !== undefined && source.version !== BUILTIN_ATLAS_VERSION) {
        store.notify(
          'info',
          `This link was made with version ${source.version} of the built-in concept atlas; this page has version ${BUILTIN_ATLAS_VERSION}, so units and items may differ from what its sender saw.`,
        );
      }
      const id = resolveBuiltinId(source.id, '')?.id;
      if (id && lastBuiltin?.id === id) {
        store.setMap(lastBuiltin.map, { kind: 'builtin', id });
      } else {
        await store.openBuiltinMap(source.id);
      }
      return;
    }
  }
}

/**
 * Apply a link's state to `app`. `initial`: the page was opened with this link (an absent
 * field keeps the page's own setting); otherwise (back/forward) the selection is applied exactly.
 */
export async function applyShareState(
  app: AppStore,
  parsed: ParsedShareState,
  options: {
    readonly initial: boolean;
    /**
     * Resolves when the last session's autosave has been restored (app/services/autosave.ts);
     * the built-in atlas opens by itself only after it, and only when nothing came back.
     * Default: nothing to wait for.
     */
    readonly restored?: () => Promise<void>;
  },
): Promise<void> {
  const get = app.getState;
  const { state, warnings } = parsed;
  if (warnings.length > 0) {
    get().notify(
      'error',
      `Parts of this link were ignored: ${warnings.slice(0, 4).join('; ')}${warnings.length > 4 ? `; and ${warnings.length - 4} more` : ''}.`,
    );
  }
  get().setEmbedMode(state.embed);
  const view = toPageView(state.view);
  if (view) get().setView(view);
  else {
    get().notify(
      'info',
      `This link opens the ${state.view} view, which this page does not have; showing the map.`,
    );
    get().setView('map');
  }
  if (state.mapSource) await openSource(app, state.mapSource);
  else if (options.initial && !get().map) {
    // A first visit, or a link without a map: open on the built-in atlas, which needs no
    // model and no other site (a static file of this page). Not over the person's own data
    // from another model: that waits for a map of its own (the Map view offers the atlas).
    await options.restored?.();
    await get().loadData();
    const model = datasetModelId(get().items);
    const unknown = get().items.some((item) => item.modelId === UNKNOWN_MODEL_ID);
    if (!get().map && (get().items.length === 0 || (model === BUILTIN_ATLAS_MODEL && !unknown))) {
      await openSource(app, { kind: 'builtin', id: BUILTIN_ATLAS_ID });
    }
  }
  if (state.k !== null) get().setK(state.k);
  if (state.noise) get().setNoise(state.noise);
  if (state.selected.length > 0 || !options.initial) {
    await get().loadData();
    const items = get().items;
    const ids = state.selected.filter((i) => i < items.length).map((i) => items[i].id);
    const missing = state.selected.filter((i) => i >= items.length);
    get().setSelectedItems(ids);
    if (missing.length > 0) {
      get().notify(
        'error',
        `This link selects item${missing.length === 1 ? '' : 's'} ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}, which your data does not have (it has ${items.length}).`,
      );
    }
  }
  await applyViewFields(app, state, options.initial);
}

/**
 * The per-view fields: the Compare items (mixtures made again from their parts, reusing one with
 * the same parts), the Item view's item, the selected unit, the algebra expression and the search
 * text. On a first load an absent field keeps the page's setting; on back/forward it clears it.
 */
async function applyViewFields(app: AppStore, state: ShareState, initial: boolean): Promise<void> {
  const get = app.getState;
  const named =
    state.compare !== undefined || state.item !== undefined || state.algebra !== undefined;
  if (!named && initial) {
    if (state.unit !== undefined && get().map) get().selectUnit(state.unit);
    if (state.query !== undefined) get().setSearchText(state.query);
    return;
  }
  await get().loadData();
  const items = get().items;
  const keyOf = (i: number): string | null => items[i]?.id ?? null;
  let unknownRows = 0;
  if (state.compare !== undefined || !initial) {
    const keys: string[] = [];
    for (const entry of state.compare ?? []) {
      if (typeof entry === 'number') {
        const key = keyOf(entry);
        if (key === null) unknownRows++;
        else keys.push(key);
        continue;
      }
      const parts = entry.map(keyOf);
      if (parts.some((p) => p === null)) {
        unknownRows++;
        continue;
      }
      const partKeys = parts as string[];
      const same = get().mixtures.find(
        (m) =>
          m.partKeys?.length === partKeys.length && m.partKeys.every((k, i) => k === partKeys[i]),
      );
      const mixture = same ?? get().addMixture(partKeys);
      if (mixture) keys.push(mixture.id);
    }
    get().setCompareKeys(keys);
  }
  if (state.item !== undefined) {
    const key = keyOf(state.item);
    if (key === null) unknownRows++;
    else {
      // inspectItem also opens the Item view; the link's own view is put back after.
      const view = get().view;
      get().inspectItem(key);
      get().setView(view);
    }
  }
  if (state.algebra !== undefined) {
    get().setAlgebra({ op: state.algebra.op, operands: [...state.algebra.operands] });
  } else if (!initial) get().setAlgebra(null);
  if (state.unit !== undefined || !initial) get().selectUnit(state.unit ?? null);
  if (state.query !== undefined || !initial) get().setSearchText(state.query ?? '');
  if (unknownRows > 0) {
    get().notify(
      'error',
      `This link names ${unknownRows} item${unknownRows === 1 ? '' : 's'} for Compare or the Item view that your data does not have (it has ${items.length}).`,
    );
  }
}

/**
 * Links being applied (module-wide: React's StrictMode starts the sync twice in development, and
 * neither copy may write the address while a link's map is still loading).
 */
let applying = 0;
/** The page's own link is applied once per page load, however often the sync starts. */
let initialApplied = false;

/** The parts of the store the address depends on (compared by reference to skip other updates). */
function addressInputs(s: AppState): readonly unknown[] {
  return [
    s.view,
    s.map,
    s.mapSource,
    s.k,
    s.selectedItemIds,
    s.items,
    s.noise,
    s.embedMode,
    s.linkInfo,
    s.compareKeys,
    s.mixtures,
    s.inspectKey,
    s.selectedUnit,
    s.algebra,
    s.searchText,
  ];
}

/**
 * Read the address, apply it to `app`, and keep it in step with the store from then on. Returns
 * the function that stops (call once, from the app's root, with the app's store).
 */
export function startUrlSync(app: AppStore, restored?: () => Promise<void>): () => void {
  let lastView: ViewId = app.getState().view;
  let lastInputs: readonly unknown[] = [];
  let stopped = false;

  const write = (force = false): void => {
    if (applying > 0 || stopped) return;
    const s = app.getState();
    noteBuiltin(s);
    const inputs = addressInputs(s);
    if (!force && inputs.every((v, i) => v === lastInputs[i])) return;
    lastInputs = inputs;
    const { search, hash } = addressFor(s);
    const viewChanged = s.view !== lastView;
    lastView = s.view;
    if (search === location.search && hash === location.hash) return;
    const url = `${location.pathname}${search}${hash}`;
    if (viewChanged) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  };

  const apply = async (initial: boolean): Promise<void> => {
    applying++;
    try {
      await applyShareState(app, parseShareState(location.search, location.hash), {
        initial,
        ...(restored ? { restored } : {}),
      });
    } catch (error) {
      app
        .getState()
        .notify(
          'error',
          `Could not apply the link: ${error instanceof Error ? error.message : String(error)}`,
        );
    } finally {
      applying--;
      lastView = app.getState().view;
      // Once applied, the address says exactly what the page shows (replace, never push).
      if (applying === 0) {
        lastInputs = [];
        const s = app.getState();
        noteBuiltin(s);
        const { search, hash } = addressFor(s);
        if (search !== location.search || hash !== location.hash) {
          history.replaceState(null, '', `${location.pathname}${search}${hash}`);
        }
        lastInputs = addressInputs(s);
      }
    }
  };

  const onPopState = () => void apply(false);
  window.addEventListener('popstate', onPopState);
  // The address is written in a task of its own, once for any number of changes in one task:
  // history.replaceState and the address's encoding took ~10 ms of the task that shows a newly
  // trained map, enough to make it a long task.
  let writeQueued = false;
  const unsubscribe = app.subscribe(() => {
    if (writeQueued) return;
    writeQueued = true;
    setTimeout(() => {
      writeQueued = false;
      write();
    }, 0);
  });
  if (!initialApplied) {
    initialApplied = true;
    void apply(true);
  } else {
    write(true);
  }
  return () => {
    stopped = true;
    unsubscribe();
    window.removeEventListener('popstate', onPopState);
  };
}
