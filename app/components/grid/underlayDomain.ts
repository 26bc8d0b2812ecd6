/**
 * The colour domain of an underlay (U-matrix, hit counts, densities): its finite extent, and a
 * flat one widened upwards by 1 so every unit still gets a colour and the legend a span.
 */
import { finiteExtent } from './scene.ts';

/** [min, max] of the finite values ([v, v + 1] when all are v); null when none is finite. */
export function underlayDomain(values: ArrayLike<number>): [number, number] | null {
  const extent = finiteExtent(values);
  if (!extent) return null;
  const [lo, hi] = extent;
  return lo === hi ? [lo, lo + 1] : [lo, hi];
}
