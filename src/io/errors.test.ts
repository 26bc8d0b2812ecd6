import { describe, expect, it } from 'vitest';
import { EmbeddingsError, FileFormatError, formatCount, MapFileError, NpyError } from './errors.ts';

describe('file format errors', () => {
  it('share one base class, keep their own name and message', () => {
    for (const E of [NpyError, EmbeddingsError, MapFileError]) {
      const e = new E('file is truncated');
      expect(e).toBeInstanceOf(FileFormatError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(E.name);
      expect(e.message).toBe('file is truncated');
      expect(String(e)).toBe(`${E.name}: file is truncated`);
    }
    expect(new NpyError('x')).not.toBeInstanceOf(MapFileError);
  });

  it('keeps every message on one line', () => {
    expect(new MapFileError('bad JSON near "[1,\n  2"\r\n').message).toBe('bad JSON near "[1, 2" ');
  });

  it('formats counts with thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(-1234567)).toBe('-1,234,567');
    expect(formatCount(512_000_000_000)).toBe('512,000,000,000');
    expect(formatCount(1.5)).toBe('1.5');
    expect(formatCount(1e30)).toBe('1e+30');
  });
});
