/**
 * SOM training benchmark (never part of the tests; run by `npm run bench` or
 * `npx tsx src/som/som.bench.ts`).
 *
 * Workload: 10,000 unit vectors of dimension 512 (a seeded mixture of 10 clusters, synthetic.ts),
 * a 32×32 rect map, 10 batch epochs, PCA initialisation. In one run it measures:
 * - our wall time (initialisation + 10 epochs) with 1 and 2 Node workers on onnxruntime-node,
 *   and with 2 workers on the plain-JS kernel; pool start-up (threads, module load, ORT sessions)
 *   is reported on its own;
 * - GFLOP/s of the BMU phase, 2·n·m·d per epoch over the time the shard pool took;
 * - the raw kernels on one full BMU pass (ORT, one thread) and on 1,000 rows (JS);
 * - the JS peer ml-som (online Kohonen, the npm package) for one epoch on the same data;
 * - CPU time of each training run (process.cpuUsage, all threads): on a shared machine the
 *   wall time depends on who else is running, the CPU time much less;
 * - peak resident memory (process.memoryUsage().rss sampled every 20 ms, workers included);
 * - final quantisation and topographic error of each map.
 * The somoclu figure (C++/OpenMP, 2 threads, ~15 s at QE 0.482 on this kind of workload) is a
 * reference from the brief, not measured here.
 */
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { gridSize, makeGrid } from '../grid/grid.ts';
import { createJsBackend } from './backend.ts';
import { allocBestTwo, halfNormBias } from './bmu.ts';
import { defaultTrainConfig } from './config.ts';
import { createNodePool } from './nodePool.ts';
import { createOrtNodeBackend } from './ortNode.ts';
import { createInThreadPool, type ShardPool } from './pool.ts';
import { syntheticClusters } from './synthetic.ts';
import { createTrainer } from './trainer.ts';
import type { SomModel, TrainConfig } from './types.ts';
import { createRng } from '../util/random.ts';

export interface SomBenchOptions {
  /** A small workload (1,000×64, 8×8 map, 3 epochs) to check the bench itself runs; default false. */
  readonly quick?: boolean;
}

/** The somoclu reference from the brief (not measured here). */
const SOMOCLU_REFERENCE = { seconds: 15, quantizationError: 0.482 };

interface Run {
  startupMs: number;
  trainMs: number;
  /** CPU time (user + system, all threads of the process) spent training. */
  cpuMs: number;
  bmuMs: number;
  epochs: number;
  model: SomModel;
  lastReportedQe: number;
  /** Figures of the final map (after the last update), from one more pass on the pool. */
  final: { quantizationError: number; topographicError: number };
}

async function timedRun(
  data: Float32Array,
  n: number,
  config: TrainConfig,
  makePool: () => Promise<ShardPool>,
  epochs = config.epochs,
): Promise<Run> {
  const t0 = performance.now();
  const pool = await makePool();
  // Start-up: threads, module load in each worker, backend sessions, the one-time data load.
  await pool.load(data, n, data.length / n);
  const startupMs = performance.now() - t0;
  try {
    const t1 = performance.now();
    const cpu0 = process.cpuUsage();
    const trainer = createTrainer(data, n, config, { pool });
    let bmuMs = 0;
    let lastReportedQe = NaN;
    for (let e = 0; e < epochs; e++) {
      const r = await trainer.step();
      bmuMs += r.bmuMs ?? 0;
      lastReportedQe = r.quantizationError;
    }
    const trainMs = performance.now() - t1;
    const cpu = process.cpuUsage(cpu0);
    const snap = trainer.snapshot();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const final = await trainer.evaluate();
    return { startupMs, trainMs, cpuMs, bmuMs, epochs, model: snap, lastReportedQe, final };
  } finally {
    await pool.dispose();
  }
}

/** Final QE and TE of a map on the data, by one ORT BMU pass. */
async function finalQuality(model: SomModel, data: Float32Array, n: number) {
  const pool = createInThreadPool(await createOrtNodeBackend());
  try {
    await pool.load(data, n, model.dim);
    const p = await pool.run(model.codebook, gridSize(model.grid), model.grid);
    return { quantizationError: p.qeSum / n, topographicError: p.teCount / n };
  } finally {
    await pool.dispose();
  }
}

interface MlSom {
  train(set: number[][]): void;
  getConvertedNodes(): number[][][];
}
type MlSomCtor = new (x: number, y: number, options: Record<string, unknown>) => MlSom;

/** One epoch of ml-som (online SOM: one random input per step, n steps) on the same rows. */
async function mlSomEpoch(data: Float32Array, n: number, d: number, rows: number, cols: number) {
  const require = createRequire(import.meta.url);
  const SOM = require('ml-som') as MlSomCtor;
  const set: number[][] = [];
  for (let i = 0; i < n; i++) set.push(Array.from(data.subarray(i * d, (i + 1) * d)));
  const som = new SOM(cols, rows, {
    fields: d,
    iterations: 1,
    gridType: 'rect',
    torus: false,
    randomizer: createRng(1),
  });
  const t0 = performance.now();
  som.train(set);
  const ms = performance.now() - t0;
  const nodes = som.getConvertedNodes();
  const codebook = new Float32Array(rows * cols * d);
  // ml-som indexes nodes[x][y]; our unit (r, c) is r·cols + c with x = column, y = row.
  for (let x = 0; x < cols; x++) {
    for (let y = 0; y < rows; y++) codebook.set(nodes[x][y], (y * cols + x) * d);
  }
  return { ms, model: { grid: makeGrid(rows, cols), dim: d, codebook } as SomModel };
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** Run the whole benchmark once and return its figures (flat name → number or string). */
export async function benchSom(
  options: SomBenchOptions = {},
): Promise<Record<string, number | string>> {
  const quick = options.quick ?? false;
  const size = quick
    ? { n: 1000, d: 64, side: 8, epochs: 3 }
    : { n: 10_000, d: 512, side: 32, epochs: 10 };
  const { n, d, side, epochs } = size;
  const { data } = syntheticClusters({ n, d, clusters: 10, seed: 1 });
  const grid = makeGrid(side, side);
  const m = gridSize(grid);
  const config = defaultTrainConfig(grid, { epochs });
  const flopsPerEpoch = 2 * n * m * d;

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const ort2 = await timedRun(data, n, config, () =>
      createNodePool({ workers: 2, backend: 'ort' }),
    );
    const ort1 = await timedRun(data, n, config, () =>
      createNodePool({ workers: 1, backend: 'ort' }),
    );
    // The JS kernel is ~20× slower: two epochs give its per-epoch figure.
    const jsEpochs = Math.min(2, epochs);
    const js2 = await timedRun(
      data,
      n,
      config,
      () => createNodePool({ workers: 2, backend: 'js' }),
      jsEpochs,
    );

    // Raw kernels, one thread each: ORT on the full pass, JS on 1,000 rows.
    const codebook = ort2.model.codebook;
    const bias = halfNormBias(codebook, m, d);
    const ortBackend = await createOrtNodeBackend();
    const out = allocBestTwo(n);
    await ortBackend.bestTwo(data, n, codebook, m, d, bias, out); // warm-up
    let t = performance.now();
    await ortBackend.bestTwo(data, n, codebook, m, d, bias, out);
    const ortKernelMs = performance.now() - t;
    await ortBackend.dispose();
    const jsRows = Math.min(n, 1000);
    const jsBackend = createJsBackend();
    t = performance.now();
    await jsBackend.bestTwo(data, jsRows, codebook, m, d, bias, out);
    const jsKernelMs = performance.now() - t;

    const q2 = ort2.final;
    const q1 = ort1.final;
    const ml = await mlSomEpoch(data, n, d, side, side);
    const qMl = await finalQuality(ml.model, data, n);

    const perEpoch = (r: Run) => r.trainMs / r.epochs;
    const gflops = (r: Run) => (flopsPerEpoch * r.epochs) / (r.bmuMs * 1e6);
    return {
      workload: `${n}×${d} unit vectors, 10 clusters; ${side}×${side} rect map; ${epochs} batch epochs; PCA init`,
      'ours.ort.2workers.trainMs': round(ort2.trainMs),
      'ours.ort.2workers.cpuMs': round(ort2.cpuMs),
      'ours.ort.2workers.startupMs': round(ort2.startupMs),
      'ours.ort.2workers.perEpochMs': round(perEpoch(ort2)),
      'ours.ort.2workers.bmuGflops': round(gflops(ort2)),
      'ours.ort.2workers.finalQE': round(q2.quantizationError, 4),
      'ours.ort.2workers.finalTE': round(q2.topographicError, 4),
      'ours.ort.2workers.lastEpochQE': round(ort2.lastReportedQe, 4),
      'ours.ort.1worker.trainMs': round(ort1.trainMs),
      'ours.ort.1worker.cpuMs': round(ort1.cpuMs),
      'ours.ort.1worker.startupMs': round(ort1.startupMs),
      'ours.ort.1worker.perEpochMs': round(perEpoch(ort1)),
      'ours.ort.1worker.bmuGflops': round(gflops(ort1)),
      'ours.ort.1worker.finalQE': round(q1.quantizationError, 4),
      'ours.js.2workers.epochsMeasured': jsEpochs,
      'ours.js.2workers.perEpochMs': round(perEpoch(js2)),
      'ours.js.2workers.bmuGflops': round(gflops(js2), 2),
      'ours.js.2workers.projectedTrainMs': round(perEpoch(js2) * epochs),
      'kernel.ort.1thread.gflops': round(flopsPerEpoch / (ortKernelMs * 1e6)),
      'kernel.js.1thread.gflops': round((2 * jsRows * m * d) / (jsKernelMs * 1e6), 2),
      'peer.mlSom.epochMs': round(ml.ms),
      'peer.mlSom.finalQE(1 epoch)': round(qMl.quantizationError, 4),
      'peer.somoclu.referenceSeconds(not measured)': SOMOCLU_REFERENCE.seconds,
      'peer.somoclu.referenceQE': SOMOCLU_REFERENCE.quantizationError,
      'ratio.speedup.2vs1workers': round(ort1.trainMs / ort2.trainMs, 2),
      'ratio.speedup.ortVsJs(per epoch, 2 workers)': round(perEpoch(js2) / perEpoch(ort2), 1),
      'ratio.speedup.oursVsMlSom(per epoch)': round(ml.ms / perEpoch(ort2), 1),
      // ml-som's one online epoch already reaches about our 10-epoch QE: compare whole runs too.
      'ratio.speedup.oursWholeRunVsMlSom1Epoch': round(ml.ms / ort2.trainMs, 1),
      'ratio.speedup.oursWholeRunVsSomocluReference': round(
        (SOMOCLU_REFERENCE.seconds * 1000) / ort2.trainMs,
        1,
      ),
      peakRssMiB: round(peakRss / 2 ** 20),
      // Other processes share the cores: wall times above are only meaningful next to this.
      loadAverage1min: round(loadavg()[0], 2),
    };
  } finally {
    clearInterval(sampler);
  }
}

// `npx tsx src/som/som.bench.ts [--quick]` prints the figures as JSON.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchSom({ quick: process.argv.includes('--quick') }).then(
    (figures) => console.log(JSON.stringify(figures, null, 2)),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
