/**
 * The library slice: maps saved in this browser (IndexedDB), maps opened from a file, an address
 * or a link, downloads of the current map, share links, and the bits of view state only links
 * carry (noise levels, embed mode).
 *
 * ── For other views (stable; build on these) ──
 *
 *   savedMaps: readonly SavedMapMeta[]      the library, newest first (after loadLibrary())
 *   libraryStatus                           'idle' | 'loading' | 'ready' | 'unavailable'
 *   mapDownload                             a map being fetched from an address: url, loaded,
 *                                           total (null when unknown); null when none
 *   linkInfo                                how the current map came through a link: its
 *                                           precision and whether SDRs may differ; else null
 *   noise: NoiseSettings                    the robustness lab's noise levels (move, drop, flip,
 *                                           embed; each 0..1, default 0); links carry them.
 *                                           The lab should read and write these (setNoise).
 *   embedMode: boolean                      ?embed=1: only the current view, no chrome
 *   actions: loadLibrary, saveCurrentMap, renameSavedMap, deleteSavedMap, openSavedMap,
 *            exportCurrentMap, openMapFile, openMapUrl, cancelMapDownload, openInlineMap,
 *            addMapItemsToData, makeShareLink, setNoise, setEmbedMode
 *
 * Every map from outside (file, address, link, library) is decoded and checked whole before any
 * of it is used; a refusal is one in-page error and leaves the current map and data as they were.
 */
import type { StateCreator } from 'zustand';
import type { AppState } from './state.ts';
import { readDataset } from './mapSlice.ts';
import {
  cleanMapName,
  MapsDbError,
  openMapsDb,
  StorageFullError,
  type MapsDb,
  type SavedMapMeta,
} from '../db/maps.ts';
import { shareStateFor, shareUrl } from '../lib/urlSync.ts';
import {
  describeMapShape,
  formatSize,
  mapFileName,
  mapWithItems,
  savedMapMeta,
  type MapExportOptions,
} from '../views/library/mapExport.ts';
import {
  DEFAULT_MAP_FILE_LIMITS,
  encodeMapFile,
  MapFileError,
  type SdrMap,
  type LinkPrecision,
  FetchMapError,
  fetchMapBytes,
  formatBytes,
  describeLinkPrecision,
  mapUrlProblem,
  type LinkFragment,
  type LinkedMap,
  type NoiseSettings,
} from '../../src/index.ts';
import { errorMessage, quoteForMessage } from '../../src/index.ts';
import { decodeMapOffThread } from '../workers/mapDecodeClient.ts';
import { getShareLinkClient } from '../workers/shareLinkClient.ts';
import { BUILTIN_ATLAS_ID, BUILTIN_ATLAS_VERSION, resolveBuiltinId } from '../lib/builtinAtlas.ts';
import { takePrefetchedAtlas } from '../lib/atlasPrefetch.ts';

/** How the current map came through a link. */
interface LinkInfo {
  readonly precision: LinkPrecision;
  /** True when SDRs on it may differ from the original's (float16 and quantised links). */
  readonly approximate: boolean;
  /** The link text it came from (`#m=`), kept so the address bar can keep carrying it. */
  readonly data: string;
  /** For a quantised link, the share of active units its sender measured as kept (0–1). */
  readonly agreement?: number;
}

/** A share link and what the person should know about it. */
export interface ShareLink {
  /** The whole address; null when the map cannot travel in a link (see `note`). */
  readonly url: string | null;
  /** One or two sentences: how the map travels, or why it cannot and what to do instead. */
  readonly note: string;
  /** For a map inside the link: its length in characters and precision. */
  readonly inline: {
    readonly chars: number;
    readonly precision: LinkPrecision;
    readonly approximate: boolean;
    /** Share of active units new inputs keep on the linked map (0–1; 1 when exact). */
    readonly agreement: number;
    /** Milliseconds the share-link worker took to pack the map and measure the agreement. */
    readonly ms: number;
  } | null;
  /**
   * True when the map does not fit a link even in compact form but a smaller copy may:
   * makeSmallerShareLink makes that copy's link.
   */
  readonly shrinkable?: boolean;
  /** For a smaller copy's link: what the copy changes, one sentence each. */
  readonly changes?: readonly string[];
}

interface MapDownload {
  readonly url: string;
  readonly loaded: number;
  readonly total: number | null;
}

export interface LibrarySlice {
  savedMaps: readonly SavedMapMeta[];
  libraryStatus: 'idle' | 'loading' | 'ready' | 'unavailable';
  mapDownload: MapDownload | null;
  linkInfo: LinkInfo | null;
  noise: NoiseSettings;
  embedMode: boolean;
  /** The last link made by makeShareLink (the test API reads it). */
  lastShareLink: ShareLink | null;
  /** The built-in atlas's file: not asked for, on its way, open once, or failed (with why). */
  builtinStatus: 'idle' | 'loading' | 'ready' | 'error';
  builtinError: string | null;

  /** Read the library's list (once; later calls return the same promise). */
  loadLibrary: () => Promise<void>;
  /** Save the current map with the dataset's items under `name`; resolves to its record or null. */
  saveCurrentMap: (name: string, options?: MapExportOptions) => Promise<SavedMapMeta | null>;
  renameSavedMap: (id: string, name: string) => Promise<boolean>;
  deleteSavedMap: (id: string) => Promise<boolean>;
  openSavedMap: (id: string) => Promise<boolean>;
  /** The current map as `.sdrmap` bytes with its file name (the view starts the download). */
  exportCurrentMap: (
    options?: MapExportOptions,
  ) => Promise<{ fileName: string; bytes: Uint8Array } | null>;
  /** Open a `.sdrmap` file the person picked or dropped. */
  openMapFile: (file: File) => Promise<boolean>;
  /** Download and open the map at `url` (https:, or a path on this site), with progress. */
  openMapUrl: (url: string) => Promise<boolean>;
  cancelMapDownload: () => void;
  /** Open the map carried inside a link (`#m=` text). */
  openInlineMap: (data: string) => Promise<boolean>;
  /**
   * Open a built-in map by its link id (`concepts` = the newest atlas, `concepts-v1`), fetched
   * as a static file from this site; its items join an empty dataset.
   */
  openBuiltinMap: (id: string) => Promise<boolean>;
  /** Add the current map's items (when it carries their embeddings) to the dataset. */
  addMapItemsToData: () => Promise<number>;
  /**
   * A link that reopens the current view (map, selected items, K, noise, view); `embed` makes a
   * clean view for slides. `base` is the page address (default: location).
   */
  makeShareLink: (options?: { embed?: boolean; base?: string }) => Promise<ShareLink>;
  /**
   * For a map too large for a link: a link carrying a smaller copy of it (shrinkForLink, in the
   * share-link worker), whose note says what the copy changes.
   */
  makeSmallerShareLink: (options?: { embed?: boolean; base?: string }) => Promise<ShareLink>;
  setNoise: (patch: Partial<NoiseSettings>) => void;
  setEmbedMode: (on: boolean) => void;
}

/** What the slice needs from outside; tests pass fakes. */
export interface LibraryDeps {
  readonly openDb: () => Promise<MapsDb>;
  readonly fetchBytes: typeof fetchMapBytes;
  readonly newId: () => string;
  readonly now: () => Date;
}

let libraryDeps: LibraryDeps | null = null;
function deps(): LibraryDeps {
  return (libraryDeps ??= {
    openDb: () => openMapsDb(),
    fetchBytes: fetchMapBytes,
    newId: () => crypto.randomUUID(),
    now: () => new Date(),
  });
}
/** Swap the outside world (tests). Resets the library's cached database. */
export function setLibraryDeps(next: LibraryDeps): void {
  libraryDeps = next;
  dbPromise = null;
  loading = null;
}

let dbPromise: Promise<MapsDb> | null = null;
let loading: Promise<void> | null = null;
let downloadAbort: AbortController | null = null;

/**
 * Resolves once the browser has had the chance to paint what the store holds now (the next
 * animation frame, then a task after it); a task later where there are no frames (tests, a
 * hidden tab, where rAF waits until the tab shows).
 */
function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const hidden = typeof document === 'undefined' || document.visibilityState === 'hidden';
    if (hidden || typeof requestAnimationFrame !== 'function') setTimeout(resolve, 0);
    else requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

function zeroNoise(): NoiseSettings {
  return { move: 0, drop: 0, flip: 0, embed: 0 };
}

/** A message as a sentence: a capital first letter and a closing full stop. */
function sentence(text: string): string {
  const t = text.trim();
  const capital = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

type SliceArgs = Parameters<StateCreator<AppState, [], [], LibrarySlice>>;

export function createLibrarySlice(...[set, get]: SliceArgs): LibrarySlice {
  const notify = (kind: 'info' | 'error', text: string) => get().notify(kind, text);

  const db = (): Promise<MapsDb> => {
    dbPromise ??= deps().openDb();
    return dbPromise;
  };

  /** The dataset's SDRs on the current map at the current K (from the encoding when current). */
  const currentSdrs = async (): Promise<{ k: number; sdrs: Uint32Array } | null> => {
    const s = get();
    const data = readDataset(s);
    if (!s.map || !data || data.d !== s.map.som.dim) return null;
    const enc = s.encoding;
    if (enc && enc.map === s.map && enc.k === s.k && enc.embeddings === data.embeddings) {
      return { k: enc.k, sdrs: enc.active };
    }
    const rows = await s.encodeVectors(data.embeddings, data.n);
    return { k: rows.k, sdrs: rows.active };
  };

  /** The current map with the dataset's items, or null (with a message) when there is none. */
  const currentMapWithItems = async (options: MapExportOptions): Promise<SdrMap | null> => {
    const s = get();
    const map = s.map;
    if (!map) {
      notify('error', 'There is no map yet: train one, or open the concept atlas or a saved map.');
      return null;
    }
    const data = readDataset(s);
    const sdrs = await currentSdrs();
    return mapWithItems(
      map,
      data ? { items: s.items, embeddings: data.embeddings, d: data.d } : null,
      sdrs,
      options,
    );
  };

  /**
   * Make a checked map current. Its items join an empty dataset (so a shared map shows its
   * items); a fuller dataset is kept, and the Library view offers to add them.
   */
  const adoptMap = async (
    map: SdrMap,
    source: Parameters<AppState['setMap']>[1],
    what: string,
    link: LinkInfo | null,
    quiet = false,
  ): Promise<boolean> => {
    await get().loadData();
    if (!get().setMap(map, source)) return false;
    performance.mark('sdr:map:set');
    set({ linkInfo: link });
    const embeddedItems = map.items?.embeddings !== undefined ? map.items.labels.length : 0;
    let added = 0;
    if (embeddedItems > 0 && get().items.length === 0) {
      // The map first: its picture reaches the screen before the items are stored and encoded.
      await nextPaint();
      added = await addItemsOf(map, quiet);
    }
    if (added > 0) performance.mark('sdr:map:items');
    // The built-in atlas opens by itself on a first visit: the map on screen says it all.
    if (quiet) return true;
    const note =
      link?.approximate === true
        ? ` It came through a link in compact form: ${describeLinkPrecision(link.precision, link.agreement)}.`
        : '';
    const itemsNote =
      added > 0
        ? ` Its ${added} items are now your data.`
        : embeddedItems > 0 && get().items.length > 0 && !datasetHolds(get(), map)
          ? ` It carries ${embeddedItems} items; your own data was kept (the Library view can add them).`
          : '';
    notify('info', `Opened ${what}: ${describeMapShape(map)}.${itemsNote}${note}`);
    return true;
  };

  /** Decode bytes from outside and open them; every refusal is one message, nothing changes. */
  const openBytes = (
    bytes: Uint8Array,
    source: Parameters<AppState['setMap']>[1],
    what: string,
    rename?: string,
    quiet = false,
  ): Promise<boolean> =>
    // Off the main thread: checking a large map takes seconds the page must not freeze for.
    openDecoded(decodeMapOffThread(bytes), source, what, rename, quiet);

  /** openBytes once the decoding (`decoding`) is under way. */
  const openDecoded = async (
    decoding: Promise<SdrMap>,
    source: Parameters<AppState['setMap']>[1],
    what: string,
    rename?: string,
    quiet = false,
  ): Promise<boolean> => {
    let map: SdrMap;
    try {
      map = await decoding;
      performance.mark('sdr:map:decoded');
    } catch (error) {
      notify(
        'error',
        `Could not open ${what}: ${reason(error)} Your current map and data are unchanged.`,
      );
      return false;
    }
    return adoptMap(rename ? { ...map, name: rename } : map, source, what, null, quiet);
  };

  /** Add `map`'s items (labels and embeddings, with the map's model) to the dataset. */
  const addItemsOf = async (map: SdrMap, quiet: boolean): Promise<number> => {
    const items = map.items;
    if (!items?.embeddings) {
      notify('error', "The current map does not carry its items' embeddings.");
      return 0;
    }
    const n = items.labels.length;
    const d = map.som.dim;
    // The rows as they are (no file to write and parse again: a 1,224-item atlas took seconds
    // of the main thread that way).
    return get().importRows(
      { data: items.embeddings, n, d, labels: items.labels },
      `${mapFileName(map.name).replace(/\.sdrmap$/, '')} items`,
      { ...(map.model ? { modelId: map.model } : {}), sourceName: map.name, quiet },
    );
  };

  /**
   * A first look at the atlas: one item selected and three side by side, so the Item, Compare,
   * Robustness and Algebra views open on something to read rather than on empty pickers.
   */
  const startingExample = (): void => {
    const s = get();
    if (s.selectedItemIds.length > 0 || s.compareKeys.length > 0) return;
    const idOf = new Map(s.items.map((item) => [item.label, item.id]));
    const ids = STARTING_EXAMPLE.map((label) => idOf.get(label)).filter(
      (id): id is string => id !== undefined,
    );
    if (ids.length === 0) return;
    s.setSelectedItems([ids[0]]);
    if (ids.length >= 2) s.setCompareKeys(ids);
  };

  const refreshList = async (): Promise<void> => {
    const list = await (await db()).list();
    set({ savedMaps: list, libraryStatus: 'ready' });
  };

  return {
    savedMaps: [],
    libraryStatus: 'idle',
    mapDownload: null,
    linkInfo: null,
    noise: zeroNoise(),
    embedMode: false,
    lastShareLink: null,
    builtinStatus: 'idle',
    builtinError: null,

    loadLibrary: () => {
      loading ??= (async () => {
        set({ libraryStatus: 'loading' });
        try {
          await refreshList();
        } catch (error) {
          set({ libraryStatus: 'unavailable' });
          notify(
            'error',
            `${sentence(errorMessage(error))} Maps can still be downloaded as files.`,
          );
        }
      })();
      return loading;
    },

    saveCurrentMap: async (name, options = {}) => {
      const map = await currentMapWithItems(options);
      if (!map) return null;
      let clean: string;
      try {
        clean = cleanMapName(name);
      } catch {
        clean = map.name; // a blank name keeps the map's own
      }
      let bytes: Uint8Array;
      try {
        // float32: a saved map reopens bit for bit, so every SDR comes back identical.
        bytes = encodeMapFile(
          { ...map, name: clean },
          { codebookDtype: 'f32', embeddingDtype: 'f32' },
        );
      } catch (error) {
        notify('error', sentence(errorMessage(error)));
        return null;
      }
      const meta = savedMapMeta(deps().newId(), clean, map, bytes.length, deps().now());
      try {
        const library = await db();
        await library.save(meta, bytes);
        await refreshList();
      } catch (error) {
        notify(
          'error',
          error instanceof StorageFullError || error instanceof MapsDbError
            ? error.message
            : `Could not save the map: ${errorMessage(error)}`,
        );
        return null;
      }
      const saved = get().savedMaps.find((m) => m.id === meta.id) ?? meta;
      notify(
        'info',
        `Saved "${saved.name}" (${formatSize(bytes.length)}) in this browser's library.`,
      );
      return saved;
    },

    renameSavedMap: async (id, name) => {
      try {
        const renamed = await (await db()).rename(id, name);
        if (!renamed) {
          notify('error', 'That map is no longer in the library.');
          await refreshList();
          return false;
        }
        await refreshList();
        return true;
      } catch (error) {
        notify('error', sentence(errorMessage(error)));
        return false;
      }
    },

    deleteSavedMap: async (id) => {
      try {
        await (await db()).remove(id);
        await refreshList();
        return true;
      } catch (error) {
        notify('error', `${sentence(errorMessage(error))} Nothing was deleted.`);
        return false;
      }
    },

    openSavedMap: async (id) => {
      const meta = get().savedMaps.find((m) => m.id === id);
      let bytes: Uint8Array | null;
      try {
        bytes = await (await db()).read(id);
      } catch (error) {
        notify('error', sentence(errorMessage(error)));
        return false;
      }
      if (!bytes) {
        notify(
          'error',
          "That map is not in this browser's library. A library map stays in the browser that saved it: ask for a link made with Copy link, or for the .sdrmap file.",
        );
        return false;
      }
      const name = meta?.name;
      return openBytes(bytes, { kind: 'library', id }, `the saved map "${name ?? id}"`, name);
    },

    exportCurrentMap: async (options = {}) => {
      const map = await currentMapWithItems(options);
      if (!map) return null;
      try {
        const bytes = encodeMapFile(map, { codebookDtype: 'f32', embeddingDtype: 'f32' });
        return { fileName: mapFileName(map.name), bytes };
      } catch (error) {
        notify('error', sentence(errorMessage(error)));
        return null;
      }
    },

    openMapFile: async (file) => {
      const what = `the file ${clip(file.name)}`;
      if (file.size === 0) {
        notify('error', `Could not open ${what}: it is empty.`);
        return false;
      }
      if (file.size > DEFAULT_MAP_FILE_LIMITS.maxBytes) {
        notify(
          'error',
          `Could not open ${what}: it is ${formatBytes(file.size)}; a map file is at most ${formatBytes(DEFAULT_MAP_FILE_LIMITS.maxBytes)}.`,
        );
        return false;
      }
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch (error) {
        notify('error', `Could not read ${what}: ${errorMessage(error)}`);
        return false;
      }
      return openBytes(bytes, { kind: 'file', name: file.name }, what);
    },

    openMapUrl: async (url) => {
      const problem = mapUrlProblem(url);
      if (problem !== null) {
        notify(
          'error',
          `Refused the map address: ${problem}. Your current map and data are unchanged.`,
        );
        return false;
      }
      downloadAbort?.abort();
      const abort = new AbortController();
      downloadAbort = abort;
      set({ mapDownload: { url, loaded: 0, total: null } });
      let lastShown = 0;
      let bytes: Uint8Array;
      try {
        bytes = await deps().fetchBytes(url, {
          signal: abort.signal,
          onProgress: (loaded, total) => {
            // One store update per ~1% (or 256 KiB when the size is unknown), not per chunk.
            const step = total ? total / 100 : 256 * 1024;
            if (loaded !== 0 && loaded - lastShown < step && loaded !== total) return;
            lastShown = loaded;
            if (downloadAbort === abort) set({ mapDownload: { url, loaded, total } });
          },
        });
      } catch (error) {
        if (downloadAbort === abort) set({ mapDownload: null });
        if (error instanceof FetchMapError && error.reason === 'aborted') {
          notify('info', 'The map download was cancelled; your current map is unchanged.');
        } else {
          notify(
            'error',
            `Could not open the map at ${clip(url)}: ${reason(error)} Your current map and data are unchanged.`,
          );
        }
        return false;
      } finally {
        if (downloadAbort === abort) downloadAbort = null;
      }
      set({ mapDownload: null });
      return openBytes(bytes, { kind: 'url', url }, `the map at ${clip(url)}`);
    },

    cancelMapDownload: () => downloadAbort?.abort(),

    openBuiltinMap: async (id) => {
      const ref = resolveBuiltinId(id, import.meta.env.BASE_URL);
      if (!ref) {
        notify('error', `This page has no built-in map called ${quoteForMessage(id)}.`);
        return false;
      }
      set({ builtinStatus: 'loading', builtinError: null });
      // Marks for `npm run bench` (bench/firstVisit.ts): navigation → fetched → decoded → map.
      performance.mark('sdr:atlas:fetch');
      // Usually on its way already, often decoded too: the page's first script started the
      // download (app/boot.ts) and its main script the decoding (app/main.tsx).
      const early = takePrefetchedAtlas(ref.url);
      let bytes: Uint8Array;
      try {
        bytes = await (early?.bytes ?? deps().fetchBytes(ref.url, {}));
        performance.mark('sdr:atlas:fetched');
      } catch (error) {
        const why = reason(error);
        set({ builtinStatus: 'error', builtinError: why });
        notify('error', `Could not open the built-in atlas: ${why}`);
        return false;
      }
      const empty = get().items.length === 0;
      const opened = await openDecoded(
        early?.map ?? decodeMapOffThread(bytes),
        { kind: 'builtin', id: ref.id },
        'the built-in atlas',
        undefined,
        true,
      );
      if (opened && empty) startingExample();
      set({ builtinStatus: opened ? 'ready' : 'error', builtinError: opened ? null : 'the file could not be read' }); // prettier-ignore
      return opened;
    },

    openInlineMap: async (data) => {
      let linked: LinkedMap;
      try {
        // Off the main thread: a quantised 32×32 codebook takes a moment to rebuild and check.
        linked = await getShareLinkClient().read(data);
      } catch (error) {
        notify(
          'error',
          `Could not open the map inside the link: ${reason(error)} Your current map and data are unchanged.`,
        );
        return false;
      }
      return adoptMap(linked.map, { kind: 'inline' }, 'the map from the link', {
        precision: linked.precision,
        approximate: linked.approximate,
        data,
        ...(linked.agreement !== undefined ? { agreement: linked.agreement } : {}),
      });
    },

    addMapItemsToData: async () => {
      const map = get().map;
      if (!map) {
        notify('error', "The current map does not carry its items' embeddings.");
        return 0;
      }
      return addItemsOf(map, false);
    },

    makeShareLink: async (options = {}) => {
      const result = await buildShareLink(get, options.embed ?? false, options.base);
      set({ lastShareLink: result });
      return result;
    },

    makeSmallerShareLink: async (options = {}) => {
      const result = await buildSmallerShareLink(get, options.embed ?? false, options.base);
      set({ lastShareLink: result });
      return result;
    },

    setNoise: (patch) =>
      set((s) => {
        const next = { ...s.noise };
        for (const key of Object.keys(patch) as (keyof NoiseSettings)[]) {
          const v = patch[key];
          if (typeof v === 'number' && Number.isFinite(v)) next[key] = Math.min(1, Math.max(0, v));
        }
        return { noise: next };
      }),

    setEmbedMode: (on) => set({ embedMode: on }),
  };

  async function buildShareLink(
    getState: () => AppState,
    embed: boolean,
    base?: string,
  ): Promise<ShareLink> {
    const s = getState();
    const page = base ?? (typeof location !== 'undefined' ? location.href : 'http://localhost/');
    const source = s.mapSource;
    let inline: ShareLink['inline'] = null;
    let note: string;
    let mapSource: Parameters<typeof shareStateFor>[1];
    if (!s.map || !source) {
      mapSource = null;
      note = 'There is no map yet, so the link opens the page with its defaults.';
    } else if (source.kind === 'builtin') {
      // By name and version: a short link, and the receiver learns when its atlas differs.
      mapSource =
        resolveBuiltinId(source.id, '') !== null
          ? { kind: 'builtin', id: BUILTIN_ATLAS_ID, version: BUILTIN_ATLAS_VERSION }
          : { kind: 'builtin', id: source.id };
      note =
        'The link names the built-in concept atlas and its version: it opens in any browser, with no model. Items you added yourself are not in the link.';
    } else if (source.kind === 'url') {
      mapSource = { kind: 'url', url: source.url };
      note = 'The link names the map’s web address; the receiver downloads it from there.';
    } else if (source.kind === 'inline' && s.linkInfo) {
      mapSource = { kind: 'inline', data: s.linkInfo.data };
      note = `The link carries the map it came with: ${describeLinkPrecision(s.linkInfo.precision, s.linkInfo.agreement)}.`;
    } else {
      // A library, trained or file map lives only here: it travels inside the link. Packing it
      // and measuring what a compact copy keeps take seconds for 32×32: in the worker.
      const map = await currentMapWithItems({ embeddings: true, thumbnails: false });
      if (!map) return { url: null, note: 'There is no map to share.', inline: null };
      const reply = await getShareLinkClient().linkFor(map);
      if (!reply.ok) {
        if (!reply.tooLarge) return { url: null, note: sentence(reply.message), inline: null };
        return {
          url: null,
          note: `${sentence(reply.message.replace(/: share the .sdrmap file.*$/, ''))} A smaller copy of it can travel instead (Copy a smaller copy says what it changes), or download the .sdrmap file, put it on any static host that allows downloads from other sites (CORS), such as a GitHub gist (use its "Raw" address), and open SDR Explorer with ?map=<that https address>.`,
          inline: null,
          shrinkable: true,
        };
      }
      mapSource = { kind: 'inline', data: reply.fragment.text };
      inline = inlineFacts(reply.fragment, reply.ms);
      note = `${inlineNote(reply.fragment)}${
        reply.fragment.withEmbeddings || !map.items
          ? ''
          : ' Its items’ embeddings did not fit, so the receiver sees their labels and SDRs but cannot place them again.'
      }`;
    }
    const state = shareStateFor(s, mapSource, embed);
    return { url: shareUrl(page, state), note, inline };
  }

  async function buildSmallerShareLink(
    getState: () => AppState,
    embed: boolean,
    base?: string,
  ): Promise<ShareLink> {
    const page = base ?? (typeof location !== 'undefined' ? location.href : 'http://localhost/');
    const map = await currentMapWithItems({ embeddings: true, thumbnails: false });
    if (!map) return { url: null, note: 'There is no map to share.', inline: null };
    const reply = await getShareLinkClient().shrink(map);
    if (!reply.ok) return { url: null, note: sentence(reply.message), inline: null };
    const changes = reply.changes.length > 0 ? reply.changes : ['changes nothing'];
    const state = shareStateFor(getState(), { kind: 'inline', data: reply.fragment.text }, embed);
    return {
      url: shareUrl(page, state),
      note: `The link carries a smaller copy of this map, which ${listInWords(changes)}. ${inlineNote(reply.fragment)}`,
      inline: inlineFacts(reply.fragment, reply.ms),
      changes,
    };
  }
}

/** What ShareLink.inline says of a map inside a link. */
function inlineFacts(fragment: LinkFragment, ms: number): NonNullable<ShareLink['inline']> {
  return {
    chars: fragment.text.length,
    precision: fragment.precision,
    approximate: fragment.approximate,
    agreement: fragment.agreement,
    ms,
  };
}

/** How a map travels inside a link, in words: exact, rounded, or approximate with its agreement. */
function inlineNote(fragment: LinkFragment): string {
  const tail = ' Long links suit bookmarks, mail, documents and slides; chat apps may cut them.';
  if (!fragment.approximate) {
    return `The map travels inside the link: ${describeLinkPrecision(fragment.precision)}.${tail}`;
  }
  if (fragment.precision === 'f16') {
    return `The map travels inside the link, approximately: ${describeLinkPrecision('f16').replace(/^approximate: /, '')}.${tail}`;
  }
  const share = `${(fragment.agreement * 100).toFixed(1)}%`;
  const probes = fragment.agreementProbes === 'units' ? 'its units' : 'your items';
  return `The map travels inside the link in compact form, so it is approximate: new inputs keep ${share} of their active units on it (measured on ${probes} as the link was made); your items keep exactly their SDRs.${tail}`;
}

/** "a, b and c". */
function listInWords(parts: readonly string[]): string {
  return parts.length <= 1
    ? (parts[0] ?? '')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The atlas items a first visit starts with: selected first, all three compared. */
const STARTING_EXAMPLE = ['cat', 'kitten', 'car'] as const;

/** Whether the dataset already holds the map's items (same labels in the same order). */
function datasetHolds(s: AppState, map: SdrMap): boolean {
  const labels = map.items?.labels;
  if (!labels || labels.length !== s.items.length) return false;
  return labels.every((label, i) => s.items[i].label === label);
}

/** A refusal's reason as a sentence, whatever threw it. */
function reason(error: unknown): string {
  if (error instanceof MapFileError || error instanceof FetchMapError) {
    return sentence(error.message);
  }
  return sentence(`something unexpected went wrong (${errorMessage(error)})`);
}

/** A name or address as a message quotes it: at most 80 characters. */
function clip(text: string): string {
  return quoteForMessage(text, 80);
}
