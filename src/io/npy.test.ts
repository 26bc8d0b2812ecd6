import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NpyError } from './errors.ts';
import { fromFloat16Bits, toFloat16Bits } from './float16.ts';
import { mutate } from './mutate.ts';
import { readNpy, writeNpy } from './npy.ts';
import { createRng, randomNormal } from '../util/random.ts';

const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));

/**
 * Files written by numpy 2.4 (`np.save` / `numpy.lib.format.write_array`) of the array
 * [[0.5, -1.25, 3.0], [1/3, 1e-5, -7.0]] in several dtypes, byte orders and format versions.
 */
const NUMPY = {
  f2le_v1:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAOAC9AEJVNagAAMc=',
  f4be_v1:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/AAAAv6AAAEBAAAA+qqqrNyfFrMDgAAA=',
  f8le_v2:
    'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADgPwAAAAAAAPS/AAAAAAAACEBVVVVVVVXVP/Fo44i1+OQ+AAAAAAAAHMA=',
  f4le_v3:
    'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/AACgvwAAQECrqqo+rMUnNwAA4MA=',
  f8be_v1:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/4AAAAAAAAL/0AAAAAAAAQAgAAAAAAAA/1VVVVVVVVT7k+LWI42jxwBwAAAAAAAA=',
  i8: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAP//////////AwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+f////////8=',
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAA/q6qqPgAAoL+sxSc3AABAQAAA4MA=',
  /** np.arange(12, dtype=float32).reshape(3, 4) / 7, as float32 and as float16. */
  f4_3x4:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAJUkSPiVJkj63bds+JUkSP27bNj+3bVs/AACAPyVJkj9JkqQ/btu2P5IkyT8=',
  f2_3x4:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsIDQpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAJIwkjTbNpI4tznbOgA8kjwlPbc9ST4=',
};
const VALUES = [0.5, -1.25, 3.0, 1 / 3, 1e-5, -7.0];

/** A v1 file with a hand-written header (to test what numpy would never write). */
function withHeader(header: string, payload = new Uint8Array(0), major = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const prefix = major === 1 ? 10 : 12;
  const out = new Uint8Array(prefix + text.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, prefix);
  out.set(payload, prefix + text.length);
  return out;
}

describe('readNpy on files numpy wrote', () => {
  it.each([
    ['f2le_v1', 'f2', 2 ** -11],
    ['f4be_v1', 'f4', 1e-7],
    ['f8le_v2', 'f8', 1e-7],
    ['f4le_v3', 'f4', 1e-7],
    ['f8be_v1', 'f8', 1e-7],
  ] as const)('%s', (name, dtype, relTol) => {
    const a = readNpy(b64(NUMPY[name]));
    expect(a.dtype).toBe(dtype);
    expect(a.shape).toEqual([2, 3]);
    expect(a.data.length).toBe(6);
    a.data.forEach((v, i) => {
      // float16 stores 1e-5 as a subnormal: its error is absolute (half of 2^-24), not relative.
      const tol = Math.abs(VALUES[i]) * relTol + (dtype === 'f2' ? 2 ** -25 : 0);
      expect(Math.abs(v - VALUES[i])).toBeLessThanOrEqual(tol);
    });
  });

  it('refuses integer dtypes by name', () => {
    expect(() => readNpy(b64(NUMPY.i8))).toThrow(NpyError);
    expect(() => readNpy(b64(NUMPY.i8))).toThrow("unsupported dtype '<i8'");
  });

  it('refuses column-major 2-D arrays, but reads column-major 1-D ones (same layout)', () => {
    expect(() => readNpy(b64(NUMPY.fortran))).toThrow(/fortran_order=True/);
    const oneD = withHeader(
      "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 1), }\n",
      new Uint8Array(new Float32Array([1, 2]).buffer),
    );
    expect(Array.from(readNpy(oneD).data)).toEqual([1, 2]);
  });
});

describe('readNpy with shareBytes', () => {
  it('uses aligned float32 values where they lie, and copies everything else', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 7);
    const bytes = writeNpy(data, [3, 4]);
    const shared = readNpy(bytes, { shareBytes: true });
    expect(Array.from(shared.data)).toEqual(Array.from(data));
    expect(shared.data.buffer).toBe(bytes.buffer);
    // Without it the array is a new one: writing to it leaves the bytes alone.
    const copied = readNpy(bytes);
    expect(copied.data.buffer).not.toBe(bytes.buffer);
    // float16 and misaligned float32 cannot be used in place: new arrays, same values.
    const half = writeNpy(data, [3, 4], { dtype: 'f2' });
    expect(readNpy(half, { shareBytes: true }).data.buffer).not.toBe(half.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const odd = readNpy(shifted.subarray(1), { shareBytes: true });
    expect(odd.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(odd.data)).toEqual(Array.from(data));
  });
});

describe('writeNpy', () => {
  it('writes the same bytes as np.save, float32 and float16', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => Math.fround(i) / 7);
    expect(Buffer.from(writeNpy(data, [3, 4])).toString('base64')).toBe(NUMPY.f4_3x4);
    expect(Buffer.from(writeNpy(data, [3, 4], { dtype: 'f2' })).toString('base64')).toBe(
      NUMPY.f2_3x4,
    );
  });

  it('round-trips shapes of every rank, with the data on a 64-byte boundary', () => {
    const rng = createRng(1);
    for (const shape of [[], [0], [5], [4, 3], [2, 3, 4], [1203, 2], [0, 512]]) {
      const count = shape.reduce((a, b) => a * b, 1);
      const data = Float32Array.from({ length: count }, () => randomNormal(rng));
      const bytes = writeNpy(data, shape);
      expect((bytes.length - count * 4) % 64).toBe(0);
      const back = readNpy(bytes);
      expect(back.shape).toEqual(shape);
      expect(back.dtype).toBe('f4');
      expect(Array.from(back.data)).toEqual(Array.from(data));
      const half = readNpy(writeNpy(data, shape, { dtype: 'f2' }));
      expect(half.dtype).toBe('f2');
      expect(Array.from(half.data)).toEqual(
        Array.from(data, (x) => Math.fround(fromFloat16Bits(toFloat16Bits(x)))),
      );
    }
  });

  it('reads back from a view that does not start at byte 0 of its buffer', () => {
    const file = writeNpy(Float32Array.from([1, 2, 3]), [3]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(readNpy(padded.subarray(3)).data)).toEqual([1, 2, 3]);
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => writeNpy(new Float32Array(10), [3, 4])).toThrow(
      'shape (3, 4) holds 12 values, data has 10',
    );
    expect(() => writeNpy(new Float32Array(1), [-1])).toThrow(/non-negative integers/);
  });
});

describe('readNpy refuses bad files with a clear NpyError', () => {
  const valid = writeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const cases: Array<[string, Uint8Array, RegExp | string]> = [
    ['empty', new Uint8Array(0), 'the .npy file is empty'],
    ['not npy', new TextEncoder().encode('a,b,c\n1,2,3\n'), /not a .npy file/],
    ['short preamble', valid.subarray(0, 8), /truncated: the .npy preamble/],
    ['header cut', valid.subarray(0, 40), /truncated: the header needs 118 bytes/],
    ['data cut', valid.subarray(0, valid.length - 1), 'header says 6 values (2, 3), file holds 5'],
    [
      'a billion rows on a small file',
      withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 512), }\n"),
      'file is truncated: header says 512,000,000,000 values (1000000000, 512), file holds 0',
    ],
    [
      'version 4.0',
      (() => {
        const b = valid.slice();
        b[6] = 4;
        return b;
      })(),
      'unsupported .npy format version 4.0',
    ],
    [
      'structured dtype',
      withHeader("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }\n"),
      /structured/,
    ],
    [
      'missing key',
      withHeader("{'descr': '<f4', 'shape': (1,), }\n"),
      /expected keys descr, fortran_order, shape; got descr, shape/,
    ],
    [
      'extra key',
      withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}\n"),
      /expected keys/,
    ],
    [
      'shape is a list',
      withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': [1], }\n"),
      /shape must be a tuple/,
    ],
    [
      'negative shape',
      withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n"),
      /non-negative/,
    ],
    [
      'fortran_order is a string',
      withHeader("{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,), }\n"),
      /fortran_order must be True or False/,
    ],
    [
      'code in the header',
      withHeader("__import__('os').system('rm -rf /')\n"),
      /malformed .npy header/,
    ],
    ['not a dict', withHeader('(1, 2)\n'), /it is not a dict/],
    [
      'invalid UTF-8 in a v3 header',
      (() => {
        const b = withHeader(
          "{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }\n",
          undefined,
          3,
        );
        b[20] = 0xff;
        return b;
      })(),
      /not valid UTF-8/,
    ],
  ];

  it.each(cases)('%s', (_, bytes, message) => {
    expect(() => readNpy(bytes)).toThrow(NpyError);
    expect(() => readNpy(bytes)).toThrow(message);
  });

  it('reads a v3 header holding non-ASCII text (UTF-8) and an old Python 2 header', () => {
    const v3 = withHeader(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } # é\n",
      new Uint8Array(new Float32Array([7]).buffer),
      3,
    );
    // The comment is not Python-literal syntax: refused, proving the header was decoded and parsed.
    expect(() => readNpy(v3)).toThrow(/unexpected text after the literal/);
    const py2 = withHeader(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }\n",
      new Uint8Array(new Float32Array([7, 8]).buffer),
    );
    expect(readNpy(py2).shape).toEqual([1, 2]);
  });

  it('every truncation of a valid file is refused with NpyError', () => {
    for (let cut = 0; cut < valid.length; cut++) {
      expect(() => readNpy(valid.subarray(0, cut))).toThrow(NpyError);
    }
  });

  it('fuzz: 3,000 mutated files either read consistently or throw NpyError', () => {
    const seeds = [
      valid,
      writeNpy(Float32Array.from([0.25, -8, 1e-3]), [3], { dtype: 'f2' }),
      b64(NUMPY.f8le_v2),
      b64(NUMPY.f4be_v1),
    ];
    const rng = createRng(2024);
    const outcomes = { read: 0, refused: 0 };
    for (let i = 0; i < 3000; i++) {
      const bytes = mutate(seeds[i % seeds.length], rng);
      try {
        const a = readNpy(bytes);
        expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
        expect(['f2', 'f4', 'f8']).toContain(a.dtype);
        outcomes.read++;
      } catch (e) {
        if (!(e instanceof NpyError)) throw new Error(`case ${i}: ${String(e)}`);
        expect(e.message).not.toMatch(/\n/);
        outcomes.refused++;
      }
    }
    // Both branches must be exercised, or the fuzzer is not testing anything.
    expect(outcomes.read).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });
});

const LVIS = fileURLToPath(
  new URL('../../../shared/data/clip-vit-b32-text/lvis-1203.npy', import.meta.url),
);
const hasLvis = existsSync(LVIS);

describe('real CLIP data', () => {
  it.skipIf(!hasLvis)(
    hasLvis
      ? 'reads lvis-1203.npy: (1203, 512) float16 with row norms about 8 to 13'
      : 'SKIPPED: ../shared/data/clip-vit-b32-text/lvis-1203.npy is absent',
    () => {
      const a = readNpy(new Uint8Array(readFileSync(LVIS)));
      expect(a.shape).toEqual([1203, 512]);
      expect(a.dtype).toBe('f2');
      let lo = Infinity;
      let hi = 0;
      for (let r = 0; r < 1203; r++) {
        let s = 0;
        for (let j = 0; j < 512; j++) s += a.data[r * 512 + j] ** 2;
        lo = Math.min(lo, Math.sqrt(s));
        hi = Math.max(hi, Math.sqrt(s));
      }
      // numpy: np.linalg.norm(a.astype(float64), axis=1) spans 7.965607 to 13.420847 (the
      // README rounds this to "8 to 13"); matching it to 5 digits proves every value decoded right.
      expect(lo).toBeCloseTo(7.965607, 5);
      expect(hi).toBeCloseTo(13.420847, 5);
    },
  );
});
