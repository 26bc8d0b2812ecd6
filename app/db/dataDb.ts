/**
 * The dataset in IndexedDB: one record per item holding its metadata, its thumbnail (a Blob)
 * and its own embedding row, so adding or deleting items writes only those items, and a
 * reload rebuilds the one flat Float32Array the store keeps. Every write is one transaction:
 * it lands whole or not at all, so a full disk never leaves half a batch behind.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { errorMessage } from '../../src/index.ts';

/** The database name the page uses; tests pass their own. */
const DATA_DB_NAME = 'sdr-explorer-data';
const DB_VERSION = 1;

export type ItemKind = 'image' | 'text' | 'imported';

/** One item as stored. `seq` orders items (insertion order), so rows come back in order. */
export interface StoredItem {
  readonly id: string;
  readonly seq: number;
  readonly kind: ItemKind;
  readonly label: string;
  /** The text a text item was embedded from. */
  readonly text?: string;
  /** A small JPEG for image items. */
  readonly thumbnail?: Blob;
  /** The file the item came from ('' for typed or pasted text). */
  readonly source: string;
  /** The model that made the embedding ('imported' when it came from a file). */
  readonly modelId: string;
  /** A note to show on the item, e.g. that its text was cut at CLIP's 77-token limit. */
  readonly note?: string;
  /** Its own copy of the embedding row (never a view into a bigger buffer). */
  readonly embedding: Float32Array;
}

interface DataSchema extends DBSchema {
  items: { key: string; value: StoredItem; indexes: { seq: number } };
}

type ItemStore = IDBPObjectStore<DataSchema, ['items'], 'items', 'readwrite'>;

/** The browser's storage is full (or the origin's quota is used up). */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

/** Whether an error is the browser saying the storage quota is used up. */
export function isQuotaError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function wrapError(what: string, error: unknown): Error {
  if (isQuotaError(error)) {
    return new StorageFullError(`The browser's storage is full, so ${what} could not be saved.`);
  }
  const reason = errorMessage(error);
  return new Error(`Could not ${what}: ${reason}`);
}

export interface DataDb {
  /** Every stored item, in `seq` order. */
  loadAll(): Promise<StoredItem[]>;
  /** Store (or overwrite) items in one transaction; throws StorageFullError when storage is full. */
  putItems(items: readonly StoredItem[]): Promise<void>;
  /** Delete items by id in one transaction (unknown ids are ignored). */
  deleteItems(ids: readonly string[]): Promise<void>;
  /** Delete every item. */
  clear(): Promise<void>;
  close(): void;
}

/**
 * Run the requests `issue` makes in one readwrite transaction and wait for it to commit. If a
 * request throws (a put can throw QuotaExceededError synchronously) or the transaction aborts,
 * it is rolled back as a whole and the error comes out mapped to a readable one.
 */
async function writeAll(
  db: IDBPDatabase<DataSchema>,
  what: string,
  issue: (store: ItemStore, track: (request: Promise<unknown>) => void) => void | Promise<void>,
): Promise<void> {
  const tx = db.transaction('items', 'readwrite');
  // Every request issued is tracked (and its rejection observed) even when a later one throws,
  // so a rolled-back batch leaves no unhandled AbortErrors behind.
  const requests: Promise<unknown>[] = [];
  const track = (request: Promise<unknown>) => {
    request.catch(() => undefined);
    requests.push(request);
  };
  try {
    await issue(tx.store, track);
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // already finished or aborting
    }
    await Promise.allSettled([...requests, tx.done]);
    throw wrapError(what, error);
  }
  try {
    await Promise.all([...requests, tx.done]);
  } catch (error) {
    // Keep the transaction's own error when it has one: an aborted put reports AbortError,
    // while the transaction carries the real QuotaExceededError.
    await tx.done.catch(() => undefined);
    throw wrapError(what, tx.error ?? error);
  }
}

/** Records put per turn of the event loop: ~50 ms of copying 512-d rows on a slow machine. */
const PUT_CHUNK = 250;

class IdbDataDb implements DataDb {
  constructor(private readonly db: IDBPDatabase<DataSchema>) {}

  async loadAll(): Promise<StoredItem[]> {
    try {
      return await this.db.getAllFromIndex('items', 'seq');
    } catch (error) {
      throw wrapError('read the saved data', error);
    }
  }

  putItems(items: readonly StoredItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    const what = items.length === 1 ? '1 item' : `${items.length} items`;
    return writeAll(this.db, what, async (store, track) => {
      // Each put copies its record on the calling thread: 100,000 imported rows issued at once
      // froze the page for 20 s. Issued PUT_CHUNK at a time, waiting for the last of each, the
      // page runs between chunks, and the transaction (kept busy by the waited-for request)
      // still lands whole or not at all.
      for (let start = 0; start < items.length; start += PUT_CHUNK) {
        const end = Math.min(items.length, start + PUT_CHUNK);
        let last: Promise<unknown> | null = null;
        for (let i = start; i < end; i++) {
          last = store.put(items[i]);
          track(last);
        }
        if (end < items.length && last) await last;
      }
    });
  }

  deleteItems(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return writeAll(this.db, 'delete the items', (store, track) => {
      for (const id of ids) track(store.delete(id));
    });
  }

  clear(): Promise<void> {
    return writeAll(this.db, 'clear the data', (store, track) => track(store.clear()));
  }

  close(): void {
    this.db.close();
  }
}

/** Open (creating on first use) the dataset database. */
export async function openDataDb(name: string = DATA_DB_NAME): Promise<DataDb> {
  if (typeof indexedDB === 'undefined') {
    throw new Error('This browser has no IndexedDB, so data cannot be kept between visits.');
  }
  try {
    const db = await openDB<DataSchema>(name, DB_VERSION, {
      upgrade(database) {
        const items = database.createObjectStore('items', { keyPath: 'id' });
        items.createIndex('seq', 'seq');
      },
    });
    return new IdbDataDb(db);
  } catch (error) {
    throw wrapError('open the saved data', error);
  }
}
