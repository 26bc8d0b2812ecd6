import { useEffect, useId, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/index.ts';
import { resolveTrainConfig, type TrainSettings } from '../../store/mapSlice.ts';
import {
  DEFAULT_EPOCHS,
  DEFAULT_GRID_SIDE,
  DEFAULT_RADIUS_END,
  DEFAULT_SEED,
  EPOCHS,
  errorMessage,
  maxRadius,
  SEED,
  type InitMethod,
  type Topology,
} from '../../../src/index.ts';
import { TrainingCurves } from './TrainingCurves.tsx';

/** Grid sizes offered; 'auto' is the engine's default (src/map/defaults.ts). */
const GRID_CHOICES = ['auto', '8x8', '12x12', '16x16', '24x24', '32x32', '48x48', '64x64'] as const;

function gridChoice(s: TrainSettings): string {
  if (s.rows === null || s.cols === null) return 'auto';
  return `${s.rows}x${s.cols}`;
}

interface FieldProps {
  readonly label: string;
  readonly hint: string;
  readonly children: (id: string, hintId: string) => React.ReactNode;
}

function Field({ label, hint, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className="train-field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      <p id={hintId} className="train-hint">
        {hint}
      </p>
    </div>
  );
}

function parseOptionalNumber(value: string): number | null {
  const t = value.trim();
  return t === '' ? null : Number(t);
}

/**
 * Settings, Train/Cancel, status and live curves for training a map on the dataset. Once a map
 * is on screen the form folds away under a disclosure (the picture comes first); it stays open
 * while a run goes on, and the person can open it again at any time.
 */
export function TrainPanel() {
  const hasMap = useAppStore((s) => s.map !== null);
  const running = useAppStore((s) => s.training.status === 'training');
  const [opened, setOpened] = useState(false);
  if (!hasMap) return <TrainForm />;
  return (
    <details
      className="train-disclosure"
      open={opened || running}
      onToggle={(e) => setOpened(e.currentTarget.open)}
    >
      <summary>Train a new map on your data</summary>
      <TrainForm />
    </details>
  );
}

function TrainForm() {
  const settings = useAppStore((s) => s.trainSettings);
  const setSettings = useAppStore((s) => s.setTrainSettings);
  const train = useAppStore((s) => s.trainFromDataset);
  const cancel = useAppStore((s) => s.cancelTraining);
  const itemCount = useAppStore((s) => s.items.length);
  const training = useAppStore(
    useShallow((s) => ({
      status: s.training.status,
      phase: s.training.phase,
      error: s.training.error,
      history: s.training.history,
      config: s.training.config,
    })),
  );
  const running = training.status === 'training';
  // The map this run trained (the store sets it when training ends): its quality is the final figure.
  const trainedQuality = useAppStore((s) =>
    s.mapSource?.kind === 'trained' && s.map ? s.map.quality : null,
  );
  const warm = useAppStore((s) => s.warmTraining);
  const trainable = itemCount >= 2;
  let planned = '';
  let problem: string | null = null;
  // No `min` on the σ inputs: the browser counts steps from `min`, and 0.01 + k·0.1 never
  // lands on 1.0 (it would refuse the default); resolveTrainConfig checks the engine's minimum.
  const radiusLimit = maxRadius({
    rows: settings.rows ?? DEFAULT_GRID_SIDE,
    cols: settings.cols ?? DEFAULT_GRID_SIDE,
  });
  try {
    const c = resolveTrainConfig(settings);
    planned = `${c.grid.rows}×${c.grid.cols} ${c.grid.topology}, ${c.epochs} epochs, σ ${c.radiusStart} → ${c.radiusEnd}`;
  } catch (error) {
    problem = errorMessage(error);
  }
  const canTrain = !running && itemCount >= 2 && problem === null;

  // Once a run is possible, start the train worker and its WASM kernel while the person reads
  // the form (idle time, within 2 s), and make the planned run's initial codebook there, so the
  // click waits for neither (issue 11). Again when the plan or the dataset changes.
  useEffect(() => {
    if (!trainable || running) return;
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(warm, 200);
      return () => clearTimeout(timer);
    }
    const handle = requestIdleCallback(warm, { timeout: 2000 });
    return () => cancelIdleCallback(handle);
  }, [trainable, running, warm, planned, itemCount]);

  const onGrid = (e: ChangeEvent<HTMLSelectElement>) => {
    const v = e.target.value;
    if (v === 'auto') setSettings({ rows: null, cols: null });
    else {
      const [r, c] = v.split('x').map(Number);
      setSettings({ rows: r, cols: c });
    }
  };

  return (
    <section className="train-panel" aria-labelledby="train-title">
      <h3 id="train-title">Train a map on your data</h3>
      <form
        className="train-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (canTrain) void train();
        }}
      >
        <fieldset disabled={running}>
          <Field
            label="Grid"
            hint={`Units of the map. Auto: ${DEFAULT_GRID_SIDE}×${DEFAULT_GRID_SIDE}, where the default K is 2% of the units.`}
          >
            {(id, hintId) => (
              <select
                id={id}
                aria-describedby={hintId}
                value={gridChoice(settings)}
                onChange={onGrid}
              >
                {GRID_CHOICES.map((g) => (
                  <option key={g} value={g}>
                    {g === 'auto' ? 'auto' : g.replace('x', '×')}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label="Topology"
            hint="Square cells (4 neighbours) or hexagons (6, rounder regions)."
          >
            {(id, hintId) => (
              <select
                id={id}
                aria-describedby={hintId}
                value={settings.topology}
                onChange={(e) => setSettings({ topology: e.target.value as Topology })}
              >
                <option value="rect">square</option>
                <option value="hex">hexagonal</option>
              </select>
            )}
          </Field>
          <Field
            label="Epochs"
            hint={`Full passes over the data, ${EPOCHS.min}–${EPOCHS.max} (default ${DEFAULT_EPOCHS}).`}
          >
            {(id, hintId) => (
              <input
                id={id}
                aria-describedby={hintId}
                type="number"
                min={EPOCHS.min}
                max={EPOCHS.max}
                step={1}
                value={settings.epochs}
                onChange={(e) => setSettings({ epochs: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field
            label="Start radius"
            hint="Neighbourhood σ in cells at the first epoch: wide orders the map globally. Empty: half the grid side."
          >
            {(id, hintId) => (
              <input
                id={id}
                aria-describedby={hintId}
                type="number"
                max={radiusLimit}
                step={0.5}
                placeholder="auto"
                value={settings.radiusStart ?? ''}
                onChange={(e) => setSettings({ radiusStart: parseOptionalNumber(e.target.value) })}
              />
            )}
          </Field>
          <Field
            label="End radius"
            hint={`σ at the last epoch (default ${DEFAULT_RADIUS_END.toFixed(1)}): smaller fits finer detail, below 1 tears the map.`}
          >
            {(id, hintId) => (
              <input
                id={id}
                aria-describedby={hintId}
                type="number"
                max={radiusLimit}
                step={0.1}
                value={settings.radiusEnd}
                onChange={(e) => setSettings({ radiusEnd: Number(e.target.value) })}
              />
            )}
          </Field>
          <Field
            label="Initialisation"
            hint="PCA spreads the start map along the data's two main directions (default); random starts from data rows."
          >
            {(id, hintId) => (
              <select
                id={id}
                aria-describedby={hintId}
                value={settings.init}
                onChange={(e) => setSettings({ init: e.target.value as InitMethod })}
              >
                <option value="pca">PCA</option>
                <option value="random">random</option>
              </select>
            )}
          </Field>
          <Field
            label="Seed"
            hint={`Same seed, same data, same settings: the same map (default ${DEFAULT_SEED}).`}
          >
            {(id, hintId) => (
              <input
                id={id}
                aria-describedby={hintId}
                type="number"
                min={SEED.min}
                max={SEED.max}
                step={1}
                value={settings.seed}
                onChange={(e) => setSettings({ seed: Number(e.target.value) })}
              />
            )}
          </Field>
        </fieldset>
        <p className="train-hint">
          K, the number of active units per SDR, is the slider above the map: it needs no
          retraining.
        </p>
        {problem && (
          <p className="train-problem" role="alert">
            {problem}
          </p>
        )}
        <div className="train-actions">
          <button type="submit" className="primary" disabled={!canTrain}>
            Train
          </button>
          <button type="button" onClick={cancel} disabled={!running}>
            Cancel
          </button>
        </div>
        <p className="train-status" role="status" aria-live="polite">
          {itemCount < 2
            ? 'Add at least 2 items to the dataset to train a map.'
            : training.status === 'idle'
              ? `Ready: ${planned} on ${itemCount} items.`
              : training.status === 'error'
                ? `Training failed: ${training.error ?? ''}`
                : training.phase}
        </p>
      </form>
      {(training.history.length > 0 || running) && (
        <TrainingCurves
          history={training.history}
          planned={training.config?.epochs ?? settings.epochs}
          final={training.status === 'done' ? trainedQuality : null}
        />
      )}
    </section>
  );
}
