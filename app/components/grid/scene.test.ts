import { describe, expect, it } from 'vitest';
import {
  GRID_COLORS,
  GridSceneError,
  IN_A,
  IN_B,
  LUT_SIZE,
  baseFill,
  describeScene,
  finiteExtent,
  formatValue,
  lutIndex,
  markColor,
  resolveScene,
  schemeLut,
} from './scene.ts';
import { makeGrid } from '../../../src/index.ts';

const grid = makeGrid(4, 4);

describe('resolveScene', () => {
  it('marks units of each SDR and counts the shared ones', () => {
    const r = resolveScene({
      grid,
      sdr: Uint32Array.of(0, 1, 5),
      compareSdr: Uint32Array.of(5, 9),
    });
    expect(r.state[0]).toBe(IN_A);
    expect(r.state[9]).toBe(IN_B);
    expect(r.state[5]).toBe(IN_A | IN_B);
    expect(r.state[2]).toBe(0);
    expect([r.countA, r.countB, r.countBoth]).toEqual([2, 1, 1]);
    expect(r.colorIndex).toBeNull();
    expect(baseFill(r, 3)).toBe(GRID_COLORS.empty);
  });

  it('maps the lowest value to the first colour and the highest to the last', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i * 0.5 - 2);
    const r = resolveScene({ grid, values });
    expect(r.domain).toEqual([-2, 5.5]);
    expect(r.colorIndex?.[0]).toBe(0);
    expect(r.colorIndex?.[15]).toBe(LUT_SIZE - 1);
    // Colour indices follow the values' order (a sequential scale is monotone).
    for (let i = 1; i < 16; i++)
      expect(r.colorIndex![i]).toBeGreaterThanOrEqual(r.colorIndex![i - 1]);
    expect(baseFill(r, 15)).toBe(schemeLut('viridis')[LUT_SIZE - 1]);
  });

  it('gives NaN units the no-data colour and ignores them for the domain', () => {
    const values = new Float32Array(16).fill(1);
    values[3] = Number.NaN;
    values[4] = 3;
    const r = resolveScene({ grid, values });
    expect(r.domain).toEqual([1, 3]);
    expect(r.colorIndex?.[3]).toBe(-1);
    expect(baseFill(r, 3)).toBe(GRID_COLORS.noData);
  });

  it('clamps values outside a given domain to its ends', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i);
    const r = resolveScene({ grid, values, domain: [4, 8] });
    expect(r.colorIndex?.[0]).toBe(0);
    expect(r.colorIndex?.[15]).toBe(LUT_SIZE - 1);
    expect(r.colorIndex?.[6]).toBe(lutIndex(6, 4, 8));
  });

  it('dims the underlay under filled SDR cells, not under outlines', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i);
    const sdr = Uint32Array.of(1);
    expect(resolveScene({ grid, values, sdr }).lut).toBe(schemeLut('viridis', true));
    expect(resolveScene({ grid, values, sdr, sdrStyle: 'outline' }).lut).toBe(schemeLut('viridis'));
    expect(resolveScene({ grid, values }).lut).toBe(schemeLut('viridis'));
    expect(resolveScene({ grid, values, sdr, dimUnderlay: false }).lut).toBe(schemeLut('viridis'));
  });

  it('refuses input that does not fit the grid with one clear message', () => {
    expect(() => resolveScene({ grid, values: new Float32Array(15) })).toThrow(
      /expected 16 underlay values.*got 15/,
    );
    expect(() => resolveScene({ grid, sdr: Uint32Array.of(16) })).toThrow(GridSceneError);
    expect(() => resolveScene({ grid, compareSdr: Uint32Array.of(99) })).toThrow(/comparison SDR/);
    expect(() => resolveScene({ grid, labels: ['a'] })).toThrow(/16 labels/);
    expect(() => resolveScene({ grid, values: new Float32Array(16), domain: [2, 1] })).toThrow(
      /low ≤ high/,
    );
    expect(() => resolveScene({ grid, scheme: 'rainbow' as unknown as 'viridis' })).toThrow(
      /unknown colour scheme "rainbow"/,
    );
  });
});

describe('colours', () => {
  it('every scheme gives LUT_SIZE hex colours, dark at the low end, bright at the high end', () => {
    const luminance = (hex: string) => {
      const n = parseInt(hex.slice(1), 16);
      return 0.2126 * (n >> 16) + 0.7152 * ((n >> 8) & 255) + 0.0722 * (n & 255);
    };
    for (const scheme of ['viridis', 'magma', 'greys', 'blues', 'cividis'] as const) {
      const lut = schemeLut(scheme);
      expect(lut).toHaveLength(LUT_SIZE);
      for (const c of lut) expect(c).toMatch(/^#[0-9a-f]{6}$/);
      expect(luminance(lut[0])).toBeLessThan(luminance(lut[LUT_SIZE - 1]));
    }
    // Dimmed colours are darker than their originals (mixed toward the dark page).
    expect(luminance(schemeLut('viridis', true)[200])).toBeLessThan(
      luminance(schemeLut('viridis')[200]),
    );
  });

  it('tells the three SDR marks apart', () => {
    const marks = new Set([markColor(IN_A), markColor(IN_B), markColor(IN_A | IN_B)]);
    expect(marks.size).toBe(3);
    expect(markColor(0)).toBeNull();
  });

  it('lutIndex puts a flat domain in the middle and NaN nowhere', () => {
    expect(lutIndex(3, 3, 3)).toBe(Math.round((LUT_SIZE - 1) / 2));
    expect(lutIndex(Number.NaN, 0, 1)).toBe(-1);
    expect(finiteExtent(Float32Array.of(Number.NaN, Infinity))).toBeNull();
    expect(finiteExtent(Float32Array.of(Number.NaN, 2, -1))).toEqual([-1, 2]);
  });
});

describe('describeScene', () => {
  it('says which SDR, how many units are active and how many are shared', () => {
    const r = resolveScene({
      grid: makeGrid(32, 32),
      sdr: Uint32Array.from({ length: 20 }, (_, i) => i * 3),
      compareSdr: Uint32Array.of(0, 3, 7),
    });
    const text = describeScene(r, { sdrName: 'cat', compareName: 'dog' });
    expect(text).toContain("SDR of 'cat': 20 of 1024 units active");
    expect(text).toContain("SDR of 'dog': 3 active, 2 shared");
    expect(text).toContain('32×32 square grid');
  });

  it('names the underlay and its range', () => {
    const values = Float32Array.from({ length: 16 }, (_, i) => i / 15);
    const text = describeScene(resolveScene({ grid: makeGrid(4, 4, 'hex'), values }), {
      valueLabel: 'U-matrix distance',
    });
    expect(text).toBe('colour shows U-matrix distance from 0 to 1; 4×4 hexagonal grid');
  });

  it('formats values briefly', () => {
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(1234.5)).toBe('1230');
    expect(formatValue(Number.NaN)).toBe('no data');
    expect(formatValue(2e-6)).toBe('2.00e-6');
  });
});
