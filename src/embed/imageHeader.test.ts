import { describe, expect, it } from 'vitest';
import { looksComplete, readImageHeader } from './imageHeader.ts';

const enc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const u32le = (v: number) => u32be(v).reverse();
const u16be = (v: number) => [(v >> 8) & 255, v & 255];
const u16le = (v: number) => [v & 255, (v >> 8) & 255];
const bytes = (...parts: number[][]) => new Uint8Array(parts.flat());

function png(w: number, h: number) {
  return bytes(
    [0x89],
    enc('PNG\r\n\x1a\n'),
    u32be(13),
    enc('IHDR'),
    u32be(w),
    u32be(h),
    [8, 6, 0, 0, 0],
    [0, 0, 0, 0],
    u32be(0),
    enc('IEND'),
    [0xae, 0x42, 0x60, 0x82],
  );
}

/** A JPEG with an EXIF block (orientation `o`, big-endian TIFF) before its SOF0. */
function jpeg(w: number, h: number, o?: number) {
  const parts: number[][] = [[0xff, 0xd8]];
  if (o !== undefined) {
    const tiff = [
      ...enc('MM'),
      ...u16be(42),
      ...u32be(8),
      ...u16be(1),
      ...u16be(0x0112),
      ...u16be(3),
      ...u32be(1),
      ...u16be(o),
      0,
      0,
      ...u32be(0),
    ];
    const exif = [...enc('Exif\0\0'), ...tiff];
    parts.push([0xff, 0xe1], u16be(exif.length + 2), exif);
  }
  parts.push([0xff, 0xdb], u16be(4), [0, 0]); // a quantisation table stub
  parts.push([0xff, 0xc0], u16be(11), [8], u16be(h), u16be(w), [1, 1, 0x11, 0]);
  parts.push([0xff, 0xda], u16be(2), [0xff, 0xd9]);
  return bytes(...parts);
}

describe('readImageHeader', () => {
  it('reads PNG, GIF, BMP sizes', () => {
    expect(readImageHeader(png(640, 480))).toEqual({
      ok: true,
      header: { format: 'png', width: 640, height: 480, orientation: 1 },
    });
    const gif = bytes(enc('GIF89a'), u16le(320), u16le(200), [0, 0, 0, 0x3b]);
    expect(readImageHeader(gif)).toMatchObject({
      ok: true,
      header: { format: 'gif', width: 320, height: 200 },
    });
    // A top-down BMP stores a negative height.
    const bmp = bytes(
      enc('BM'),
      u32le(70),
      u32le(0),
      u32le(54),
      u32le(40),
      u32le(100),
      u32le(-50 >>> 0),
      new Array(16).fill(0),
    );
    expect(readImageHeader(bmp)).toMatchObject({
      ok: true,
      header: { format: 'bmp', width: 100, height: 50 },
    });
  });

  it('reads the three WebP kinds', () => {
    const head = (chunk: string, body: number[]) =>
      bytes(
        enc('RIFF'),
        u32le(4 + 8 + body.length),
        enc('WEBP'),
        enc(chunk),
        u32le(body.length),
        body,
      );
    const vp8x = head('VP8X', [
      0,
      0,
      0,
      0,
      ...[1023 & 255, 1023 >> 8, 0],
      ...[767 & 255, 767 >> 8, 0],
    ]);
    expect(readImageHeader(vp8x)).toMatchObject({
      ok: true,
      header: { format: 'webp', width: 1024, height: 768 },
    });
    const bits = (99 & 0x3fff) | ((49 & 0x3fff) << 14);
    const vp8l = head('VP8L', [0x2f, ...u32le(bits), 0, 0, 0, 0, 0]);
    expect(readImageHeader(vp8l)).toMatchObject({ ok: true, header: { width: 100, height: 50 } });
    const vp8 = head('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...u16le(300), ...u16le(150), 0, 0]);
    expect(readImageHeader(vp8)).toMatchObject({ ok: true, header: { width: 300, height: 150 } });
  });

  it('reads a JPEG size past its other segments, with the EXIF orientation', () => {
    expect(readImageHeader(jpeg(4000, 3000))).toMatchObject({
      ok: true,
      header: { format: 'jpeg', width: 4000, height: 3000, orientation: 1 },
    });
    expect(readImageHeader(jpeg(4000, 3000, 6))).toMatchObject({
      ok: true,
      header: { orientation: 6 },
    });
  });

  it('reads an AVIF size from its ispe box', () => {
    const avif = bytes(
      u32be(20),
      enc('ftypavif'),
      u32be(0),
      enc('avif'),
      u32be(20),
      enc('ispe'),
      u32be(0),
      u32be(1920),
      u32be(1080),
    );
    expect(readImageHeader(avif)).toMatchObject({
      ok: true,
      header: { format: 'avif', width: 1920, height: 1080 },
    });
  });

  it('names what it refuses', () => {
    const reason = (b: Uint8Array) => {
      const r = readImageHeader(b);
      return r.ok || r.needMore ? '' : r.reason;
    };
    expect(reason(new Uint8Array(0))).toMatch(/empty/);
    expect(reason(bytes(enc('%PDF-1.7\n%abcdef')))).toMatch(/PDF/);
    expect(reason(bytes(u32be(24), enc('ftypheic'), u32be(0), enc('mif1heic')))).toMatch(/HEIC/);
    expect(reason(bytes(enc('hello, this is plain text')))).toMatch(/not a PNG, JPEG/);
    expect(reason(bytes(enc('<svg xmlns="x"></svg>')))).toMatch(/SVG/);
  });

  it('asks for more bytes when given a prefix, calls it truncated when given the whole file', () => {
    const j = jpeg(10, 10, 3);
    const prefix = j.subarray(0, 20);
    expect(readImageHeader(prefix, j.length)).toEqual({ ok: false, needMore: true });
    expect(readImageHeader(prefix)).toMatchObject({
      ok: false,
      needMore: false,
      reason: expect.stringMatching(/truncated/),
    });
  });
});

describe('looksComplete', () => {
  it('finds the end markers of PNG, JPEG and GIF', () => {
    const p = png(2, 2);
    expect(looksComplete('png', p, p.slice(-16), p.length)).toBe(true);
    expect(looksComplete('png', p, p.slice(-30, -12), p.length - 12)).toBe(false);
    const j = jpeg(2, 2);
    expect(looksComplete('jpeg', j, j, j.length)).toBe(true);
    expect(looksComplete('jpeg', j, j.slice(0, -2), j.length - 2)).toBe(false);
    expect(looksComplete('gif', new Uint8Array(0), bytes([1, 0x3b, 0, 0]), 4)).toBe(true);
    expect(looksComplete('gif', new Uint8Array(0), bytes([1, 2, 3]), 3)).toBe(false);
  });

  it('checks the WebP and BMP declared sizes against the file size', () => {
    const webp = bytes(enc('RIFF'), u32le(1000), enc('WEBP'));
    expect(looksComplete('webp', webp, webp, 1008)).toBe(true);
    expect(looksComplete('webp', webp, webp, 500)).toBe(false);
    const bmp = bytes(enc('BM'), u32le(5000), u32le(0), u32le(54));
    expect(looksComplete('bmp', bmp, bmp, 5000)).toBe(true);
    expect(looksComplete('bmp', bmp, bmp, 100)).toBe(false);
  });
});
