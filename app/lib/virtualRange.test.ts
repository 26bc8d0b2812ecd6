import { describe, expect, it } from 'vitest';
import { cellPosition, gridLayout, visibleCells } from './virtualRange.ts';

describe('gridLayout', () => {
  it('fits as many columns as CSS auto-fill would, and the height of every row', () => {
    // 1000 px, cells ≥ 150 px, 10 px gaps: 6 columns (6·150 + 5·10 = 950 ≤ 1000 < 7·150 + 60).
    const l = gridLayout(100_000, 1000, 150, 160, 10);
    expect(l.columns).toBe(6);
    expect(l.cellWidth).toBeCloseTo((1000 - 50) / 6);
    expect(l.rows).toBe(Math.ceil(100_000 / 6));
    expect(l.height).toBe(l.rows * 160 + (l.rows - 1) * 10);
  });

  it('keeps one column in a box narrower than a cell, and no height for no cells', () => {
    expect(gridLayout(5, 40, 150, 100, 10).columns).toBe(1);
    expect(gridLayout(0, 1000, 150, 100, 10).height).toBe(0);
  });
});

describe('visibleCells', () => {
  const count = 100_000;
  const layout = gridLayout(count, 1000, 150, 160, 10);

  it('draws a screenful plus overscan at the top, not the whole list', () => {
    const r = visibleCells(count, layout, 160, 10, 0, 500, 2);
    expect(r.start).toBe(0);
    // Rows 0–2 meet 0–500 px (pitch 170), plus 2 overscan rows: 5 rows of 6.
    expect(r.end).toBe(5 * 6);
  });

  it('reaches the last cell when scrolled to the end', () => {
    const r = visibleCells(count, layout, 160, 10, layout.height - 500, 500, 2);
    expect(r.end).toBe(count);
    expect(r.end - r.start).toBeLessThan(60);
  });

  it('covers every cell as the box scrolls through, with no gap between screens', () => {
    const seen = new Uint8Array(count);
    for (let top = 0; top < layout.height; top += 500) {
      const r = visibleCells(count, layout, 160, 10, top, 500, 0);
      for (let i = r.start; i < r.end; i++) seen[i] = 1;
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('places a cell at its row and column', () => {
    const p = cellPosition(13, layout, 160, 10);
    expect(p.top).toBe(2 * 170);
    expect(p.left).toBeCloseTo(1 * (layout.cellWidth + 10));
  });
});
