import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, parseArgs } from './args.ts';
import {
  checkSameDimension,
  extensionOf,
  loadEmbeddings,
  loadMap,
  loadMapAndEmbeddings,
  mapAndEmbeddingsPaths,
  readInputFile,
  writeOutputFile,
} from './files.ts';
import { randomMap, scratchDir, writeGaussian, writeMap } from './testKit.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());

async function failure(p: Promise<unknown>): Promise<CliError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return e as CliError;
  }
  throw new Error('expected a CliError');
}

describe('readInputFile', () => {
  it('names a missing file and a folder given as a file, with exit code 2', async () => {
    const missing = await failure(readInputFile(scratch.path('nope.npy'), 'embeddings file'));
    expect(missing.message).toBe(`embeddings file not found: ${scratch.path('nope.npy')}`);
    expect(missing.exitCode).toBe(2);
    mkdirSync(scratch.path('folder'));
    expect((await failure(readInputFile(scratch.path('folder'), 'map'))).message).toMatch(
      /is a folder, not a file/,
    );
  });
});

describe('loadEmbeddings', () => {
  it('scales every row to unit length', async () => {
    writeGaussian(scratch.path('g.npy'), 5, 8);
    const e = await loadEmbeddings(scratch.path('g.npy'));
    expect([e.n, e.d]).toEqual([5, 8]);
    for (let i = 0; i < e.n; i++) {
      const row = e.data.subarray(i * 8, i * 8 + 8);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
    }
    expect(e.labels).toBeUndefined();
  });
  it('takes labels from a labels file and refuses a count that does not match', async () => {
    writeGaussian(scratch.path('h.npy'), 3, 4);
    writeFileSync(scratch.path('ok.txt'), 'cat\ndog\nbird\n');
    writeFileSync(scratch.path('short.txt'), 'cat\ndog\n');
    const e = await loadEmbeddings(scratch.path('h.npy'), scratch.path('ok.txt'));
    expect(e.labels).toEqual(['cat', 'dog', 'bird']);
    const err = await failure(loadEmbeddings(scratch.path('h.npy'), scratch.path('short.txt')));
    expect(err.message).toMatch(/has 2 labels but .* has 3 rows/);
  });
});

describe('loadMap and checkSameDimension', () => {
  it('reads a map back and names the file when it is damaged', async () => {
    const bytes = writeMap(scratch.path('m.sdrmap'), randomMap(6));
    const { map, bytes: size } = await loadMap(scratch.path('m.sdrmap'));
    expect(size).toBe(bytes.length);
    expect(map.som.dim).toBe(6);
    const damaged = bytes.slice();
    damaged[damaged.length - 9] ^= 0xff;
    writeFileSync(scratch.path('bad.sdrmap'), damaged);
    const err = await failure(loadMap(scratch.path('bad.sdrmap')));
    expect(err.message.startsWith(`${scratch.path('bad.sdrmap')}: `)).toBe(true);
    expect(err.message).not.toContain('\n');
  });
  it('says both dimensions when a map and embeddings disagree', () => {
    expect(() => checkSameDimension(randomMap(512, 2), { d: 384 })).toThrow(
      'map has dimension 512 but the embeddings have 384',
    );
    expect(() => checkSameDimension(randomMap(8, 2), { d: 8 })).not.toThrow();
  });
});

describe('mapAndEmbeddingsPaths and loadMapAndEmbeddings', () => {
  it('takes exactly a map and an embeddings file, naming the command otherwise', () => {
    expect(mapAndEmbeddingsPaths(parseArgs(['m.sdrmap', 'e.npy'], {}), 'encode')).toEqual([
      'm.sdrmap',
      'e.npy',
    ]);
    expect(() => mapAndEmbeddingsPaths(parseArgs(['m.sdrmap'], {}), 'eval')).toThrow(
      'eval takes a map and an embeddings file, got 1 arguments',
    );
    expect(() => mapAndEmbeddingsPaths(parseArgs(['a', 'b', 'c'], {}), 'encode')).toThrow(
      'encode takes a map and an embeddings file, got 3 arguments',
    );
  });
  it('reads both (with labels) and refuses embeddings of another dimension', async () => {
    writeMap(scratch.path('six.sdrmap'), randomMap(6));
    writeGaussian(scratch.path('six.npy'), 3, 6);
    writeGaussian(scratch.path('four.npy'), 3, 4);
    writeFileSync(scratch.path('six.txt'), 'cat\ndog\nbird\n');
    const { map, embeddings } = await loadMapAndEmbeddings(
      scratch.path('six.sdrmap'),
      scratch.path('six.npy'),
      scratch.path('six.txt'),
    );
    expect(map.som.dim).toBe(6);
    expect([embeddings.n, embeddings.d, embeddings.labels]).toEqual([3, 6, ['cat', 'dog', 'bird']]);
    const err = await failure(
      loadMapAndEmbeddings(scratch.path('six.sdrmap'), scratch.path('four.npy')),
    );
    expect(err.message).toBe(
      'map has dimension 6 but the embeddings have 4: they come from different models',
    );
  });
});

describe('writeOutputFile', () => {
  it('writes the whole file and leaves no temporary file behind', async () => {
    const n = await writeOutputFile(scratch.path('out.txt'), 'hello\n');
    expect(n).toBe(6);
    expect(readFileSync(scratch.path('out.txt'), 'utf8')).toBe('hello\n');
    expect(readdirSync(scratch.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('refuses a folder that does not exist', async () => {
    const err = await failure(writeOutputFile(scratch.path('no/such/dir/x.json'), 'x'));
    expect(err.message).toMatch(/the folder .* does not exist/);
  });
});

describe('extensionOf', () => {
  it('is the lower-case last extension of the file name, or empty', () => {
    expect(extensionOf('a/b/Map.SDRMAP')).toBe('sdrmap');
    expect(extensionOf('x.tar.npy')).toBe('npy');
    expect(extensionOf('dir.d/README')).toBe('');
  });
});
