import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { readNpy } from '../io/npy.ts';
import { embedCommand } from './embed.ts';
import type { CliIo } from './command.ts';

// The fixture model (vitest globalSetup writes it), loaded like any model folder.
const modelDir = join(dirname(fileURLToPath(import.meta.url)), '../../public/models/fixture');
const MODEL = ['--model', 'clip-tiny', '--model-dir', modelDir];

function capture(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s) };
}

function rows(file: string) {
  const npy = readNpy(new Uint8Array(readFileSync(file)));
  const [n, d] = npy.shape;
  return { n, d, row: (i: number) => Array.from(npy.data.subarray(i * d, (i + 1) * d)) };
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** A real RGB PNG (zlib-compressed scanlines, CRCs included) that sharp can decode. */
function png(w: number, h: number, seed: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 255] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(h * (1 + w * 3));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w * 3; x++) raw[y * (1 + w * 3) + 1 + x] = (x * seed + y * 3 * seed) % 256;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('sdr embed', () => {
  it('writes texts as unit-length rows that readNpy reads back, with labels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdr-embed-'));
    const out = join(dir, 'emb.npy');
    const labels = join(dir, 'labels.txt');
    const textFile = join(dir, 'texts.txt');
    writeFileSync(textFile, 'a red car\n\na blue boat\n');
    const io = capture();
    const code = await embedCommand(
      [
        '--text',
        'a cat',
        '--text',
        'a dog',
        '--text-file',
        textFile,
        ...MODEL,
        '--out',
        out,
        '--labels',
        labels,
      ],
      io,
    );
    expect(code).toBe(0);
    const { n, d, row } = rows(out);
    expect([n, d]).toEqual([4, 512]);
    for (let i = 0; i < n; i++) expect(Math.sqrt(dot(row(i), row(i)))).toBeCloseTo(1, 5);
    for (let i = 1; i < n; i++) expect(dot(row(0), row(i))).toBeLessThan(0.999);
    expect(readFileSync(labels, 'utf8')).toBe('a cat\na dog\na red car\na blue boat\n');
    expect(JSON.parse(io.out.join(''))).toMatchObject({
      rows: 4,
      dim: 512,
      model: 'clip-tiny',
      device: 'cpu',
      dtype: 'fp32',
    });
  });

  it('embeds image files and skips the ones that are not images, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdr-embed-img-'));
    const files = {
      a: join(dir, 'a.png'),
      pdf: join(dir, 'doc.pdf'),
      b: join(dir, 'b.png'),
      cut: join(dir, 'cut.png'),
    };
    writeFileSync(files.a, png(40, 30, 3));
    writeFileSync(files.pdf, '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
    writeFileSync(files.b, png(30, 40, 11));
    writeFileSync(files.cut, png(30, 40, 5).subarray(0, 60));
    const out = join(dir, 'img.npy');
    const io = capture();
    expect(
      await embedCommand([files.a, files.pdf, files.b, files.cut, ...MODEL, '--out', out], io),
    ).toBe(0);
    const { n, d, row } = rows(out);
    expect([n, d]).toEqual([2, 512]);
    expect(Math.sqrt(dot(row(1), row(1)))).toBeCloseTo(1, 5);
    expect(dot(row(0), row(1))).toBeLessThan(0.999);
    const summary = JSON.parse(io.out.join(''));
    expect(summary.skipped).toEqual([
      { file: files.pdf, reason: expect.stringMatching(/PDF document/) },
      { file: files.cut, reason: expect.stringMatching(/truncated/) },
    ]);
    expect(io.err.join('')).toMatch(/doc\.pdf was skipped/);
  });

  it('refuses unclear requests with one line', async () => {
    const io = capture();
    await expect(embedCommand(['--text', 'a'], io)).rejects.toThrow('--out FILE.npy is required');
    await expect(embedCommand(['--out', 'x.npy'], io)).rejects.toThrow(/nothing to embed/);
    await expect(embedCommand(['a.png', '--text', 'a', '--out', 'x.npy'], io)).rejects.toThrow(
      /not both/,
    );
    await expect(
      embedCommand(['--text', 'a', '--dtype', 'int4', '--out', 'x.npy'], io),
    ).rejects.toThrow(/--dtype must be/);
    await expect(embedCommand(['--text', 'a', '--out', 'x.csv'], io)).rejects.toThrow(/\.npy/);
  });
});
