import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  UnitGalleryError,
  activationDensity,
  membersOf,
  rankMembers,
  unitMembers,
} from './unitGallery.ts';

// Four items with K = 2 on a map of 5 units.
const active = Uint32Array.from([0, 1, 1, 2, 1, 4, 0, 4]);

describe('unitMembers', () => {
  it('lists, for each unit, the items whose SDR contains it, in item order', () => {
    const mem = unitMembers(active, 4, 2, 5);
    expect(Array.from(membersOf(mem, 0))).toEqual([0, 3]);
    expect(Array.from(membersOf(mem, 1))).toEqual([0, 1, 2]);
    expect(Array.from(membersOf(mem, 2))).toEqual([1]);
    expect(Array.from(membersOf(mem, 3))).toEqual([]);
    expect(Array.from(membersOf(mem, 4))).toEqual([2, 3]);
  });

  it('densities are the share of items with the unit active and sum to K', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        (n, k, seed) => {
          const m = 12;
          const rows = new Uint32Array(n * k);
          for (let i = 0; i < n; i++) {
            // k distinct units per row, sorted, from a simple seeded walk.
            const start = (seed + i * 7) % (m - k + 1);
            for (let j = 0; j < k; j++) rows[i * k + j] = start + j;
          }
          const density = activationDensity(unitMembers(rows, n, k, m));
          let sum = 0;
          for (const v of density) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
            sum += v;
          }
          expect(sum).toBeCloseTo(k, 4);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('refuses units off the map and short arrays', () => {
    expect(() => unitMembers(active, 4, 2, 4)).toThrow(/unit 4 is outside the map of 4 units/);
    expect(() => unitMembers(active, 5, 2, 5)).toThrow(UnitGalleryError);
    expect(() => membersOf(unitMembers(active, 4, 2, 5), 5)).toThrow(/outside/);
  });
});

describe('rankMembers', () => {
  const d = 2;
  // Unit 1 points along x; items 0, 1, 2 have it active.
  const codebook = Float32Array.from([0, 1, 2, 0, 0, 1, 1, 1, 1, 0]);
  const embeddings = Float32Array.from([0.6, 0.8, 1, 0, -0.6, 0.8, 0, 1]);

  it('ranks the unit items by cosine to its codebook row, best first, ignoring its length', () => {
    const ranked = rankMembers(unitMembers(active, 4, 2, 5), 1, codebook, embeddings, d);
    expect(Array.from(ranked.index)).toEqual([1, 0, 2]);
    expect(Array.from(ranked.cosine)).toEqual([1, 0.6, -0.6].map(Math.fround));
    expect(ranked.total).toBe(3);
  });

  it('shows at most `limit` items but counts them all', () => {
    const ranked = rankMembers(unitMembers(active, 4, 2, 5), 1, codebook, embeddings, d, 2);
    expect(Array.from(ranked.index)).toEqual([1, 0]);
    expect(ranked.total).toBe(3);
    expect(() => rankMembers(unitMembers(active, 4, 2, 5), 1, codebook, embeddings, d, 0)).toThrow(
      /limit/,
    );
  });
});
