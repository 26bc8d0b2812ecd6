import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { createJsBackend, type MatmulBackend } from '../som/backend.ts';
import { initCodebook } from '../som/init.ts';
import { createOrtNodeBackend } from '../som/ortNode.ts';
import { bestUnits, mapQuality } from '../som/quality.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import type { SomModel } from '../som/types.ts';
import {
  encodeBatch,
  encodeBatchWith,
  encodeOne,
  resolveK,
  sparsityOf,
  unitCosines,
  unitsAtK,
} from './encode.ts';
import { nearestItemPerUnit } from './unitLabels.ts';

const { data, n, d } = syntheticClusters({ n: 150, d: 16, clusters: 4, seed: 4 });
const grid = makeGrid(8, 8);
const model: SomModel = { grid, dim: d, codebook: initCodebook(data, n, d, grid, 'random', 2) };

function cosines(row: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < 64; j++) {
    let dot = 0, ww = 0, xx = 0; // prettier-ignore
    for (let k = 0; k < d; k++) {
      dot += data[row * d + k] * model.codebook[j * d + k];
      ww += model.codebook[j * d + k] ** 2;
      xx += data[row * d + k] ** 2;
    }
    out.push(dot / Math.sqrt(ww * xx));
  }
  return out;
}

describe('resolveK', () => {
  it('takes k, else a sparsity percentage, else 20', () => {
    expect(resolveK(1024)).toBe(20);
    expect(resolveK(16)).toBe(16);
    expect(resolveK(1024, { k: 7 })).toBe(7);
    expect(resolveK(1024, { sparsity: 2 })).toBe(20);
    expect(resolveK(400, { sparsity: 2 })).toBe(8);
    expect(resolveK(100, { sparsity: 0.1 })).toBe(1);
    expect(resolveK(1024, { k: 5, sparsity: 50 })).toBe(5);
    expect(sparsityOf(1024, resolveK(1024, { sparsity: 2 }))).toBeCloseTo(1.953, 3);
  });

  it('refuses k or sparsity out of range', () => {
    expect(() => resolveK(64, { k: 0 })).toThrow(/k must/);
    expect(() => resolveK(64, { k: 65 })).toThrow(/1 to 64/);
    expect(() => resolveK(64, { sparsity: 0 })).toThrow(/sparsity/);
    expect(() => resolveK(64, { sparsity: 101 })).toThrow(/sparsity/);
  });
});

describe('encodeBatch', () => {
  it('selects the k units of highest cosine, each row ascending', () => {
    const e = encodeBatch(model, data, n, { k: 5 });
    expect(e.k).toBe(5);
    expect(e.active.length).toBe(n * 5);
    for (let i = 0; i < n; i++) {
      const cos = cosines(i);
      const ref = cos
        .map((v, j) => ({ v, j }))
        .sort((a, b) => b.v - a.v || a.j - b.j)
        .slice(0, 5)
        .map((x) => x.j)
        .sort((a, b) => a - b);
      expect(Array.from(e.active.subarray(i * 5, i * 5 + 5))).toEqual(ref);
      expect(e.bestCosine[i]).toBeCloseTo(Math.max(...cos), 5);
    }
  });

  it('reports qe and bmu by the training rule (Euclidean, unit-length row)', () => {
    const e = encodeBatch(model, data, n);
    const { best } = bestUnits(model, data, n);
    for (let i = 0; i < n; i++) {
      expect(e.bmu[i]).toBe(best[i]);
      let sq = 0;
      for (let k = 0; k < d; k++) sq += (data[i * d + k] - model.codebook[best[i] * d + k]) ** 2;
      expect(e.qe[i]).toBeCloseTo(Math.sqrt(sq), 5);
    }
  });

  it('ignores the length of the input row', () => {
    const scaled = data.map((v) => v * 7);
    const a = encodeBatch(model, data, 10, { k: 4 });
    const b = encodeBatch(model, scaled, 10, { k: 4 });
    expect(b.active).toEqual(a.active);
    for (let i = 0; i < 10; i++) expect(b.qe[i]).toBeCloseTo(a.qe[i], 5);
  });

  it('does not let short codebook rows capture far-away inputs (cosine, not Euclidean)', () => {
    // Unit 0 is short and points along x; unit 1 is long and points along y.
    const m: SomModel = {
      grid: makeGrid(1, 2),
      dim: 2,
      codebook: Float32Array.from([0.1, 0, 0, 1]),
    };
    // An input along −x: Euclidean-nearest is the short unit 0 … and so is the cosine winner?
    // No: cos(−x, x) = −1, cos(−x, y) = 0, so cosine picks unit 1; Euclid picks unit 0.
    const e = encodeBatch(m, Float32Array.from([-1, 0]), 1, { k: 1 });
    expect(e.bmu[0]).toBe(0);
    expect(Array.from(e.active)).toEqual([1]);
  });

  it('refuses rows without a direction', () => {
    const zero = data.slice(0, 2 * d);
    zero.fill(0, d);
    expect(() => encodeBatch(model, zero, 2)).toThrow(/row 1 has zero length/);
    expect(() => encodeBatch(model, data, n + 1)).toThrow(/data holds/);
  });
});

describe('encodeOne', () => {
  it('equals the matching row of a batch, as an SDR on the map grid', () => {
    const batch = encodeBatch(model, data, n, { sparsity: 10 });
    const one = encodeOne(model, data.slice(3 * d, 4 * d), { sparsity: 10 });
    expect(one.sdr.grid).toBe(grid);
    expect(Array.from(one.sdr.active)).toEqual(
      Array.from(batch.active.subarray(3 * batch.k, 4 * batch.k)),
    );
    expect(one.qe).toBe(batch.qe[3]);
    expect(one.bmu).toBe(batch.bmu[3]);
  });

  it('refuses an embedding of the wrong size', () => {
    expect(() => encodeOne(model, new Float32Array(d + 1))).toThrow(/expects 16/);
  });
});

describe('encodeBatchWith', () => {
  let ort: MatmulBackend;
  beforeAll(async () => {
    ort = await createOrtNodeBackend();
  });
  afterAll(async () => {
    await ort.dispose();
  });

  it('gives the JS result on the JS and onnxruntime backends', async () => {
    const ref = encodeBatch(model, data, n, { k: 6 });
    for (const backend of [createJsBackend(), ort]) {
      const got = await encodeBatchWith(backend, model, data, n, { k: 6 });
      expect(got.active).toEqual(ref.active);
      expect(got.bmu).toEqual(ref.bmu);
      for (let i = 0; i < n; i++) expect(Math.abs(got.qe[i] - ref.qe[i])).toBeLessThan(1e-5);
    }
  });
});

describe('encoding one to three rows (the explorer re-encodes one item per K move)', () => {
  it('gives each row exactly the SDR and scores it gets inside a big batch', () => {
    const all = encodeBatch(model, data, n, { k: 6 });
    for (const rows of [1, 2, 3]) {
      const start = 17;
      const few = encodeBatch(model, data.subarray(start * d, (start + rows) * d), rows, { k: 6 });
      expect(Array.from(few.active)).toEqual(
        Array.from(all.active.subarray(start * 6, (start + rows) * 6)),
      );
      expect(Array.from(few.bmu)).toEqual(Array.from(all.bmu.subarray(start, start + rows)));
      for (let r = 0; r < rows; r++) expect(few.qe[r]).toBeCloseTo(all.qe[start + r], 5);
    }
  });

  it('notices a codebook edited in place since the last call and encodes with the new weights', () => {
    const codebook = model.codebook.slice();
    const edited: SomModel = { grid, dim: d, codebook };
    const before = encodeBatch(edited, data, 4, { k: 6 });
    // Shrink every unit but the first 8 a lot: their halfSq changes, so the BMUs must move.
    for (let i = 8 * d; i < codebook.length; i++) codebook[i] *= 0.05;
    const after = encodeBatch(edited, data, 4, { k: 6 });
    const fresh = encodeBatch({ grid, dim: d, codebook: codebook.slice() }, data, 4, { k: 6 });
    expect(Array.from(after.bmu)).toEqual(Array.from(fresh.bmu));
    expect(Array.from(after.qe)).toEqual(Array.from(fresh.qe));
    expect(Array.from(after.bmu)).not.toEqual(Array.from(before.bmu));
  });
});

describe("the training rows' extras (a trained map's final pass)", () => {
  let ort: MatmulBackend;
  beforeAll(async () => {
    ort = await createOrtNodeBackend();
  });
  afterAll(async () => {
    await ort.dispose();
  });
  // Rows of several lengths: the training rule ranks the row as given, the SDR its direction.
  const scaled = data.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) scaled[i * d + k] *= 0.5 + (i % 3) * 0.5; // prettier-ignore

  it('measures QE and TE as the trainer does, in the same product', async () => {
    for (const backend of [createJsBackend(), ort]) {
      const got = await encodeBatchWith(backend, model, scaled, n, { k: 6, trainingFigures: true });
      const want = mapQuality(model, scaled, n);
      expect(got.trainingFigures!.quantizationError).toBeCloseTo(want.quantizationError, 5);
      expect(got.trainingFigures!.topographicError).toBe(want.topographicError);
      expect(got.trainingFigures!.topographicError).toBeGreaterThan(0); // a random map has errors
      // The SDRs are the same with or without the figures.
      expect(got.active).toEqual(encodeBatch(model, scaled, n, { k: 6 }).active);
    }
  });

  it("names each unit's nearest row as unit labelling does", async () => {
    const want = await nearestItemPerUnit(createJsBackend(), model, scaled, n);
    const got = encodeBatch(model, scaled, n, { k: 6, nearestRowPerUnit: true });
    expect(Array.from(got.nearestRow!)).toEqual(Array.from(want));
    expect(new Set(got.nearestRow).size).toBeGreaterThan(4);
    expect(encodeBatch(model, scaled, n, { k: 6 }).nearestRow).toBeUndefined();
  });
});

describe('unitCosines and unitsAtK', () => {
  it('give at every K the SDR encodeBatch gives, without recomputing the products', () => {
    for (const row of [0, 37, 149]) {
      const vector = data.subarray(row * d, (row + 1) * d);
      const stored = unitCosines(model, vector);
      expect(stored).toHaveLength(64);
      for (const k of [1, 5, 20, 64]) {
        expect(Array.from(unitsAtK(stored, k))).toEqual(
          Array.from(encodeBatch(model, vector, 1, { k }).active),
        );
      }
    }
  });

  it('refuses a row with no direction', () => {
    expect(() => unitCosines(model, new Float32Array(d))).toThrow(/no direction/);
  });
});
