/**
 * The explorer-redraw part of the browser benchmark: the app's real Map view (MapView with its
 * KSlider, GridCanvas, legend and side cards) on the app's real store, with a synthetic map and
 * dataset injected (10,000 items of dimension 512 on a 64×64 map by default), and the real
 * encode worker re-encoding the dataset behind every K change, as in the page.
 *
 * Two gestures, each repeated `moves` times, one per animation frame:
 * - 'kSlider': the K slider's value changes (a native input event on the range input, as a
 *   drag delivers it), sweeping K up and down;
 * - 'selectItem': another item becomes the selected one (its SDR is drawn instead).
 * Redraw time is from just before the event to the end of React's commit of the Map view, whose
 * layout effects repaint the GridCanvas layers synchronously (a probe mounted after the view
 * commits last and stamps the time). Long main-thread tasks (PerformanceObserver 'longtask',
 * > 50 ms) are collected over each gesture's whole run, encode-worker replies included.
 */
import { useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { gridSize, makeGrid, unitPositions, type Grid } from '../src/grid/grid.ts';
import { syntheticClusters } from '../src/som/synthetic.ts';
import { createRng, randomNormal } from '../src/util/random.ts';
import type { SdrMap } from '../src/io/mapModel.ts';
import { useAppStore } from '../app/store/index.ts';
import { watchLongTasks } from './longTasks.ts';
import type { DataItem } from '../app/store/dataSlice.ts';
import { MapView } from '../app/views/map/MapView.tsx';

export interface RedrawBenchSpec {
  /** Dataset items; default 10,000. */
  readonly items?: number;
  /** Map side (side × side units); default 64. */
  readonly side?: number;
  /** Embedding dimension; default 512. */
  readonly dim?: number;
  /** Gestures per measurement; default 100. */
  readonly moves?: number;
}

interface GestureFigures {
  readonly moves: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Main-thread tasks over 50 ms during the run, and the longest of them (0 when none). */
  readonly longTasks: number;
  readonly longestTaskMs: number;
}

export interface RedrawFigures {
  readonly items: number;
  readonly units: number;
  /** Setting up: the dataset and map in the store, the view mounted, the first encoding done. */
  readonly setupMs: number;
  readonly kSlider: GestureFigures;
  readonly selectItem: GestureFigures;
  /** The canvas size the map was drawn at, CSS pixels. */
  readonly canvas: { readonly width: number; readonly height: number };
}

const NAMES = ['cat', 'dog', 'car', 'tree', 'boat', 'pizza', 'guitar', 'bird', 'house', 'lamp'];

/**
 * A smooth synthetic map for `centres` (clusters·d): each unit's weights mix the cluster centres
 * by grid distance to where each cluster sits, plus a little noise, like a trained map's
 * regions; unit labels name the strongest cluster.
 */
function syntheticMap(grid: Grid, centres: Float32Array, d: number, seed: number): SdrMap {
  const m = gridSize(grid);
  const clusters = centres.length / d;
  const rng = createRng(seed);
  const pos = unitPositions(grid);
  const spots = Array.from({ length: clusters }, () => [rng() * grid.cols, rng() * grid.rows]);
  const sigma = Math.max(grid.rows, grid.cols) / 5;
  const codebook = new Float32Array(m * d);
  const unitLabels: string[] = [];
  const w = new Float64Array(clusters);
  for (let j = 0; j < m; j++) {
    let best = 0;
    for (let c = 0; c < clusters; c++) {
      const dx = pos[2 * j] - spots[c][0];
      const dy = pos[2 * j + 1] - spots[c][1];
      w[c] = Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      if (w[c] > w[best]) best = c;
    }
    unitLabels.push(NAMES[best % NAMES.length]);
    let sq = 0;
    for (let t = 0; t < d; t++) {
      let v = 0.05 * randomNormal(rng) * Math.sqrt(1 / d);
      for (let c = 0; c < clusters; c++) v += w[c] * centres[c * d + t];
      codebook[j * d + t] = v;
      sq += v * v;
    }
    // Trained codebook rows are a little shorter than 1 (averages of unit vectors).
    const scale = 0.9 / Math.sqrt(sq);
    for (let t = 0; t < d; t++) codebook[j * d + t] *= scale;
  }
  return {
    name: 'Redraw benchmark map',
    createdAt: new Date(0).toISOString(),
    model: 'bench',
    som: { grid, dim: d, codebook },
    training: {
      grid,
      epochs: 1,
      seed,
      init: 'pca',
      radiusStart: grid.rows / 2,
      radiusEnd: 1,
      inputs: 0,
    },
    quality: { quantizationError: 0, topographicError: 0 },
    calibration: null,
    unitLabels,
  };
}

/** Commit timestamps of the probe mounted after the Map view. */
const commits: number[] = [];

/** Re-renders with the view on every K or selection change and stamps its commit. */
function CommitProbe() {
  const k = useAppStore((s) => s.k);
  const selected = useAppStore((s) => s.selectedItemIds);
  useLayoutEffect(() => {
    commits.push(performance.now());
  }, [k, selected]);
  return null;
}

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

async function until(check: () => boolean, what: string, timeoutMs = 180_000): Promise<void> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Time `moves` gestures (`act(i)` makes one), one per frame, with long tasks watched. */
async function measure(moves: number, act: (i: number) => void): Promise<GestureFigures> {
  const stopWatching = watchLongTasks();
  let long: number[] = [];
  const times: number[] = [];
  try {
    for (let i = 0; i < moves; i++) {
      await nextFrame();
      const before = commits.length;
      const t0 = performance.now();
      act(i);
      // React commits a discrete input's update before the next task; the probe stamps it.
      await until(() => commits.length > before, 'the Map view to commit', 10_000);
      times.push(commits[commits.length - 1] - t0);
    }
    // Let the last encode-worker reply land inside the watched window too.
    await until(() => useAppStore.getState().encodingStatus !== 'encoding', 'the last encoding');
    await nextFrame();
  } finally {
    long = stopWatching();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    moves,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted[sorted.length - 1],
    longTasks: long.length,
    longestTaskMs: long.length > 0 ? Math.max(...long) : 0,
  };
}

/** Change the K slider's value as a drag does: the native value setter, then an input event. */
function moveSlider(input: HTMLInputElement, value: number): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, String(value));
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

export async function benchRedraw(spec: RedrawBenchSpec = {}): Promise<RedrawFigures> {
  const n = spec.items ?? 10_000;
  const side = spec.side ?? 64;
  const d = spec.dim ?? 512;
  const moves = spec.moves ?? 100;
  const t0 = performance.now();
  const { data, centres } = syntheticClusters({ n, d, clusters: 10, seed: 3 });
  const map = syntheticMap(makeGrid(side, side), centres, d, 5);
  const items: DataItem[] = Array.from({ length: n }, (_, i) => ({
    id: `bench-${i}`,
    seq: i,
    kind: 'text',
    label: `item ${i}`,
    text: `item ${i}`,
    source: 'bench',
    modelId: 'bench',
  }));
  useAppStore.setState({
    items,
    embeddings: data,
    embeddingDim: d,
    selectedItemIds: [items[0].id],
    dataStatus: 'ready',
    view: 'map',
  });
  if (!useAppStore.getState().setMap(map, { kind: 'file', name: 'bench.sdrmap' })) {
    throw new Error('the bench map was refused');
  }
  const host = document.getElementById('root');
  if (!host) throw new Error('bench.html lacks #root');
  const root: Root = createRoot(host);
  flushSync(() =>
    root.render(
      <div className="shell">
        <main className="shell-main">
          <MapView />
          <CommitProbe />
        </main>
      </div>,
    ),
  );
  await until(
    () => useAppStore.getState().encodingStatus === 'ready',
    'the first encoding of the dataset',
  );
  await nextFrame();
  const setupMs = performance.now() - t0;

  const slider = host.querySelector<HTMLInputElement>('.k-slider input[type="range"]');
  if (!slider) throw new Error('the Map view has no K slider');
  const startK = useAppStore.getState().k;
  // A drag back and forth across K = startK + 1 … startK + 24 (every move a new value).
  const kSlider = await measure(moves, (i) => {
    const phase = i % 46;
    moveSlider(slider, startK + 1 + (phase < 24 ? phase : 46 - phase));
  });
  const selectItem = await measure(moves, (i) => {
    useAppStore.getState().setSelectedItems([items[(i * 97 + 1) % n].id]);
  });
  const canvas = host.querySelector<HTMLCanvasElement>('.map-canvas canvas');
  const rect = canvas?.getBoundingClientRect();
  root.unmount();
  return {
    items: n,
    units: side * side,
    setupMs,
    kSlider,
    selectItem,
    canvas: { width: Math.round(rect?.width ?? 0), height: Math.round(rect?.height ?? 0) },
  };
}
