/**
 * base64url (RFC 4648 §5: `A–Z a–z 0–9 - _`, no padding) for maps carried inside a link.
 *
 * Written by hand instead of atob/btoa or Buffer: the same code runs in Node, workers and the
 * page, and decoding validates the whole text (alphabet, length, canonical trailing bits)
 * before it allocates anything, because the text comes from a link anyone can craft.
 */

/** Bad base64url text; the message says what is wrong, in one line. */
export class Base64UrlError extends Error {
  override readonly name = 'Base64UrlError';
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Char code (0..127) → 6-bit value, or -1 outside the alphabet. */
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Characters of base64url text encoding `byteLength` bytes (no padding). */
export function base64UrlLength(byteLength: number): number {
  return Math.ceil((byteLength * 4) / 3);
}

/** Bytes → base64url text without padding. */
export function encodeBase64Url(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(base64UrlLength(n));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = ENCODE[v >>> 18];
    out[o++] = ENCODE[(v >>> 12) & 63];
    out[o++] = ENCODE[(v >>> 6) & 63];
    out[o++] = ENCODE[v & 63];
  }
  if (n - i === 1) {
    const v = bytes[i];
    out[o++] = ENCODE[v >>> 2];
    out[o++] = ENCODE[(v & 3) << 4];
  } else if (n - i === 2) {
    const v = (bytes[i] << 8) | bytes[i + 1];
    out[o++] = ENCODE[v >>> 10];
    out[o++] = ENCODE[(v >>> 4) & 63];
    out[o++] = ENCODE[(v & 15) << 2];
  }
  // fromCharCode in slices: one call per 8 K characters keeps clear of argument-count limits.
  let text = '';
  for (let s = 0; s < out.length; s += 8192) {
    text += String.fromCharCode(...out.subarray(s, s + 8192));
  }
  return text;
}

/**
 * Why `text` is not canonical unpadded base64url, or null when it is. Checks the length first
 * (so a huge string costs nothing when `maxChars` is given), then every character, then that
 * the unused low bits of the last character are zero (so each byte string has exactly one
 * text, and a link cannot smuggle extra bits).
 *
 * @param maxChars longest text accepted; default Infinity, range ≥ 0.
 */
export function base64UrlProblem(text: string, maxChars = Infinity): string | null {
  const len = text.length;
  if (len > maxChars) {
    return `it is ${len.toLocaleString('en')} characters long; at most ${maxChars.toLocaleString('en')} are allowed`;
  }
  if (len % 4 === 1) return `its length (${len}) is not a possible base64url length`;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || DECODE[c] < 0) {
      return `character ${i + 1} is not base64url (allowed: A–Z a–z 0–9 - _, no padding)`;
    }
  }
  if (len > 0) {
    const last = DECODE[text.charCodeAt(len - 1)];
    const unusedBits = len % 4 === 2 ? 15 : len % 4 === 3 ? 3 : 0;
    if ((last & unusedBits) !== 0) return 'its last character has stray bits (it was altered)';
  }
  return null;
}

/**
 * base64url text → bytes. Throws Base64UrlError (before allocating) when the text is longer
 * than `maxChars`, has a character outside the alphabet, padding, an impossible length or
 * non-zero trailing bits.
 *
 * @param maxChars longest text accepted; default Infinity, range ≥ 0.
 */
export function decodeBase64Url(text: string, maxChars = Infinity): Uint8Array {
  if (typeof text !== 'string') throw new Base64UrlError('base64url input must be text');
  const problem = base64UrlProblem(text, maxChars);
  if (problem !== null) throw new Base64UrlError(`not valid base64url: ${problem}`);
  const len = text.length;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < len; i += 4) {
    const v =
      (DECODE[text.charCodeAt(i)] << 18) |
      (DECODE[text.charCodeAt(i + 1)] << 12) |
      (DECODE[text.charCodeAt(i + 2)] << 6) |
      DECODE[text.charCodeAt(i + 3)];
    out[o++] = v >>> 16;
    out[o++] = (v >>> 8) & 255;
    out[o++] = v & 255;
  }
  if (len - i === 2) {
    out[o++] = (DECODE[text.charCodeAt(i)] << 2) | (DECODE[text.charCodeAt(i + 1)] >>> 4);
  } else if (len - i === 3) {
    const v =
      (DECODE[text.charCodeAt(i)] << 12) |
      (DECODE[text.charCodeAt(i + 1)] << 6) |
      DECODE[text.charCodeAt(i + 2)];
    out[o++] = v >>> 10;
    out[o++] = (v >>> 2) & 255;
  }
  return out;
}
