import { useEffect } from 'react';
import { appServices, startStoreEffects, useAppStore } from './store/index.ts';
import { VIEWS, VIEW_TITLES, type ViewId } from './store/viewSlice.ts';
import { Notices } from './components/Notices.tsx';
import { DataPanel } from './views/data/DataPanel.tsx';
import { DataView } from './views/data/DataView.tsx';
import { ModelPanel } from './views/model/ModelPanel.tsx';
import { MapView } from './views/map/MapView.tsx';
import { ItemView } from './views/item/ItemView.tsx';
import { GalleryView } from './views/gallery/GalleryView.tsx';
import { CompareView } from './views/compare/CompareView.tsx';
import { NoveltyView } from './views/novelty/NoveltyView.tsx';
import { RobustnessView } from './views/robustness/RobustnessView.tsx';
import { AlgebraView } from './views/algebra/AlgebraView.tsx';
import { ClaimsView } from './views/claims/ClaimsView.tsx';
import { StorageView } from './views/storage/StorageView.tsx';
import { LibraryView } from './views/library/LibraryView.tsx';
import { ShareButtons } from './views/library/ShareSection.tsx';
import { EmbedLink } from './views/library/EmbedLink.tsx';
import { MapDownloadBanner } from './views/library/MapDownloadBanner.tsx';
import { startMapDrop } from './views/library/mapDrop.ts';
import { startUrlSync } from './lib/urlSync.ts';

export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  // Keep the map's encoding in step with the dataset, and bring up the concept atlas.
  useEffect(() => startStoreEffects(), []);
  // The address bar carries the view state (share links, bookmarks, back/forward); .sdrmap
  // files dropped anywhere open as the map.
  useEffect(() => startUrlSync(useAppStore, () => appServices.autosave.restored()), []);
  useEffect(() => startMapDrop(), []);
  // ?embed=1: only the current view (styles hide the chrome) and a link to the full page.
  const embed = useAppStore((s) => s.embedMode);
  return (
    <div className={embed ? 'shell embed' : 'shell'}>
      <header className="shell-header">
        <h1>SDR Explorer</h1>
        <p className="tagline">
          See what an embedding means: sparse codes on a self-organizing map.
        </p>
        <ShareButtons />
      </header>
      <aside className="shell-side" aria-label="Data and settings">
        <Notices />
        <DataPanel />
        <ModelPanel />
      </aside>
      <main className="shell-main">
        <nav className="tabs" role="tablist" aria-label="Views">
          {VIEWS.map((id: ViewId) => (
            <button
              key={id}
              role="tab"
              aria-selected={view === id}
              className={view === id ? 'tab active' : 'tab'}
              onClick={() => setView(id)}
            >
              {VIEW_TITLES[id]}
            </button>
          ))}
        </nav>
        <section className="view" role="tabpanel" aria-label={VIEW_TITLES[view]}>
          <h2>{VIEW_TITLES[view]}</h2>
          {view === 'map' && <MapView />}
          {view === 'data' && <DataView />}
          {view === 'item' && <ItemView />}
          {view === 'gallery' && <GalleryView />}
          {view === 'compare' && <CompareView />}
          {view === 'novelty' && <NoveltyView />}
          {view === 'robustness' && <RobustnessView />}
          {view === 'algebra' && <AlgebraView />}
          {view === 'claims' && <ClaimsView />}
          {view === 'storage' && <StorageView />}
          {view === 'library' && <LibraryView />}
        </section>
      </main>
      {embed && <EmbedLink />}
      <MapDownloadBanner />
    </div>
  );
}
