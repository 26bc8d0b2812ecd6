/**
 * The data slice: the dataset of items (images, texts, imported rows) and their embeddings.
 *
 * ── For other views (stable; build on these) ──
 *
 *   items: readonly DataItem[]      item metadata; item i owns embedding row i
 *   embeddings: Float32Array        ONE flat n·d array, unit-length rows, replaced (never mutated)
 *                                   whenever items come or go; compare by reference
 *   embeddingDim: number            d, or 0 while the dataset is empty
 *   selectedItemIds: readonly string[]
 *   checkEmbeddingDim(d, source, mapDim?)  why d-dim embeddings cannot join (null if they can)
 *   actions: loadData, addTexts, addFiles, importEmbeddings, cancelEmbedding, removeItems,
 *            clearData, setSelectedItems, toggleItemSelected, dismissFileErrors
 *
 * Every change goes through one queue. Embeddings streaming out of the worker are gathered
 * into batches, each stored in IndexedDB first and shown once stored: one transaction and one
 * store update per batch. An import of a file is shown first and stored after (100,000 rows
 * take seconds to write): `savingItems` says how many rows are being written, and if the write
 * fails the store goes back to what it held before, which is what the database still holds.
 */
import type { StateCreator } from 'zustand';
import type { ViewSlice } from './viewSlice.ts';
import {
  chunkRows,
  openDataDb,
  StorageFullError,
  type DataDb,
  type ItemKind,
  type SavedItem,
  type StoredItem,
} from '../db/dataDb.ts';
import { getEmbedClient, type EmbedClient } from '../workers/embedClient.ts';
import { Batcher } from '../lib/batcher.ts';
import { SerialQueue } from '../lib/serialQueue.ts';
import { createEmbedQueue, type EmbedQueue } from '../services/embedQueue.ts';
import { appendRows, copyRow, filterRows } from '../lib/flatRows.ts';
import { dimensionProblem } from '../lib/dimensionCheck.ts';
import { importSizeProblem, MAX_TEXT_FILE_BYTES, peekNpyShape } from '../lib/importLimit.ts';
import { mapModelDiffers, modelMixProblem, UNKNOWN_MODEL_ID } from '../lib/provenance.ts';
import { describeMapModel } from '../lib/builtinAtlas.ts';
import { splitTextItems, textLabel, type TextMode } from '../lib/textItems.ts';
import { stemOf, type LabelledFile } from '../lib/fileKinds.ts';
import { readEmbeddings, readLabels, normalizeRows } from '../../src/index.ts';
import { cleanText, errorMessage } from '../../src/index.ts';

export type { ItemKind };

/**
 * One item of the dataset: what the database stores for it (app/db/dataDb.ts), less its
 * embedding, which is row `items.indexOf(item)` of the one flat `embeddings` array. Images
 * dropped in folders are labelled with the folder name; thumbnails become object URLs through
 * app/lib/useObjectUrl.ts.
 */
export type DataItem = SavedItem;

/** The model id imported embeddings carry: the app cannot know which model made them. */
export const IMPORTED_MODEL_ID = UNKNOWN_MODEL_ID;

/** The note a text item gets when the model cut it at its token limit. */
export const TRUNCATED_NOTE = "Longer than CLIP's 77-token limit: only the start was embedded.";

type JobEntryStatus = 'waiting' | 'done' | 'failed' | 'skipped';

/** One input of an embedding job, for per-item progress. */
export interface JobEntry {
  readonly name: string;
  readonly status: JobEntryStatus;
  /** Why it failed, or a note such as the token limit. */
  readonly message?: string;
}

/** Where imported rows come from, when the page knows more than the file does. */
interface ImportOptions {
  /** The model that made the rows (a map file records it); default: unknown. */
  readonly modelId?: string;
  /** What the items' cards and the message call their source; default the file name. */
  readonly sourceName?: string;
  /** No message when they are in (the caller shows what happened). Default false. */
  readonly quiet?: boolean;
}

export interface EmbedJob {
  readonly id: number;
  readonly kind: 'image' | 'text';
  readonly phase: 'running' | 'cancelling' | 'finished' | 'cancelled' | 'failed';
  readonly total: number;
  /** Inputs handled so far (embedded or refused). */
  readonly done: number;
  readonly failed: number;
  readonly entries: readonly JobEntry[];
  /** Why the job stopped, when it failed. */
  readonly message?: string;
}

/** A file that could not be used, with the reason, until the person dismisses the list. */
export interface FileError {
  readonly source: string;
  readonly message: string;
}

/** n rows of d numbers (n·d in `data`), with n labels or none. */
interface EmbeddingRows {
  readonly data: Float32Array;
  readonly n: number;
  readonly d: number;
  readonly labels?: readonly string[];
}

export interface DataSlice {
  items: readonly DataItem[];
  embeddings: Float32Array;
  embeddingDim: number;
  /** 'loading' until the saved dataset is read; 'unsaved' when this browser cannot keep data. */
  dataStatus: 'loading' | 'ready' | 'unsaved';
  /**
   * Items shown but still being written to IndexedDB (an import), 0 when none: a reload now
   * would not have them.
   */
  savingItems: number;
  selectedItemIds: readonly string[];
  /** The embedding job running now, or the last one (kept to show its outcome). */
  embedJob: EmbedJob | null;
  /** Jobs waiting for the current one to finish. */
  queuedJobs: number;
  fileErrors: readonly FileError[];

  /** Read the saved dataset (once; later calls return the same promise). */
  loadData: () => Promise<void>;
  /**
   * Embed texts and add them. A string is split by `mode` ('lines': one item per line;
   * 'paragraph': all of it is one item); an array gives one item per entry in 'lines' mode, or
   * one item of its entries joined by line breaks in 'paragraph' mode. Resolves to the number
   * of items added.
   */
  addTexts: (input: string | readonly string[], mode: TextMode, source?: string) => Promise<number>;
  /** Embed image files (label: their folder name, else the file stem). Resolves to items added. */
  addFiles: (files: readonly LabelledFile[]) => Promise<number>;
  /**
   * Import embeddings made elsewhere (.npy, CSV, JSON), with an optional labels file (one label
   * a line). All rows or none: a bad file or a dimension mismatch is refused with a message
   * and nothing already there changes. Resolves to the number of items added. `quiet`: no
   * message on success (default false), for a caller that says what happened in its own words
   * (a map's items joining the data: the file is the page's own, its name means nothing).
   */
  importEmbeddings: (file: File, labelsFile?: File, options?: ImportOptions) => Promise<number>;
  /**
   * importEmbeddings for rows already in memory (a map's items): n·d numbers in `data` (copied,
   * then normalised), with `labels` (n, or absent: "`name` #i"). `name` stands for the file name
   * in messages and cards.
   */
  importRows: (rows: EmbeddingRows, name: string, options?: ImportOptions) => Promise<number>;
  /** Stop the running embedding job (what is embedded so far is kept) and drop queued ones. */
  cancelEmbedding: () => void;
  /** Delete items by id. Resolves to the number deleted. */
  removeItems: (ids: readonly string[]) => Promise<number>;
  /** Delete every item (and stop embedding). */
  clearData: () => Promise<void>;
  setSelectedItems: (ids: readonly string[]) => void;
  toggleItemSelected: (id: string) => void;
  dismissFileErrors: () => void;
  /**
   * Why `dim`-dimensional embeddings from `source` cannot join the dataset, or be placed on a
   * map of `mapDim` dimensions when one is given; null if they can. Imports and embedding jobs
   * check the dataset only: a map of another dimension does not stop a person from collecting
   * data to train a new map on; views that place items on the map pass its dimension.
   */
  checkEmbeddingDim: (dim: number, source: string, mapDim?: number | null) => string | null;
}

/** The parts of the store the data slice uses besides its own. */
/** What the data slice reads from the rest of the store: messages, and the current map's dimension. */
export type DataHost = DataSlice &
  Pick<ViewSlice, 'notify'> & {
    readonly map?: {
      readonly som: { readonly dim: number };
      /** The model the map was made from (provenance), or null/absent when unknown. */
      readonly model?: string | null;
    } | null;
    readonly mapSource?: { readonly kind: string } | null;
    /** Close the current map (the map slice's action; absent in tests of this slice alone). */
    readonly closeMap?: () => void;
  };

/** What the slice needs from the outside; tests pass fakes. */
export interface DataDeps {
  /** Open the database; a rejection leaves the page working without saving. */
  readonly openDb: () => Promise<DataDb>;
  readonly embedder: () => Pick<EmbedClient, 'embedTexts' | 'embedImages' | 'settings'>;
  readonly newId: () => string;
  /** Texts per embedTexts call: progress is saved after each. Default 128, at least 1. */
  readonly textChunk?: number;
  /** Batching of database writes (see app/lib/batcher.ts). */
  readonly batch?: { readonly maxBatch?: number; readonly delayMs?: number };
  /** The queue embedding jobs run on; default a queue of this slice's own. */
  readonly queue?: EmbedQueue;
}

/** A refusal (dimension mismatch, unusable file) whose message is meant for the person. */
class DataInputError extends Error {
  override name = 'DataInputError';
}

type NewRecord = Omit<StoredItem, 'id' | 'seq'>;
type NewItem = Omit<SavedItem, 'id' | 'seq'>;

/** New items and their rows (n·d, handed over: the store may keep the array itself). */
interface NewRows {
  readonly items: readonly NewItem[];
  readonly rows: Float32Array;
  readonly d: number;
}

/** An item's metadata without its embedding, and without keys whose value is undefined. */
function metaOf(r: NewRecord): NewItem {
  const item: NewItem = { kind: r.kind, label: r.label, source: r.source, modelId: r.modelId };
  return {
    ...item,
    ...(r.text !== undefined ? { text: r.text } : {}),
    ...(r.thumbnail !== undefined ? { thumbnail: r.thumbnail } : {}),
    ...(r.note !== undefined ? { note: r.note } : {}),
  };
}

/** Records with their own rows (an embedding job's batch) as NewRows, or the lengths that differ. */
function packRecords(records: readonly NewRecord[]): NewRows | { mismatch: [number, number] } {
  const d = records.length > 0 ? records[0].embedding.length : 0;
  const odd = records.find((r) => r.embedding.length !== d);
  if (odd) return { mismatch: [d, odd.embedding.length] };
  const rows = appendRows(
    new Float32Array(0),
    Math.max(1, d),
    records.map((r) => r.embedding),
  );
  return { items: records.map(metaOf), rows, d };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const MAX_FILE_ERRORS = 200;

/** One line for a file error, naming the file once (the worker's reasons often name it already). */
export function describeFileError(error: FileError): string {
  return error.message.includes(error.source) ? error.message : `${error.source}: ${error.message}`;
}

/** The slice, with its outside world given (tests pass fakes; the page uses `createDataSlice`). */
export function makeDataSlice(deps: DataDeps): StateCreator<DataHost, [], [], DataSlice> {
  const textChunk = deps.textChunk ?? 128;
  if (!Number.isInteger(textChunk) || textChunk < 1) {
    throw new RangeError(`textChunk must be a whole number of at least 1, got ${textChunk}`);
  }
  return (set, get) => {
    // Database writes and the store updates that follow them run one at a time, in order.
    const dbQueue = new SerialQueue();
    // Embedding jobs run one at a time; a cancel drops the queued ones too (app/services).
    const jobQueue = deps.queue ?? createEmbedQueue();
    let db: DataDb | null = null;
    let loading: Promise<void> | null = null;
    let nextSeq = 1;

    const notify = (kind: 'info' | 'error', text: string) => get().notify(kind, text);

    const checkDim = (dim: number, source: string, mapDim: number | null = null): string | null => {
      const s = get();
      return dimensionProblem(dim, source, {
        datasetDim: s.embeddingDim,
        datasetSize: s.items.length,
        mapDim,
      });
    };

    const loadData = (): Promise<void> => {
      loading ??= dbQueue.run(async () => {
        try {
          db = await deps.openDb();
        } catch (error) {
          set({ dataStatus: 'unsaved' });
          notify('error', `${errorMessage(error)} Items you add now will be gone after a reload.`);
          return;
        }
        let saved: Awaited<ReturnType<DataDb['loadAll']>>;
        try {
          saved = await db.loadAll();
        } catch (error) {
          db = null;
          set({ dataStatus: 'unsaved' });
          notify('error', `${errorMessage(error)} Items you add now will not be saved.`);
          return;
        }
        if (saved.stray.length > 0) {
          // Repair rather than refuse: rows of another size cannot share the flat array.
          await db.deleteItems(saved.stray).catch(() => undefined);
          notify(
            'error',
            `${plural(saved.stray.length, 'saved item')} had embeddings of another size than the rest and were removed.`,
          );
        }
        for (const item of saved.items) nextSeq = Math.max(nextSeq, item.seq + 1);
        set({
          items: saved.items,
          embeddings: saved.embeddings,
          embeddingDim: saved.dim,
          dataStatus: 'ready',
        });
      });
      return loading;
    };

    /**
     * Store `batch` and show it, as one step on the database queue: stored first, then shown
     * (`showFirst` false: an embedding job's batch), or shown first, then stored (`showFirst`:
     * an import, usable while it is written), going back to the store as it was when the write
     * fails. Throws DataInputError on a dimension mismatch and StorageFullError when the disk is
     * full; either way the database and, once it returns, the store are as they were.
     */
    const commit = (batch: NewRows, source: string, showFirst: boolean): Promise<number> =>
      dbQueue.run(async () => {
        const n = batch.items.length;
        if (n === 0) return 0;
        const { d } = batch;
        const problem = checkDim(d, source);
        if (problem) throw new DataInputError(problem);
        // Provenance: one model per dataset and map (app/lib/provenance.ts).
        const incoming = batch.items[0].modelId;
        const { map, mapSource } = get();
        const mapModel = map?.model ?? null;
        const mix = modelMixProblem(incoming, source, {
          mapModel,
          mapModelLabel: map ? describeMapModel(map, mapSource?.kind === 'builtin') : null,
          datasetModels: get().items.map((item) => item.modelId),
        });
        if (mix) throw new DataInputError(mix);
        if (map && get().items.length === 0 && mapModelDiffers(incoming, mapModel)) {
          // An empty dataset starts over in the new model's space: the map of another model
          // closes (the built-in atlas is one click away) rather than place these rows on it.
          get().closeMap?.();
          notify(
            'info',
            `Your items come from ${incoming}, the map from ${describeMapModel(map, mapSource?.kind === 'builtin') ?? mapModel}, so the map was closed: train a map on your items in the Map tab.`,
          );
        }
        const items: DataItem[] = new Array<DataItem>(n);
        for (let i = 0; i < n; i++) {
          items[i] = { id: deps.newId(), seq: nextSeq++, ...batch.items[i] };
        }
        const stored = { items, rows: batch.rows, dim: d };
        const show = () =>
          set((s) => {
            const embeddings =
              s.embeddings.length === 0 ? batch.rows : new Float32Array(s.embeddings.length + n * d); // prettier-ignore
            if (embeddings !== batch.rows) {
              embeddings.set(s.embeddings, 0);
              embeddings.set(batch.rows, s.embeddings.length);
            }
            return { items: s.items.concat(items), embeddings, embeddingDim: d };
          });
        // Marks for `npm run bench` (bench/importBench.ts): rows in the store, rows stored.
        if (!showFirst) {
          if (db) await db.putRows(stored);
          performance.mark('sdr:import:saved');
          show();
          performance.mark('sdr:import:usable');
          return n;
        }
        const before = get();
        show();
        performance.mark('sdr:import:usable');
        if (db) {
          set({ savingItems: n });
          try {
            await db.putRows(stored);
          } catch (error) {
            // Nothing else changed the dataset meanwhile (every change waits on this queue).
            const added = new Set(items.map((item) => item.id));
            set((s) => ({
              items: before.items,
              embeddings: before.embeddings,
              embeddingDim: before.embeddingDim,
              selectedItemIds: s.selectedItemIds.filter((id) => !added.has(id)),
            }));
            throw error;
          } finally {
            set({ savingItems: 0 });
          }
        }
        performance.mark('sdr:import:saved');
        return n;
      });

    /**
     * Add n rows of `rows.data` (n·d, normalised here in place: the caller hands over an array
     * of its own) with their labels; `name` names the rows in messages and, unless
     * options.sourceName says otherwise, on the items' cards; `labelsName` is the labels file's.
     * All rows or none, with a message either way unless options.quiet.
     */
    const addRows = async (
      rows: EmbeddingRows,
      name: string,
      labelsName: string | null,
      options: ImportOptions,
    ): Promise<number> => {
      const refuse = (message: string) => {
        notify('error', message);
        return 0;
      };
      const { n, d } = rows;
      // Imported vectors come from elsewhere: refuse any the current map cannot place.
      const problem = checkDim(d, name, get().map?.som.dim ?? null);
      if (problem) return refuse(problem);
      const unit = rows.data;
      try {
        normalizeRows(unit, n, d);
      } catch (error) {
        return refuse(`Could not import ${name}: ${errorMessage(error)}`);
      }
      const stem = stemOf(name);
      const sourceName = options.sourceName ?? name;
      const modelId = options.modelId ?? IMPORTED_MODEL_ID;
      const items: NewItem[] = new Array<NewItem>(n);
      for (let i = 0; i < n; i++) {
        items[i] = {
          kind: 'imported',
          label: rows.labels?.[i] ?? `${stem} #${i + 1}`,
          source: sourceName,
          modelId,
        };
      }
      try {
        // The rows are handed over whole: the store keeps `unit` itself when the dataset was empty.
        // More than one chunk of rows is shown before it is written (seconds at 100,000 rows);
        // fewer are written first, in a fraction of a second, so the page never shows what a
        // reload right after would not.
        const showFirst = n > chunkRows(d);
        const added = await commit({ items, rows: unit, d }, sourceName, showFirst);
        if (!options.quiet)
          notify(
            'info',
            `Imported ${plural(added, 'embedding')} (${d}-d) from ${sourceName}${labelsName ? ` with labels from ${labelsName}` : ''}.`,
          );
        return added;
      } catch (error) {
        return refuse(
          error instanceof StorageFullError
            ? `${error.message} ${name} was not imported; everything saved before is safe.`
            : errorMessage(error),
        );
      }
    };

    const updateJob = (id: number, change: (job: EmbedJob) => Partial<EmbedJob>) =>
      set((s) =>
        s.embedJob && s.embedJob.id === id
          ? { embedJob: { ...s.embedJob, ...change(s.embedJob) } }
          : {},
      );

    const setEntry = (id: number, index: number, entry: JobEntry) =>
      updateJob(id, (job) => {
        const before = job.entries[index];
        if (!before) return {};
        const entries = job.entries.slice();
        entries[index] = entry;
        const wasOpen = before.status === 'waiting';
        return {
          entries,
          done: job.done + (wasOpen && entry.status !== 'waiting' ? 1 : 0),
          failed: job.failed + (entry.status === 'failed' && before.status !== 'failed' ? 1 : 0),
        };
      });

    /**
     * Queue an embedding job. `work` gets the job id, an abort signal, and `save`: hand it
     * records as they come; they are stored in batches. A failed save stops the job (the disk is
     * full or the model's dimension does not fit: later batches would fail the same way).
     */
    const runJob = (
      kind: 'image' | 'text',
      names: readonly string[],
      work: (jobId: number, signal: AbortSignal, save: (r: NewRecord) => void) => Promise<void>,
    ): Promise<number> => {
      set((s) => ({ queuedJobs: s.queuedJobs + 1 }));
      return jobQueue.run(async (ticket) => {
        set((s) => ({ queuedJobs: Math.max(0, s.queuedJobs - 1) }));
        if (!ticket.wanted()) return 0; // cancelled while it waited
        await loadData();
        const running = jobQueue.begin();
        const { id, abort } = running;
        set({
          embedJob: {
            id,
            kind,
            phase: 'running',
            total: names.length,
            done: 0,
            failed: 0,
            entries: names.map((name) => ({ name, status: 'waiting' })),
          },
        });
        let added = 0;
        let saveError: string | null = null;
        const batcher = new Batcher<NewRecord>(
          // The batcher's commits already run one at a time; `commit` queues on dbQueue itself.
          new SerialQueue(),
          async (batch) => {
            if (saveError !== null) return;
            try {
              const packed = packRecords(batch);
              if ('mismatch' in packed) {
                throw new DataInputError(
                  `The model gave rows of different lengths (${packed.mismatch[0]} and ${packed.mismatch[1]}).`,
                );
              }
              added += await commit(packed, 'The model', false);
            } catch (error) {
              saveError =
                error instanceof StorageFullError
                  ? `${error.message} They were not added; everything saved before is safe. Delete items or free disk space to add more.`
                  : errorMessage(error);
              abort.abort();
            }
          },
          (error) => {
            saveError ??= errorMessage(error);
          },
          deps.batch,
        );
        let workError: string | null = null;
        try {
          await work(id, abort.signal, (r) => batcher.add(r));
        } catch (error) {
          workError = errorMessage(error);
        }
        await batcher.flush();
        jobQueue.end(running);
        const failure = saveError ?? workError;
        const cancelled = abort.signal.aborted && failure === null;
        updateJob(id, (job) => ({
          phase: failure !== null ? 'failed' : cancelled ? 'cancelled' : 'finished',
          entries: job.entries.map((e) =>
            e.status === 'waiting' ? { ...e, status: 'skipped' } : e,
          ),
          ...(failure !== null ? { message: failure } : {}),
        }));
        if (failure !== null) notify('error', failure);
        return added;
      });
    };

    const addFileErrors = (errors: readonly FileError[]) => {
      if (errors.length === 0) return;
      set((s) => ({ fileErrors: [...s.fileErrors, ...errors].slice(-MAX_FILE_ERRORS) }));
    };

    return {
      items: [],
      embeddings: new Float32Array(0),
      embeddingDim: 0,
      dataStatus: 'loading',
      savingItems: 0,
      selectedItemIds: [],
      embedJob: null,
      queuedJobs: 0,
      fileErrors: [],

      loadData,

      addTexts: (input, mode, source = '') => {
        const texts =
          typeof input === 'string'
            ? splitTextItems(input, mode)
            : mode === 'lines'
              ? input.map((t) => t.trim()).filter((t) => t !== '')
              : splitTextItems(input.join('\n'), 'paragraph');
        if (texts.length === 0) return Promise.resolve(0);
        return runJob(
          'text',
          texts.map((t) => textLabel(t)),
          async (jobId, signal, save) => {
            const client = deps.embedder();
            for (let start = 0; start < texts.length && !signal.aborted; start += textChunk) {
              const chunk = texts.slice(start, start + textChunk);
              const result = await client.embedTexts(chunk, {
                signal,
                onProgress: (done) =>
                  updateJob(jobId, (job) => {
                    const entries = job.entries.slice();
                    let count = job.done;
                    for (let i = start; i < start + done; i++) {
                      if (entries[i].status !== 'waiting') continue;
                      entries[i] = { ...entries[i], status: 'done' };
                      count++;
                    }
                    return { entries, done: count };
                  }),
              });
              const truncated = new Set(result.truncated);
              for (let i = 0; i < result.count; i++) {
                const text = chunk[i];
                const note = truncated.has(i) ? TRUNCATED_NOTE : undefined;
                save({
                  kind: 'text',
                  label: textLabel(text),
                  text,
                  source,
                  modelId: result.modelId,
                  embedding: copyRow(result.vectors, result.dim, i),
                  ...(note ? { note } : {}),
                });
                setEntry(jobId, start + i, {
                  name: textLabel(text),
                  status: 'done',
                  ...(note ? { message: note } : {}),
                });
              }
              if (result.cancelled) break;
            }
          },
        );
      },

      addFiles: (files) => {
        if (files.length === 0) return Promise.resolve(0);
        const names = files.map((f) => f.file.name);
        return runJob('image', names, async (jobId, signal, save) => {
          const client = deps.embedder();
          const modelId = client.settings.modelId;
          const failures: FileError[] = [];
          await client.embedImages(
            files.map((f) => f.file),
            {
              signal,
              onItem: (item, vector) => {
                const input = files[item.index];
                if (item.status === 'ok' && vector) {
                  save({
                    kind: 'image',
                    label: cleanText(input.label ?? stemOf(input.file.name)),
                    source: input.file.name,
                    modelId,
                    embedding: vector.slice(),
                    ...(item.thumbnail ? { thumbnail: item.thumbnail } : {}),
                  });
                  setEntry(jobId, item.index, { name: names[item.index], status: 'done' });
                } else {
                  const message = item.status === 'error' ? item.error : 'No embedding came back.';
                  failures.push({ source: names[item.index], message });
                  setEntry(jobId, item.index, {
                    name: names[item.index],
                    status: 'failed',
                    message,
                  });
                }
              },
            },
          );
          addFileErrors(failures);
          if (failures.length === 1) {
            notify('error', `Could not embed an image. ${describeFileError(failures[0])}`);
          } else if (failures.length > 1) {
            notify(
              'error',
              `${plural(failures.length, 'file')} could not be embedded; the Data panel lists them with the reasons.`,
            );
          }
        });
      },

      importEmbeddings: async (file, labelsFile, options = {}) => {
        performance.mark('sdr:import:chosen');
        await loadData();
        const refuse = (message: string) => {
          notify('error', message);
          return 0;
        };
        // Refuse what the page cannot hold before reading it: a tab that runs out of memory
        // loses everything in it (app/lib/importLimit.ts has the measured limit).
        const shape = await peekNpyShape(file);
        const tooBig = shape
          ? importSizeProblem(file.name, shape.rows, shape.dim, get().items.length)
          : file.size > MAX_TEXT_FILE_BYTES
            ? `${file.name} is ${Math.round(file.size / 2 ** 20).toLocaleString('en-US')} MiB of text: more than this page reads (at most ${MAX_TEXT_FILE_BYTES / 2 ** 20} MiB). Save it as .npy (float32 or float16), import fewer rows, or use the command line: \`sdr train ${file.name} --out map.sdrmap\`. Nothing was changed.`
            : null;
        if (tooBig) return refuse(tooBig);
        let parsed: ReturnType<typeof readEmbeddings>;
        try {
          const bytes = new Uint8Array(await file.arrayBuffer());
          performance.mark('sdr:import:read');
          // The file's bytes are this import's own: its rows stay where they lie, not copied.
          parsed = readEmbeddings(bytes, file.name, { shareBytes: true });
        } catch (error) {
          return refuse(`Could not import ${file.name}: ${errorMessage(error)}`);
        }
        const { n } = parsed;
        if (n === 0) return refuse(`${file.name} holds no embeddings; nothing was added.`);
        const overLimit = importSizeProblem(file.name, n, parsed.d, get().items.length);
        if (overLimit) return refuse(overLimit);
        let labels: readonly string[] | undefined = parsed.labels;
        if (labelsFile) {
          try {
            labels = readLabels(await labelsFile.text());
          } catch (error) {
            return refuse(
              `Could not read the labels in ${labelsFile.name}: ${errorMessage(error)}`,
            );
          }
          if (labels.length !== n) {
            return refuse(
              `${labelsFile.name} has ${plural(labels.length, 'label')} but ${file.name} has ${plural(n, 'row')}; nothing was added.`,
            );
          }
        }
        performance.mark('sdr:import:parsed');
        // readEmbeddings hands over a fresh array, so normalising it in place touches nothing else.
        return addRows(
          { ...parsed, ...(labels ? { labels } : {}) },
          file.name,
          labelsFile?.name ?? null,
          options,
        );
      },

      importRows: async (rows, name, options = {}) => {
        await loadData();
        const { n, d } = rows;
        if (
          !Number.isInteger(n) ||
          n < 1 ||
          !Number.isInteger(d) ||
          d < 1 ||
          rows.data.length !== n * d
        ) {
          notify('error', `${name} holds ${rows.data.length} numbers, not ${n} rows of ${d}; nothing was added.`); // prettier-ignore
          return 0;
        }
        if (rows.labels && rows.labels.length !== n) {
          notify('error', `${name} has ${plural(rows.labels.length, 'label')} for ${plural(n, 'row')}; nothing was added.`); // prettier-ignore
          return 0;
        }
        // A copy: the caller's rows (a map's own embeddings) stay as they are.
        return addRows({ ...rows, data: rows.data.slice(0, n * d) }, name, null, options);
      },

      cancelEmbedding: () => {
        const running = get().embedJob;
        if (running && running.phase === 'running') {
          updateJob(running.id, () => ({ phase: 'cancelling' }));
        }
        jobQueue.cancel();
      },

      removeItems: async (ids) => {
        await loadData();
        const gone = new Set(ids);
        try {
          return await dbQueue.run(async () => {
            const present = get()
              .items.filter((item) => gone.has(item.id))
              .map((item) => item.id);
            if (present.length === 0) return 0;
            if (db) await db.deleteItems(present);
            set((s) => {
              const d = s.embeddingDim;
              const items = s.items.filter((item) => !gone.has(item.id));
              return {
                items,
                embeddings:
                  items.length === 0
                    ? new Float32Array(0)
                    : filterRows(s.embeddings, d, (i) => !gone.has(s.items[i].id)),
                embeddingDim: items.length === 0 ? 0 : d,
                selectedItemIds: s.selectedItemIds.filter((id) => !gone.has(id)),
              };
            });
            return present.length;
          });
        } catch (error) {
          notify('error', `${errorMessage(error)} Nothing was deleted.`);
          return 0;
        }
      },

      clearData: async () => {
        get().cancelEmbedding();
        await loadData();
        try {
          await dbQueue.run(async () => {
            if (db) await db.clear();
            set({
              items: [],
              embeddings: new Float32Array(0),
              embeddingDim: 0,
              selectedItemIds: [],
            });
          });
        } catch (error) {
          notify('error', `${errorMessage(error)} Nothing was deleted.`);
        }
      },

      setSelectedItems: (ids) => {
        const known = itemIds(get().items);
        set({ selectedItemIds: [...new Set(ids)].filter((id) => known.has(id)) });
      },

      toggleItemSelected: (id) =>
        set((s) => {
          if (s.selectedItemIds.includes(id)) {
            return { selectedItemIds: s.selectedItemIds.filter((x) => x !== id) };
          }
          return s.items.some((item) => item.id === id)
            ? { selectedItemIds: [...s.selectedItemIds, id] }
            : {};
        }),

      dismissFileErrors: () => set({ fileErrors: [] }),

      checkEmbeddingDim: checkDim,
    };
  };
}

/**
 * Item ids for this page: one random UUID per page load and a counter after it, unique across
 * loads and tabs like a UUID per item, at a fraction of its cost (100,000 randomUUID calls took
 * ~0.7–1.4 s of a 100,000-row import on this project's machine).
 */
function pageIds(): () => string {
  const prefix = crypto.randomUUID();
  let next = 0;
  return () => `${prefix}-${(next++).toString(36)}`;
}

/**
 * The slice as the page uses it: the browser's IndexedDB, the shared embed client, and the
 * store's embed queue.
 */
/**
 * The ids of one item list, made once per list: selecting an item at 100,000 items rebuilt
 * this set on every click (~40 ms of the page's thread).
 */
const idSets = new WeakMap<readonly DataItem[], ReadonlySet<string>>();

function itemIds(items: readonly DataItem[]): ReadonlySet<string> {
  let ids = idSets.get(items);
  if (!ids) {
    ids = new Set(items.map((item) => item.id));
    idSets.set(items, ids);
  }
  return ids;
}

export const createDataSlice = (queue: EmbedQueue): StateCreator<DataHost, [], [], DataSlice> =>
  makeDataSlice({
    openDb: () => openDataDb(),
    embedder: () => getEmbedClient(),
    newId: pageIds(),
    queue,
  });
