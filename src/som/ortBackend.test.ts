import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createRng, randomNormal } from '../util/random.ts';
import { createJsBackend, type MatmulBackend } from './backend.ts';
import { allocBestTwo, halfNormBias } from './bmu.ts';
import { defaultTrainConfig } from './config.ts';
import { createSmoother } from './neighbourhood.ts';
import { createOrtNodeBackend } from './ortNode.ts';
import { syntheticClusters } from './synthetic.ts';
import { train } from './trainer.ts';

let ort: MatmulBackend;
const js = createJsBackend();
beforeAll(async () => {
  ort = await createOrtNodeBackend();
});
afterAll(async () => {
  await ort.dispose();
});

function gaussian(len: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: len }, () => randomNormal(rng));
}

describe('onnxruntime-node backend', () => {
  it('finds the same best and second-best units as the JS kernel', async () => {
    const [n, m, d] = [500, 97, 24];
    const a = gaussian(n * d, 1);
    const b = gaussian(m * d, 2);
    const bias = halfNormBias(b, m, d);
    const x = allocBestTwo(n);
    const y = allocBestTwo(n);
    await js.bestTwo(a, n, b, m, d, bias, x);
    await ort.bestTwo(a, n, b, m, d, bias, y);
    // Exact score in float64, to tell a real disagreement from a tie at float32 rounding.
    const score = (i: number, j: number) => {
      let s = bias[j];
      for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
      return s;
    };
    let differ = 0;
    for (let i = 0; i < n; i++) {
      expect(y.bestScore[i]).toBeCloseTo(x.bestScore[i], 4);
      for (const [p, q] of [
        [x.best[i], y.best[i]],
        [x.second[i], y.second[i]],
      ]) {
        if (p !== q && Math.abs(score(i, p) - score(i, q)) > 1e-5) differ++;
      }
    }
    expect(differ).toBe(0);
  });

  it('breaks exact ties to the lower index, as the JS kernel does', async () => {
    const row = [0.5, -0.5, 0.5, 0.5];
    const b = Float32Array.from([...[1, 0, 0, 0], ...row, ...row, ...[0, 1, 0, 0], ...row]);
    const out = allocBestTwo(1);
    await ort.bestTwo(Float32Array.from(row), 1, b, 5, 4, halfNormBias(b, 5, 4), out);
    expect([out.best[0], out.second[0]]).toEqual([1, 2]);
  });

  it('computes the raw product, over several row chunks and from shared memory', async () => {
    // 1,000-float blocks force 20-row calls, so the chunking is exercised.
    const small = await createOrtNodeBackend({ maxBlockFloats: 1000 });
    const [n, m, d] = [300, 50, 16];
    const shared = new Float32Array(new SharedArrayBuffer(n * d * 4));
    shared.set(gaussian(n * d, 3));
    const b = gaussian(m * d, 4);
    const x = new Float32Array(n * m);
    const y = new Float32Array(n * m);
    await js.scores(shared, n, b, m, d, x);
    await small.scores(shared, n, b, m, d, y);
    await small.dispose();
    let maxDiff = 0;
    for (let t = 0; t < x.length; t++) maxDiff = Math.max(maxDiff, Math.abs(y[t] - x[t]));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('falls back to the JS kernel on a one-unit map', async () => {
    const out = allocBestTwo(3);
    await ort.bestTwo(gaussian(6, 1), 3, gaussian(2, 2), 1, 2, new Float32Array(1), out);
    expect(Array.from(out.best)).toEqual([0, 0, 0]);
  });

  it('trains to the same map as the JS kernel (QE within 1e-5)', async () => {
    const { data, n } = syntheticClusters({ n: 300, d: 16, clusters: 5, seed: 3 });
    const config = defaultTrainConfig(makeGrid(6, 6), { epochs: 4 });
    const a = await train(data, n, config, { backend: createJsBackend() });
    const b = await train(data, n, config, { backend: await createOrtNodeBackend() });
    for (let e = 0; e < 4; e++) {
      expect(
        Math.abs(a.history[e].quantizationError - b.history[e].quantizationError),
      ).toBeLessThan(1e-5);
      expect(b.history[e].topographicError).toBe(a.history[e].topographicError);
    }
    let maxDiff = 0;
    for (let t = 0; t < a.codebook.length; t++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.codebook[t] - b.codebook[t]));
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('trains to the same map when the updates are smoothed on it (float32)', async () => {
    const { data, n } = syntheticClusters({ n: 300, d: 16, clusters: 5, seed: 3 });
    const config = defaultTrainConfig(makeGrid(6, 6), { epochs: 4 });
    let smooths = 0;
    // The trainer disposes the kernel of the pool it makes: each run gets its own.
    const smoother = await createOrtNodeBackend();
    const counted: MatmulBackend = {
      ...smoother,
      separableSmooth: (...args) => {
        smooths++;
        return smoother.separableSmooth!(...args);
      },
    };
    const a = await train(data, n, config, { backend: await createOrtNodeBackend() });
    const b = await train(data, n, config, {
      backend: await createOrtNodeBackend(),
      smoothOn: counted,
    });
    await smoother.dispose();
    expect(smooths).toBe(4);
    for (let e = 0; e < 4; e++) {
      expect(b.history[e].topographicError).toBe(a.history[e].topographicError);
    }
    let maxDiff = 0;
    for (let t = 0; t < a.codebook.length; t++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.codebook[t] - b.codebook[t]));
    }
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('smooths a rect grid as the float64 JS passes do, to float32 precision', async () => {
    const grid = makeGrid(7, 9);
    const width = 33;
    const src = Float64Array.from(gaussian(63 * width, 5), (v) => Math.abs(v));
    const want = new Float64Array(src.length);
    const got = new Float64Array(src.length);
    const smoother = createSmoother(grid, width);
    smoother.apply(2.5, src, want);
    await smoother.applyOn(ort, 2.5, src, got);
    let maxRel = 0;
    for (let t = 0; t < src.length; t++) maxRel = Math.max(maxRel, Math.abs(got[t] - want[t]) / want[t]); // prettier-ignore
    expect(maxRel).toBeLessThan(1e-5);
    expect(maxRel).toBeGreaterThan(0); // it did run in float32 on onnxruntime
  });

  it('refuses use after dispose', async () => {
    const be = await createOrtNodeBackend();
    await be.dispose();
    await expect(
      be.scores(new Float32Array(4), 1, new Float32Array(4), 1, 4, new Float32Array(1)),
    ).rejects.toThrow(/disposed/);
  });
});
