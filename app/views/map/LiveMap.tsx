/**
 * The map as it forms while training runs: the U-matrix of the latest epoch's codebook (the
 * train worker computes it and sends m floats, not the codebook), redrawn per epoch, until the
 * finished map replaces it. Renders nothing when no run is going on.
 */
import { useMemo } from 'react';
import { GridCanvas, underlayDomain } from '../../components/grid/index.ts';
import { useAppStore } from '../../store/index.ts';

export function LiveMap() {
  const preview = useAppStore((s) => (s.training.status === 'training' ? s.training.preview : null)); // prettier-ignore
  const epochs = useAppStore((s) => s.training.config?.epochs ?? 0);
  const domain = useMemo(() => (preview ? underlayDomain(preview.uMatrix) : null), [preview]);
  if (!preview || !domain) return null;
  return (
    <div className="map-canvas map-live">
      <GridCanvas
        grid={preview.grid}
        values={preview.uMatrix}
        domain={domain}
        scheme="viridis"
        valueLabel="U-matrix distance"
        ariaLabel={`The map being trained, after epoch ${preview.epoch} of ${epochs}: colour shows U-matrix distance`}
      />
      <p className="muted map-live-note" role="status">
        The map after epoch {preview.epoch} of {epochs}; it is redrawn after every epoch.
      </p>
    </div>
  );
}

/** Whether a run's map so far is on show (the Map view then hides the previous map). */
export function useLiveMapShown(): boolean {
  return useAppStore((s) => s.training.status === 'training' && s.training.preview !== null);
}
