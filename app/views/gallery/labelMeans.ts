/**
 * "Mean SDR per label": for each label, the average of its items' SDRs, i.e. how often each
 * unit is active among that label's items (0–1). Drawn as a grid of small maps, one per label,
 * it shows where each class lives on the map (the CIFAR-10 figure of the SDR literature).
 * One flat Float32Array of L·m values for the L labels asked for; each label's map is a view
 * into it. Only the labels shown are summed: 100,000 distinct labels on a 64×64 map would
 * otherwise take 1.6 GB (every imported row without a labels file has a label of its own).
 * DOM-free.
 */

/** Ties in item count are ordered by this (as localeCompare, without its per-call cost). */
const collator = new Intl.Collator();

export interface LabelMean {
  readonly label: string;
  /** Items with this label. */
  readonly count: number;
  /** Per unit: the share of the label's items whose SDR contains it (m values, a view). */
  readonly mean: Float32Array;
  /** The highest share of any unit: 1 when some unit is active in every item of the label. */
  readonly peak: number;
}

export class LabelMeansError extends Error {
  override name = 'LabelMeansError';
}

/**
 * Mean SDR of each label over n SDRs of K units (`active`, n·k, units < m), labels ordered by
 * item count (most first), ties alphabetically. Items whose `include(i)` is false are skipped
 * (default: all). Only the first `limit` labels of that order are returned (default all, from 0).
 */
export function labelMeans(
  active: Uint32Array,
  n: number,
  k: number,
  m: number,
  labels: readonly string[],
  include: (i: number) => boolean = () => true,
  limit = Infinity,
): LabelMean[] {
  if (labels.length < n)
    throw new LabelMeansError(`${n} items need ${n} labels, got ${labels.length}`);
  if (active.length < n * k) {
    throw new LabelMeansError(
      `${n} SDRs of ${k} units need ${n * k} indices, got ${active.length}`,
    );
  }
  const slot = new Map<string, number>();
  const counts: number[] = [];
  const names: string[] = [];
  const itemSlot = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    const label = labels[i];
    let s = slot.get(label);
    if (s === undefined) {
      s = names.length;
      slot.set(label, s);
      names.push(label);
      counts.push(0);
    }
    counts[s]++;
    itemSlot[i] = s;
  }
  // The labels to sum, in the order shown; a slot not among them is skipped below.
  const order = names.map((_, s) => s);
  order.sort((a, b) => counts[b] - counts[a] || collator.compare(names[a], names[b]));
  const L = Math.min(order.length, Math.max(0, Math.floor(limit)));
  const row = new Int32Array(names.length).fill(-1);
  for (let r = 0; r < L; r++) row[order[r]] = r;
  const sums = new Float32Array(L * m);
  for (let i = 0; i < n; i++) {
    const s = itemSlot[i];
    if (s < 0) continue;
    const r = row[s];
    const base = r * m;
    for (let j = 0; j < k; j++) {
      const u = active[i * k + j];
      if (u >= m) throw new LabelMeansError(`unit ${u} is outside the map of ${m} units`);
      if (r >= 0) sums[base + u]++;
    }
  }
  const out: LabelMean[] = [];
  for (let r = 0; r < L; r++) {
    const s = order[r];
    const mean = sums.subarray(r * m, (r + 1) * m);
    const inv = 1 / counts[s];
    let peak = 0;
    for (let u = 0; u < m; u++) {
      mean[u] *= inv;
      if (mean[u] > peak) peak = mean[u];
    }
    out.push({ label: names[s], count: counts[s], mean, peak });
  }
  return out;
}

/** How many distinct labels the items whose `include(i)` is true (default all) have. */
export function countLabels(
  labels: readonly string[],
  n: number,
  include: (i: number) => boolean = () => true,
): number {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) if (include(i)) seen.add(labels[i]);
  return seen.size;
}
