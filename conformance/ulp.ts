/**
 * Distances between doubles in units in the last place.
 *
 * @module
 */

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

function ordered(x: number): bigint {
  f64[0] = x;
  const bits = i64[0]!;
  // Map the sign-magnitude bit pattern onto a monotone integer line (-0 and +0 both to 0).
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/**
 * The number of doubles between `a` and `b` plus one (0 when bit-identical up to the sign of
 * zero); `Infinity` when either is NaN.
 */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}

/** Bit-identical, including the sign of zero and NaN payload-insensitive. */
export function sameDouble(a: number, b: number): boolean {
  return Object.is(a, b);
}
