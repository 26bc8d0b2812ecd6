/**
 * What storing a dataset costs in each form: SDRs as active-unit indices (n·K of them, 2 bytes
 * each while the map has at most 65,536 units, else 4), dense float32 embeddings (n·d·4 bytes)
 * and SDRs as dense bit grids (n·m/8 bytes). DOM-free.
 */

export interface StorageFigures {
  readonly n: number;
  readonly k: number;
  readonly d: number;
  readonly m: number;
  /** Bytes per stored unit index: 2 (m ≤ 65,536) or 4. */
  readonly indexWidth: 2 | 4;
  readonly indexBytes: number;
  readonly denseFloatBytes: number;
  readonly denseBitBytes: number;
  /** How many times smaller the indices are than the dense floats and the dense bits. */
  readonly vsFloats: number;
  readonly vsBits: number;
}

function check(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${String(v)}`);
  }
}

/** Figures for n items of d dimensions encoded with K of m units. */
export function storageFigures(n: number, k: number, d: number, m: number): StorageFigures {
  check('the item count', n, 0);
  check('K', k, 1);
  check('the dimension', d, 1);
  check('the unit count', m, 1);
  if (k > m) throw new RangeError(`K (${k}) cannot exceed the map's ${m} units`);
  const indexWidth = m <= 65_536 ? 2 : 4;
  const indexBytes = n * k * indexWidth;
  const denseFloatBytes = n * d * 4;
  // Each SDR as its own row of bits, padded to whole bytes.
  const denseBitBytes = n * Math.ceil(m / 8);
  const ratio = (other: number) => (indexBytes === 0 ? Number.NaN : other / indexBytes);
  return {
    n,
    k,
    d,
    m,
    indexWidth,
    indexBytes,
    denseFloatBytes,
    denseBitBytes,
    vsFloats: ratio(denseFloatBytes),
    vsBits: ratio(denseBitBytes),
  };
}

/** Bytes in decimal units: "812 B", "20.5 kB", "2.46 MB", "1.2 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = bytes / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v >= 100 ? Math.round(v) : v.toPrecision(3)} ${units[u]}`;
}

/** A ratio as "51×" (one decimal below 10: "6.4×"). */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return '—';
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
}
