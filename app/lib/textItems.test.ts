import { describe, expect, it } from 'vitest';
import { splitTextItems, textLabel } from './textItems.ts';

describe('splitTextItems', () => {
  it('makes one item per non-blank line, trimmed, whatever the line ends', () => {
    expect(splitTextItems('a cat\r\n\n  a dog  \rthe sea\n', 'lines')).toEqual([
      'a cat',
      'a dog',
      'the sea',
    ]);
  });

  it('keeps the whole text as one item in paragraph mode', () => {
    expect(splitTextItems('  a cat\nsat on a mat  ', 'paragraph')).toEqual(['a cat\nsat on a mat']);
  });

  it('makes nothing from blank text in either mode', () => {
    expect(splitTextItems(' \n\t\n', 'lines')).toEqual([]);
    expect(splitTextItems(' \n\t\n', 'paragraph')).toEqual([]);
  });
});

describe('textLabel', () => {
  it('collapses white space and keeps short text whole', () => {
    expect(textLabel('a  cat\non a\tmat')).toBe('a cat on a mat');
  });

  it('cuts long text to the limit with an ellipsis', () => {
    const label = textLabel('word '.repeat(40), 20);
    expect(label.length).toBeLessThanOrEqual(20);
    expect(label.endsWith('…')).toBe(true);
  });

  it('refuses a silly limit with a clear message', () => {
    expect(() => textLabel('x', 2)).toThrow(/at least 8/);
  });
});
