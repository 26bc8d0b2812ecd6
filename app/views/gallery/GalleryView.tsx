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
import { labelMeans } from './labelMeans.ts';
import { activationDensity, rankMembers, unitMembers } from './unitGallery.ts';
import './gallery.css';
import { gridSize } from '../../../src/index.ts';

/** Items shown per unit before "Show more". */
const GALLERY_PAGE = 24;
/** Label maps shown before "Show all". */
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
  const [galleryLimit, setGalleryLimit] = useState(GALLERY_PAGE);
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
  const means = useMemo(
    () =>
      map && scores && nData > 0
        ? labelMeans(
            scores.active,
            nData,
            scores.k,
            gridSize(map.som.grid),
            items.map((x) => x.label),
          )
        : [],
    [map, scores, nData, items],
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

  if (!map || !scores || !density || !densityPercent || !members) {
    return (
      <div className="gallery-view">
        <ExploreStatus view={view} />
      </div>
    );
  }

  const { grid } = map.som;
  const unit = selectedUnit !== null && selectedUnit < gridSize(grid) ? selectedUnit : null;
  const ranked = unit !== null ? rank(unit, galleryLimit) : null;
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
              onUnitClick={(u) => {
                setGalleryLimit(GALLERY_PAGE);
                selectUnit(u === unit ? null : u);
              }}
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
                  <ol className="gallery-tiles" aria-label={`Items with unit ${unit} active`}>
                    {Array.from(ranked.index, (i, r) => {
                      const item = datasetItems[i];
                      return (
                        <li key={item.key} className="gallery-tile">
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
                    })}
                  </ol>
                )}
                {ranked.total > ranked.index.length && (
                  <button type="button" onClick={() => setGalleryLimit((l) => l + GALLERY_PAGE)}>
                    Show more ({ranked.total - ranked.index.length} left)
                  </button>
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
          {means.slice(0, meansLimit).map((x) => (
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
        {means.length > meansLimit && (
          <button type="button" onClick={() => setMeansLimit(means.length)}>
            Show all {means.length} labels
          </button>
        )}
      </section>
    </div>
  );
}
