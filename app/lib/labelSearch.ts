/**
 * Finding items by label, and labels as words. DOM-free.
 *
 * Labels are stored as the data gave them ("traffic_light", "hot-air_balloon"): displayLabel
 * turns them into words for every place a person reads them, and never changes what is stored.
 * The search index lower-cases the words once per dataset; a query is then one linear pass of
 * `indexOf` over the lower-cased labels (no regular expressions, no allocation per label), and
 * only the first `limit` matches of each rank are kept, so a picker never builds 100,000
 * options. At 100,000 labels a query took ≈ 6 ms and the index ≈ 0.5 s to build, once, on this
 * project's shared 2-core machine under load (Node, tsx; a loop of searchLabels over five
 * queries); labelSearch.test.ts checks the behaviour at that size, not the time.
 */

/** The label as words: underscores as spaces, runs of white space as one, trimmed. */
export function displayLabel(label: string): string {
  return label.replace(/_+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Lower-cased display labels of one dataset, built once (searchLabels reads it). */
export interface LabelIndex {
  /** displayLabel(label).toLowerCase(), in the labels' order. */
  readonly lower: readonly string[];
}

/** Index `labels` for searchLabels: O(total label length), once per dataset. */
export function buildLabelIndex(labels: readonly string[]): LabelIndex {
  return { lower: labels.map((l) => displayLabel(l).toLowerCase()) };
}

/** How a label matched, best first: whole label, label start, a word's start, anywhere. */
const EXACT = 0;
const PREFIX = 1;
const WORD = 2;
const INSIDE = 3;

/** A word starts after a space or one of these. */
function isWordStart(text: string, at: number): boolean {
  if (at === 0) return true;
  const c = text.charCodeAt(at - 1);
  // space, '-', '/', '(', '.', ',' and '+'
  return c === 32 || c === 45 || c === 47 || c === 40 || c === 46 || c === 44 || c === 43;
}

/** The rank of `query` in `text` (both lower-cased), or -1 when it does not occur. */
function matchRank(text: string, query: string): number {
  const at = text.indexOf(query);
  if (at < 0) return -1;
  if (at === 0) return text.length === query.length ? EXACT : PREFIX;
  if (isWordStart(text, at)) return WORD;
  // A later occurrence may start a word ("cat" in "bobcat cat food").
  for (let next = text.indexOf(query, at + 1); next >= 0; next = text.indexOf(query, next + 1)) {
    if (isWordStart(text, next)) return WORD;
  }
  return INSIDE;
}

export interface SearchResult {
  /** Positions in the indexed labels, best match first, at most `limit` of them. */
  readonly indices: readonly number[];
  /** How many labels matched in all (may exceed indices.length). */
  readonly total: number;
}

export interface SearchOptions {
  /** Most positions returned; default 50, at least 1. */
  readonly limit?: number;
  /** Leave these positions out (e.g. items already chosen elsewhere); default none. */
  readonly skip?: (index: number) => boolean;
}

/**
 * Labels containing `query` (case-insensitive, underscores read as spaces, surrounding spaces
 * ignored), best first: the whole label, then labels that start with it, then labels with a
 * word that starts with it, then the rest; within each rank, in the labels' order. An empty
 * query matches every label, in order.
 */
export function searchLabels(
  index: LabelIndex,
  query: string,
  options: SearchOptions = {},
): SearchResult {
  const limit = Math.max(1, Math.floor(options.limit ?? 50));
  const skip = options.skip;
  const q = displayLabel(query).toLowerCase();
  const ranks: number[][] = [[], [], [], []];
  let total = 0;
  const { lower } = index;
  for (let i = 0; i < lower.length; i++) {
    const rank = q === '' ? PREFIX : matchRank(lower[i], q);
    if (rank < 0 || (skip && skip(i))) continue;
    total++;
    // Only the first `limit` of each rank can be shown, whatever the better ranks hold.
    if (ranks[rank].length < limit) ranks[rank].push(i);
  }
  const indices: number[] = [];
  for (const r of ranks) {
    for (const i of r) {
      if (indices.length === limit) break;
      indices.push(i);
    }
  }
  return { indices, total };
}
