/**
 * Which model made a set of embeddings, and the one rule that keeps models apart: embeddings
 * of two different models live in two unrelated spaces (even at the same dimension), so a map
 * or a dataset never mixes them silently. Rows whose model is unknown (imported from a file
 * with no model named) cannot be checked and are let in.
 */

/** The model id imported embeddings carry when the app cannot know which model made them. */
export const UNKNOWN_MODEL_ID = 'imported';

/** Whether `modelId` names a real model (not null, not "unknown"). */
function isKnownModel(modelId: string | null | undefined): modelId is string {
  return !!modelId && modelId !== UNKNOWN_MODEL_ID;
}

/** The one known model the rows of a dataset come from, or null (none known, or several). */
export function datasetModelId(items: readonly { readonly modelId: string }[]): string | null {
  let model: string | null = null;
  for (const item of items) {
    if (!isKnownModel(item.modelId)) continue;
    if (model === null) model = item.modelId;
    else if (model !== item.modelId) return null;
  }
  return model;
}

/** Whether rows of model `incoming` do not belong on a map made from `mapModel`. */
export function mapModelDiffers(incoming: string, mapModel: string | null): boolean {
  return isKnownModel(incoming) && isKnownModel(mapModel) && mapModel !== incoming;
}

export interface ModelTargets {
  /** The model the current map was made from (map.model), or null when there is no map. */
  readonly mapModel: string | null;
  /** How the header names that model ("CLIP ViT-B/32 (text prompts)"); default the id. */
  readonly mapModelLabel?: string | null;
  /** The models the dataset's items come from (one entry per item is fine). */
  readonly datasetModels: readonly string[];
}

/**
 * Why rows embedded by `incoming` (a model id) from `source` ("The model", a file name) may not
 * join the current map and dataset, as sentences; null when they may. Into an EMPTY dataset they
 * may always come: the caller then closes a map of another model (mapModelDiffers) and says so,
 * so a person's own data never ends up on a map it does not belong to, and is never stuck.
 */
export function modelMixProblem(
  incoming: string,
  source: string,
  targets: ModelTargets,
): string | null {
  if (!isKnownModel(incoming)) return null;
  const other = targets.datasetModels.find((m) => isKnownModel(m) && m !== incoming);
  if (other) {
    return `${source} embeds with ${incoming}, but your data was embedded with ${other}. Two models place things in unrelated spaces, so their embeddings cannot share one map; nothing was added. Clear the data (Data tab) to start over with ${incoming}, or load ${other} again.`;
  }
  if (targets.datasetModels.length > 0 && mapModelDiffers(incoming, targets.mapModel)) {
    const name = targets.mapModelLabel ?? targets.mapModel;
    return `${source} embeds with ${incoming}, but the current map and data come from ${name}. Points from another model would land in meaningless places, so nothing was added. Load ${targets.mapModel} to add to this map, or clear the data (Data tab) and add your items again to train a map of your own.`;
  }
  return null;
}
