import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { installTestApi } from './testApi.ts';
import { decodePrefetchedAtlas } from './lib/atlasPrefetch.ts';
import { decodeMapOffThread } from './workers/mapDecodeClient.ts';
import './styles.css';

// For `npm run bench` (bench/firstVisit.ts): the page's script has been fetched and run.
performance.mark('sdr:app:start');

// The atlas app/boot.ts is fetching: decoded off the main thread while the page restores the
// last session, so it is ready when the page decides to show it.
decodePrefetchedAtlas(decodeMapOffThread);

installTestApi();

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
