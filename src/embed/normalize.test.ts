import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeRows } from './normalize.ts';

describe('normalizeRows', () => {
  it('gives every non-zero row unit length and keeps its direction', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.float({ min: -100, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (dim, values) => {
          const n = Math.floor(values.length / dim);
          if (n === 0) return;
          const data = Float32Array.from(values.slice(0, n * dim));
          const before = Float32Array.from(data);
          normalizeRows(data, dim);
          for (let r = 0; r < n; r++) {
            let sum = 0;
            let dot = 0;
            let norm0 = 0;
            for (let j = 0; j < dim; j++) {
              sum += data[r * dim + j] ** 2;
              dot += data[r * dim + j] * before[r * dim + j];
              norm0 += before[r * dim + j] ** 2;
            }
            if (norm0 < 1e-20) continue; // tiny rows lose precision in float32
            expect(Math.sqrt(sum)).toBeCloseTo(1, 4);
            expect(dot / Math.sqrt(norm0)).toBeCloseTo(1, 3);
          }
        },
      ),
    );
  });

  it('leaves a zero row at zero instead of NaN', () => {
    const data = new Float32Array([0, 0, 3, 4]);
    normalizeRows(data, 2);
    expect(Array.from(data)).toEqual([0, 0, 0.6000000238418579, 0.800000011920929]);
  });

  it('refuses a length that is not a whole number of rows', () => {
    expect(() => normalizeRows(new Float32Array(5), 2)).toThrow(/rows of 2/);
  });
});
