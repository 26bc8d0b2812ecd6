/**
 * What an SDR is "about" in words: the unit labels that occur most often among its active units,
 * e.g. "cat, kitten, dog". DOM-free.
 */

/**
 * The `count` (default 3, at least 1) most frequent non-empty labels of the units in `active`,
 * most frequent first, ties in alphabetical order, joined by ", "; '' when none has a label.
 */
export function summariseLabels(
  active: ArrayLike<number>,
  labels: readonly (string | null | undefined)[],
  count = 3,
): string {
  const counts = new Map<string, number>();
  for (let i = 0; i < active.length; i++) {
    const l = labels[active[i]];
    if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, Math.max(1, count))
    .map(([l]) => l)
    .join(', ');
}
