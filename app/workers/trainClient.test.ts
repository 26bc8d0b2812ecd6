import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { makeGrid } from '../../src/grid/grid.ts';
import { syntheticClusters } from '../../src/som/synthetic.ts';
import type { EpochReport, TrainConfig } from '../../src/som/types.ts';
import { TrainClient, TrainCancelledError, TrainError, trainDoor } from './trainClient.ts';
import { createMapSessions } from '../../src/index.ts';

// The client talks to the real session object over a real MessageChannel (what a Worker is to
// comlink), so transfers, error passing and the epoch loop are the ones the page runs.
const ports: MessagePort[] = [];
function clientOverChannel(): TrainClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  Comlink.expose(trainDoor(createMapSessions()), port1);
  return new TrainClient(() => port2 as unknown as Worker);
}
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

const config: TrainConfig = {
  grid: makeGrid(5, 6),
  epochs: 6,
  seed: 3,
  init: 'pca',
  radiusStart: 3,
  radiusEnd: 1,
};

function data() {
  return syntheticClusters({ n: 120, d: 16, clusters: 4, seed: 2 });
}

describe('TrainClient over a message channel', () => {
  it('streams one report per epoch and returns the trained map, calibration and labels', async () => {
    const { data: rows, n, d, labels } = data();
    const names = Array.from(labels, (c) => `cluster ${c}`);
    const reports: EpochReport[] = [];
    const result = await clientOverChannel().train(rows.slice(), n, config, {
      onEpoch: (r) => reports.push(r),
      k: 4,
      labels: { vectors: rows.slice(), names },
    });
    expect(reports.map((r) => r.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.cancelled).toBe(false);
    expect(result.snapshot.epoch).toBe(6);
    expect(result.snapshot.codebook).toHaveLength(30 * d);
    // The final map fits the data better than the initial one (epoch 1 reports the start).
    expect(result.quality.quantizationError).toBeLessThan(reports[0].quantizationError);
    expect(result.calibration?.k).toBe(4);
    expect(result.calibration?.qe).toHaveLength(n);
    expect(result.unitLabels).toHaveLength(30);
    // Every label is one of the given names, and the map separates the clusters.
    expect(new Set(result.unitLabels).size).toBeGreaterThanOrEqual(3);
    for (const l of result.unitLabels ?? []) expect(names).toContain(l);
  });

  it('starts a run on the rows it was prepared for from the prepared codebook', async () => {
    const { data: rows, n } = data();
    const started: Array<number | undefined> = [];
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const sessions = createMapSessions();
    Comlink.expose(
      trainDoor({
        ...sessions,
        start: (id, d, rowCount, c, prepared) => {
          started.push(prepared);
          return sessions.start(id, d, rowCount, c, prepared);
        },
      }),
      port1,
    );
    const client = new TrainClient(() => port2 as unknown as Worker);
    const plain = await clientOverChannel().train(rows.slice(), n, config);
    await client.prepare(rows, n, config);
    await client.prepare(rows, n, { ...config, epochs: 9 }); // same start: nothing sent again
    const prepared = await client.train(rows.slice(), n, config, { source: rows });
    await client.train(rows.slice(), n, config); // no source: not prepared
    await client.train(rows.slice(), n, config, { source: rows.slice() }); // another array
    expect(started).toEqual([1, undefined, undefined]);
    expect(prepared.snapshot.codebook).toEqual(plain.snapshot.codebook);
  });

  it('draws the map as it forms: the first epoch U-matrix arrives before the run ends', async () => {
    const { data: rows, n } = data();
    const client = clientOverChannel();
    await client.warm();
    const previews: { epoch: number; units: number; finite: boolean }[] = [];
    const result = await client.train(rows.slice(), n, config, {
      onPreview: (p) =>
        previews.push({
          epoch: p.epoch,
          units: p.uMatrix.length,
          finite: p.uMatrix.every((v) => Number.isFinite(v) && v >= 0),
        }),
    });
    // The first epoch is always previewed (later ones at most 5 a second), never the last:
    // the finished map replaces the preview.
    expect(previews[0]).toEqual({ epoch: 1, units: 30, finite: true });
    expect(previews.every((p) => p.epoch < config.epochs)).toBe(true);
    expect(result.snapshot.epoch).toBe(config.epochs);
  });

  it('stops after the epoch in flight when cancelled, keeping that snapshot', async () => {
    const { data: rows, n } = data();
    const abort = new AbortController();
    const result = await clientOverChannel().train(rows.slice(), n, config, {
      signal: abort.signal,
      onEpoch: (r) => {
        if (r.epoch === 2) abort.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.snapshot.epoch).toBe(2);
    expect(result.snapshot.history).toHaveLength(2);
    expect(result.unitLabels).toBeNull();
    expect(Number.isFinite(result.quality.quantizationError)).toBe(true);
  });

  it('refuses to start when already cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(
      clientOverChannel().train(new Float32Array(32), 2, config, { signal: abort.signal }),
    ).rejects.toBeInstanceOf(TrainCancelledError);
  });

  it('brings the worker-side error back as a TrainError with its message', async () => {
    const bad = () => new Float32Array(2 * 16).fill(0.1).fill(NaN, 5, 6);
    await expect(clientOverChannel().train(bad(), 2, config)).rejects.toThrow(TrainError);
    await expect(clientOverChannel().train(bad(), 2, config)).rejects.toThrow(/non-finite/);
  });

  it('labels any map with given rows', async () => {
    const { data: rows, n } = data();
    const result = await clientOverChannel().train(rows.slice(), n, config);
    const names = Array.from({ length: n }, (_, i) => `row ${i}`);
    const labels = await clientOverChannel().labelUnits(result.snapshot, rows.slice(), names);
    expect(labels).toHaveLength(30);
  });
});
