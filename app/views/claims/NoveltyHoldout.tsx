/**
 * "Would the map notice a class it never saw?" on the person's own data: the items named by a
 * label (or words in labels) are left out, the map is retrained with its own settings on 80% of
 * the rest, and each novelty score's AUC says how well the left-out items stand out from the
 * unseen 20% (src/eval/noveltyHoldout.ts, in the lab worker; `sdr claims --novelty-holdout`).
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatAuc, type NoveltyScoreKind } from '../../../src/index.ts';
import type { MapEncoding } from '../../store/mapSlice.ts';
import { useAppStore } from '../../store/index.ts';
import { isCurrentNovelty } from '../../store/labSlice.ts';
import { LabJobControls } from '../robustness/LabControls.tsx';
import { holdoutRows } from './holdoutRows.ts';

const SCORE_NAMES: Record<NoveltyScoreKind | 'combined', string> = {
  qe: 'QE (distance to the best unit)',
  centredQe: 'Centred QE',
  knn: 'kNN (10 nearest training items)',
  centredKnn: 'Centred kNN',
  combined: 'Centred QE and kNN, averaged',
};

export function NoveltyHoldout({ encoding }: { encoding: MapEncoding }) {
  const { items, job, measure, cancel } = useAppStore(
    useShallow((s) => ({
      items: s.items,
      job: s.labHoldout,
      measure: s.measureHoldout,
      cancel: s.cancelLab,
    })),
  );
  const inputId = useId();
  const [typed, setTyped] = useState('');
  const labels = useMemo(() => items.map((item) => item.label), [items]);
  const match = useMemo(() => holdoutRows(labels, typed), [labels, typed]);
  const others = encoding.n - match.rows.length;
  const enough = match.rows.length >= 2 && others >= 13;
  const result = job.result;
  const current = isCurrentNovelty(job, encoding);

  return (
    <section className="lab-card" aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`}>Would the map notice a class it never saw?</h3>
      <p className="muted">
        Name some of your items by their label, or by words in their labels. The map is trained
        again with its own settings ({encoding.map.training.grid.rows}×
        {encoding.map.training.grid.cols}, {encoding.map.training.epochs} epochs, seed{' '}
        {encoding.map.training.seed}) on 80% of the other items, without them; then each novelty
        score says how well they stand out from the unseen 20%. AUC 1.00: every one of them scores
        above every unseen familiar item; 0.50: a coin. This retrains a map in the lab worker: on a
        32×32 map of a thousand items it takes some seconds.
      </p>
      <div className="lab-controls">
        <label htmlFor={inputId}>Hold out</label>
        <input
          id={inputId}
          type="text"
          value={typed}
          placeholder="a label, or words in labels"
          disabled={job.status === 'running'}
          onChange={(e) => setTyped(e.target.value)}
        />
        <span className="muted" data-testid="holdout-count" aria-live="polite">
          {match.by === 'none'
            ? typed.trim()
              ? 'No item has that label or those words.'
              : ''
            : `${match.rows.length} item${match.rows.length === 1 ? '' : 's'} ${match.by === 'label' ? 'with that label' : 'with those words'}${enough ? '' : ': the check needs at least 2, and 13 others'}`}
        </span>
        {enough || job.status === 'running' ? (
          <LabJobControls
            job={job}
            startLabel="Retrain without them and measure"
            onStart={() => void measure(match.rows)}
            onCancel={() => cancel('holdout')}
            progressLabel="Hold-out check"
            progressText="Retraining the map without them…"
          />
        ) : null}
      </div>
      {result && (
        <>
          {!current && <p className="lab-stale">Measured before the map or your items changed.</p>}
          <table className="claim-baseline" data-testid="holdout-result">
            <caption>
              {result.heldOut} items held out; map retrained on {result.trainRows}; compared with{' '}
              {result.testRows} unseen familiar items.
            </caption>
            <thead>
              <tr>
                <th scope="col">Novelty score</th>
                <th scope="col" className="num">
                  AUC
                </th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(SCORE_NAMES) as (NoveltyScoreKind | 'combined')[]).map((kind) => (
                <tr key={kind} className={kind === result.recommended ? 'recommended' : undefined}>
                  <th scope="row">
                    {SCORE_NAMES[kind]}
                    {kind === result.recommended && ' (recommended)'}
                  </th>
                  <td className="num">{formatAuc(result.auc[kind])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">
            The recommended score is the one the Novelty view shows for a map that keeps at least
            100 of its training items. With a handful of items, or a class close to others, the
            check can come out near 0.50 or below: the figures are what they are on your data.
          </p>
        </>
      )}
    </section>
  );
}
