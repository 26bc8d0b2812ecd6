import { gridSize, type Grid, writeCsv, writeNpy } from '../../src/index.ts';
/**
 * SDRs as files a person takes elsewhere: JSON (self-describing: grid, K, labels and each
 * item's active units), CSV (one row per item: label, kind, then the K unit indices in their
 * own columns, so a spreadsheet or pandas reads them as numbers) and NumPy `.npy` (the indices
 * alone, shape (n, K), float32 like `sdr encode --out x.npy`: exact, since unit indices stay
 * below 2^24 on every grid a map may have). DOM-free; the views hand the bytes to a download.
 */

/** What is exported: n SDRs of K units each on one grid, with a label (and kind) per item. */
export interface SdrExportRows {
  readonly grid: Grid;
  /** Active units per SDR, at least 1. */
  readonly k: number;
  /** n·k unit indices; row i (ascending) is item i's SDR. */
  readonly active: Uint32Array;
  /** One label per item (n). */
  readonly labels: readonly string[];
  /** One kind per item ('text', 'image', 'imported', 'mixture'); optional. */
  readonly kinds?: readonly string[];
  /** The map's name, recorded in the JSON; optional. */
  readonly mapName?: string;
}

export type SdrExportFormat = 'json' | 'csv' | 'npy';

export const SDR_EXPORT_FORMATS: readonly SdrExportFormat[] = ['json', 'csv', 'npy'];

/** The JSON file's `type` field, so a reader knows what it holds. */
export const SDR_EXPORT_TYPE = 'sdr-explorer/sdrs';
const SDR_EXPORT_VERSION = 1;

export class SdrExportError extends Error {
  override name = 'SdrExportError';
}

/** Check the rows fit together; returns n. */
function checkRows(rows: SdrExportRows): number {
  const { grid, k, active, labels, kinds } = rows;
  if (!Number.isInteger(k) || k < 1) {
    throw new SdrExportError(`K must be a whole number of at least 1, got ${k}`);
  }
  const n = labels.length;
  if (active.length !== n * k) {
    throw new SdrExportError(
      `${n} labels need ${n * k} unit indices at K = ${k}, got ${active.length}`,
    );
  }
  if (kinds && kinds.length !== n) {
    throw new SdrExportError(`${n} labels need ${n} kinds, got ${kinds.length}`);
  }
  const m = gridSize(grid);
  for (let i = 0; i < active.length; i++) {
    if (active[i] >= m) {
      throw new SdrExportError(`unit ${active[i]} is outside the ${grid.rows}×${grid.cols} grid`);
    }
  }
  return n;
}

/**
 * JSON: `{type, version, map, grid: {rows, cols, topology}, k, items: [{label, kind?, active}]}`,
 * one item per line so the file stays readable and greppable.
 */
export function sdrsToJson(rows: SdrExportRows): string {
  const n = checkRows(rows);
  const { grid, k, active, labels, kinds } = rows;
  const head = {
    type: SDR_EXPORT_TYPE,
    version: SDR_EXPORT_VERSION,
    ...(rows.mapName !== undefined ? { map: rows.mapName } : {}),
    grid: { rows: grid.rows, cols: grid.cols, topology: grid.topology },
    k,
    count: n,
  };
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        label: labels[i],
        ...(kinds ? { kind: kinds[i] } : {}),
        active: Array.from(active.subarray(i * k, (i + 1) * k)),
      }),
    );
  }
  const body = n === 0 ? '[]' : `[\n${lines.join(',\n')}\n]`;
  return `${JSON.stringify(head).slice(0, -1)},"items":${body}}\n`;
}

/** CSV: header `label,kind,unit_1,…,unit_K` (no kind column without kinds), one row per item. */
export function sdrsToCsv(rows: SdrExportRows): string {
  const n = checkRows(rows);
  const { k, active, labels, kinds } = rows;
  const header = [
    'label',
    ...(kinds ? ['kind'] : []),
    ...Array.from({ length: k }, (_, j) => `unit_${j + 1}`),
  ];
  function* lines(): Generator<(string | number)[]> {
    for (let i = 0; i < n; i++) {
      yield [
        labels[i],
        ...(kinds ? [kinds[i]] : []),
        ...Array.from(active.subarray(i * k, (i + 1) * k)),
      ];
    }
  }
  return writeCsv(header, lines());
}

/** `.npy`: the unit indices, shape (n, K), float32 (exact for every grid a map may have). */
export function sdrsToNpy(rows: SdrExportRows): Uint8Array {
  const n = checkRows(rows);
  return writeNpy(Float32Array.from(rows.active), [n, rows.k]);
}

const MIME: Record<SdrExportFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  npy: 'application/octet-stream',
};

/** The file content in `format`, as a Blob ready to download. */
export function sdrExportBlob(rows: SdrExportRows, format: SdrExportFormat): Blob {
  const content =
    format === 'json' ? sdrsToJson(rows) : format === 'csv' ? sdrsToCsv(rows) : sdrsToNpy(rows);
  // A fresh ArrayBuffer-backed copy: Blob wants ArrayBuffer views, not any ArrayBufferLike.
  return new Blob([typeof content === 'string' ? content : new Uint8Array(content)], {
    type: MIME[format],
  });
}

/**
 * A safe file name: `stem` reduced to letters, digits, dashes and underscores (at most 60
 * characters; 'sdrs' when nothing is left), then `-k{K}.{format}`.
 */
export function sdrExportFileName(stem: string, k: number, format: SdrExportFormat): string {
  const safe =
    stem
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'sdrs';
  return `${safe}-k${k}.${format}`;
}
