import { useAppStore } from '../../store/index.ts';
import { DEFAULT_MAX_MAP_BYTES, formatBytes } from '../../../src/index.ts';

/**
 * Progress of a map being downloaded from an address (a `?map=` link or the Library's address
 * field), shown over whatever view is open, with a way to stop it.
 */
export function MapDownloadBanner() {
  const download = useAppStore((s) => s.mapDownload);
  const cancel = useAppStore((s) => s.cancelMapDownload);
  if (!download) return null;
  let host = download.url;
  try {
    host = new URL(download.url, location.href).host;
  } catch {
    // keep the address as given
  }
  return (
    <div className="map-download" role="status" aria-label="Map download">
      <span>
        Downloading the map from {host}: {formatBytes(download.loaded)}
        {download.total ? ` of ${formatBytes(download.total)}` : ''} (at most{' '}
        {formatBytes(DEFAULT_MAX_MAP_BYTES)})
      </span>
      <progress
        max={download.total ?? undefined}
        value={download.total ? download.loaded : undefined}
        aria-label="Downloaded so far"
      />
      <button type="button" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}
