/**
 * The dataset in IndexedDB, in chunks: one record holds up to CHUNK_BYTES of consecutive
 * items' rows as one Blob (float32, little-endian as the page's arrays are) beside those
 * items' metadata (labels, thumbnails as Blobs). 100,000 imported rows of 512 are ~50 records,
 * not 100,000: the per-record cost of IndexedDB (a structured clone and a database entry each)
 * made a 100,000-row import spend most of its minute writing, and every reload reading them
 * back one by one. The rows go in as Blobs, not Float32Arrays: the database keeps a Blob by
 * reference, where a typed array is serialised (and compressed) on the page's thread, ~25 ms
 * per MB on this project's machine. Deleting items rewrites only the chunks that hold them.
 * Every write is one transaction: it lands whole or not at all, so a full disk or a closed tab
 * never leaves half a batch behind.
 *
 * Version 1 stored one record per item (`items`, each with its own embedding row). Those
 * records are read as they are, beside the chunks, and deleted by id: a person who saved items
 * before the upgrade keeps them, and nothing is rewritten at upgrade time (which would need
 * the disk space twice, at once, for a large dataset).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { errorMessage } from '../../src/index.ts';

/** The database name the page uses; tests pass their own. */
const DATA_DB_NAME = 'sdr-explorer-data';
const DB_VERSION = 2;

export type ItemKind = 'image' | 'text' | 'imported';

/** One item's metadata, as stored. `seq` orders items (insertion order), so rows come back in order. */
export interface SavedItem {
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
}

/** One item with its own embedding row (never a view into a bigger buffer): version 1's record. */
export interface StoredItem extends SavedItem {
  readonly embedding: Float32Array;
}

/** Items and their rows: row i of `rows` (n·dim) belongs to items[i]. */
interface StoredRows {
  readonly items: readonly SavedItem[];
  readonly rows: Float32Array;
  readonly dim: number;
}

/** What loadAll reads back: every item of the first item's dimension, in `seq` order. */
export interface SavedData {
  readonly items: SavedItem[];
  /** One flat array, items.length · dim. */
  readonly embeddings: Float32Array;
  /** 0 when there are no items. */
  readonly dim: number;
  /** Ids of saved items whose rows have another dimension (they cannot share the flat array). */
  readonly stray: string[];
}

/** One chunk: consecutive items and their rows. `key` is its first item's id. */
interface ChunkRecord {
  readonly key: string;
  /** The first item's seq, so chunks come back in insertion order. */
  readonly seq: number;
  readonly dim: number;
  readonly items: SavedItem[];
  /** items.length · dim float32 numbers. */
  readonly rows: Blob;
}

interface DataSchema extends DBSchema {
  /** Version 1: one record per item. Read and deleted, never written. */
  items: { key: string; value: StoredItem; indexes: { seq: number } };
  chunks: { key: string; value: ChunkRecord; indexes: { seq: number } };
}

type WriteTx = IDBPTransaction<DataSchema, ('items' | 'chunks')[], 'readwrite'>;

/**
 * Largest rows per chunk, bytes: 4 MiB (2,048 rows of 512): deleting one item rewrites at
 * most that, and 100,000 rows of 512 are ~50 records.
 */
const CHUNK_BYTES = 4 * 2 ** 20;

/** Rows of `dim` numbers per chunk (at least 1). */
export function chunkRows(dim: number): number {
  return Math.max(1, Math.floor(CHUNK_BYTES / (4 * Math.max(1, dim))));
}

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
  /** Every stored item and its row, in `seq` order. */
  loadAll(): Promise<SavedData>;
  /** Store items with their own rows in one transaction; throws StorageFullError when full. */
  putItems(items: readonly StoredItem[]): Promise<void>;
  /** Store items and their rows (`rows` is only read) in one transaction, as putItems. */
  putRows(batch: StoredRows): Promise<void>;
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
  issue: (tx: WriteTx, track: <T>(request: Promise<T>) => Promise<T>) => void | Promise<void>,
): Promise<void> {
  const tx = db.transaction(['items', 'chunks'], 'readwrite');
  // Every request issued is tracked (and its rejection observed) even when a later one throws,
  // so a rolled-back batch leaves no unhandled AbortErrors behind.
  const requests: Promise<unknown>[] = [];
  const track = <T>(request: Promise<T>): Promise<T> => {
    request.catch(() => undefined);
    requests.push(request);
    return request;
  };
  try {
    await issue(tx, track);
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

/** Where an item is kept: a chunk's key, or LEGACY for a version 1 record. */
const LEGACY = '';

class IdbDataDb implements DataDb {
  /**
   * Item id → where it is kept, for deletes; filled by loadAll (or the first delete) and kept
   * up to date by this connection's writes. Null until then, and after a failed write.
   */
  private whereIs: Map<string, string> | null = null;

  constructor(private readonly db: IDBPDatabase<DataSchema>) {}

  async loadAll(): Promise<SavedData> {
    let legacy: StoredItem[];
    let chunks: ChunkRecord[];
    try {
      const tx = this.db.transaction(['items', 'chunks'], 'readonly');
      [legacy, chunks] = await Promise.all([
        tx.objectStore('items').index('seq').getAll(),
        tx.objectStore('chunks').index('seq').getAll(),
        tx.done,
      ]);
    } catch (error) {
      throw wrapError('read the saved data', error);
    }
    const whereIs = new Map<string, string>();
    // The first item (lowest seq) sets the dimension, as the version 1 reader did.
    const firstLegacy = legacy[0];
    const firstChunk = chunks[0];
    const dim =
      firstLegacy && (!firstChunk || firstLegacy.seq < firstChunk.seq)
        ? firstLegacy.embedding.length
        : (firstChunk?.dim ?? 0);
    const stray: string[] = [];
    const goodLegacy: StoredItem[] = [];
    for (const r of legacy) {
      whereIs.set(r.id, LEGACY);
      const ok = dim > 0 && r.embedding instanceof Float32Array && r.embedding.length === dim;
      if (ok) goodLegacy.push(r);
      else stray.push(r.id);
    }
    const goodChunks: ChunkRecord[] = [];
    let total = goodLegacy.length;
    for (const c of chunks) {
      for (const item of c.items) whereIs.set(item.id, c.key);
      const ok = c.dim === dim && c.rows instanceof Blob && c.rows.size === c.items.length * dim * 4; // prettier-ignore
      if (ok) {
        goodChunks.push(c);
        total += c.items.length;
      } else {
        for (const item of c.items) stray.push(item.id);
      }
    }
    this.whereIs = whereIs;
    // Version 1 records come first (they were written before any chunk), chunks in seq order.
    const items: SavedItem[] = new Array<SavedItem>(total);
    const embeddings = new Float32Array(total * dim);
    let at = 0;
    for (const r of goodLegacy) {
      const { embedding, ...item } = r;
      items[at] = item;
      embeddings.set(embedding, at * dim);
      at++;
    }
    // The chunks' rows are read after the transaction (a Blob is read outside the database),
    // each copied into place as it arrives, so at most a few chunks' bytes wait beside the array.
    const reads: Promise<void>[] = [];
    for (const c of goodChunks) {
      for (let i = 0; i < c.items.length; i++) items[at + i] = c.items[i];
      const offset = at * dim;
      reads.push(rowsOf(c).then((rows) => embeddings.set(rows, offset)));
      at += c.items.length;
    }
    try {
      await Promise.all(reads);
    } catch (error) {
      throw wrapError('read the saved data', error);
    }
    return inSeqOrder({ items, embeddings, dim: total > 0 ? dim : 0, stray });
  }

  putItems(items: readonly StoredItem[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    // Consecutive items of one dimension share chunks.
    const runs: StoredRows[] = [];
    for (let start = 0; start < items.length;) {
      const dim = items[start].embedding.length;
      let end = start + 1;
      while (end < items.length && items[end].embedding.length === dim) end++;
      const rows = new Float32Array((end - start) * dim);
      const metas: SavedItem[] = [];
      for (let i = start; i < end; i++) {
        const { embedding, ...item } = items[i];
        metas.push(item);
        rows.set(embedding, (i - start) * dim);
      }
      runs.push({ items: metas, rows, dim });
      start = end;
    }
    return this.writeChunks(runs);
  }

  putRows(batch: StoredRows): Promise<void> {
    if (batch.items.length === 0) return Promise.resolve();
    if (batch.rows.length !== batch.items.length * batch.dim) {
      return Promise.reject(
        new Error(`${batch.items.length} items need ${batch.items.length * batch.dim} numbers, got ${batch.rows.length}`), // prettier-ignore
      );
    }
    return this.writeChunks([batch]);
  }

  private writeChunks(runs: readonly StoredRows[]): Promise<void> {
    const count = runs.reduce((sum, r) => sum + r.items.length, 0);
    const what = count === 1 ? '1 item' : `${count} items`;
    const placed: [string, string][] = [];
    return this.track(
      writeAll(this.db, what, async (tx, track) => {
        const store = tx.objectStore('chunks');
        for (const run of runs) {
          const per = chunkRows(run.dim);
          for (let start = 0; start < run.items.length; start += per) {
            const end = Math.min(run.items.length, start + per);
            const items = run.items.slice(start, end);
            const chunk: ChunkRecord = {
              key: items[0].id,
              seq: items[0].seq,
              dim: run.dim,
              items,
              // A Blob of the view's bytes only (a typed array would store the whole buffer).
              rows: new Blob([run.rows.subarray(start * run.dim, end * run.dim) as Float32Array<ArrayBuffer>]), // prettier-ignore
            };
            for (const item of items) placed.push([item.id, chunk.key]);
            // One chunk at a time, waiting for each: the page runs between, and the transaction
            // (kept busy by the waited-for request) lands whole or not at all.
            await track(store.put(chunk));
          }
        }
      }),
      (whereIs) => {
        for (const [id, key] of placed) whereIs.set(id, key);
      },
    );
  }

  async deleteItems(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const gone = new Set(ids);
    // First the chunks that hold these items, their rows read (a Blob is read outside any
    // transaction); then one transaction writes what is left of them. Every write of this
    // page waits its turn (the data slice's queue), so nothing changes them in between.
    let rewrites: { key: string; chunk: ChunkRecord | null }[];
    let whereIs: Map<string, string>;
    try {
      whereIs = this.whereIs ?? (await this.readWhereIs());
      const keys = new Set<string>();
      for (const id of gone) {
        const key = whereIs.get(id);
        if (key !== undefined && key !== LEGACY) keys.add(key);
      }
      rewrites = await Promise.all(
        [...keys].map(async (key) => ({ key, chunk: await this.without(key, gone) })),
      );
    } catch (error) {
      throw wrapError('delete the items', error);
    }
    await this.track(
      writeAll(this.db, 'delete the items', (tx, track) => {
        for (const id of gone) {
          const key = whereIs.get(id);
          // An id not known here may still be a version 1 record (deleting a missing key is a no-op).
          if (key === undefined || key === LEGACY) void track(tx.objectStore('items').delete(id));
        }
        const chunks = tx.objectStore('chunks');
        for (const { key, chunk } of rewrites) {
          if (chunk) void track(chunks.put(chunk));
          else void track(chunks.delete(key));
        }
      }),
      (index) => {
        for (const id of gone) index.delete(id);
      },
    );
  }

  /** Chunk `key` without the items in `gone` (null when none is left, or it is gone). */
  private async without(key: string, gone: ReadonlySet<string>): Promise<ChunkRecord | null> {
    const chunk = await this.db.get('chunks', key);
    if (!chunk) return null;
    const keep: number[] = [];
    chunk.items.forEach((item, i) => {
      if (!gone.has(item.id)) keep.push(i);
    });
    if (keep.length === 0) return null;
    const { dim } = chunk;
    const all = await rowsOf(chunk);
    const rows = new Float32Array(keep.length * dim);
    keep.forEach((i, j) => rows.set(all.subarray(i * dim, (i + 1) * dim), j * dim));
    // The key stays (it names the chunk, not necessarily its first item now).
    return { ...chunk, items: keep.map((i) => chunk.items[i]), rows: new Blob([rows]) };
  }

  clear(): Promise<void> {
    return this.track(
      writeAll(this.db, 'clear the data', (tx, track) => {
        void track(tx.objectStore('items').clear());
        void track(tx.objectStore('chunks').clear());
      }),
      (whereIs) => whereIs.clear(),
    );
  }

  close(): void {
    this.db.close();
  }

  /** Where every item is kept (a delete before any loadAll): item ids and chunk lists only. */
  private async readWhereIs(): Promise<Map<string, string>> {
    const whereIs = new Map<string, string>();
    for (const id of await this.db.getAllKeys('items')) whereIs.set(id, LEGACY);
    for (const c of await this.db.getAll('chunks')) {
      for (const item of c.items) whereIs.set(item.id, c.key);
    }
    this.whereIs = whereIs;
    return whereIs;
  }

  /** After `write` commits, `update` the id index; a failed write drops it (read again later). */
  private async track(
    write: Promise<void>,
    update: (whereIs: Map<string, string>) => void,
  ): Promise<void> {
    try {
      await write;
    } catch (error) {
      this.whereIs = null;
      throw error;
    }
    if (this.whereIs) update(this.whereIs);
  }
}

/** A chunk's rows as numbers. */
async function rowsOf(chunk: ChunkRecord): Promise<Float32Array> {
  return new Float32Array(await chunk.rows.arrayBuffer());
}

/** `data` with its items (and rows) sorted by seq, unless they already are. */
function inSeqOrder(data: SavedData): SavedData {
  const { items, embeddings, dim } = data;
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = items[i - 1].seq < items[i].seq;
  if (sorted) return data;
  const order = items.map((_, i) => i).sort((a, b) => items[a].seq - items[b].seq);
  const rows = new Float32Array(embeddings.length);
  order.forEach((from, to) => rows.set(embeddings.subarray(from * dim, (from + 1) * dim), to * dim)); // prettier-ignore
  return { ...data, items: order.map((i) => items[i]), embeddings: rows };
}

/** Open (creating on first use, upgrading version 1) the dataset database. */
export async function openDataDb(name: string = DATA_DB_NAME): Promise<DataDb> {
  if (typeof indexedDB === 'undefined') {
    throw new Error('This browser has no IndexedDB, so data cannot be kept between visits.');
  }
  try {
    const db = await openDB<DataSchema>(name, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          const items = database.createObjectStore('items', { keyPath: 'id' });
          items.createIndex('seq', 'seq');
        }
        if (oldVersion < 2) {
          const chunks = database.createObjectStore('chunks', { keyPath: 'key' });
          chunks.createIndex('seq', 'seq');
        }
      },
      // A newer page in another tab wants to upgrade the database: let it (this tab's later
      // writes then fail with a message) rather than leave that tab waiting until this one closes.
      blocking() {
        db.close();
      },
    });
    return new IdbDataDb(db);
  } catch (error) {
    throw wrapError('open the saved data', error);
  }
}
