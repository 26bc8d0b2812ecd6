import { describe, expect, it } from 'vitest';
import { lineChart } from '../../components/chart/lineChart.ts';
import { CURVE_BOX, curveSpan, describeCurve, epochAxes } from './trainingCurves.ts';

/** The training curve of `values` as LineChart lays it out. */
function curve(values: number[], epochs: number, yMax?: number) {
  const axes = epochAxes(values, epochs, yMax);
  const g = lineChart(axes.xs, [{ id: 'v', label: 'v', values }], { ...axes, box: CURVE_BOX });
  return { ...g, path: g.paths[0].d, points: g.paths[0].points };
}

describe('epochAxes on a line chart', () => {
  it('places epoch 1 at the left edge and the planned last epoch at the right', () => {
    const g = curve([0.9, 0.7], 20);
    expect(g.points[0][0]).toBeCloseTo(g.inner.x0);
    // Two of twenty epochs done: the line covers only the first 1/19 of the width.
    expect(g.points[1][0]).toBeCloseTo(g.inner.x0 + (g.inner.x1 - g.inner.x0) / 19);
  });

  it('draws lower values lower on the chart, inside the plotting area', () => {
    const g = curve([0.9, 0.5, 0.7], 3);
    const ys = g.points.map((p) => p[1]);
    expect(ys[1]).toBeGreaterThan(ys[0]); // SVG y grows downwards
    expect(ys[1]).toBeGreaterThan(ys[2]);
    for (const y of ys) {
      expect(y).toBeGreaterThanOrEqual(g.inner.y1);
      expect(y).toBeLessThanOrEqual(g.inner.y0);
    }
  });

  it('uses a fixed top when given (fractions on 0..1)', () => {
    const g = curve([0.5], 10, 1);
    expect(g.points[0][1]).toBeCloseTo((g.inner.y0 + g.inner.y1) / 2);
  });

  it('skips non-finite values and draws nothing without points', () => {
    expect(curve([], 20).path).toBe('');
    expect(curve([NaN, 0.4], 5).points).toHaveLength(1);
  });

  it('keeps axis ticks within the chart, on whole epochs', () => {
    const g = curve([3, 2, 1], 20);
    expect(g.xTicks.length).toBeGreaterThan(1);
    for (const t of g.xTicks) {
      expect(t.at).toBeGreaterThanOrEqual(g.inner.x0 - 1e-9);
      expect(t.at).toBeLessThanOrEqual(g.inner.x1 + 1e-9);
      expect(Number.isInteger(t.value)).toBe(true);
    }
    expect(g.yTicks[0].value).toBe(0);
  });
});

describe('describeCurve', () => {
  it('names the first, last and lowest value', () => {
    expect(describeCurve('QE', [0.8, 0.5, 0.6])).toBe(
      'QE: 0.800 at epoch 1, 0.600 at epoch 3 (lowest 0.500).',
    );
    expect(describeCurve('QE', [])).toBe('QE: no epochs yet.');
    expect(describeCurve('TE', [0.25], 2)).toBe('TE: 0.25 at epoch 1.');
  });
});

describe('curveSpan', () => {
  it('spans the whole plan for short runs and a little past the epochs done for long ones', () => {
    expect(curveSpan(20, 3)).toBe(20);
    expect(curveSpan(500, 3)).toBe(20);
    expect(curveSpan(500, 40)).toBe(50);
    expect(curveSpan(500, 500)).toBe(500);
    expect(curveSpan(100, 90)).toBe(100);
  });
});
