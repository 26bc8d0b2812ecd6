import { describe, expect, it } from 'vitest';
import { buildLabelIndex, displayLabel, searchLabels } from './labelSearch.ts';

describe('displayLabel', () => {
  it('reads underscores as spaces without touching the rest', () => {
    expect(displayLabel('traffic_light')).toBe('traffic light');
    expect(displayLabel('hot-air_balloon')).toBe('hot-air balloon');
    expect(displayLabel('  a__b  c ')).toBe('a b c');
    expect(displayLabel('Cat')).toBe('Cat');
  });
});

describe('searchLabels', () => {
  const labels = ['bobcat', 'cat_food', 'Cat', 'wildcat', 'scatter', 'dog', 'black_cat'];
  const index = buildLabelIndex(labels);
  const found = (q: string, limit?: number) =>
    searchLabels(index, q, { limit }).indices.map((i) => labels[i]);

  it('ranks the whole label, then starts, then word starts, then the rest', () => {
    expect(found('cat')).toEqual(['Cat', 'cat_food', 'black_cat', 'bobcat', 'wildcat', 'scatter']);
  });

  it('ignores case and reads typed spaces as the stored underscores', () => {
    expect(found('CAT F')).toEqual(['cat_food']);
    expect(found('black cat')).toEqual(['black_cat']);
  });

  it('offers every label in order for an empty query, up to the limit', () => {
    expect(found('', 3)).toEqual(['bobcat', 'cat_food', 'Cat']);
    expect(searchLabels(index, '  ', { limit: 3 }).total).toBe(labels.length);
  });

  it('leaves out skipped positions and finds nothing for a missing word', () => {
    expect(searchLabels(index, 'cat', { skip: (i) => i === 2 }).indices).not.toContain(2);
    expect(searchLabels(index, 'zebra')).toEqual({ indices: [], total: 0 });
  });

  it('finds a label among 100,000 by part of it, and caps what it returns', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => `item_${i}_of_set`);
    many[73_421] = 'hot-air_balloon';
    const big = buildLabelIndex(many);
    expect(searchLabels(big, 'air ball').indices).toEqual([73_421]);
    expect(searchLabels(big, 'balloon').total).toBe(1);
    // "item 9" starts 11,111 labels (9, 90–99, 900–999, …): all counted, 50 returned, in order.
    const nine = searchLabels(big, 'item 9');
    expect(nine.total).toBe(11_111);
    expect(nine.indices).toHaveLength(50);
    expect(nine.indices.slice(0, 3)).toEqual([9, 90, 91]);
    expect(searchLabels(big, 'item 99999 of set').indices).toEqual([99_999]);
  });
});
