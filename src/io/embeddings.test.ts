import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  normalizeRows,
  normalizedRows,
  readEmbeddings,
  readLabels,
  writeEmbeddingsCsv,
  writeEmbeddingsJson,
} from './embeddings.ts';
import { EmbeddingsError, FileFormatError, NpyError } from './errors.ts';
import { mutate } from './mutate.ts';
import { writeNpy } from './npy.ts';
import { createRng, randomNormal } from '../util/random.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function randomData(n: number, d: number, seed = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * d }, () => randomNormal(rng));
}

describe('readEmbeddings: CSV / TSV / whitespace', () => {
  it('reads bare numeric rows', () => {
    const e = readEmbeddings(enc('1,2,3\n4,5,6\n'), 'x.csv');
    expect([e.n, e.d, e.labels]).toEqual([2, 3, undefined]);
    expect(Array.from(e.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads a header row and a label column in any position', () => {
    const e = readEmbeddings(enc('x,label,y\n0.5,cat,1\n-1e-2,"dog, big",2\n'), 'x.csv');
    expect([e.n, e.d]).toEqual([2, 2]);
    expect(e.labels).toEqual(['cat', 'dog, big']);
    expect(Array.from(e.data)).toEqual([0.5, 1, Math.fround(-0.01), 2]);
  });

  it('reads labels without a header', () => {
    const e = readEmbeddings(enc('cat,1,2\ndog,3,4\n'), 'pets.csv');
    expect(e.labels).toEqual(['cat', 'dog']);
    expect(Array.from(e.data)).toEqual([1, 2, 3, 4]);
  });

  it('takes the named column as labels even when it holds numbers, and skips a pandas header', () => {
    const ids = readEmbeddings(enc('id,e1,e2\n7,1,2\n8,3,4\n'), 'x.csv');
    expect(ids.labels).toEqual(['7', '8']);
    expect(ids.d).toBe(2);
    const pandas = readEmbeddings(enc('0,1,2\n0.1,0.2,0.3\n'), 'x.csv');
    expect([pandas.n, pandas.d]).toEqual([1, 3]);
  });

  it('reads TSV and whitespace (np.savetxt) files', () => {
    const tsv = readEmbeddings(enc('a\t1\t2\nb\t3\t4\n'), 'x.tsv');
    expect(tsv.labels).toEqual(['a', 'b']);
    const txt = readEmbeddings(enc('1.000000000000000000e+00 2.5e-01\n3 4\n'), 'emb.txt');
    expect(Array.from(txt.data)).toEqual([1, 0.25, 3, 4]);
  });

  it.each([
    ['1,2,3\n4,5\n', 'x.csv, line 2: 2 columns; line 1 has 3'],
    ['1,2,3\n\n4,x,6\nzz,1,2\n', 'x.csv, line 3, column 2: "x" is not a number'],
    ['1,2\n3,nan\n', 'x.csv, line 2, column 2: "nan" is not a finite number'],
    ['1,2\n3,1e39\n', 'x.csv, line 2, column 2: 1e39 is beyond float32 range'],
    ['1,2\n3,\n', 'x.csv, line 2, column 2 is empty'],
    ['a,b,1\n', 'x.csv has a header but no rows'],
    ['cat,dog,1,2\n', 'x.csv has a header but no rows'],
    ['x,y\ncat,dog,1\n', /line 2: 2 columns are not numbers \(1, 2\)/],
    ['1\n2\n', 'each embedding needs at least 2 numbers, got 1'],
    ['   \n\n', 'x.csv holds only blank space'],
    ['"1,2\n', 'line 1: a quoted field is never closed'],
  ])('refuses %j', (text, message) => {
    expect(() => readEmbeddings(enc(text), 'x.csv')).toThrow(EmbeddingsError);
    expect(() => readEmbeddings(enc(text), 'x.csv')).toThrow(message);
  });
});

describe('readEmbeddings: JSON', () => {
  it('reads an array of arrays', () => {
    const e = readEmbeddings(enc('[[1, 2], [3, 4.5]]'), 'a.json');
    expect([e.n, e.d, e.labels]).toEqual([2, 2, undefined]);
    expect(Array.from(e.data)).toEqual([1, 2, 3, 4.5]);
  });

  it('reads {embeddings, labels}', () => {
    const e = readEmbeddings(enc('{"embeddings": [[1,2],[3,4]], "labels": ["a", 5]}'), 'b.json');
    expect(e.labels).toEqual(['a', '5']);
  });

  it('reads an array of {embedding|vector, label}, recognised by content whatever the name', () => {
    const e = readEmbeddings(
      enc('[{"embedding":[1,2],"label":"a"},{"vector":[3,4],"label":"b"}]'),
      'upload',
    );
    expect(e.labels).toEqual(['a', 'b']);
    expect(Array.from(e.data)).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['[]', 'x.json holds no embeddings'],
    ['[[1,2],[3]]', 'x.json: row 1 has 1 numbers; row 0 has 2'],
    ['[[1,2],[3,"4"]]', 'x.json: row 1, position 1 is string "4", expected a number'],
    ['[[1,2],[3,1e300]]', 'row 1, position 1: 1e+300 is beyond float32 range'],
    ['{"embeddings": [[1,2]], "labels": ["a","b"]}', '2 labels for 1 embeddings'],
    ['{"vectors": [[1,2]]}', 'expected an "embeddings" array of arrays'],
    ['[{"label":"a"}]', 'item 0 has no "embedding" (or "vector") field'],
    ['[{"embedding":[1,2],"label":"a"},{"embedding":[1,2]}]', '1 of 2 items have a "label"'],
    ['[{"embedding":[1,2],"label":null}]', 'a label must be a string, got null'],
    ['[1,2,3]', 'expected an array of arrays or of objects'],
    ['[[1,2],', /x.json is not valid JSON/],
    ['"text"', 'expected a JSON array or object'],
  ])('refuses %j', (text, message) => {
    expect(() => readEmbeddings(enc(text), 'x.json')).toThrow(EmbeddingsError);
    expect(() => readEmbeddings(enc(text), 'x.json')).toThrow(message);
  });
});

describe('readEmbeddings: .npy', () => {
  it('reads a 2-D array, and a 1-D array as one row', () => {
    const data = randomData(3, 4);
    const e = readEmbeddings(writeNpy(data, [3, 4]), 'x.npy');
    expect([e.n, e.d]).toEqual([3, 4]);
    expect(Array.from(e.data)).toEqual(Array.from(data));
    expect(readEmbeddings(writeNpy(data.subarray(0, 4), [4]), 'one.bin').n).toBe(1);
  });

  it('refuses other ranks, non-finite values and damaged files', () => {
    expect(() => readEmbeddings(writeNpy(new Float32Array(8), [2, 2, 2]), 'x.npy')).toThrow(
      'x.npy: expected a 2-D array (rows × dimensions), got shape (2, 2, 2)',
    );
    expect(() => readEmbeddings(writeNpy(Float32Array.from([1, NaN]), [1, 2]), 'x.npy')).toThrow(
      'x.npy: row 1 holds NaN at column 2',
    );
    expect(() => readEmbeddings(enc('not numpy'), 'x.npy')).toThrow(NpyError);
    expect(() => readEmbeddings(new Uint8Array(0), 'x.npy')).toThrow('x.npy is empty');
    expect(() => readEmbeddings(Uint8Array.from([0xff, 0xfe, 0x00]), 'x.bin')).toThrow(
      /neither a .npy file nor UTF-8 text/,
    );
  });
});

describe('writers round-trip through readEmbeddings', () => {
  const n = 5;
  const d = 7;
  const data = randomData(n, d, 3);
  data[0] = 1e-30;
  data[1] = -123456.789;
  const labels = ['cat', 'dog, big', 'say "hi"', 'ünïcödé', '42'];

  it('JSON, with and without labels', () => {
    const e = readEmbeddings(enc(writeEmbeddingsJson(data, n, d, labels)), 'out.json');
    expect(Array.from(e.data)).toEqual(Array.from(data));
    expect(e.labels).toEqual(labels);
    expect(readEmbeddings(enc(writeEmbeddingsJson(data, n, d)), 'o.json').labels).toBeUndefined();
  });

  it('CSV and TSV, with and without labels', () => {
    for (const delimiter of [',', '\t'] as const) {
      const text = writeEmbeddingsCsv(data, n, d, labels, { delimiter });
      const e = readEmbeddings(enc(text), delimiter === ',' ? 'o.csv' : 'o.tsv');
      expect(Array.from(e.data)).toEqual(Array.from(data));
      expect(e.labels).toEqual(labels);
      const bare = readEmbeddings(
        enc(writeEmbeddingsCsv(data, n, d, undefined, { delimiter })),
        'o',
      );
      expect([bare.n, bare.d, bare.labels]).toEqual([n, d, undefined]);
      expect(Array.from(bare.data)).toEqual(Array.from(data));
    }
  });

  it('refuses mismatched sizes', () => {
    expect(() => writeEmbeddingsJson(data, n, d + 1)).toThrow('expected 5×8 = 40 values, got 35');
    expect(() => writeEmbeddingsCsv(data, n, d, ['a'])).toThrow('1 labels for 5 embeddings');
  });
});

describe('readEmbeddings fuzz', () => {
  it('1,500 mutated files read consistently or throw a FileFormatError', () => {
    const data = randomData(4, 3, 8);
    const labels = ['a', 'b, c', 'd', 'e'];
    const seeds: Array<[Uint8Array, string]> = [
      [enc(writeEmbeddingsCsv(data, 4, 3, labels)), 'x.csv'],
      [enc(writeEmbeddingsCsv(data, 4, 3, undefined, { delimiter: '\t' })), 'x.tsv'],
      [enc(writeEmbeddingsJson(data, 4, 3, labels)), 'x.json'],
      [enc('[{"embedding":[1,2],"label":"a"},{"vector":[3,4],"label":"b"}]'), 'y.json'],
      [writeNpy(data, [4, 3], { dtype: 'f2' }), 'x.npy'],
    ];
    const rng = createRng(12);
    let read = 0;
    for (let i = 0; i < 1500; i++) {
      const [bytes, name] = seeds[i % seeds.length];
      try {
        const e = readEmbeddings(mutate(bytes, rng), name);
        const ok =
          e.n >= 1 &&
          e.d >= 2 &&
          e.data.length === e.n * e.d &&
          e.data.every(Number.isFinite) &&
          (e.labels === undefined || e.labels.length === e.n);
        if (!ok) throw new Error(`case ${i}: inconsistent result ${e.n}×${e.d}`);
        read++;
      } catch (err) {
        if (!(err instanceof FileFormatError)) throw new Error(`case ${i} threw ${String(err)}`);
        expect(err.message).not.toMatch(/[\n\r]/);
      }
    }
    expect(read).toBeGreaterThan(50); // some damage leaves a readable file (a changed digit)
  });
});

describe('readLabels', () => {
  it('reads one per line, keeps inner blanks, ignores trailing blank lines and CRLF', () => {
    expect(readLabels('cat\r\ndog\r\n\r\nbird\n\n\n')).toEqual(['cat', 'dog', '', 'bird']);
    expect(readLabels('\ufeffsalt, table\npepper, black\n')).toEqual([
      'salt, table',
      'pepper, black',
    ]);
    expect(readLabels('5" screw\nbolt, 2"\n')).toEqual(['5" screw', 'bolt, 2"']);
  });

  it('takes the label column of a CSV/TSV with a header', () => {
    expect(readLabels('id,label,score\n1,cat,0.5\n2,dog,0.25\n')).toEqual(['cat', 'dog']);
    expect(readLabels('score\tconcept\n0.5\tcat\n0.1\tdog\n')).toEqual(['cat', 'dog']);
    expect(readLabels('score,species\n0.5,cat\n0.1,dog\n')).toEqual(['cat', 'dog']);
    expect(readLabels('a,b\nx,y\n', { column: 'B' })).toEqual(['y']);
  });

  it('refuses what it cannot read', () => {
    expect(() => readLabels('\n\n')).toThrow('the labels file is empty');
    expect(() => readLabels('a,b\nx,y\n', { column: 'c' })).toThrow(
      'the labels table has no column "c" (columns: a, b)',
    );
    expect(() => readLabels('cat\ndog\n', { column: 'label' })).toThrow(/not a CSV\/TSV table/);
    expect(() => readLabels('a,b\nx,y,z\n', { column: 'a' })).toThrow(
      'labels table, line 2: 3 columns; the header has 2',
    );
    expect(() => readLabels('x,y\n1,2\n3,4\n')).toThrow(/no text column/);
  });
});

describe('normalizeRows', () => {
  it('scales every row to unit length, keeping directions', () => {
    const data = randomData(50, 16, 4);
    const before = data.slice();
    expect(normalizeRows(data, 50, 16)).toBe(data);
    for (let i = 0; i < 50; i++) {
      const row = data.subarray(i * 16, i * 16 + 16);
      const norm = Math.hypot(...row);
      expect(norm).toBeCloseTo(1, 6);
      // Same direction: the ratio to the original is one positive constant.
      const k = row[0] / before[i * 16];
      expect(k).toBeGreaterThan(0);
      row.forEach((v, j) => expect(v).toBeCloseTo(before[i * 16 + j] * k, 5));
    }
  });

  it('refuses bad rows by number and leaves the data untouched', () => {
    const data = Float32Array.from([3, 4, 0, 0, 1, 1]);
    expect(() => normalizeRows(data, 3, 2)).toThrow(
      'row 2 is all zeros: it has no direction to normalise',
    );
    expect(Array.from(data)).toEqual([3, 4, 0, 0, 1, 1]);
    expect(() => normalizeRows(Float32Array.from([1, 2, 3, Infinity]), 2, 2)).toThrow(
      'row 2 holds Infinity at position 2',
    );
    expect(() => normalizeRows(Float32Array.from([NaN, 1]), 1, 2)).toThrow('row 1 holds NaN');
    expect(() => normalizeRows(new Float32Array(0), 0, 2)).toThrow('need at least 1 embedding');
    expect(() => normalizeRows(new Float32Array(3), 3, 1)).toThrow('at least 2 numbers, got 1');
    expect(() => normalizeRows(new Float32Array(5), 2, 3)).toThrow(
      'expected 2×3 = 6 values, got 5',
    );
  });
});

const SHARED = fileURLToPath(new URL('../../../shared/data/clip-vit-b32-text/', import.meta.url));
const hasShared = existsSync(`${SHARED}coco-80.npy`) && existsSync(`${SHARED}coco-80.labels.txt`);

describe('real CLIP data', () => {
  it.skipIf(!hasShared)(
    hasShared
      ? 'reads coco-80 embeddings and labels, normalises them, and nearest rows make sense'
      : 'SKIPPED: ../shared/data/clip-vit-b32-text (coco-80) is absent',
    () => {
      const e = readEmbeddings(new Uint8Array(readFileSync(`${SHARED}coco-80.npy`)), 'coco-80.npy');
      const labels = readLabels(readFileSync(`${SHARED}coco-80.labels.txt`, 'utf8'));
      expect([e.n, e.d, labels.length]).toEqual([80, 512, 80]);
      normalizeRows(e.data, e.n, e.d);
      const cat = labels.indexOf('cat');
      let best = -1;
      let bestSim = -Infinity;
      for (let i = 0; i < e.n; i++) {
        if (i === cat) continue;
        let s = 0;
        for (let j = 0; j < e.d; j++) s += e.data[cat * e.d + j] * e.data[i * e.d + j];
        if (s > bestSim) [best, bestSim] = [i, s];
      }
      expect(labels[best]).toBe('dog');
    },
  );
});

describe('normalizedRows', () => {
  it('returns unit-length copies, keeps zero rows zero and leaves the input as it was', () => {
    const data = Float32Array.of(3, 4, 0, 0, -2, 0);
    const out = normalizedRows(data, 3, 2);
    expect(Array.from(out)).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, -1, 0]);
    expect(Array.from(data)).toEqual([3, 4, 0, 0, -2, 0]);
  });
});
