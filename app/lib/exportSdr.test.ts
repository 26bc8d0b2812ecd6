import { describe, expect, it } from 'vitest';
import {
  SDR_EXPORT_TYPE,
  SdrExportError,
  sdrExportBlob,
  sdrExportFileName,
  sdrsToCsv,
  sdrsToJson,
  sdrsToNpy,
  type SdrExportRows,
} from './exportSdr.ts';
import { makeGrid, parseDelimited, readNpy } from '../../src/index.ts';

const grid = makeGrid(4, 5, 'hex');
const rows: SdrExportRows = {
  grid,
  k: 3,
  active: Uint32Array.from([0, 4, 19, 2, 3, 7, 1, 10, 11]),
  labels: ['cat', 'a "quoted", label', 'cat + pyramid'],
  kinds: ['text', 'image', 'mixture'],
  mapName: 'Concept atlas',
};

describe('sdrsToJson', () => {
  it('holds the grid, K, and each label with exactly K indices, in row order', () => {
    const doc = JSON.parse(sdrsToJson(rows));
    expect(doc).toMatchObject({
      type: SDR_EXPORT_TYPE,
      version: 1,
      map: 'Concept atlas',
      grid: { rows: 4, cols: 5, topology: 'hex' },
      k: 3,
      count: 3,
    });
    expect(doc.items).toEqual([
      { label: 'cat', kind: 'text', active: [0, 4, 19] },
      { label: 'a "quoted", label', kind: 'image', active: [2, 3, 7] },
      { label: 'cat + pyramid', kind: 'mixture', active: [1, 10, 11] },
    ]);
  });

  it('writes a valid document for no items and leaves kind out when none is given', () => {
    const empty = JSON.parse(sdrsToJson({ grid, k: 2, active: new Uint32Array(0), labels: [] }));
    expect(empty.items).toEqual([]);
    expect(empty.count).toBe(0);
    const plain = JSON.parse(sdrsToJson({ ...rows, kinds: undefined }));
    expect(Object.keys(plain.items[0])).toEqual(['label', 'active']);
  });
});

describe('sdrsToCsv', () => {
  it('puts one item per row with its K indices in their own numeric columns', () => {
    const parsed = parseDelimited(sdrsToCsv(rows), ',').rows;
    expect(parsed[0]).toEqual(['label', 'kind', 'unit_1', 'unit_2', 'unit_3']);
    expect(parsed.slice(1)).toEqual([
      ['cat', 'text', '0', '4', '19'],
      ['a "quoted", label', 'image', '2', '3', '7'],
      ['cat + pyramid', 'mixture', '1', '10', '11'],
    ]);
  });

  it('writes a label a spreadsheet would run as a formula as text', () => {
    const hostile = { ...rows, labels: ['=HYPERLINK("http://evil","x")', '@cmd', '-2'] };
    const parsed = parseDelimited(sdrsToCsv(hostile), ',').rows;
    expect(parsed.slice(1).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://evil","x")`,
      `'@cmd`,
      '-2',
    ]);
  });
});

describe('sdrsToNpy', () => {
  it('reads back as an (n, K) array of the same indices', () => {
    const arr = readNpy(sdrsToNpy(rows));
    expect(arr.shape).toEqual([3, 3]);
    expect(Array.from(arr.data)).toEqual(Array.from(rows.active));
  });

  it('keeps the largest index of a 128×128 grid exact', () => {
    const big = makeGrid(128, 128);
    const arr = readNpy(
      sdrsToNpy({ grid: big, k: 2, active: Uint32Array.from([16382, 16383]), labels: ['x'] }),
    );
    expect(Array.from(arr.data)).toEqual([16382, 16383]);
  });
});

describe('input checks', () => {
  it('refuses rows that do not fit together, with a one-line message', () => {
    expect(() => sdrsToJson({ ...rows, k: 4 })).toThrow(SdrExportError);
    expect(() => sdrsToCsv({ ...rows, kinds: ['text'] })).toThrow(/3 labels need 3 kinds/);
    expect(() =>
      sdrsToNpy({ ...rows, active: Uint32Array.from([0, 1, 20, 2, 3, 4, 5, 6, 7]) }),
    ).toThrow(/unit 20 is outside the 4×5 grid/);
    expect(() => sdrsToJson({ ...rows, k: 0, active: new Uint32Array(0) })).toThrow(/K must be/);
  });
});

describe('sdrExportBlob and sdrExportFileName', () => {
  it('makes a Blob of the chosen format with its type', async () => {
    const json = sdrExportBlob(rows, 'json');
    expect(json.type).toBe('application/json');
    expect(JSON.parse(await json.text()).k).toBe(3);
    const npy = sdrExportBlob(rows, 'npy');
    expect(readNpy(new Uint8Array(await npy.arrayBuffer())).shape).toEqual([3, 3]);
  });

  it('makes file names safe and says K', () => {
    expect(sdrExportFileName('cat + pyramid', 20, 'csv')).toBe('cat-pyramid-k20.csv');
    expect(sdrExportFileName('../../etc', 5, 'npy')).toBe('etc-k5.npy');
    expect(sdrExportFileName('***', 1, 'json')).toBe('sdrs-k1.json');
  });
});
