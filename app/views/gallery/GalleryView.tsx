/**
 * Galleries. Per unit: click (or hover) a unit and see the dataset items whose SDR contains it,
 * ranked by cosine to the unit's codebook row, with the unit's activation density (share of
 * items that have it active). Per label: the mean SDR of each label's items as a small map,
 * like the CIFAR-10 figure of the SDR literature.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { useCallback, useMemo, useState } from 'react';
import { GridCanvas, Legend, SdrThumb } from '../../components/grid/index.ts';
import { useAppStore } from '../../store/index.ts';
import { useSelectedUnit, useUnitLabels } from '../../store/hooks.ts';
import { useScoredItems } from '../compare/useScoredItems.ts';
import { ExploreStatus } from '../item/ExploreStatus.tsx';
import { ItemPreview } from '../item/ItemPreview.tsx';
import { KSlider } from '../../components/KSlider.tsx';
import { VirtualGrid } from '../../components/VirtualGrid.tsx';
import { countLabels, labelMeans } from './labelMeans.ts';
import { activationDensity, rankMembers, unitMembers } from './unitGallery.ts';
import './gallery.css';
import { gridSize } from '../../../src/index.ts';

/** A gallery tile's size, px: narrowest width (8.5rem) and height (gallery.css draws it to fit). */
const TILE_MIN_WIDTH = 136;
const TILE_HEIGHT = 150;
/** Label maps shown at first and per "Show more" (each is a small canvas). */
const MEANS_PAGE = 48;

function percent(x: number): string {
  return `${(100 * x).toFixed(x >= 0.1 ? 0 : 1)}%`;
}

export function GalleryView() {
  const view = useScoredItems();
  const unitLabels = useUnitLabels();
  const selectedUnit = useSelectedUnit();
  const selectUnit = useAppStore((s) => s.selectUnit);
  const inspectItem = useAppStore((s) => s.inspectItem);
  const embeddings = useAppStore((s) => s.embeddings);
  const [meansLimit, setMeansLimit] = useState(MEANS_PAGE);
  const { map, scores, items } = view;

  // Dataset items only: they come first in the scored list; mixtures are not "the dataset".
  const nData = useMemo(() => items.filter((x) => x.datasetIndex !== null).length, [items]);
  const members = useMemo(
    () =>
      map && scores && nData > 0
        ? unitMembers(scores.active, nData, scores.k, gridSize(map.som.grid))
        : null,
    [map, scores, nData],
  );
  const density = useMemo(() => (members ? activationDensity(members) : null), [members]);
  // The underlay in percent, so the map's own tooltip line reads "% of your items: 33.3".
  const densityPercent = useMemo(
    () => (density ? Float32Array.from(density, (v) => 100 * v) : null),
    [density],
  );
  const labels = useMemo(() => items.map((x) => x.label), [items]);
  const labelCount = useMemo(() => countLabels(labels, nData), [labels, nData]);
  // Only the label maps on show are summed (100,000 distinct labels would not fit in memory).
  const means = useMemo(
    () =>
      map && scores && nData > 0
        ? labelMeans(
            scores.active,
            nData,
            scores.k,
            gridSize(map.som.grid),
            labels,
            () => true,
            meansLimit,
          )
        : [],
    [map, scores, nData, labels, meansLimit],
  );
  const rank = useCallback(
    (unit: number, limit: number) =>
      map && members
        ? rankMembers(members, unit, map.som.codebook, embeddings, map.som.dim, limit)
        : null,
    [map, members, embeddings],
  );
  const tooltipExtra = useCallback(
    (unit: number): string[] => {
      const top = rank(unit, 3);
      if (!top || top.index.length === 0) return ['no item has it active'];
      return [`top: ${Array.from(top.index, (i) => items[i].label).join(', ')}`];
    },
    [rank, items],
  );

  // Every item with the selected unit active, ranked (a few thousand on a large map: cheap);
  // the gallery's list draws only the tiles in view.
  const rankedAll = useMemo(
    () =>
      map && members && selectedUnit !== null && selectedUnit < gridSize(map.som.grid)
        ? rank(selectedUnit, Math.max(1, members.items.length))
        : null,
    [map, members, selectedUnit, rank],
  );

  if (!map || !scores || !density || !densityPercent || !members) {
    return (
      <div className="gallery-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const { grid } = map.som;
  const unit = selectedUnit !== null && selectedUnit < gridSize(grid) ? selectedUnit : null;
  const ranked = unit !== null ? rankedAll : null;
  const maxPercent = densityPercent.reduce((a, b) => Math.max(a, b), 0);
  const domain: [number, number] = [0, maxPercent > 0 ? maxPercent : 100];
  const unitLabel = unit !== null ? unitLabels?.[unit] : undefined;
  const datasetItems = items.slice(0, nData);

  return (
    <div className="gallery-view">
      <div className="explore-toolbar">
        <KSlider />
        <span className="muted">
          {nData} items at K = {scores.k}
        </span>
      </div>

      <section className="gallery-section" aria-labelledby="unit-gallery-title">
        <h3 id="unit-gallery-title">Top-activating items per unit</h3>
        <div className="gallery-units">
          <div className="gallery-map">
            <GridCanvas
              grid={grid}
              values={densityPercent}
              domain={domain}
              scheme="magma"
              valueLabel="% of your items with it active"
              labels={unitLabels}
              showLabels={false}
              selectedUnit={unit}
              onUnitClick={(u) => selectUnit(u === unit ? null : u)}
              tooltipExtra={tooltipExtra}
              ariaLabel={`Activation density of ${gridSize(grid)} units over your ${nData} items; click a unit (or press Enter on it) for its gallery`}
            />
            <Legend
              title="Activation density"
              domain={domain}
              scheme="magma"
              format={(v) => `${v.toFixed(v >= 10 ? 0 : 1)}%`}
              lowNote="never active"
              highNote="active most often"
            />
          </div>
          <div className="gallery-list" aria-live="polite">
            {unit === null || !ranked ? (
              <p className="muted">
                Click a unit on the map (or focus the map and press Enter) to see the items that
                have it active. Hover a unit for a preview.
              </p>
            ) : (
              <>
                <h4 className="gallery-unit-title" data-testid="gallery-unit">
                  Unit {unit} (row {Math.floor(unit / grid.cols)}, column {unit % grid.cols})
                  {unitLabel ? `: ${unitLabel}` : ''}
                </h4>
                <p className="gallery-density">
                  Active in <strong data-testid="gallery-density">{percent(density[unit])}</strong>{' '}
                  of your items ({ranked.total} of {nData}). Ranked by cosine to the unit&apos;s
                  weights.
                </p>
                {ranked.total === 0 ? (
                  <p className="muted">
                    None of your items has this unit among its {scores.k} active units.
                  </p>
                ) : (
                  <VirtualGrid
                    ordered
                    count={ranked.index.length}
                    minCellWidth={TILE_MIN_WIDTH}
                    rowHeight={TILE_HEIGHT}
                    ariaLabel={`Items with unit ${unit} active`}
                    scrollLabel={`All ${ranked.total} items with unit ${unit} active (scroll to see more)`}
                    className="gallery-tiles"
                    resetKey={unit}
                    renderCell={(r, cell) => {
                      const item = datasetItems[ranked.index[r]];
                      return (
                        <li key={item.key} className="gallery-tile" {...cell}>
                          <button
                            type="button"
                            className="gallery-tile-button"
                            onClick={() => inspectItem(item.key)}
                            aria-label={`${item.label}, cosine ${ranked.cosine[r].toFixed(2)}: open in the Item view`}
                          >
                            <ItemPreview item={item} />
                            {item.kind !== 'text' && (
                              <span className="gallery-tile-label" title={item.label}>
                                {displayLabel(item.label)}
                              </span>
                            )}
                            <span className="gallery-tile-score">
                              cos {ranked.cosine[r].toFixed(2)}
                            </span>
                          </button>
                        </li>
                      );
                    }}
                  />
                )}
              </>
            )}
          </div>
        </div>
      </section>

      <section className="gallery-section" aria-labelledby="label-means-title">
        <h3 id="label-means-title">Mean SDR per label</h3>
        <p className="muted">
          Each small map is the average of one label&apos;s SDRs: a unit&apos;s brightness is the
          share of that label&apos;s items with it active (dark 0%, bright 100%). Labels with many
          items come first.
        </p>
        <ul className="gallery-means" aria-label="Mean SDR per label">
          {means.map((x) => (
            <li key={x.label}>
              <SdrThumb
                grid={grid}
                values={x.mean}
                domain={[0, 1]}
                scheme="magma"
                size={112}
                label={`Mean SDR of '${x.label}' over ${x.count} item${x.count === 1 ? '' : 's'}; busiest unit active in ${percent(x.peak)}`}
                caption={`${displayLabel(x.label)} (${x.count})`}
              />
            </li>
          ))}
        </ul>
        {labelCount > means.length && (
          <button type="button" onClick={() => setMeansLimit((l) => l + MEANS_PAGE)}>
            Show {Math.min(MEANS_PAGE, labelCount - means.length)} more ({labelCount - means.length}{' '}
            of {labelCount} labels left)
          </button>
        )}
      </section>
    </div>
  );
}
