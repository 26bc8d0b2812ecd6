/**
 * The K slider: active units per SDR, 1 to a quarter of the map's units (mapSlice setK), shown
 * as a count and as a share of the map's units. Every view that shows SDRs updates live as it
 * moves; the dataset is re-encoded in the encode worker behind it. The Map view and the explorer
 * views (Item, Galleries, Compare, Novelty, …) share it. Under it, a warning when K is so large
 * that one unit is active for a large share of the items (src/encode hubShare), since every
 * "around …" summary then names that unit.
 */
import { useEffect, useId, useState } from 'react';
import { useAppStore } from '../store/index.ts';
import { maxKFor } from '../store/mapSlice.ts';
import { useCurrentMap, useMapK, useUnitLabels } from '../store/hooks.ts';
import './kSlider.css';
import {
  DEFAULT_K_MAX,
  DEFAULT_K_MIN,
  DEFAULT_K_SHARE,
  HUB_SHARE_WARNING,
  defaultK,
  gridSize,
  hubShare,
  isHubDominated,
  type HubShare,
} from '../../src/index.ts';

const percent = (share: number) => `${(100 * share).toFixed(share < 0.1 ? 1 : 0)}%`;

/** Busiest unit per encoding (its active rows), so every view's slider reuses one count. */
const hubs = new WeakMap<Uint32Array, HubShare>();

/**
 * The dataset's busiest unit at the current K, once the encoding at this K is in. Counted in a
 * task of its own after the encoding is drawn (a pass over n·K units: ~20 ms at 100,000 items),
 * never inside the render that shows the new encoding or opens a view.
 */
function useHub(m: number): HubShare | null {
  const map = useCurrentMap();
  const k = useMapK();
  const encoding = useAppStore((s) => s.encoding);
  const current = map && encoding && encoding.map === map && encoding.k === k && m > 0 ? encoding : null; // prettier-ignore
  const [, setCounted] = useState<Uint32Array | null>(null);
  useEffect(() => {
    if (!current || hubs.has(current.active)) return undefined;
    const timer = window.setTimeout(() => {
      hubs.set(current.active, hubShare(current, m));
      setCounted(current.active);
    }, 0);
    return () => window.clearTimeout(timer);
  }, [current, m]);
  return current ? (hubs.get(current.active) ?? null) : null;
}

export function KSlider() {
  const id = useId();
  const k = useMapK();
  const map = useCurrentMap();
  const labels = useUnitLabels();
  const setK = useAppStore((s) => s.setK);
  const max = maxKFor(map);
  const m = map ? gridSize(map.som.grid) : 0;
  const share = m > 0 ? percent(k / m) : '';
  const hub = useHub(m);
  const hubLabel = hub && labels?.[hub.unit] ? ` (“${labels[hub.unit]}”)` : '';
  const suggested = m > 0 ? defaultK(m) : 0;
  return (
    <div className="k-slider">
      <div className="k-slider-row">
        <label htmlFor={id}>K (active units)</label>
        <input
          id={id}
          type="range"
          min={1}
          max={max}
          step={1}
          value={k}
          disabled={!map}
          aria-valuetext={m ? `${k} of ${m} units (${share})` : String(k)}
          aria-describedby={`${id}-help`}
          onChange={(e) => setK(Number(e.target.value))}
        />
        <output htmlFor={id} className="k-slider-value" data-testid="k-share">
          {k}
          {m > 0 && <span className="muted"> · {share} of units</span>}
        </output>
        <details className="k-help">
          <summary aria-label="About K">?</summary>
          <p id={`${id}-help`}>
            K is how many of the map&apos;s units each SDR switches on. A new map starts at about{' '}
            {100 * DEFAULT_K_SHARE}% of its units (rounded, at least {DEFAULT_K_MIN}, at most{' '}
            {DEFAULT_K_MAX}){m > 0 ? `: ${suggested} of ${m} here` : ''}. Small K: sharp, sparse
            codes that overlap only for close items; large K: more overlap, and above about{' '}
            {percent(HUB_SHARE_WARNING)} of items sharing one unit the summaries mislead. The slider
            goes up to a quarter of the units.
          </p>
        </details>
      </div>
      {hub && isHubDominated(hub) && (
        <p className="k-warning" role="status" data-testid="k-hub-warning">
          At K = {k}, one unit{hubLabel} is active for {percent(hub.share)} of your items, so
          summaries (“around …”) name it for unrelated items. Lower K
          {suggested > 0 ? ` (${suggested} is about ${100 * DEFAULT_K_SHARE}% of this map)` : ''}.
        </p>
      )}
    </div>
  );
}
