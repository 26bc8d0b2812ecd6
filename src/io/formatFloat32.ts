/**
 * The shortest decimal text that reads back to the same float32, e.g. 0.1f → "0.1" rather than
 * "0.10000000149011612" (what String() prints for the widened double). Keeps CSV and JSON
 * exports of embeddings about half the size, and exact.
 */
export function formatFloat32(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  // Round-tripping is monotone in the digit count (more digits are never farther away), and
  // 9 significant digits always suffice for float32: binary search the fewest that work.
  let lo = 1;
  let hi = 9;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(f.toPrecision(mid))) === f) hi = mid;
    else lo = mid + 1;
  }
  // Number() then String() drops trailing zeros and picks plain or exponent notation like JS.
  return String(Number(f.toPrecision(lo)));
}
