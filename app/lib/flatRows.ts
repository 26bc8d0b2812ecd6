/**
 * Row operations on a flat n·d Float32Array. Each returns a NEW array: the store keeps the
 * dataset's embeddings by reference and replaces them, so views and workers holding the old
 * array never see it change under them.
 */

/** `base` (n·d) followed by each row in `rows` (each exactly d long), as a new array. */
export function appendRows(
  base: Float32Array,
  d: number,
  rows: readonly Float32Array[],
): Float32Array {
  if (!Number.isInteger(d) || d < 1) throw new Error(`dimension must be at least 1, got ${d}`);
  if (base.length % d !== 0) {
    throw new Error(`an array of ${base.length} floats is not a whole number of ${d}-d rows`);
  }
  for (let i = 0; i < rows.length; i++) {
    if (rows[i].length !== d) {
      throw new Error(`row ${i + 1} has ${rows[i].length} values, expected ${d}`);
    }
  }
  const out = new Float32Array(base.length + rows.length * d);
  out.set(base, 0);
  let offset = base.length;
  for (const row of rows) {
    out.set(row, offset);
    offset += d;
  }
  return out;
}

/** The rows of `data` (n·d) whose index `keep(i)` accepts, in order, as a new array. */
export function filterRows(
  data: Float32Array,
  d: number,
  keep: (row: number) => boolean,
): Float32Array {
  if (!Number.isInteger(d) || d < 1) throw new Error(`dimension must be at least 1, got ${d}`);
  const n = data.length / d;
  if (!Number.isInteger(n)) {
    throw new Error(`an array of ${data.length} floats is not a whole number of ${d}-d rows`);
  }
  let kept = 0;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (keep(i)) {
      mask[i] = 1;
      kept++;
    }
  }
  const out = new Float32Array(kept * d);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    if (mask[i] === 0) continue;
    out.set(data.subarray(i * d, (i + 1) * d), offset);
    offset += d;
  }
  return out;
}

/** A copy of row `i` that owns its own buffer (safe to store or transfer, unlike a subarray). */
export function copyRow(data: Float32Array, d: number, i: number): Float32Array {
  return data.slice(i * d, (i + 1) * d);
}
