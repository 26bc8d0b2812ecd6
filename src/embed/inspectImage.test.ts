import { describe, expect, it } from 'vitest';
import { inspectImage } from './inspectImage.ts';

const enc = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const u32be = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
const u16be = (v: number) => [(v >> 8) & 255, v & 255];

function png(w: number, h: number, complete = true): Blob {
  const head = [
    0x89,
    ...enc('PNG\r\n\x1a\n'),
    ...u32be(13),
    ...enc('IHDR'),
    ...u32be(w),
    ...u32be(h),
    8,
    6,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ];
  const end = complete ? [...u32be(0), ...enc('IEND'), 0xae, 0x42, 0x60, 0x82] : [];
  return new Blob([new Uint8Array([...head, ...new Array(100).fill(7), ...end])]);
}

describe('inspectImage', () => {
  it('accepts a complete image and reports its displayed size', async () => {
    expect(await inspectImage(png(300, 200))).toEqual({
      ok: true,
      header: { format: 'png', width: 300, height: 200, orientation: 1 },
      displayed: { width: 300, height: 200 },
    });
  });

  it('refuses a pixel bomb from its header alone', async () => {
    const r = await inspectImage(png(20000, 20000));
    expect(r).toEqual({
      ok: false,
      reason: 'it is 400 megapixels (20000×20000); the limit is 100',
    });
    expect((await inspectImage(png(20000, 20000), 500)).ok).toBe(true);
  });

  it('refuses empty and truncated files', async () => {
    expect(await inspectImage(new Blob([]))).toEqual({
      ok: false,
      reason: 'it is empty (0 bytes)',
    });
    expect(await inspectImage(png(10, 10, false))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/truncated PNG/),
    });
  });

  it('reads further into a JPEG whose frame header sits behind large metadata', async () => {
    // 200 KiB of APP2 (ICC-style) segments before SOF0: more than the first read.
    const parts: number[] = [0xff, 0xd8];
    const segment = new Array(65000).fill(1);
    for (let i = 0; i < 4; i++) parts.push(0xff, 0xe2, ...u16be(segment.length + 2), ...segment);
    parts.push(
      0xff,
      0xc0,
      ...u16be(11),
      8,
      ...u16be(90),
      ...u16be(160),
      1,
      1,
      0x11,
      0,
      0xff,
      0xda,
      0,
      2,
      0xff,
      0xd9,
    );
    const r = await inspectImage(new Blob([new Uint8Array(parts)]));
    expect(r).toMatchObject({ ok: true, header: { format: 'jpeg', width: 160, height: 90 } });
  });
});
