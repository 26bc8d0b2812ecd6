import { describe, expect, it } from 'vitest';
import { DEFAULT_CHART_BOX, describeChart, lineChart } from './lineChart.ts';

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
