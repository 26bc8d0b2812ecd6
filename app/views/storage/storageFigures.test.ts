import { describe, expect, it } from 'vitest';
import { formatBytes, formatRatio, storageFigures } from './storageFigures.ts';

describe('storageFigures', () => {
  it('counts 2-byte indices on maps up to 65,536 units', () => {
    const f = storageFigures(1203, 20, 512, 1024);
    expect(f.indexWidth).toBe(2);
    expect(f.indexBytes).toBe(1203 * 20 * 2);
    expect(f.denseFloatBytes).toBe(1203 * 512 * 4);
    expect(f.denseBitBytes).toBe(1203 * 128);
    expect(f.vsFloats).toBeCloseTo(51.2, 10);
    expect(f.vsBits).toBeCloseTo(3.2, 10);
  });

  it('switches to 4-byte indices above 65,536 units and pads bit rows to whole bytes', () => {
    const f = storageFigures(10, 40, 768, 300 * 300);
    expect(f.indexWidth).toBe(4);
    expect(f.indexBytes).toBe(10 * 40 * 4);
    expect(storageFigures(3, 1, 2, 9).denseBitBytes).toBe(3 * 2);
  });

  it('has no ratio for an empty dataset and refuses nonsense', () => {
    expect(Number.isNaN(storageFigures(0, 20, 512, 1024).vsFloats)).toBe(true);
    expect(() => storageFigures(5, 0, 512, 1024)).toThrow(/K must be/);
    expect(() => storageFigures(5, 30, 512, 16)).toThrow(/cannot exceed the map's 16 units/);
    expect(() => storageFigures(-1, 2, 512, 16)).toThrow(/item count/);
  });
});

describe('formatting', () => {
  it('writes bytes and ratios for people', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(48_120)).toBe('48.1 kB');
    expect(formatBytes(2_463_744)).toBe('2.46 MB');
    expect(formatBytes(512_000_000)).toBe('512 MB');
    expect(formatRatio(51.2)).toBe('51×');
    expect(formatRatio(3.2)).toBe('3.2×');
    expect(formatRatio(Number.NaN)).toBe('—');
  });
});
