/**
 * The Compare view: 2–6 items side by side (dataset items and mixtures built here), each with
 * its SDR heatmap, spread measures (dispersion, clusters, radius of gyration), novelty
 * percentile and QE, its overlap with the first item, and one line in plain words. The
 * mixture builder makes "A + B (+ C)": the normalised mean of their embeddings, encoded on the
 * map like any item.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { memo, useId, useMemo, useState } from 'react';
import { GridCanvas, Legend, underlayDomain } from '../../components/grid/index.ts';
import { useAppStore } from '../../store/index.ts';
import { ExploreStatus } from '../item/ExploreStatus.tsx';
import { ExploreItemPicker } from '../item/ExploreItemPicker.tsx';
import { KSlider } from '../../components/KSlider.tsx';
import type { DataItem } from '../../store/dataSlice.ts';
import type { ExploreItem } from '../../store/exploreItems.ts';
import { datasetRowOfId } from '../../lib/itemLists.ts';
import { MAX_COMPARE } from '../../store/exploreSlice.ts';
import { MAX_MIX_PARTS } from '../../lib/mixture.ts';
import { scoredSdr, type ScoredItems } from './scoredItems.ts';
import { useScoredItems } from './useScoredItems.ts';
import { READING_NOTES, compareLine } from './wording.ts';
import './compare.css';
import { overlapSorted, type Grid } from '../../../src/index.ts';
import { mapUMatrix } from '../../lib/mapUMatrix.ts';

interface CardProps {
  readonly item: ExploreItem;
  readonly index: number;
  readonly scores: ScoredItems;
  readonly grid: Grid;
  readonly umatrix: Float32Array;
  readonly domain: readonly [number, number];
  readonly reference: Uint16Array | null;
  /** The first compared item's SDR and label, for the overlap line (null on the first card). */
  readonly first: { readonly active: Uint32Array; readonly label: string } | null;
}

const CompareCard = memo(function CompareCard({
  item,
  index,
  scores,
  grid,
  umatrix,
  domain,
  reference,
  first,
}: CardProps) {
  const titleId = useId();
  const removeCompareKey = useAppStore((s) => s.removeCompareKey);
  const removeMixture = useAppStore((s) => s.removeMixture);
  const inspectItem = useAppStore((s) => s.inspectItem);
  const sdr = scoredSdr(scores, index);
  const k = scores.k;
  const novelty = scores.novelty[index];
  const shared = first ? overlapSorted(first.active, sdr.active) : null;
  return (
    <li
      className={`compare-card compare-kind-${item.kind}`}
      aria-labelledby={titleId}
      data-testid="compare-card"
    >
      <header className="compare-card-head">
        <h3 id={titleId} title={item.label}>
          {displayLabel(item.label)}
        </h3>
        <span className="compare-kind">{item.kind}</span>
      </header>
      <GridCanvas
        grid={grid}
        values={umatrix}
        domain={domain}
        scheme="greys"
        sdr={sdr.active}
        sdrName={displayLabel(item.label)}
        valueLabel="U-matrix distance"
        selectedUnit={scores.bmu[index]}
      />
      <p className="compare-line" data-testid="compare-line">
        {compareLine(scores.clusters[index], novelty, reference)}
      </p>
      <dl className="compare-measures">
        <div>
          <dt title="Mean distance between active units, relative to a random SDR of the same size (1 = random)">
            Dispersion
          </dt>
          <dd data-testid="compare-dispersion">{scores.dispersion[index].toFixed(2)}×</dd>
        </div>
        <div>
          <dt title="Connected groups of active units">Clusters</dt>
          <dd data-testid="compare-clusters">
            {scores.clusters[index]}{' '}
            <span className="muted">(largest {scores.largestCluster[index]})</span>
          </dd>
        </div>
        <div>
          <dt title="Root-mean-square distance of the active units from their centre, in grid cells">
            Radius of gyration
          </dt>
          <dd>{scores.radius[index].toFixed(1)} cells</dd>
        </div>
        <div>
          <dt title="Share of the map's training inputs that are closer to the map than this item">
            Novelty percentile
          </dt>
          <dd data-testid="compare-novelty">
            {Number.isFinite(novelty) ? novelty.toFixed(1) : 'n/a'}
          </dd>
        </div>
        <div>
          <dt title="Quantisation error: distance from the embedding to its best-matching unit">
            QE
          </dt>
          <dd data-testid="compare-qe">{scores.qe[index].toFixed(3)}</dd>
        </div>
        {first && shared !== null && (
          <div>
            <dt>Shared with first</dt>
            <dd title={`Units active in both this item and '${first.label}'`}>
              {shared} of {k} units
            </dd>
          </div>
        )}
      </dl>
      <div className="compare-card-actions">
        <button type="button" onClick={() => inspectItem(item.key)}>
          Open
        </button>
        <button
          type="button"
          onClick={() => removeCompareKey(item.key)}
          aria-label={`Remove ${item.label} from the comparison`}
        >
          Remove
        </button>
        {item.kind === 'mixture' && (
          <button
            type="button"
            onClick={() => removeMixture(item.key)}
            aria-label={`Delete the mixture ${item.label}`}
          >
            Delete mixture
          </button>
        )}
      </div>
    </li>
  );
});

/** Where each item key sits in an explore list. */
interface KeyIndex {
  has(key: string): boolean;
  get(key: string): number | undefined;
}

const keyIndexes = new WeakMap<readonly ExploreItem[], KeyIndex>();

/**
 * Row of each key of `items` (the explore list of the dataset `dataItems`, then its mixtures):
 * the dataset's ids come from the map made once per item array (app/lib/itemLists.ts, prepared
 * while the page is idle: 100,000 keys took ~25 ms of each first open), the few mixtures from
 * their own.
 */
function keyIndex(dataItems: readonly DataItem[], items: readonly ExploreItem[]): KeyIndex {
  let index = keyIndexes.get(items);
  if (!index) {
    const n = dataItems.length;
    const listsDataset = items.length >= n && (n === 0 || items[n - 1].key === dataItems[n - 1].id);
    if (listsDataset) {
      const rows = datasetRowOfId(dataItems);
      const mixtures = new Map(items.slice(n).map((x, j) => [x.key, n + j]));
      const get = (key: string) => rows.get(key) ?? mixtures.get(key);
      index = { get, has: (key) => get(key) !== undefined };
    } else {
      index = new Map(items.map((x, i) => [x.key, i]));
    }
    keyIndexes.set(items, index);
  }
  return index;
}

function MixBuilder({ items }: { readonly items: readonly ExploreItem[] }) {
  const titleId = useId();
  const [parts, setParts] = useState<string[]>(['', '', '']);
  const addMixture = useAppStore((s) => s.addMixture);
  const chosen = parts.filter((p) => p !== '');
  const dataItems = useAppStore((s) => s.items);
  const valid = keyIndex(dataItems, items);
  const ready =
    chosen.length >= 2 &&
    new Set(chosen).size === chosen.length &&
    chosen.every((p) => valid.has(p));
  const names = ['First item', 'Second item', 'Third item (optional)'];
  return (
    <section className="compare-panel" aria-labelledby={titleId}>
      <h3 id={titleId}>Mix items</h3>
      <p className="muted">
        A mixture is the normalised mean of the items&apos; embeddings, encoded on the map like any
        item: what does “cat + pyramid” look like as an SDR?
      </p>
      <div className="compare-mix">
        {names.slice(0, MAX_MIX_PARTS).map((name, slot) => (
          <ExploreItemPicker
            key={name}
            label={name}
            items={items}
            value={valid.has(parts[slot]) ? parts[slot] : ''}
            emptyText={slot < 2 ? 'Choose…' : 'None'}
            exclude={parts.filter((p, j) => j !== slot && p !== '')}
            onChange={(key) => setParts((ps) => ps.map((p, j) => (j === slot ? key : p)))}
          />
        ))}
        <button
          type="button"
          disabled={!ready}
          onClick={() => {
            if (addMixture(chosen)) setParts(['', '', '']);
          }}
        >
          Mix
        </button>
      </div>
    </section>
  );
}

export function CompareView() {
  const view = useScoredItems();
  const compareKeys = useAppStore((s) => s.compareKeys);
  const selectedIds = useAppStore((s) => s.selectedItemIds);
  const addCompareKey = useAppStore((s) => s.addCompareKey);
  const setCompareKeys = useAppStore((s) => s.setCompareKeys);
  const [adding, setAdding] = useState('');
  const { map, scores, items } = view;
  const umatrix = useMemo(() => (map ? mapUMatrix(map.som) : null), [map]);
  const domain = useMemo<[number, number] | null>(
    () => (umatrix ? (underlayDomain(umatrix) ?? [0, 1]) : null),
    [umatrix],
  );
  const dataItems = useAppStore((s) => s.items);
  const indexOf = keyIndex(dataItems, items);
  const shown = compareKeys.filter((key) => indexOf.has(key));

  if (!map || !umatrix || !domain || view.status === 'other-dimension') {
    return (
      <div className="compare-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const firstIndex = shown.length > 0 ? indexOf.get(shown[0])! : -1;
  const first =
    scores && firstIndex >= 0
      ? { active: scoredSdr(scores, firstIndex).active, label: items[firstIndex].label }
      : null;
  const selectable = selectedIds.filter((id) => indexOf.has(id));

  return (
    <div className="compare-view">
      <div className="compare-top">
        <section className="compare-panel" aria-label="Items to compare">
          <h3>Items side by side</h3>
          <div className="compare-add">
            <ExploreItemPicker
              label="Add an item"
              items={items}
              value={adding}
              emptyText="Choose…"
              exclude={shown}
              onChange={setAdding}
            />
            <button
              type="button"
              disabled={adding === '' || shown.length >= MAX_COMPARE}
              onClick={() => {
                addCompareKey(adding);
                setAdding('');
              }}
            >
              Add
            </button>
            {selectable.length >= 2 && (
              <button type="button" onClick={() => setCompareKeys(selectable)}>
                Compare the {Math.min(selectable.length, MAX_COMPARE)} selected items
              </button>
            )}
          </div>
          <KSlider />
          <p className="muted">
            {shown.length} of at most {MAX_COMPARE} items. Blue cells: the item&apos;s active units;
            ringed: its best-matching unit.
          </p>
        </section>
        <MixBuilder items={items} />
      </div>

      <ExploreStatus view={view} />
      {shown.length === 0 ? (
        <p className="explore-status">
          Pick two to six items above (or mix some) to see their SDRs side by side.
        </p>
      ) : (
        scores && (
          <ul className="compare-cards" aria-label="Compared items">
            {shown.map((key, r) => (
              <CompareCard
                key={key}
                item={items[indexOf.get(key)!]}
                index={indexOf.get(key)!}
                scores={scores}
                grid={map.som.grid}
                umatrix={umatrix}
                domain={domain}
                reference={view.singleClusters}
                first={r === 0 ? null : first}
              />
            ))}
          </ul>
        )
      )}
      {shown.length > 0 && (
        <Legend title="U-matrix distance" domain={domain} scheme="greys" sdrName="active unit" />
      )}
      <aside className="compare-notes" aria-label="How to read these numbers">
        <h3>How to read these numbers</h3>
        <ul>
          {READING_NOTES.map((note) => (
            <li key={note}>{note}</li>
          ))}
          {view.singleClusters && view.singleClusters.length > 0 && (
            <li>
              Here, your {view.singleClusters.length} single items spread over{' '}
              {meanOf(view.singleClusters).toFixed(1)} clusters on average at K = {scores?.k}
              {map.calibration
                ? `; novelty percentiles compare with the map's ${map.calibration.qe.length} training inputs.`
                : '.'}
            </li>
          )}
        </ul>
      </aside>
    </div>
  );
}

function meanOf(values: Uint16Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length > 0 ? s / values.length : NaN;
}
