import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NpyError } from './errors.ts';
import { readNpy, writeNpy } from './npy.ts';
import { openNpyRows, rowsPerChunk } from './npyStream.ts';

const dir = mkdtempSync(join(tmpdir(), 'npy-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;
function file(bytes: Uint8Array): string {
  const path = join(dir, `f${fileNo++}.npy`);
  writeFileSync(path, bytes);
  return path;
}

const n = 13;
const d = 5;
const values = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i) * (1 + i / 10));

describe('openNpyRows', () => {
  it.each(['f4', 'f2'] as const)(
    'reads %s rows in any chunking exactly as the whole-file reader does',
    (dtype) => {
      const bytes = writeNpy(values, [n, d], { dtype });
      const whole = readNpy(bytes).data;
      const reader = openNpyRows(file(bytes));
      expect([reader.n, reader.d, reader.dtype]).toEqual([n, d, dtype]);
      for (const chunk of [1, 4, 13]) {
        const got = new Float32Array(n * d);
        const out = new Float32Array(chunk * d);
        for (let start = 0; start < n; start += chunk) {
          const count = Math.min(chunk, n - start);
          reader.read(start, count, out);
          got.set(out.subarray(0, count * d), start * d);
        }
        expect(got).toEqual(whole);
      }
      const picked = new Float32Array(3 * d);
      reader.readAt([12, 0, 7], picked);
      expect(picked.subarray(0, d)).toEqual(whole.subarray(12 * d, 13 * d));
      expect(picked.subarray(d, 2 * d)).toEqual(whole.subarray(0, d));
      expect(picked.subarray(2 * d)).toEqual(whole.subarray(7 * d, 8 * d));
      reader.close();
    },
  );

  it('reads big-endian float32 files', () => {
    const le = writeNpy(values, [n, d]);
    // Rewrite the header's '<f4' to '>f4' and swap each value's bytes.
    const be = le.slice();
    const text = new TextDecoder('latin1').decode(be.subarray(0, 128));
    const at = text.indexOf('<f4');
    be[at] = '>'.charCodeAt(0);
    const start = le.length - n * d * 4;
    for (let i = start; i < be.length; i += 4) be.subarray(i, i + 4).reverse();
    const reader = openNpyRows(file(be));
    const out = new Float32Array(n * d);
    reader.read(0, n, out);
    expect(out).toEqual(values);
    reader.close();
  });

  it('refuses a truncated file when it is opened, naming the shortfall', () => {
    const bytes = writeNpy(values, [n, d]);
    const path = file(bytes.subarray(0, bytes.length - 3));
    expect(() => openNpyRows(path)).toThrow(NpyError);
    expect(() => openNpyRows(path)).toThrow(/truncated.*\(13, 5\)/);
  });

  it('refuses arrays that are not 2-D, and non-.npy files', () => {
    expect(() => openNpyRows(file(writeNpy(values, [n * d])))).toThrow(/2-D arrays/);
    expect(() => openNpyRows(file(writeNpy(values, [1, n, d])))).toThrow(/2-D arrays/);
    expect(() => openNpyRows(file(new TextEncoder().encode('a,b\n1,2\n')))).toThrow(/not a .npy/);
  });

  it('refuses row ranges past the end and too small output buffers', () => {
    const reader = openNpyRows(file(writeNpy(values, [n, d])));
    expect(() => reader.read(10, 4, new Float32Array(4 * d))).toThrow(/past the last row 12/);
    expect(() => reader.read(0, 2, new Float32Array(d))).toThrow(/need 2×5/);
    expect(() => reader.readAt([13], new Float32Array(d))).toThrow(/outside 0..12/);
    reader.close();
    expect(() => reader.read(0, 1, new Float32Array(d))).toThrow(/closed/);
  });
});

describe('rowsPerChunk', () => {
  it('sizes a float32 chunk to the byte budget, never below one row', () => {
    expect(rowsPerChunk(512, 2 ** 20)).toBe(512);
    expect(rowsPerChunk(10_000_000, 1024)).toBe(1);
  });
});
