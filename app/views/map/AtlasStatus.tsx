import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/index.ts';
import { readModelId } from '../../store/mapSlice.ts';

const PHASE_TEXT: Record<string, string> = {
  loading: 'Reading the concept vocabulary',
  embedding: 'Embedding concepts with CLIP',
  training: 'Training the 32×32 concept map',
  labelling: 'Naming units after their nearest concepts',
};

/** Progress of the built-in concept atlas while it is built; a retry after a failure. */
export function AtlasStatus() {
  const atlas = useAppStore(useShallow((s) => ({ ...s.atlas })));
  const hasModel = useAppStore((s) => readModelId(s) !== null);
  const build = useAppStore((s) => s.buildAtlas);
  const phase = PHASE_TEXT[atlas.status];
  if (phase) {
    const pct = atlas.total > 0 ? Math.round((100 * atlas.done) / atlas.total) : null;
    return (
      <div className="atlas-status" role="status" aria-live="polite">
        <div className="atlas-line">
          <strong>Building the concept atlas</strong>
          <span>
            {phase}
            {atlas.total > 0 ? `: ${atlas.done} of ${atlas.total}` : '…'}
          </span>
        </div>
        <progress
          max={atlas.total || 1}
          value={atlas.total > 0 ? atlas.done : undefined}
          aria-label={`Concept atlas: ${phase}${pct === null ? '' : `, ${pct}%`}`}
        />
        <p className="muted">
          Done once per model: the atlas is then kept in this browser and shows at once.
        </p>
      </div>
    );
  }
  if (atlas.status === 'error') {
    return (
      <div className="atlas-status atlas-error" role="alert">
        <span>The concept atlas could not be built: {atlas.message}</span>
        {hasModel && (
          <button type="button" onClick={() => void build({ force: true })}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (atlas.status === 'waiting-for-model' || (!hasModel && atlas.status === 'idle')) {
    return (
      <div className="atlas-status" role="status">
        <span>
          Load a CLIP model (side panel) and the built-in concept atlas is built from 1,000 everyday
          concepts.
        </span>
      </div>
    );
  }
  return null;
}
