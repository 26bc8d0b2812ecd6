import { noveltyThreshold, type Calibration } from '../../../src/index.ts';
/**
 * The novelty table's logic: sorting its rows by any column, and the threshold slider's
 * figures — the QE threshold at a percentile of the training inputs (src/encode noveltyThreshold)
 * and its false-alarm rate, the share of training inputs it would flag. DOM-free.
 */

export type NoveltyColumn = 'label' | 'kind' | 'qe' | 'novelty' | 'dispersion' | 'clusters';
export type SortDirection = 'ascending' | 'descending';

/** The table's columns, one entry per row. */
export interface NoveltyColumns {
  readonly labels: readonly string[];
  readonly kinds: readonly string[];
  readonly qe: Float32Array;
  readonly novelty: Float32Array;
  readonly dispersion: Float32Array;
  readonly clusters: Uint16Array;
}

/** The direction a column sorts in on its first click: text A→Z, scores highest first. */
export function defaultDirection(column: NoveltyColumn): SortDirection {
  return column === 'label' || column === 'kind' ? 'ascending' : 'descending';
}

/**
 * Row order for `column` in `direction`: stable (ties keep row order), NaN scores always last,
 * text compared with the locale's collation (numbers in labels sort as numbers).
 */
export function sortRows(
  cols: NoveltyColumns,
  column: NoveltyColumn,
  direction: SortDirection,
): Uint32Array {
  const n = cols.labels.length;
  const order = Array.from({ length: n }, (_, i) => i);
  const sign = direction === 'ascending' ? 1 : -1;
  if (column === 'label' || column === 'kind') {
    const text = column === 'label' ? cols.labels : cols.kinds;
    const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    order.sort((a, b) => sign * collator.compare(text[a], text[b]) || a - b);
  } else {
    const v = cols[column];
    order.sort((a, b) => {
      const x = v[a];
      const y = v[b];
      const xn = Number.isNaN(x);
      const yn = Number.isNaN(y);
      if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
      return sign * (x - y) || a - b;
    });
  }
  return Uint32Array.from(order);
}

/** Slider range: the percentile of the training inputs' QE the threshold sits at. */
export const THRESHOLD_MIN_PERCENTILE = 50;
export const THRESHOLD_MAX_PERCENTILE = 99.9;
/** Default: the 95th percentile (flags about 5% of in-distribution inputs). */
export const THRESHOLD_DEFAULT_PERCENTILE = 95;

/** The QE above which an input is flagged, at `percentile` (0–100) of the calibration inputs. */
export function thresholdAtPercentile(cal: Calibration, percentile: number): number {
  return noveltyThreshold(cal, 1 - percentile / 100);
}

/** Share (0–1) of the calibration (training) inputs whose QE exceeds `threshold`: the false alarms. */
export function falseAlarmRate(cal: Calibration, threshold: number): number {
  const q = cal.qe;
  if (q.length === 0) return NaN;
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (q[mid] <= threshold) lo = mid + 1;
    else hi = mid;
  }
  return (q.length - lo) / q.length;
}

/** Per row, 1 when its QE exceeds `threshold`; and how many are. */
export function flagRows(
  qe: Float32Array,
  threshold: number,
): { flags: Uint8Array; count: number } {
  const flags = new Uint8Array(qe.length);
  let count = 0;
  for (let i = 0; i < qe.length; i++) {
    if (qe[i] > threshold) {
      flags[i] = 1;
      count++;
    }
  }
  return { flags, count };
}
