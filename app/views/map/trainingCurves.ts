/**
 * How the live training curves lie on a LineChart (app/components/chart): one value per epoch
 * on an x axis running to the planned epochs, a y axis from 0, and a one-sentence summary for
 * screen readers. DOM-free, so it is unit-tested in Node.
 */
import { zeroBasedDomain, type ChartBox } from '../../components/chart/lineChart.ts';

export const CURVE_BOX: ChartBox = {
  width: 240,
  height: 120,
  left: 38,
  right: 10,
  top: 10,
  bottom: 22,
};

/** The x values, ranges and ticks of a per-epoch curve, as LineChart props. */
export interface EpochAxes {
  /** 1, 2, … one per value (value i belongs to epoch i+1). */
  readonly xs: readonly number[];
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  readonly xTicks: number;
  readonly yTicks: number;
  readonly integerXTicks: true;
}

/**
 * Lay `values` on an x axis from epoch 1 to `epochs` (the planned total, so the line grows
 * across the chart while training runs). The y range is [0, max] padded by 10% and rounded, or
 * [0, yMax] when given (fractions use 1). Only whole epochs are ticked.
 */
export function epochAxes(values: readonly number[], epochs: number, yMax?: number): EpochAxes {
  const lastEpoch = Math.max(2, epochs, values.length);
  return {
    xs: values.map((_, i) => i + 1),
    xDomain: [1, lastEpoch],
    yDomain: yMax === undefined ? zeroBasedDomain(values) : [0, yMax],
    xTicks: Math.min(5, lastEpoch - 1),
    yTicks: 4,
    integerXTicks: true,
  };
}

/**
 * The x axis's last epoch: the planned total for short runs (the line grows across the chart),
 * but for long runs only a little past the epochs done, so early epochs are not squeezed flat.
 */
export function curveSpan(planned: number, done: number): number {
  return Math.min(planned, Math.max(20, Math.ceil(done * 1.25)));
}

/** "Quantisation error: 0.812 at epoch 1, 0.503 at epoch 20 (lowest 0.503)." */
export function describeCurve(name: string, values: readonly number[], digits = 3): string {
  const finite = values.map((v, i) => ({ v, e: i + 1 })).filter((p) => Number.isFinite(p.v));
  if (finite.length === 0) return `${name}: no epochs yet.`;
  const first = finite[0];
  const last = finite[finite.length - 1];
  const lowest = finite.reduce((a, b) => (b.v < a.v ? b : a));
  if (finite.length === 1) return `${name}: ${first.v.toFixed(digits)} at epoch ${first.e}.`;
  return `${name}: ${first.v.toFixed(digits)} at epoch ${first.e}, ${last.v.toFixed(digits)} at epoch ${last.e} (lowest ${lowest.v.toFixed(digits)}).`;
}
