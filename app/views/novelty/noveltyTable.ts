/**
 * The novelty table's logic: sorting its rows by any column, and the threshold slider's
 * figures — the score threshold at a percentile of the training inputs' scores (centred kNN, or
 * QE where the map keeps no training rows) and its false-alarm rate, the share of training
 * inputs it would flag. DOM-free.
 */

export type NoveltyColumn = 'label' | 'kind' | 'knn' | 'qe' | 'novelty' | 'dispersion' | 'clusters';
export type SortDirection = 'ascending' | 'descending';

/** The table's columns, one entry per row. */
export interface NoveltyColumns {
  readonly labels: readonly string[];
  readonly kinds: readonly string[];
  /** Centred kNN percentile (the recommended score); NaN where not scored. */
  readonly knn: Float32Array;
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

/**
 * The score above which an input is flagged, at `percentile` (0–100) of the calibration scores
 * (`sorted` ascending: the training inputs' QE, or their centred kNN scores), linearly
 * interpolated between calibration values (Hyndman & Fan type 7, as src/encode noveltyThreshold).
 */
export function thresholdAtPercentile(sorted: Float32Array, percentile: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, percentile / 100));
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Share (0–1) of the calibration (training) inputs scoring above `threshold`: the false alarms. */
export function falseAlarmRate(sorted: Float32Array, threshold: number): number {
  const q = sorted;
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

/** Per row, 1 when its score exceeds `threshold`; and how many are. */
export function flagRows(
  scores: Float32Array,
  threshold: number,
): { flags: Uint8Array; count: number } {
  const flags = new Uint8Array(scores.length);
  let count = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] > threshold) {
      flags[i] = 1;
      count++;
    }
  }
  return { flags, count };
}
