import type { EpochReport } from '../../../src/index.ts';
import { LineChart } from '../../components/chart/LineChart.tsx';
import { CURVE_BOX, curveSpan, describeCurve, epochAxes } from './trainingCurves.ts';

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
  const last = values.length > 0 ? values[values.length - 1] : null;
  return (
    <LineChart
      title={title}
      readout={last === null ? '—' : last.toFixed(digits)}
      summary={describeCurve(title, values, digits)}
      {...epochAxes(values, epochs, yMax)}
      series={[{ id: 'curve', label: title, values }]}
      styles={{ curve: { color } }}
      yFormat={(v) => v.toFixed(yMax === 1 ? 1 : 2)}
      dots="last"
      legend={false}
      box={CURVE_BOX}
      note={hint}
    />
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
