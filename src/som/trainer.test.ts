import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { defaultTrainConfig } from './config.ts';
import { quantizationError, topographicError } from './quality.ts';
import { syntheticClusters } from './synthetic.ts';
import { createBatchUpdate, createTrainer, train } from './trainer.ts';

const { data, n } = syntheticClusters({ n: 300, d: 16, clusters: 6, seed: 1 });
const grid = makeGrid(6, 6);
const config = defaultTrainConfig(grid, { epochs: 6 });

describe('createTrainer', () => {
  it.each(['rect', 'hex'] as const)(
    'trains a %s map: finite codebook, QE falling, reports per epoch',
    async (topology) => {
      const cfg = defaultTrainConfig(makeGrid(6, 6, topology), { epochs: 6 });
      const trainer = createTrainer(data, n, cfg);
      expect(trainer.epoch).toBe(0);
      const reports = [];
      while (!trainer.done) reports.push(await trainer.step());
      const snap = trainer.snapshot();
      expect(snap.codebook.length).toBe(36 * 16);
      expect(snap.codebook.every(Number.isFinite)).toBe(true);
      expect(snap.epoch).toBe(6);
      expect(snap.history).toEqual(reports);
      expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
      const qe = reports.map((r) => r.quantizationError);
      expect(qe[5]).toBeLessThan(qe[0] * 0.95);
      for (const r of reports) {
        expect(r.topographicError).toBeGreaterThanOrEqual(0);
        expect(r.topographicError).toBeLessThanOrEqual(1);
      }
      // The final map fits better than the last reported figure (which is before the last update),
      // and evaluate() measures exactly that final map.
      const final = await trainer.evaluate();
      expect(final.quantizationError).toBeCloseTo(quantizationError(snap, data, n), 5);
      expect(final.topographicError).toBeCloseTo(topographicError(snap, data, n), 10);
      expect(final.quantizationError).toBeLessThanOrEqual(qe[5] + 1e-6);
      await expect(trainer.step()).rejects.toThrow(/training is done/);
    },
  );

  it('reports the QE of the codebook its BMU pass used', async () => {
    const trainer = createTrainer(data, n, config);
    const before = trainer.snapshot();
    const report = await trainer.step();
    expect(report.quantizationError).toBeCloseTo(quantizationError(before, data, n), 5);
    expect(report.radius).toBe(config.radiusStart);
  });

  it('repeats exactly with the same seed, and differs with another (random init)', async () => {
    const cfg = defaultTrainConfig(grid, { epochs: 3, init: 'random', seed: 4 });
    const a = await train(data, n, cfg);
    const b = await train(data, n, cfg);
    const c = await train(data, n, { ...cfg, seed: 5 });
    expect(b.codebook).toEqual(a.codebook);
    expect(c.codebook).not.toEqual(a.codebook);
  });

  it('resumes from a snapshot exactly where an uninterrupted run would be', async () => {
    const whole = await train(data, n, config);
    const first = createTrainer(data, n, config);
    await first.step();
    await first.step();
    const mid = first.snapshot();
    await first.step(); // moving on does not change the snapshot already taken
    expect(mid.epoch).toBe(2);
    const second = createTrainer(data, n, config, { resume: mid });
    expect(second.epoch).toBe(2);
    while (!second.done) await second.step();
    const end = second.snapshot();
    expect(end.codebook).toEqual(whole.codebook);
    expect(end.history.map((r) => r.quantizationError)).toEqual(
      whole.history.map((r) => r.quantizationError),
    );
  });

  it('refuses a snapshot from another grid or dimension', async () => {
    const snap = createTrainer(data, n, config).snapshot();
    const other = defaultTrainConfig(makeGrid(5, 6), { epochs: 6 });
    expect(() => createTrainer(data, n, other, { resume: snap })).toThrow(/different grid/);
    const short = data.subarray(0, n * 8);
    expect(() => createTrainer(short, n, config, { resume: snap })).toThrow(/dimension/);
  });

  it('starts from a given initial codebook, and refuses one of the wrong size', () => {
    const initial = createTrainer(data, n, config)
      .snapshot()
      .codebook.map((v) => v * 0.5);
    expect(createTrainer(data, n, config, { initial }).snapshot().codebook).toEqual(initial);
    expect(() => createTrainer(data, n, config, { initial: initial.subarray(1) })).toThrow(/initial codebook holds/); // prettier-ignore
  });

  it("takes over another run's update scratch and trains the same map; refuses one of other shapes", async () => {
    const alone = createTrainer(data, n, config);
    const update = createBatchUpdate(grid, 16);
    // The scratch of a run that has stepped before: nothing of it may carry into the next run.
    const before = createTrainer(data, n, { ...config, epochs: 2 }, { update });
    await before.step();
    const reusing = createTrainer(data, n, config, { update });
    for (let e = 0; e < config.epochs; e++) {
      await alone.step();
      await reusing.step();
      // peek() is the current codebook itself, as snapshot() copies it.
      expect(reusing.peek()).toEqual({ epoch: e + 1, codebook: alone.snapshot().codebook });
    }
    expect(() => createTrainer(data, n, config, { update: createBatchUpdate(makeGrid(6, 5), 16) })).toThrow(/another grid or dimension/); // prettier-ignore
    expect(() => createTrainer(data, n, config, { update: createBatchUpdate(grid, 15) })).toThrow(/another grid or dimension/); // prettier-ignore
  });

  it('refuses bad data with a one-line reason', () => {
    expect(() => createTrainer(data, 0, config)).toThrow(/at least one input row/);
    expect(() => createTrainer(data.subarray(0, 100), 7, config)).toThrow(/whole number/);
    const nan = data.slice();
    nan[5 * 16 + 3] = Number.NaN;
    expect(() => createTrainer(nan, n, config)).toThrow(/row 5 has a non-finite value/);
  });
});

describe('train', () => {
  it('calls onEpoch for every epoch and returns the final snapshot', async () => {
    const seen: number[] = [];
    const snap = await train(data, n, config, { onEpoch: (r) => seen.push(r.epoch) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(snap.epoch).toBe(6);
  });

  it('stops on abort and keeps the last complete epoch', async () => {
    const controller = new AbortController();
    const whole = await train(data, n, config);
    const snap = await train(data, n, config, {
      signal: controller.signal,
      onEpoch: (r) => {
        if (r.epoch === 3) controller.abort();
      },
    });
    expect(snap.epoch).toBe(3);
    expect(snap.history.length).toBe(3);
    // The kept map is the genuine epoch-3 map, not a half-updated one.
    const three = createTrainer(data, n, config);
    for (let e = 0; e < 3; e++) await three.step();
    expect(snap.codebook).toEqual(three.snapshot().codebook);
    expect(snap.codebook).not.toEqual(whole.codebook);
  });

  it('returns the initial map when aborted before it starts', async () => {
    const snap = await train(data, n, config, { signal: AbortSignal.abort() });
    expect(snap.epoch).toBe(0);
    expect(snap.history).toEqual([]);
  });
});
