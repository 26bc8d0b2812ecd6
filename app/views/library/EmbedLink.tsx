import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/index.ts';
import { addressFor } from '../../lib/urlSync.ts';

/**
 * The one piece of chrome an embedded view (?embed=1) keeps: a small link that opens the same
 * view in a full SDR Explorer tab.
 */
export function EmbedLink() {
  // Re-render only when what the address says changes.
  useAppStore(
    useShallow((s) => [
      s.view,
      s.map,
      s.mapSource,
      s.k,
      s.selectedItemIds,
      s.noise,
      s.linkInfo,
      s.compareKeys,
      s.mixtures,
      s.inspectKey,
      s.selectedUnit,
      s.algebra,
      s.searchText,
    ]),
  );
  const { search, hash } = addressFor({ ...useAppStore.getState(), embedMode: false });
  return (
    <a
      className="embed-link"
      href={`${location.pathname}${search}${hash}`}
      target="_blank"
      rel="noopener noreferrer"
    >
      Open in SDR Explorer ↗
    </a>
  );
}
