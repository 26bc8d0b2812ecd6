/**
 * Geometry of a small line chart of one or more series (DOM-free, unit-tested): d3 scales, one
 * SVG path per series with gaps at non-finite values, ticks, and a one-sentence summary for
 * screen readers. LineChart.tsx draws it: the robustness lab's curves and false-match chart,
 * and the live training curves of the Map view.
 */
import { line, scaleLinear } from 'd3';

export interface ChartBox {
  /** Total size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Room for axis labels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_CHART_BOX: ChartBox = {
  width: 300,
  height: 170,
  left: 40,
  right: 10,
  top: 10,
  bottom: 30,
};

export interface ChartSeries {
  readonly id: string;
  readonly label: string;
  /** One value per x; NaN or ±Infinity leave a gap. */
  readonly values: ArrayLike<number>;
}

export interface ChartOptions {
  readonly box?: ChartBox;
  /** y range drawn; values outside are clamped to the edge. */
  readonly yDomain: readonly [number, number];
  /** x range drawn; default the first and last x (required when there are no xs yet). */
  readonly xDomain?: readonly [number, number];
  /** Roughly how many ticks on the x axis; default 5. */
  readonly xTicks?: number;
  /** Roughly how many ticks on the y axis; default 5. */
  readonly yTicks?: number;
  /** Keep only whole-number x ticks (epochs, counts); default false. */
  readonly integerXTicks?: boolean;
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
}

interface Tick {
  readonly value: number;
  readonly at: number;
  readonly label: string;
}

export interface ChartGeometry {
  readonly inner: {
    readonly x0: number;
    readonly x1: number;
    readonly y0: number;
    readonly y1: number;
  };
  readonly paths: readonly {
    readonly id: string;
    /** The `d` attribute ('' when no value is finite). */
    readonly d: string;
    readonly points: readonly (readonly [number, number])[];
  }[];
  readonly xTicks: readonly Tick[];
  readonly yTicks: readonly Tick[];
  /** Pixel x of a data x, and pixel y of a data y (clamped to the chart). */
  readonly x: (v: number) => number;
  readonly y: (v: number) => number;
}

const plain = (v: number) => String(Math.round(v * 1000) / 1000);

export function lineChart(
  xs: ArrayLike<number>,
  series: readonly ChartSeries[],
  options: ChartOptions,
): ChartGeometry {
  const box = options.box ?? DEFAULT_CHART_BOX;
  if (xs.length === 0 && !options.xDomain) {
    throw new RangeError('a line chart needs at least one x value, or an x range');
  }
  for (const s of series) {
    if (s.values.length !== xs.length) {
      throw new RangeError(`series "${s.label}" has ${s.values.length} values for ${xs.length} xs`);
    }
  }
  const [ylo, yhi] = options.yDomain;
  if (!(yhi > ylo)) throw new RangeError(`the y range must rise, got ${ylo} to ${yhi}`);
  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.height - box.bottom;
  const y1 = box.top;
  const [xlo, xhi] = options.xDomain ?? [xs[0], xs[xs.length - 1]];
  const xScale = scaleLinear()
    .domain(xhi > xlo ? [xlo, xhi] : [xlo - 1, xlo + 1])
    .range([x0, x1]);
  const yScale = scaleLinear().domain([ylo, yhi]).range([y0, y1]).clamp(true);
  const xFormat = options.xFormat ?? plain;
  const yFormat = options.yFormat ?? plain;
  const path = line<readonly [number, number]>()
    .defined((p) => Number.isFinite(p[1]))
    .x((p) => p[0])
    .y((p) => p[1]);
  const paths = series.map((s) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < xs.length; i++) {
      const v = s.values[i];
      pts.push([xScale(xs[i]), Number.isFinite(v) ? yScale(v) : Number.NaN]);
    }
    const finite = pts.filter((p) => Number.isFinite(p[1]));
    return { id: s.id, d: finite.length > 0 ? (path(pts) ?? '') : '', points: finite };
  });
  const xTickValues = xScale.ticks(options.xTicks ?? 5);
  return {
    inner: { x0, x1, y0, y1 },
    paths,
    xTicks: (options.integerXTicks
      ? xTickValues.filter((v) => Number.isInteger(v))
      : xTickValues
    ).map((v) => ({ value: v, at: xScale(v), label: xFormat(v) })),
    yTicks: yScale
      .ticks(options.yTicks ?? 5)
      .map((v) => ({ value: v, at: yScale(v), label: yFormat(v) })),
    x: (v) => xScale(v),
    y: (v) => yScale(v),
  };
}

/**
 * A y range from 0 to just above the largest finite value (10% headroom), widened to round
 * tick values (about `ticks`, default 4); [0, 1] padded the same way when no value is above 0.
 */
export function zeroBasedDomain(values: ArrayLike<number>, ticks = 4): [number, number] {
  let top = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) top = Math.max(top, values[i]);
  }
  if (!(top > 0)) top = 1;
  const [lo, hi] = scaleLinear()
    .domain([0, top * 1.1])
    .nice(ticks)
    .domain();
  return [lo, hi];
}

/**
 * "Title: move 1.00 at 0 to 0.48 at 0.5; drop …": the first and last finite value of each
 * series, for the chart's accessible name.
 */
export function describeChart(
  title: string,
  xs: ArrayLike<number>,
  series: readonly ChartSeries[],
  format: (v: number) => string = plain,
  xFormat: (v: number) => string = plain,
): string {
  const parts: string[] = [];
  for (const s of series) {
    let first = -1;
    let last = -1;
    for (let i = 0; i < xs.length; i++) {
      if (!Number.isFinite(s.values[i])) continue;
      if (first < 0) first = i;
      last = i;
    }
    parts.push(
      first < 0
        ? `${s.label} not measured`
        : `${s.label} ${format(s.values[first])} at ${xFormat(xs[first])} to ${format(s.values[last])} at ${xFormat(xs[last])}`,
    );
  }
  return `${title}: ${parts.join('; ')}.`;
}
