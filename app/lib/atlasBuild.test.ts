import 'fake-indexeddb/auto';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import type { TextEmbeddings } from '../../src/embed/types.ts';
import { createRng, randomNormal } from '../../src/util/random.ts';
import { TrainClient, trainDoor } from '../workers/trainClient.ts';
import { createMapSessions } from '../../src/index.ts';
import { normalizedRows } from '../../src/io/embeddings.ts';
import { openAtlasCache } from './atlasCache.ts';
import {
  AtlasBuildError,
  runAtlasBuild,
  type AtlasDeps,
  type AtlasProgress,
} from './atlasBuild.ts';

const { port1, port2 } = new MessageChannel();
Comlink.expose(trainDoor(createMapSessions()), port1);
const trainClient = new TrainClient(() => port2 as unknown as Worker);
afterAll(() => {
  port1.close();
  port2.close();
});

const D = 8;
const CONCEPTS = ['cat', 'kitten', 'dog', 'car', 'truck', 'bus', 'apple', 'pear', 'plum', 'tree'];

/** A stand-in text tower: a seeded vector per prompt, so equal prompts embed equally. */
function fakeEmbed(calls: string[][], cancelAfter?: number): AtlasDeps['embedTexts'] {
  return async (texts, { onProgress }) => {
    calls.push([...texts]);
    const count = cancelAfter ?? texts.length;
    const raw = new Float32Array(count * D);
    for (let i = 0; i < count; i++) {
      let seed = 7;
      for (const ch of texts[i]) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0;
      const rng = createRng(seed);
      for (let t = 0; t < D; t++) raw[i * D + t] = randomNormal(rng);
      onProgress(i + 1, texts.length);
    }
    const result: TextEmbeddings = {
      modelId: 'fixture/clip-tiny',
      dim: D,
      vectors: normalizedRows(raw, count, D),
      count,
      truncated: [],
      cancelled: cancelAfter !== undefined,
    };
    return result;
  };
}

let dbCount = 0;
function deps(calls: string[][], cancelAfter?: number): AtlasDeps {
  const cache = openAtlasCache(`atlas-build-test-${++dbCount}`);
  return {
    fetchVocabulary: async () => `# test vocabulary\n${CONCEPTS.join('\n')}\n`,
    embedTexts: fakeEmbed(calls, cancelAfter),
    train: (data, n, config, options) => trainClient.train(data, n, config, options),
    cache: () => cache,
    now: () => new Date('2025-02-03T04:05:06Z'),
  };
}

describe('runAtlasBuild', () => {
  it('embeds every concept as a photo prompt, trains a 32×32 map and names its units', async () => {
    const calls: string[][] = [];
    const progress: AtlasProgress[] = [];
    const built = await runAtlasBuild({
      modelId: 'fixture/clip-tiny',
      onProgress: (p) => progress.push(p),
      deps: deps(calls),
    });
    expect(calls).toEqual([CONCEPTS.map((c) => `a photo of a ${c}.`)]);
    expect(built?.fromCache).toBe(false);
    expect(built?.cacheProblem).toBeNull();
    const map = built!.map;
    expect(map.name).toBe('Concept atlas');
    expect(map.model).toBe('fixture/clip-tiny');
    expect(map.som.grid).toMatchObject({ rows: 32, cols: 32 });
    expect(map.training).toMatchObject({ epochs: 20, inputs: CONCEPTS.length });
    expect(map.unitLabels).toHaveLength(1024);
    // Every concept names some region: a map of 10 concepts on 1,024 units shows them all.
    expect(new Set(map.unitLabels)).toEqual(new Set(CONCEPTS));
    expect(map.calibration?.k).toBe(20);
    expect(built!.vocabulary.concepts).toEqual(CONCEPTS);
    // Progress: loading, then embedding 1..10, then training epochs up to labelling.
    expect(progress[0].status).toBe('loading');
    expect(progress.filter((p) => p.status === 'embedding').at(-1)).toMatchObject({ done: 10 });
    expect(progress.at(-1)).toMatchObject({ status: 'labelling', done: 20, total: 20 });
  });

  it('loads the second time from the cache without embedding again', async () => {
    const calls: string[][] = [];
    const d = deps(calls);
    const first = await runAtlasBuild({ modelId: 'm', onProgress: () => {}, deps: d });
    const second = await runAtlasBuild({ modelId: 'm', onProgress: () => {}, deps: d });
    expect(calls).toHaveLength(1);
    expect(second?.fromCache).toBe(true);
    expect(Array.from(second!.map.som.codebook.subarray(0, 5))).toEqual(
      Array.from(first!.map.som.codebook.subarray(0, 5)),
    );
    // Another model is another atlas; force skips the cache.
    expect(
      await runAtlasBuild({ modelId: 'other', cacheOnly: true, onProgress: () => {}, deps: d }),
    ).toBeNull();
    await runAtlasBuild({ modelId: 'm', force: true, onProgress: () => {}, deps: d });
    expect(calls).toHaveLength(2);
  });

  it('looks only in the cache when asked, and builds nothing on a miss', async () => {
    const calls: string[][] = [];
    const progress: AtlasProgress[] = [];
    const result = await runAtlasBuild({
      modelId: 'm',
      cacheOnly: true,
      onProgress: (p) => progress.push(p),
      deps: deps(calls),
    });
    expect(result).toBeNull();
    expect(calls).toHaveLength(0);
    expect(progress).toHaveLength(0);
  });

  it('does nothing without a model', async () => {
    expect(await runAtlasBuild({ modelId: null, onProgress: () => {}, deps: deps([]) })).toBeNull();
  });

  it('fails clearly when embedding stops early', async () => {
    await expect(
      runAtlasBuild({ modelId: 'm', onProgress: () => {}, deps: deps([], 4) }),
    ).rejects.toThrow(AtlasBuildError);
    await expect(
      runAtlasBuild({ modelId: 'm', onProgress: () => {}, deps: deps([], 4) }),
    ).rejects.toThrow(/after 4 of 10 concepts/);
  });
});
