/** A small SVG line chart of several series over noise levels (or θ), with a legend. */
import { useMemo } from 'react';
import {
  DEFAULT_CHART_BOX,
  describeChart,
  lineChart,
  type ChartBox,
  type ChartSeries,
} from './lineChart.ts';

export interface SeriesStyle {
  readonly color: string;
  /** SVG stroke-dasharray; default solid. */
  readonly dash?: string;
}

export interface LineChartProps {
  readonly title: string;
  readonly xs: ArrayLike<number>;
  readonly series: readonly ChartSeries[];
  readonly styles: Readonly<Record<string, SeriesStyle>>;
  readonly yDomain: readonly [number, number];
  readonly xLabel: string;
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  /** How values read in the accessible summary; default yFormat. */
  readonly valueFormat?: (v: number) => string;
  /** A vertical marker at this x (e.g. the slider's level); default none. */
  readonly marker?: number | null;
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
  xLabel,
  xFormat,
  yFormat,
  valueFormat,
  marker = null,
  box = DEFAULT_CHART_BOX,
  note,
}: LineChartProps) {
  const g = useMemo(
    () => lineChart(xs, series, { box, yDomain, xFormat, yFormat }),
    [xs, series, box, yDomain, xFormat, yFormat],
  );
  const summary = describeChart(title, xs, series, valueFormat ?? yFormat, xFormat);
  return (
    <figure className="lab-chart">
      <figcaption className="lab-chart-title">{title}</figcaption>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${box.width} ${box.height}`}
        width={box.width}
        height={box.height}
      >
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line x1={g.inner.x0} x2={g.inner.x1} y1={t.at} y2={t.at} className="lab-chart-grid" />
            <text
              x={g.inner.x0 - 4}
              y={t.at}
              className="lab-chart-tick"
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
            className="lab-chart-tick"
            textAnchor="middle"
          >
            {t.label}
          </text>
        ))}
        <text
          x={(g.inner.x0 + g.inner.x1) / 2}
          y={box.height - 3}
          className="lab-chart-tick"
          textAnchor="middle"
        >
          {xLabel}
        </text>
        <line
          x1={g.inner.x0}
          x2={g.inner.x1}
          y1={g.inner.y0}
          y2={g.inner.y0}
          className="lab-chart-axis"
        />
        {marker !== null && Number.isFinite(marker) && (
          <line
            x1={g.x(marker)}
            x2={g.x(marker)}
            y1={g.inner.y0}
            y2={g.inner.y1}
            className="lab-chart-marker"
          />
        )}
        {g.paths.map((p) => {
          const style = styles[p.id] ?? { color: '#e7e9ee' };
          return (
            <g key={p.id}>
              <path
                d={p.d}
                fill="none"
                stroke={style.color}
                strokeWidth={2}
                strokeDasharray={style.dash}
              />
              {p.points.map(([x, y], i) => (
                <circle key={i} cx={x} cy={y} r={2} fill={style.color} />
              ))}
            </g>
          );
        })}
      </svg>
      <ul className="lab-chart-legend" aria-hidden="true">
        {series.map((s) => {
          const style = styles[s.id] ?? { color: '#e7e9ee' };
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
      {note && <p className="lab-chart-note">{note}</p>}
    </figure>
  );
}
