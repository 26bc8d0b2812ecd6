import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  chunkRows,
  openDataDb,
  StorageFullError,
  type DataDb,
  type SavedData,
  type StoredItem,
} from './dataDb.ts';

let dbCount = 0;
const opened: DataDb[] = [];
async function freshDb(): Promise<{ db: DataDb; name: string }> {
  const name = `data-test-${++dbCount}`;
  const db = await openDataDb(name);
  opened.push(db);
  return { db, name };
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

function item(seq: number, over: Partial<StoredItem> = {}): StoredItem {
  return {
    id: `id-${seq}`,
    seq,
    kind: 'text',
    label: `item ${seq}`,
    text: `text ${seq}`,
    source: '',
    modelId: 'model-a',
    embedding: new Float32Array([seq, seq + 0.5, -seq]),
    ...over,
  };
}

/** What loadAll read, as one record per item with its own row (as they were put). */
function records(data: SavedData): StoredItem[] {
  const { dim } = data;
  return data.items.map((item, i) => ({
    ...item,
    embedding: data.embeddings.slice(i * dim, (i + 1) * dim),
  }));
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('DataDb', () => {
  it('keeps items, thumbnails, embeddings and model ids across a reopen, in insertion order', async () => {
    const { db, name } = await freshDb();
    const thumb = new Blob([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], { type: 'image/jpeg' });
    await db.putItems([
      item(2),
      item(1, { kind: 'image', thumbnail: thumb, source: 'cat.jpg', text: undefined }),
    ]);
    await db.putItems([item(3, { kind: 'imported', modelId: 'imported' })]);
    db.close();

    const again = await openDataDb(name);
    opened.push(again);
    const back = records(await again.loadAll());
    expect(back.map((r) => r.id)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(back.map((r) => r.modelId)).toEqual(['model-a', 'model-a', 'imported']);
    expect(Array.from(back[1].embedding)).toEqual([2, 2.5, -2]);
    expect(back[1].embedding).toBeInstanceOf(Float32Array);
    const storedThumb = back[0].thumbnail;
    expect(storedThumb).toBeInstanceOf(Blob);
    expect(storedThumb?.type).toBe('image/jpeg');
    expect(new Uint8Array(await storedThumb!.arrayBuffer())).toEqual(
      new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
    );
  });

  it('refuses a batch as a whole when storage is full, keeping what was stored before', async () => {
    const { db } = await freshDb();
    await db.putItems([item(1), item(2)]);

    // Rows of three dimensions make three chunks; the third chunk's put hits the quota: the two
    // before it must be rolled back.
    const realPut = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      calls++;
      if (calls === 3) throw quotaError();
      return realPut.apply(this, args);
    });
    const wide = (seq: number, dim: number) => item(seq, { embedding: new Float32Array(dim) });
    const failing = db.putItems([item(3), wide(4, 4), wide(5, 5)]);
    await expect(failing).rejects.toBeInstanceOf(StorageFullError);
    await expect(failing).rejects.toThrow(/storage is full/);
    vi.restoreAllMocks();

    expect(records(await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-2']);
    // The database still works afterwards.
    await db.putItems([item(6)]);
    expect(records(await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-2', 'id-6']);
  });

  it('stores a large batch whole, across many chunks, or none of it when a late chunk fails', async () => {
    const { db } = await freshDb();
    // CLIP-sized rows: chunkRows(512) to a chunk, so 5 chunks here.
    const per = chunkRows(512);
    const many = Array.from({ length: 4 * per + 10 }, (_, i) =>
      item(i + 1, { embedding: new Float32Array(512).fill(i) }),
    );
    await db.putItems(many);
    const all = await db.loadAll();
    expect(all.items.length).toBe(4 * per + 10);
    expect(all.embeddings[(4 * per + 9) * 512]).toBe(4 * per + 9);
    await db.clear();

    // The 4th put (a chunk well after the first) hits the quota: nothing of the batch stays.
    const realPut = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      calls++;
      if (calls === 4) throw quotaError();
      return realPut.apply(this, args);
    });
    await expect(db.putItems(many)).rejects.toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect(records(await db.loadAll())).toEqual([]);
  });

  it('deletes by id, ignoring unknown ids, and clears', async () => {
    const { db } = await freshDb();
    await db.putItems([item(1), item(2), item(3)]);
    await db.deleteItems(['id-2', 'no-such-id']);
    expect(records(await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-3']);
    await db.clear();
    expect(records(await db.loadAll())).toEqual([]);
  });

  it('reports other write failures with the operation in the message', async () => {
    const { db } = await freshDb();
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(() => {
      throw new DOMException('The transaction is not active.', 'TransactionInactiveError');
    });
    await expect(db.deleteItems(['x'])).rejects.toThrow(/Could not delete the items/);
  });

  it('stores flat rows in chunks and reads them back as one array, deleting from any chunk', async () => {
    const { db, name } = await freshDb();
    const dim = 512;
    const per = chunkRows(dim);
    const n = 2 * per + 3;
    const rows = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) rows[i * dim] = i;
    const items = Array.from({ length: n }, (_, i) => {
      const { embedding, ...meta } = item(i + 1);
      void embedding;
      return { ...meta, kind: 'imported' as const };
    });
    await db.putRows({ items, rows, dim });
    // The caller's array is only read.
    expect(rows[5 * dim]).toBe(5);
    // Delete in the first, the middle and the last chunk, with a fresh connection that has not
    // read the data (it finds where each item is itself).
    db.close();
    const again = await openDataDb(name);
    opened.push(again);
    await again.deleteItems(['id-1', `id-${per + 2}`, `id-${n}`]);
    const back = await again.loadAll();
    expect(back.dim).toBe(dim);
    expect(back.items.length).toBe(n - 3);
    expect(back.items[0].id).toBe('id-2');
    expect(back.items.map((r) => r.seq)).toEqual(
      Array.from({ length: n }, (_, i) => i + 1).filter((s) => s !== 1 && s !== per + 2 && s !== n),
    );
    // Row i still belongs to item i: its first number is the item's seq − 1.
    back.items.forEach((r, i) => expect(back.embeddings[i * dim]).toBe(r.seq - 1));
    expect(back.stray).toEqual([]);
  });

  it('refuses rows that do not match their items, storing nothing', async () => {
    const { db } = await freshDb();
    const { embedding, ...meta } = item(1);
    void embedding;
    await expect(db.putRows({ items: [meta], rows: new Float32Array(5), dim: 3 })).rejects.toThrow(
      /1 items need 3 numbers, got 5/,
    );
    expect(records(await db.loadAll())).toEqual([]);
  });

  it('keeps the items a version 1 database saved (one record per item) and adds to them', async () => {
    const name = `data-test-${++dbCount}`;
    // A database as the page wrote it before chunks: version 1, one record per item.
    const v1 = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('items', { keyPath: 'id' }).createIndex('seq', 'seq');
      },
    });
    await v1.put('items', item(2));
    await v1.put('items', item(1, { kind: 'image', thumbnail: new Blob(['jpeg']), text: undefined })); // prettier-ignore
    await v1.put('items', item(3, { embedding: new Float32Array([1, 2]) })); // a stray size
    v1.close();

    const db = await openDataDb(name);
    opened.push(db);
    const back = await db.loadAll();
    expect(back.items.map((r) => r.id)).toEqual(['id-1', 'id-2']);
    expect(back.dim).toBe(3);
    expect(Array.from(back.embeddings)).toEqual([1, 1.5, -1, 2, 2.5, -2]);
    expect(back.items[0].thumbnail).toBeInstanceOf(Blob);
    expect('embedding' in back.items[0]).toBe(false);
    expect(back.stray).toEqual(['id-3']);

    // New items go to chunks after them; deletes reach both kinds; a reopen reads both again.
    await db.putItems([item(4), item(5)]);
    await db.deleteItems(['id-2', 'id-3', 'id-5']);
    db.close();
    const again = await openDataDb(name);
    opened.push(again);
    const later = await again.loadAll();
    expect(later.items.map((r) => r.id)).toEqual(['id-1', 'id-4']);
    expect(Array.from(later.embeddings)).toEqual([1, 1.5, -1, 4, 4.5, -4]);
    await again.clear();
    expect((await again.loadAll()).items).toEqual([]);
  });
});
