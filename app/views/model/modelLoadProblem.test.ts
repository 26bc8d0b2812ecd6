import { describe, expect, it } from 'vitest';
import { describeModelFailure } from './ModelLoadProblem.tsx';

describe('describeModelFailure', () => {
  it('says in words why a model did not load', () => {
    expect(describeModelFailure('Could not load the text tower … Failed to fetch')).toMatch(
      /could not be reached: this browser is offline, a firewall or the browser blocks it.*CORS/,
    );
    expect(describeModelFailure('HTTP 404 for onnx/model.onnx')).toMatch(/not at that address/);
    expect(describeModelFailure('The operation was aborted')).toBe(
      'Loading the model was cancelled.',
    );
    expect(describeModelFailure('out of memory')).toBe('The model did not load: out of memory');
  });
});
