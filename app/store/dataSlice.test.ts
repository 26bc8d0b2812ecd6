import 'fake-indexeddb/auto';
import { npyHeaderBytes } from '../../src/io/npy.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { create, type StoreApi } from 'zustand';
import { chunkRows, openDataDb, StorageFullError, type DataDb } from '../db/dataDb.ts';
import type { EmbedClient } from '../workers/embedClient.ts';
import {
  describeFileError,
  IMPORTED_MODEL_ID,
  makeDataSlice,
  TRUNCATED_NOTE,
  type DataDeps,
  type DataHost,
} from './dataSlice.ts';

type Embedder = ReturnType<DataDeps['embedder']>;
interface Notice {
  kind: 'info' | 'error';
  text: string;
}

const DIM = 8;
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A deterministic unit vector for a string, so equal inputs give equal rows. */
function vectorFor(key: string, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  for (let j = 0; j < dim; j++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    v[j] = ((h >>> 0) % 1000) / 1000 - 0.5;
  }
  const norm = Math.hypot(...v);
  for (let j = 0; j < dim; j++) v[j] /= norm;
  return v;
}

interface FakeOptions {
  dim?: number;
  /** Resolve this promise before handling each image (to cancel mid-way). */
  gate?: () => Promise<void>;
}

/** An embedder that behaves like EmbedClient: per-item image results, refused corrupt files. */
function fakeEmbedder(options: FakeOptions = {}): Embedder {
  const dim = options.dim ?? DIM;
  const client: Pick<EmbedClient, 'embedTexts' | 'embedImages'> & {
    settings: Embedder['settings'];
  } = {
    settings: { modelId: 'fake/clip', dtype: 'auto', device: 'auto', modelFolder: '/models/' },
    async embedTexts(texts, opts = {}) {
      const vectors = new Float32Array(texts.length * dim);
      texts.forEach((t, i) => vectors.set(vectorFor(t, dim), i * dim));
      opts.onProgress?.(texts.length, texts.length);
      const truncated = texts.flatMap((t, i) => (t.split(' ').length > 20 ? [i] : []));
      return {
        modelId: 'fake/clip',
        dim,
        vectors,
        count: texts.length,
        truncated,
        cancelled: false,
      };
    },
    async embedImages(files, opts = {}) {
      const items: Parameters<NonNullable<typeof opts.onItem>>[0][] = [];
      const rows: Float32Array[] = [];
      for (let index = 0; index < files.length; index++) {
        await options.gate?.();
        if (opts.signal?.aborted) {
          return {
            modelId: 'fake/clip',
            dim,
            vectors: new Float32Array(0),
            items,
            cancelled: true,
          };
        }
        const file = files[index] as File;
        const body = await file.text();
        if (body === 'corrupt') {
          const item = {
            index,
            name: file.name,
            status: 'error' as const,
            error: 'The file is damaged or not an image this browser can read.',
          };
          items.push(item);
          opts.onItem?.(item, null, index + 1, files.length);
        } else {
          const v = vectorFor(body, dim);
          const item = {
            index,
            name: file.name,
            status: 'ok' as const,
            row: rows.length,
            width: 4,
            height: 4,
            thumbnail: new Blob([`thumb:${body}`], { type: 'image/jpeg' }),
          };
          rows.push(v);
          items.push(item);
          opts.onItem?.(item, v, index + 1, files.length);
        }
      }
      const vectors = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => vectors.set(r, i * dim));
      return { modelId: 'fake/clip', dim, vectors, items, cancelled: false };
    },
  };
  return client as Embedder;
}

let dbCount = 0;
const opened: DataDb[] = [];

interface Harness {
  store: StoreApi<DataHost>;
  notices: Notice[];
  dbName: string;
}

function makeStore(dbName: string, overrides: Partial<DataDeps> = {}): Harness {
  const notices: Notice[] = [];
  let ids = 0;
  const deps: DataDeps = {
    openDb: async () => {
      const db = await openDataDb(dbName);
      opened.push(db);
      return db;
    },
    embedder: () => fakeEmbedder(),
    newId: () => `${dbName}-item-${++ids}-${Math.random().toString(36).slice(2)}`,
    batch: { maxBatch: 2, delayMs: 1 },
    ...overrides,
  };
  const store = create<DataHost>()((set, get, api) => ({
    ...makeDataSlice(deps)(set, get, api),
    notify: (kind, text) => notices.push({ kind, text }),
  }));
  return { store, notices, dbName };
}

async function freshStore(overrides: Partial<DataDeps> = {}): Promise<Harness> {
  const h = makeStore(`slice-test-${++dbCount}`, overrides);
  await h.store.getState().loadData();
  return h;
}

/** A second store on the same database: what a reload of the page would show. */
async function reloaded(h: Harness): Promise<StoreApi<DataHost>> {
  const again = makeStore(h.dbName);
  await again.store.getState().loadData();
  return again.store;
}

function row(state: DataHost, i: number): number[] {
  const d = state.embeddingDim;
  return Array.from(state.embeddings.subarray(i * d, (i + 1) * d));
}

const imageFile = (name: string, body: string) => new File([body], name, { type: 'image/png' });

afterEach(() => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) db.close();
});

describe('data slice: texts', () => {
  it('adds one item per line with unit-length rows that survive a reload', async () => {
    const { store, ...h } = await freshStore();
    const added = await store.getState().addTexts('a cat\n\na dog\nthe sea', 'lines');
    expect(added).toBe(3);
    const s = store.getState();
    expect(s.items.map((i) => [i.kind, i.label, i.text, i.modelId])).toEqual([
      ['text', 'a cat', 'a cat', 'fake/clip'],
      ['text', 'a dog', 'a dog', 'fake/clip'],
      ['text', 'the sea', 'the sea', 'fake/clip'],
    ]);
    expect(s.embeddingDim).toBe(DIM);
    expect(s.embeddings.length).toBe(3 * DIM);
    for (let i = 0; i < 3; i++) expect(Math.hypot(...row(s, i))).toBeCloseTo(1, 5);
    expect(s.embedJob?.phase).toBe('finished');
    expect(s.embedJob?.done).toBe(3);

    const back = (await reloaded({ store, ...h })).getState();
    expect(back.items.map((i) => i.text)).toEqual(['a cat', 'a dog', 'the sea']);
    expect(back.items.map((i) => i.id)).toEqual(s.items.map((i) => i.id));
    expect(back.embeddingDim).toBe(DIM);
    for (let i = 0; i < 3; i++) expect(row(back, i)).toEqual(row(s, i));
  });

  it('keeps a whole paragraph as one item and notes text cut at the token limit', async () => {
    const { store } = await freshStore();
    const long = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    await store.getState().addTexts(`${long}\nsecond line`, 'paragraph');
    const items = store.getState().items;
    expect(items).toHaveLength(1);
    expect(items[0].text).toBe(`${long}\nsecond line`);
    expect(items[0].note).toBe(TRUNCATED_NOTE);
    expect(store.getState().embedJob?.entries[0].message).toBe(TRUNCATED_NOTE);
  });

  it('replaces the embeddings array rather than changing it in place', async () => {
    const { store } = await freshStore();
    await store.getState().addTexts('one', 'lines');
    const before = store.getState().embeddings;
    const copy = Array.from(before);
    await store.getState().addTexts('two', 'lines');
    expect(store.getState().embeddings).not.toBe(before);
    expect(Array.from(before)).toEqual(copy);
  });
});

describe('data slice: image files', () => {
  it('embeds the good files, names the corrupt one, and keeps folder labels and thumbnails', async () => {
    const { store, notices, ...h } = await freshStore();
    const added = await store
      .getState()
      .addFiles([
        { file: imageFile('a.png', 'red'), label: 'colours' },
        { file: imageFile('broken.png', 'corrupt'), label: 'colours' },
        { file: imageFile('sunset.jpg', 'orange') },
      ]);
    expect(added).toBe(2);
    const s = store.getState();
    expect(s.items.map((i) => [i.kind, i.label, i.source])).toEqual([
      ['image', 'colours', 'a.png'],
      ['image', 'sunset', 'sunset.jpg'],
    ]);
    expect(s.fileErrors).toEqual([
      {
        source: 'broken.png',
        message: 'The file is damaged or not an image this browser can read.',
      },
    ]);
    const errors = notices.filter((n) => n.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].text).toMatch(/broken\.png/);
    expect(s.embedJob).toMatchObject({ phase: 'finished', total: 3, done: 3, failed: 1 });
    expect(s.embedJob?.entries.map((e) => e.status)).toEqual(['done', 'failed', 'done']);

    const back = (await reloaded({ store, notices, ...h })).getState();
    expect(back.items.map((i) => i.label)).toEqual(['colours', 'sunset']);
    expect(await back.items[1].thumbnail?.text()).toBe('thumb:orange');
    expect(row(back, 1)).toEqual(Array.from(vectorFor('orange')));
  });

  it('keeps what was embedded before a cancel and marks the rest skipped', async () => {
    let release: () => void = () => undefined;
    let handled = 0;
    const gate = () =>
      new Promise<void>((resolve) => {
        handled++;
        if (handled <= 2) resolve();
        else release = resolve;
      });
    const { store } = await freshStore({ embedder: () => fakeEmbedder({ gate }) });
    const running = store
      .getState()
      .addFiles(['a', 'b', 'c', 'd'].map((n) => ({ file: imageFile(`${n}.png`, n) })));
    while (handled < 3) await tick();
    store.getState().cancelEmbedding();
    expect(store.getState().embedJob?.phase).toBe('cancelling');
    release();
    expect(await running).toBe(2);
    const s = store.getState();
    expect(s.items.map((i) => i.source)).toEqual(['a.png', 'b.png']);
    expect(s.embedJob?.phase).toBe('cancelled');
    expect(s.embedJob?.entries.map((e) => e.status)).toEqual([
      'done',
      'done',
      'skipped',
      'skipped',
    ]);
  });
});

describe('data slice: storage full', () => {
  it('shows a clear message and keeps store and database as they were', async () => {
    const { store, notices, ...h } = await freshStore();
    await store.getState().addTexts('kept one\nkept two', 'lines');
    const before = store.getState();

    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    });
    const added = await store.getState().addTexts('lost one\nlost two\nlost three', 'lines');
    vi.restoreAllMocks();

    expect(added).toBe(0);
    const after = store.getState();
    expect(after.items).toBe(before.items);
    expect(after.embeddings).toBe(before.embeddings);
    expect(after.embedJob?.phase).toBe('failed');
    const error = notices.find((n) => n.kind === 'error');
    expect(error?.text).toMatch(/storage is full/);
    expect(error?.text).toMatch(/everything saved before is safe/);

    const back = (await reloaded({ store, notices, ...h })).getState();
    expect(back.items.map((i) => i.text)).toEqual(['kept one', 'kept two']);
  });
});

describe('data slice: import', () => {
  const csv = (rows: number[][]) => rows.map((r) => r.join(',')).join('\n');

  it('imports rows with their labels file, normalised to unit length', async () => {
    const { store, ...h } = await freshStore();
    const file = new File(
      [
        csv([
          [3, 4, 0],
          [0, 0, 2],
        ]),
      ],
      'mine.csv',
      { type: 'text/csv' },
    );
    const labels = new File(['first\nsecond\n'], 'mine.labels.txt');
    expect(await store.getState().importEmbeddings(file, labels)).toBe(2);
    const s = store.getState();
    expect(s.items.map((i) => [i.kind, i.label, i.modelId, i.source])).toEqual([
      ['imported', 'first', IMPORTED_MODEL_ID, 'mine.csv'],
      ['imported', 'second', IMPORTED_MODEL_ID, 'mine.csv'],
    ]);
    expect(s.embeddingDim).toBe(3);
    expect(row(s, 0)[0]).toBeCloseTo(0.6, 6);
    expect(row(s, 0)[1]).toBeCloseTo(0.8, 6);
    expect(row(s, 1)[2]).toBeCloseTo(1, 6);
    const back = (await reloaded({ store, ...h })).getState();
    expect(back.items.map((i) => i.label)).toEqual(['first', 'second']);
  });

  it('adds rows already in memory (a map’s items) with their labels and model, leaving the caller’s array as it was', async () => {
    const { store, notices, ...h } = await freshStore();
    const data = new Float32Array([3, 4, 0, 0, 0, 2]);
    const added = await store
      .getState()
      .importRows({ data, n: 2, d: 3, labels: ['cat', 'dog'] }, 'atlas items', {
        modelId: 'some/model',
        sourceName: 'The atlas',
        quiet: true,
      });
    expect(added).toBe(2);
    const s = store.getState();
    expect(s.items.map((i) => [i.label, i.modelId, i.source])).toEqual([
      ['cat', 'some/model', 'The atlas'],
      ['dog', 'some/model', 'The atlas'],
    ]);
    expect(row(s, 0)[1]).toBeCloseTo(0.8, 6);
    expect(Array.from(data)).toEqual([3, 4, 0, 0, 0, 2]);
    expect(notices).toEqual([]);
    const back = (await reloaded({ store, notices, ...h })).getState();
    expect(back.items.map((i) => i.label)).toEqual(['cat', 'dog']);
  });

  it('refuses in-memory rows whose shape or labels do not add up, adding nothing', async () => {
    const { store, notices } = await freshStore();
    const rows = { data: new Float32Array(5), n: 2, d: 3 };
    expect(await store.getState().importRows(rows, 'odd rows')).toBe(0);
    const labelled = { data: new Float32Array([1, 0, 0]), n: 1, d: 3, labels: ['a', 'b'] };
    expect(await store.getState().importRows(labelled, 'odd labels')).toBe(0);
    expect(store.getState().items).toEqual([]);
    expect(notices.map((n) => n.text)).toEqual([
      'odd rows holds 5 numbers, not 2 rows of 3; nothing was added.',
      'odd labels has 2 labels for 1 row; nothing was added.',
    ]);
  });

  it('refuses a file of another dimension and keeps every item there', async () => {
    const { store, notices } = await freshStore();
    await store.getState().addTexts('a cat\na dog', 'lines');
    const before = store.getState();
    const wrong = new File([csv([[0.5, 0.2, 0.1]])], 'wrong.csv');
    expect(await store.getState().importEmbeddings(wrong)).toBe(0);
    expect(store.getState().items).toBe(before.items);
    expect(store.getState().embeddings).toBe(before.embeddings);
    const error = notices.find((n) => n.kind === 'error')?.text ?? '';
    expect(error).toMatch(/wrong\.csv gives 3-dimensional embeddings/);
    expect(error).toMatch(/8-dimensional/);
    expect(error).toMatch(/your 2 items are unchanged/);
  });

  it('refuses, into an empty dataset, vectors the current map cannot place', async () => {
    const { store, notices } = await freshStore();
    store.setState({ map: { som: { dim: 512 } } });
    const file = new File([csv([[0.5, 0.2, 0.1]])], 'small.csv');
    expect(await store.getState().importEmbeddings(file)).toBe(0);
    expect(store.getState().items).toEqual([]);
    expect(notices.find((n) => n.kind === 'error')?.text ?? '').toMatch(
      /small\.csv gives 3-dimensional embeddings, but the current map was trained on 512-dimensional ones/,
    );
  });

  it('refuses, before reading it, a .npy file larger than the page holds, and keeps the data', async () => {
    const { store, notices } = await freshStore();
    await store.getState().importEmbeddings(new File([csv([[1, 0, 0]])], 'three.csv'));
    const before = store.getState();
    // Only the header is real: the refusal must come from it, without reading the rows.
    const header = npyHeaderBytes([1_000_000, 512], 'f4');
    const huge = new File([header as BlobPart], 'huge.npy');
    expect(await store.getState().importEmbeddings(huge)).toBe(0);
    expect(store.getState().items).toBe(before.items);
    expect(store.getState().embeddings).toBe(before.embeddings);
    const text = notices.at(-1)?.text ?? '';
    expect(text).toMatch(
      /huge\.npy has 1,000,000 rows of 512 numbers: more than this page can hold/,
    );
    expect(text).toMatch(/sdr train huge\.npy/);
    expect(text).toMatch(/Nothing was changed\./);
  });

  it('refuses a labels file whose count does not match', async () => {
    const { store, notices } = await freshStore();
    const file = new File(
      [
        csv([
          [1, 0],
          [0, 1],
        ]),
      ],
      'two.csv',
    );
    const labels = new File(['only one'], 'two.txt');
    expect(await store.getState().importEmbeddings(file, labels)).toBe(0);
    expect(store.getState().items).toEqual([]);
    expect(notices.at(-1)?.text).toMatch(/two\.txt has 1 label but two\.csv has 2 rows/);
  });

  it('refuses an unreadable file with a message naming it', async () => {
    const { store, notices } = await freshStore();
    const junk = new File([new Uint8Array([0x93, 0x4e, 0x55, 1, 2])], 'junk.npy');
    expect(await store.getState().importEmbeddings(junk)).toBe(0);
    expect(notices.at(-1)?.text).toMatch(/junk\.npy/);
  });

  it('refuses model embeddings of another dimension than the dataset', async () => {
    const { store, notices } = await freshStore({ embedder: () => fakeEmbedder({ dim: 5 }) });
    await store.getState().importEmbeddings(new File([csv([[1, 0, 0]])], 'three.csv'));
    expect(await store.getState().addTexts('a cat', 'lines')).toBe(0);
    expect(store.getState().items).toHaveLength(1);
    expect(store.getState().embedJob?.phase).toBe('failed');
    expect(notices.at(-1)?.text).toMatch(/The model gives 5-dimensional embeddings/);
  });

  it('checks a dimension against a map on request, without blocking imports', async () => {
    const { store } = await freshStore();
    expect(store.getState().checkEmbeddingDim(3, 'x.csv', 512)).toMatch(
      /trained on 512-dimensional/,
    );
    expect(store.getState().checkEmbeddingDim(512, 'x.csv', 512)).toBeNull();
    expect(await store.getState().importEmbeddings(new File([csv([[1, 0, 0]])], 'x.csv'))).toBe(1);
    expect(store.getState().checkEmbeddingDim(4, 'y.csv')).toMatch(/dataset's are 3-dimensional/);
  });
});

describe('data slice: removing and selecting', () => {
  it('removes items with their rows, from the store, the selection and the database', async () => {
    const { store, ...h } = await freshStore();
    await store.getState().addTexts('zero\none\ntwo\nthree', 'lines');
    const s = store.getState();
    const [a, b, c, d] = s.items.map((i) => i.id);
    const rowsBefore = [0, 1, 2, 3].map((i) => row(s, i));
    s.setSelectedItems([b, d, 'no-such-id', b]);
    expect(store.getState().selectedItemIds).toEqual([b, d]);
    store.getState().toggleItemSelected(a);
    store.getState().toggleItemSelected(d);
    expect(store.getState().selectedItemIds).toEqual([b, a]);

    expect(await store.getState().removeItems([b, c])).toBe(2);
    const after = store.getState();
    expect(after.items.map((i) => i.id)).toEqual([a, d]);
    expect(row(after, 0)).toEqual(rowsBefore[0]);
    expect(row(after, 1)).toEqual(rowsBefore[3]);
    expect(after.selectedItemIds).toEqual([a]);
    const back = (await reloaded({ store, ...h })).getState();
    expect(back.items.map((i) => i.text)).toEqual(['zero', 'three']);

    await store.getState().clearData();
    expect(store.getState().items).toEqual([]);
    expect(store.getState().embeddingDim).toBe(0);
    expect((await reloaded({ store, ...h })).getState().items).toEqual([]);
  });
});

describe('data slice: a large import', () => {
  /** More rows than one chunk holds (shown before they are written), each with its index first. */
  function largeRows(d: number) {
    const n = chunkRows(d) + 1;
    const data = new Float32Array(n * d);
    for (let i = 0; i < n; i++) data[i * d] = i + 1;
    return { data, n, d };
  }

  /** CLIP-sized rows, from an embedder of the same size: ~2,000 rows make more than a chunk. */
  const WIDE = 512;

  /** A database whose putRows of more than a chunk waits for `release(ok)`, then stores or fails. */
  function gatedDb(dbName: string) {
    let release: (ok: boolean) => void = () => {};
    const gate = new Promise<boolean>((r) => (release = r));
    const openDb = async () => {
      const db = await openDataDb(dbName);
      opened.push(db);
      const gated: DataDb = {
        loadAll: () => db.loadAll(),
        putItems: (items) => db.putItems(items),
        putRows: async (batch) => {
          if (batch.items.length <= chunkRows(batch.dim)) return db.putRows(batch);
          if (!(await gate)) {
            throw new StorageFullError("The browser's storage is full, so the rows could not be saved."); // prettier-ignore
          }
          return db.putRows(batch);
        },
        deleteItems: (ids) => db.deleteItems(ids),
        clear: () => db.clear(),
        close: () => db.close(),
      };
      return gated;
    };
    return { openDb, release: (ok: boolean) => release(ok) };
  }

  it('shows the rows while they are written, then keeps them across a reload', async () => {
    const dbName = `slice-test-${++dbCount}`;
    const gate = gatedDb(dbName);
    const h = makeStore(dbName, {
      openDb: gate.openDb,
      embedder: () => fakeEmbedder({ dim: WIDE }),
    });
    await h.store.getState().loadData();
    await h.store.getState().addTexts('already here', 'lines');
    const rows = largeRows(WIDE);
    const pending = h.store.getState().importRows(rows, 'big.npy');
    await vi.waitFor(() => expect(h.store.getState().savingItems).toBe(rows.n));
    // Usable before it is stored: every row listed and in the flat array, normalised.
    const s = h.store.getState();
    expect(s.items).toHaveLength(rows.n + 1);
    expect(s.items.at(-1)?.label).toBe(`big #${rows.n}`);
    expect(row(s, rows.n)[0]).toBeCloseTo(1, 6);
    // A reload now would not have them yet.
    expect((await reloaded(h)).getState().items).toHaveLength(1);
    gate.release(true);
    expect(await pending).toBe(rows.n);
    expect(h.store.getState().savingItems).toBe(0);
    expect(h.notices.at(-1)?.text).toMatch(/^Imported \d+ embeddings/);
    const back = (await reloaded(h)).getState();
    expect(back.items.map((i) => i.label)).toEqual(s.items.map((i) => i.label));
    expect(Array.from(back.embeddings)).toEqual(Array.from(s.embeddings));
  });

  it('goes back to what was there when the write fails, and says so', async () => {
    const dbName = `slice-test-${++dbCount}`;
    const gate = gatedDb(dbName);
    const h = makeStore(dbName, {
      openDb: gate.openDb,
      embedder: () => fakeEmbedder({ dim: WIDE }),
    });
    await h.store.getState().loadData();
    await h.store.getState().addTexts('kept one\nkept two', 'lines');
    const before = h.store.getState();
    const rows = largeRows(WIDE);
    const pending = h.store.getState().importRows(rows, 'big.npy');
    await vi.waitFor(() => expect(h.store.getState().savingItems).toBe(rows.n));
    const shown = h.store.getState().items;
    h.store.getState().setSelectedItems([shown[0].id, shown.at(-1)!.id]);
    gate.release(false);
    expect(await pending).toBe(0);
    const after = h.store.getState();
    expect(after.items).toBe(before.items);
    expect(after.embeddings).toBe(before.embeddings);
    expect(after.embeddingDim).toBe(before.embeddingDim);
    expect(after.selectedItemIds).toEqual([shown[0].id]);
    expect(after.savingItems).toBe(0);
    const error = h.notices.find((n) => n.kind === 'error');
    expect(error?.text).toMatch(/storage is full/);
    expect(error?.text).toMatch(/big.npy was not imported; everything saved before is safe/);
    const back = (await reloaded(h)).getState();
    expect(back.items.map((i) => i.text)).toEqual(['kept one', 'kept two']);
  });
});

describe('data slice: loading', () => {
  it('drops saved rows of a stray size, says so, and keeps the rest', async () => {
    const name = `slice-test-${++dbCount}`;
    const db = await openDataDb(name);
    opened.push(db);
    const base = { kind: 'text' as const, source: '', modelId: 'm' };
    await db.putItems([
      { ...base, id: 'a', seq: 1, label: 'a', embedding: new Float32Array([1, 0]) },
      { ...base, id: 'b', seq: 2, label: 'b', embedding: new Float32Array([1, 0, 0]) },
      { ...base, id: 'c', seq: 3, label: 'c', embedding: new Float32Array([0, 1]) },
    ]);
    const h = makeStore(name);
    await h.store.getState().loadData();
    expect(h.store.getState().items.map((i) => i.id)).toEqual(['a', 'c']);
    expect(Array.from(h.store.getState().embeddings)).toEqual([1, 0, 0, 1]);
    expect(h.notices[0].text).toMatch(/1 saved item had embeddings of another size/);
    expect((await db.loadAll()).items.map((r) => r.id)).toEqual(['a', 'c']);
  });
});

describe('data slice: without storage', () => {
  it('still works in memory and says data will not be kept', async () => {
    const { store, notices } = await freshStore({
      openDb: () => Promise.reject(new Error('IndexedDB is blocked in private mode.')),
    });
    expect(store.getState().dataStatus).toBe('unsaved');
    expect(notices[0].text).toMatch(/blocked in private mode.*gone after a reload/);
    expect(await store.getState().addTexts('still here', 'lines')).toBe(1);
    expect(store.getState().items).toHaveLength(1);
  });
});

describe('describeFileError', () => {
  it('names the file exactly once', () => {
    expect(describeFileError({ source: 'a.png', message: 'Not an image.' })).toBe(
      'a.png: Not an image.',
    );
    expect(
      describeFileError({ source: 'a.png', message: 'a.png was skipped: it is truncated.' }),
    ).toBe('a.png was skipped: it is truncated.');
  });
});
