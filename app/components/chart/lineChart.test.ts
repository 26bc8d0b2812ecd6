import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART_BOX, describeChart, lineChart, zeroBasedDomain } from './lineChart.ts';

const xs = [0, 0.25, 0.5];
const box = DEFAULT_CHART_BOX;

describe('lineChart', () => {
  it('maps the x range to the inner width and the y range bottom-up', () => {
    const g = lineChart(xs, [{ id: 'a', label: 'A', values: [1, 0.5, 0] }], { yDomain: [0, 1] });
    const pts = g.paths[0].points;
    expect(pts[0]).toEqual([box.left, box.top]);
    expect(pts[2]).toEqual([box.width - box.right, box.height - box.bottom]);
    expect(pts[1][1]).toBeCloseTo((box.top + box.height - box.bottom) / 2, 9);
    expect(g.paths[0].d.startsWith('M')).toBe(true);
  });

  it('leaves gaps at missing values and clamps values outside the y range', () => {
    const g = lineChart(xs, [{ id: 'a', label: 'A', values: [Number.NaN, 2, 0.5] }], {
      yDomain: [0, 1],
    });
    expect(g.paths[0].points).toHaveLength(2);
    expect(g.paths[0].points[0][1]).toBe(box.top); // 2 clamps to the top edge
    const none = lineChart(xs, [{ id: 'b', label: 'B', values: [Number.NaN, NaN, NaN] }], {
      yDomain: [0, 1],
    });
    expect(none.paths[0].d).toBe('');
  });

  it('labels ticks with the given formats', () => {
    const g = lineChart(xs, [], {
      yDomain: [0, 1],
      xFormat: (v) => `${Math.round(v * 100)}%`,
      yFormat: (v) => v.toFixed(1),
    });
    expect(g.xTicks.map((t) => t.label)).toContain('50%');
    expect(g.yTicks.map((t) => t.label)).toContain('1.0');
  });

  it('ticks each axis about as often as asked, whole numbers only on request', () => {
    const epochs = [1, 2, 3, 4, 5, 6, 7];
    const values = [5, 4, 3, 2.5, 2, 1.8, 1.7];
    const g = lineChart(epochs, [{ id: 'a', label: 'A', values }], {
      yDomain: [0, 6],
      xTicks: 10,
      yTicks: 3,
    });
    expect(g.xTicks.some((t) => !Number.isInteger(t.value))).toBe(true); // 1, 1.5, 2, …
    expect(g.yTicks.map((t) => t.value)).toEqual([0, 2, 4, 6]);
    const whole = lineChart(epochs, [{ id: 'a', label: 'A', values }], {
      yDomain: [0, 6],
      xTicks: 10,
      integerXTicks: true,
    });
    expect(whole.xTicks.map((t) => t.value)).toEqual(epochs);
  });

  it('draws empty axes over an x range before the first value arrives', () => {
    const g = lineChart([], [{ id: 'a', label: 'A', values: [] }], {
      yDomain: [0, 1],
      xDomain: [1, 20],
    });
    expect(g.paths[0].d).toBe('');
    expect(g.x(1)).toBe(box.left);
    expect(g.x(20)).toBe(box.width - box.right);
    expect(g.xTicks.length).toBeGreaterThan(1);
  });

  it('refuses mismatched series and an empty range', () => {
    expect(() =>
      lineChart(xs, [{ id: 'a', label: 'A', values: [1] }], { yDomain: [0, 1] }),
    ).toThrow(/has 1 values for 3 xs/);
    expect(() => lineChart(xs, [], { yDomain: [1, 1] })).toThrow(/must rise/);
    expect(() => lineChart([], [], { yDomain: [0, 1] })).toThrow(/at least one x/);
  });
});

describe('describeChart', () => {
  it('names each series with its first and last measured value', () => {
    const text = describeChart(
      'Top-1 kept',
      xs,
      [
        { id: 'm', label: 'move', values: [1, 0.8, 0.5] },
        { id: 'd', label: 'dense', values: [NaN, NaN, NaN] },
      ],
      (v) => v.toFixed(2),
    );
    expect(text).toBe('Top-1 kept: move 1.00 at 0 to 0.50 at 0.5; dense not measured.');
  });
});

describe('zeroBasedDomain', () => {
  it('runs from 0 to a round number at least 10% above the largest finite value', () => {
    const [lo, hi] = zeroBasedDomain([0.31, Number.NaN, 0.82, 0.5]);
    expect(lo).toBe(0);
    expect(hi).toBeGreaterThanOrEqual(0.82 * 1.1);
    expect(hi).toBe(1); // 0.902, rounded up to the next tick of about four
    expect(zeroBasedDomain([3, 7, 12])).toEqual([0, 15]); // 13.2 → the next multiple of 5
  });
  it('falls back to about [0, 1] when nothing is above zero', () => {
    expect(zeroBasedDomain([])).toEqual(zeroBasedDomain([1]));
    expect(zeroBasedDomain([0, -2, Number.NaN])).toEqual(zeroBasedDomain([1]));
    expect(zeroBasedDomain([1])[1]).toBeGreaterThanOrEqual(1.1);
  });
});
