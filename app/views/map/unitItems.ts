/**
 * "Top items of a unit": the dataset items nearest to a unit's weight vector, cached per unit
 * for one (map, dataset) pair so hovering across the map stays cheap. DOM-free.
 */
import type { SomModel } from '../../../src/index.ts';
import { nearestRows } from '../../lib/nearestRows.ts';

export interface UnitItem {
  /** Row of the item in the dataset. */
  readonly index: number;
  readonly label: string;
  /** Cosine between the item's embedding and the unit's weights. */
  readonly cosine: number;
}

/**
 * A lookup of the `count` nearest items per unit (default 3, range 1..50), computed on first
 * ask and kept. Create a new one when the map or the dataset changes.
 */
export function createUnitItemLookup(
  som: SomModel,
  embeddings: Float32Array,
  labels: readonly string[],
  count = 3,
): (unit: number) => readonly UnitItem[] {
  if (!Number.isInteger(count) || count < 1 || count > 50) {
    throw new RangeError(`count must be a whole number from 1 to 50, got ${count}`);
  }
  const d = som.dim;
  const n = d > 0 ? Math.floor(embeddings.length / d) : 0;
  const m = som.grid.rows * som.grid.cols;
  const cache = new Map<number, readonly UnitItem[]>();
  return (unit) => {
    if (!Number.isInteger(unit) || unit < 0 || unit >= m || n === 0) return [];
    const hit = cache.get(unit);
    if (hit) return hit;
    const row = som.codebook.subarray(unit * d, (unit + 1) * d);
    const { index, cosine } = nearestRows(row, embeddings.subarray(0, n * d), n, d, count);
    const items = Array.from(index, (i, r) => ({
      index: i,
      label: labels[i] ?? `item ${i + 1}`,
      cosine: cosine[r],
    }));
    cache.set(unit, items);
    return items;
  };
}
