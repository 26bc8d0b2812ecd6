import { describe, expect, it } from 'vitest';
import { makeGrid } from '../grid/grid.ts';
import { syntheticClusters } from '../som/synthetic.ts';
import { defaultTrainConfig } from '../som/config.ts';
import { fitMap, holdoutSplit, MIN_HOLDOUT_ROWS } from './fitMap.ts';

describe('holdoutSplit', () => {
  it('splits all rows into two disjoint ascending sets, the same way for the same seed', () => {
    const a = holdoutSplit(1000, 0.1, 5);
    expect(a.held.length).toBe(100);
    expect(a.train.length).toBe(900);
    const all = new Set([...a.train, ...a.held]);
    expect(all.size).toBe(1000);
    for (const s of [a.train, a.held]) for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]); // prettier-ignore
    expect(holdoutSplit(1000, 0.1, 5).held).toEqual(a.held);
    expect(holdoutSplit(1000, 0.1, 6).held).not.toEqual(a.held);
  });
  it(`holds nothing out when the share would be under ${MIN_HOLDOUT_ROWS} rows`, () => {
    const s = holdoutSplit(400, 0.1, 1);
    expect(s.held.length).toBe(0);
    expect(s.train.length).toBe(400);
    expect(holdoutSplit(10_000, 0, 1).held.length).toBe(0);
  });
});

describe('fitMap', () => {
  const { data, n } = syntheticClusters({ n: 600, d: 8, clusters: 4, seed: 3 });
  const config = defaultTrainConfig(makeGrid(5, 6), { epochs: 4, seed: 2 });
  const settings = { config, k: 3, holdout: 0.1, name: 'clusters', model: null, embeddings: true };

  it('calibrates on the held-out rows and keeps every row as an item', async () => {
    const r = await fitMap({ data, n, d: 8 }, settings);
    expect(r.calibratedOn).toBe('holdout');
    expect(r.map.training.inputs).toBe(540);
    expect(r.map.calibration?.qe.length).toBe(60);
    expect(r.map.items?.labels).toHaveLength(n);
    expect(r.map.items?.labels[0]).toBe('row 1');
    expect(r.map.items?.sdrs.length).toBe(n * 3);
    expect(r.map.items?.embeddings).toBe(data);
    expect(r.map.unitLabels).toBeUndefined();
    expect(r).toMatchObject({ epochsRun: 4, stoppedEarly: false });
  });

  it('stops when an epoch hook says so, and records the epochs that ran', async () => {
    const seen: number[] = [];
    const r = await fitMap(
      { data, n, d: 8, labels: null },
      { ...settings, holdout: 0 },
      {
        onEpoch: (report) => {
          seen.push(report.epoch);
          return report.epoch < 2;
        },
      },
    );
    expect(seen).toEqual([1, 2]);
    expect(r).toMatchObject({ epochsRun: 2, stoppedEarly: true, calibratedOn: 'training' });
    expect(r.map.training.epochs).toBe(2);
    expect(r.map.calibration?.qe.length).toBe(n);
  });
});
