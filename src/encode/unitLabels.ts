/**
 * A label for every unit of a map: the label of the row (a training item, or a vocabulary
 * concept) whose embedding points most nearly the same way as the unit's weights (highest
 * cosine). Any map in CLIP space can be labelled so: the `sdr train` command labels units with
 * item labels, the page labels them with its concept vocabulary.
 *
 * With unit-length rows, for a fixed unit the cosine ranks rows exactly as the plain product
 * w·x does (the unit's own length is a common factor), so one product per block of units does
 * it; blocks keep the m×n score matrix from ever being held whole.
 */
import { gridSize } from '../grid/grid.ts';
import { normalizedRows } from '../io/embeddings.ts';
import type { MatmulBackend } from '../som/backend.ts';
import type { SomModel } from '../som/types.ts';

/** Most floats in one unit-block × items score block (16 MiB). */
const MAX_BLOCK_FLOATS = 4_194_304;

/**
 * For each of the map's m units, the index of the item (row of `items`, n·d, any length: a
 * unit-length copy is compared) with the highest cosine to it; ties go to the lower
 * item index.
 */
export async function nearestItemPerUnit(
  backend: MatmulBackend,
  model: SomModel,
  items: Float32Array,
  n: number,
): Promise<Uint32Array> {
  const m = gridSize(model.grid);
  const d = model.dim;
  if (!Number.isInteger(n) || n < 1 || items.length < n * d) {
    throw new RangeError(`need at least one item of ${d} values, got ${items.length} values for n = ${n}`); // prettier-ignore
  }
  items = normalizedRows(items, n, d);
  const block = Math.max(1, Math.min(m, Math.floor(MAX_BLOCK_FLOATS / n)));
  const scores = new Float32Array(block * n);
  const nearest = new Uint32Array(m);
  for (let start = 0; start < m; start += block) {
    const units = Math.min(block, m - start);
    const weights = model.codebook.subarray(start * d, (start + units) * d);
    await backend.scores(weights, units, items, n, d, scores);
    for (let u = 0; u < units; u++) {
      const o = u * n;
      let best = 0;
      let bestScore = scores[o];
      for (let i = 1; i < n; i++) {
        if (scores[o + i] > bestScore) {
          bestScore = scores[o + i];
          best = i;
        }
      }
      nearest[start + u] = best;
    }
  }
  return nearest;
}

/** Labels of the m units: `names[nearestItemPerUnit(…)[j]]`; `names` has one entry per row. */
export async function labelUnits(
  backend: MatmulBackend,
  model: SomModel,
  rows: Float32Array,
  names: readonly string[],
): Promise<string[]> {
  const nearest = await nearestItemPerUnit(backend, model, rows, names.length);
  return Array.from(nearest, (i) => names[i]);
}
