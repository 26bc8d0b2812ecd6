/**
 * Which part of a long grid of equal cells to draw: the rows a scroll box shows plus a few more
 * on each side (overscan), so 100,000 items cost as many DOM nodes as one screenful while the
 * scroll height stays that of all of them. DOM-free (app/components/VirtualGrid.tsx draws it).
 */

export interface GridLayout {
  /** Cells per row, at least 1. */
  readonly columns: number;
  /** Width of one cell, px (the row's width shared out after the gaps). */
  readonly cellWidth: number;
  /** Rows of the whole grid. */
  readonly rows: number;
  /** Height of the whole grid, px: rows of `rowHeight` with `gap` between them. */
  readonly height: number;
}

/**
 * The layout CSS `repeat(auto-fill, minmax(minCellWidth, 1fr))` gives `count` cells in a box
 * `width` px wide with `gap` px between cells, rows `rowHeight` px tall.
 */
export function gridLayout(
  count: number,
  width: number,
  minCellWidth: number,
  rowHeight: number,
  gap: number,
): GridLayout {
  const usable = Math.max(0, width);
  const columns = Math.max(1, Math.floor((usable + gap) / (minCellWidth + gap)));
  const cellWidth = Math.max(0, (usable - gap * (columns - 1)) / columns);
  const rows = Math.ceil(Math.max(0, count) / columns);
  const height = rows === 0 ? 0 : rows * rowHeight + (rows - 1) * gap;
  return { columns, cellWidth, rows, height };
}

/** Cells `[start, end)` to draw. */
export interface CellRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The cells whose rows meet the visible band `[scrollTop, scrollTop + viewHeight)`, widened by
 * `overscan` rows each way (default 2, from 0), for `count` cells laid out by `layout`.
 */
export function visibleCells(
  count: number,
  layout: GridLayout,
  rowHeight: number,
  gap: number,
  scrollTop: number,
  viewHeight: number,
  overscan = 2,
): CellRange {
  if (count <= 0 || layout.rows === 0) return { start: 0, end: 0 };
  const pitch = rowHeight + gap;
  const top = Math.max(0, scrollTop);
  const firstRow = Math.max(0, Math.floor(top / pitch) - overscan);
  const lastRow = Math.min(
    layout.rows - 1,
    Math.floor((top + Math.max(0, viewHeight)) / pitch) + overscan,
  );
  if (firstRow > lastRow) return { start: 0, end: 0 };
  return {
    start: firstRow * layout.columns,
    end: Math.min(count, (lastRow + 1) * layout.columns),
  };
}

/** Where cell `index` sits: its top and left, px. */
export function cellPosition(
  index: number,
  layout: GridLayout,
  rowHeight: number,
  gap: number,
): { readonly top: number; readonly left: number } {
  const row = Math.floor(index / layout.columns);
  const col = index % layout.columns;
  return { top: row * (rowHeight + gap), left: col * (layout.cellWidth + gap) };
}
