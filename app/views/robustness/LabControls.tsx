/**
 * The controls a lab measurement shares (robustness curves, claim check): how many items to
 * measure, the seed, and Start/Cancel with its progress and "Stopped." after a cancel.
 */
import { useId, type ReactNode } from 'react';
import type { LabJobState } from '../../store/labSlice.ts';
import { MAX_SEED, SAMPLE_SIZES, parseSeed, sampleSizeText } from './labInputs.ts';

export interface SampleSelectProps {
  readonly label: string;
  readonly value: number;
  readonly onChange: (size: number) => void;
  readonly disabled: boolean;
  /** Items in the dataset: larger sizes read "n (all)"; default: every size reads as itself. */
  readonly available?: number;
}

/** A drop-down of the sample sizes offered (SAMPLE_SIZES). */
export function SampleSelect({ label, value, onChange, disabled, available }: SampleSelectProps) {
  const id = useId();
  return (
    <span className="lab-pick">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(Number(e.target.value))}
      >
        {SAMPLE_SIZES.map((s) => (
          <option key={s} value={s}>
            {sampleSizeText(s, available)}
          </option>
        ))}
      </select>
    </span>
  );
}

export interface SeedInputProps {
  readonly value: number;
  readonly onChange: (seed: number) => void;
  /** Default false. */
  readonly disabled?: boolean;
}

/** The seed field: whole numbers 0 to 2^32 − 1; anything else leaves the seed as it was. */
export function SeedInput({ value, onChange, disabled = false }: SeedInputProps) {
  const id = useId();
  return (
    <span className="lab-seed">
      <label htmlFor={id}>Seed</label>
      <input
        id={id}
        type="number"
        min={0}
        max={MAX_SEED}
        step={1}
        value={value}
        disabled={disabled}
        onChange={(e) => {
          const seed = parseSeed(e.target.value);
          if (seed !== null) onChange(seed);
        }}
      />
    </span>
  );
}

export interface LabJobControlsProps {
  readonly job: LabJobState<unknown>;
  /** The start button's text ("Measure the curves", "Check again"). */
  readonly startLabel: string;
  readonly onStart: () => void;
  readonly onCancel: () => void;
  /** Accessible name of the progress bar ("Curves measured"). */
  readonly progressLabel: string;
  /** What runs now, beside the progress bar. */
  readonly progressText: ReactNode;
}

/** Start (or Cancel while running), the progress of a run, and "Stopped." after a cancel. */
export function LabJobControls({
  job,
  startLabel,
  onStart,
  onCancel,
  progressLabel,
  progressText,
}: LabJobControlsProps) {
  const running = job.status === 'running';
  return (
    <>
      {running ? (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      ) : (
        <button type="button" onClick={onStart}>
          {startLabel}
        </button>
      )}
      {running && (
        <span className="lab-progress" role="status">
          <progress value={job.done} max={Math.max(1, job.total)} aria-label={progressLabel} />
          {progressText}
        </span>
      )}
      {job.status === 'cancelled' && <span className="muted">Stopped.</span>}
    </>
  );
}
