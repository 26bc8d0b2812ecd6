import { describe, expect, it } from 'vitest';
import type { DataItem } from './dataSlice.ts';
import {
  exploreLabel,
  exploreRow,
  listExploreItems,
  usableMixtures,
  type ExploreSource,
  type MixtureItem,
} from './exploreItems.ts';

const items: DataItem[] = [
  { id: 'u1', seq: 1, kind: 'text', label: 'cat', text: 'a cat', source: '', modelId: 'm' },
  { id: 'u2', seq: 2, kind: 'image', label: 'dogs', source: 'd.jpg', modelId: 'm' },
];
const mix = (id: string, d: number): MixtureItem => ({
  id,
  kind: 'mixture',
  label: 'cat + dogs',
  parts: ['cat', 'dogs'],
  embedding: new Float32Array(d).fill(0.5),
});
const source: ExploreSource = {
  items,
  embeddings: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0]),
  embeddingDim: 4,
  mixtures: [mix('mixture-1', 4), mix('mixture-2', 3)],
};

describe('listExploreItems', () => {
  it('lists dataset items with their rows, then mixtures of the same dimension only', () => {
    const list = listExploreItems(source);
    expect(list.map((x) => [x.key, x.kind, x.datasetIndex])).toEqual([
      ['u1', 'text', 0],
      ['u2', 'image', 1],
      ['mixture-1', 'mixture', null],
    ]);
    expect(list[0].text).toBe('a cat');
    expect(list[2].parts).toEqual(['cat', 'dogs']);
    expect(usableMixtures(source.mixtures, 0)).toEqual([]);
  });
});

describe('exploreRow and exploreLabel', () => {
  it('finds a dataset row as a view and a mixture by id', () => {
    expect(Array.from(exploreRow(source, 'u2')!)).toEqual([0, 1, 0, 0]);
    expect(exploreRow(source, 'u2')!.buffer).toBe(source.embeddings.buffer);
    expect(exploreRow(source, 'mixture-1')).toBe(source.mixtures[0].embedding);
    expect(exploreRow(source, 'mixture-2')).toBeNull();
    expect(exploreRow(source, 'nope')).toBeNull();
    expect(exploreLabel(source, 'mixture-1')).toBe('cat + dogs');
    expect(exploreLabel(source, 'u1')).toBe('cat');
    expect(exploreLabel(source, 'nope')).toBeNull();
  });
});
