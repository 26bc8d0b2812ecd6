/**
 * Set algebra and similarity on SDRs.
 *
 * Every SDR keeps its active cells as a sorted Uint32Array, so each binary operation is one
 * linear merge of the two index lists: O(|a| + |b|), never O(n) over the whole grid (except
 * `complement`, whose answer has n − w cells). Binary operations refuse SDRs of different grids.
 */
import { gridSize } from '../grid/grid.ts';
import { assertSameGrid, sameGrid, sdrFromSorted, type SDR } from './sdr.ts';

/** Cells active in a or b (A ∪ B). */
export function union(a: SDR, b: SDR): SDR {
  assertSameGrid(a, b);
  const x = a.active;
  const y = b.active;
  const out = new Uint32Array(x.length + y.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length && j < y.length) {
    const u = x[i];
    const v = y[j];
    if (u < v) {
      out[k++] = u;
      i++;
    } else if (v < u) {
      out[k++] = v;
      j++;
    } else {
      out[k++] = u;
      i++;
      j++;
    }
  }
  while (i < x.length) out[k++] = x[i++];
  while (j < y.length) out[k++] = y[j++];
  return sdrFromSorted(a.grid, k === out.length ? out : out.slice(0, k));
}

/**
 * Union of every SDR in `list` (at least one, all on one grid).
 *
 * Chooses the cheaper of two exact kernels: marking a dense bit grid (O(n + Σw)) when the SDRs
 * together are dense, or sorting the concatenated indices (O(Σw log Σw)) when they are sparse
 * on a big grid; pairwise merging would cost O(Σw · |list|).
 */
export function unionAll(list: readonly SDR[]): SDR {
  if (list.length === 0) throw new RangeError('unionAll needs at least one SDR (it has no grid)');
  const first = list[0];
  let total = 0;
  for (const s of list) {
    assertSameGrid(first, s);
    total += s.active.length;
  }
  if (list.length === 1) return first;
  const n = gridSize(first.grid);
  if (total * Math.log2(total + 2) >= n) {
    const bits = new Uint8Array(n);
    let w = 0;
    for (const s of list) {
      for (const i of s.active) {
        if (bits[i] === 0) {
          bits[i] = 1;
          w++;
        }
      }
    }
    const out = new Uint32Array(w);
    for (let i = 0, k = 0; k < w; i++) if (bits[i] === 1) out[k++] = i;
    return sdrFromSorted(first.grid, out);
  }
  const all = new Uint32Array(total);
  let k = 0;
  for (const s of list) {
    all.set(s.active, k);
    k += s.active.length;
  }
  all.sort();
  let w = 0;
  for (let i = 0; i < all.length; i++) {
    if (w === 0 || all[i] !== all[w - 1]) all[w++] = all[i];
  }
  return sdrFromSorted(first.grid, all.slice(0, w));
}

/** Cells active in both a and b (A ∩ B). */
export function intersection(a: SDR, b: SDR): SDR {
  assertSameGrid(a, b);
  const x = a.active;
  const y = b.active;
  const out = new Uint32Array(Math.min(x.length, y.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length && j < y.length) {
    const u = x[i];
    const v = y[j];
    if (u < v) i++;
    else if (v < u) j++;
    else {
      out[k++] = u;
      i++;
      j++;
    }
  }
  return sdrFromSorted(a.grid, k === out.length ? out : out.slice(0, k));
}

/** Cells active in a but not in b (A AND NOT B). */
export function difference(a: SDR, b: SDR): SDR {
  assertSameGrid(a, b);
  const x = a.active;
  const y = b.active;
  const out = new Uint32Array(x.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length) {
    const u = x[i];
    while (j < y.length && y[j] < u) j++;
    if (j >= y.length || y[j] !== u) out[k++] = u;
    i++;
  }
  return sdrFromSorted(a.grid, k === out.length ? out : out.slice(0, k));
}

/** "Not X": every cell of the grid that is inactive in a. Costs O(n). */
export function complement(a: SDR): SDR {
  const n = gridSize(a.grid);
  const x = a.active;
  const out = new Uint32Array(n - x.length);
  let j = 0;
  let k = 0;
  for (let cell = 0; cell < n; cell++) {
    if (j < x.length && x[j] === cell) j++;
    else out[k++] = cell;
  }
  return sdrFromSorted(a.grid, out);
}

/** Number of shared active cells |A ∩ B|, without building the intersection. */
export function overlap(a: SDR, b: SDR): number {
  assertSameGrid(a, b);
  return overlapSorted(a.active, b.active);
}

/**
 * |x ∩ y| for two strictly increasing index lists (no grid check: for hot loops over many
 * stored rows of one grid).
 */
export function overlapSorted(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < nx && j < ny) {
    const u = x[i];
    const v = y[j];
    if (u < v) i++;
    else if (v < u) j++;
    else {
      count++;
      i++;
      j++;
    }
  }
  return count;
}

/**
 * Overlap of a dense bit grid (from `toDense`, row-major, non-zero = active) with an SDR:
 * O(|sdr|) lookups. Build the dense query once to compare it against many SDRs.
 */
export function overlapDense(bits: Uint8Array, sdr: SDR): number {
  const n = gridSize(sdr.grid);
  if (bits.length !== n) {
    throw new RangeError(`dense bits have ${bits.length} cells but the SDR's grid has ${n}`);
  }
  let count = 0;
  for (const i of sdr.active) if (bits[i] !== 0) count++;
  return count;
}

/**
 * Jaccard similarity |A ∩ B| / |A ∪ B|, in [0, 1].
 *
 * Two empty SDRs count as identical, so 0/0 is defined as 1: then jaccard(a, b) === 1 exactly
 * when a and b have the same active cells.
 */
export function jaccard(a: SDR, b: SDR): number {
  const shared = overlap(a, b);
  const either = a.active.length + b.active.length - shared;
  return either === 0 ? 1 : shared / either;
}

/** Same grid and same active cells (SDRs of different grids are simply unequal). */
export function sdrEquals(a: SDR, b: SDR): boolean {
  if (!sameGrid(a, b)) return false;
  const x = a.active;
  const y = b.active;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
