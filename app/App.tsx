import { useAppStore } from './store/index.ts';
import { VIEWS, VIEW_TITLES, type ViewId } from './store/viewSlice.ts';
import { Notices } from './components/Notices.tsx';

export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  return (
    <div className="shell">
      <header className="shell-header">
        <h1>SDR Explorer</h1>
        <p className="tagline">
          See what an embedding means: sparse codes on a self-organizing map.
        </p>
      </header>
      <aside className="shell-side" aria-label="Data and settings">
        <section>
          <h2>Data</h2>
          <p className="muted">Drop images or text here to embed them with CLIP.</p>
        </section>
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
        </section>
      </main>
      <Notices />
    </div>
  );
}
