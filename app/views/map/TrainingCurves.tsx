import type { EpochReport } from '../../../src/index.ts';
import { curveGeometry, curveSpan, DEFAULT_CURVE_BOX, describeCurve } from './curveGeometry.ts';

interface CurveProps {
  readonly title: string;
  /** What the figure means, for the person reading it. */
  readonly hint: string;
  readonly values: readonly number[];
  readonly epochs: number;
  /** Fixed top of the y axis (1 for fractions); default: the data's maximum. */
  readonly yMax?: number;
  readonly color: string;
  readonly digits: number;
}

function Curve({ title, hint, values, epochs, yMax, color, digits }: CurveProps) {
  const box = DEFAULT_CURVE_BOX;
  const g = curveGeometry(values, epochs, box, yMax);
  const summary = describeCurve(title, values, digits);
  const last = values.length > 0 ? values[values.length - 1] : null;
  return (
    <figure className="curve">
      <figcaption>
        <span className="curve-title">{title}</span>
        <span className="curve-value">{last === null ? '—' : last.toFixed(digits)}</span>
      </figcaption>
      <svg
        role="img"
        aria-label={summary}
        viewBox={`0 0 ${box.width} ${box.height}`}
        width={box.width}
        height={box.height}
      >
        <title>{summary}</title>
        {g.yTicks.map((t) => (
          <g key={`y${t.value}`}>
            <line x1={g.inner.x0} x2={g.inner.x1} y1={t.y} y2={t.y} className="curve-grid" />
            <text x={g.inner.x0 - 4} y={t.y} className="curve-tick" textAnchor="end" dy="0.32em">
              {t.value.toFixed(yMax === 1 ? 1 : 2)}
            </text>
          </g>
        ))}
        {g.xTicks.map((t) => (
          <text
            key={`x${t.value}`}
            x={t.x}
            y={g.inner.y0 + 14}
            className="curve-tick"
            textAnchor="middle"
          >
            {t.value}
          </text>
        ))}
        <line
          x1={g.inner.x0}
          x2={g.inner.x1}
          y1={g.inner.y0}
          y2={g.inner.y0}
          className="curve-axis"
        />
        <path d={g.path} fill="none" stroke={color} strokeWidth={2} />
        {g.points.length > 0 && (
          <circle
            cx={g.points[g.points.length - 1][0]}
            cy={g.points[g.points.length - 1][1]}
            r={3}
            fill={color}
          />
        )}
      </svg>
      <p className="curve-hint">{hint}</p>
    </figure>
  );
}

/** Live per-epoch curves of quantisation and topographic error. */
export function TrainingCurves({
  history,
  planned,
}: {
  readonly history: readonly EpochReport[];
  /** Epochs the run was set to do. */
  readonly planned: number;
}) {
  const epochs = curveSpan(planned, history.length);
  return (
    <div className="curves" aria-label="Training curves">
      <Curve
        title="Quantisation error"
        hint="Mean distance from each item to its best unit: lower fits the data more closely."
        values={history.map((r) => r.quantizationError)}
        epochs={epochs}
        color="var(--accent)"
        digits={3}
      />
      <Curve
        title="Topographic error"
        hint="Share of items whose two best units are not neighbours: lower keeps the map smooth."
        values={history.map((r) => r.topographicError)}
        epochs={epochs}
        yMax={1}
        color="var(--accent-2)"
        digits={3}
      />
    </div>
  );
}
