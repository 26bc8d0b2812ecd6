/**
 * The autosave: the page comes back as it was after a reload or a crashed tab. It keeps the
 * current map (trained here, opened from the library, an address, a link or a file) and the
 * view state (view, K, selected items and unit, compare set, mixtures, inspected item, noise
 * levels) in the last-session database (app/db/sessionDb.ts); the dataset keeps itself
 * (app/db/dataDb.ts). The built-in atlas is not copied: it opens by itself.
 *
 * Off the hot path:
 * - The map is written only when it changes (its identity: the store replaces it, never
 *   mutates it), `mapDelayMs` after the first change (the newest map then) in an idle callback;
 *   the encoding and the IndexedDB write run in the map-save worker, and the page pays only for
 *   handing the map over.
 *   A K move, a selection or a view change never rewrites the map.
 * - The view state is a small record of its own, written `viewDelayMs` after the last change.
 * - While training, the map of a finished epoch (mapSlice's `training.checkpoint`, taken every
 *   few seconds) is written the same way, so closing the tab mid-run keeps that epoch.
 *
 * On start it first restores (once per page load), then starts watching: nothing restored is
 * written back, and nothing half-restored is saved over the last session. A link that names a
 * map wins over the saved session. A saved map that fails to decode is reported in words and
 * forgotten; the data and the view come back all the same.
 *
 * Its figures (saves, bytes, main-thread and worker milliseconds) are in `stats()`; the page's
 * test API reads them, and each main-thread part is a performance measure ('autosave:map',
 * 'autosave:view') that the Long Tasks API and profilers see by name.
 */
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/state.ts';
import type { MapSource } from '../store/mapSlice.ts';
import type { MixtureItem } from '../store/exploreItems.ts';
import { VIEWS } from '../store/viewSlice.ts';
import {
  openSessionDb,
  type SavedMapRecord,
  type SavedMapSource,
  type SessionDb,
} from '../db/sessionDb.ts';
import { whenIdle } from '../lib/slices.ts';
import { createMapSaver, type MapSaveApi, type MapSaveRequest } from '../workers/mapSaveClient.ts';
import { decodeMapOffThread } from '../workers/mapDecodeClient.ts';
import {
  errorMessage,
  NOISE_KINDS,
  parseShareState,
  type NoiseSettings,
  type SdrMap,
} from '../../src/index.ts';

/** What the autosave needs from outside; tests pass fakes. */
export interface AutosaveDeps {
  readonly openDb: () => Promise<SessionDb>;
  readonly saver: () => MapSaveApi;
  readonly decode: (bytes: Uint8Array) => Promise<SdrMap>;
  /** Whether the page's address names a map (a link wins over the saved session). */
  readonly addressNamesMap: () => boolean;
  /** Delay from a map change to its write, in ms (later changes join it); default 800, at least 0. */
  readonly mapDelayMs?: number;
  /** Quiet time before the view state is written, in ms; default 300, at least 0. */
  readonly viewDelayMs?: number;
}

/** What the autosave has cost so far (this page load). */
export interface AutosaveStats {
  /** Maps written (each a whole .sdrmap), and view records written. */
  readonly mapSaves: number;
  readonly viewSaves: number;
  /** The last map write: its size in bytes and milliseconds on the page and in the worker. */
  readonly lastMap: {
    readonly bytes: number;
    readonly mainMs: number;
    readonly encodeMs: number;
    readonly writeMs: number;
  } | null;
  /** Longest main-thread time of any one autosave step (map hand-over or view write), in ms. */
  readonly maxMainMs: number;
  /** Size of the last view record (its JSON length, typed arrays at 4 bytes a number). */
  readonly lastViewBytes: number;
  /** The last failure to save, in words, or null. */
  readonly lastError: string | null;
}

export interface Autosave {
  /**
   * Restore the last session into `store` (once per page load), then keep saving it. Returns
   * the function that stops saving.
   */
  start(store: StoreApi<AppState>): () => void;
  /** Resolves when the restore of this page load is over (at once when none began). */
  restored(): Promise<void>;
  /** Write whatever is waiting now (the page is hidden or closing; tests). */
  flush(): Promise<void>;
  stats(): AutosaveStats;
  /** Use other outside parts from now on (tests). */
  setDeps(patch: Partial<AutosaveDeps>): void;
  /** Forget timers, figures and what was saved (the store was reset). */
  reset(): void;
}

/** The view state as saved (version 1). */
interface SavedView {
  readonly v: 1;
  readonly view: string;
  readonly k: number;
  readonly selectedItemIds: readonly string[];
  readonly selectedUnit: number | null;
  readonly compareKeys: readonly string[];
  readonly inspectKey: string | null;
  readonly mixtures: readonly MixtureItem[];
  readonly noise: NoiseSettings;
}

function pageDeps(): AutosaveDeps {
  return {
    openDb: () => openSessionDb(),
    saver: createMapSaver,
    decode: decodeMapOffThread,
    addressNamesMap: () =>
      typeof location !== 'undefined' &&
      parseShareState(location.search, location.hash).state.mapSource !== null,
  };
}

/** A map source as plain data to save, or null when the map needs no bytes (the built-in). */
function savedSource(source: MapSource | null): SavedMapSource | null {
  if (!source || source.kind === 'builtin') return null;
  switch (source.kind) {
    case 'trained':
    case 'inline':
      return { kind: source.kind };
    case 'file':
      return { kind: 'file', name: source.name };
    case 'library':
      return { kind: 'library', id: source.id };
    case 'url':
      return { kind: 'url', url: source.url };
  }
}

/** A saved source read back (untrusted) as the map slice's source; unknown kinds: 'trained'. */
function restoredSource(saved: SavedMapSource | undefined): MapSource {
  const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  switch (saved?.kind) {
    case 'file':
      return text(saved.name) ? { kind: 'file', name: saved.name } : { kind: 'trained' };
    case 'library':
      return text(saved.id) ? { kind: 'library', id: saved.id } : { kind: 'trained' };
    case 'url':
      return text(saved.url) ? { kind: 'url', url: saved.url } : { kind: 'trained' };
    case 'inline':
      return { kind: 'inline' };
    default:
      return { kind: 'trained' };
  }
}

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** A saved view record checked field by field (anything odd is left out), or null. */
function readSavedView(raw: unknown): SavedView | null {
  if (raw === null || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1) return null;
  const mixtures: MixtureItem[] = [];
  if (Array.isArray(r.mixtures)) {
    for (const m of r.mixtures as unknown[]) {
      const x = m as Partial<MixtureItem> | null;
      if (
        x &&
        typeof x.id === 'string' &&
        typeof x.label === 'string' &&
        x.embedding instanceof Float32Array
      ) {
        mixtures.push({
          id: x.id,
          kind: 'mixture',
          label: x.label,
          parts: strings(x.parts),
          // Kept so a link naming this mixture by its parts' rows finds it instead of a copy.
          ...(Array.isArray(x.partKeys) ? { partKeys: strings(x.partKeys) } : {}),
          embedding: x.embedding,
        });
      }
    }
  }
  const noise: { -readonly [K in keyof NoiseSettings]: number } = {
    move: 0,
    drop: 0,
    flip: 0,
    embed: 0,
  };
  const rawNoise = (r.noise ?? {}) as Record<string, unknown>;
  for (const kind of NOISE_KINDS) {
    const v = rawNoise[kind];
    if (typeof v === 'number' && Number.isFinite(v)) noise[kind] = v;
  }
  return {
    v: 1,
    view: typeof r.view === 'string' ? r.view : 'map',
    k: typeof r.k === 'number' ? r.k : NaN,
    selectedItemIds: strings(r.selectedItemIds),
    selectedUnit: typeof r.selectedUnit === 'number' ? r.selectedUnit : null,
    compareKeys: strings(r.compareKeys),
    inspectKey: typeof r.inspectKey === 'string' ? r.inspectKey : null,
    mixtures,
    noise,
  };
}

/** The parts of the store the view record holds (compared by reference to skip other updates). */
function viewInputs(s: AppState): readonly unknown[] {
  return [
    s.view,
    s.k,
    s.selectedItemIds,
    s.selectedUnit,
    s.compareKeys,
    s.inspectKey,
    s.mixtures,
    s.noise,
  ];
}

function viewOf(s: AppState): SavedView {
  return {
    v: 1,
    view: s.view,
    k: s.k,
    selectedItemIds: s.selectedItemIds,
    selectedUnit: s.selectedUnit,
    compareKeys: s.compareKeys,
    inspectKey: s.inspectKey,
    mixtures: s.mixtures,
    noise: s.noise,
  };
}

/** Bytes of a view record, roughly as stored: its JSON, with a typed array at 4 bytes a number. */
function viewBytes(view: SavedView): number {
  return JSON.stringify(view, (_key, value: unknown) =>
    value instanceof Float32Array ? new Array<number>(value.length).fill(0) : value,
  ).length;
}

/** Milliseconds `work` took on this thread, recorded as the performance measure `name`. */
function timed<T>(name: string, work: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = work();
  const ms = performance.now() - t0;
  try {
    performance.measure(name, { start: t0, duration: ms });
  } catch {
    // measures are a profiling aid only
  }
  return { value, ms };
}

export function createAutosave(initial: AutosaveDeps = pageDeps()): Autosave {
  let deps = initial;
  let db: Promise<SessionDb> | null = null;
  let saver: MapSaveApi | null = null;
  let restoring: Promise<void> | null = null;
  let restoreFinished = false;
  // What is saved (identities), so an unchanged map or view is never written again.
  let savedMap: SdrMap | null | undefined;
  let savedSourceRef: MapSource | null | undefined;
  let savedViewInputs: readonly unknown[] = [];
  let mapVersion = 0;
  let mapTimer: ReturnType<typeof setTimeout> | null = null;
  let cancelIdle: (() => void) | null = null;
  let viewTimer: ReturnType<typeof setTimeout> | null = null;
  // One map write at a time; a newer request waits and replaces any older waiting one.
  let mapWriting: Promise<void> = Promise.resolve();
  let waitingMap: (() => Promise<void>) | null = null;
  let pendingView: SavedView | null = null;
  /** The store being watched (flush writes its map at once). */
  let watched: StoreApi<AppState> | null = null;
  let stats: AutosaveStats = {
    mapSaves: 0,
    viewSaves: 0,
    lastMap: null,
    maxMainMs: 0,
    lastViewBytes: 0,
    lastError: null,
  };

  const database = (): Promise<SessionDb> => {
    db ??= deps.openDb().catch((error: unknown) => {
      db = null;
      throw error;
    });
    return db;
  };
  const mapSaver = (): MapSaveApi => (saver ??= deps.saver());
  const failed = (error: unknown) => {
    stats = { ...stats, lastError: errorMessage(error) };
  };
  const noteMain = (ms: number) => {
    if (ms > stats.maxMainMs) stats = { ...stats, maxMainMs: ms };
  };

  /** Queue a map write (or a clear); only the newest waiting one runs. */
  const queueMapWrite = (write: () => Promise<void>): Promise<void> => {
    waitingMap = write;
    mapWriting = mapWriting.then(async () => {
      const next = waitingMap;
      waitingMap = null;
      if (next) await next().catch(failed);
    });
    return mapWriting;
  };

  const writeMapNow = (store: StoreApi<AppState>): Promise<void> => {
    mapTimer = null;
    cancelIdle = null;
    const s = store.getState();
    const checkpoint = s.training.status === 'training' ? (s.training.checkpoint ?? null) : null;
    const map = checkpoint ?? s.map;
    const source = checkpoint ? ({ kind: 'trained' } as const) : s.mapSource;
    if (map === savedMap && source === savedSourceRef) return Promise.resolve();
    savedMap = map;
    savedSourceRef = source;
    const plain = map ? savedSource(source) : null;
    if (!map || !plain) return queueMapWrite(() => mapSaver().clear());
    const version = ++mapVersion;
    const request: MapSaveRequest = {
      map,
      version,
      source: plain,
      ...(checkpoint
        ? { trainingEpoch: checkpoint.training.epochs, epochsPlanned: s.training.config?.epochs }
        : {}),
    };
    return queueMapWrite(async () => {
      // The hand-over (a structured clone of the map's arrays) is the page's whole share.
      const { value: reply, ms } = timed('autosave:map', () => mapSaver().save(request));
      noteMain(ms);
      const report = await reply;
      stats = {
        ...stats,
        mapSaves: stats.mapSaves + 1,
        lastMap: {
          bytes: report.bytes,
          mainMs: ms,
          encodeMs: report.encodeMs,
          writeMs: report.writeMs,
        },
      };
    });
  };

  const writeViewNow = async (): Promise<void> => {
    viewTimer = null;
    const view = pendingView;
    pendingView = null;
    if (!view) return;
    try {
      const sessionDb = await database();
      const { value: write, ms } = timed('autosave:view', () => sessionDb.writeView(view));
      noteMain(ms);
      await write;
      stats = { ...stats, viewSaves: stats.viewSaves + 1, lastViewBytes: viewBytes(view) };
    } catch (error) {
      failed(error);
    }
  };

  const scheduleMap = (store: StoreApi<AppState>) => {
    // A write already waiting takes the newest map when it runs. Not restarting its timer on
    // every update matters while training: epochs update the store faster than the delay.
    if (mapTimer !== null || cancelIdle !== null) return;
    mapTimer = setTimeout(
      () => {
        mapTimer = null;
        cancelIdle = whenIdle(() => void writeMapNow(store), 2000);
      },
      Math.max(0, deps.mapDelayMs ?? 800),
    );
  };

  const watch = (store: StoreApi<AppState>, s: AppState) => {
    const checkpoint = s.training.status === 'training' ? (s.training.checkpoint ?? null) : null;
    const map = checkpoint ?? s.map;
    const source = checkpoint ? savedSourceRef : s.mapSource;
    if (map !== savedMap || (!checkpoint && source !== savedSourceRef)) scheduleMap(store);
    const inputs = viewInputs(s);
    if (!inputs.every((v, i) => v === savedViewInputs[i])) {
      savedViewInputs = inputs;
      pendingView = viewOf(s);
      if (viewTimer !== null) clearTimeout(viewTimer);
      viewTimer = setTimeout(() => void writeViewNow(), Math.max(0, deps.viewDelayMs ?? 300));
    }
  };

  const restore = async (store: StoreApi<AppState>): Promise<void> => {
    const get = store.getState;
    if (deps.addressNamesMap()) return; // the link's own map and view win
    let sessionDb: SessionDb;
    try {
      sessionDb = await database();
    } catch {
      return; // no IndexedDB here: the data slice already says nothing is kept
    }
    let record: SavedMapRecord | null = null;
    let raw: unknown = null;
    try {
      [record, raw] = await Promise.all([sessionDb.readMap(), sessionDb.readView()]);
    } catch (error) {
      get().notify('error', `Could not read back your last visit: ${errorMessage(error)}`);
      return;
    }
    await get().loadData();
    if (record) {
      let map: SdrMap | null = null;
      try {
        if (!(record.bytes instanceof Uint8Array)) throw new Error('the saved copy is not a map');
        map = await deps.decode(record.bytes);
      } catch (error) {
        get().notify(
          'error',
          `The map from your last visit could not be read back (${errorMessage(error)}), so it was set aside. Your data and the rest of the page are as you left them.`,
        );
        void mapSaver()
          .clear()
          .catch(() => undefined);
      }
      if (map && get().setMap(map, restoredSource(record.source))) {
        if (typeof record.trainingEpoch === 'number') {
          get().notify(
            'info',
            `Training stopped when the page closed; the map of epoch ${record.trainingEpoch}${typeof record.epochsPlanned === 'number' ? ` of ${record.epochsPlanned}` : ''} is back. Train again for the full run.`,
          );
        }
      }
    }
    const view = readSavedView(raw);
    if (view) {
      const s = get();
      if (s.map && Number.isFinite(view.k)) s.setK(view.k);
      if (s.map && view.selectedUnit !== null) get().selectUnit(view.selectedUnit);
      get().setSelectedItems(view.selectedItemIds);
      get().restoreExplore(view);
      get().setNoise(view.noise);
      const views: readonly string[] = VIEWS;
      if (views.includes(view.view)) get().setView(view.view as AppState['view']);
    }
  };

  return {
    start(store) {
      let stopped = false;
      let unsubscribe: (() => void) | null = null;
      restoring ??= restore(store)
        .catch((error: unknown) => {
          store
            .getState()
            .notify('error', `Could not bring back your last visit: ${errorMessage(error)}`);
        })
        .finally(() => {
          restoreFinished = true;
          performance.mark('sdr:autosave:restored');
        });
      void restoring.then(() => {
        if (stopped) return;
        // What is on screen now is what the last session held (or the defaults): the baseline.
        const s = store.getState();
        savedMap = s.map;
        savedSourceRef = s.mapSource;
        savedViewInputs = viewInputs(s);
        watched = store;
        unsubscribe = store.subscribe((state) => watch(store, state));
      });
      const onHide = () => {
        if (document.visibilityState === 'hidden') void this.flush();
      };
      const onPageHide = () => void this.flush();
      if (typeof document !== 'undefined') {
        document.addEventListener('visibilitychange', onHide);
        window.addEventListener('pagehide', onPageHide);
      }
      return () => {
        stopped = true;
        unsubscribe?.();
        if (watched === store) watched = null;
        if (typeof document !== 'undefined') {
          document.removeEventListener('visibilitychange', onHide);
          window.removeEventListener('pagehide', onPageHide);
        }
      };
    },

    restored: () => restoring ?? Promise.resolve(),

    async flush() {
      if (!restoreFinished) return;
      if (viewTimer !== null) {
        clearTimeout(viewTimer);
        await writeViewNow();
      }
      if ((mapTimer !== null || cancelIdle !== null) && watched) {
        if (mapTimer !== null) clearTimeout(mapTimer);
        cancelIdle?.();
        await writeMapNow(watched);
      }
      await mapWriting;
    },

    stats: () => stats,

    setDeps(patch) {
      deps = { ...deps, ...patch };
      db = null;
      saver = null;
    },

    reset() {
      if (mapTimer !== null) clearTimeout(mapTimer);
      if (viewTimer !== null) clearTimeout(viewTimer);
      cancelIdle?.();
      mapTimer = null;
      viewTimer = null;
      cancelIdle = null;
      pendingView = null;
      waitingMap = null;
      restoring = null;
      restoreFinished = false;
      watched = null;
      savedMap = undefined;
      savedSourceRef = undefined;
      savedViewInputs = [];
      stats = {
        mapSaves: 0,
        viewSaves: 0,
        lastMap: null,
        maxMainMs: 0,
        lastViewBytes: 0,
        lastError: null,
      };
    },
  };
}
