/**
 * Seeded pseudo-random numbers. Everything random in the engine takes an `Rng` so runs repeat.
 *
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, fast, good enough for sampling and
 * noise; not for cryptography.
 */
export type Rng = () => number;

/** A generator of floats in [0, 1) from a 32-bit integer seed (any number; it is truncated). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A standard normal draw (Box–Muller). */
export function randomNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * `count` distinct integers from [0, n), in random order (partial Fisher–Yates over a
 * sparse swap map, so it costs O(count) memory even for large n).
 */
export function sampleWithoutReplacement(rng: Rng, n: number, count: number): Uint32Array {
  if (count > n) throw new RangeError(`cannot sample ${count} distinct values from ${n}`);
  const out = new Uint32Array(count);
  const swaps = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(rng, n - i);
    const vj = swaps.get(j) ?? j;
    const vi = swaps.get(i) ?? i;
    out[i] = vj;
    swaps.set(j, vi);
  }
  return out;
}
