import { useAppStore } from '../../store/index.ts';
import { BUILTIN_ATLAS_ID } from '../../lib/builtinAtlas.ts';

/**
 * While there is no map: the built-in atlas on its way, why it did not open (with a retry), or
 * a button that opens it. It is a file of this page, so no model and no other site is needed.
 */
export function BuiltinAtlasStatus() {
  const status = useAppStore((s) => s.builtinStatus);
  const error = useAppStore((s) => s.builtinError);
  const open = useAppStore((s) => s.openBuiltinMap);
  if (status === 'loading') {
    return (
      <p className="atlas-status" role="status" aria-live="polite">
        Opening the built-in concept atlas…
      </p>
    );
  }
  return (
    <div className="atlas-status" role={status === 'error' ? 'alert' : 'status'}>
      <span>
        {status === 'error'
          ? `The built-in concept atlas did not open: ${error ?? 'unknown reason'}.`
          : 'The built-in concept atlas maps 1,224 everyday concepts (CLIP ViT-B/32); it opens without any model download.'}
      </span>
      <button type="button" onClick={() => void open(BUILTIN_ATLAS_ID)}>
        {status === 'error' ? 'Try again' : 'Open the built-in atlas'}
      </button>
    </div>
  );
}
