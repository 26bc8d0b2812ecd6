/**
 * The Item view: any item's SDR as a heatmap over a faint U-matrix, live with the K slider,
 * its scores in words (distance to the best unit, novelty percentile, dispersion, clusters),
 * the picture as PNG or SVG, and SDRs (this item, the selected items, or all) as JSON, CSV or
 * .npy.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  GridCanvas,
  Legend,
  downloadBlob,
  svgBlob,
  underlayDomain,
  type GridCanvasHandle,
  type PictureExtras,
} from '../../components/grid/index.ts';
import { KSlider } from '../../components/KSlider.tsx';
import { useAppStore } from '../../store/index.ts';
import { describeMapSource } from '../../store/mapSlice.ts';
import { useMapSource, useUnitLabels } from '../../store/hooks.ts';
import {
  SDR_EXPORT_FORMATS,
  sdrExportBlob,
  sdrExportFileName,
  type SdrExportFormat,
  type SdrExportRows,
} from '../../lib/exportSdr.ts';
import { summariseLabels } from '../map/summariseLabels.ts';
import { exploreRow } from '../../store/exploreItems.ts';
import { useScoredItems, type ScoredView } from '../compare/useScoredItems.ts';
import { dispersionPhrase, floorPercent, noveltyPhrase, spreadLine } from '../compare/wording.ts';
import { scoreItem, type ItemScores } from './itemScores.ts';
import { ExploreStatus } from './ExploreStatus.tsx';
import { ExploreItemPicker } from './ExploreItemPicker.tsx';
import { ItemPreview } from './ItemPreview.tsx';
import './item.css';
import { gridSize } from '../../../src/index.ts';
import { mapUMatrix } from '../../lib/mapUMatrix.ts';
import { errorMessage } from '../../../src/index.ts';

type ExportScope = 'item' | 'selected' | 'all';

/** The Item view's item: the one asked for, else the last selected, else the first. */
function useItemKey(view: ScoredView): string | null {
  const { inspectKey, lastSelected } = useAppStore(
    useShallow((s) => ({
      inspectKey: s.inspectKey,
      lastSelected: s.selectedItemIds.at(-1) ?? null,
    })),
  );
  const keys = view.items.map((x) => x.key);
  if (inspectKey !== null && keys.includes(inspectKey)) return inspectKey;
  if (lastSelected !== null && keys.includes(lastSelected)) return lastSelected;
  return keys[0] ?? null;
}

function Scores({
  scores,
  view,
  m,
}: {
  readonly scores: ItemScores;
  readonly view: ScoredView;
  readonly m: number;
}) {
  const labels = useUnitLabels();
  const k = scores.active.length;
  const about = labels ? summariseLabels(scores.active, labels) : '';
  const bestLabel = labels?.[scores.bestUnit];
  return (
    <dl className="item-scores">
      <div>
        <dt>Active units</dt>
        <dd>
          <span data-testid="item-active-count">{k}</span> of {m} ({((100 * k) / m).toFixed(1)}%)
          {about && <span className="muted"> · around {about}</span>}
        </dd>
      </div>
      <div>
        <dt title="Quantisation error: Euclidean distance from the item's embedding to its best-matching unit">
          Distance to best unit
        </dt>
        <dd>
          {scores.qe.toFixed(3)}{' '}
          <span className="muted">
            (unit {scores.bestUnit}
            {bestLabel ? `: ${bestLabel}` : ''})
          </span>
        </dd>
      </div>
      <div>
        <dt>Novelty</dt>
        <dd data-testid="item-novelty">
          {noveltyPhrase(scores.novelty)}
          {Number.isFinite(scores.novelty) && (
            <span className="muted"> (QE percentile {scores.novelty.toFixed(1)})</span>
          )}
        </dd>
      </div>
      <div>
        <dt title="Mean distance between active units, relative to a random SDR of the same size">
          Dispersion
        </dt>
        <dd>
          {dispersionPhrase(scores.dispersion)}
          {Number.isFinite(scores.dispersionPercentile) && (
            <span className="muted">
              {' '}
              · more scattered than {floorPercent(scores.dispersionPercentile)} of training inputs
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Clusters</dt>
        <dd>
          {scores.clusters}{' '}
          <span className="muted">
            (largest {scores.largestCluster} units, radius {scores.radius.toFixed(1)} cells)
          </span>
          <div className="item-words">{spreadLine(scores.clusters, view.singleClusters)}</div>
        </dd>
      </div>
    </dl>
  );
}

function SdrExport({
  view,
  itemKey,
  itemScores,
}: {
  readonly view: ScoredView;
  readonly itemKey: string;
  readonly itemScores: ItemScores;
}) {
  const group = useId();
  const [scope, setScope] = useState<ExportScope>('item');
  const notify = useAppStore((s) => s.notify);
  const selectedIds = useAppStore((s) => s.selectedItemIds);
  const { map, items, scores } = view;
  const selected = items.filter((x) => selectedIds.includes(x.key));
  const counts: Record<ExportScope, number> = {
    item: 1,
    selected: selected.length,
    all: items.length,
  };
  const item = items.find((x) => x.key === itemKey);
  const needsAll = scope !== 'item';
  const ready = !needsAll || scores !== null;
  const disabled = !map || !item || counts[scope] === 0 || !ready;

  const rowsFor = (): SdrExportRows | null => {
    if (!map || !item) return null;
    const base = { grid: map.som.grid, mapName: map.name };
    if (scope === 'item') {
      return {
        ...base,
        k: itemScores.active.length,
        active: itemScores.active,
        labels: [item.label],
        kinds: [item.kind],
      };
    }
    if (!scores) return null;
    const chosen = scope === 'all' ? items : selected;
    const index = new Map(items.map((x, i) => [x.key, i]));
    const k = scores.k;
    const active = new Uint32Array(chosen.length * k);
    chosen.forEach((x, r) => {
      const i = index.get(x.key)!;
      active.set(scores.active.subarray(i * k, (i + 1) * k), r * k);
    });
    return {
      ...base,
      k,
      active,
      labels: chosen.map((x) => x.label),
      kinds: chosen.map((x) => x.kind),
    };
  };

  const download = (format: SdrExportFormat) => {
    try {
      const rows = rowsFor();
      if (!rows) return;
      const stem =
        scope === 'item' ? item!.label : scope === 'selected' ? 'selected-items' : 'all-items';
      downloadBlob(sdrExportBlob(rows, format), sdrExportFileName(stem, rows.k, format));
    } catch (error) {
      notify('error', `Could not export the SDRs: ${errorMessage(error)}`);
    }
  };

  return (
    <section className="explore-card" aria-labelledby={`${group}-title`}>
      <h3 id={`${group}-title`}>Export SDRs</h3>
      <fieldset className="item-scope">
        <legend className="muted">Which items</legend>
        {(
          [
            ['item', 'This item'],
            ['selected', `Selected items (${counts.selected})`],
            ['all', `All items (${counts.all})`],
          ] as const
        ).map(([id, text]) => (
          <label key={id}>
            <input
              type="radio"
              name={group}
              value={id}
              checked={scope === id}
              onChange={() => setScope(id)}
            />
            {text}
          </label>
        ))}
      </fieldset>
      <div className="explore-buttons">
        {SDR_EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" disabled={disabled} onClick={() => download(f)}>
            {f === 'npy' ? '.npy' : f.toUpperCase()}
          </button>
        ))}
      </div>
      <p className="muted">
        {!ready
          ? 'Waiting for your items to be encoded at this K…'
          : 'Unit indices per item (row-major: unit = row × columns + column); JSON also holds the grid, K and labels.'}
      </p>
    </section>
  );
}

export function ItemView() {
  const view = useScoredItems();
  const itemKey = useItemKey(view);
  const source = useAppStore(
    useShallow((s) => ({
      items: s.items,
      embeddings: s.embeddings,
      embeddingDim: s.embeddingDim,
      mixtures: s.mixtures,
    })),
  );
  const k = useAppStore((s) => s.k);
  const inspectItem = useAppStore((s) => s.inspectItem);
  const notify = useAppStore((s) => s.notify);
  const labels = useUnitLabels();
  const mapSource = useMapSource();
  const [showLabels, setShowLabels] = useState(false);
  const canvas = useRef<GridCanvasHandle>(null);
  const { map } = view;

  const umatrix = useMemo(() => (map ? mapUMatrix(map.som) : null), [map]);
  const domain = useMemo<[number, number] | null>(
    () => (umatrix ? (underlayDomain(umatrix) ?? [0, 1]) : null),
    [umatrix],
  );
  const row = useMemo(
    () => (itemKey === null ? null : exploreRow(source, itemKey)),
    [source, itemKey],
  );
  const scores = useMemo(() => {
    if (!map || !row || row.length !== map.som.dim) return null;
    return scoreItem(map, row, k);
  }, [map, row, k]);
  const item = view.items.find((x) => x.key === itemKey) ?? null;

  if (!map || !item || !scores || view.status === 'other-dimension') {
    return (
      <div className="item-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const { grid } = map.som;
  const m = gridSize(grid);
  const shownLabel = displayLabel(item.label);
  const exportPicture = async (kind: 'png' | 'svg') => {
    const handle = canvas.current;
    if (!handle) return;
    const name = sdrExportFileName(item.label, k, 'json').replace(/\.json$/, `.${kind}`);
    // As on screen: the item's name above, the legend below, unit labels and the ringed best
    // unit on the grid (labels always: a picture on a slide has no hover to name its regions).
    const extras: PictureExtras = {
      title: `SDR of '${shownLabel}' at K = ${k}`,
      heading: `${shownLabel} · K = ${k} of ${m} units · ${map.name}`,
      legend: {
        title: 'U-matrix distance',
        domain,
        scheme: 'greys',
        lowNote: 'like its neighbours',
        highNote: 'region border',
        sdrName: `${shownLabel} (active units)`,
        markerName: 'best-matching unit',
      },
      marker: scores.bestUnit,
      showLabels: labels !== null,
    };
    try {
      if (kind === 'png') downloadBlob(await handle.toPng(2, extras), name);
      else downloadBlob(svgBlob(handle.toSvg(extras)), name);
    } catch (error) {
      notify('error', `Could not export the picture: ${errorMessage(error)}`);
    }
  };

  return (
    <div className="item-view">
      <div className="explore-toolbar">
        <ExploreItemPicker
          label="Item"
          items={view.items}
          value={item.key}
          onChange={(key) => key && inspectItem(key)}
        />
        <KSlider />
        <label className="explore-toggle">
          <input
            type="checkbox"
            checked={showLabels}
            onChange={(e) => setShowLabels(e.target.checked)}
          />
          Unit labels
        </label>
      </div>
      <div className="item-body">
        <div className="item-main">
          <div className="item-canvas">
            <GridCanvas
              ref={canvas}
              grid={grid}
              values={umatrix}
              domain={domain}
              scheme="greys"
              sdr={scores.active}
              sdrName={shownLabel}
              valueLabel="U-matrix distance"
              labels={labels}
              showLabels={showLabels}
              selectedUnit={scores.bestUnit}
            />
          </div>
          <Legend
            title="U-matrix distance"
            domain={domain}
            scheme="greys"
            lowNote="like its neighbours"
            highNote="region border"
            sdrName={shownLabel}
          />
          <div className="explore-buttons">
            <button type="button" onClick={() => void exportPicture('png')}>
              Download PNG
            </button>
            <button type="button" onClick={() => void exportPicture('svg')}>
              Download SVG
            </button>
            <span className="muted">
              Ringed: the best-matching unit by the rule the map was trained with (Euclidean
              distance); the SDR&apos;s units are the K most similar by cosine, so far from the map
              the two can differ. Map: {map.name} ({describeMapSource(mapSource)}).
            </span>
          </div>
        </div>
        <aside className="item-side" aria-label="About this item">
          <section className="explore-card" aria-label={`${item.kind} item`}>
            <h3 className="item-title" title={item.label}>
              {shownLabel}
            </h3>
            <ItemPreview item={item} size="large" />
          </section>
          <section className="explore-card" aria-label="Scores">
            <h3>Scores at K = {k}</h3>
            <Scores scores={scores} view={view} m={m} />
          </section>
          <SdrExport view={view} itemKey={item.key} itemScores={scores} />
        </aside>
      </div>
    </div>
  );
}
