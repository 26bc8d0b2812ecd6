import { describe, expect, it } from 'vitest';
import { dimensionProblem } from './dimensionCheck.ts';

describe('dimensionProblem', () => {
  it('accepts anything into an empty dataset with no map', () => {
    expect(dimensionProblem(384, 'a.npy', {})).toBeNull();
    expect(dimensionProblem(384, 'a.npy', { datasetDim: 0, mapDim: null })).toBeNull();
  });

  it('accepts a matching dimension', () => {
    expect(dimensionProblem(512, 'a.npy', { datasetDim: 512, mapDim: 512 })).toBeNull();
  });

  it('refuses a dataset mismatch naming both dimensions and saying the items are kept', () => {
    const problem = dimensionProblem(384, 'small.csv', { datasetDim: 512, datasetSize: 5 });
    expect(problem).toMatch(/small\.csv gives 384-dimensional/);
    expect(problem).toMatch(/512-dimensional/);
    expect(problem).toMatch(/your 5 items are unchanged/);
  });

  it('refuses a map mismatch even when the dataset is empty', () => {
    expect(dimensionProblem(384, 'The model', { mapDim: 512 })).toMatch(/current map was trained/);
  });

  it('refuses a nonsensical dimension', () => {
    expect(dimensionProblem(0, 'empty.json', {})).toMatch(/no usable embeddings/);
  });
});

describe('dimensionProblem wording', () => {
  it('speaks of one item in the singular', () => {
    expect(dimensionProblem(3, 'x.csv', { datasetDim: 2, datasetSize: 1 })).toMatch(
      /your 1 item is unchanged/,
    );
  });
});
