import { useAppStore } from '../../store/index.ts';
import type { EmbedJob, JobEntry } from '../../store/dataSlice.ts';

/** Entries listed one by one; past this a job shows its counts only (the list would not help). */
const MAX_LISTED = 400;

const STATUS_TEXT: Record<JobEntry['status'], string> = {
  waiting: 'waiting',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

function headline(job: EmbedJob, queued: number): string {
  const what = job.kind === 'image' ? 'images' : 'texts';
  const more = queued > 0 ? ` (${queued} more waiting)` : '';
  switch (job.phase) {
    case 'running':
      return `Embedding ${what}: ${job.done} of ${job.total}${more}`;
    case 'cancelling':
      return `Stopping after the batch in progress…`;
    case 'cancelled':
      return `Stopped: ${job.done - job.failed} of ${job.total} ${what} embedded`;
    case 'failed':
      return `Stopped with an error after ${job.done} of ${job.total} ${what}`;
    case 'finished':
      return job.failed > 0
        ? `Embedded ${job.total - job.failed} of ${job.total} ${what}; ${job.failed} failed`
        : `Embedded ${job.total} ${what}`;
  }
}

/** Progress of the embedding job: one bar, a cancel button, and every input's state. */
export function EmbedProgress() {
  const job = useAppStore((s) => s.embedJob);
  const queued = useAppStore((s) => s.queuedJobs);
  const cancel = useAppStore((s) => s.cancelEmbedding);
  if (!job) return null;
  const active = job.phase === 'running' || job.phase === 'cancelling';
  return (
    <section className="embed-progress" aria-label="Embedding progress" data-phase={job.phase}>
      <div className="embed-progress-head">
        <span role="status" aria-live="polite">
          {headline(job, queued)}
        </span>
        {active && (
          <button type="button" onClick={cancel} disabled={job.phase === 'cancelling'}>
            Cancel
          </button>
        )}
      </div>
      <progress max={Math.max(1, job.total)} value={job.done} aria-label="Items embedded" />
      {job.message && <p className="embed-progress-error">{job.message}</p>}
      {job.entries.length <= MAX_LISTED && (
        // A scrollable list: focusable so keyboard users can scroll it too.
        <ol className="job-entries" tabIndex={0} aria-label="Items in this job">
          {job.entries.map((entry, i) => (
            <li key={i} className={`job-entry job-${entry.status}`}>
              <span className="job-entry-name" title={entry.name}>
                {entry.name}
              </span>
              <span className="job-entry-status">{STATUS_TEXT[entry.status]}</span>
              {entry.message && <span className="job-entry-message">{entry.message}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
