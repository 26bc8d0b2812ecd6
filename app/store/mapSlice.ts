/**
 * The map slice: the current self-organizing map, where it came from, K, the encoding of the
 * current dataset on it, training, and the selected unit. (The built-in atlas is a map file the
 * library slice opens: app/lib/builtinAtlas.ts.)
 *
 * ── Selector API for the explorer views (stable: build on these, not on raw fields) ──────────
 *   (the hooks live in store/hooks.ts)
 *
 *   useCurrentMap(): SdrMap | null          the map on screen (by reference; never mutate)
 *   useMapSource(): MapSource | null        where it came from (builtin atlas, trained here, …)
 *   useMapK(): number                       active units per SDR (default 20, range 1..m/4)
 *   useMapEncoding(): MapEncoding | null    the dataset encoded on the current map: n·k SDR
 *                                           rows + qe, novelty percentile, dispersion and best
 *                                           unit per item. null until ready; right after a K
 *                                           change it may still hold the previous K (check
 *                                           `encoding.k`) until the encode worker replies.
 *   useItemSdr(itemIndex): SDR | null       item `itemIndex` (its row in the dataset's embedding
 *                                           array) as an SDR at the CURRENT K: from the encoding
 *                                           when current, else encoded at once on the main
 *                                           thread (one row is cheap), so K sliders feel live.
 *   useUnitLabels(): readonly string[]|null one label per unit (nearest vocabulary concept), or null
 *   useSelectedUnit(): number | null        the unit the user clicked
 *   useHitCounts(): Float32Array | null     per unit: dataset items whose best unit it is
 *
 *   Plain functions (no React; also usable from other slices and tests):
 *   itemSdrFromEncoding(encoding, grid, i)  row i of an encoding as an SDR (a view, no copy)
 *   readSelectedItemIndex(state)            dataset row of the item selected last, or null
 *   readDataset(state)                      {embeddings, n, d, items} or null (no copies)
 *   describeMapSource(source), maxKFor(map) a line for the source; the largest K allowed
 *   Actions on useAppStore.getState():      setMap(map, source) · setK(k) · selectUnit(i) ·
 *                                           trainFromDataset(overrides) · cancelTraining() ·
 *                                           setTrainSettings(partial) ·
 *                                           labelMapWithVocabulary() ·
 *                                           encodeVectors(data, n): encode any unit-length rows
 *                                           (a query, noisy copies, …) on the current map at
 *                                           the current K in the encode worker → EncodedRows
 *
 * Big arrays live here by reference and are replaced, never mutated in place. Worker replies
 * that arrive after a newer request are dropped (the encode scheduler, app/services: latest wins).
 */
import type { StateCreator, StoreApi } from 'zustand';
import {
  DEFAULT_EPOCHS,
  DEFAULT_GRID_SIDE,
  DEFAULT_INIT,
  DEFAULT_RADIUS_END,
  DEFAULT_SEED,
  DEFAULT_TOPOLOGY,
  defaultK as defaultKForUnits,
  defaultRadiusStart,
  EPOCHS,
  GRID_SIDE,
  gridSize,
  makeGrid,
  maxRadius,
  MIN_RADIUS,
  SEED,
  sdrMapOf,
  type Grid,
  type Topology,
  type SdrMap,
  type EpochReport,
  type InitMethod,
  type SomSnapshot,
  type TrainConfig,
  sdrFromSorted,
  type SDR,
  type MapSource as LinkMapSource,
} from '../../src/index.ts';
import type { EncodedRows } from '../../src/index.ts';
import { getEncodeClient } from '../workers/encodeClient.ts';
import {
  getTrainClient,
  TrainCancelledError,
  type TrainOptions,
  type TrainPreview,
  type TrainResult,
} from '../workers/trainClient.ts';
import {
  BUILTIN_ATLAS_VERSION,
  describeMapModel,
  isBuiltinAtlasId,
  vocabularyOfMap,
  type Vocabulary,
} from '../lib/builtinAtlas.ts';
import { datasetModelId, mapModelDiffers } from '../lib/provenance.ts';
import { rememberUMatrix } from '../lib/mapUMatrix.ts';
import type { EncodeScheduler } from '../services/encodeScheduler.ts';
import type { AppState } from './state.ts';
import { errorMessage } from '../../src/index.ts';
import { preparedRowOfId } from '../lib/itemLists.ts';

// ── Values ─────────────────────────────────────────────────────────────────────────────────

/**
 * Where the current map came from: a source a link can name (the engine's share codec: built-in,
 * url, library; an inline map keeps its link text in the library slice's `linkInfo`), or one only
 * this page has (trained here, dropped as a file).
 */
export type MapSource =
  | Exclude<LinkMapSource, { readonly kind: 'inline' }>
  | { readonly kind: 'inline' }
  | { readonly kind: 'trained' }
  | { readonly kind: 'file'; readonly name: string };

/** The dataset encoded on a map: what the explorer views draw. */
export interface MapEncoding extends EncodedRows {
  /** The map these rows were encoded on (identity: compare with `===`). */
  readonly map: SdrMap;
  /** The dataset embedding array they came from (identity). */
  readonly embeddings: Float32Array;
}

type TrainStatus = 'idle' | 'training' | 'done' | 'cancelled' | 'error';

/** What the training panel sets. Every field documents its default and range. */
export interface TrainSettings {
  /*
   * Defaults and ranges are the engine's (src/map/defaults.ts), the ones `sdr train` uses.
   */
  /**
   * Grid rows and columns, 1 to 1024 each (at least 2 units); null (default) = 32×32, where
   * the default K is 2% of the units.
   */
  readonly rows: number | null;
  readonly cols: number | null;
  /** Cell layout; default 'rect'. */
  readonly topology: Topology;
  /** Batch epochs; default 20, range 1 to 10,000. */
  readonly epochs: number;
  /** Neighbourhood σ at the first epoch in grid cells; null (default) = max(rows, cols)/2. Range 0.01 to 2·max(rows, cols). */
  readonly radiusStart: number | null;
  /** σ at the last epoch; default 1.0, range 0.01 to radiusStart. Decays exponentially. */
  readonly radiusEnd: number;
  /** Codebook initialisation; default 'pca'. */
  readonly init: InitMethod;
  /** Seed for initialisation; default 1, any integer 0 to 2³²−1. */
  readonly seed: number;
}

/** The training panel's settings before the person changes any. */
export function defaultTrainSettings(): TrainSettings {
  return {
    rows: null,
    cols: null,
    topology: DEFAULT_TOPOLOGY,
    epochs: DEFAULT_EPOCHS,
    radiusStart: null,
    radiusEnd: DEFAULT_RADIUS_END,
    init: DEFAULT_INIT,
    seed: DEFAULT_SEED,
  };
}

/** Default K: the engine's rule (about 2% of the units) on the default 32×32 map: 20. */
export function defaultK(): number {
  return defaultKForUnits(DEFAULT_GRID_SIDE * DEFAULT_GRID_SIDE);
}

interface TrainingState {
  readonly status: TrainStatus;
  /** The configuration of the run in progress or last run. */
  readonly config: TrainConfig | null;
  /** One report per finished epoch, for live curves. */
  readonly history: readonly EpochReport[];
  /** The last good snapshot of the run (the map that training produced or was cancelled at). */
  readonly snapshot: SomSnapshot | null;
  /**
   * The map so far while a run goes on (its U-matrix after the latest epoch), drawn by the Map
   * view until the finished map replaces it; null when no run is going on.
   */
  readonly preview: TrainPreview | null;
  /** What is happening now, as a sentence for the status line ('Training: epoch 3 of 20.'). */
  readonly phase: string;
  readonly error: string | null;
  /**
   * While a run goes on: the map of a finished epoch, taken every few seconds (not drawn; the
   * autosave keeps it, so closing the tab mid-run keeps that epoch). null otherwise.
   */
  readonly checkpoint?: SdrMap | null;
}

export interface MapSlice {
  /** The current map (by reference), or null before any map exists. */
  map: SdrMap | null;
  mapSource: MapSource | null;
  /**
   * Active units per SDR. Default about 2% of the map's m units (20 on 32×32; src/map/defaults.ts),
   * set again whenever a map with a different m opens; range 1 to ⌊m/4⌋.
   */
  k: number;
  /** The current dataset encoded on the current map, or null. */
  encoding: MapEncoding | null;
  encodingStatus: 'idle' | 'encoding' | 'ready' | 'error';
  training: TrainingState;
  trainSettings: TrainSettings;
  /** The clicked unit (index into the map's units), or null. */
  selectedUnit: number | null;
  /**
   * The built-in atlas's concepts (labels and embeddings), once it has been open: they name the
   * units of any map in the same model's space.
   */
  vocabulary: Vocabulary | null;

  /**
   * Make `map` the current map. Refused (returns false, with an in-page error, current map
   * kept) when its dimension differs from the dataset's embeddings.
   */
  setMap: (map: SdrMap, source: MapSource, encoded?: DatasetEncoding) => boolean;
  /** Close the current map (nothing on screen until another opens; the dataset stays). */
  closeMap: () => void;
  /** Set K (rounded, clamped to 1..⌊m/4⌋); the dataset is re-encoded, selected SDRs update live. */
  setK: (k: number) => void;
  selectUnit: (unit: number | null) => void;
  setTrainSettings: (patch: Partial<TrainSettings>) => void;
  /**
   * Train a map on the dataset's embeddings in the train worker with the panel's settings
   * (plus `overrides`), streaming epoch reports; the result becomes the current map.
   */
  trainFromDataset: (overrides?: Partial<TrainSettings>) => Promise<void>;
  /** Stop training after the epoch in flight; the last good snapshot becomes the map. */
  cancelTraining: () => void;
  /**
   * Start the train worker and its kernel now (the train form calls it on idle, and again when
   * its settings change), so the first Train click does not wait for the WASM runtime to
   * compile; for a dataset of up to PREPARE_MAX_FLOATS numbers, the run's initial codebook is
   * made then too.
   */
  warmTraining: () => void;
  /** Label the current map's units with the nearest vocabulary concepts. */
  labelMapWithVocabulary: () => Promise<void>;
  /** Encode unit-length rows on the current map at the current K (in the encode worker). */
  encodeVectors: (data: Float32Array, n: number) => Promise<EncodedRows>;
}

/**
 * The dataset already encoded on a map being opened (the train worker's final pass encodes the
 * training rows): used instead of a fresh encoding while the dataset is still `embeddings` and K
 * is still `rows.k`; otherwise the dataset is encoded as usual.
 */
interface DatasetEncoding {
  readonly embeddings: Float32Array;
  readonly rows: EncodedRows;
}

/**
 * The K a map of m units opens at: a map with another number of units than the current one
 * opens at its own default (about 2%, defaultK in src/map/defaults.ts); one of the same size
 * keeps the person's K. Links and the autosave set their K after the map, so theirs wins.
 */
function kForNewMap(s: AppState, map: SdrMap): number {
  const m = gridSize(map.som.grid);
  const current = s.map ? gridSize(s.map.som.grid) : DEFAULT_GRID_SIDE * DEFAULT_GRID_SIDE;
  return m === current ? clampK(s.k, map) : clampK(defaultKForUnits(m), map);
}

/**
 * Largest dataset (rows × dimension) the train form prepares a run for ahead of the click:
 * 16M floats (64 MiB copied to the train worker), e.g. 30,000 rows of 512.
 */
const PREPARE_MAX_FLOATS = 16_777_216;

// ── The outside world ──────────────────────────────────────────────────────────────────────

/** What the slice calls outside itself: the workers. Tests swap these. */
export interface MapDeps {
  /** Encode any n unit-length rows of `data` on `map` at K = `k`. */
  encode: (map: SdrMap, data: Float32Array, n: number, k: number) => Promise<EncodedRows>;
  /**
   * Encode the dataset (`data`, n rows) on `map` at K = `k`. The worker keeps the dataset and
   * the map while they are the same arrays, so a K move sends only K.
   */
  encodeDataset: (map: SdrMap, data: Float32Array, n: number, k: number) => Promise<EncodedRows>;
  train: (
    data: Float32Array,
    n: number,
    config: TrainConfig,
    options: TrainOptions,
  ) => Promise<TrainResult>;
  labelUnits: (
    som: SdrMap['som'],
    vectors: Float32Array,
    names: readonly string[],
  ) => Promise<string[]>;
  /**
   * Start the train worker and its kernel ahead of the first run and, given the run it expects
   * (the dataset's rows and the form's settings), make its initial codebook there too (the
   * TrainClient's prepare); never rejects.
   */
  warmTraining: (plan?: {
    readonly data: Float32Array;
    readonly n: number;
    readonly config: TrainConfig;
  }) => Promise<void>;
}

function pageDeps(): MapDeps {
  return {
    encode: (map, data, n, k) => getEncodeClient().encode(map, data, n, k),
    encodeDataset: (map, data, n, k) => getEncodeClient().encodeDataset(map, data, n, k),
    train: (data, n, config, options) => getTrainClient().train(data, n, config, options),
    labelUnits: (som, vectors, names) => getTrainClient().labelUnits(som, vectors, names),
    warmTraining: (plan) =>
      plan ? getTrainClient().prepare(plan.data, plan.n, plan.config) : getTrainClient().warm(),
  };
}

let mapDeps: MapDeps | null = null;

function deps(): MapDeps {
  return (mapDeps ??= pageDeps());
}

/** Replace some of the slice's outside world (tests: in-thread encoding and training). */
export function setMapDeps(patch: Partial<MapDeps>): void {
  mapDeps = { ...deps(), ...patch };
}

// ── Reading the other slices ──────────────────────────────────────────────────────────────

/** The dataset as this slice needs it (read from the data slice). */
export interface DatasetRows {
  /** n·d unit-length rows (by reference). */
  readonly embeddings: Float32Array;
  readonly n: number;
  readonly d: number;
  /** Item i owns row i; `label` names it. */
  readonly items: readonly { readonly label: string }[];
}

/** The dataset's rows, or null while it is empty. Cheap: no copies. */
export function readDataset(s: AppState): DatasetRows | null {
  const n = s.items.length;
  const d = s.embeddingDim;
  if (n === 0 || d === 0 || s.embeddings.length !== n * d) return null;
  return { embeddings: s.embeddings, n, d, items: s.items };
}

/** Row index of the dataset item selected last, or null. */
export function readSelectedItemIndex(s: AppState): number | null {
  const ids = s.selectedItemIds;
  if (ids.length === 0) return null;
  const id = ids[ids.length - 1];
  // Views read this on every store change: the id's row from the prepared map when there is
  // one (app/lib/itemLists.ts), else a scan (~1 ms per read at 100,000 items).
  const rows = preparedRowOfId(s.items);
  const i = rows ? (rows.get(id) ?? -1) : s.items.findIndex((item) => item.id === id);
  return i < 0 ? null : i;
}

/** The loaded embedding model id, or null while none is ready. */
function readModelId(s: AppState): string | null {
  return s.modelStatus === 'ready' ? (s.modelInfo?.modelId ?? null) : null;
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────

/** The largest K allowed on a map of m units: a quarter of the units (beyond that an SDR is not sparse). */
export function maxKFor(map: SdrMap | null): number {
  return map ? Math.max(1, Math.floor(gridSize(map.som.grid) / 4)) : 256;
}

export function clampK(k: number, map: SdrMap | null): number {
  return Math.min(maxKFor(map), Math.max(1, Math.round(k)));
}

/** Row i of an encoding as an SDR (a view into the n·k array, no copy). */
export function itemSdrFromEncoding(encoding: EncodedRows, grid: Grid, i: number): SDR {
  if (!Number.isInteger(i) || i < 0 || i >= encoding.n) {
    throw new RangeError(`item ${i} is outside the encoding of ${encoding.n} items`);
  }
  const k = encoding.k;
  return sdrFromSorted(grid, encoding.active.subarray(i * k, (i + 1) * k));
}

/** A human line for a map source. */
export function describeMapSource(source: MapSource | null): string {
  if (!source) return 'no map';
  switch (source.kind) {
    case 'builtin':
      return isBuiltinAtlasId(source.id)
        ? `built-in concept atlas, version ${BUILTIN_ATLAS_VERSION}`
        : `built-in map ${source.id}`;
    case 'trained':
      return 'trained here';
    case 'library':
      return 'from your library';
    case 'url':
      return `from ${source.url}`;
    case 'inline':
      return 'from a share link';
    case 'file':
      return `from the file ${source.name}`;
  }
}

/** Resolve panel settings into an engine TrainConfig (validated here, with clear messages). */
export function resolveTrainConfig(settings: TrainSettings): TrainConfig {
  const rows = settings.rows ?? DEFAULT_GRID_SIDE;
  const cols = settings.cols ?? DEFAULT_GRID_SIDE;
  for (const [name, v] of [
    ['rows', rows],
    ['columns', cols],
  ] as const) {
    if (!Number.isInteger(v) || v < GRID_SIDE.min || v > GRID_SIDE.max) {
      throw new RangeError(`Grid ${name} must be a whole number from ${GRID_SIDE.min} to ${GRID_SIDE.max}, got ${v}.`); // prettier-ignore
    }
  }
  const grid = makeGrid(rows, cols, settings.topology);
  if (gridSize(grid) < 2) throw new RangeError('A map needs at least 2 units.');
  const { epochs, seed } = settings;
  if (!Number.isInteger(epochs) || epochs < EPOCHS.min || epochs > EPOCHS.max) {
    throw new RangeError(`Epochs must be a whole number from ${EPOCHS.min} to ${EPOCHS.max}, got ${epochs}.`); // prettier-ignore
  }
  const radiusStart = settings.radiusStart ?? defaultRadiusStart(grid);
  const largest = maxRadius(grid);
  if (!(radiusStart >= MIN_RADIUS && radiusStart <= largest)) {
    throw new RangeError(`Start radius must be from ${MIN_RADIUS} to ${largest}, got ${radiusStart}.`); // prettier-ignore
  }
  if (!(settings.radiusEnd >= MIN_RADIUS && settings.radiusEnd <= radiusStart)) {
    throw new RangeError(
      `End radius must be from ${MIN_RADIUS} to the start radius (${radiusStart}), got ${settings.radiusEnd}.`,
    );
  }
  if (!Number.isInteger(seed) || seed < SEED.min || seed > SEED.max) {
    throw new RangeError(`Seed must be a whole number from ${SEED.min} to ${SEED.max}, got ${seed}.`); // prettier-ignore
  }
  return {
    grid,
    epochs,
    seed,
    init: settings.init,
    radiusStart,
    radiusEnd: settings.radiusEnd,
  };
}

function idleTraining(): TrainingState {
  return {
    status: 'idle',
    config: null,
    history: [],
    snapshot: null,
    preview: null,
    phase: '',
    error: null,
  };
}

// ── The slice ──────────────────────────────────────────────────────────────────────────────

let trainAbort: AbortController | null = null;

type SliceArgs = Parameters<StateCreator<AppState, [], [], MapSlice>>;

/** A DatasetEncoding made on `map`. */
interface ReadyEncoding extends DatasetEncoding {
  readonly map: SdrMap;
}

/** The job the encode scheduler runs for this slice: the dataset on the current map at K. */
interface DatasetEncodeJob {
  readonly map: SdrMap;
  readonly data: DatasetRows;
  readonly k: number;
}

export type MapEncodeScheduler = EncodeScheduler<DatasetEncodeJob, EncodedRows>;

/** The map slice, using `scheduler` to keep the dataset's encoding in step. */
export function createMapSlice(
  scheduler: MapEncodeScheduler,
): StateCreator<AppState, [], [], MapSlice> {
  return (...args) => mapSlice(scheduler, ...args);
}

function mapSlice(scheduler: MapEncodeScheduler, ...[set, get]: SliceArgs): MapSlice {
  const refreshEncoding = (ready?: ReadyEncoding): void =>
    scheduler.refresh(encodeTask(get, set, ready));
  return {
    map: null,
    mapSource: null,
    k: defaultK(),
    encoding: null,
    encodingStatus: 'idle',
    training: idleTraining(),
    trainSettings: defaultTrainSettings(),
    selectedUnit: null,
    vocabulary: null,

    setMap: (map, source, encoded) => {
      const data = readDataset(get());
      if (data && data.n > 0 && data.d !== map.som.dim) {
        get().notify(
          'error',
          `The map "${map.name}" has dimension ${map.som.dim} but your data's embeddings have ${data.d}; kept the current map.`,
        );
        return false;
      }
      // Provenance: a map made from one model's embeddings never shows another model's items.
      const dataModel = datasetModelId(get().items);
      if (data && data.n > 0 && dataModel && mapModelDiffers(dataModel, map.model)) {
        get().notify(
          'error',
          `The map "${map.name}" was made from ${describeMapModel(map, source.kind === 'builtin') ?? map.model} embeddings, but your data comes from ${dataModel}: the two spaces do not match, so the current map was kept. Clear the data (Data tab) to open it.`,
        );
        return false;
      }
      const m = gridSize(map.som.grid);
      const vocabulary = source.kind === 'builtin' ? vocabularyOfMap(map) : null;
      set((s) => ({
        map,
        mapSource: source,
        vocabulary: vocabulary ?? s.vocabulary,
        // K means a share of the map (kForNewMap).
        k: kForNewMap(s, map),
        selectedUnit: s.selectedUnit !== null && s.selectedUnit < m ? s.selectedUnit : null,
      }));
      refreshEncoding(encoded && { ...encoded, map });
      return true;
    },

    closeMap: () => {
      set({ map: null, mapSource: null, selectedUnit: null });
      refreshEncoding();
    },

    setK: (k) => {
      if (!Number.isFinite(k)) {
        get().notify('error', `K must be a number, got ${String(k)}.`);
        return;
      }
      const next = clampK(k, get().map);
      if (next === get().k) return;
      set({ k: next });
      refreshEncoding();
    },

    selectUnit: (unit) => {
      const map = get().map;
      if (
        unit !== null &&
        (!map || !Number.isInteger(unit) || unit < 0 || unit >= gridSize(map.som.grid))
      ) {
        return;
      }
      set({ selectedUnit: unit });
    },

    setTrainSettings: (patch) => set((s) => ({ trainSettings: { ...s.trainSettings, ...patch } })),

    trainFromDataset: async (overrides = {}) => {
      if (get().training.status === 'training') return;
      const data = readDataset(get());
      if (!data || data.n < 2) {
        get().notify('error', 'Training needs at least 2 items in the dataset.');
        return;
      }
      let config: TrainConfig;
      try {
        config = resolveTrainConfig({ ...get().trainSettings, ...overrides });
      } catch (error) {
        get().notify('error', errorMessage(error));
        return;
      }
      const modelId = readModelId(get());
      const abort = new AbortController();
      trainAbort = abort;
      // Marks for `npm run bench` (bench/firstMap.ts): click → epochs → map, on the page's clock.
      performance.mark('sdr:train:click');
      set({
        training: {
          status: 'training',
          config,
          history: [],
          snapshot: null,
          preview: null,
          phase: `Training: starting ${config.epochs} epochs.`,
          error: null,
        },
      });
      const vocabulary = get().vocabulary;
      // The K the trained map will open at (kForNewMap), so the train worker's final encoding
      // of the dataset at that K is the page's encoding as it stands, with no second pass.
      const openK = kForNewMap(get(), {
        som: { grid: config.grid, dim: data.d, codebook: new Float32Array(0) },
      } as SdrMap);
      try {
        const result = await deps().train(data.embeddings.slice(), data.n, config, {
          source: data.embeddings,
          signal: abort.signal,
          k: openK,
          onSnapshot: (snapshot, report) =>
            set((s) => ({
              training: {
                ...s.training,
                checkpoint: {
                  name: `Trained on ${data.n} items`,
                  createdAt: new Date().toISOString(),
                  model: modelId,
                  som: { grid: snapshot.grid, dim: snapshot.dim, codebook: snapshot.codebook },
                  training: { ...config, epochs: snapshot.epoch, inputs: data.n },
                  quality: {
                    quantizationError: report.quantizationError,
                    topographicError: report.topographicError,
                  },
                  calibration: null,
                },
              },
            })),
          onPreview: (preview) => {
            performance.mark('sdr:train:preview', { detail: preview.epoch });
            set((s) =>
              s.training.status === 'training' ? { training: { ...s.training, preview } } : {},
            );
          },
          onEpoch: (report) => {
            performance.mark('sdr:train:epoch', { detail: report.epoch });
            set((s) => ({
              training: {
                ...s.training,
                history: [...s.training.history, report],
                phase: s.training.phase.startsWith('Stopping')
                  ? s.training.phase
                  : report.epoch < config.epochs
                    ? `Training: epoch ${report.epoch} of ${config.epochs}.`
                    : 'Training: calibrating novelty and naming units.',
              },
            }));
          },
          labels:
            vocabulary && vocabulary.dim === data.d && vocabulary.modelId === modelId
              ? { vectors: vocabulary.vectors.slice(), names: vocabulary.concepts }
              : // Units named after the training items themselves: the worker has their rows.
                { vectors: null, names: data.items.map((item) => item.label) },
        });
        const map = sdrMapOf(result, {
          name: `Trained on ${data.n} items`,
          // The model the items came from (imported rows may name none), else the loaded one.
          model: datasetModelId(get().items) ?? modelId,
          config,
          inputs: data.n,
        });
        set((s) => ({
          training: {
            ...s.training,
            checkpoint: null,
            status: result.cancelled ? 'cancelled' : 'done',
            snapshot: result.snapshot,
            preview: null,
            phase: result.cancelled
              ? `Cancelled after epoch ${result.snapshot.epoch} of ${config.epochs}: the map from that epoch is kept.`
              : `Done: ${config.epochs} epochs, quantisation error ${result.quality.quantizationError.toFixed(3)}.`,
          },
        }));
        // The train worker's U-matrix of this map: the Map view draws it without computing it.
        rememberUMatrix(map.som, result.uMatrix);
        const encoding = result.trainingEncoding;
        get().setMap(
          map,
          { kind: 'trained' },
          encoding ? { embeddings: data.embeddings, rows: encoding } : undefined,
        );
        performance.mark('sdr:train:map');
        // The train worker fell back to a slower kernel or to one thread: say so, and why.
        if (result.engine?.fallback) get().notify('info', result.engine.fallback);
      } catch (error) {
        const text =
          error instanceof TrainCancelledError ? 'Training was cancelled.' : errorMessage(error);
        set((s) => ({
          training: {
            ...s.training,
            status: 'error',
            preview: null,
            phase: '',
            error: text,
            checkpoint: null,
          },
        }));
        get().notify('error', `Training failed: ${text}`);
      } finally {
        if (trainAbort === abort) trainAbort = null;
      }
    },

    warmTraining: () => {
      // The run the form would start, if its settings are valid and the dataset small enough
      // that copying it to the worker now is cheap (above that, the PCA and the first epoch are
      // a small part of a run anyway).
      const data = readDataset(get());
      let config: TrainConfig | null = null;
      try {
        config = resolveTrainConfig(get().trainSettings);
      } catch {
        config = null;
      }
      const plan =
        data && config && data.n >= 2 && data.n * data.d <= PREPARE_MAX_FLOATS
          ? { data: data.embeddings, n: data.n, config }
          : undefined;
      void deps().warmTraining(plan);
    },

    cancelTraining: () => {
      if (!trainAbort || trainAbort.signal.aborted) return;
      trainAbort.abort();
      set((s) => ({ training: { ...s.training, phase: 'Stopping after the epoch in flight…' } }));
    },

    labelMapWithVocabulary: async () => {
      const { map, vocabulary } = get();
      if (!map) return;
      if (!vocabulary) {
        get().notify(
          'error',
          'There are no concepts to name units with: open the built-in atlas once.',
        );
        return;
      }
      if (vocabulary.dim !== map.som.dim) {
        get().notify(
          'error',
          `The vocabulary has dimension ${vocabulary.dim} but the map has ${map.som.dim}.`,
        );
        return;
      }
      try {
        const unitLabels = await deps().labelUnits(
          map.som,
          vocabulary.vectors.slice(),
          vocabulary.concepts,
        );
        if (get().map !== map) return;
        const labelled: SdrMap = { ...map, unitLabels };
        set({ map: labelled });
        refreshEncoding();
      } catch (error) {
        get().notify('error', `Could not label the map: ${errorMessage(error)}`);
      }
    },

    encodeVectors: async (data, n) => {
      const map = get().map;
      if (!map) throw new Error('There is no map to encode on yet.');
      return deps().encode(map, data, n, get().k);
    },
  };
}

/**
 * How the encode scheduler re-encodes the dataset on the current map at the current K (in the
 * encode worker), reading and writing this slice. Called by actions and by the dataset
 * subscription (startMapEffects).
 */
function encodeTask(
  get: () => AppState,
  set: (partial: Partial<AppState>) => void,
  ready?: ReadyEncoding,
): Parameters<MapEncodeScheduler['refresh']>[0] {
  return {
    read: () => {
      const { map, k } = get();
      const data = readDataset(get());
      return map && data && data.d === map.som.dim ? { map, data, k } : null;
    },
    encode: ({ map, data, k }) =>
      ready &&
      ready.map === map &&
      ready.embeddings === data.embeddings &&
      ready.rows.k === k &&
      ready.rows.n === data.n
        ? Promise.resolve(ready.rows)
        : deps().encodeDataset(map, data.embeddings, data.n, k),
    onBusy: () => set({ encodingStatus: 'encoding' }),
    onNothing: () => set({ encoding: null, encodingStatus: 'idle' }),
    onResult: ({ map, data }, rows) => {
      set({ encoding: { ...rows, map, embeddings: data.embeddings }, encodingStatus: 'ready' });
      performance.mark('sdr:encode:done', { detail: rows.n });
    },
    onError: (error) => {
      set({ encodingStatus: 'error' });
      get().notify('error', `Could not encode your data on the map: ${errorMessage(error)}`);
    },
  };
}

/**
 * Keep the encoding in step with the dataset: whenever the data slice swaps its embedding
 * array, re-encode. Returns the unsubscribe
 * function (call once, from the app's root, with the app's store).
 */
export function startMapEffects(
  store: StoreApi<AppState>,
  scheduler: MapEncodeScheduler,
): () => void {
  const set = (partial: Partial<AppState>): void => store.setState(partial);
  let lastData = readDataset(store.getState())?.embeddings ?? null;
  const unsubscribe = store.subscribe((s) => {
    const data = readDataset(s)?.embeddings ?? null;
    if (data !== lastData) {
      lastData = data;
      scheduler.refresh(encodeTask(store.getState, set));
    }
  });
  return unsubscribe;
}
