import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDataDb, StorageFullError, type DataDb, type StoredItem } from './dataDb.ts';

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
    const back = await again.loadAll();
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

    // The third put of the next batch hits the quota: the two before it must be rolled back.
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
    const failing = db.putItems([item(3), item(4), item(5)]);
    await expect(failing).rejects.toBeInstanceOf(StorageFullError);
    await expect(failing).rejects.toThrow(/storage is full/);
    vi.restoreAllMocks();

    expect((await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-2']);
    // The database still works afterwards.
    await db.putItems([item(6)]);
    expect((await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-2', 'id-6']);
  });

  it('stores a large batch whole, across many chunks, or none of it when a late chunk fails', async () => {
    const { db } = await freshDb();
    const many = Array.from({ length: 1_234 }, (_, i) => item(i + 1));
    await db.putItems(many);
    expect((await db.loadAll()).length).toBe(1_234);
    await db.clear();

    // The 1,000th put (a chunk well after the first) hits the quota: nothing of the batch stays.
    const realPut = IDBObjectStore.prototype.put;
    let calls = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      calls++;
      if (calls === 1_000) throw quotaError();
      return realPut.apply(this, args);
    });
    await expect(db.putItems(many)).rejects.toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect(await db.loadAll()).toEqual([]);
  });

  it('deletes by id, ignoring unknown ids, and clears', async () => {
    const { db } = await freshDb();
    await db.putItems([item(1), item(2), item(3)]);
    await db.deleteItems(['id-2', 'no-such-id']);
    expect((await db.loadAll()).map((r) => r.id)).toEqual(['id-1', 'id-3']);
    await db.clear();
    expect(await db.loadAll()).toEqual([]);
  });

  it('reports other write failures with the operation in the message', async () => {
    const { db } = await freshDb();
    vi.spyOn(IDBObjectStore.prototype, 'delete').mockImplementation(() => {
      throw new DOMException('The transaction is not active.', 'TransactionInactiveError');
    });
    await expect(db.deleteItems(['x'])).rejects.toThrow(/Could not delete the items/);
  });
});
