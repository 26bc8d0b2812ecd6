import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { appServices, startStoreEffects, useAppStore } from './store/index.ts';
import { VIEWS, VIEW_TITLES, type ViewId } from './store/viewSlice.ts';
import { Notices } from './components/Notices.tsx';
import { DataPanel } from './views/data/DataPanel.tsx';
import { ModelPanel } from './views/model/ModelPanel.tsx';
import { MapView } from './views/map/MapView.tsx';
import { ShareButtons } from './views/library/ShareSection.tsx';
import { EmbedLink } from './views/library/EmbedLink.tsx';
import { MapDownloadBanner } from './views/library/MapDownloadBanner.tsx';
import { startMapDrop } from './views/library/mapDrop.ts';
import { startUrlSync } from './lib/urlSync.ts';
import { afterFirstPicture } from './lib/firstPicture.ts';

// The views behind the other tabs load on their own: the first picture (the Map view) waits
// only for its own code (bench/firstVisit.ts measures it), and the rest arrive in idle time
// after it (or when their tab is opened first).
const viewLoaders: (() => Promise<unknown>)[] = [];
function lazyView<K extends string, M extends Record<K, ComponentType>>(
  load: () => Promise<M>,
  name: K,
): ComponentType {
  viewLoaders.push(load);
  return lazy(() => load().then((m): { default: ComponentType } => ({ default: m[name] })));
}
const DataView = lazyView(() => import('./views/data/DataView.tsx'), 'DataView');
const ItemView = lazyView(() => import('./views/item/ItemView.tsx'), 'ItemView');
const GalleryView = lazyView(() => import('./views/gallery/GalleryView.tsx'), 'GalleryView');
const CompareView = lazyView(() => import('./views/compare/CompareView.tsx'), 'CompareView');
const NoveltyView = lazyView(() => import('./views/novelty/NoveltyView.tsx'), 'NoveltyView');
const RobustnessView = lazyView(
  () => import('./views/robustness/RobustnessView.tsx'),
  'RobustnessView',
);
const AlgebraView = lazyView(() => import('./views/algebra/AlgebraView.tsx'), 'AlgebraView');
const ClaimsView = lazyView(() => import('./views/claims/ClaimsView.tsx'), 'ClaimsView');
const StorageView = lazyView(() => import('./views/storage/StorageView.tsx'), 'StorageView');
const LibraryView = lazyView(() => import('./views/library/LibraryView.tsx'), 'LibraryView');

export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  // Keep the map's encoding in step with the dataset, and bring up the concept atlas.
  useEffect(() => startStoreEffects(), []);
  // The address bar carries the view state (share links, bookmarks, back/forward); .sdrmap
  // files dropped anywhere open as the map.
  useEffect(() => startUrlSync(useAppStore, () => appServices.autosave.restored()), []);
  useEffect(() => startMapDrop(), []);
  useEffect(() => afterFirstPicture(() => viewLoaders.forEach((load) => void load())), []);
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
          <Suspense fallback={<p className="muted">Loading this view…</p>}>
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
          </Suspense>
        </section>
      </main>
      {embed && <EmbedLink />}
      <MapDownloadBanner />
    </div>
  );
}
