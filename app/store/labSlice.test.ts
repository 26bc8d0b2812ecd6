import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smallTrainedMap, type TestMap } from '../../src/eval/testKit.ts';
import { appServices, resetAppStore, useAppStore } from './index.ts';
import type { DataItem } from './dataSlice.ts';
import type { MapEncoding } from './mapSlice.ts';
import { encodeRows, meanOfRows } from '../../src/index.ts';
import { LabCancelledError } from '../workers/labClient.ts';
import { createLabWorkerApi } from '../../src/index.ts';
import { isCurrent, isCurrentNovelty, itemsTrainedMap, noveltyReference } from './labSlice.ts';
import { type SdrMap } from '../../src/index.ts';

let t: TestMap;
let map: SdrMap;
let encoding: MapEncoding;

beforeAll(async () => {
  t = await smallTrainedMap(4);
  map = {
    name: 'lab test',
    createdAt: '2025-01-01T00:00:00Z',
    model: null,
    som: t.som,
    training: {
      grid: t.som.grid,
      epochs: 8,
      seed: 4,
      init: 'pca',
      radiusStart: 6,
      radiusEnd: 1,
      inputs: t.n,
    },
    quality: { quantizationError: 0.3, topographicError: 0.1 },
    calibration: null,
  };
  encoding = { ...encodeRows(map, t.data, t.n, t.k), map, embeddings: t.data };
});

const api = createLabWorkerApi();
let cancels = 0;

beforeEach(() => {
  resetAppStore();
  cancels = 0;
  appServices.lab.setClients(() => ({
    curves: (input, options, onProgress) => api.curves(input, options ?? {}, onProgress),
    claims: (input, options, onProgress) => api.claims(input, options ?? {}, onProgress),
    overlapCounts: (request) => api.overlapCounts(request),
    novelty: (request) => api.novelty(request),
    holdout: (request) => api.holdout(request),
    cancel: () => void cancels++,
  }));
  const items: DataItem[] = Array.from({ length: t.n }, (_, i) => ({
    id: `id${i}`,
    seq: i + 1,
    kind: 'imported',
    label: `item ${i}`,
    source: 'test',
    modelId: 'imported',
  }));
  useAppStore.setState({
    items,
    embeddings: t.data,
    embeddingDim: t.d,
    map,
    mapSource: { kind: 'trained' },
    k: t.k,
    encoding,
    encodingStatus: 'ready',
  });
});

describe('the lab slice', () => {
  it('measures curves on the current encoding, with progress, and keeps the result', async () => {
    const totals: number[] = [];
    const unsubscribe = useAppStore.subscribe((s) => totals.push(s.labCurves.done));
    await useAppStore.getState().measureCurves({ sample: 20, seed: 3 });
    unsubscribe();
    const job = useAppStore.getState().labCurves;
    expect(job.status).toBe('done');
    expect(job.result?.sample).toBe(20);
    expect(job.result?.levels.length).toBe(11);
    expect(isCurrent(job, encoding)).toBe(true);
    expect(Math.max(...totals)).toBe(55); // 5 kinds × 11 levels, reported step by step
  });

  it('checks the claims and says the items trained this map', async () => {
    expect(itemsTrainedMap(useAppStore.getState())).toBe(true);
    await useAppStore.getState().checkClaimsNow({ sample: 30 });
    const job = useAppStore.getState().labClaims;
    expect(job.status).toBe('done');
    expect(job.result?.claims).toHaveLength(4);
    expect(job.result?.claims[1].samples).toMatch(/in the training set/);
  });

  it('marks a result out of date once the encoding changes', async () => {
    await useAppStore.getState().measureOverlapCounts({ sample: 10 });
    const job = useAppStore.getState().labCounts;
    expect(job.result?.queries).toBe(10);
    const other: MapEncoding = { ...encoding };
    expect(isCurrent(job, other)).toBe(false);
  });

  it('scores novelty with centred kNN on the rows a page-trained map was trained on', async () => {
    // Without a training mean (an old map file) there is no centred score, said in words.
    expect(noveltyReference(useAppStore.getState())).toEqual({
      missing: expect.stringMatching(/without its training mean/),
    });
    const withMean = { ...map, trainingMean: meanOfRows(t.data, t.n, t.d) };
    useAppStore.setState({ map: withMean, encoding: { ...encoding, map: withMean } });
    await useAppStore.getState().scoreNoveltyNow();
    const job = useAppStore.getState().labNovelty;
    expect(job.status).toBe('done');
    expect(job.result?.kind).toBe('centredKnn');
    expect(job.result?.percentiles).toHaveLength(t.n);
    expect(job.result?.calibration).toHaveLength(t.n); // every training row, leave-one-out
    // K plays no part in the score: still current at another K on the same map and rows.
    const atOtherK = { ...useAppStore.getState().encoding!, k: t.k + 1 };
    expect(isCurrentNovelty(job, atOtherK)).toBe(true);
    // A map opened from a file without stored embeddings has nothing to compare with.
    useAppStore.setState({ mapSource: { kind: 'file', name: 'x.sdrmap' } });
    expect(noveltyReference(useAppStore.getState())).toEqual({
      missing: expect.stringMatching(/does not keep the embeddings/),
    });
  });

  it('retrains without one cluster and measures how novel its items look, per score', async () => {
    const held = Array.from({ length: t.n }, (_, i) => i).filter((i) => t.labels[i] === 0);
    await useAppStore.getState().measureHoldout(held, 2);
    const job = useAppStore.getState().labHoldout;
    expect(job.status).toBe('done');
    expect(job.result).toMatchObject({ heldOut: held.length, recommended: 'centredKnn' });
    expect(job.result!.trainRows + job.result!.testRows).toBe(t.n - held.length);
    // A whole cluster never seen stands out under the recommended score.
    expect(job.result!.auc.centredKnn).toBeGreaterThan(0.9);
  });

  it('refuses to run before the items are encoded at the current K', async () => {
    useAppStore.setState({ k: t.k + 1 });
    await useAppStore.getState().measureCurves();
    expect(useAppStore.getState().labCurves.status).toBe('idle');
    expect(useAppStore.getState().notices.at(-1)?.text).toMatch(/not encoded on the current map/);
  });

  it('cancels at once, keeping the previous result, and ignores the stopped run’s reply', async () => {
    await useAppStore.getState().measureOverlapCounts({ sample: 5 });
    const before = useAppStore.getState().labCounts.result;
    let finish: (v: never) => void = () => undefined;
    let fail: (e: Error) => void = () => undefined;
    appServices.lab.setClients(() => ({
      curves: () => new Promise(() => undefined),
      claims: () => new Promise(() => undefined),
      novelty: () => new Promise(() => undefined),
      holdout: () => new Promise(() => undefined),
      overlapCounts: () =>
        new Promise((resolve, reject) => {
          finish = resolve;
          fail = reject;
        }),
      cancel: () => {
        cancels++;
        fail(new LabCancelledError('stopped'));
      },
    }));
    const running = useAppStore.getState().measureOverlapCounts();
    expect(useAppStore.getState().labCounts.status).toBe('running');
    useAppStore.getState().cancelLab('counts');
    await running;
    finish(undefined as never);
    const job = useAppStore.getState().labCounts;
    expect(cancels).toBe(1);
    expect(job.status).toBe('cancelled');
    expect(job.result).toBe(before);
  });
});
