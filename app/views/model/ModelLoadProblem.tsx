import { useAppStore } from '../../store/index.ts';
import { BUILTIN_ATLAS_ID } from '../../lib/builtinAtlas.ts';

/**
 * Why a model did not load, in words a person can act on, read from the loader's message: the
 * browser's own wording ("Failed to fetch", "NetworkError", "404") says little by itself.
 */
export function describeModelFailure(message: string): string {
  if (/abort|cancel/i.test(message)) return 'Loading the model was cancelled.';
  if (/\b404\b|not found/i.test(message)) {
    return 'The model files are not at that address (the server answered "not found"): check the model id or the model folder.';
  }
  if (/failed to fetch|networkerror|load failed|err_|cors|blocked|offline|network/i.test(message)) {
    return "The model's site could not be reached: this browser is offline, a firewall or the browser blocks it, or the site does not allow this page to download from it (CORS).";
  }
  return `The model did not load: ${message}`;
}

/**
 * After a failed model load: the reason, and what works without that model, as buttons: the
 * built-in atlas (a file of this page), importing embeddings made elsewhere, a model folder
 * on a reachable server, or trying again.
 */
export function ModelLoadProblem({ message }: { readonly message: string }) {
  const openBuiltin = useAppStore((s) => s.openBuiltinMap);
  const load = useAppStore((s) => s.loadModel);
  const focusInput = (selector: string, click: boolean) => {
    const input = document.querySelector<HTMLInputElement>(selector);
    if (!input) return;
    if (click) input.click();
    else input.focus();
  };
  return (
    <div className="model-problem" role="alert">
      <p>{describeModelFailure(message)}</p>
      <p className="muted">
        The model is needed only to embed your own images and typed text; the built-in atlas and
        imported embeddings work without it.
      </p>
      <div className="model-problem-actions">
        <button type="button" onClick={() => void openBuiltin(BUILTIN_ATLAS_ID)}>
          Open the built-in atlas
        </button>
        <button type="button" onClick={() => focusInput('[data-testid="embeddings-input"]', true)}>
          Import embeddings…
        </button>
        <button type="button" onClick={() => focusInput('input[name="model-folder"]', false)}>
          Use a model folder
        </button>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    </div>
  );
}
