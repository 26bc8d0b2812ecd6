/**
 * "This page's memory": the browser's own figures for what the page holds (heap, workers and
 * WASM, stored data), beside what the dataset's embeddings take, so a person with a large
 * collection sees how close the browser is to its limit. See pageMemory.ts.
 */
import { useCallback, useEffect, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import {
  browserMemoryEnv,
  measureWholePage,
  readQuickMemory,
  type PageMemory as Figures,
} from './pageMemory.ts';
import { formatBytes } from './storageFigures.ts';

const show = (v: number | null) => (v === null ? 'not given by this browser' : formatBytes(v));

export function PageMemory() {
  const n = useAppStore((s) => s.items.length);
  const embeddingBytes = useAppStore((s) => s.embeddings.byteLength);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [measuring, setMeasuring] = useState(false);

  const refresh = useCallback(async () => {
    const env = browserMemoryEnv();
    const quick = await readQuickMemory(env);
    setFigures(quick);
    setMeasuring(true);
    const wholePage = await measureWholePage(env);
    setMeasuring(false);
    setFigures({ ...quick, wholePage });
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh, n]);

  return (
    <section className="lab-card" aria-labelledby="page-memory-title">
      <h3 id="page-memory-title">This page's memory</h3>
      <table className="lab-table storage-table">
        <caption>What the browser reports for this page</caption>
        <tbody>
          <tr>
            <th scope="row">Embeddings of your {n.toLocaleString('en')} items</th>
            <td className="storage-bytes" data-testid="memory-embeddings">
              {formatBytes(embeddingBytes)}
            </td>
          </tr>
          <tr>
            <th scope="row">JavaScript heap of the page (limit)</th>
            <td className="storage-bytes" data-testid="memory-heap">
              {figures ? show(figures.jsHeapUsed) : '…'}
              {figures?.jsHeapLimit != null && ` (${formatBytes(figures.jsHeapLimit)})`}
            </td>
          </tr>
          <tr>
            <th scope="row">Page, workers and WebAssembly together</th>
            <td className="storage-bytes" data-testid="memory-whole">
              {measuring ? 'measuring…' : figures ? show(figures.wholePage) : '…'}
            </td>
          </tr>
          <tr>
            <th scope="row">Stored in this browser (IndexedDB of it; quota)</th>
            <td className="storage-bytes" data-testid="memory-stored">
              {figures ? show(figures.stored) : '…'}
              {figures?.indexedDb != null && ` (${formatBytes(figures.indexedDb)})`}
              {figures?.quota != null && `; ${formatBytes(figures.quota)}`}
            </td>
          </tr>
        </tbody>
      </table>
      <button type="button" onClick={() => void refresh()} disabled={measuring}>
        Measure again
      </button>
    </section>
  );
}
