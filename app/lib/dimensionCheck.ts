/**
 * One rule for every way embeddings come in (embedded here, imported from a file, or placed on
 * a map): their dimension must match what is already there, or they are refused with a message
 * that says both numbers and that nothing was changed.
 */

export interface DimensionTargets {
  /** Dimension of the current dataset's embeddings; null or 0 when it is empty (anything goes). */
  readonly datasetDim?: number | null;
  /** Items in the current dataset, to say they are kept. Default 0. */
  readonly datasetSize?: number;
  /** Dimension of the current map's codebook; null or absent when there is no map. */
  readonly mapDim?: number | null;
}

/**
 * Why `incoming`-dimensional embeddings from `source` (a file name, 'The model') cannot join
 * the current dataset or map, as one sentence; null when they can.
 */
export function dimensionProblem(
  incoming: number,
  source: string,
  targets: DimensionTargets,
): string | null {
  if (!Number.isInteger(incoming) || incoming < 1) {
    return `${source} has no usable embeddings (dimension ${incoming}).`;
  }
  const kept =
    targets.datasetSize && targets.datasetSize > 0
      ? ` Nothing was added; your ${targets.datasetSize === 1 ? '1 item is' : `${targets.datasetSize} items are`} unchanged.`
      : ' Nothing was added.';
  if (targets.datasetDim && targets.datasetDim !== incoming) {
    return `${source} gives ${incoming}-dimensional embeddings, but the current dataset's are ${targets.datasetDim}-dimensional.${kept}`;
  }
  if (targets.mapDim && targets.mapDim !== incoming) {
    return `${source} gives ${incoming}-dimensional embeddings, but the current map was trained on ${targets.mapDim}-dimensional ones.${kept}`;
  }
  return null;
}
