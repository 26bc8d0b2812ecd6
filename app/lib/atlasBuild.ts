/**
 * Building the built-in concept atlas: read the vocabulary, look in the cache, else embed every
 * concept as a CLIP text prompt, train a 32×32 map on them in the train worker, name each unit
 * after its nearest concept, calibrate novelty, and cache the result. The outside world
 * (fetch, embedding, training, cache) comes in through `deps`, so tests run it in Node.
 */
import type { SdrMap, TrainConfig } from '../../src/index.ts';
import type { TextEmbeddings } from '../../src/embed/page.ts';
import {
  ATLAS_K,
  atlasCacheKey,
  atlasTrainConfig,
  conceptPrompt,
  parseVocabulary,
  sha256Hex,
  VOCABULARY_PATH,
  type Vocabulary,
} from './atlas.ts';
import { openAtlasCache, type AtlasCache } from './atlasCache.ts';
import { getEmbedClient } from '../workers/embedClient.ts';
import { getTrainClient, type TrainOptions, type TrainResult } from '../workers/trainClient.ts';

/** Where the build is; `done`/`total` count concepts while embedding, epochs while training. */
export interface AtlasProgress {
  readonly status: 'loading' | 'embedding' | 'training' | 'labelling';
  readonly done: number;
  readonly total: number;
  readonly message: string;
}

export interface AtlasBuild {
  readonly map: SdrMap;
  readonly vocabulary: Vocabulary;
  readonly fromCache: boolean;
  /** Why the atlas could not be cached (it works, but is rebuilt next visit), or null. */
  readonly cacheProblem: string | null;
}

export interface AtlasDeps {
  /** The vocabulary file's text. */
  readonly fetchVocabulary: () => Promise<string>;
  readonly embedTexts: (
    texts: readonly string[],
    options: { onProgress: (done: number, total: number) => void; signal?: AbortSignal },
  ) => Promise<TextEmbeddings>;
  readonly train: (
    data: Float32Array,
    n: number,
    config: TrainConfig,
    options: TrainOptions,
  ) => Promise<TrainResult>;
  readonly cache: () => AtlasCache;
  readonly now: () => Date;
}

export interface AtlasBuildOptions {
  /** The loaded model's id; null means no model yet (the build returns null). */
  readonly modelId: string | null;
  /** Skip the cache and build again. Default false. */
  readonly force?: boolean;
  /** Only look in the cache: resolve to null on a miss instead of building. Default false. */
  readonly cacheOnly?: boolean;
  readonly onProgress: (progress: AtlasProgress) => void;
  readonly signal?: AbortSignal;
  /** Default: the page's fetch, embed client, train client and IndexedDB cache. */
  readonly deps?: AtlasDeps;
}

export class AtlasBuildError extends Error {
  override readonly name = 'AtlasBuildError';
}

let defaultDeps: AtlasDeps | null = null;

/** The page's deps; the clients create their workers only at their first request. */
function pageDeps(): AtlasDeps {
  if (defaultDeps) return defaultDeps;
  let cache: AtlasCache | null = null;
  defaultDeps = {
    fetchVocabulary: async () => {
      const url = `${import.meta.env.BASE_URL}${VOCABULARY_PATH}`;
      const res = await fetch(url);
      if (!res.ok) throw new AtlasBuildError(`the vocabulary ${url} answered ${res.status}`);
      return res.text();
    },
    embedTexts: (texts, options) => getEmbedClient().embedTexts(texts, options),
    train: (data, n, config, options) => getTrainClient().train(data, n, config, options),
    cache: () => (cache ??= openAtlasCache()),
    now: () => new Date(),
  };
  return defaultDeps;
}

/** Build the atlas for `modelId` (or load it from the cache); null when there is no model. */
export async function runAtlasBuild(options: AtlasBuildOptions): Promise<AtlasBuild | null> {
  const { modelId, onProgress, signal } = options;
  if (!modelId) return null;
  const deps = options.deps ?? pageDeps();
  const cacheOnly = options.cacheOnly ?? false;
  if (!cacheOnly) {
    onProgress({ status: 'loading', done: 0, total: 0, message: 'Reading the vocabulary' });
  }
  const text = await deps.fetchVocabulary();
  const concepts = parseVocabulary(text);
  const config = atlasTrainConfig();
  const key = atlasCacheKey(modelId, await sha256Hex(concepts.join('\n')), config);
  const cache = deps.cache();
  if (!options.force) {
    const hit = await cache.get(key);
    if (hit) {
      return { map: hit.map, vocabulary: hit.vocabulary, fromCache: true, cacheProblem: null };
    }
  }
  if (cacheOnly) return null;

  const total = concepts.length;
  onProgress({ status: 'embedding', done: 0, total, message: 'Embedding concepts' });
  const embedded = await deps.embedTexts(concepts.map(conceptPrompt), {
    onProgress: (done) =>
      onProgress({ status: 'embedding', done, total, message: 'Embedding concepts' }),
    signal,
  });
  if (embedded.cancelled || embedded.count !== total) {
    throw new AtlasBuildError(`embedding stopped after ${embedded.count} of ${total} concepts`);
  }
  const dim = embedded.dim;
  const vocabulary: Vocabulary = {
    modelId: embedded.modelId,
    concepts,
    vectors: embedded.vectors,
    dim,
  };

  onProgress({ status: 'training', done: 0, total: config.epochs, message: 'Training the map' });
  const result = await deps.train(embedded.vectors.slice(), total, config, {
    k: ATLAS_K,
    signal,
    labels: { vectors: embedded.vectors.slice(), names: concepts },
    onEpoch: (report) => {
      onProgress({
        status: report.epoch < config.epochs ? 'training' : 'labelling',
        done: report.epoch,
        total: config.epochs,
        message: 'Training the map',
      });
    },
  });
  if (result.cancelled) throw new AtlasBuildError('training was stopped');

  const map: SdrMap = {
    name: 'Concept atlas',
    createdAt: deps.now().toISOString(),
    model: embedded.modelId,
    som: {
      grid: result.snapshot.grid,
      dim: result.snapshot.dim,
      codebook: result.snapshot.codebook,
    },
    training: { ...config, inputs: total },
    quality: result.quality,
    calibration: result.calibration,
    unitLabels: result.unitLabels ?? undefined,
  };
  const cacheProblem = await cache.put({ key, savedAt: map.createdAt, map, vocabulary });
  return { map, vocabulary, fromCache: false, cacheProblem };
}
