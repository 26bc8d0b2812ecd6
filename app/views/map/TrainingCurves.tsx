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
      readout={last === null ? '—' : `last epoch ${last.toFixed(digits)}`}
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

/** The map's own figures after training: the final pass over the inputs, as the map header shows. */
export interface FinalQuality {
  readonly quantizationError: number;
  readonly topographicError: number;
}

/**
 * Live per-epoch curves of quantisation and topographic error. Each point is measured during
 * its epoch, before that epoch's update; the finished map's figures come from one more pass
 * after the last update, so they are lower. Both are labelled so neither passes for the other,
 * and `final` (the map's own quality, the figure the map header shows) is the one called final.
 */
export function TrainingCurves({
  history,
  planned,
  final = null,
}: {
  readonly history: readonly EpochReport[];
  /** Epochs the run was set to do. */
  readonly planned: number;
  /** The trained map's quality, once there is one from this run; default null (none yet). */
  readonly final?: FinalQuality | null;
}) {
  const epochs = curveSpan(planned, history.length);
  return (
    <div className="curves" aria-label="Training curves">
      <Curve
        title="Quantisation error"
        hint="Mean distance from each item to its best unit, measured during each epoch before its update: lower fits the data more closely."
        values={history.map((r) => r.quantizationError)}
        epochs={epochs}
        color="var(--accent)"
        digits={3}
      />
      <Curve
        title="Topographic error"
        hint="Share of items whose two best units are not neighbours, measured during each epoch before its update: lower keeps the map smooth."
        values={history.map((r) => r.topographicError)}
        epochs={epochs}
        yMax={1}
        color="var(--accent-2)"
        digits={3}
      />
      {final && (
        <p className="muted" data-testid="training-final-quality">
          Final, after the last update (as in the map header): QE{' '}
          <strong>{final.quantizationError.toFixed(3)}</strong>, TE{' '}
          <strong>{final.topographicError.toFixed(3)}</strong>. The curves end at the last
          epoch&rsquo;s figures, measured before its update.
        </p>
      )}
    </div>
  );
}
