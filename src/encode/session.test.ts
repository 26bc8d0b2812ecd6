import { describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '../som/ortNode.ts';
import type { EncodeTarget } from './mapEncoding.ts';
import { createEncodeWorkerApi, StaleMapError } from './session.ts';
import {
  makeGrid,
  calibrate,
  createJsBackend,
  type MatmulBackend,
  syntheticClusters,
  createTrainer,
  clusters,
  radiusOfGyration,
} from '../index.ts';

const grid = makeGrid(2, 3);
const target = (fill: number) => ({
  som: { grid, dim: 2, codebook: Float32Array.from({ length: 12 }, (_, i) => Math.cos(i + fill)) },
  calibration: null,
});

describe('encode session', () => {
  it('encodes on the map of the latest token and refuses older tokens', async () => {
    const api = createEncodeWorkerApi();
    await api.setMap(1, target(0));
    await api.setMap(2, target(1));
    const rows = await api.encode(2, new Float32Array([1, 0, 0, 1]), 2, 2);
    expect(rows.active).toHaveLength(4);
    await expect(api.encode(1, new Float32Array([1, 0]), 1, 2)).rejects.toBeInstanceOf(
      StaleMapError,
    );
  });

  it("sends the dataset's spatial scores with it, the same as scoring each SDR alone", async () => {
    const { target: t, data, n } = await trainedTarget();
    const api = createEncodeWorkerApi();
    await api.setMap(1, t);
    await api.setDataset(1, data, n);
    const rows = await api.encodeDataset(1, 1, 4);
    expect(rows.spatial?.clusters).toHaveLength(n);
    for (const i of [0, 17, n - 1]) {
      const sdr = { grid: t.som.grid, active: rows.active.subarray(i * 4, (i + 1) * 4) };
      expect(rows.spatial!.clusters[i]).toBe(clusters(sdr).count);
      expect(rows.spatial!.largestCluster[i]).toBe(clusters(sdr).largest);
      expect(rows.spatial!.radius[i]).toBeCloseTo(radiusOfGyration(sdr), 5);
    }
  });

  it('refuses to encode before any map, and a codebook of the wrong size', async () => {
    const api = createEncodeWorkerApi();
    await expect(api.encode(1, new Float32Array(2), 1, 1)).rejects.toThrow(/has no map yet/);
    await expect(
      api.setMap(1, { som: { grid, dim: 2, codebook: new Float32Array(5) }, calibration: null }),
    ).rejects.toThrow(/holds 5 numbers, not 2×3×2/);
  });
});

/** A 6×6 map trained on 120 clustered rows of dimension 16, with its calibration at K = 4. */
async function trainedTarget(): Promise<{ target: EncodeTarget; data: Float32Array; n: number }> {
  const { data, n } = syntheticClusters({ n: 120, d: 16, clusters: 3, seed: 8 });
  const trainer = createTrainer(data, n, {
    grid: makeGrid(6, 6),
    epochs: 4,
    seed: 1,
    init: 'pca',
    radiusStart: 3,
    radiusEnd: 1,
  });
  for (let e = 0; e < 4; e++) await trainer.step();
  const som = trainer.snapshot();
  return { target: { som, calibration: calibrate(som, data, n, 4) }, data, n };
}

async function encodeWith(
  options: Parameters<typeof createEncodeWorkerApi>[0],
  target: EncodeTarget,
  data: Float32Array,
  n: number,
) {
  const api = createEncodeWorkerApi(options);
  await api.setMap(1, target);
  return api.encode(1, data.slice(), n, 4);
}

describe('encode session on a fast kernel', () => {
  it('gives the SDRs and scores of the JS kernel', async () => {
    const { target, data, n } = await trainedTarget();
    const plain = await encodeWith({}, target, data, n);
    const fast = await encodeWith(
      { kernel: () => createOrtNodeBackend(), fastMinWork: 0, coldFastMinWork: 0 },
      target,
      data,
      n,
    );
    expect(Array.from(fast.active)).toEqual(Array.from(plain.active));
    expect(Array.from(fast.bmu)).toEqual(Array.from(plain.bmu));
    for (let i = 0; i < n; i++) {
      expect(fast.qe[i]).toBeCloseTo(plain.qe[i], 5);
      expect(fast.dispersion[i]).toBe(plain.dispersion[i]);
    }
    // Novelty is a percentile: it moves only when a qe crosses a calibration value.
    const moved = Array.from(fast.novelty).filter((v, i) => Math.abs(v - plain.novelty[i]) > 1);
    expect(moved).toEqual([]);
  });

  it('keeps small encodings on the JS kernel without starting the fast one', async () => {
    const { target, data, n } = await trainedTarget();
    let starts = 0;
    const rows = await encodeWith(
      {
        kernel: async () => {
          starts++;
          return createJsBackend();
        },
      },
      target,
      data,
      n,
    );
    expect(rows.n).toBe(n);
    expect(starts).toBe(0);
  });

  it('does not wait for a fast kernel that has not started on a middling encoding, and starts it for the next', async () => {
    const { target, data, n } = await trainedTarget();
    const plain = await encodeWith({}, target, data, n);
    let starts = 0;
    const calls: string[] = [];
    const js = createJsBackend();
    const counted: MatmulBackend = {
      ...js,
      name: 'counted',
      scores: (...args) => {
        calls.push('fast');
        return js.scores(...args);
      },
    };
    const api = createEncodeWorkerApi({
      kernel: async () => {
        starts++;
        return counted;
      },
      fastMinWork: 0,
    });
    await api.setMap(1, target);
    const first = await api.encode(1, data.slice(), n, 4);
    expect(Array.from(first.active)).toEqual(Array.from(plain.active));
    // The JS kernel answered, and the fast one was started after it …
    expect(calls).toEqual([]);
    expect(starts).toBe(1);
    // … so the next encoding runs on it.
    const second = await api.encode(1, data.slice(), n, 4);
    expect(Array.from(second.active)).toEqual(Array.from(plain.active));
    expect(calls.length).toBeGreaterThan(0);
    expect(starts).toBe(1);
  });

  it('encodes with the JS kernel when the fast one cannot start or breaks', async () => {
    const { target, data, n } = await trainedTarget();
    const plain = await encodeWith({}, target, data, n);
    const broken: MatmulBackend = {
      ...createJsBackend(),
      name: 'broken',
      scores: () => Promise.reject(new Error('wasm trap')),
    };
    for (const kernel of [() => Promise.reject(new Error('no wasm')), async () => broken]) {
      const rows = await encodeWith(
        { kernel, fastMinWork: 0, coldFastMinWork: 0 },
        target,
        data,
        n,
      );
      expect(Array.from(rows.active)).toEqual(Array.from(plain.active));
    }
  });
});
