/**
 * Embedding rows → SDRs: the K units whose weights point most nearly the same way as the row.
 *
 * Why cosine and not the training rule: codebook rows are averages of unit vectors, so they are
 * shorter than 1 (about 0.70 to 0.96 on CLIP data) and shortest where the data is spread out.
 * Under raw Euclidean distance an input far from the data is nearest to whichever rows are
 * shortest, so every out-of-distribution input collapses onto the same few units. Cosine to the
 * length-normalised rows asks only "which direction", which is what CLIP similarity means.
 *
 * The quantisation error (distance to the best unit by the training rule, after scaling the row
 * to unit length as training inputs are) is still reported: it is the novelty signal.
 *
 * Both come from one product s = x·wᵀ per row: cosine_j = s_j / (‖x‖·‖w_j‖) and the Euclidean
 * score s_j/‖x‖ − ½‖w_j‖² (see src/som/bmu.ts).
 */
import { gridSize } from '../grid/grid.ts';
import { sdrFromSorted, type SDR } from '../sdr/sdr.ts';
import { adjacencyTable, areAdjacent } from '../som/adjacency.ts';
import { scoresJs, createKernelScratch } from '../som/bmu.ts';
import type { MatmulBackend } from '../som/backend.ts';
import type { SomModel } from '../som/types.ts';
import { createTopKScratch, topKIndices } from './topK.ts';

export interface EncodeOptions {
  /** Active units per SDR; default 20 (≈2% of a 32×32 map), range 1 to m. Wins over sparsity. */
  readonly k?: number;
  /** Active units as a percentage of the map, used when k is absent; range (0, 100]. */
  readonly sparsity?: number;
  /**
   * Also measure the map on these rows as training does (`trainingFigures`): each row's best and
   * second-best unit by x·w − ½‖w‖² on the row as given (the trainer's BMU rule, src/som/shard.ts),
   * so a batch that encodes the training rows needs no separate pass for the final QE and TE.
   * Default false.
   */
  readonly trainingFigures?: boolean;
  /**
   * Also find, for each unit, the row pointing most nearly its way (highest cosine, ties to the
   * lower row; `nearestRow`), as src/encode/unitLabels.ts does: units named after the rows being
   * encoded need no separate product. Default false.
   */
  readonly nearestRowPerUnit?: boolean;
}

/** The map's quantisation and topographic error on a batch, as the trainer measures them. */
interface TrainingFigures {
  readonly quantizationError: number;
  readonly topographicError: number;
}

export interface EncodedBatch {
  readonly k: number;
  /** n·k unit indices; row i (ascending) is item i's SDR. */
  readonly active: Uint32Array;
  /** n: Euclidean distance from the unit-length row to its best unit by the training rule. */
  readonly qe: Float32Array;
  /** n: that best unit (the training rule's BMU). */
  readonly bmu: Uint32Array;
  /** n: cosine similarity to the most similar unit (the SDR's strongest member). */
  readonly bestCosine: Float32Array;
  /** With EncodeOptions.trainingFigures: the map's QE and TE on these rows; else absent. */
  readonly trainingFigures?: TrainingFigures;
  /** With EncodeOptions.nearestRowPerUnit: m row indices, the nearest row of each unit. */
  readonly nearestRow?: Uint32Array;
}

export interface EncodedOne {
  readonly sdr: SDR;
  readonly qe: number;
  readonly bmu: number;
  readonly bestCosine: number;
}

export class EncodeError extends RangeError {
  override name = 'EncodeError';
}

/** Default K: 20 active units. */
export const DEFAULT_K = 20;

/** K from options for a map of m units: k if given, else round(m·sparsity/100) (at least 1). */
export function resolveK(m: number, options: EncodeOptions = {}): number {
  if (options.k !== undefined) {
    const k = options.k;
    if (!Number.isInteger(k) || k < 1 || k > m) {
      throw new EncodeError(`k must be an integer from 1 to ${m} (the map's units), got ${k}`);
    }
    return k;
  }
  if (options.sparsity !== undefined) {
    const s = options.sparsity;
    if (!Number.isFinite(s) || s <= 0 || s > 100) {
      throw new EncodeError(`sparsity must be a percentage above 0 and at most 100, got ${s}`);
    }
    return Math.min(m, Math.max(1, Math.round((m * s) / 100)));
  }
  return Math.min(DEFAULT_K, m);
}

/** The sparsity (percent of the map) that k active units on m units amounts to. */
export function sparsityOf(m: number, k: number): number {
  return (100 * k) / m;
}

/** Per-unit figures every row needs: 1/‖w_j‖ (0 for a zero row) and ½‖w_j‖². */
interface UnitNorms {
  readonly inv: Float32Array;
  readonly halfSq: Float32Array;
  /** A strided sample of the codebook when these were computed, to notice it was changed. */
  readonly sample: Float32Array;
}

/**
 * Norms are reused across calls for the same codebook: the explorer re-encodes one item on every
 * K-slider move, and recomputing m norms (m·d multiply-adds) each time was a third of that
 * redraw. Codebooks are meant to be replaced, not edited in place; the sample check catches one
 * that was edited anyway (e.g. rounded to float16 in place) and recomputes.
 */
const normCache = new WeakMap<Float32Array, UnitNorms>();
const NORM_SAMPLES = 64;

function codebookSample(codebook: Float32Array): Float32Array {
  const out = new Float32Array(Math.min(NORM_SAMPLES, codebook.length));
  const step = codebook.length / out.length;
  for (let i = 0; i < out.length; i++) out[i] = codebook[Math.floor(i * step)];
  return out;
}

function sameSample(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function unitNorms(model: SomModel): UnitNorms {
  const m = gridSize(model.grid);
  const { codebook, dim: d } = model;
  if (codebook.length !== m * d) {
    throw new EncodeError(`codebook holds ${codebook.length} floats, need ${m}×${d}`);
  }
  const sample = codebookSample(codebook);
  const cached = normCache.get(codebook);
  if (cached && cached.inv.length === m && sameSample(cached.sample, sample)) return cached;
  const inv = new Float32Array(m);
  const halfSq = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += codebook[j * d + k] * codebook[j * d + k];
    inv[j] = s > 0 ? 1 / Math.sqrt(s) : 0;
    halfSq[j] = 0.5 * s;
  }
  const norms = { inv, halfSq, sample };
  normCache.set(codebook, norms);
  return norms;
}

/**
 * Products of a few rows with every unit, one row at a time. The blocked 4×4-tile kernel pays
 * for tiles it cannot fill when there are only one to three rows (the explorer's single-item
 * re-encode); a plain dot loop per unit is about twice as fast there.
 */
function scoresFewRows(
  a: Float32Array,
  n: number,
  b: Float32Array,
  m: number,
  d: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) {
    const ao = i * d;
    for (let j = 0; j < m; j++) {
      const bo = j * d;
      let s0 = 0;
      let s1 = 0;
      let t = 0;
      for (; t + 1 < d; t += 2) {
        s0 += a[ao + t] * b[bo + t];
        s1 += a[ao + t + 1] * b[bo + t + 1];
      }
      if (t < d) s0 += a[ao + t] * b[bo + t];
      out[i * m + j] = s0 + s1;
    }
  }
}

/** Below this many rows encodeBatch uses scoresFewRows instead of the tiled kernel. */
const FEW_ROWS = 4;

function checkRows(model: SomModel, data: Float32Array, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new EncodeError(`row count must be ≥ 0, got ${n}`);
  if (data.length < n * model.dim) {
    throw new EncodeError(`data holds ${data.length} floats, need ${n}×${model.dim}`);
  }
}

/** Rows per product block: keeps the n×m score block near 1M floats (4 MiB). */
function blockRows(m: number): number {
  return Math.max(1, Math.floor(1_048_576 / m));
}

/** What every block of rows needs, set up once per batch. */
interface EncodeState {
  readonly codebook: Float32Array;
  readonly m: number;
  readonly d: number;
  readonly inv: Float32Array;
  readonly halfSq: Float32Array;
  readonly block: number;
  readonly scores: Float32Array;
  readonly cos: Float32Array;
  readonly heap: ReturnType<typeof createTopKScratch>;
  readonly out: EncodedBatch;
  /** The training rule's sums (trainingFigures), or null. */
  readonly training: {
    readonly adjacency: Int32Array;
    qeSum: number;
    teCount: number;
  } | null;
  /** Best cosine-ranked row per unit so far and its score (nearestRowPerUnit), or null. */
  readonly nearest: { readonly row: Uint32Array; readonly score: Float32Array } | null;
}

function prepare(
  model: SomModel,
  data: Float32Array,
  n: number,
  options: EncodeOptions,
): EncodeState {
  checkRows(model, data, n);
  const m = gridSize(model.grid);
  const k = resolveK(m, options);
  const { inv, halfSq } = unitNorms(model);
  const block = blockRows(m);
  return {
    codebook: model.codebook,
    m,
    d: model.dim,
    inv,
    halfSq,
    block,
    scores: new Float32Array(Math.min(n, block) * m),
    cos: new Float32Array(m),
    heap: createTopKScratch(k),
    out: {
      k,
      active: new Uint32Array(n * k),
      qe: new Float32Array(n),
      bmu: new Uint32Array(n),
      bestCosine: new Float32Array(n),
    },
    training: options.trainingFigures
      ? { adjacency: adjacencyTable(model.grid), qeSum: 0, teCount: 0 }
      : null,
    nearest: options.nearestRowPerUnit
      ? { row: new Uint32Array(m), score: new Float32Array(m).fill(-Infinity) }
      : null,
  };
}

/** The batch as a caller gets it: with its optional figures once every row is done. */
function finalOut(state: EncodeState, n: number): EncodedBatch {
  const { out, training, nearest, m } = state;
  if (!training && !nearest) return out;
  return {
    ...out,
    ...(training && {
      trainingFigures: {
        quantizationError: n > 0 ? training.qeSum / n : 0,
        topographicError: n > 0 && m > 1 ? training.teCount / n : 0,
      },
    }),
    ...(nearest && { nearestRow: nearest.row }),
  };
}

/**
 * Row i's share of the optional figures (trainingFigures, nearestRowPerUnit) from its products
 * x·wᵀ at scores[o…o+m): a pass over m numbers, nothing beside the product that encodes it.
 */
function extrasOfRow(state: EncodeState, i: number, o: number, sq: number, invX: number): void {
  const { m, halfSq, scores, training, nearest } = state;
  if (training) {
    // The trainer's rule on the row as given: best two of x·w − ½‖w‖², ties to the lower unit
    // (as src/som/bmu.ts and ONNX TopK rank them).
    let b1 = -Infinity;
    let b2 = -Infinity;
    let j1 = 0;
    let j2 = 0;
    for (let j = 0; j < m; j++) {
      const e = Math.fround(scores[o + j] - halfSq[j]);
      if (e > b1) {
        b2 = b1;
        j2 = j1;
        b1 = e;
        j1 = j;
      } else if (e > b2) {
        b2 = e;
        j2 = j;
      }
    }
    training.qeSum += Math.sqrt(Math.max(0, sq - 2 * b1));
    if (m > 1 && !areAdjacent(training.adjacency, j1, j2)) training.teCount++;
  }
  if (nearest) {
    const { row, score } = nearest;
    for (let j = 0; j < m; j++) {
      const s = scores[o + j] * invX;
      if (s > score[j]) {
        score[j] = s;
        row[j] = i;
      }
    }
  }
}

/** Turn the products x·wᵀ of rows [start, start + rows) (in state.scores) into SDRs and scores. */
function finishBlock(state: EncodeState, data: Float32Array, start: number, rows: number): void {
  const { m, d, inv, halfSq, scores, cos, heap, out, codebook } = state;
  const { k, active, qe, bmu, bestCosine } = out;
  for (let r = 0; r < rows; r++) {
    const i = start + r;
    let sq = 0;
    for (let t = 0; t < d; t++) sq += data[i * d + t] * data[i * d + t];
    if (!(sq > 0) || !Number.isFinite(sq)) {
      throw new EncodeError(`row ${i} has zero length or non-finite values: it has no direction`);
    }
    const invX = 1 / Math.sqrt(sq);
    const o = r * m;
    let bestScore = -Infinity;
    let bestUnit = 0;
    for (let j = 0; j < m; j++) {
      const s = scores[o + j] * invX;
      cos[j] = s * inv[j];
      const e = s - halfSq[j];
      if (e > bestScore) {
        bestScore = e;
        bestUnit = j;
      }
    }
    bmu[i] = bestUnit;
    // The distance itself, directly (O(d)): 1 − 2·score would lose digits to cancellation when
    // the row sits almost on its unit.
    let dist = 0;
    const w = bestUnit * d;
    for (let t = 0; t < d; t++) {
      const diff = data[i * d + t] * invX - codebook[w + t];
      dist += diff * diff;
    }
    qe[i] = Math.sqrt(dist);
    bestCosine[i] = topKIndices(cos, 0, m, k, active, i * k, heap);
    if (state.training || state.nearest) extrasOfRow(state, i, o, sq, invX);
  }
}

/** Encode n rows (n·d) with the plain-JS kernel, synchronously. */
export function encodeBatch(
  model: SomModel,
  data: Float32Array,
  n: number,
  options: EncodeOptions = {},
): EncodedBatch {
  const state = prepare(model, data, n, options);
  const { m, d, block, scores } = state;
  if (n < FEW_ROWS) {
    scoresFewRows(data, n, model.codebook, m, d, scores);
    finishBlock(state, data, 0, n);
    return finalOut(state, n);
  }
  const scratch = createKernelScratch();
  for (let start = 0; start < n; start += block) {
    const rows = Math.min(block, n - start);
    scoresJs(
      data.subarray(start * d, (start + rows) * d),
      rows,
      model.codebook,
      m,
      d,
      scores,
      scratch,
    );
    finishBlock(state, data, start, rows);
  }
  return finalOut(state, n);
}

/** Encode n rows with a MatmulBackend (e.g. onnxruntime) doing the product: for big batches. */
export async function encodeBatchWith(
  backend: MatmulBackend,
  model: SomModel,
  data: Float32Array,
  n: number,
  options: EncodeOptions = {},
): Promise<EncodedBatch> {
  const state = prepare(model, data, n, options);
  const { m, d, block, scores } = state;
  for (let start = 0; start < n; start += block) {
    const rows = Math.min(block, n - start);
    await backend.scores(
      data.subarray(start * d, (start + rows) * d),
      rows,
      model.codebook,
      m,
      d,
      scores,
    );
    finishBlock(state, data, start, rows);
  }
  return finalOut(state, n);
}

/** Encode one embedding (d floats) into an SDR on the model's grid. */
export function encodeOne(
  model: SomModel,
  vector: Float32Array,
  options: EncodeOptions = {},
): EncodedOne {
  if (vector.length !== model.dim) {
    throw new EncodeError(
      `the embedding has ${vector.length} values, the map expects ${model.dim}`,
    );
  }
  const e = encodeBatch(model, vector, 1, options);
  return {
    sdr: sdrFromSorted(model.grid, e.active),
    qe: e.qe[0],
    bmu: e.bmu[0],
    bestCosine: e.bestCosine[0],
  };
}

/**
 * One row's cosine to every unit (m floats), computed as encodeBatch ranks them: the row's SDR
 * at any K is the K largest of these (unitsAtK), so a K move re-ranks the stored cosines
 * instead of recomputing m·d products (the explorer's selected item while K slides).
 */
export function unitCosines(model: SomModel, row: Float32Array): Float32Array {
  checkRows(model, row, 1);
  const m = gridSize(model.grid);
  const d = model.dim;
  const { inv } = unitNorms(model);
  const scores = new Float32Array(m);
  scoresFewRows(row, 1, model.codebook, m, d, scores);
  let sq = 0;
  for (let t = 0; t < d; t++) sq += row[t] * row[t];
  if (!(sq > 0) || !Number.isFinite(sq)) {
    throw new EncodeError('row 0 has zero length or non-finite values: it has no direction');
  }
  const invX = 1 / Math.sqrt(sq);
  const cos = new Float32Array(m);
  for (let j = 0; j < m; j++) {
    const s = scores[j] * invX;
    cos[j] = s * inv[j];
  }
  return cos;
}

/** The K units of highest cosine (from unitCosines), ascending: the row's SDR at K (1 ≤ k ≤ m). */
export function unitsAtK(cosines: Float32Array, k: number): Uint32Array {
  const active = new Uint32Array(k);
  topKIndices(cosines, 0, cosines.length, k, active, 0);
  return active;
}
