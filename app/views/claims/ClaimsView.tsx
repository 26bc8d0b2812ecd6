/**
 * The claim check: four things often said about SDRs, measured on the person's own map and
 * items in the lab worker (src/eval/claims.ts), each with a one-line verdict, the figures it
 * rests on, the same measures on a random code of the same size beside the map's, and the
 * sample sizes. Seeded: the same seed gives the same numbers (and `sdr claims` gives them too).
 */
import { useId, useState } from 'react';
import { useAppStore } from '../../store/index.ts';
import {
  formatAuc,
  formatLog10Probability,
  formatShare,
  type BaselineFigure,
  type ClaimFigure,
  type ClaimResult,
  type Verdict,
} from '../../../src/index.ts';
import { isCurrent, itemsTrainedMap } from '../../store/labSlice.ts';
import { LabJobControls, SampleSelect, SeedInput } from '../robustness/LabControls.tsx';
import { LabNotReady } from '../robustness/LabNotReady.tsx';
import { useLabEncoding } from '../robustness/useLabEncoding.ts';
import '../robustness/lab.css';
import { NoveltyHoldout } from './NoveltyHoldout.tsx';
import './claims.css';

const VERDICT_TEXT: Record<Verdict, string> = {
  holds: 'Holds',
  partly: 'Partly',
  fails: 'Does not hold',
};

function formatFigure(f: ClaimFigure): string {
  switch (f.kind) {
    case 'auc':
      return formatAuc(f.value);
    case 'share':
      return formatShare(f.value);
    case 'number':
      return Number.isFinite(f.value) ? f.value.toFixed(2) : '—';
    case 'log10-probability':
      return formatLog10Probability(f.value);
  }
}

function ClaimCard({ claim, letter }: { claim: ClaimResult; letter: string }) {
  const titleId = useId();
  return (
    <li className={`claim claim-${claim.verdict}`} aria-labelledby={titleId}>
      <div className="claim-head">
        <h4 id={titleId}>
          ({letter}) {claim.claim}
        </h4>
        <span className="claim-badge" data-testid="claim-badge">
          {VERDICT_TEXT[claim.verdict]}
        </span>
      </div>
      <p className="claim-summary" data-testid="claim-verdict">
        {claim.summary}
      </p>
      <dl className="lab-facts lab-facts-wide">
        {claim.figures.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{formatFigure(f)}</dd>
          </div>
        ))}
      </dl>
      {claim.baseline.length > 0 && <BaselineTable figures={claim.baseline} />}
      <p className="muted">Measured on {claim.samples}.</p>
    </li>
  );
}

function formatBaseline(value: number, kind: BaselineFigure['kind']): string {
  return kind === 'auc' ? formatAuc(value) : formatShare(value);
}

/** The map's SDRs beside a random code of the same size, on this claim's measures. */
function BaselineTable({ figures }: { figures: readonly BaselineFigure[] }) {
  return (
    <table className="claim-baseline" data-testid="claim-baseline">
      <caption>Your map against a random code with the same units and K</caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Map’s SDRs</th>
          <th scope="col">Random code</th>
        </tr>
      </thead>
      <tbody>
        {figures.map((f) => (
          <tr key={f.label}>
            <th scope="row">{f.label}</th>
            <td data-testid="baseline-map">{formatBaseline(f.map, f.kind)}</td>
            <td data-testid="baseline-random">{formatBaseline(f.randomCode, f.kind)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ClaimsView() {
  const { encoding, readiness } = useLabEncoding();
  const job = useAppStore((s) => s.labClaims);
  const check = useAppStore((s) => s.checkClaimsNow);
  const cancel = useAppStore((s) => s.cancelLab);
  const inTraining = useAppStore(itemsTrainedMap);
  const [sample, setSample] = useState<number>(200);
  const [seed, setSeed] = useState(1);
  const running = job.status === 'running';
  const report = job.result;
  const current = isCurrent(job, encoding);

  return (
    <div className="lab-view">
      <p className="lab-intro">
        Four things are often said about SDRs. Each is measured here on your map and your items, and
        the verdict says plainly when a claim does not hold. AUC is the chance that a random case of
        one kind scores above a random case of the other (0.5: no better than a coin).
      </p>
      {readiness !== 'ready' || !encoding ? (
        <LabNotReady readiness={readiness === 'ready' ? 'encoding' : readiness} />
      ) : (
        <>
          <section className="lab-card" aria-labelledby="claims-title">
            <h3 id="claims-title">Check the claims on your data</h3>
            <div className="lab-controls">
              <SampleSelect
                label="Sample size"
                value={sample}
                onChange={setSample}
                disabled={running}
              />
              <SeedInput value={seed} onChange={setSeed} disabled={running} />
              <LabJobControls
                job={job}
                startLabel={report ? 'Check again' : 'Check the claims'}
                onStart={() => void check({ sample, seed })}
                onCancel={() => cancel('claims')}
                progressLabel="Claims measured"
                progressText={job.stage}
              />
            </div>
            <p className="muted">
              Up to {sample} of your {encoding.n} items are measured (all of them when you have
              fewer), with as many blends of two random items and random unit vectors; K ={' '}
              {encoding.k}.
              {inTraining &&
                ' This map was trained on your items, so they are not held out: the novelty figures flatter it.'}
            </p>
            {report && (
              <>
                {!current && (
                  <p className="lab-stale">
                    Measured before the map, K or your items changed: check again to update.
                  </p>
                )}
                <ol className="claims" data-testid="claims">
                  {report.claims.map((c, i) => (
                    <ClaimCard key={c.id} claim={c} letter={String.fromCharCode(97 + i)} />
                  ))}
                </ol>
                <p className="muted">
                  Seed {report.seed}; {report.n} items, K = {report.k} of {report.m} units.
                </p>
                {report.baseline ? (
                  <p className="muted" data-testid="claims-baseline-note">
                    The random code (fan-in {report.baseline.randomCode.fanIn}, seed{' '}
                    {report.baseline.seed}) is a sparse random projection to the same {report.m}{' '}
                    units, then the top {report.k}: it never saw your items. Where the map does no
                    better, the claim is about sparse codes in general, not about the map. The same
                    figures come from{' '}
                    <code>
                      sdr claims map.sdrmap items.npy --seed {report.baseline.seed} --queries{' '}
                      {report.baseline.queries} --k {report.k} --kernel js
                    </code>
                    .
                  </p>
                ) : (
                  <p className="muted">
                    No random-code baseline: the comparison needs at least 12 items.
                  </p>
                )}
              </>
            )}
          </section>
          <NoveltyHoldout encoding={encoding} />
        </>
      )}
    </div>
  );
}
