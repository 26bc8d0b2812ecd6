/**
 * One shard of a batch SOM epoch: the map step of a map-reduce.
 *
 * A shard is a contiguous range of input rows. Against the epoch's codebook it finds each row's
 * best and second-best unit and returns partial sums that simply add across shards:
 * S_j = Σ rows whose BMU is j, c_j = their count, Σ quantisation distances, and the count of
 * topographic errors. Sums are kept in float64 so the shard split changes the result only by
 * summation order (far below 1e-5).
 */
import { allocBestTwo, type BestTwo } from './bmu.ts';
import type { MatmulBackend } from './backend.ts';
import { areAdjacent } from './adjacency.ts';

export interface ShardPartial {
  /** Rows this partial covers. */
  rows: number;
  /** m·d: sum of the rows whose best unit is j, in row j. */
  sums: Float64Array;
  /** m: how many rows have best unit j. */
  counts: Float64Array;
  /** Σ over rows of the Euclidean distance to the best unit. */
  qeSum: number;
  /** Rows whose best and second-best units are not grid neighbours. */
  teCount: number;
}

export function emptyPartial(m: number, d: number): ShardPartial {
  return {
    rows: 0,
    sums: new Float64Array(m * d),
    counts: new Float64Array(m),
    qeSum: 0,
    teCount: 0,
  };
}

/** Add `b` into `a` (in place) and return `a`. */
export function addPartial(a: ShardPartial, b: ShardPartial): ShardPartial {
  if (a.sums.length !== b.sums.length || a.counts.length !== b.counts.length) {
    throw new RangeError(
      `shard partials disagree in shape (${a.counts.length} vs ${b.counts.length} units)`,
    );
  }
  a.rows += b.rows;
  a.qeSum += b.qeSum;
  a.teCount += b.teCount;
  for (let t = 0; t < a.sums.length; t++) a.sums[t] += b.sums[t];
  for (let t = 0; t < a.counts.length; t++) a.counts[t] += b.counts[t];
  return a;
}

/** A shard's rows plus what it keeps between epochs (squared norms, BMU buffers). */
export interface Shard {
  /** rows·d floats (a view into the whole data, or a private copy). */
  readonly data: Float32Array;
  readonly rows: number;
  readonly d: number;
  /** ‖x‖² per row, for the distance from the score: ‖x − w‖² = ‖x‖² − 2·(x·w − ½‖w‖²). */
  readonly sqNorms: Float64Array;
  readonly bmus: BestTwo;
}

export function createShard(data: Float32Array, rows: number, d: number): Shard {
  if (data.length < rows * d) {
    throw new RangeError(`shard holds ${data.length} floats, need ${rows}×${d}`);
  }
  const sqNorms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    const o = i * d;
    for (let k = 0; k < d; k++) s += data[o + k] * data[o + k];
    sqNorms[i] = s;
  }
  return { data, rows, d, sqNorms, bmus: allocBestTwo(rows) };
}

/**
 * The map step for one shard: BMUs by `backend`, then the partial sums. `bias` is −½‖w_j‖²
 * (see bmu.ts) and `adjacency` the grid's table from adjacency.ts. With `into` (m·d sums, m
 * counts), the partial is written there, zeroed first, instead of into new arrays: an
 * in-thread pool passes the same one every epoch, because in the page's worker a fresh 4 MiB
 * Float64Array per epoch (32×32×512) cost ~12 ms of page faults on its first reads and writes
 * (more than the update it feeds).
 */
export async function runShard(
  shard: Shard,
  backend: MatmulBackend,
  codebook: Float32Array,
  m: number,
  bias: Float32Array,
  adjacency: Int32Array,
  into?: ShardPartial,
): Promise<ShardPartial> {
  const { data, rows, d, sqNorms, bmus } = shard;
  if (into && (into.sums.length !== m * d || into.counts.length !== m)) {
    throw new RangeError(`the partial to reuse holds ${into.counts.length} units, not ${m}×${d}`);
  }
  await backend.bestTwo(data, rows, codebook, m, d, bias, bmus);
  const partial = into ?? emptyPartial(m, d);
  if (into) {
    into.sums.fill(0);
    into.counts.fill(0);
  }
  const { sums, counts } = partial;
  let qeSum = 0;
  let teCount = 0;
  for (let i = 0; i < rows; i++) {
    const j = bmus.best[i];
    const o = i * d;
    const so = j * d;
    for (let k = 0; k < d; k++) sums[so + k] += data[o + k];
    counts[j] += 1;
    qeSum += Math.sqrt(Math.max(0, sqNorms[i] - 2 * bmus.bestScore[i]));
    if (m > 1 && !areAdjacent(adjacency, j, bmus.second[i])) teCount++;
  }
  partial.rows = rows;
  partial.qeSum = qeSum;
  partial.teCount = teCount;
  return partial;
}
