/**
 * A seeded byte-level mutator for fuzz tests of the file readers: every reader must either read
 * a damaged file into a consistent value or refuse it with its own error, never crash or hang.
 *
 * Mutations are the usual suspects of real damage and of hostile files: bit flips, random and
 * boundary bytes, inserted/deleted/duplicated runs, truncation, and 32-bit words overwritten with
 * boundary values (which hit length and offset fields).
 */
import { randomInt, type Rng } from '../util/random.ts';

export type MutationKind =
  'flip' | 'byte' | 'boundary-byte' | 'insert' | 'delete' | 'truncate' | 'duplicate' | 'word';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'flip',
  'byte',
  'boundary-byte',
  'insert',
  'delete',
  'truncate',
  'duplicate',
  'word',
];

const BOUNDARY_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x22, 0x2c, 0x5d, 0x7d];
const BOUNDARY_WORDS = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 1_000_000_000, 65535, 65536, 8];

/** One mutation of `kind` applied to a copy of `bytes` (empty input gets inserts only). */
export function mutateOnce(bytes: Uint8Array, kind: MutationKind, rng: Rng): Uint8Array {
  const n = bytes.length;
  if (n === 0 && kind !== 'insert') return mutateOnce(bytes, 'insert', rng);
  const at = randomInt(rng, Math.max(n, 1));
  switch (kind) {
    case 'flip': {
      const out = bytes.slice();
      out[at] ^= 1 << randomInt(rng, 8);
      return out;
    }
    case 'byte':
    case 'boundary-byte': {
      const out = bytes.slice();
      const v =
        kind === 'byte'
          ? randomInt(rng, 256)
          : BOUNDARY_BYTES[randomInt(rng, BOUNDARY_BYTES.length)];
      out[at] = v === out[at] ? v ^ 0xff : v;
      return out;
    }
    case 'insert': {
      const count = 1 + randomInt(rng, 8);
      const out = new Uint8Array(n + count);
      out.set(bytes.subarray(0, at));
      for (let i = 0; i < count; i++) out[at + i] = randomInt(rng, 256);
      out.set(bytes.subarray(at), at + count);
      return out;
    }
    case 'delete': {
      const count = 1 + randomInt(rng, Math.min(16, n - at));
      const out = new Uint8Array(n - count);
      out.set(bytes.subarray(0, at));
      out.set(bytes.subarray(at + count), at);
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'duplicate': {
      const count = 1 + randomInt(rng, Math.min(32, n - at));
      const out = new Uint8Array(n + count);
      out.set(bytes.subarray(0, at + count));
      out.set(bytes.subarray(at), at + count);
      return out;
    }
    case 'word': {
      const out = bytes.slice();
      if (n < 4) return mutateOnce(bytes, 'byte', rng);
      const pos = randomInt(rng, n - 3);
      const v = BOUNDARY_WORDS[randomInt(rng, BOUNDARY_WORDS.length)];
      new DataView(out.buffer).setUint32(pos, v, rng() < 0.5);
      return out;
    }
  }
}

/** One to `maxMutations` (default 3, range ≥ 1) random mutations in a row. */
export function mutate(bytes: Uint8Array, rng: Rng, maxMutations = 3): Uint8Array {
  let out = bytes;
  const count = 1 + randomInt(rng, maxMutations);
  for (let i = 0; i < count; i++) {
    out = mutateOnce(out, MUTATION_KINDS[randomInt(rng, MUTATION_KINDS.length)], rng);
  }
  return out;
}
