/**
 * Scale each row of a flat n·d matrix to unit Euclidean length, in place, as CLIP does before
 * comparing embeddings. A row of zeros (which CLIP never produces) stays zero rather than NaN.
 * Returns `data` for chaining.
 */
export function normalizeRows(data: Float32Array, dim: number): Float32Array {
  if (!Number.isInteger(dim) || dim < 1 || data.length % dim !== 0) {
    throw new RangeError(`cannot split ${data.length} values into rows of ${dim}`);
  }
  for (let start = 0; start < data.length; start += dim) {
    let sum = 0;
    for (let j = start; j < start + dim; j++) sum += data[j] * data[j];
    if (sum === 0) continue;
    const inv = 1 / Math.sqrt(sum);
    for (let j = start; j < start + dim; j++) data[j] *= inv;
  }
  return data;
}
