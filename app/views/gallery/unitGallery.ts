/**
 * Top-activating galleries: which items have a unit in their SDR, how often a unit is active
 * (its activation density), and those items ranked by cosine to the unit's codebook row.
 * The unit → items lists are built once per encoding as one CSR pair of flat arrays. DOM-free.
 */

/** For every unit, the items whose SDR contains it (ascending item order). */
export interface UnitMembers {
  /** Units m. */
  readonly m: number;
  /** Items n. */
  readonly n: number;
  /** m + 1 offsets: unit u's items are `items[offsets[u] .. offsets[u + 1])`. */
  readonly offsets: Uint32Array;
  readonly items: Uint32Array;
}

export class UnitGalleryError extends Error {
  override name = 'UnitGalleryError';
}

/** Invert n SDRs of K units each (`active`, n·k, units < m) into per-unit item lists. */
export function unitMembers(active: Uint32Array, n: number, k: number, m: number): UnitMembers {
  if (active.length < n * k) {
    throw new UnitGalleryError(
      `${n} SDRs of ${k} units need ${n * k} indices, got ${active.length}`,
    );
  }
  const offsets = new Uint32Array(m + 1);
  for (let p = 0; p < n * k; p++) {
    const u = active[p];
    if (u >= m) throw new UnitGalleryError(`unit ${u} is outside the map of ${m} units`);
    offsets[u + 1]++;
  }
  for (let u = 0; u < m; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, m);
  const items = new Uint32Array(n * k);
  // Items in ascending order: each unit's list comes out sorted without a sort.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) items[fill[active[i * k + j]]++] = i;
  }
  return { m, n, offsets, items };
}

/** Unit u's items (a view, no copy). */
export function membersOf(members: UnitMembers, unit: number): Uint32Array {
  if (!Number.isInteger(unit) || unit < 0 || unit >= members.m) {
    throw new UnitGalleryError(`unit ${unit} is outside the map of ${members.m} units`);
  }
  return members.items.subarray(members.offsets[unit], members.offsets[unit + 1]);
}

/** Per unit, the fraction of the n items whose SDR contains it (0–1; NaN for every unit when n = 0). */
export function activationDensity(members: UnitMembers): Float32Array {
  const out = new Float32Array(members.m);
  for (let u = 0; u < members.m; u++) {
    out[u] = (members.offsets[u + 1] - members.offsets[u]) / members.n;
  }
  return out;
}

export interface RankedMembers {
  /** Item indices, most similar to the unit first. */
  readonly index: Uint32Array;
  /** Cosine between each item's embedding and the unit's codebook row. */
  readonly cosine: Float32Array;
  /** All items with the unit active (the ranking may show fewer). */
  readonly total: number;
}

/**
 * Unit `unit`'s items ranked by cosine between their embedding (row of `embeddings`, n·d) and
 * the unit's codebook row, best first, at most `limit` of them (default 24, at least 1).
 */
export function rankMembers(
  members: UnitMembers,
  unit: number,
  codebook: Float32Array,
  embeddings: Float32Array,
  d: number,
  limit = 24,
): RankedMembers {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new UnitGalleryError(`limit must be a whole number of at least 1, got ${limit}`);
  }
  if (embeddings.length < members.n * d || codebook.length < members.m * d) {
    throw new UnitGalleryError(
      `expected ${members.n} item rows and ${members.m} unit rows of ${d} numbers`,
    );
  }
  const list = membersOf(members, unit);
  const w = codebook.subarray(unit * d, (unit + 1) * d);
  let wn = 0;
  for (let t = 0; t < d; t++) wn += w[t] * w[t];
  const inv = wn > 0 ? 1 / Math.sqrt(wn) : 0;
  const scores = new Float64Array(list.length);
  for (let r = 0; r < list.length; r++) {
    const o = list[r] * d;
    let s = 0;
    let en = 0;
    for (let t = 0; t < d; t++) {
      const e = embeddings[o + t];
      s += e * w[t];
      en += e * e;
    }
    scores[r] = en > 0 ? (s * inv) / Math.sqrt(en) : 0;
  }
  const order = Array.from(list.keys()).sort((a, b) => scores[b] - scores[a] || list[a] - list[b]);
  const count = Math.min(limit, list.length);
  const index = new Uint32Array(count);
  const cosine = new Float32Array(count);
  for (let r = 0; r < count; r++) {
    index[r] = list[order[r]];
    cosine[r] = scores[order[r]];
  }
  return { index, cosine, total: list.length };
}
