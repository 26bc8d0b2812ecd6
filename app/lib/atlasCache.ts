/**
 * The concept-atlas cache in IndexedDB: a built atlas (map + embedded vocabulary) under its
 * cache key (model id + vocabulary hash + settings, see atlasCacheKey), so a reload shows it at
 * once instead of embedding a thousand prompts again. Values are stored by structured clone
 * (typed arrays included), about 4 MB per atlas of 1,000 concepts in 512-d; only the few most
 * recent atlases are kept.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SdrMap } from '../../src/index.ts';
import type { Vocabulary } from './atlas.ts';
import { errorMessage } from '../../src/index.ts';

const ATLAS_DB_NAME = 'sdr-explorer-atlas';
const DB_VERSION = 1;

export interface AtlasRecord {
  readonly key: string;
  /** ISO 8601 time of saving; the oldest records go first when over the limit. */
  readonly savedAt: string;
  readonly map: SdrMap;
  readonly vocabulary: Vocabulary;
}

interface AtlasSchema extends DBSchema {
  atlases: { key: string; value: AtlasRecord };
}

export interface AtlasCache {
  /** The atlas under `key`, or null when none (or when the database cannot be read). */
  get(key: string): Promise<AtlasRecord | null>;
  /**
   * Save `record`, dropping the oldest beyond the limit. Resolves to null when saved, else to a
   * one-line reason (the atlas still works; it is only rebuilt on the next visit).
   */
  put(record: AtlasRecord): Promise<string | null>;
  close(): void;
}

function reason(error: unknown): string {
  const name = error && typeof error === 'object' ? (error as { name?: unknown }).name : '';
  if (name === 'QuotaExceededError') return "the browser's storage is full";
  return errorMessage(error);
}

/** A record that is what `put` stored (a damaged or foreign value reads as a miss). */
function isRecord(value: unknown, key: string): value is AtlasRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Partial<AtlasRecord>;
  const map = r.map;
  const vocab = r.vocabulary;
  return (
    r.key === key &&
    !!map &&
    !!map.som &&
    map.som.codebook instanceof Float32Array &&
    map.som.codebook.length === map.som.grid.rows * map.som.grid.cols * map.som.dim &&
    !!vocab &&
    vocab.vectors instanceof Float32Array &&
    Array.isArray(vocab.concepts) &&
    vocab.vectors.length === vocab.concepts.length * vocab.dim
  );
}

/**
 * Open the cache. `keep` (default 3, at least 1) atlases are kept; a browser without IndexedDB
 * gives a cache that always misses.
 */
export function openAtlasCache(name: string = ATLAS_DB_NAME, keep = 3): AtlasCache {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new RangeError(`keep must be a whole number of at least 1, got ${keep}`);
  }
  let dbPromise: Promise<IDBPDatabase<AtlasSchema>> | null = null;
  const db = () =>
    (dbPromise ??= openDB<AtlasSchema>(name, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('atlases', { keyPath: 'key' });
      },
    }));
  return {
    async get(key) {
      try {
        const value: unknown = await (await db()).get('atlases', key);
        return isRecord(value, key) ? value : null;
      } catch {
        return null; // an unreadable cache is a miss: the atlas is rebuilt
      }
    },
    async put(record) {
      try {
        const database = await db();
        const tx = database.transaction('atlases', 'readwrite');
        await tx.store.put(record);
        const all = await tx.store.getAll();
        const stale = all
          .filter((r) => r.key !== record.key)
          .sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1))
          .slice(keep - 1);
        for (const r of stale) await tx.store.delete(r.key);
        await tx.done;
        return null;
      } catch (error) {
        return reason(error);
      }
    },
    close() {
      void dbPromise?.then((d) => d.close()).catch(() => undefined);
      dbPromise = null;
    },
  };
}
