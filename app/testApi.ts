/**
 * A small typed test API on `window.__sdrExplorer`, so end-to-end tests assert on state rather
 * than pixels (the tldraw habit). It exposes read access to the store and nothing else.
 */
import { appServices, useAppStore, type AppState } from './store/index.ts';
import type { AutosaveStats } from './services/autosave.ts';
import { getEmbedClient } from './workers/embedClient.ts';
import { itemSdrFromEncoding, readSelectedItemIndex } from './store/mapSlice.ts';
import { encodeRows } from '../src/index.ts';

/** Text embeddings as plain data (page → test), from the real embed worker. */
interface TestTextEmbeddings {
  modelId: string;
  dim: number;
  vectors: number[];
  truncated: readonly number[];
}

/** Image embeddings as plain data: thumbnails reduced to their type and size. */
interface TestImageEmbeddings {
  modelId: string;
  dim: number;
  vectors: number[];
  items: {
    name: string;
    status: 'ok' | 'error';
    row?: number;
    width?: number;
    height?: number;
    error?: string;
    thumbnail?: { type: string; bytes: number };
  }[];
}

interface SdrExplorerTestApi {
  getState: () => AppState;
  ready: boolean;
  /** Embed texts through the page's embed client and worker, with the model panel's settings. */
  embedTexts: (texts: string[]) => Promise<TestTextEmbeddings>;
  /** Embed image files through the embed worker (decoding, checks and thumbnails included). */
  embedImages: (files: Blob[]) => Promise<TestImageEmbeddings>;
  /** The map as plain data: status, grid, K, the selected item's SDR, training history. */
  mapState: () => TestMapState;
  /** What the autosave wrote so far and what it cost (app/services/autosave.ts). */
  autosaveStats: () => AutosaveStats;
  /** Resolves once the last session has been restored and everything waiting is written. */
  autosaveSettled: () => Promise<void>;
}

/** What e2e tests read about the map (plain data, safe to return from page.evaluate). */
export interface TestMapState {
  hasMap: boolean;
  mapName: string | null;
  mapSource: string | null;
  grid: { rows: number; cols: number; topology: string } | null;
  k: number;
  unitLabelCount: number;
  distinctUnitLabels: number;
  /** The built-in atlas's file: idle, loading, ready or error. */
  builtinStatus: string;
  encodingStatus: string;
  /** Items encoded at the current K (0 until the encode worker replies). */
  encodedItems: number;
  encodedK: number | null;
  /** Active units of the selected item at the current K (sorted), or null without selection. */
  selectedItemSdr: number[] | null;
  selectedUnit: number | null;
  training: {
    status: string;
    phase: string;
    epochsPlanned: number | null;
    history: { epoch: number; quantizationError: number; topographicError: number }[];
  };
  /** Epochs the current map was trained for (fewer than planned after a cancel). */
  mapEpochs: number | null;
}

declare global {
  interface Window {
    __sdrExplorer?: SdrExplorerTestApi;
  }
}

export function installTestApi(): void {
  window.__sdrExplorer = {
    getState: () => useAppStore.getState(),
    ready: true,
    autosaveStats: () => appServices.autosave.stats(),
    autosaveSettled: async () => {
      await appServices.autosave.restored();
      await appServices.autosave.flush();
    },
    mapState: () => {
      const s = useAppStore.getState();
      const map = s.map;
      const itemIndex = readSelectedItemIndex(s);
      let selectedItemSdr: number[] | null = null;
      if (map && itemIndex !== null) {
        const enc = s.encoding;
        const d = map.som.dim;
        // The same rule as useItemSdr: the encoding when current, else this row encoded now.
        selectedItemSdr =
          enc && enc.k === s.k && enc.map === map && enc.embeddings === s.embeddings
            ? Array.from(itemSdrFromEncoding(enc, map.som.grid, itemIndex).active)
            : Array.from(
                encodeRows(map, s.embeddings.subarray(itemIndex * d, (itemIndex + 1) * d), 1, s.k)
                  .active,
              );
      }
      return {
        hasMap: map !== null,
        mapName: map?.name ?? null,
        mapSource: s.mapSource?.kind ?? null,
        grid: map ? { ...map.som.grid } : null,
        k: s.k,
        unitLabelCount: map?.unitLabels?.length ?? 0,
        distinctUnitLabels: new Set(map?.unitLabels ?? []).size,
        builtinStatus: s.builtinStatus,
        encodingStatus: s.encodingStatus,
        encodedItems: s.encoding?.n ?? 0,
        encodedK: s.encoding?.k ?? null,
        selectedItemSdr,
        selectedUnit: s.selectedUnit,
        training: {
          status: s.training.status,
          phase: s.training.phase,
          epochsPlanned: s.training.config?.epochs ?? null,
          history: s.training.history.map((r) => ({
            epoch: r.epoch,
            quantizationError: r.quantizationError,
            topographicError: r.topographicError,
          })),
        },
        mapEpochs: map?.training.epochs ?? null,
      };
    },
    embedTexts: async (texts) => {
      const r = await getEmbedClient().embedTexts(texts);
      return {
        modelId: r.modelId,
        dim: r.dim,
        vectors: Array.from(r.vectors),
        truncated: r.truncated,
      };
    },
    embedImages: async (files) => {
      const r = await getEmbedClient().embedImages(files);
      return {
        modelId: r.modelId,
        dim: r.dim,
        vectors: Array.from(r.vectors),
        items: r.items.map((item) =>
          item.status === 'ok'
            ? {
                name: item.name,
                status: item.status,
                row: item.row,
                width: item.width,
                height: item.height,
                thumbnail: item.thumbnail
                  ? { type: item.thumbnail.type, bytes: item.thumbnail.size }
                  : undefined,
              }
            : { name: item.name, status: item.status, error: item.error },
        ),
      };
    },
  };
}
