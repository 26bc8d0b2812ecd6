/**
 * Geometry of a small per-epoch line chart (DOM-free, so it is unit-tested in Node): scales,
 * the SVG path, ticks, and a one-sentence summary for screen readers.
 */
import { line, scaleLinear } from 'd3';

export interface CurveBox {
  /** Total size in CSS pixels. */
  readonly width: number;
  readonly height: number;
  /** Room for axis labels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const DEFAULT_CURVE_BOX: CurveBox = {
  width: 240,
  height: 120,
  left: 38,
  right: 10,
  top: 10,
  bottom: 22,
};

export interface CurveGeometry {
  /** The `d` attribute of the line ('' with no points). */
  readonly path: string;
  /** Points as [x, y] pixels, one per value (for dots). */
  readonly points: readonly (readonly [number, number])[];
  readonly xTicks: readonly { readonly value: number; readonly x: number }[];
  readonly yTicks: readonly { readonly value: number; readonly y: number }[];
  /** The inner plotting area. */
  readonly inner: {
    readonly x0: number;
    readonly x1: number;
    readonly y0: number;
    readonly y1: number;
  };
}

/**
 * Lay out `values` (value i belongs to epoch i+1) on an x axis from epoch 1 to `epochs` (the
 * planned total, so the line grows across the chart while training runs). The y domain is
 * [0, max] padded by 10%, or `yMax` when given (fractions use 1). Non-finite values are skipped.
 */
export function curveGeometry(
  values: readonly number[],
  epochs: number,
  box: CurveBox = DEFAULT_CURVE_BOX,
  yMax?: number,
): CurveGeometry {
  const x0 = box.left;
  const x1 = box.width - box.right;
  const y0 = box.height - box.bottom;
  const y1 = box.top;
  const lastEpoch = Math.max(2, epochs, values.length);
  const x = scaleLinear().domain([1, lastEpoch]).range([x0, x1]);
  let top = yMax ?? 0;
  if (yMax === undefined) for (const v of values) if (Number.isFinite(v)) top = Math.max(top, v);
  if (!(top > 0)) top = 1;
  const y = scaleLinear()
    .domain([0, yMax ?? top * 1.1])
    .range([y0, y1])
    .nice(4);
  const points: [number, number][] = [];
  values.forEach((v, i) => {
    if (Number.isFinite(v)) points.push([x(i + 1), y(v)]);
  });
  const path = points.length > 0 ? (line()(points) ?? '') : '';
  const xTicks = x
    .ticks(Math.min(5, lastEpoch - 1))
    .filter((t) => Number.isInteger(t))
    .map((value) => ({ value, x: x(value) }));
  const yTicks = y.ticks(4).map((value) => ({ value, y: y(value) }));
  return { path, points, xTicks, yTicks, inner: { x0, x1, y0, y1 } };
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
