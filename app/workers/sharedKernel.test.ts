import { describe, expect, it } from 'vitest';
import { interactiveThreadsFor, trainThreadsFor } from './sharedKernel.ts';

describe('thread counts', () => {
  it('give training every core and leave one to the page while it is in use, at most 4', () => {
    expect([1, 2, 4, 64].map(trainThreadsFor)).toEqual([1, 2, 4, 4]);
    expect([1, 2, 4, 64].map(interactiveThreadsFor)).toEqual([1, 1, 3, 4]);
  });
});
