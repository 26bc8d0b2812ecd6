/**
 * The Novelty view: every item scored against the map's calibration (the QE percentile among
 * its training inputs), in a table sortable by any column, with a threshold slider that shows
 * its false-alarm rate on the training inputs and flags the items above it.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { useId, useMemo, useState } from 'react';
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

/** Rows rendered before "Show more" (a table of thousands of rows is slow to draw). */
const PAGE = 200;

const HEADINGS: readonly { id: NoveltyColumn; text: string; title: string; numeric: boolean }[] = [
  { id: 'label', text: 'Label', title: 'The item', numeric: false },
  { id: 'kind', text: 'Kind', title: 'text, image, imported or mixture', numeric: false },
  {
    id: 'qe',
    text: 'QE',
    title: 'Quantisation error: distance from the embedding to its best-matching unit',
    numeric: true,
  },
  {
    id: 'novelty',
    text: 'Percentile',
    title: "QE percentile among the map's training inputs: the novelty score",
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

export function NoveltyView() {
  const view = useScoredItems();
  const inspectItem = useAppStore((s) => s.inspectItem);
  const sliderId = useId();
  const [percentile, setPercentile] = useState(THRESHOLD_DEFAULT_PERCENTILE);
  const [sort, setSort] = useState<{ column: NoveltyColumn; direction: SortDirection }>({
    column: 'novelty',
    direction: 'descending',
  });
  const [limit, setLimit] = useState(PAGE);
  const { map, scores, items } = view;
  const cal = map?.calibration ?? null;

  const columns = useMemo((): NoveltyColumns | null => {
    if (!scores) return null;
    return {
      labels: items.map((x) => x.label),
      kinds: items.map((x) => x.kind),
      qe: scores.qe,
      novelty: scores.novelty,
      dispersion: scores.dispersion,
      clusters: scores.clusters,
    };
  }, [scores, items]);
  const order = useMemo(
    () => (columns ? sortRows(columns, sort.column, sort.direction) : null),
    [columns, sort],
  );
  const threshold = useMemo(
    () => (cal && cal.qe.length > 0 ? thresholdAtPercentile(cal, percentile) : NaN),
    [cal, percentile],
  );
  const alarms = useMemo(
    () => (cal && Number.isFinite(threshold) ? falseAlarmRate(cal, threshold) : NaN),
    [cal, threshold],
  );
  const flags = useMemo(
    () => (scores && Number.isFinite(threshold) ? flagRows(scores.qe, threshold) : null),
    [scores, threshold],
  );

  if (!map || !scores || !columns || !order) {
    return (
      <div className="novelty-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const toggleSort = (column: NoveltyColumn) =>
    setSort((s) =>
      s.column === column
        ? { column, direction: s.direction === 'ascending' ? 'descending' : 'ascending' }
        : { column, direction: defaultDirection(column) },
    );
  const shown = Array.from(order.subarray(0, limit));
  const calN = cal?.qe.length ?? 0;

  return (
    <div className="novelty-view">
      {cal && calN > 0 ? (
        <section className="novelty-threshold" aria-label="Novelty threshold">
          <div className="novelty-slider">
            <label htmlFor={sliderId}>Flag items farther from the map than</label>
            <input
              id={sliderId}
              type="range"
              min={THRESHOLD_MIN_PERCENTILE}
              max={THRESHOLD_MAX_PERCENTILE}
              step={0.1}
              value={percentile}
              aria-valuetext={`${percentile.toFixed(1)}% of training inputs: QE above ${threshold.toFixed(3)}, false-alarm rate ${(100 * alarms).toFixed(1)}%`}
              onChange={(e) => setPercentile(Number(e.target.value))}
            />
            <output htmlFor={sliderId} className="novelty-slider-value">
              {percentile.toFixed(1)}% of training inputs
            </output>
          </div>
          <p className="novelty-summary" data-testid="novelty-summary">
            Threshold: QE above{' '}
            <strong data-testid="novelty-threshold">{threshold.toFixed(3)}</strong>. False-alarm
            rate on the map&apos;s {calN.toLocaleString()} training inputs:{' '}
            <strong data-testid="novelty-false-alarms">{(100 * alarms).toFixed(1)}%</strong>.{' '}
            <strong data-testid="novelty-flagged">{flags?.count ?? 0}</strong> of {scores.n} items
            flagged.
          </p>
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
          K changes dispersion and clusters; QE and the percentile do not depend on it.
        </span>
      </div>
      <table className="novelty-table" aria-label="Items by novelty">
        <thead>
          <tr>
            {HEADINGS.map((h) => (
              <th
                key={h.id}
                scope="col"
                className={h.numeric ? 'num' : undefined}
                aria-sort={sort.column === h.id ? sort.direction : 'none'}
              >
                <button type="button" title={h.title} onClick={() => toggleSort(h.id)}>
                  {h.text}
                  <span className="novelty-sort" aria-hidden="true">
                    {sort.column === h.id ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">Flag</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => {
            const item = items[i];
            const flagged = flags?.flags[i] === 1;
            return (
              <tr key={item.key} className={flagged ? 'flagged' : undefined}>
                <th scope="row" className="novelty-label">
                  <button type="button" title={item.label} onClick={() => inspectItem(item.key)}>
                    {displayLabel(item.label)}
                  </button>
                </th>
                <td>{item.kind}</td>
                <td className="num">{scores.qe[i].toFixed(3)}</td>
                <td className="num">
                  {Number.isFinite(scores.novelty[i]) ? scores.novelty[i].toFixed(1) : 'n/a'}
                </td>
                <td className="num">{scores.dispersion[i].toFixed(2)}</td>
                <td className="num">{scores.clusters[i]}</td>
                <td>{flagged ? <span className="novelty-flag">novel</span> : ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {order.length > limit && (
        <button type="button" onClick={() => setLimit((l) => l + PAGE)}>
          Show {Math.min(PAGE, order.length - limit)} more ({order.length - limit} left)
        </button>
      )}
      <p className="muted">
        The QE percentile is the novelty score to trust; dispersion and clusters are weaker signals
        and cannot tell a novel concept from a mixture of familiar ones.
      </p>
    </div>
  );
}
