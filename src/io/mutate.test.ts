import { describe, expect, it } from 'vitest';
import { MUTATION_KINDS, mutate, mutateOnce } from './mutate.ts';
import { createRng } from '../util/random.ts';

const original = Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff);

function differs(a: Uint8Array, b: Uint8Array): boolean {
  return a.length !== b.length || a.some((v, i) => v !== b[i]);
}

describe('mutate', () => {
  it('never changes its input and always changes the copy', () => {
    const before = original.slice();
    const rng = createRng(11);
    for (const kind of MUTATION_KINDS) {
      for (let i = 0; i < 50; i++) {
        const out = mutateOnce(original, kind, rng);
        // A 'word' write can by chance store the bytes already there; everything else must differ.
        if (kind !== 'word') expect(differs(out, original), kind).toBe(true);
      }
    }
    expect(Array.from(original)).toEqual(Array.from(before));
  });

  it('changes lengths the way each kind says', () => {
    const rng = createRng(5);
    expect(mutateOnce(original, 'flip', rng).length).toBe(64);
    expect(mutateOnce(original, 'insert', rng).length).toBeGreaterThan(64);
    expect(mutateOnce(original, 'delete', rng).length).toBeLessThan(64);
    expect(mutateOnce(original, 'truncate', rng).length).toBeLessThan(64);
    expect(mutateOnce(original, 'duplicate', rng).length).toBeGreaterThan(64);
    expect(mutateOnce(new Uint8Array(0), 'flip', rng).length).toBeGreaterThan(0);
  });

  it('repeats exactly for the same seed', () => {
    const a = Array.from({ length: 20 }, (_, i) => mutate(original, createRng(i)));
    const b = Array.from({ length: 20 }, (_, i) => mutate(original, createRng(i)));
    expect(a.map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
  });
});
