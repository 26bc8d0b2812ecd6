/**
 * The K slider: active units per SDR, 1 to a quarter of the map's units (mapSlice setK). Every
 * view that shows SDRs updates live as it moves; the dataset is re-encoded in the encode worker
 * behind it. The Map view and the explorer views (Item, Galleries, Compare, Novelty) share it.
 */
import { useId } from 'react';
import { useAppStore } from '../store/index.ts';
import { maxKFor } from '../store/mapSlice.ts';
import { useCurrentMap, useMapK } from '../store/hooks.ts';
import './kSlider.css';
import { gridSize } from '../../src/index.ts';

export function KSlider() {
  const id = useId();
  const k = useMapK();
  const map = useCurrentMap();
  const setK = useAppStore((s) => s.setK);
  const max = maxKFor(map);
  const m = map ? gridSize(map.som.grid) : 0;
  const share = m > 0 ? `${((100 * k) / m).toFixed(1)}%` : '';
  return (
    <div className="k-slider">
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
        onChange={(e) => setK(Number(e.target.value))}
      />
      <output htmlFor={id} className="k-slider-value">
        {k}
        {m > 0 && <span className="muted"> · {share}</span>}
      </output>
    </div>
  );
}
