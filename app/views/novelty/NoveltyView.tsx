/**
 * The Novelty view: every item scored by the recommended novelty score — centred kNN against the
 * rows the map was trained on, as a percentile among those rows (src/encode/noveltyScores.ts,
 * run in the lab worker) — beside the QE percentile of the map's calibration, in a table sortable
 * by any column, with a threshold slider that shows its false-alarm rate on the training inputs
 * and flags the items above it. Where the map keeps no training rows, the QE percentile is the
 * score, and the view says why.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { gridLayout, visibleCells } from '../../lib/virtualRange.ts';
import { useShallow } from 'zustand/react/shallow';
import { KNN_NOVELTY_BUDGET, MIN_KNN_REFERENCE_ROWS } from '../../../src/index.ts';
import { isCurrentNovelty, noveltyReference } from '../../store/labSlice.ts';
import { useAppStore } from '../../store/index.ts';
import { useScoredItems } from '../compare/useScoredItems.ts';
import { ExploreStatus } from '../item/ExploreStatus.tsx';
import { KSlider } from '../../components/KSlider.tsx';
import {
  THRESHOLD_DEFAULT_PERCENTILE,
  THRESHOLD_MAX_PERCENTILE,
  THRESHOLD_MIN_PERCENTILE,
  defaultDirection,
  falseAlarmRate,
  flagRows,
  sortRows,
  thresholdAtPercentile,
  type NoveltyColumn,
  type NoveltyColumns,
  type SortDirection,
} from './noveltyTable.ts';
import './novelty.css';

/** Height of every body row and of the header row, px (the table scrolls in a box of its own). */
const ROW_HEIGHT = 32;
const HEAD_HEIGHT = 34;
/** Rows drawn beyond each edge of the scroll box. */
const OVERSCAN = 4;

const HEADINGS: readonly { id: NoveltyColumn; text: string; title: string; numeric: boolean }[] = [
  { id: 'label', text: 'Label', title: 'The item', numeric: false },
  { id: 'kind', text: 'Kind', title: 'text, image, imported or mixture', numeric: false },
  {
    id: 'knn',
    text: 'Novelty',
    title:
      'Centred kNN percentile: how far the item is from its 10 nearest training items once the training mean is subtracted, among the training items themselves',
    numeric: true,
  },
  {
    id: 'qe',
    text: 'QE',
    title: 'Quantisation error: distance from the embedding to its best-matching unit',
    numeric: true,
  },
  {
    id: 'novelty',
    text: 'QE pct',
    title: "QE percentile among the map's held-out training inputs",
    numeric: true,
  },
  {
    id: 'dispersion',
    text: 'Dispersion',
    title: 'Spread of the active units relative to a random SDR (a weaker signal)',
    numeric: true,
  },
  { id: 'clusters', text: 'Clusters', title: 'Connected groups of active units', numeric: true },
];

/** Why the centred kNN score is not shown, or null when it can be. */
function knnUnavailable(
  reference: ReturnType<typeof noveltyReference>,
  n: number,
  d: number,
): string | null {
  if ('missing' in reference) return reference.missing;
  const stored = reference.source.reference!.length / d;
  if (stored < MIN_KNN_REFERENCE_ROWS) {
    return `the map was trained on only ${stored.toLocaleString()} items (it needs at least ${MIN_KNN_REFERENCE_ROWS} to mean anything)`;
  }
  const cost = (n + stored) * stored * d;
  if (cost > KNN_NOVELTY_BUDGET) {
    return `comparing ${n.toLocaleString()} items with ${stored.toLocaleString()} training rows is too much work for this page (sdr claims on the command line measures it)`;
  }
  return null;
}

interface NoveltyTableProps {
  /** Row order: item indices, every item once. */
  readonly order: Uint32Array;
  /** The header row. */
  readonly head: ReactNode;
  /** Item `i` as a `<tr>` with aria-rowindex `rowIndex` (its place in the whole table, from 2). */
  readonly renderRow: (i: number, rowIndex: number) => ReactNode;
  /** When this changes (a new sort), the box scrolls back to the top. */
  readonly resetKey: unknown;
}

/**
 * The items table in a scroll box of its own, with only the rows in view (plus OVERSCAN each
 * way) in the DOM, like the data list (app/components/VirtualGrid.tsx): the scroll height is
 * every item's, so the scroll bar (or End in the focused box) reaches the last one. The table
 * says how many rows it has in all (aria-rowcount) and each drawn row its place (aria-rowindex);
 * the header row stays on top while the box scrolls.
 */
function NoveltyTable({ order, head, renderRow, resetKey }: NoveltyTableProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [viewHeight, setViewHeight] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);
  useLayoutEffect(() => {
    const el = boxRef.current;
    if (!el) return undefined;
    const measure = () => setViewHeight(el.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const lastReset = useRef(resetKey);
  useLayoutEffect(() => {
    if (Object.is(lastReset.current, resetKey)) return;
    lastReset.current = resetKey;
    if (boxRef.current) boxRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey]);

  const count = order.length;
  const layout = gridLayout(count, 1, 1, ROW_HEIGHT, 0);
  const range = visibleCells(
    count,
    layout,
    ROW_HEIGHT,
    0,
    Math.max(0, scrollTop - HEAD_HEIGHT),
    viewHeight,
    OVERSCAN,
  );
  const rows: ReactNode[] = [];
  for (let r = range.start; r < range.end; r++) rows.push(renderRow(order[r], r + 2));
  return (
    <div
      ref={boxRef}
      className="novelty-scroll"
      role="region"
      aria-label="Novelty table (scrolls)"
      tabIndex={0}
      data-testid="novelty-list"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div style={{ height: HEAD_HEIGHT + count * ROW_HEIGHT }}>
        <table
          className="novelty-table"
          aria-label="Items by novelty"
          aria-rowcount={count + 1}
          style={{ marginTop: range.start * ROW_HEIGHT }}
        >
          <colgroup>
            <col className="novelty-col-label" />
            <col className="novelty-col-kind" />
            {HEADINGS.slice(2).map((h) => (
              <col key={h.id} className="novelty-col-num" />
            ))}
            <col className="novelty-col-flag" />
          </colgroup>
          <thead>{head}</thead>
          <tbody>{rows}</tbody>
        </table>
      </div>
    </div>
  );
}

export function NoveltyView() {
  const view = useScoredItems();
  const inspectItem = useAppStore((s) => s.inspectItem);
  const { encoding, labNovelty, scoreNoveltyNow, mapSource, embeddings } = useAppStore(
    useShallow((s) => ({
      encoding: s.encoding,
      labNovelty: s.labNovelty,
      scoreNoveltyNow: s.scoreNoveltyNow,
      mapSource: s.mapSource,
      embeddings: s.embeddings,
    })),
  );
  const sliderId = useId();
  const [percentile, setPercentile] = useState(THRESHOLD_DEFAULT_PERCENTILE);
  const [sort, setSort] = useState<{ column: NoveltyColumn; direction: SortDirection } | null>(
    null,
  );
  const { map, scores, items } = view;
  const cal = map?.calibration ?? null;

  // The recommended score, scored once per map and dataset in the lab worker (K plays no part).
  const unavailable = useMemo(() => {
    if (!map || !encoding) return null;
    const state = useAppStore.getState();
    const reference = noveltyReference({ ...state, map, mapSource, embeddings });
    return knnUnavailable(reference, encoding.n, map.som.dim);
  }, [map, encoding, mapSource, embeddings]);
  const knnCurrent = isCurrentNovelty(labNovelty, encoding);
  const knn = knnCurrent ? labNovelty.result : null;
  // One try per map and dataset: a failed run is reported once, not retried in a loop.
  const started = useRef<{ som: unknown; rows: unknown } | null>(null);
  useEffect(() => {
    if (!map || !encoding || unavailable !== null || view.status !== 'ready') return;
    if (knnCurrent || labNovelty.status === 'running') return;
    const last = started.current;
    if (last && last.som === map.som && last.rows === encoding.embeddings) return;
    started.current = { som: map.som, rows: encoding.embeddings };
    void scoreNoveltyNow();
  }, [map, encoding, unavailable, view.status, knnCurrent, labNovelty.status, scoreNoveltyNow]);

  const columns = useMemo((): NoveltyColumns | null => {
    if (!scores) return null;
    const knnColumn = new Float32Array(items.length).fill(NaN);
    if (knn) knnColumn.set(knn.percentiles.subarray(0, Math.min(items.length, knn.percentiles.length))); // prettier-ignore
    return {
      labels: items.map((x) => x.label),
      kinds: items.map((x) => x.kind),
      knn: knnColumn,
      qe: scores.qe,
      novelty: scores.novelty,
      dispersion: scores.dispersion,
      clusters: scores.clusters,
    };
  }, [scores, items, knn]);
  // Sorted by the score in use until the person picks a column.
  const sortBy = sort ?? { column: knn ? 'knn' : 'novelty', direction: 'descending' };
  const order = useMemo(
    () => (columns ? sortRows(columns, sortBy.column, sortBy.direction) : null),
    [columns, sortBy.column, sortBy.direction],
  );
  // The threshold is on the score in use: the centred kNN score once measured, else QE.
  const scale = useMemo(() => {
    if (knn && columns) {
      const raw = new Float32Array(items.length).fill(NaN);
      raw.set(knn.scores.subarray(0, Math.min(items.length, knn.scores.length)));
      return { name: 'centred kNN score', sorted: knn.calibration, rows: raw };
    }
    if (cal && cal.qe.length > 0 && scores) return { name: 'QE', sorted: cal.qe, rows: scores.qe };
    return null;
  }, [knn, columns, items.length, cal, scores]);
  const threshold = useMemo(
    () => (scale ? thresholdAtPercentile(scale.sorted, percentile) : NaN),
    [scale, percentile],
  );
  const alarms = useMemo(
    () => (scale && Number.isFinite(threshold) ? falseAlarmRate(scale.sorted, threshold) : NaN),
    [scale, threshold],
  );
  const flags = useMemo(
    () => (scale && Number.isFinite(threshold) ? flagRows(scale.rows, threshold) : null),
    [scale, threshold],
  );

  if (!map || !scores || !columns || !order) {
    return (
      <div className="novelty-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const toggleSort = (column: NoveltyColumn) =>
    setSort(
      sortBy.column === column
        ? { column, direction: sortBy.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column, direction: defaultDirection(column) },
    );
  const calN = scale?.sorted.length ?? 0;
  const scoreNote = knn ? (
    <p className="muted" data-testid="novelty-score-note">
      Novelty is the <strong>centred kNN</strong> score: 1 − the mean cosine to the 10 nearest of
      the map&apos;s {calN.toLocaleString()} training items after subtracting their mean, as a
      percentile among those items (each scored without itself). Chosen by measurement: of the
      scores tried (QE, centred QE, kNN, centred kNN), it found classes held out of training best in
      the worst case, and still flags gross out-of-distribution inputs; raw QE sits beside it.
    </p>
  ) : (
    <p className="muted" data-testid="novelty-score-note">
      {labNovelty.status === 'running'
        ? 'Scoring the items with the centred kNN score (the recommended one)…'
        : `The score here is the QE percentile: the centred kNN score, which finds unseen classes better, is not available because ${unavailable ?? (labNovelty.error ? `it failed (${labNovelty.error})` : 'it has not run yet')}.`}
    </p>
  );

  return (
    <div className="novelty-view">
      {scale ? (
        <section className="novelty-threshold" aria-label="Novelty threshold">
          <div className="novelty-slider">
            <label htmlFor={sliderId}>Flag items more novel than</label>
            <input
              id={sliderId}
              type="range"
              min={THRESHOLD_MIN_PERCENTILE}
              max={THRESHOLD_MAX_PERCENTILE}
              step={0.1}
              value={percentile}
              aria-valuetext={`${percentile.toFixed(1)}% of training inputs: ${scale.name} above ${threshold.toFixed(3)}, false-alarm rate ${(100 * alarms).toFixed(1)}%`}
              onChange={(e) => setPercentile(Number(e.target.value))}
            />
            <output htmlFor={sliderId} className="novelty-slider-value">
              {percentile.toFixed(1)}% of training inputs
            </output>
          </div>
          <p className="novelty-summary" data-testid="novelty-summary">
            Threshold: {scale.name} above{' '}
            <strong data-testid="novelty-threshold">{threshold.toFixed(3)}</strong>. False-alarm
            rate on the map&apos;s {calN.toLocaleString()} training inputs:{' '}
            <strong data-testid="novelty-false-alarms">{(100 * alarms).toFixed(1)}%</strong>.{' '}
            <strong data-testid="novelty-flagged">{flags?.count ?? 0}</strong> of {scores.n} items
            flagged.
          </p>
          {scoreNote}
        </section>
      ) : (
        <p className="explore-status">
          This map has no novelty calibration (it was saved without its training inputs&apos;
          scores), so only raw QE is shown. Train a map here to get one.
        </p>
      )}
      <div className="explore-toolbar">
        <KSlider />
        <span className="muted">
          K changes dispersion and clusters; the novelty scores do not depend on it.
        </span>
      </div>
      <NoveltyTable
        order={order}
        renderRow={(i, rowIndex) => {
          const item = items[i];
          const flagged = flags?.flags[i] === 1;
          return (
            <tr key={item.key} className={flagged ? 'flagged' : undefined} aria-rowindex={rowIndex}>
              <th scope="row" className="novelty-label">
                <button type="button" title={item.label} onClick={() => inspectItem(item.key)}>
                  {displayLabel(item.label)}
                </button>
              </th>
              <td>{item.kind}</td>
              <td
                className="num"
                title={
                  knn && Number.isFinite(scale?.rows[i])
                    ? `centred kNN score ${scale!.rows[i].toFixed(3)}`
                    : undefined
                }
              >
                {Number.isFinite(columns.knn[i]) ? columns.knn[i].toFixed(1) : 'n/a'}
              </td>
              <td className="num">{scores.qe[i].toFixed(3)}</td>
              <td className="num">
                {Number.isFinite(scores.novelty[i]) ? scores.novelty[i].toFixed(1) : 'n/a'}
              </td>
              <td className="num">{scores.dispersion[i].toFixed(2)}</td>
              <td className="num">{scores.clusters[i]}</td>
              <td>{flagged ? <span className="novelty-flag">novel</span> : ''}</td>
            </tr>
          );
        }}
        head={
          <tr aria-rowindex={1}>
            {HEADINGS.map((h) => (
              <th
                key={h.id}
                scope="col"
                className={h.numeric ? 'num' : undefined}
                aria-sort={sortBy.column === h.id ? sortBy.direction : 'none'}
              >
                <button type="button" title={h.title} onClick={() => toggleSort(h.id)}>
                  {h.text}
                  <span className="novelty-sort" aria-hidden="true">
                    {sortBy.column === h.id ? (sortBy.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">Flag</th>
          </tr>
        }
        resetKey={`${sortBy.column} ${sortBy.direction}`}
      />
      <p className="muted">
        Dispersion and clusters are weaker signals than either novelty score, and cannot tell a
        novel concept from a mixture of familiar ones.
      </p>
    </div>
  );
}
