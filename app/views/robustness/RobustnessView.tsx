/**
 * The robustness lab: corrupt one item's SDR (move, drop or flip bits; or push its embedding and
 * encode it again) and see the damage beside the original; measure over the whole dataset how
 * neighbours survive noise, next to dense vectors under matched noise; and set the random-SDR
 * false-match theory against what the person's own SDRs do.
 */
import { displayLabel } from '../../lib/labelSearch.ts';
import { useCallback, useDeferredValue, useEffect, useId, useMemo, useState } from 'react';
import { LineChart, type SeriesStyle } from '../../components/chart/LineChart.tsx';
import type { ChartSeries } from '../../components/chart/lineChart.ts';
import { GridCanvas, Legend } from '../../components/grid/index.ts';
import { useAppStore } from '../../store/index.ts';
import {
  itemSdrFromEncoding,
  readSelectedItemIndex,
  type MapEncoding,
} from '../../store/mapSlice.ts';
import { useUnitLabels } from '../../store/hooks.ts';
import { formatLog10Probability, formatShare } from '../../../src/index.ts';
import {
  BIT_NOISES,
  corruptItem,
  flipProbability,
  noiseFromSettings,
  settingsFromNoise,
  type BitNoise,
  type CorruptSettings,
} from './corrupt.ts';
import { falseMatchTable, log10Share } from './falseMatchTable.ts';
import { isCurrent } from '../../store/labSlice.ts';
import { ItemSelect } from './ItemSelect.tsx';
import { LabJobControls, SampleSelect, SeedInput } from './LabControls.tsx';
import { LabNotReady } from './LabNotReady.tsx';
import { useLabEncoding } from './useLabEncoding.ts';
import { useOverlapIndex } from './useOverlapIndex.ts';
import { measureOverlapsSliced, OverlapCountsAbandoned } from '../../lib/slicedOverlapCounts.ts';
import './lab.css';
import {
  gridSize,
  type NoiseFamily,
  type OverlapDistribution,
  type RobustnessCurves,
  overlapNeighbours,
} from '../../../src/index.ts';
import { errorMessage } from '../../../src/index.ts';

const FAMILY_STYLES: Record<NoiseFamily, SeriesStyle> = {
  move: { color: '#5ab0ff' },
  drop: { color: '#7ee0a1' },
  flip: { color: '#c792ea' },
  embedding: { color: '#ffb454' },
  dense: { color: '#e7e9ee', dash: '5 3' },
};

const FAMILY_LABELS: Record<NoiseFamily, string> = {
  move: 'SDR, bits moved',
  drop: 'SDR, bits dropped',
  flip: 'SDR, bits flipped',
  embedding: 'SDR of noisy embedding',
  dense: 'dense cosine, matched noise',
};

const FAMILY_ORDER: readonly NoiseFamily[] = ['move', 'drop', 'flip', 'embedding', 'dense'];

const percent = (v: number) => `${Math.round(v * 100)}%`;
const twoDigits = (v: number) => v.toFixed(2);
/** Shares and similarities run from 0 to 1. */
const UNIT_RANGE = [0, 1] as const;

export function RobustnessView() {
  const { encoding, readiness } = useLabEncoding();
  // The noise levels live in the store, so share links and back/forward carry them; the kind
  // shown while every level is 0 and the seed stay local.
  const noise = useAppStore((s) => s.noise);
  const setNoise = useAppStore((s) => s.setNoise);
  const [kind, setKind] = useState<BitNoise>('move');
  const [seed, setSeed] = useState(1);
  const settings = useMemo(() => settingsFromNoise(noise, kind, seed), [noise, kind, seed]);
  const setSettings = useCallback(
    (next: CorruptSettings) => {
      setKind(next.kind);
      setSeed(next.seed);
      setNoise(noiseFromSettings(next));
    },
    [setNoise],
  );
  // The panels below the first in a render of their own, right after it: at 100,000 items the
  // view's first open was one task of ~70 ms (layout and canvases of all three panels).
  const below = useDeferredValue(true, false);
  return (
    <div className="lab-view">
      <p className="lab-intro">
        How much noise can an SDR take before it stops meaning the same thing? On real CLIP
        embeddings, after moving or dropping 10% of the active bits the nearest item by overlap
        stays the same for 65–85% of items, and 30–50% at 50%: about as robust as dense vectors
        under matched noise, not more. Measure it on your map below.
      </p>
      {readiness !== 'ready' || !encoding ? (
        <LabNotReady readiness={readiness === 'ready' ? 'encoding' : readiness} />
      ) : (
        <>
          <ItemUnderNoise encoding={encoding} settings={settings} onChange={setSettings} />
          {below && (
            <>
              <NoiseCurves encoding={encoding} marker={settings.level} />
              <FalseMatchPanel encoding={encoding} />
            </>
          )}
        </>
      )}
    </div>
  );
}

// ── One item under noise ─────────────────────────────────────────────────────────────────────

interface ItemUnderNoiseProps {
  readonly encoding: MapEncoding;
  readonly settings: CorruptSettings;
  readonly onChange: (settings: CorruptSettings) => void;
}

function ItemUnderNoise({ encoding, settings, onChange }: ItemUnderNoiseProps) {
  const selected = useAppStore(readSelectedItemIndex);
  const items = useAppStore((s) => s.items);
  const unitLabels = useUnitLabels();
  const [picked, setPicked] = useState<number | null>(null);
  const n = encoding.n;
  const itemIndex = Math.min(n - 1, picked ?? selected ?? 0);
  const { grid, dim: d } = encoding.map.som;
  const k = encoding.k;
  const m = gridSize(grid);
  const levelId = useId();
  const embedId = useId();
  const kindGroup = useId();

  // Built after the view is on screen, a slice at a time, and shared with Algebra & search.
  const index = useOverlapIndex(encoding);
  const clean = useMemo(
    () => itemSdrFromEncoding(encoding, grid, itemIndex),
    [encoding, grid, itemIndex],
  );
  const corrupted = useMemo(() => {
    try {
      const row = encoding.embeddings.subarray(itemIndex * d, (itemIndex + 1) * d);
      return corruptItem(encoding.map, row, clean, k, settings);
    } catch (error) {
      return errorMessage(error);
    }
  }, [encoding, itemIndex, d, clean, k, settings]);

  const nearClean = useMemo(
    () => (index ? overlapNeighbours(index, clean, 1, itemIndex) : null),
    [index, clean, itemIndex],
  );
  const nearNoisy = useMemo(
    () =>
      !index || typeof corrupted === 'string'
        ? null
        : overlapNeighbours(index, corrupted.sdr, 1, itemIndex),
    [index, corrupted, itemIndex],
  );
  const labelOf = (i: number) =>
    i >= 0 ? (items[i] ? displayLabel(items[i].label) : `item ${i + 1}`) : 'none';
  const itemLabel = labelOf(itemIndex);
  const hit = Math.round(settings.level * k);
  const set = (patch: Partial<CorruptSettings>) => onChange({ ...settings, ...patch });

  return (
    <section className="lab-card" aria-labelledby="noise-item-title">
      <h3 id="noise-item-title">One item under noise</h3>
      <div className="lab-controls">
        <ItemSelect label="Item" value={itemIndex} onChange={(i) => setPicked(i)} />
        <fieldset className="lab-choice">
          <legend>Bit noise</legend>
          {BIT_NOISES.map((b) => (
            <label key={b.id} title={b.hint}>
              <input
                type="radio"
                name={kindGroup}
                value={b.id}
                checked={settings.kind === b.id}
                onChange={() => set({ kind: b.id })}
              />
              {b.label}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="lab-controls">
        <div className="lab-slider">
          <label htmlFor={levelId}>Noise level</label>
          <input
            id={levelId}
            type="range"
            min={0}
            max={0.5}
            step={0.01}
            value={settings.level}
            aria-valuetext={`${percent(settings.level)} of the active bits`}
            onChange={(e) => set({ level: Number(e.target.value) })}
          />
          <output htmlFor={levelId}>
            {percent(settings.level)}
            <span className="muted">
              {settings.kind === 'flip'
                ? ` · p = ${(100 * flipProbability(settings.level, k, m)).toFixed(2)}% per cell`
                : ` · ${hit} of ${k} bits`}
            </span>
          </output>
        </div>
        <div className="lab-slider">
          <label htmlFor={embedId}>Embedding noise</label>
          <input
            id={embedId}
            type="range"
            min={0}
            max={0.5}
            step={0.01}
            value={settings.embeddingLevel}
            aria-valuetext={`cosine ${(1 - settings.embeddingLevel).toFixed(2)} to the original`}
            onChange={(e) => set({ embeddingLevel: Number(e.target.value) })}
          />
          <output htmlFor={embedId}>cosine {(1 - settings.embeddingLevel).toFixed(2)}</output>
        </div>
        <SeedInput value={settings.seed} onChange={(seed) => set({ seed })} />
      </div>
      {typeof corrupted === 'string' ? (
        <p className="lab-error" role="alert">
          {corrupted}
        </p>
      ) : (
        <div className="lab-pair">
          <div className="lab-grid">
            <GridCanvas
              grid={grid}
              sdr={clean.active}
              compareSdr={corrupted.sdr.active}
              sdrName={itemLabel}
              compareName="corrupted"
              labels={unitLabels}
              showLabels={false}
            />
          </div>
          <div className="lab-side">
            <Legend sdrName={itemLabel} compareName="corrupted" />
            <dl className="lab-facts">
              <div>
                <dt>Overlap with the original</dt>
                <dd>
                  <span data-testid="corrupt-overlap">{corrupted.overlap}</span> of {k} (
                  {formatShare(corrupted.overlap / k)})
                </dd>
              </div>
              <div>
                <dt>Active bits after noise</dt>
                <dd data-testid="corrupt-size">{corrupted.sdr.active.length}</dd>
              </div>
              <div>
                <dt>Nearest other item, clean</dt>
                <dd>
                  {nearClean ? labelOf(nearClean.ids[0]) : 'indexing the items…'}
                  {nearClean && nearClean.ids[0] >= 0 && (
                    <span className="muted"> · shares {nearClean.overlaps[0]}</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Nearest other item, corrupted</dt>
                <dd>
                  {nearNoisy ? labelOf(nearNoisy.ids[0]) : '—'}
                  {nearNoisy && nearNoisy.ids[0] >= 0 && (
                    <span className="muted"> · shares {nearNoisy.overlaps[0]}</span>
                  )}{' '}
                  {nearNoisy && nearClean && (
                    <strong
                      className={nearNoisy.ids[0] === nearClean.ids[0] ? 'lab-same' : 'lab-changed'}
                    >
                      {nearNoisy.ids[0] === nearClean.ids[0] ? 'same' : 'changed'}
                    </strong>
                  )}
                </dd>
              </div>
            </dl>
            <p className="muted">
              Bright cells are shared by both; blue only in the original, amber only after noise.
              Ties for nearest go to the item added first.
            </p>
          </div>
        </div>
      )}
    </section>
  );
}

// ── Curves over the dataset ──────────────────────────────────────────────────────────────────

type CurveMetric = 'similarity' | 'top1' | 'topN';

/** The charts over noise level: what each measures and how its values read. */
const CURVE_CHARTS: readonly {
  readonly metric: CurveMetric;
  readonly title: string;
  readonly yFormat: (v: number) => string;
  readonly note?: string;
}[] = [
  {
    metric: 'similarity',
    title: 'Similarity to the original',
    yFormat: twoDigits,
    note: 'Overlap ÷ K for SDRs; cosine for dense vectors.',
  },
  { metric: 'top1', title: 'Nearest item unchanged (top-1)', yFormat: percent },
  { metric: 'topN', title: '10 nearest kept (top-10)', yFormat: percent },
];

function seriesOf(curves: RobustnessCurves, metric: CurveMetric): ChartSeries[] {
  return FAMILY_ORDER.filter((f) => curves.families[f]).map((f) => ({
    id: f,
    label: FAMILY_LABELS[f],
    values: curves.families[f]![metric],
  }));
}

function NoiseCurves({ encoding, marker }: { encoding: MapEncoding; marker: number }) {
  const job = useAppStore((s) => s.labCurves);
  const measure = useAppStore((s) => s.measureCurves);
  const cancel = useAppStore((s) => s.cancelLab);
  const [sample, setSample] = useState<number>(200);
  const curves = job.result;
  const current = isCurrent(job, encoding);
  const running = job.status === 'running';
  const charts = useMemo(
    () => (curves ? CURVE_CHARTS.map((c) => seriesOf(curves, c.metric)) : null),
    [curves],
  );
  const start = useCallback(() => void measure({ sample }), [measure, sample]);

  return (
    <section className="lab-card" aria-labelledby="noise-curves-title">
      <h3 id="noise-curves-title">Noise over all your items</h3>
      <p className="muted">
        Each sampled item is corrupted at levels 0 to 50% and its nearest items are looked up again:
        by overlap for SDRs, by cosine for dense vectors pushed to the same similarity (cosine 1 −
        level). Top-1: is the nearest item the same? Top-10: how many of the 10 nearest remain?
      </p>
      <div className="lab-controls">
        <SampleSelect
          label="Items measured"
          value={sample}
          onChange={setSample}
          disabled={running}
          available={encoding.n}
        />
        <LabJobControls
          job={job}
          startLabel={curves ? 'Measure again' : 'Measure the curves'}
          onStart={start}
          onCancel={() => cancel('curves')}
          progressLabel="Curves measured"
          progressText={job.total > 0 ? `${job.done} of ${job.total} points` : 'Starting…'}
        />
      </div>
      {curves && charts && (
        <>
          {!current && (
            <p className="lab-stale">
              Measured before the map, K or your items changed: measure again to update.
            </p>
          )}
          <p data-testid="curves-summary">
            {curves.sample} items, each against all {curves.n}; K = {curves.k} of {curves.m} units,
            seed {curves.seed}. Without noise the nearest item by overlap is among the 10 nearest by
            cosine for {formatShare(curves.overlapTop1InDenseTopN)} of items, and tied for first for{' '}
            {formatShare(curves.overlapTop1Tied)}.
          </p>
          <div className="lab-charts">
            {CURVE_CHARTS.map((c, i) => (
              <LineChart
                key={c.metric}
                title={c.title}
                xs={curves.levels}
                series={charts[i]}
                styles={FAMILY_STYLES}
                yDomain={UNIT_RANGE}
                xLabel="noise level"
                xFormat={percent}
                yFormat={c.yFormat}
                marker={marker}
                note={c.note}
              />
            ))}
          </div>
          <details className="lab-numbers">
            <summary>The numbers</summary>
            <CurveTable curves={curves} />
          </details>
        </>
      )}
    </section>
  );
}

function CurveTable({ curves }: { curves: RobustnessCurves }) {
  const families = FAMILY_ORDER.filter((f) => curves.families[f]);
  return (
    <table className="lab-table">
      <caption>Top-1 kept · top-10 kept · similarity, per noise level</caption>
      <thead>
        <tr>
          <th scope="col">Level</th>
          {families.map((f) => (
            <th key={f} scope="col">
              {FAMILY_LABELS[f]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from(curves.levels, (level, i) => (
          <tr key={level}>
            <th scope="row">{percent(level)}</th>
            {families.map((f) => {
              const c = curves.families[f]!;
              return (
                <td key={f}>
                  {formatShare(c.top1[i])} · {formatShare(c.topN[i])} · {c.similarity[i].toFixed(2)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ── False matches: theory against the person's SDRs ─────────────────────────────────────────

const FALSE_MATCH_STYLES: Record<string, SeriesStyle> = {
  theory: { color: '#c792ea', dash: '5 3' },
  measured: { color: '#ffb454' },
};

/**
 * The measured overlap counts of 200 sampled items against every other (the false-match
 * panel's measured side), on the page's thread a few queries per task once the shared overlap
 * index is built (app/lib/slicedOverlapCounts.ts); null until then. One measurement per
 * encoding, kept while the page holds that encoding.
 */
const measuredByRows = new WeakMap<Uint32Array, OverlapDistribution>();

function useMeasuredOverlaps(encoding: MapEncoding): OverlapDistribution | null {
  const index = useOverlapIndex(encoding);
  const [, setMeasured] = useState<OverlapDistribution | null>(null);
  const done = measuredByRows.get(encoding.active) ?? null;
  useEffect(() => {
    if (!index || done) return undefined;
    let live = true;
    measureOverlapsSliced(index, encoding.active, encoding.k, {
      sample: 200,
      isWanted: () => live,
    }).then(
      (result) => {
        measuredByRows.set(encoding.active, result);
        if (live) setMeasured(result);
      },
      (error: unknown) => {
        if (!live || error instanceof OverlapCountsAbandoned) return;
        useAppStore
          .getState()
          .notify('error', `Could not measure the overlaps: ${errorMessage(error)}`);
      },
    );
    return () => {
      live = false;
    };
  }, [index, done, encoding]);
  return done;
}

function FalseMatchPanel({ encoding }: { encoding: MapEncoding }) {
  const k = encoding.k;
  const m = gridSize(encoding.map.som.grid);
  const [thetaChoice, setTheta] = useState<number | null>(null);
  const theta = Math.min(k, Math.max(1, thetaChoice ?? Math.ceil(k / 2)));
  const thetaId = useId();
  const measured = useMeasuredOverlaps(encoding);
  const rows = useMemo(() => falseMatchTable(m, k, measured), [m, k, measured]);
  const row = rows[theta - 1];
  const floor = useMemo(() => {
    let lo = 0;
    for (const r of rows) if (Number.isFinite(r.theoryLog10)) lo = Math.min(lo, r.theoryLog10);
    return Math.max(-40, Math.floor(lo));
  }, [rows]);
  const xs = useMemo(() => rows.map((r) => r.theta), [rows]);
  const series = useMemo<ChartSeries[]>(
    () => [
      { id: 'theory', label: 'theory, random SDRs', values: rows.map((r) => r.theoryLog10) },
      {
        id: 'measured',
        label: 'measured, your items',
        values: rows.map((r) => log10Share(r.measured, -Infinity)),
      },
    ],
    [rows],
  );
  const pairs = measured;

  return (
    <section className="lab-card" aria-labelledby="false-match-title">
      <h3 id="false-match-title">False matches: theory against your SDRs</h3>
      <p className="muted">
        Ahmad and Hawkins (2015) give the chance that a random SDR of w active cells out of n shares
        at least θ cells with a given one: 9.3e-14 for n = 1024, w = 20, θ = 10. A map's SDRs are
        not random: on real CLIP codes 1–2% of items overlap a query by θ or more, mostly its
        semantic neighbours.
      </p>
      <div className="lab-controls">
        <div className="lab-slider">
          <label htmlFor={thetaId}>Match threshold θ</label>
          <input
            id={thetaId}
            type="range"
            min={1}
            max={k}
            step={1}
            value={theta}
            aria-valuetext={`${theta} of ${k} cells`}
            onChange={(e) => setTheta(Number(e.target.value))}
          />
          <output htmlFor={thetaId}>
            {theta} of {k}
          </output>
        </div>
      </div>
      <dl className="lab-facts lab-facts-wide">
        <div>
          <dt>
            Theory: P(overlap ≥ {theta}) for random SDRs, n = {m}, w = {k}
          </dt>
          <dd data-testid="false-match-theory">{formatLog10Probability(row.theoryLog10)}</dd>
        </div>
        <div>
          <dt>Measured: your items sharing ≥ {theta} cells with a query</dt>
          <dd data-testid="false-match-measured">
            {pairs ? formatShare(row.measured) : 'measuring…'}
            {pairs && (
              <span className="muted">
                {' '}
                · {pairs.queries} queries × {encoding.n - 1} others
              </span>
            )}
          </dd>
        </div>
      </dl>
      <LineChart
        title="P(overlap ≥ θ), log scale"
        xs={xs}
        series={series}
        styles={FALSE_MATCH_STYLES}
        yDomain={[floor, 0]}
        xLabel="θ (shared cells)"
        xFormat={(v) => String(v)}
        yFormat={(v) => (v === 0 ? '1' : `1e${v}`)}
        valueFormat={formatLog10Probability}
        marker={theta}
        note="Measured shares of 0 are left out (log of 0)."
      />
    </section>
  );
}
