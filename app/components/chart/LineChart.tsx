/**
 * A small SVG line chart: one or more series over x (noise level, θ, epoch), with grid lines,
 * ticks, an optional vertical marker and legend, a caption with an optional current value, and
 * a one-sentence accessible name. The robustness lab and the Map view's training curves draw
 * with it; the geometry is lineChart.ts.
 */
import { useMemo } from 'react';
import {
  DEFAULT_CHART_BOX,
  describeChart,
  lineChart,
  type ChartBox,
  type ChartSeries,
} from './lineChart.ts';
import './lineChart.css';

export interface SeriesStyle {
  readonly color: string;
  /** SVG stroke-dasharray; default solid. */
  readonly dash?: string;
}

/** Colour of a series `styles` does not name. */
const FALLBACK_STYLE: SeriesStyle = { color: '#e7e9ee' };

export interface LineChartProps {
  readonly title: string;
  readonly xs: ArrayLike<number>;
  readonly series: readonly ChartSeries[];
  readonly styles: Readonly<Record<string, SeriesStyle>>;
  readonly yDomain: readonly [number, number];
  /** x range drawn; default the first and last x. */
  readonly xDomain?: readonly [number, number];
  /** Roughly how many ticks per axis; default 5 each. */
  readonly xTicks?: number;
  readonly yTicks?: number;
  /** Keep only whole-number x ticks; default false. */
  readonly integerXTicks?: boolean;
  /** Words under the x axis; default none. */
  readonly xLabel?: string;
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  /** How values read in the accessible summary; default yFormat. */
  readonly valueFormat?: (v: number) => string;
  /** The accessible name; default describeChart's sentence (first and last value per series). */
  readonly summary?: string;
  /** A figure beside the title (the latest value of a live curve); default none. */
  readonly readout?: string;
  /** A vertical marker at this x (e.g. the slider's level); default none. */
  readonly marker?: number | null;
  /** Dots on every point ('all', default), or one larger dot where each line ends ('last'). */
  readonly dots?: 'all' | 'last';
  /** A legend of the series under the chart; default true. */
  readonly legend?: boolean;
  readonly box?: ChartBox;
  /** A short note under the chart. */
  readonly note?: string;
}

export function LineChart({
  title,
  xs,
  series,
  styles,
  yDomain,
  xDomain,
  xTicks,
  yTicks,
  integerXTicks,
  xLabel,
  xFormat,
  yFormat,
  valueFormat,
  summary,
  readout,
  marker = null,
  dots = 'all',
  legend = true,
  box = DEFAULT_CHART_BOX,
  note,
}: LineChartProps) {
  const g = useMemo(
    () =>
      lineChart(xs, series, {
        box,
        yDomain,
        xDomain,
        xTicks,
        yTicks,
        integerXTicks,
        xFormat,
        yFormat,
      }),
    [xs, series, box, yDomain, xDomain, xTicks, yTicks, integerXTicks, xFormat, yFormat],
  );
  const name = summary ?? describeChart(title, xs, series, valueFormat ?? yFormat, xFormat);
  return (
    // No wider than the chart, so the legend and the note wrap under it.
    <figure className="line-chart" style={{ maxWidth: box.width }}>
      <figcaption className="line-chart-caption">
        <span className="line-chart-title">{title}</span>
        {readout !== undefined && <span className="line-chart-readout">{readout}</span>}
      </figcaption>
      <svg
        role="img"
        aria-label={name}
        viewBox={`0 0 ${box.width} ${box.height}`}
        width={box.width}
        height={box.height}
      >
        <title>{name}</title>
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line x1={g.inner.x0} x2={g.inner.x1} y1={t.at} y2={t.at} className="line-chart-grid" />
            <text
              x={g.inner.x0 - 4}
              y={t.at}
              className="line-chart-tick"
              textAnchor="end"
              dy="0.32em"
            >
              {t.label}
            </text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text
            key={`x${t.value}`}
            x={t.at}
            y={g.inner.y0 + 13}
            className="line-chart-tick"
            textAnchor="middle"
          >
            {t.label}
          </text>
        ))}
        {xLabel && (
          <text
            x={(g.inner.x0 + g.inner.x1) / 2}
            y={box.height - 3}
            className="line-chart-tick"
            textAnchor="middle"
          >
            {xLabel}
          </text>
        )}
        <line
          x1={g.inner.x0}
          x2={g.inner.x1}
          y1={g.inner.y0}
          y2={g.inner.y0}
          className="line-chart-axis"
        />
        {marker !== null && Number.isFinite(marker) && (
          <line
            x1={g.x(marker)}
            x2={g.x(marker)}
            y1={g.inner.y0}
            y2={g.inner.y1}
            className="line-chart-marker"
          />
        )}
        {g.paths.map((p) => {
          const style = styles[p.id] ?? FALLBACK_STYLE;
          const end = p.points.at(-1);
          return (
            <g key={p.id}>
              <path
                d={p.d}
                fill="none"
                stroke={style.color}
                strokeWidth={2}
                strokeDasharray={style.dash}
              />
              {dots === 'all'
                ? p.points.map(([x, y], i) => (
                    <circle key={i} cx={x} cy={y} r={2} fill={style.color} />
                  ))
                : end && <circle cx={end[0]} cy={end[1]} r={3} fill={style.color} />}
            </g>
          );
        })}
      </svg>
      {legend && (
        <ul className="line-chart-legend" aria-hidden="true">
          {series.map((s) => {
            const style = styles[s.id] ?? FALLBACK_STYLE;
            return (
              <li key={s.id}>
                <svg width="18" height="8" aria-hidden="true">
                  <line
                    x1="0"
                    x2="18"
                    y1="4"
                    y2="4"
                    stroke={style.color}
                    strokeWidth={2}
                    strokeDasharray={style.dash}
                  />
                </svg>
                {s.label}
              </li>
            );
          })}
        </ul>
      )}
      {note && <p className="line-chart-note">{note}</p>}
    </figure>
  );
}
