import { describe, expect, it } from 'vitest';
import type { EncodedRows } from '../../../src/index.ts';
import { ScoredItemsError, scoreEncoded, scoredSdr, sortedClusterCounts } from './scoredItems.ts';
import { makeGrid } from '../../../src/index.ts';

const grid = makeGrid(6, 6);

function rows(active: number[][], qe: number[]): EncodedRows {
  const n = active.length;
  const k = active[0]?.length ?? 3;
  return {
    n,
    k,
    active: Uint32Array.from(active.flat()),
    qe: Float32Array.from(qe),
    novelty: Float32Array.from(qe, (q) => q * 100),
    dispersion: Float32Array.from(qe, (q) => q / 2),
    bmu: Uint32Array.from(active, (a) => a[0]),
  };
}

describe('scoreEncoded', () => {
  // A 2×2 block (one cluster), two far corners plus a neighbour (two clusters), four corners.
  const dataset = rows(
    [
      [0, 1, 6, 7],
      [0, 1, 34, 35],
    ],
    [0.1, 0.2],
  );
  const mixtures = rows([[0, 5, 30, 35]], [0.3]);

  it('joins batches in order and keeps every score with its item', () => {
    const s = scoreEncoded(grid, [dataset, mixtures]);
    expect(s.n).toBe(3);
    expect(s.k).toBe(4);
    expect(Array.from(scoredSdr(s, 2).active)).toEqual([0, 5, 30, 35]);
    expect(Array.from(s.qe)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(Array.from(s.novelty)).toEqual([10, 20, 30].map(Math.fround));
    expect(Array.from(s.bmu)).toEqual([0, 0, 0]);
  });

  it('counts clusters and their spread per item', () => {
    const s = scoreEncoded(grid, [dataset, mixtures]);
    expect(Array.from(s.clusters)).toEqual([1, 2, 4]);
    expect(Array.from(s.largestCluster)).toEqual([4, 2, 1]);
    // A 2×2 block sits within one cell of its centre; four corners are far from theirs.
    expect(s.radius[0]).toBeLessThan(1);
    expect(s.radius[2]).toBeGreaterThan(s.radius[1]);
  });

  it('gives an empty list for no batches and refuses batches of different K', () => {
    expect(scoreEncoded(grid, []).n).toBe(0);
    expect(() => scoreEncoded(grid, [dataset, rows([[0, 1, 2]], [0.5])])).toThrow(ScoredItemsError);
    expect(() => scoredSdr(scoreEncoded(grid, [dataset]), 2)).toThrow(/outside the 2 scored/);
  });

  it("uses a lone worker-scored batch's spatial scores as they came", () => {
    const spatial = {
      clusters: Uint16Array.of(3, 1),
      largestCluster: Uint16Array.of(2, 4),
      radius: Float32Array.of(2.5, 0.5),
    };
    const s = scoreEncoded(grid, [{ ...dataset, spatial }]);
    expect(s.n).toBe(2);
    expect(Array.from(s.clusters)).toEqual([3, 1]);
    expect(Array.from(s.largestCluster)).toEqual([2, 4]);
    expect(Array.from(s.radius)).toEqual([2.5, 0.5]);
    expect(Array.from(scoredSdr(s, 1).active)).toEqual([0, 1, 34, 35]);
    expect(Array.from(s.qe)).toEqual([0.1, 0.2].map(Math.fround));
  });

  it('sorts the cluster counts of the items asked for', () => {
    const s = scoreEncoded(grid, [dataset, mixtures]);
    expect(Array.from(sortedClusterCounts(s, (i) => i !== 1))).toEqual([1, 4]);
    expect(Array.from(sortedClusterCounts(s, () => true))).toEqual([1, 2, 4]);
    expect(Array.from(sortedClusterCounts(s, () => false))).toEqual([]);
  });
});
