import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
  it('matches the standard check values', () => {
    expect(crc32(enc('123456789'))).toBe(0xcbf43926); // the CRC-32/ISO-HDLC check value
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(enc('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('continues across pieces', () => {
    const all = enc('hello, sparse distributed world');
    expect(crc32(all.subarray(11), crc32(all.subarray(0, 11)))).toBe(crc32(all));
  });

  it('changes when any single bit flips', () => {
    const data = enc('a map file header and some sections');
    const base = crc32(data);
    for (let i = 0; i < data.length * 8; i++) {
      const copy = data.slice();
      copy[i >> 3] ^= 1 << (i & 7);
      expect(crc32(copy)).not.toBe(base);
    }
  });
});
