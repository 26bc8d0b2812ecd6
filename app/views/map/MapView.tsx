/**
 * The Map view: the current map drawn with a U-matrix or hit-count underlay, unit labels, the
 * selected item's SDR on top, a live K slider, a legend, the map's figures, unit details on
 * hover and click, and the training panel.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { GridCanvas, Legend, formatValue, underlayDomain } from '../../components/grid/index.ts';
import { gridSize } from '../../../src/index.ts';
import { mapUMatrix } from '../../lib/mapUMatrix.ts';
import { useAppStore } from '../../store/index.ts';
import { describeMapSource, readSelectedItemIndex } from '../../store/mapSlice.ts';
import {
  useCurrentMap,
  useHitCounts,
  useItemSdr,
  useMapK,
  useMapSource,
  useSelectedUnit,
  useUnitLabels,
} from '../../store/hooks.ts';
import { KSlider } from '../../components/KSlider.tsx';
import { BuiltinAtlasStatus } from './BuiltinAtlasStatus.tsx';
import { describeMapModel } from '../../lib/builtinAtlas.ts';
import { MapItemSearch } from './MapItemSearch.tsx';
import { TrainPanel } from './TrainPanel.tsx';
import { LiveMap, useLiveMapShown } from './LiveMap.tsx';
import { createUnitItemLookup } from './unitItems.ts';
import { summariseLabels } from './summariseLabels.ts';
import { labelsClearOfSdr } from './labelsClearOfSdr.ts';
import { useFitBelowFold } from './useFitBelowFold.ts';
import './map.css';

type Underlay = 'umatrix' | 'hits' | 'none';

const UNDERLAYS: readonly { id: Underlay; label: string }[] = [
  { id: 'umatrix', label: 'U-matrix' },
  { id: 'hits', label: 'Hit counts' },
  { id: 'none', label: 'None' },
];

function MapFacts() {
  const map = useCurrentMap();
  const source = useMapSource();
  const encoding = useAppStore(
    useShallow((s) => ({
      status: s.encodingStatus,
      n: s.encoding?.n ?? 0,
      items: s.items.length,
      dim: s.embeddingDim,
    })),
  );
  if (!map) return null;
  const { grid } = map.som;
  return (
    <dl className="map-facts" aria-label="About this map">
      <div>
        <dt>Map</dt>
        <dd className="map-name">{map.name}</dd>
      </div>
      <div>
        <dt>Source</dt>
        <dd>{describeMapSource(source)}</dd>
      </div>
      <div>
        <dt title="The model whose embeddings the map was trained on">Model</dt>
        <dd className="map-model">
          {describeMapModel(map, source?.kind === 'builtin') ?? 'not recorded'}
        </dd>
      </div>
      <div>
        <dt>Grid</dt>
        <dd>
          {grid.rows}×{grid.cols} {grid.topology === 'hex' ? 'hexagonal' : 'square'} · {map.som.dim}
          -d
        </dd>
      </div>
      <div>
        <dt title="Quantisation error after training (final pass): mean distance from each training input to its best unit">
          Final QE
        </dt>
        <dd>{map.quality.quantizationError.toFixed(3)}</dd>
      </div>
      <div>
        <dt title="Topographic error after training (final pass): share of training inputs whose two best units are not neighbours">
          Final TE
        </dt>
        <dd>{map.quality.topographicError.toFixed(3)}</dd>
      </div>
      <div>
        <dt>Trained on</dt>
        <dd>
          {map.training.inputs} inputs, {map.training.epochs} epochs
        </dd>
      </div>
      <div>
        <dt>Your data</dt>
        <dd>
          {encoding.items > 0 && encoding.dim !== map.som.dim
            ? `${encoding.items} items of dimension ${encoding.dim}: they do not fit this ${map.som.dim}-d map`
            : encoding.status === 'encoding'
              ? 'encoding…'
              : encoding.n > 0
                ? `${encoding.n} items encoded`
                : 'no items yet'}
        </dd>
      </div>
    </dl>
  );
}

export function MapView() {
  const map = useCurrentMap();
  const labels = useUnitLabels();
  const selectedUnit = useSelectedUnit();
  const selectUnit = useAppStore((s) => s.selectUnit);
  const k = useMapK();
  const hits = useHitCounts();
  const [underlay, setUnderlay] = useState<Underlay>('umatrix');
  const [showLabels, setShowLabels] = useState(true);
  const itemIndex = useAppStore(readSelectedItemIndex);
  const itemLabel = useAppStore((s) =>
    itemIndex === null ? null : s.items[itemIndex] ? displayLabel(s.items[itemIndex].label) : null,
  );
  const sdr = useItemSdr(itemIndex);
  const items = useAppStore((s) => s.items);
  const embeddings = useAppStore((s) => s.embeddings);
  const labelWithVocabulary = useAppStore((s) => s.labelMapWithVocabulary);
  const vocabularySize = useAppStore((s) =>
    s.vocabulary && s.vocabulary.dim === map?.som.dim ? s.vocabulary.concepts.length : 0,
  );
  const source = useMapSource();
  // The atlas is named after the concepts already; other maps can be.
  const canNameUnits = vocabularySize > 0 && source?.kind !== 'builtin';
  const underlayGroup = useId();
  // The picture first: the map is sized to end above the fold.
  const canvasRef = useRef<HTMLDivElement>(null);
  const fitSide = useFitBelowFold(canvasRef, map !== null);
  const live = useLiveMapShown();

  const umatrix = useMemo(() => (map ? mapUMatrix(map.som) : null), [map]);
  const values = underlay === 'umatrix' ? umatrix : underlay === 'hits' ? hits : null;
  const domain = useMemo(() => (values ? underlayDomain(values) : null), [values]);

  const topItems = useMemo(() => {
    if (!map || embeddings.length === 0 || embeddings.length % map.som.dim !== 0) return null;
    return createUnitItemLookup(
      map.som,
      embeddings,
      items.map((item) => displayLabel(item.label)),
    );
  }, [map, embeddings, items]);

  // Labels drawn over the selected item's SDR would hide its cells: leave those out.
  const shownLabels = useMemo(
    () => (labels && map && sdr ? labelsClearOfSdr(labels, map.som.grid, sdr.active) : labels),
    [labels, map, sdr],
  );

  const tooltipExtra = useCallback(
    (unit: number): string[] => {
      const lines: string[] = [];
      // A label left off the picture still names the unit in its tooltip.
      if (labels?.[unit] && !shownLabels?.[unit]) lines.push(labels[unit]);
      if (hits) lines.push(`hits: ${hits[unit]}`);
      const top = topItems?.(unit) ?? [];
      if (top.length > 0) lines.push(`nearest items: ${top.map((t) => t.label).join(', ')}`);
      return lines;
    },
    [hits, topItems, labels, shownLabels],
  );

  if (!map) {
    return (
      <div className="map-view map-empty">
        <BuiltinAtlasStatus />
        {live ? (
          <LiveMap />
        ) : (
          <p className="muted">
            The map appears here: the built-in concept atlas, or a map you train on your own data
            below.
          </p>
        )}
        <TrainPanel />
      </div>
    );
  }

  const { grid } = map.som;
  const m = gridSize(grid);
  const scheme = underlay === 'hits' ? 'magma' : 'viridis';
  const valueLabel =
    underlay === 'umatrix' ? 'U-matrix distance' : underlay === 'hits' ? 'hits' : undefined;
  const unitTop = selectedUnit !== null ? (topItems?.(selectedUnit) ?? []) : [];

  return (
    <div className="map-view">
      <div className="map-toolbar">
        <fieldset className="underlay-choice">
          <legend>Underlay</legend>
          {UNDERLAYS.map((u) => (
            <label key={u.id}>
              <input
                type="radio"
                name={underlayGroup}
                value={u.id}
                checked={underlay === u.id}
                onChange={() => setUnderlay(u.id)}
              />
              {u.label}
            </label>
          ))}
        </fieldset>
        <label className="label-toggle">
          <input
            type="checkbox"
            checked={showLabels}
            onChange={(e) => setShowLabels(e.target.checked)}
          />
          Unit labels
        </label>
        <KSlider />
        <MapItemSearch />
      </div>
      <div className="map-body">
        <div className="map-main">
          {live && <LiveMap />}
          <div
            className="map-canvas"
            ref={canvasRef}
            hidden={live}
            style={fitSide !== null ? { maxWidth: `min(100%, ${fitSide}px)` } : undefined}
          >
            <GridCanvas
              grid={grid}
              values={values}
              domain={domain}
              scheme={scheme}
              sdr={sdr?.active ?? null}
              sdrName={itemLabel ?? undefined}
              valueLabel={valueLabel}
              labels={shownLabels}
              showLabels={showLabels}
              labelPriority={hits}
              selectedUnit={selectedUnit}
              onUnitClick={(unit) => selectUnit(unit === selectedUnit ? null : unit)}
              tooltipExtra={tooltipExtra}
            />
          </div>
          <TrainPanel />
        </div>
        <aside className="map-side" aria-label="Map details">
          <MapFacts />
          <Legend
            title={valueLabel}
            domain={values ? domain : null}
            scheme={scheme}
            lowNote={
              underlay === 'umatrix'
                ? 'like its neighbours'
                : underlay === 'hits'
                  ? 'no items'
                  : undefined
            }
            highNote={
              underlay === 'umatrix'
                ? 'region border'
                : underlay === 'hits'
                  ? 'many items'
                  : undefined
            }
            sdrName={itemLabel ?? undefined}
          />
          <section className="map-card" aria-labelledby="selected-item-title">
            <h3 id="selected-item-title">Selected item</h3>
            {itemLabel === null ? (
              <p className="muted">
                Find an item above (or select one in the data list) to see its SDR on the map.
              </p>
            ) : (
              <p>
                <strong>{itemLabel}</strong>:{' '}
                <span data-testid="item-sdr-count">{sdr?.active.length ?? 0}</span> of {m} units
                active (K = {k})
                {sdr && labels && (
                  <span className="muted"> · around {summariseLabels(sdr.active, labels)}</span>
                )}
              </p>
            )}
          </section>
          <section className="map-card" aria-labelledby="selected-unit-title">
            <h3 id="selected-unit-title">Selected unit</h3>
            {selectedUnit === null ? (
              <p className="muted">Click a unit (or press Enter on it) to pin its details.</p>
            ) : (
              <>
                <p>
                  Unit {selectedUnit} (row {Math.floor(selectedUnit / grid.cols)}, column{' '}
                  {selectedUnit % grid.cols})
                  {labels && (
                    <>
                      : <strong>{labels[selectedUnit]}</strong>
                    </>
                  )}
                </p>
                <p className="muted">
                  {hits ? `${hits[selectedUnit]} of your items have it as their best unit. ` : ''}
                  {values && valueLabel
                    ? `${valueLabel}: ${formatValue(values[selectedUnit])}.`
                    : ''}
                </p>
                {unitTop.length > 0 && (
                  <>
                    <h4 className="unit-items-title">Nearest of your items</h4>
                    <ol className="unit-items">
                      {unitTop.map((t) => (
                        <li key={t.index}>
                          {t.label} <span className="muted">cosine {t.cosine.toFixed(2)}</span>
                        </li>
                      ))}
                    </ol>
                  </>
                )}
              </>
            )}
          </section>
          {canNameUnits && (
            <section className="map-card" aria-labelledby="name-units-title">
              <h3 id="name-units-title">Unit names</h3>
              <p className="muted">
                Name every unit after the nearest of the {vocabularySize} built-in concepts.
              </p>
              <button type="button" onClick={() => void labelWithVocabulary()}>
                Name units after concepts
              </button>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}
