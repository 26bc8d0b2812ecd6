/**
 * Each map's U-matrix, computed once per codebook and shared by the views that draw it (Map,
 * Compare, Item): 20–30 ms of the page's thread for a 32×32 map of dimension 512, which every
 * view paid again on opening. A trained map arrives with the one the train worker computed
 * (rememberUMatrix), so showing it costs the page nothing. Maps are never edited in place: a
 * changed map is a new codebook array, hence a new entry.
 */
import { gridSize, uMatrix, type SomModel } from '../../src/index.ts';

const byCodebook = new WeakMap<Float32Array, Float32Array>();

/** The U-matrix of `som` (m values), from the cache when this codebook has one. */
export function mapUMatrix(som: SomModel): Float32Array {
  let values = byCodebook.get(som.codebook);
  if (!values) {
    values = uMatrix(som);
    byCodebook.set(som.codebook, values);
  }
  return values;
}

/** Keep `values`, computed elsewhere (the train worker), as the U-matrix of `som`. */
export function rememberUMatrix(som: SomModel, values: Float32Array): void {
  if (values.length === gridSize(som.grid)) byCodebook.set(som.codebook, values);
}
