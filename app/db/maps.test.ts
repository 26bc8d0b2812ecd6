import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  cleanMapName,
  MapsDbError,
  openMapsDb,
  StorageFullError,
  type MapsDb,
  type SavedMapMeta,
} from './maps.ts';

let dbCount = 0;
const opened: MapsDb[] = [];
async function freshDb(): Promise<{ db: MapsDb; name: string }> {
  const name = `maps-test-${++dbCount}`;
  const db = await openMapsDb(name);
  opened.push(db);
  return { db, name };
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

function meta(id: string, savedAt: string, over: Partial<SavedMapMeta> = {}): SavedMapMeta {
  return {
    id,
    name: `map ${id}`,
    bytes: 0,
    savedAt,
    grid: { rows: 12, cols: 12, topology: 'rect' },
    dim: 512,
    itemCount: 3,
    withEmbeddings: true,
    withThumbnails: false,
    model: null,
    ...over,
  };
}

const fileOf = (n: number, fill: number) => new Uint8Array(n).fill(fill);

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

describe('MapsDb', () => {
  it('keeps maps and their metadata across a reopen, newest first, size taken from the file', async () => {
    const { db, name } = await freshDb();
    await db.save(meta('a', '2025-01-01T10:00:00.000Z'), fileOf(100, 1));
    await db.save(
      meta('b', '2025-01-02T10:00:00.000Z', { name: '  cats\nand dogs ' }),
      fileOf(7, 2),
    );
    db.close();

    const again = await openMapsDb(name);
    opened.push(again);
    const list = await again.list();
    expect(list.map((m) => [m.id, m.name, m.bytes])).toEqual([
      ['b', 'cats and dogs', 7],
      ['a', 'map a', 100],
    ]);
    expect(Array.from((await again.read('a'))!)).toEqual(Array.from(fileOf(100, 1)));
    expect(await again.read('missing')).toBeNull();
  });

  it('renames and deletes, ignoring unknown ids', async () => {
    const { db } = await freshDb();
    await db.save(meta('a', '2025-01-01T10:00:00.000Z'), fileOf(10, 1));
    await db.save(meta('b', '2025-01-02T10:00:00.000Z'), fileOf(10, 2));
    expect((await db.rename('a', 'renamed'))?.name).toBe('renamed');
    expect(await db.rename('missing', 'x')).toBeNull();
    await expect(db.rename('a', '   ')).rejects.toThrow(MapsDbError);
    await db.remove('b');
    await db.remove('missing');
    expect((await db.list()).map((m) => [m.id, m.name])).toEqual([['a', 'renamed']]);
    expect(await db.read('b')).toBeNull();
  });

  it('a full disk refuses the save with a clear message and loses nothing', async () => {
    const { db } = await freshDb();
    await db.save(meta('a', '2025-01-01T10:00:00.000Z'), fileOf(10, 1));
    // The file's put hits the quota after the metadata put was issued: both must roll back.
    const realPut = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'files') throw quotaError();
      return realPut.apply(this, args);
    });
    const failing = db.save(meta('b', '2025-01-02T10:00:00.000Z'), fileOf(10, 2));
    await expect(failing).rejects.toBeInstanceOf(StorageFullError);
    await expect(failing).rejects.toThrow(
      /storage is full, so the map "map b" could not be saved\. Nothing was changed/,
    );
    vi.restoreAllMocks();
    expect((await db.list()).map((m) => m.id)).toEqual(['a']);
    expect(await db.read('b')).toBeNull();
    // The library still works afterwards.
    await db.save(meta('c', '2025-01-03T10:00:00.000Z'), fileOf(3, 3));
    expect((await db.list()).map((m) => m.id)).toEqual(['c', 'a']);
  });

  it('a quota error raised when the transaction commits is reported the same way', async () => {
    const { db } = await freshDb();
    const realPut = IDBObjectStore.prototype.put;
    let aborted = false;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = realPut.apply(this, args);
      if (!aborted) {
        // Abort the transaction with the quota error, as a browser does when a commit fails.
        aborted = true;
        const tx = this.transaction;
        Object.defineProperty(tx, 'error', { value: quotaError(), configurable: true });
        tx.abort();
      }
      return request;
    });
    await expect(db.save(meta('x', '2025-01-01T00:00:00.000Z'), fileOf(5, 5))).rejects.toThrow(
      StorageFullError,
    );
    vi.restoreAllMocks();
    expect(await db.list()).toEqual([]);
  });

  it('cleans names: control characters become spaces, blank is refused, long is cut to 200', () => {
    expect(cleanMapName(' a\tb ')).toBe('a b');
    expect(() => cleanMapName('\n')).toThrow(/needs a name/);
    expect(Array.from(cleanMapName('é'.repeat(300))).length).toBe(200);
  });
});
