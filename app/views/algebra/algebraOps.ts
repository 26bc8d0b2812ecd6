import { complement, difference, intersection, unionAll, type SDR } from '../../../src/index.ts';
/**
 * Set algebra on the SDRs of picked items (src/sdr/algebra.ts) and what the result is near:
 * the concepts its units are named after (the map's unit labels). DOM-free.
 */

export type SetOperation = 'union' | 'intersection' | 'difference' | 'not';

export const OPERATIONS: readonly {
  readonly id: SetOperation;
  readonly label: string;
  readonly hint: string;
}[] = [
  { id: 'union', label: 'Union ∪', hint: 'units active in any of the items' },
  { id: 'intersection', label: 'Intersection ∩', hint: 'units active in every item' },
  {
    id: 'difference',
    label: 'Difference ∖',
    hint: 'units of the first item that none of the others use',
  },
  { id: 'not', label: 'NOT ¬', hint: 'every unit none of the items use' },
];

/**
 * The operation over the operands' SDRs (all on one grid): union and intersection of all of
 * them; difference = the first minus the union of the rest; NOT = the complement of their union.
 */
export function applyOperation(op: SetOperation, operands: readonly SDR[]): SDR {
  if (operands.length === 0) throw new RangeError('pick at least one item');
  const [first, ...rest] = operands;
  switch (op) {
    case 'union':
      return unionAll(operands);
    case 'intersection':
      return rest.reduce((acc, s) => intersection(acc, s), first);
    case 'difference':
      return rest.length === 0 ? first : difference(first, unionAll(rest));
    case 'not':
      return complement(unionAll(operands));
  }
}

/** The operation written out with the items' names, e.g. "cat ∖ (dog ∪ bird)". */
export function describeOperation(op: SetOperation, names: readonly string[]): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => `“${n}”`);
  const group = (list: readonly string[], sym: string) =>
    list.length === 1 ? list[0] : `(${list.join(` ${sym} `)})`;
  switch (op) {
    case 'union':
      return quoted.join(' ∪ ');
    case 'intersection':
      return quoted.join(' ∩ ');
    case 'difference':
      return quoted.length === 1 ? quoted[0] : `${quoted[0]} ∖ ${group(quoted.slice(1), '∪')}`;
    case 'not':
      return `¬${group(quoted, '∪')}`;
  }
}

export interface ConceptCount {
  readonly label: string;
  /** Active units of the SDR carrying this label. */
  readonly units: number;
}

/**
 * The unit labels under the SDR's active units, most units first (ties: the label met first,
 * in unit order), at most `topN`. Empty labels are skipped; null labels give an empty list.
 */
export function conceptsOf(
  sdr: SDR,
  unitLabels: readonly (string | null | undefined)[] | null,
  topN: number,
): ConceptCount[] {
  if (!unitLabels) return [];
  const counts = new Map<string, number>();
  for (const u of sdr.active) {
    const label = unitLabels[u];
    if (!label) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  // Map keeps insertion order, and sort is stable: ties stay in unit order.
  return [...counts]
    .map(([label, units]) => ({ label, units }))
    .sort((a, b) => b.units - a.units)
    .slice(0, Math.max(0, topN));
}
