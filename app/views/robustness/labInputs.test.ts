import { describe, expect, it } from 'vitest';
import { MAX_SEED, SAMPLE_SIZES, parseSeed, sampleSizeText } from './labInputs.ts';

describe('parseSeed', () => {
  it('takes whole numbers from 0 to 2^32 − 1, cutting off fractions', () => {
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed('7.9')).toBe(7);
    expect(parseSeed(String(MAX_SEED))).toBe(2 ** 32 - 1);
  });
  it('refuses what is not a seed, so the field keeps its last good value', () => {
    expect(parseSeed('-1')).toBeNull();
    expect(parseSeed(String(2 ** 32))).toBeNull();
    expect(parseSeed('abc')).toBeNull();
    expect(parseSeed('Infinity')).toBeNull();
  });
});

describe('sampleSizeText', () => {
  it('shows the size alone, or the dataset size and "(all)" when the size is larger', () => {
    expect(SAMPLE_SIZES.map((s) => sampleSizeText(s))).toEqual(['100', '200', '500', '1000']);
    expect(SAMPLE_SIZES.map((s) => sampleSizeText(s, 300))).toEqual([
      '100',
      '200',
      '300 (all)',
      '300 (all)',
    ]);
    expect(sampleSizeText(200, 200)).toBe('200');
  });
});
