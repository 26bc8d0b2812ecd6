/**
 * The rows of a matrix nearest to a query by cosine: "the items nearest to this unit" and, in
 * tests, "the unit nearest to this item". Plain functions, no DOM.
 */

function checkRows(what: string, data: Float32Array, n: number, d: number): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
    throw new RangeError(`${what} must hold ${n}×${d} floats, got ${data.length}`);
  }
}

/**
 * The `count` rows of `data` (n·d, unit length) nearest by cosine to `query` (d floats, any
 * length), best first; ties go to the lower row. For "top items of a unit".
 */
export function nearestRows(
  query: Float32Array,
  data: Float32Array,
  n: number,
  d: number,
  count: number,
): { index: Uint32Array; cosine: Float32Array } {
  if (query.length !== d) throw new RangeError(`query must hold ${d} floats, got ${query.length}`);
  if (n === 0) return { index: new Uint32Array(0), cosine: new Float32Array(0) };
  checkRows('the data', data, n, d);
  let qn = 0;
  for (let t = 0; t < d; t++) qn += query[t] * query[t];
  const inv = qn > 0 ? 1 / Math.sqrt(qn) : 0;
  const c = Math.max(0, Math.min(count, n));
  // A small sorted list (insertion into c slots): c is a handful, n can be large.
  const idx = new Uint32Array(c);
  const val = new Float64Array(c).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let t = 0; t < d; t++) s += query[t] * data[o + t];
    if (c === 0 || s <= val[c - 1]) continue;
    let p = c - 1;
    while (p > 0 && val[p - 1] < s) {
      val[p] = val[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    val[p] = s;
    idx[p] = i;
  }
  return { index: idx, cosine: Float32Array.from(val, (s) => s * inv) };
}
