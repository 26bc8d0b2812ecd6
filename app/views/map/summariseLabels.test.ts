import { describe, expect, it } from 'vitest';
import { summariseLabels } from './summariseLabels.ts';

describe('summariseLabels', () => {
  const labels = ['cat', 'cat', 'dog', 'kitten', 'dog', 'cat', '', 'bird'];

  it('names the most frequent labels under the SDR first', () => {
    expect(summariseLabels(new Uint32Array([0, 1, 2, 4, 5, 7]), labels)).toBe('cat, dog, bird');
  });

  it('breaks ties alphabetically and honours the count', () => {
    expect(summariseLabels([2, 3, 7], labels, 2)).toBe('bird, dog');
  });

  it('skips units without a label', () => {
    expect(summariseLabels([6], labels)).toBe('');
  });
});
