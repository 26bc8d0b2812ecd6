/**
 * "Mean SDR per label": for each label, the average of its items' SDRs, i.e. how often each
 * unit is active among that label's items (0–1). Drawn as a grid of small maps, one per label,
 * it shows where each class lives on the map (the CIFAR-10 figure of the SDR literature).
 * One flat Float32Array of L·m values; each label's map is a view into it. DOM-free.
 */

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
 * (default: all).
 */
export function labelMeans(
  active: Uint32Array,
  n: number,
  k: number,
  m: number,
  labels: readonly string[],
  include: (i: number) => boolean = () => true,
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
  const L = names.length;
  const sums = new Float32Array(L * m);
  for (let i = 0; i < n; i++) {
    const s = itemSlot[i];
    if (s < 0) continue;
    const base = s * m;
    for (let j = 0; j < k; j++) {
      const u = active[i * k + j];
      if (u >= m) throw new LabelMeansError(`unit ${u} is outside the map of ${m} units`);
      sums[base + u]++;
    }
  }
  const out: LabelMean[] = [];
  for (let s = 0; s < L; s++) {
    const mean = sums.subarray(s * m, (s + 1) * m);
    const inv = 1 / counts[s];
    let peak = 0;
    for (let u = 0; u < m; u++) {
      mean[u] *= inv;
      if (mean[u] > peak) peak = mean[u];
    }
    out.push({ label: names[s], count: counts[s], mean, peak });
  }
  return out.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}
