/**
 * Seeded noise on SDRs, with the meanings of htm.core's `SDR::addNoise` / `killCells` family
 * (github.com/htm-community/htm.core, src/htm/types/Sdr.cpp):
 *
 * - `moveNoise`: move round(f·w) active cells to cells that were inactive. w stays the same and
 *   the overlap with the original is exactly w − round(f·w).
 * - `dropNoise`: switch off round(f·w) active cells; what remains is a subset of the original.
 * - `flipNoise`: every one of the n cells flips independently with probability p, so cells turn
 *   on as well as off (a binary symmetric channel over the whole grid).
 *
 * All take an `Rng` (src/util/random.ts) so a seed repeats a run exactly.
 */
import { gridSize } from '../grid/grid.ts';
import { sampleWithoutReplacement, type Rng } from '../util/random.ts';
import { complement } from './algebra.ts';
import { sdrFromSorted, type SDR } from './sdr.ts';

function checkProbability(name: string, v: number): void {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
    throw new RangeError(`${name} must be a number from 0 to 1, got ${String(v)}`);
  }
}

/** Number of active cells a fraction f of w stands for: round(f·w) (halves round up). */
export function noiseCount(w: number, f: number): number {
  checkProbability('noise fraction', f);
  // f·w can land a hair below a half (0.15·30 = 4.499…), so round a scaled-up value first.
  return Math.round(Math.round(f * w * 1e9) / 1e9);
}

/** Mark `count` random positions out of [0, w) to drop (1 = drop). */
function pickPositions(rng: Rng, w: number, count: number): Uint8Array {
  const marks = new Uint8Array(w);
  for (const p of sampleWithoutReplacement(rng, w, count)) marks[p] = 1;
  return marks;
}

/** The active cells whose positions are not marked, in order. */
function keepUnmarked(active: Uint32Array, marks: Uint8Array, keep: number): Uint32Array {
  const out = new Uint32Array(keep);
  let k = 0;
  for (let i = 0; i < active.length; i++) if (marks[i] === 0) out[k++] = active[i];
  return out;
}

/**
 * Move round(f·w) active cells of `sdr` to random cells that are inactive in `sdr`.
 *
 * @param f fraction of the active cells to move, 0 to 1 (0 returns the same cells).
 * @throws RangeError when f is outside [0, 1], or when the grid has fewer inactive cells than
 *   cells to move (an SDR denser than half the grid moved with a large f).
 */
export function moveNoise(sdr: SDR, f: number, rng: Rng): SDR {
  const active = sdr.active;
  const w = active.length;
  const n = gridSize(sdr.grid);
  const count = noiseCount(w, f);
  if (count > n - w) {
    throw new RangeError(
      `cannot move ${count} active cells: only ${n - w} of the ${n} cells are inactive`,
    );
  }
  const kept = keepUnmarked(active, pickPositions(rng, w, count), w - count);

  // Draw ranks among the n − w inactive cells, then turn rank r into a cell by walking the
  // sorted active list: the r-th inactive cell is r plus the number of active cells before it.
  const ranks = sampleWithoutReplacement(rng, n - w, count).sort();
  const added = new Uint32Array(count);
  let j = 0;
  for (let t = 0; t < count; t++) {
    const r = ranks[t];
    while (j < w && active[j] <= r + j) j++;
    added[t] = r + j;
  }

  const out = new Uint32Array(w);
  let a = 0;
  let b = 0;
  for (let k = 0; k < w; k++) {
    out[k] = b >= count || (a < kept.length && kept[a] < added[b]) ? kept[a++] : added[b++];
  }
  return sdrFromSorted(sdr.grid, out);
}

/**
 * Switch off round(f·w) random active cells of `sdr`.
 *
 * @param f fraction of the active cells to drop, 0 to 1 (1 leaves an empty SDR).
 */
export function dropNoise(sdr: SDR, f: number, rng: Rng): SDR {
  const w = sdr.active.length;
  const count = noiseCount(w, f);
  return sdrFromSorted(sdr.grid, keepUnmarked(sdr.active, pickPositions(rng, w, count), w - count));
}

/**
 * Flip each of the n cells independently with probability p (on → off, off → on).
 *
 * Costs O(w + p·n) rather than n draws: the gap to the next flipped cell is geometric,
 * ⌊ln U / ln(1 − p)⌋ with U uniform in (0, 1], so one draw per flip (Devroye, "Non-Uniform
 * Random Variate Generation", 1986, ch. X.2).
 *
 * @param p flip probability per cell, 0 to 1 (0 keeps the SDR, 1 gives its complement).
 */
export function flipNoise(sdr: SDR, p: number, rng: Rng): SDR {
  checkProbability('flip probability', p);
  if (p === 0) return sdrFromSorted(sdr.grid, sdr.active.slice());
  if (p === 1) return complement(sdr);
  const n = gridSize(sdr.grid);
  const logKeep = Math.log1p(-p);

  let flips = new Uint32Array(Math.max(16, Math.ceil(1.2 * p * n) + 16));
  let count = 0;
  let cell = -1;
  for (;;) {
    const gap = Math.floor(Math.log(1 - rng()) / logKeep);
    cell += gap + 1;
    if (!(cell < n)) break;
    if (count === flips.length) {
      const grown = new Uint32Array(flips.length * 2);
      grown.set(flips);
      flips = grown;
    }
    flips[count++] = cell;
  }

  // Symmetric difference of the active cells and the flipped cells (both sorted).
  const active = sdr.active;
  const out = new Uint32Array(active.length + count);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < active.length && j < count) {
    const u = active[i];
    const v = flips[j];
    if (u < v) {
      out[k++] = u;
      i++;
    } else if (v < u) {
      out[k++] = v;
      j++;
    } else {
      i++;
      j++;
    }
  }
  while (i < active.length) out[k++] = active[i++];
  while (j < count) out[k++] = flips[j++];
  return sdrFromSorted(sdr.grid, out.slice(0, k));
}
