import { describe, expect, it } from 'vitest';
import {
  defaultDirection,
  falseAlarmRate,
  flagRows,
  sortRows,
  thresholdAtPercentile,
  type NoveltyColumns,
} from './noveltyTable.ts';
import { type Calibration } from '../../../src/index.ts';

const cols: NoveltyColumns = {
  labels: ['item 10', 'Cat', 'item 9', 'ant'],
  kinds: ['text', 'mixture', 'image', 'text'],
  knn: Float32Array.from([70, NaN, 20, 99]),
  qe: Float32Array.from([0.5, 0.9, 0.5, 0.1]),
  novelty: Float32Array.from([50, NaN, 50, 10]),
  dispersion: Float32Array.from([0.3, 0.6, 0.2, 0.4]),
  clusters: Uint16Array.from([2, 4, 1, 2]),
};

describe('sortRows', () => {
  it('sorts scores either way, ties in row order', () => {
    expect(Array.from(sortRows(cols, 'qe', 'descending'))).toEqual([1, 0, 2, 3]);
    expect(Array.from(sortRows(cols, 'qe', 'ascending'))).toEqual([3, 0, 2, 1]);
    expect(Array.from(sortRows(cols, 'clusters', 'descending'))).toEqual([1, 0, 3, 2]);
    expect(Array.from(sortRows(cols, 'knn', 'descending'))).toEqual([3, 0, 2, 1]);
  });

  it('keeps rows without a score last in both directions', () => {
    expect(Array.from(sortRows(cols, 'novelty', 'descending'))).toEqual([0, 2, 3, 1]);
    expect(Array.from(sortRows(cols, 'novelty', 'ascending'))).toEqual([3, 0, 2, 1]);
  });

  it('sorts labels as people read them: case-blind, numbers by value', () => {
    expect(Array.from(sortRows(cols, 'label', 'ascending'))).toEqual([3, 1, 2, 0]);
    expect(Array.from(sortRows(cols, 'kind', 'descending'))).toEqual([0, 3, 1, 2]);
  });

  it('orders many rows as a comparator sort does, ties and missing scores included', () => {
    const n = 5000;
    const values = Float32Array.from({ length: n }, (_, i) =>
      i % 97 === 0 ? NaN : i % 13 === 0 ? -0 : Math.round(Math.sin(i) * 50) / 10,
    );
    const many: NoveltyColumns = {
      labels: Array.from({ length: n }, (_, i) => `item ${(i * 7) % 300}`),
      kinds: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'image' : 'Text')),
      knn: values,
      qe: values,
      novelty: values,
      dispersion: values,
      clusters: Uint16Array.from({ length: n }, (_, i) => i % 9),
    };
    const byComparator = (v: ArrayLike<number>, sign: number) =>
      Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const xn = Number.isNaN(v[a]);
        const yn = Number.isNaN(v[b]);
        if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
        return sign * (v[a] - v[b]) || a - b;
      });
    expect(Array.from(sortRows(many, 'qe', 'descending'))).toEqual(byComparator(values, -1));
    expect(Array.from(sortRows(many, 'qe', 'ascending'))).toEqual(byComparator(values, 1));
    expect(Array.from(sortRows(many, 'clusters', 'descending'))).toEqual(
      byComparator(many.clusters, -1),
    );
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    const byText = (text: readonly string[], sign: number) =>
      Array.from({ length: n }, (_, i) => i).sort(
        (a, b) => sign * collator.compare(text[a], text[b]) || a - b,
      );
    expect(Array.from(sortRows(many, 'label', 'ascending'))).toEqual(byText(many.labels, 1));
    expect(Array.from(sortRows(many, 'kind', 'descending'))).toEqual(byText(many.kinds, -1));
  });

  it('first sorts text A to Z and scores highest first', () => {
    expect(defaultDirection('label')).toBe('ascending');
    expect(defaultDirection('novelty')).toBe('descending');
  });
});

describe('threshold and false alarms', () => {
  // 100 training inputs with QE 0.01, 0.02, …, 1.00.
  const cal: Calibration = {
    k: 20,
    qe: Float32Array.from({ length: 100 }, (_, i) => (i + 1) / 100),
    dispersion: new Float32Array(100),
  };

  it('the threshold at the 95th percentile flags about 5% of the training inputs', () => {
    const t = thresholdAtPercentile(cal.qe, 95);
    expect(t).toBeGreaterThan(0.94);
    expect(t).toBeLessThan(0.96);
    expect(falseAlarmRate(cal.qe, t)).toBeCloseTo(0.05, 2);
  });

  it('a higher threshold never flags more', () => {
    let last = 1;
    for (let p = 50; p <= 99.9; p += 0.7) {
      const rate = falseAlarmRate(cal.qe, thresholdAtPercentile(cal.qe, p));
      expect(rate).toBeLessThanOrEqual(last);
      last = rate;
    }
    expect(falseAlarmRate(cal.qe, 2)).toBe(0);
    expect(falseAlarmRate(cal.qe, 0)).toBe(1);
  });

  it('flags the rows above the threshold', () => {
    const { flags, count } = flagRows(cols.qe, 0.5);
    expect(Array.from(flags)).toEqual([0, 1, 0, 0]);
    expect(count).toBe(1);
  });
});
