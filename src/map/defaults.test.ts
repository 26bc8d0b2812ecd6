import { describe, expect, it } from 'vitest';
import { defaultGrid, defaultK, DEFAULT_K_MAX, DEFAULT_K_MIN } from './defaults.ts';

describe('training defaults', () => {
  it('make about 2% of the default map active at the default K', () => {
    const grid = defaultGrid();
    const units = grid.rows * grid.cols;
    expect(grid).toEqual({ rows: 32, cols: 32, topology: 'rect' });
    expect(defaultK(units)).toBe(20);
    expect(defaultK(units) / units).toBeCloseTo(0.02, 2);
  });

  it('keep K near 2% of any map, within its bounds and never above its units', () => {
    expect(defaultK(16 * 16)).toBe(5);
    expect(defaultK(64 * 64)).toBe(82);
    expect(defaultK(4 * 4)).toBe(DEFAULT_K_MIN);
    expect(defaultK(2)).toBe(2);
    expect(defaultK(1024 * 1024)).toBe(DEFAULT_K_MAX);
  });
});
