/**
 * The map library in IndexedDB: saved maps as `.sdrmap` blobs, each with a small metadata
 * record (name, size, dates, grid, item count) kept in a store of its own, so listing the
 * library never reads the maps themselves. A save writes both records in one transaction: it
 * lands whole or not at all, so a full disk leaves the library as it was.
 *
 * Its own database (not the dataset's): the two are written by different slices at different
 * times, and a version bump of one must never block the other. The quota helpers are shared.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { isQuotaError, StorageFullError } from './dataDb.ts';
import { errorMessage } from '../../src/index.ts';
import { cleanText } from '../../src/index.ts';

export { StorageFullError };

/** The database name the page uses; tests pass their own. */
const MAPS_DB_NAME = 'sdr-explorer-maps';
const DB_VERSION = 1;
/** Longest map name, in characters (the map file allows 200). */
const MAX_MAP_NAME_LENGTH = 200;
/** MIME type of saved and downloaded map files. */
export const SDRMAP_MIME = 'application/x-sdrmap';

/** What the library lists about a saved map. */
export interface SavedMapMeta {
  readonly id: string;
  /** The name the person gave it (1 to 200 characters). */
  readonly name: string;
  /** Size of the saved .sdrmap file, in bytes. */
  readonly bytes: number;
  /** When it was saved (ISO 8601). */
  readonly savedAt: string;
  readonly grid: { readonly rows: number; readonly cols: number; readonly topology: string };
  /** Embedding dimension of the map. */
  readonly dim: number;
  /** Items saved with the map (0 when none). */
  readonly itemCount: number;
  /** Whether the items' embeddings and thumbnails were saved too. */
  readonly withEmbeddings: boolean;
  readonly withThumbnails: boolean;
  /** The embedding model the map lives in, when known. */
  readonly model: string | null;
}

interface MapsSchema extends DBSchema {
  meta: { key: string; value: SavedMapMeta };
  files: { key: string; value: { readonly id: string; readonly file: Blob } };
}

type WriteTx = IDBPTransaction<MapsSchema, ('meta' | 'files')[], 'readwrite'>;

/** Any other failure of the library database, with the operation in the message. */
export class MapsDbError extends Error {
  override name = 'MapsDbError';
}

/**
 * A readable error for a failed `action` ('save the map "cats"'); `noun` names what a full disk
 * kept from being saved ('the map "cats"').
 */
function wrapError(action: string, error: unknown, noun = 'it'): Error {
  if (error instanceof StorageFullError || error instanceof MapsDbError) return error;
  if (isQuotaError(error)) {
    return new StorageFullError(
      `The browser's storage is full, so ${noun} could not be saved. Nothing was changed: delete saved maps or data, or download the map as a file instead.`,
    );
  }
  const reason = errorMessage(error);
  return new MapsDbError(`Could not ${action}: ${reason}`);
}

/** A name cleaned for the library: trimmed, control characters removed, 1 to 200 characters. */
export function cleanMapName(name: string): string {
  const clean = cleanText(name, { maxLength: Infinity }).trim();
  if (clean === '') throw new MapsDbError('A saved map needs a name.');
  const chars = Array.from(clean);
  return chars.length > MAX_MAP_NAME_LENGTH ? chars.slice(0, MAX_MAP_NAME_LENGTH).join('') : clean;
}

export interface MapsDb {
  /** Every saved map's metadata, newest first. */
  list(): Promise<SavedMapMeta[]>;
  /** Save a map file with its metadata in one transaction; StorageFullError when storage is full. */
  save(meta: SavedMapMeta, file: Uint8Array): Promise<void>;
  /** The saved file's bytes, or null when there is no such map. */
  read(id: string): Promise<Uint8Array | null>;
  /** Rename a saved map; resolves to its new metadata (null when there is no such map). */
  rename(id: string, name: string): Promise<SavedMapMeta | null>;
  /** Delete a saved map (an unknown id is ignored). */
  remove(id: string): Promise<void>;
  close(): void;
}

class IdbMapsDb implements MapsDb {
  constructor(private readonly db: IDBPDatabase<MapsSchema>) {}

  async list(): Promise<SavedMapMeta[]> {
    try {
      const all = await this.db.getAll('meta');
      return all.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0));
    } catch (error) {
      throw wrapError('read the map library', error);
    }
  }

  async save(meta: SavedMapMeta, file: Uint8Array): Promise<void> {
    const record = { ...meta, name: cleanMapName(meta.name), bytes: file.length };
    const blob = new Blob([file as Uint8Array<ArrayBuffer>], { type: SDRMAP_MIME });
    await this.write(
      `save the map "${record.name}"`,
      `the map "${record.name}"`,
      ['meta', 'files'],
      (tx, track) => {
        track(tx.objectStore('meta').put(record));
        track(tx.objectStore('files').put({ id: meta.id, file: blob }));
      },
    );
  }

  async read(id: string): Promise<Uint8Array | null> {
    try {
      const record = await this.db.get('files', id);
      return record ? new Uint8Array(await record.file.arrayBuffer()) : null;
    } catch (error) {
      throw wrapError('read the saved map', error);
    }
  }

  async rename(id: string, name: string): Promise<SavedMapMeta | null> {
    const clean = cleanMapName(name);
    let renamed: SavedMapMeta | null = null;
    await this.write('rename the map', 'the new name', ['meta'], (tx, track) => {
      const store = tx.objectStore('meta');
      track(
        store.get(id).then((meta) => {
          if (!meta) return undefined;
          renamed = { ...meta, name: clean };
          return store.put(renamed);
        }),
      );
    });
    return renamed;
  }

  async remove(id: string): Promise<void> {
    await this.write('delete the map', 'the deletion', ['meta', 'files'], (tx, track) => {
      track(tx.objectStore('meta').delete(id));
      track(tx.objectStore('files').delete(id));
    });
  }

  close(): void {
    this.db.close();
  }

  /**
   * Run the requests `issue` makes in one readwrite transaction and wait for it to commit. A
   * request that throws (a put can throw QuotaExceededError at once) or a transaction that
   * aborts rolls back the whole, and the error comes out as a readable one.
   */
  private async write(
    action: string,
    noun: string,
    stores: ('meta' | 'files')[],
    issue: (tx: WriteTx, track: (request: Promise<unknown>) => void) => void,
  ): Promise<void> {
    let tx: WriteTx;
    try {
      tx = this.db.transaction(stores, 'readwrite');
    } catch (error) {
      throw wrapError(action, error, noun);
    }
    // Every request issued is tracked (its rejection observed) even when a later one throws, so
    // a rolled-back save leaves no unhandled AbortErrors behind.
    const requests: Promise<unknown>[] = [];
    const track = (request: Promise<unknown>) => {
      request.catch(() => undefined);
      requests.push(request);
    };
    try {
      issue(tx, track);
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // already finished or aborting
      }
      await Promise.allSettled([...requests, tx.done]);
      throw wrapError(action, tx.error ?? error, noun);
    }
    try {
      await Promise.all([...requests, tx.done]);
    } catch (error) {
      // An aborted put reports AbortError; the transaction carries the real QuotaExceededError.
      await tx.done.catch(() => undefined);
      throw wrapError(action, tx.error ?? error, noun);
    }
  }
}

/** Open (creating on first use) the map library. */
export async function openMapsDb(name: string = MAPS_DB_NAME): Promise<MapsDb> {
  if (typeof indexedDB === 'undefined') {
    throw new MapsDbError('This browser has no IndexedDB, so maps cannot be saved here.');
  }
  try {
    const db = await openDB<MapsSchema>(name, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('meta', { keyPath: 'id' });
        database.createObjectStore('files', { keyPath: 'id' });
      },
    });
    return new IdbMapsDb(db);
  } catch (error) {
    throw wrapError('open the map library', error);
  }
}
