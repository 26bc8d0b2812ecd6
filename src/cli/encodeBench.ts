/**
 * Speed of top-K encoding (src/encode) against a naive peer. Never part of the tests' timings;
 * `npm run bench` runs it.
 *
 * Default workload: 10,000 unit-length 512-d inputs (seeded synthetic clusters) on a 32×32 map
 * whose 1,024 unit vectors are another seeded draw scaled to length 0.85 (trained CLIP maps'
 * rows are 0.70 to 0.96 long), K = 20. Timed:
 *   - encodeBatch (plain-JS product) and encodeBatchWith (onnxruntime-node product), whole;
 *   - the selection step alone on the same cosine matrix: the size-K heap (topKIndices) against
 *     the naive peer, a full sort of all m units per row then the first K;
 *   - naive encoding = the same ORT product + full sort, against encodeBatchWith.
 * Both selections must give identical SDRs (`agree`).
 */
import {
  createTopKScratch,
  encodeBatch,
  encodeBatchWith,
  makeGrid,
  syntheticClusters,
  topKIndices,
  type MatmulBackend,
  type SomModel,
} from '../index.ts';
import { createOrtNodeBackend } from '../som/node.ts';

export interface EncodeBenchOptions {
  /** Inputs encoded; default 10,000, 1 and up. */
  readonly inputs?: number;
  /** Map side (square, rect); default 32, 2 to 1024. */
  readonly side?: number;
  /** Dimension; default 512, 2 and up. */
  readonly dim?: number;
  /** Active units; default 20, 1 to side². */
  readonly k?: number;
  /** Timed repeats of each measurement (the median is reported); default 3, 1 and up. */
  readonly repeats?: number;
  /** Seed of inputs and map; default 1. */
  readonly seed?: number;
}

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

async function medianMs(repeats: number, f: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor((times.length - 1) / 2)];
}

/** Cosine of every input row with every unit, n·m (rows and units normalised first). */
async function cosines(
  backend: MatmulBackend,
  model: SomModel,
  data: Float32Array,
  n: number,
): Promise<Float32Array> {
  const { codebook, dim: d } = model;
  const m = codebook.length / d;
  const units = codebook.slice();
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += units[j * d + t] ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < d; t++) units[j * d + t] *= inv;
  }
  const out = new Float32Array(n * m);
  await backend.scores(data, n, units, m, d, out);
  return out;
}

/** The naive peer's selection: sort all m units of each row by score, keep the first k. */
export function fullSortTopK(cos: Float32Array, n: number, m: number, k: number): Uint32Array {
  const out = new Uint32Array(n * k);
  const order = new Uint32Array(m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = 0; j < m; j++) order[j] = j;
    order.sort((a, b) => cos[o + b] - cos[o + a] || a - b);
    const row = out.subarray(i * k, (i + 1) * k);
    row.set(order.subarray(0, k));
    row.sort();
  }
  return out;
}

function heapTopK(cos: Float32Array, n: number, m: number, k: number): Uint32Array {
  const out = new Uint32Array(n * k);
  const scratch = createTopKScratch(k);
  for (let i = 0; i < n; i++) topKIndices(cos, i * m, m, k, out, i * k, scratch);
  return out;
}

function equal(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function benchEncode(
  options: EncodeBenchOptions = {},
): Promise<Record<string, number | string>> {
  const n = options.inputs ?? 10_000;
  const side = options.side ?? 32;
  const d = options.dim ?? 512;
  const k = options.k ?? 20;
  const repeats = options.repeats ?? 3;
  const seed = options.seed ?? 1;
  const grid = makeGrid(side, side);
  const m = side * side;
  if (!Number.isInteger(k) || k < 1 || k > m) throw new RangeError(`k must be from 1 to ${m}, got ${k}`); // prettier-ignore
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be ≥ 1, got ${repeats}`); // prettier-ignore
  const { data } = syntheticClusters({ n, d, clusters: 10, seed });
  const units = syntheticClusters({ n: m, d, clusters: 10, seed: seed + 1 }).data;
  for (let t = 0; t < units.length; t++) units[t] *= 0.85;
  const model: SomModel = { grid, dim: d, codebook: units };

  const ort = await createOrtNodeBackend({ threads: 1 });
  try {
    // One untimed run of each path lets the JIT and onnxruntime settle.
    encodeBatch(model, data, Math.min(n, 64), { k });
    await encodeBatchWith(ort, model, data, Math.min(n, 64), { k });
    const jsMs = await medianMs(repeats, () => encodeBatch(model, data, n, { k }));
    const ortMs = await medianMs(repeats, () => encodeBatchWith(ort, model, data, n, { k }));
    let productMs = 0;
    const cos = await (async () => {
      const t0 = performance.now();
      const c = await cosines(ort, model, data, n);
      productMs = performance.now() - t0;
      return c;
    })();
    let heap: Uint32Array = new Uint32Array(0);
    let sorted: Uint32Array = new Uint32Array(0);
    const heapMs = await medianMs(repeats, () => void (heap = heapTopK(cos, n, m, k)));
    // The full sort is the slow one: one repeat is plenty to see the gap.
    const sortMs = await medianMs(1, () => void (sorted = fullSortTopK(cos, n, m, k)));
    const naiveMs = productMs + sortMs;
    return {
      workload: `${n} inputs × ${side}×${side} map × ${d}-d, K=${k}`,
      encodeJsMs: round(jsMs),
      encodeOrtMs: round(ortMs),
      inputsPerSecondOrt: Math.round((n / ortMs) * 1000),
      topKHeapMs: round(heapMs),
      fullSortMs: round(sortMs),
      topKSpeedupVsFullSort: round(sortMs / heapMs, 1),
      naiveEncodeMs: round(naiveMs),
      encodeSpeedupVsNaive: round(naiveMs / ortMs, 1),
      agree: equal(heap, sorted) ? 'yes' : 'NO',
    };
  } finally {
    await ort.dispose();
  }
}
