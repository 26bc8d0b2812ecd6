/** Errors of the embedding engine: each carries one human sentence for the page or the CLI. */

/** Bad settings or input (a model folder that is not a path or URL, an empty batch size…). */
export class EmbedInputError extends Error {
  override readonly name = 'EmbedInputError';
}

/** The model could not be loaded (files missing, not a CLIP model, runtime failed). */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
}

/** Work stopped by its AbortSignal. */
export class EmbedCancelledError extends Error {
  override readonly name = 'EmbedCancelledError';
  constructor(what = 'Model loading') {
    super(`${what} was cancelled.`);
  }
}
