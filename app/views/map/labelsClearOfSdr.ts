/**
 * Region labels that keep clear of an SDR: labels are drawn over the cells, so the labels of
 * the active units and of the cells a label there would cover are left out, and the SDR's cells
 * stay visible. The rest of the map keeps its labels. DOM-free.
 */
import type { Grid } from '../../../src/index.ts';

/**
 * A copy of `labels` with '' for every unit within `across` columns (default 3: a label is a
 * few cells wide) on the same row, or one row above or below within one column, of an active
 * unit of `active`. Without active units, `labels` itself comes back.
 */
export function labelsClearOfSdr(
  labels: readonly string[],
  grid: Grid,
  active: ArrayLike<number>,
  across = 3,
): readonly string[] {
  if (active.length === 0) return labels;
  const { rows, cols } = grid;
  const out = labels.slice();
  for (let i = 0; i < active.length; i++) {
    const r = Math.floor(active[i] / cols);
    const c = active[i] - r * cols;
    for (let dr = -1; dr <= 1; dr++) {
      const rr = r + dr;
      if (rr < 0 || rr >= rows) continue;
      const reach = dr === 0 ? across : 1;
      for (let cc = Math.max(0, c - reach); cc <= Math.min(cols - 1, c + reach); cc++) {
        out[rr * cols + cc] = '';
      }
    }
  }
  return out;
}
