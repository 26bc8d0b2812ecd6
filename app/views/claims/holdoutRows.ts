/**
 * Which rows the novelty hold-out check leaves out, from what a person types: every item whose
 * label is the typed text (case and underscores ignored: "Traffic light" is "traffic_light"),
 * when at least two are; else every item whose label has the typed words as whole words ("dog"
 * finds "a dog running on the beach" and "dog", not "hotdog"). DOM-free.
 */
import { displayLabel } from '../../lib/labelSearch.ts';

export interface HoldoutMatch {
  /** Matching rows, ascending. */
  readonly rows: number[];
  /** 'label': labels equal to the text; 'words': labels containing it as whole words. */
  readonly by: 'label' | 'words' | 'none';
}

const normal = (text: string): string => displayLabel(text).toLowerCase();

export function holdoutRows(labels: readonly string[], typed: string): HoldoutMatch {
  const want = normal(typed);
  if (want === '') return { rows: [], by: 'none' };
  const exact: number[] = [];
  labels.forEach((label, i) => {
    if (normal(label) === want) exact.push(i);
  });
  // One item is no class: "dog" on the concept atlas is one label, "hot dog" and "dog collar"
  // hold the word too.
  if (exact.length >= 2) return { rows: exact, by: 'label' };
  const words: number[] = [];
  labels.forEach((label, i) => {
    const text = ` ${normal(label).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
    if (text.includes(` ${want.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `)) words.push(i);
  });
  return { rows: words, by: words.length > 0 ? 'words' : 'none' };
}
