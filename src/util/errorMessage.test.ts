import { describe, expect, it } from 'vitest';
import { errorMessage } from './errorMessage.ts';

describe('errorMessage', () => {
  it('gives an Error its message', () => {
    expect(errorMessage(new RangeError('k must be 1 to 1024'))).toBe('k must be 1 to 1024');
  });

  it('names an Error without a message instead of saying nothing', () => {
    expect(errorMessage(new TypeError(''))).toBe('TypeError');
  });

  it('turns anything else into text', () => {
    expect(errorMessage('worker died')).toBe('worker died');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
