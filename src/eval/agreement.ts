/**
 * Whether a neighbour list survived noise: the lists are rows of item ids, best first, padded
 * with −1 (as denseNeighbours and overlapNeighboursInto write them).
 */

/** True when both rows name the same nearest item (both empty counts as the same). */
export function sameNearest(
  clean: Int32Array,
  cleanOffset: number,
  noisy: Int32Array,
  noisyOffset: number,
): boolean {
  return clean[cleanOffset] === noisy[noisyOffset];
}

/**
 * Share of the clean row's items that are still in the noisy row (order ignored), 0 to 1.
 * A clean row with no items scores 1 when the noisy row is empty too, else 0.
 */
export function sharedShare(
  clean: Int32Array,
  cleanOffset: number,
  noisy: Int32Array,
  noisyOffset: number,
  width: number,
): number {
  let cleanCount = 0;
  let shared = 0;
  let noisyCount = 0;
  for (let j = 0; j < width; j++) if (noisy[noisyOffset + j] >= 0) noisyCount++;
  for (let i = 0; i < width; i++) {
    const id = clean[cleanOffset + i];
    if (id < 0) continue;
    cleanCount++;
    for (let j = 0; j < width; j++) {
      if (noisy[noisyOffset + j] === id) {
        shared++;
        break;
      }
    }
  }
  if (cleanCount === 0) return noisyCount === 0 ? 1 : 0;
  return shared / cleanCount;
}

/** True when item `id` (≥ 0) is in the row. */
export function rowHas(row: Int32Array, offset: number, width: number, id: number): boolean {
  if (id < 0) return false;
  for (let j = 0; j < width; j++) if (row[offset + j] === id) return true;
  return false;
}
