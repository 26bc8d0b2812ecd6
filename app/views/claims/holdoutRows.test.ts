import { describe, expect, it } from 'vitest';
import { holdoutRows } from './holdoutRows.ts';

const labels = ['dog', 'cat', 'Dog', 'hotdog', 'a dog running on the beach', 'traffic_light'];

describe('holdoutRows', () => {
  it('takes every item with the typed label, ignoring case and underscores', () => {
    expect(holdoutRows(labels, 'DOG')).toEqual({ rows: [0, 2], by: 'label' });
  });

  it('one item with the label is no class: the words decide', () => {
    expect(holdoutRows(labels, 'cat')).toEqual({ rows: [1], by: 'words' });
    expect(holdoutRows(labels, 'traffic light')).toEqual({ rows: [5], by: 'words' });
    expect(holdoutRows([...labels, 'dog collar'], 'Dog').rows).toEqual([0, 2]);
    expect(holdoutRows(['dog', 'dog collar', 'hot dog'], 'dog')).toEqual({ rows: [0, 1, 2], by: 'words' }); // prettier-ignore
  });

  it('else every label holding the typed words as whole words', () => {
    expect(holdoutRows(labels, 'running on')).toEqual({ rows: [4], by: 'words' });
    expect(holdoutRows(labels, 'beach')).toEqual({ rows: [4], by: 'words' });
    expect(holdoutRows(labels, 'hot')).toEqual({ rows: [], by: 'none' }); // not "hotdog"
    expect(holdoutRows(labels, '  ')).toEqual({ rows: [], by: 'none' });
  });
});
