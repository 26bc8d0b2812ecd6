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
    return <WaitingForModel />;
  }
  return null;
}

const MB = 1024 * 1024;

/**
 * Before any model is loaded: one button downloads the chosen CLIP model (the side panel says
 * which, and how large) and the atlas then builds by itself. We ask rather than start a download
 * of 100+ MB unasked, which would be unkind on a metered connection.
 */
function WaitingForModel() {
  const status = useAppStore((s) => s.modelStatus);
  const progress = useAppStore((s) => s.modelProgress);
  const error = useAppStore((s) => s.modelError);
  const loadModel = useAppStore((s) => s.loadModel);
  if (status === 'loading') {
    const total = progress?.total ?? 0;
    return (
      <div className="atlas-status" role="status" aria-live="polite">
        <span>
          Downloading the CLIP model
          {total > 0
            ? `: ${((progress?.loaded ?? 0) / MB).toFixed(1)} of ${(total / MB).toFixed(1)} MB`
            : '…'}{' '}
          The concept atlas is built as soon as it is ready.
        </span>
      </div>
    );
  }
  return (
    <div className="atlas-status" role="status">
      <span>
        The built-in concept atlas is a map of 1,000 everyday concepts, built in this page with
        CLIP. {status === 'error' && error ? `The model did not load: ${error} ` : ''}
      </span>
      <button type="button" onClick={() => void loadModel()}>
        Download the CLIP model and build the atlas
      </button>
      <span className="muted">Model, size and device: see the Model panel.</span>
    </div>
  );
}
