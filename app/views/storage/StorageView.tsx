/**
 * Storage: what the current dataset costs as SDR indices, as dense float embeddings and as
 * dense bit grids, in numbers and a small bar chart. Recomputed live as K or the data change.
 */
import { useMemo } from 'react';
import { scaleLinear } from 'd3';
import { useAppStore } from '../../store/index.ts';
import { LabNotReady } from '../robustness/LabNotReady.tsx';
import { useLabEncoding } from '../robustness/useLabEncoding.ts';
import { formatBytes, formatRatio, storageFigures, type StorageFigures } from './storageFigures.ts';
import '../robustness/lab.css';
import './storage.css';
import { gridSize } from '../../../src/index.ts';
import { PageMemory } from './PageMemory.tsx';

const BAR_BOX = { width: 520, row: 30, left: 150, right: 90, top: 6 };

function Bars({ f }: { f: StorageFigures }) {
  const bars = [
    {
      id: 'indices',
      label: 'SDR indices',
      bytes: f.indexBytes,
      color: '#5ab0ff',
      detail: `${f.n} × ${f.k} × ${f.indexWidth} B`,
    },
    {
      id: 'bits',
      label: 'SDRs as dense bits',
      bytes: f.denseBitBytes,
      color: '#c792ea',
      detail: `${f.n} × ${f.m} / 8`,
    },
    {
      id: 'floats',
      label: 'Dense float32',
      bytes: f.denseFloatBytes,
      color: '#ffb454',
      detail: `${f.n} × ${f.d} × 4 B`,
    },
  ];
  const max = Math.max(1, ...bars.map((b) => b.bytes));
  const x = scaleLinear()
    .domain([0, max])
    .range([0, BAR_BOX.width - BAR_BOX.left - BAR_BOX.right]);
  const height = BAR_BOX.top * 2 + bars.length * BAR_BOX.row;
  const summary = bars.map((b) => `${b.label} ${formatBytes(b.bytes)}`).join(', ');
  return (
    <svg
      className="storage-bars"
      role="img"
      aria-label={`Bytes to store your items: ${summary}.`}
      viewBox={`0 0 ${BAR_BOX.width} ${height}`}
      width={BAR_BOX.width}
      height={height}
    >
      {bars.map((b, i) => {
        const y = BAR_BOX.top + i * BAR_BOX.row;
        // Never thinner than a hairline, so the smallest bar is still seen.
        const w = Math.max(2, x(b.bytes));
        return (
          <g key={b.id}>
            <text x={BAR_BOX.left - 8} y={y + 15} className="storage-label" textAnchor="end">
              {b.label}
            </text>
            <rect
              x={BAR_BOX.left}
              y={y + 4}
              width={w}
              height={BAR_BOX.row - 10}
              fill={b.color}
              rx={2}
            />
            <text x={BAR_BOX.left + w + 6} y={y + 15} className="storage-value">
              {formatBytes(b.bytes)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function StorageView() {
  const { readiness } = useLabEncoding();
  const n = useAppStore((s) => s.items.length);
  const d = useAppStore((s) => s.embeddingDim);
  const k = useAppStore((s) => s.k);
  const m = useAppStore((s) => (s.map ? gridSize(s.map.som.grid) : 0));
  const figures = useMemo(() => {
    if (n === 0 || d === 0 || m === 0 || k > m) return null;
    return storageFigures(n, k, d, m);
  }, [n, d, k, m]);

  return (
    <div className="lab-view">
      <p className="lab-intro">
        An SDR is stored as the indices of its K active units, not as n bits or d floats. Here is
        what your dataset costs in each form.
      </p>
      {!figures ? (
        <LabNotReady readiness={readiness === 'ready' ? 'encoding' : readiness} />
      ) : (
        <section className="lab-card" aria-labelledby="storage-title">
          <h3 id="storage-title">
            {figures.n} items · K = {figures.k} of {figures.m} units · {figures.d}-d embeddings
          </h3>
          <p className="storage-ratio">
            SDR indices are{' '}
            <strong data-testid="storage-ratio">{formatRatio(figures.vsFloats)}</strong> smaller
            than the dense float embeddings, and {formatRatio(figures.vsBits)} smaller than the same
            SDRs kept as bit grids.
          </p>
          <Bars f={figures} />
          <table className="lab-table storage-table">
            <caption>Bytes by form</caption>
            <thead>
              <tr>
                <th scope="col">Form</th>
                <th scope="col">Formula</th>
                <th scope="col">Bytes</th>
                <th scope="col">Per item</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">SDR indices</th>
                <td>
                  n · K · {figures.indexWidth} ({figures.indexWidth === 2 ? 'uint16' : 'uint32'})
                </td>
                <td className="storage-bytes" data-testid="storage-indices">
                  {figures.indexBytes.toLocaleString('en')}
                </td>
                <td>{formatBytes(figures.k * figures.indexWidth)}</td>
              </tr>
              <tr>
                <th scope="row">SDRs as dense bits</th>
                <td>n · m / 8</td>
                <td className="storage-bytes">{figures.denseBitBytes.toLocaleString('en')}</td>
                <td>{formatBytes(Math.ceil(figures.m / 8))}</td>
              </tr>
              <tr>
                <th scope="row">Dense float32</th>
                <td>n · d · 4</td>
                <td className="storage-bytes" data-testid="storage-floats">
                  {figures.denseFloatBytes.toLocaleString('en')}
                </td>
                <td>{formatBytes(figures.d * 4)}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted">
            Smaller is not free: an SDR keeps which region of the map an item falls in, not the fine
            detail of its embedding. The robustness lab and the claim check show what that costs in
            search quality.
          </p>
        </section>
      )}
      <PageMemory />
    </div>
  );
}
