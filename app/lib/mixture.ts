/**
 * Mixtures: "A + B (+ C)" as one embedding, the normalised mean of the parts' unit-length
 * embeddings (the point on the sphere halfway between them). Encoded on the map it shows what
 * a blend of concepts looks like as an SDR. DOM-free.
 */

/** Fewest and most parts a mixture has. */
export const MIN_MIX_PARTS = 2;
export const MAX_MIX_PARTS = 3;

/** Longest part label kept whole in a mixture's label; longer ones end in '…'. */
const PART_LABEL_MAX = 40;

export class MixtureError extends Error {
  override name = 'MixtureError';
}

/**
 * The normalised mean of `rows` (2 or 3 vectors of one length d ≥ 1) as a new unit-length
 * Float32Array. Refuses parts that cancel out (the mean has no direction left to normalise).
 */
export function mixEmbeddings(rows: readonly Float32Array[]): Float32Array {
  if (rows.length < MIN_MIX_PARTS || rows.length > MAX_MIX_PARTS) {
    throw new MixtureError(
      `A mixture takes ${MIN_MIX_PARTS} or ${MAX_MIX_PARTS} items, got ${rows.length}.`,
    );
  }
  const d = rows[0].length;
  if (d < 1) throw new MixtureError('A mixture needs embeddings with at least one number.');
  for (const row of rows) {
    if (row.length !== d) {
      throw new MixtureError(
        `The items have embeddings of different sizes (${d} and ${row.length}).`,
      );
    }
  }
  // Sum in float64: the parts are unit length, so their mean's norm is what we normalise by.
  const sum = new Float64Array(d);
  for (const row of rows) {
    for (let t = 0; t < d; t++) sum[t] += row[t];
  }
  let norm = 0;
  for (let t = 0; t < d; t++) norm += sum[t] * sum[t];
  norm = Math.sqrt(norm);
  if (!(norm > 1e-6) || !Number.isFinite(norm)) {
    throw new MixtureError('These items cancel out: their mean has no direction to encode.');
  }
  const out = new Float32Array(d);
  for (let t = 0; t < d; t++) out[t] = sum[t] / norm;
  return out;
}

/** "cat + pyramid": the parts' labels joined, each shortened to 40 characters. */
export function mixtureLabel(labels: readonly string[]): string {
  return labels
    .map((l) => {
      const t = l.trim().replace(/\s+/g, ' ');
      return t.length > PART_LABEL_MAX ? `${t.slice(0, PART_LABEL_MAX - 1)}…` : t;
    })
    .join(' + ');
}
