/**
 * Dev-only harness for the map drawing components (app/components/grid): mounts them on
 * seeded synthetic data for e2e/grid.spec.ts and for screenshots. Served by the Vite dev server
 * at /e2e/harness/grid.html; never part of the production build (vite builds index.html only).
 */
import { StrictMode, useCallback, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { gridSize, makeGrid, unitPositions, type Grid } from '../../src/grid/grid.ts';
import { createRng, randomNormal, sampleWithoutReplacement } from '../../src/util/random.ts';
import {
  GridCanvas,
  Legend,
  SdrThumb,
  downloadBlob,
  layoutCells,
  resolveScene,
  svgBlob,
  type GridCanvasHandle,
  type GridScene,
} from '../../app/components/grid/index.ts';
import {
  drawCells,
  drawHighlights,
  drawMarks,
  drawScene,
  fitCanvas,
  labelFont,
  makePixelCells,
} from '../../app/components/grid/drawGrid.ts';
import { labelAnchors, labelFontSize, placeLabels } from '../../app/components/grid/labels.ts';
import '../../app/styles.css';

const NAMES = ['cat', 'dog', 'car', 'tree', 'boat', 'pizza', 'guitar', 'bird'];

interface Synthetic {
  grid: Grid;
  /** U-matrix-like: high on the borders between regions, low inside them. */
  umatrix: Float32Array;
  /** Hit counts: many near region centres, few at the borders. */
  hits: Float32Array;
  labels: string[];
  /** Region centres as unit indices. */
  centres: number[];
}

/** Seeded regions around random centres; values shaped like a trained map's. */
function synthetic(grid: Grid, regions: number, seed: number): Synthetic {
  const rng = createRng(seed);
  const m = gridSize(grid);
  const pos = unitPositions(grid);
  const centres = Array.from(sampleWithoutReplacement(rng, m, regions));
  const umatrix = new Float32Array(m);
  const hits = new Float32Array(m);
  const labels: string[] = [];
  for (let i = 0; i < m; i++) {
    let d1 = Infinity;
    let d2 = Infinity;
    let nearest = 0;
    for (let k = 0; k < regions; k++) {
      const c = centres[k];
      const d = Math.hypot(pos[2 * i] - pos[2 * c], pos[2 * i + 1] - pos[2 * c + 1]);
      if (d < d1) {
        d2 = d1;
        d1 = d;
        nearest = k;
      } else if (d < d2) d2 = d;
    }
    // Distance to the Voronoi border is (d2 − d1) / 2: a ridge there, as in a U-matrix.
    const border = (d2 - d1) / 2;
    umatrix[i] = 0.1 + 0.8 * Math.exp(-(border * border) / 0.7) + 0.06 * rng();
    hits[i] = Math.max(0, Math.round(14 * Math.exp(-(d1 * d1) / 18) + 1.5 * randomNormal(rng)));
    labels.push(NAMES[nearest % NAMES.length]);
  }
  return { grid, umatrix, hits, labels, centres };
}

/** An SDR of `w` units clustered around `centre` (like the K best-matching units of an item). */
function clusteredSdr(grid: Grid, centre: number, w: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const pos = unitPositions(grid);
  const m = gridSize(grid);
  const score = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const d = Math.hypot(pos[2 * i] - pos[2 * centre], pos[2 * i + 1] - pos[2 * centre + 1]);
    score[i] = d + 1.2 * rng();
  }
  const order = Uint32Array.from({ length: m }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  return order.slice(0, w).sort();
}

const rectGrid = makeGrid(32, 32, 'rect');
const hexGrid = makeGrid(24, 24, 'hex');
const rectData = synthetic(rectGrid, 7, 11);
const hexData = synthetic(hexGrid, 5, 23);
/** The random 20-unit SDR the spec checks. */
const randomSdr = sampleWithoutReplacement(createRng(5), gridSize(rectGrid), 20).sort();
/** A comparison SDR sharing 6 units with it. */
const compareSdr = Uint32Array.from(
  new Set([...randomSdr.slice(0, 6), ...clusteredSdr(rectGrid, rectData.centres[1], 14, 8)]),
).sort();
/** Near the centre of the "boat" region (NAMES[4]), as an SDR of "a boat" would be. */
const hexSdr = clusteredSdr(hexGrid, hexData.centres[4], 12, 9);

/** Mean activation per unit of 12 clustered SDRs around each region centre ("mean SDR per label"). */
function meanSdrs(data: Synthetic): Array<{ name: string; values: Float32Array }> {
  const m = gridSize(data.grid);
  return data.centres.map((centre, k) => {
    const values = new Float32Array(m);
    for (let s = 0; s < 12; s++) {
      for (const u of clusteredSdr(data.grid, centre, 20, 100 * k + s)) values[u] += 1 / 12;
    }
    return { name: NAMES[k % NAMES.length], values };
  });
}
const rectMeans = meanSdrs(rectData);

interface BenchRow {
  scene: string;
  median: number;
  p95: number;
}

function timeIt(
  run: () => void,
  flush: () => void,
  repeats: number,
): { median: number; p95: number } {
  for (let k = 0; k < 5; k++) {
    run();
    flush();
  }
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t0 = performance.now();
    run();
    flush(); // reading a pixel makes the browser rasterise now, so the time is honest
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], p95: times[Math.floor(times.length * 0.95)] };
}

/** Redraw cost of a 64×64 map (underlay, two SDRs, labels) at 640×640 CSS px, layer by layer. */
function bench(pixelRatio: number, repeats = 40): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const topology of ['rect', 'hex'] as const) {
    const grid = makeGrid(64, 64, topology);
    const data = synthetic(grid, 8, 31);
    const scene: GridScene = {
      grid,
      values: data.umatrix,
      sdr: clusteredSdr(grid, data.centres[0], 82, 1),
      compareSdr: clusteredSdr(grid, data.centres[0] + 3, 82, 2),
      labels: data.labels,
    };
    const canvas = document.createElement('canvas');
    const ctx = fitCanvas(canvas, 640, 640, pixelRatio);
    const layout = layoutCells(grid, 640, 640, { padding: 4 });
    const resolved = resolveScene(scene);
    const fontSize = labelFontSize(layout);
    ctx.font = labelFont(fontSize);
    const labels = placeLabels(labelAnchors(grid, data.labels), layout, {
      fontSize,
      measure: (t) => ctx.measureText(t).width,
    });
    const flush = () => void ctx.getImageData(0, 0, 1, 1);
    const name = (what: string) => `64×64 ${topology} ${what} @${pixelRatio}x`;
    const t0 = performance.now();
    const pixels = makePixelCells(layout, pixelRatio);
    const once = performance.now() - t0;
    rows.push({ scene: name('cell map (once per size)'), median: once, p95: once });
    const cells = () => drawCells(ctx, layout, resolved, { pixels });
    const marks = () => {
      ctx.clearRect(0, 0, 640, 640);
      drawMarks(ctx, layout, resolved, { labels, fontSize });
    };
    rows.push({ scene: name('underlay layer'), ...timeIt(cells, flush, repeats) });
    rows.push({ scene: name('SDR + labels layer'), ...timeIt(marks, flush, repeats) });
    rows.push({
      scene: name('both layers'),
      ...timeIt(
        () => {
          cells();
          drawMarks(ctx, layout, resolved, { labels, fontSize });
        },
        flush,
        repeats,
      ),
    });
    rows.push({
      scene: name('whole picture with paths (exports)'),
      ...timeIt(() => drawScene(ctx, layout, resolved, { labels, fontSize }), flush, repeats),
    });
    let u = 0;
    const hover = () =>
      drawHighlights(ctx, layout, { hover: (u = (u + 37) % 4096), focus: 5, selected: 9 });
    rows.push({ scene: name('hover layer'), ...timeIt(hover, flush, repeats) });
  }
  return rows;
}

interface HarnessApi {
  clicks: number[];
  rectSvg: () => string;
  hexSvg: () => string;
  rectPngSize: (scale: number) => Promise<number>;
  unitCenter: (map: 'rect' | 'hex', unit: number) => { x: number; y: number } | null;
  focusUnit: (map: 'rect' | 'hex', unit: number) => void;
  sdr: number[];
  labels: string[];
  bench: (pixelRatio: number) => BenchRow[];
}

declare global {
  interface Window {
    __gridHarness?: HarnessApi;
  }
}

function Harness() {
  const rectRef = useRef<GridCanvasHandle>(null);
  const hexRef = useRef<GridCanvasHandle>(null);
  const [clicked, setClicked] = useState<number | null>(null);
  const [benchText, setBenchText] = useState('');
  const clicks = useRef<number[]>([]);

  const onUnitClick = useCallback((unit: number) => {
    clicks.current.push(unit);
    setClicked(unit);
  }, []);
  const hits = rectData.hits;
  const tooltipExtra = useCallback((unit: number) => [`hits: ${hits[unit]}`], [hits]);
  const rectDomain = useMemo(
    () => resolveScene({ grid: rectGrid, values: rectData.umatrix }).domain,
    [],
  );
  const hexDomain = useMemo(() => resolveScene({ grid: hexGrid, values: hexData.hits }).domain, []);

  const handles = { rect: rectRef, hex: hexRef };
  const need = (map: 'rect' | 'hex') => {
    const h = handles[map].current;
    if (!h) throw new Error(`the ${map} map is not mounted`);
    return h;
  };
  window.__gridHarness = {
    clicks: clicks.current,
    rectSvg: () => need('rect').toSvg(),
    hexSvg: () => need('hex').toSvg(),
    rectPngSize: async (scale) => (await need('rect').toPng(scale)).size,
    unitCenter: (map, unit) => need(map).unitCenter(unit),
    focusUnit: (map, unit) => need(map).focusUnit(unit),
    sdr: Array.from(randomSdr),
    labels: rectData.labels,
    bench,
  };

  return (
    <main className="harness">
      <h1>Grid components harness</h1>
      <div className="harness-maps">
        <section aria-labelledby="rect-title">
          <h2 id="rect-title">32×32 square · U-matrix with two SDRs</h2>
          <GridCanvas
            ref={rectRef}
            grid={rectGrid}
            values={rectData.umatrix}
            sdr={randomSdr}
            compareSdr={compareSdr}
            labels={rectData.labels}
            labelPriority={rectData.hits}
            sdrName="a cat photo"
            compareName="a dog photo"
            valueLabel="U-matrix distance"
            tooltipExtra={tooltipExtra}
            onUnitClick={onUnitClick}
            selectedUnit={clicked}
            className="harness-rect"
          />
          <Legend
            title="U-matrix distance"
            domain={rectDomain}
            lowNote="similar"
            highNote="border"
            sdrName="a cat photo"
            compareName="a dog photo"
          />
        </section>
        <section aria-labelledby="hex-title">
          <h2 id="hex-title">24×24 hexagonal · hit counts with an outlined SDR</h2>
          <GridCanvas
            ref={hexRef}
            grid={hexGrid}
            values={hexData.hits}
            scheme="magma"
            sdr={hexSdr}
            sdrStyle="outline"
            labels={hexData.labels}
            sdrName="a boat"
            valueLabel="hits"
            className="harness-hex"
          />
          <Legend title="hits" domain={hexDomain} scheme="magma" sdrName="a boat" />
        </section>
      </div>
      <section aria-labelledby="thumbs-title">
        <h2 id="thumbs-title">Mean SDR per label</h2>
        <div className="harness-thumbs">
          {rectMeans.map((t) => (
            <SdrThumb
              key={t.name}
              grid={rectGrid}
              values={t.values}
              domain={[0, 1]}
              label={`Mean SDR of '${t.name}'`}
              caption={t.name}
            />
          ))}
          <SdrThumb
            grid={rectGrid}
            sdr={randomSdr}
            label="SDR of 'a cat photo'"
            caption="cat photo"
          />
          <SdrThumb grid={hexGrid} sdr={hexSdr} label="SDR of 'a boat'" caption="boat (hex)" />
        </div>
      </section>
      <div className="harness-actions">
        <button onClick={() => downloadBlob(svgBlob(need('rect').toSvg()), 'sdr-map-32x32.svg')}>
          Export SVG
        </button>
        <button
          onClick={async () => downloadBlob(await need('rect').toPng(2), 'sdr-map-32x32.png')}
        >
          Export PNG
        </button>
        <button
          onClick={() => setBenchText(JSON.stringify(bench(window.devicePixelRatio || 1), null, 1))}
        >
          Measure redraw
        </button>
        <output data-testid="clicked">
          {clicked === null ? 'No unit chosen' : `Chose unit ${clicked}`}
        </output>
      </div>
      {benchText && <pre data-testid="bench">{benchText}</pre>}
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('grid.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <Harness />
  </StrictMode>,
);
