/**
 * The last session in IndexedDB, so a reload or a crashed tab comes back as it was: the current
 * map as `.sdrmap` bytes (one record, rewritten only when the map itself changes) and the small
 * view state (view, K, selection, compare set, mixtures…) in a record of its own, so moving K or
 * picking an item never rewrites megabytes. The dataset has its own database (dataDb.ts).
 *
 * Opened from the page (view state, reading at start-up) and from the map-save worker (the map
 * bytes): IndexedDB works in both, and each write is one transaction, whole or not at all.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isQuotaError, StorageFullError } from './dataDb.ts';
import { errorMessage } from '../../src/index.ts';

/** The database name the page uses; tests pass their own. */
const SESSION_DB_NAME = 'sdr-explorer-session';
const DB_VERSION = 1;
/** The one key each store uses: there is one last session. */
const CURRENT = 'current';

/**
 * Where the saved map came from, as plain data (the map slice's MapSource less what only a live
 * page holds). Read back as untrusted: the autosave service checks it before use.
 */
export interface SavedMapSource {
  readonly kind: string;
  readonly id?: string;
  readonly url?: string;
  readonly name?: string;
}

/** The current map as saved. */
export interface SavedMapRecord {
  /** The autosave's map version when written (a newer page load starts again from 1). */
  readonly version: number;
  /** When it was written (ISO 8601). */
  readonly savedAt: string;
  readonly source: SavedMapSource;
  /** The map file (float32 codebook: SDRs come back identical). */
  readonly bytes: Uint8Array;
  /** Set while training ran: the map is the one of this finished epoch, of `epochsPlanned`. */
  readonly trainingEpoch?: number;
  readonly epochsPlanned?: number;
}

interface SessionSchema extends DBSchema {
  map: { key: string; value: SavedMapRecord };
  view: { key: string; value: unknown };
}

export interface SessionDb {
  /** The saved map, or null when none was saved (or the last map needs no bytes). */
  readMap(): Promise<SavedMapRecord | null>;
  /** Replace the saved map; StorageFullError when the browser's storage is full. */
  writeMap(record: SavedMapRecord): Promise<void>;
  /** Forget the saved map (the current map needs no bytes, e.g. the built-in atlas). */
  clearMap(): Promise<void>;
  /** The saved view state, as stored (untrusted: the caller checks it), or null. */
  readView(): Promise<unknown>;
  /** Replace the saved view state (plain data and typed arrays only). */
  writeView(view: unknown): Promise<void>;
  close(): void;
}

function wrapError(what: string, error: unknown): Error {
  if (isQuotaError(error)) {
    return new StorageFullError(`The browser's storage is full, so ${what} could not be kept.`);
  }
  return new Error(`Could not ${what}: ${errorMessage(error)}`);
}

class IdbSessionDb implements SessionDb {
  constructor(private readonly db: IDBPDatabase<SessionSchema>) {}

  async readMap(): Promise<SavedMapRecord | null> {
    try {
      return (await this.db.get('map', CURRENT)) ?? null;
    } catch (error) {
      throw wrapError('read the last map', error);
    }
  }

  async writeMap(record: SavedMapRecord): Promise<void> {
    try {
      await this.db.put('map', record, CURRENT);
    } catch (error) {
      throw wrapError('the current map', error);
    }
  }

  async clearMap(): Promise<void> {
    try {
      await this.db.delete('map', CURRENT);
    } catch (error) {
      throw wrapError('forget the last map', error);
    }
  }

  async readView(): Promise<unknown> {
    try {
      return (await this.db.get('view', CURRENT)) ?? null;
    } catch (error) {
      throw wrapError('read the last view', error);
    }
  }

  async writeView(view: unknown): Promise<void> {
    try {
      await this.db.put('view', view, CURRENT);
    } catch (error) {
      throw wrapError('the current view', error);
    }
  }

  close(): void {
    this.db.close();
  }
}

/** Open (creating on first use) the last-session database. */
export async function openSessionDb(name: string = SESSION_DB_NAME): Promise<SessionDb> {
  if (typeof indexedDB === 'undefined') {
    throw new Error('This browser has no IndexedDB, so the page cannot be kept between visits.');
  }
  try {
    const db = await openDB<SessionSchema>(name, DB_VERSION, {
      upgrade(database) {
        database.createObjectStore('map');
        database.createObjectStore('view');
      },
    });
    return new IdbSessionDb(db);
  } catch (error) {
    throw wrapError('open the saved session', error);
  }
}
