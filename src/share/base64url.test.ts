import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Base64UrlError,
  base64UrlLength,
  base64UrlProblem,
  decodeBase64Url,
  encodeBase64Url,
} from './base64url.ts';

describe('encodeBase64Url / decodeBase64Url', () => {
  it('agrees with Node’s own base64url and round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(text.length).toBe(base64UrlLength(bytes.length));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('handles the empty input and the three tail lengths', () => {
    expect(encodeBase64Url(new Uint8Array())).toBe('');
    expect(decodeBase64Url('')).toEqual(new Uint8Array());
    expect(encodeBase64Url(Uint8Array.of(0xfb))).toBe('-w');
    expect(encodeBase64Url(Uint8Array.of(0xfb, 0xff))).toBe('-_8');
    expect(encodeBase64Url(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('-_-_');
    expect(decodeBase64Url('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('encodes more than one slice of output (large inputs)', () => {
    const bytes = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 31) & 255);
    const text = encodeBase64Url(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64url'));
    expect(Buffer.compare(decodeBase64Url(text), bytes)).toBe(0);
  });
});

describe('hostile base64url text', () => {
  const refused: Array<[string, RegExp]> = [
    ['QUJD=', /length/],
    ['QUJ=', /character 4/],
    ['QU+D', /character 3/],
    ['QU/D', /character 3/],
    ['QU D', /character 3/],
    ['QUé=', /character 3/],
    ['QUJ\u0000', /character 4/],
    ['A', /length/],
    ['AB', /stray bits/], // 'AA' is the only canonical text for the byte 0x00
    ['AAB', /stray bits/],
  ];
  it.each(refused)('refuses %j with a clear reason', (text, reason) => {
    expect(base64UrlProblem(text)).toMatch(reason);
    expect(() => decodeBase64Url(text)).toThrow(Base64UrlError);
    expect(() => decodeBase64Url(text)).toThrow(reason);
  });

  it('checks the length cap before looking at the characters', () => {
    const huge = '!'.repeat(100_000);
    expect(base64UrlProblem(huge, 1000)).toMatch(/100,000 characters long; at most 1,000/);
    expect(() => decodeBase64Url('AAAA', 3)).toThrow(/at most 3/);
    expect(decodeBase64Url('AAAA', 4)).toEqual(new Uint8Array(3));
  });

  it('refuses non-text input with its own error, not a TypeError', () => {
    expect(() => decodeBase64Url(42 as unknown as string)).toThrow(Base64UrlError);
  });
});
