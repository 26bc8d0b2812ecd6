import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createInThreadPool, ShardPoolError, type ShardPool } from '../som/pool.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import type { TrainConfig } from '../som/types.ts';
import { createJsBackend, type MatmulBackend } from '../som/backend.ts';
import { createOrtBackend, type OrtModuleLike } from '../som/ortBackend.ts';
import { createOrtNodeBackend } from '../som/ortNode.ts';
import { bestUnits, mapQuality } from '../som/quality.ts';
import { createMapSessions, PARALLEL_MIN_WORK, shardWorkersFor } from './session.ts';
import { encodeRows } from '../encode/mapEncoding.ts';
import { labelUnits } from '../encode/unitLabels.ts';
import { spatialRows } from '../sdr/spatial.ts';
import { initCodebook } from '../som/init.ts';

const config: TrainConfig = {
  grid: makeGrid(4, 5),
  epochs: 5,
  seed: 2,
  init: 'pca',
  radiusStart: 2.5,
  radiusEnd: 1,
};
const { data, n } = syntheticClusters({ n: 80, d: 10, clusters: 3, seed: 6 });

async function run(options: Parameters<typeof createMapSessions>[0] = {}) {
  const api = createMapSessions(options);
  await api.start(1, data.slice(), n, config);
  for (let e = 0; e < config.epochs; e++) await api.step(1);
  const result = await api.finish(1, { k: 3, labels: null }, false);
  await api.drop(1);
  return result;
}

/** An in-thread pool that breaks on its `failAt`-th epoch, as a dead worker would. */
function breakingPool(failAt: number, disposed: string[]): ShardPool {
  const inner = createInThreadPool();
  let runs = 0;
  return {
    name: 'breaking',
    shards: 1,
    load: (d, rows, dim) => inner.load(d, rows, dim),
    run: async (codebook, m, grid) => {
      if (++runs === failAt) throw new ShardPoolError('a SOM worker stopped: test');
      return inner.run(codebook, m, grid);
    },
    dispose: async () => {
      disposed.push('breaking');
      await inner.dispose();
    },
  };
}

describe('shardWorkersFor', () => {
  it('keeps small runs and two-core machines in one thread', () => {
    expect(shardWorkersFor(10, 1024, 512, 16)).toBe(0); // 5M multiply-adds: not worth it
    expect(shardWorkersFor(1000, 1024, 512, 2)).toBe(0); // one spare core: no gain
    expect(shardWorkersFor(1000, 1024, 512, 4)).toBe(3);
    expect(shardWorkersFor(100_000, 1024, 512, 64)).toBe(8);
    expect(1000 * 1024 * 512).toBeGreaterThanOrEqual(PARALLEL_MIN_WORK);
  });
});

describe('train sessions', () => {
  it('give the same map through a pool as in this thread', async () => {
    const plain = await run();
    const pooled = await run({ pool: () => createInThreadPool() });
    expect(Array.from(pooled.snapshot.codebook)).toEqual(Array.from(plain.snapshot.codebook));
  });

  it('carry on in this thread when the pool breaks mid-run, ending where an unbroken run ends', async () => {
    const disposed: string[] = [];
    const plain = await run();
    const rescued = await run({ pool: () => breakingPool(3, disposed) });
    expect(disposed).toEqual(['breaking']);
    expect(rescued.snapshot.epoch).toBe(5);
    expect(rescued.snapshot.history).toHaveLength(5);
    for (let i = 0; i < plain.snapshot.codebook.length; i++) {
      expect(rescued.snapshot.codebook[i]).toBeCloseTo(plain.snapshot.codebook[i], 6);
    }
  });

  it('asks the pool factory with the run size', async () => {
    const seen: number[][] = [];
    await run({
      pool: (rows, m, d) => {
        seen.push([rows, m, d]);
        return null;
      },
    });
    expect(seen).toEqual([[80, 20, 10]]);
  });

  it('refuses unknown sessions and too little data with clear messages', async () => {
    const api = createMapSessions();
    await expect(api.step(9)).rejects.toThrow(/no training session 9/);
    await expect(api.start(1, new Float32Array(10), 1, config)).rejects.toThrow(
      /at least 2 inputs/,
    );
    await expect(api.start(1, new Float32Array(11), 2, config)).rejects.toThrow(
      /not a whole number of 2 rows/,
    );
  });
});

/** A JS backend whose bestTwo throws on its `failAt`-th call, as a runtime that breaks would. */
function breakingKernel(failAt: number): MatmulBackend {
  const inner = createJsBackend();
  let calls = 0;
  return {
    ...inner,
    name: 'flaky',
    bestTwo: async (...args) => {
      if (++calls === failAt) throw new Error('wasm memory exhausted');
      return inner.bestTwo(...args);
    },
  };
}

function expectAllClose(a: ArrayLike<number>, b: ArrayLike<number>, digits: number) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], digits);
}

/**
 * onnxruntime-web's WebAssembly build, as the page's train worker runs it (under Node the package
 * resolves to its Node entry, which runs the same WASM kernels).
 */
async function ortWebWasm(): Promise<MatmulBackend> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  return createOrtBackend(ort as unknown as OrtModuleLike, {
    name: 'ort-web',
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
  });
}

describe('the fast kernel', () => {
  it.each([
    ['ort-web', ortWebWasm],
    ['ort-node', () => createOrtNodeBackend()],
  ])(
    '%s trains the map of the JS kernel: same best units, figures and calibration',
    async (name, kernel) => {
      const plain = await run();
      const fast = await run({ kernel });
      expect(plain.engine).toEqual({ kernel: 'js', pool: 'in-thread:js', fallback: null });
      expect(fast.engine).toEqual({ kernel: name, pool: `in-thread:${name}`, fallback: null });
      expectAllClose(fast.snapshot.codebook, plain.snapshot.codebook, 3);
      // Both maps place every input on the same unit (this data has no float ties).
      expect(Array.from(bestUnits(fast.snapshot, data, n).best)).toEqual(
        Array.from(bestUnits(plain.snapshot, data, n).best),
      );
      expect(fast.quality.quantizationError).toBeCloseTo(plain.quality.quantizationError, 5);
      expect(fast.quality.topographicError).toBe(plain.quality.topographicError);
      expect(fast.calibration!.k).toBe(3);
      expectAllClose(fast.calibration!.qe, plain.calibration!.qe, 4);
      expectAllClose(fast.calibration!.dispersion, plain.calibration!.dispersion, 4);
    },
  );

  it('reports the figures of the codebook it returns, from one pass', async () => {
    const result = await run();
    const q = mapQuality(result.snapshot, data, n);
    expect(result.quality.quantizationError).toBeCloseTo(q.quantizationError, 6);
    expect(result.quality.topographicError).toBe(q.topographicError);
    expect(result.quality.quantizationError).toBeGreaterThan(0);
  });

  it('falls back to the JS kernel, with the reason, when the fast one cannot start', async () => {
    const plain = await run();
    const seen: string[] = [];
    const fallen = await run({
      kernel: () => Promise.reject(new Error('no WebAssembly here')),
      pool: (_n, _m, _d, kernel) => {
        seen.push(kernel);
        return null;
      },
    });
    expect(seen).toEqual(['js']);
    expect(fallen.engine.kernel).toBe('js');
    expect(fallen.engine.fallback).toMatch(/could not start \(no WebAssembly here\).*JavaScript/);
    expect(Array.from(fallen.snapshot.codebook)).toEqual(Array.from(plain.snapshot.codebook));
  });

  it('goes on with the JS kernel from the last finished epoch when the fast one breaks mid-run', async () => {
    const plain = await run();
    const rescued = await run({ kernel: async () => breakingKernel(3) });
    expect(rescued.engine.kernel).toBe('js');
    expect(rescued.engine.fallback).toMatch(/flaky kernel failed \(wasm memory exhausted\)/);
    expect(rescued.snapshot.epoch).toBe(5);
    expect(rescued.snapshot.history).toHaveLength(5);
    expectAllClose(rescued.snapshot.codebook, plain.snapshot.codebook, 6);
  });

  it('starts once per worker and is shared by sessions and unit labelling', async () => {
    let starts = 0;
    const api = createMapSessions({
      kernel: async () => {
        starts++;
        return createJsBackend();
      },
    });
    await api.start(1, data.slice(), n, config);
    await api.start(2, data.slice(), n, config);
    await Promise.all([api.step(1), api.step(2)]);
    const names = Array.from({ length: n }, (_, i) => `row ${i}`);
    const labels = await api.labelUnits(
      (await api.finish(1, { k: 2, labels: null }, false)).snapshot,
      data.slice(),
      names,
    );
    expect(labels).toHaveLength(20);
    expect(starts).toBe(1);
  });
});

describe("a finished run's single pass over the training rows", () => {
  it('gives the final figures, the unit labels and the encoding the page would compute', async () => {
    const names = Array.from({ length: n }, (_, i) => `item ${i}`);
    const api = createMapSessions();
    await api.start(1, data.slice(), n, config);
    for (let e = 0; e < config.epochs; e++) await api.step(1);
    const result = await api.finish(1, { k: 3, labels: { vectors: null, names } }, false);
    await api.drop(1);
    const som = result.snapshot;
    const q = mapQuality(som, data, n);
    expect(result.quality.quantizationError).toBeCloseTo(q.quantizationError, 6);
    expect(result.quality.topographicError).toBe(q.topographicError);
    // The same names as labelling the units with the training rows passed in.
    expect(result.unitLabels).toEqual(await labelUnits(createJsBackend(), som, data, names));
    // The encoding of the training rows at K, as the encode worker gives a dataset's.
    const enc = result.trainingEncoding!;
    const want = encodeRows({ som, calibration: result.calibration }, data, n, 3);
    expect(enc.k).toBe(3);
    expect(enc.active).toEqual(want.active);
    expect(enc.bmu).toEqual(want.bmu);
    expect(Array.from(enc.novelty)).toEqual(Array.from(want.novelty));
    expect(enc.spatial?.clusters).toEqual(spatialRows(som.grid, want.active, n, 3).clusters);
  });

  it('encodes a small dataset on the JS kernel, as the encode worker would, whatever the run used', async () => {
    let fastScores = 0;
    const js = createJsBackend();
    const api = createMapSessions({
      kernel: async () => ({
        ...js,
        name: 'fast',
        scores: (...args) => {
          fastScores++;
          return js.scores(...args);
        },
      }),
    });
    await api.start(1, data.slice(), n, config);
    await api.step(1);
    const result = await api.finish(1, { k: 3, labels: null }, false);
    expect(result.engine.kernel).toBe('fast');
    expect(result.engine.fallback).toBeNull();
    expect(fastScores).toBe(0); // 80 rows × 20 units × 10: far below the encode worker's bar
  });

  it('refuses unit-label names that are not one per training row', async () => {
    const api = createMapSessions();
    await api.start(1, data.slice(), n, config);
    await api.step(1);
    await expect(api.finish(1, { k: 3, labels: { vectors: null, names: ['a'] } }, false)).rejects.toThrow(/1 unit-label names for 80 training rows/); // prettier-ignore
  });
});

describe('a run prepared while the person reads the form', () => {
  const other = syntheticClusters({ n: 80, d: 10, clusters: 3, seed: 9 }).data;

  it('starts from the prepared codebook when the token and the start settings match', async () => {
    const api = createMapSessions();
    await api.prepare(7, data.slice(), n, config);
    // The token is the caller's word that the rows are the same: give other rows to show
    // which codebook the session starts from.
    await api.start(1, other.slice(), n, config, 7);
    expect((await api.snapshot(1)).codebook).toEqual(initCodebook(data, n, 10, config.grid, 'pca', 2)); // prettier-ignore
    // Another token, or another seed: the session makes its own.
    await api.start(2, other.slice(), n, config, 8);
    expect((await api.snapshot(2)).codebook).toEqual(initCodebook(other, n, 10, config.grid, 'pca', 2)); // prettier-ignore
    await api.start(3, other.slice(), n, { ...config, seed: 5 }, 7);
    expect((await api.snapshot(3)).codebook).toEqual(initCodebook(other, n, 10, config.grid, 'pca', 5)); // prettier-ignore
  });

  it('trains exactly the map an unprepared run trains', async () => {
    const plain = await run();
    const api = createMapSessions();
    await api.prepare(1, data.slice(), n, { ...config, epochs: 50 }); // epochs do not matter
    await api.start(1, data.slice(), n, config, 1);
    for (let e = 0; e < config.epochs; e++) await api.step(1);
    const result = await api.finish(1, { k: 3, labels: null }, false);
    expect(result.snapshot.codebook).toEqual(plain.snapshot.codebook);
  });

  it('trains exactly the unprepared map on a fast kernel, when the click lands mid warm-up', async () => {
    // A fast kernel (the JS one, renamed) whose products can be held, as a slow onnxruntime
    // product would be: the warm-up's epoch is in flight when the run starts and takes over its
    // pool and update scratch, which the run must not touch before that epoch ends.
    const js = createJsBackend();
    let hold: Promise<void> | null = null;
    let entered: () => void = () => undefined;
    const fast = async (): Promise<MatmulBackend> => ({
      ...js,
      name: 'fast',
      bestTwo: async (...args) => {
        entered();
        if (hold) await hold;
        return js.bestTwo(...args);
      },
    });
    const plain = await run({ kernel: fast });
    const api = createMapSessions({ kernel: fast });
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const inWarmUp = new Promise<void>((resolve) => (entered = resolve));
    let warmedUp = false;
    const warming = api.prepare(1, data.slice(), n, config).then(() => (warmedUp = true));
    await inWarmUp;
    let started = false;
    const starting = api.start(1, data.slice(), n, config, 1).then(() => (started = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toBe(false); // waiting for the warm-up's epoch in flight
    hold = null;
    release();
    await starting;
    expect(warmedUp).toBe(true);
    for (let e = 0; e < config.epochs; e++) await api.step(1);
    const result = await api.finish(1, { k: 3, labels: null }, false);
    await warming;
    expect(result.snapshot.codebook).toEqual(plain.snapshot.codebook);
    // A second run on the same shapes (the scratch now used a third time) trains the same map.
    await api.prepare(2, data.slice(), n, config);
    await api.start(2, data.slice(), n, config, 2);
    for (let e = 0; e < config.epochs; e++) await api.step(2);
    expect((await api.finish(2, { k: 3, labels: null }, false)).snapshot.codebook).toEqual(plain.snapshot.codebook); // prettier-ignore
  });

  it('refuses to prepare rows that are not rows, with a clear message', async () => {
    await expect(createMapSessions().prepare(1, new Float32Array(7), 2, config)).rejects.toThrow(/cannot prepare 7 floats as 2 rows/); // prettier-ignore
  });
});
