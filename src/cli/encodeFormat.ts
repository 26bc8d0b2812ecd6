/**
 * What `sdr encode` writes, by format: shared by the in-memory encode (encode.ts) and the
 * streamed one (encodeStream.ts), which formats one chunk at a time.
 */
import { formatFloat32, writeCsv, writeNpy, type SdrMap } from '../index.ts';
import type { ScoredRows } from './scoring.ts';

export const FORMATS = ['jsonl', 'ndjson', 'json', 'csv', 'tsv', 'npy'] as const;
export type Format = (typeof FORMATS)[number];

/** Figures people read: 6 significant digits is plenty for percentiles and distances. */
function fig(x: number): number {
  return Number(x.toPrecision(6));
}

/** The JSON object for row i. */
function rowObject(s: ScoredRows, i: number, label?: string, first = 0): Record<string, unknown> {
  return {
    row: first + i,
    ...(label !== undefined ? { label } : {}),
    active: Array.from(s.active.subarray(i * s.k, (i + 1) * s.k)),
    qe: fig(s.qe[i]),
    novelty: s.novelty ? fig(s.novelty[i]) : null,
    dispersion: fig(s.dispersion[i]),
    dispersionPercentile: s.dispersionPercentile ? fig(s.dispersionPercentile[i]) : null,
    clusters: s.clusters[i],
    largestCluster: s.largestCluster[i],
  };
}

/**
 * The encoded rows as file content in `format`. A streamed encode (encodeStream.ts) formats one
 * chunk at a time: `part.first` is the chunk's first row number, `part.header` whether the CSV
 * header line comes first (default: row 0, with header).
 */
export function formatRows(
  format: Format,
  map: SdrMap,
  s: ScoredRows,
  labels?: readonly string[],
  part: { readonly first: number; readonly header: boolean } = { first: 0, header: true },
): string | Uint8Array {
  const { first } = part;
  const rows = () => Array.from({ length: s.n }, (_, i) => rowObject(s, i, labels?.[i], first));
  switch (format) {
    case 'jsonl':
    case 'ndjson':
      return rows()
        .map((r) => JSON.stringify(r) + '\n')
        .join('');
    case 'json': {
      const { grid } = map.som;
      const head = { map: map.name, grid: `${grid.rows}x${grid.cols}`, topology: grid.topology, k: s.k }; // prettier-ignore
      // One row per line: readable, greppable, and still one JSON document.
      const body = rows()
        .map((r) => JSON.stringify(r))
        .join(',\n');
      return `${JSON.stringify(head).slice(0, -1)},"rows":[\n${body}\n]}\n`;
    }
    case 'csv':
    case 'tsv': {
      const header = ['row', 'label', 'qe', 'novelty', 'dispersion', 'dispersion_percentile', 'clusters', 'largest_cluster', 'active']; // prettier-ignore
      const opt = (a: Float32Array | null, i: number) => (a ? formatFloat32(a[i]) : '');
      function* lines(): Generator<(string | number)[]> {
        for (let i = 0; i < s.n; i++) {
          yield [
            first + i,
            labels?.[i] ?? '',
            formatFloat32(s.qe[i]),
            opt(s.novelty, i),
            formatFloat32(s.dispersion[i]),
            opt(s.dispersionPercentile, i),
            s.clusters[i],
            s.largestCluster[i],
            Array.from(s.active.subarray(i * s.k, (i + 1) * s.k)).join(' '),
          ];
        }
      }
      return writeCsv(part.header ? header : null, lines(), {
        delimiter: format === 'tsv' ? '\t' : ',',
      });
    }
    case 'npy':
      return writeNpy(Float32Array.from(s.active), [s.n, s.k]);
  }
}
