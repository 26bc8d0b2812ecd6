/**
 * The overlap index (src/sdr/overlapIndex.ts) of a whole encoding's SDRs, counted a slice of
 * rows at a time with the page's thread handed back between slices: at 100,000 items of K = 82
 * the postings hold 8.2 million ids, whose counting sort in one go blocked the page for a few
 * hundred milliseconds on each view that searched. Each slice runs for about `sliceMs`
 * (default 8 ms, from 1); the layout is the one OverlapIndex.build() makes (each unit's item
 * ids ascending), so searches give the same answers.
 */
import { gridSize, OverlapIndex, type Grid } from '../../src/index.ts';
import { handBack, runSliced } from './slices.ts';

/** An encoding's SDRs: n rows of k ascending unit indices. */
interface ActiveRowsOnGrid {
  readonly grid: Grid;
  readonly n: number;
  readonly k: number;
  readonly active: Uint32Array;
}

/** The build was given up (`isWanted` said no at a slice boundary). */
export class OverlapIndexAbandoned extends Error {
  override readonly name = 'OverlapIndexAbandoned';
}

/**
 * Rows between clock reads: ~20,000 ids at K = 82, well under a millisecond once V8 has
 * optimised the loops; before that (a view's first build) 2,048 rows took 35 ms in the page.
 */
const ROWS_PER_CHECK = 256;

/**
 * Build the index of `rows`, handing the thread back every `sliceMs`; `isWanted` (default
 * always) is asked at each slice boundary and a no abandons the build.
 *
 * @throws RangeError (as a rejection) when a row holds a unit outside the grid or is not
 *   strictly ascending (a repeated unit).
 */
export async function buildOverlapIndexSliced(
  rows: ActiveRowsOnGrid,
  options: { readonly sliceMs?: number; readonly isWanted?: () => boolean } = {},
): Promise<OverlapIndex> {
  const isWanted = options.isWanted ?? (() => true);
  const { grid, n, k, active } = rows;
  const m = gridSize(grid);
  if (active.length < n * k) {
    throw new RangeError(`${active.length} unit indices cannot hold ${n} rows of ${k}`);
  }
  // The first slice in a task of its own: the caller is often a view's first render, whose
  // task already holds that view's layout and drawing.
  await handBack();
  if (!isWanted()) throw new OverlapIndexAbandoned('the encoding changed');
  const offsets = new Uint32Array(m + 1);
  // Pass over rows [0, n) in slices: `work(start, end)` does rows [start, end).
  const sliced = async (work: (start: number, end: number) => void) => {
    const done = await runSliced(n, ROWS_PER_CHECK, work, { sliceMs: options.sliceMs, isWanted });
    if (!done) throw new OverlapIndexAbandoned('the encoding changed');
  };
  await sliced((start, end) => {
    for (let r = start; r < end; r++) {
      let previous = -1;
      for (let j = r * k, stop = j + k; j < stop; j++) {
        const u = active[j];
        if (u >= m) throw new RangeError(`row ${r} has unit ${u}, outside the grid of ${m} units`);
        if (u <= previous) throw new RangeError(`row ${r} is not strictly ascending at unit ${u}`);
        previous = u;
        offsets[u + 1]++;
      }
    }
  });
  for (let u = 0; u < m; u++) offsets[u + 1] += offsets[u];
  const postings = new Uint32Array(n * k);
  const cursor = offsets.slice(0, m);
  await sliced((start, end) => {
    for (let r = start; r < end; r++) {
      for (let j = r * k, stop = j + k; j < stop; j++) postings[cursor[active[j]]++] = r;
    }
  });
  return OverlapIndex.fromPostings(grid, n, offsets, postings);
}
