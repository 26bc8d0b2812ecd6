/**
 * The k largest of m scores without sorting all m: a size-k min-heap (the root is the weakest of
 * the best k so far), O(m log k) worst case and ~O(m) when most scores lose to the root at once,
 * which is the usual case for k ≪ m.
 *
 * Order is total: a higher score wins, and on equal scores the lower index wins, so the result
 * is exactly the first k of a stable descending sort.
 */

/** Whether (va, ia) ranks below (vb, ib). */
function weaker(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

/** Reusable heap storage for {@link topKIndices}, sized for k. */
export interface TopKScratch {
  readonly values: Float64Array;
  readonly indices: Int32Array;
}

export function createTopKScratch(k: number): TopKScratch {
  return { values: new Float64Array(k), indices: new Int32Array(k) };
}

/**
 * Indices of the k largest of `scores[offset .. offset + m)`, written ascending into
 * `out[outOffset .. outOffset + k)`. Returns the largest score. Requires 1 ≤ k ≤ m.
 */
export function topKIndices(
  scores: ArrayLike<number>,
  offset: number,
  m: number,
  k: number,
  out: Uint32Array,
  outOffset: number,
  scratch: TopKScratch = createTopKScratch(k),
): number {
  if (!Number.isInteger(k) || k < 1 || k > m) {
    throw new RangeError(`k must be an integer from 1 to ${m}, got ${k}`);
  }
  const hv = scratch.values;
  const hi = scratch.indices;
  // Heapify the first k scores.
  for (let j = 0; j < k; j++) {
    hv[j] = scores[offset + j];
    hi[j] = j;
  }
  for (let start = (k >> 1) - 1; start >= 0; start--) siftDown(hv, hi, k, start);
  for (let j = k; j < m; j++) {
    const v = scores[offset + j];
    if (weaker(hv[0], hi[0], v, j)) {
      hv[0] = v;
      hi[0] = j;
      siftDown(hv, hi, k, 0);
    }
  }
  let best = -Infinity;
  for (let t = 0; t < k; t++) if (hv[t] > best) best = hv[t];
  const row = out.subarray(outOffset, outOffset + k);
  for (let t = 0; t < k; t++) row[t] = hi[t];
  row.sort();
  return best;
}

function siftDown(hv: Float64Array, hi: Int32Array, size: number, start: number): void {
  let p = start;
  for (;;) {
    const l = 2 * p + 1;
    if (l >= size) return;
    const r = l + 1;
    let c = l;
    if (r < size && weaker(hv[r], hi[r], hv[l], hi[l])) c = r;
    if (!weaker(hv[c], hi[c], hv[p], hi[p])) return;
    const tv = hv[p];
    const ti = hi[p];
    hv[p] = hv[c];
    hi[p] = hi[c];
    hv[c] = tv;
    hi[c] = ti;
    p = c;
  }
}
