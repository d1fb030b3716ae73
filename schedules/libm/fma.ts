/**
 * `fma(a, b, c)`: `a·b + c` rounded once, as IEEE 754's fusedMultiplyAdd and C's `fma` compute it.
 *
 * glibc's x86-64 libm runs `exp`, `log`, `pow`, `sin` and `cos` in variants compiled with
 * `-mfma`, where GCC contracts `a * b + c` into one `vfmadd` instruction. JavaScript has no fused
 * multiply-add, so this module computes it from plain double operations:
 *
 * ```text
 * (ph, pl) = a·b exactly             Veltkamp split + Dekker product, ph = RN(a·b)
 * (sh, sl) = ph + c exactly          Knuth's TwoSum
 * v = RN(sl + pl),  z = RN(sh + v)   and r = sh + v - z exactly (TwoSum)
 * fma = z, or z + 2r when sh + v was a tie (r = ±half the spacing at z) and the part of sl + pl
 *       that v lost has r's sign
 * ```
 *
 * Why this is correctly rounded: a·b + c = sh + v + e exactly, with |e| <= ulp(v)/2, far below
 * the spacing at z. RN(sh + v + e) can differ from RN(sh + v) only if a rounding boundary (a
 * midpoint between two doubles) lies between sh + v and sh + v + e; as v and sh + v - z are
 * doubles, that happens only when sh + v is itself the midpoint — which `(z + 2r) - z === 2r`
 * recognises (z + 2r is then the other neighbour, exactly representable; for |r| below half the
 * spacing z + 2r falls strictly between two doubles and the test fails) — and then e breaks the
 * tie. It is the round-to-odd argument of Boldo and Melquiond ("Emulation of FMA and correctly
 * rounded sums: proved algorithms using rounding to odd", IEEE Trans. Computers 57(4), 2008)
 * with the sticky bit read only where it matters. It needs no underflow in the product's error
 * and no overflow: products outside [2^-960, 2^995], operands beyond 2^995, infinities and NaNs
 * take an exact BigInt computation instead. Tested against the hardware `fma` of this machine
 * (through glibc's `fma`) in `fma_test.ts` and on 10^8 arguments per function by
 * `scripts/libm/proof.ts`.
 *
 * @module
 */

const SPLITTER = 134217729; // 2^27 + 1
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** Index of the low 32-bit word of a double in `u32` (0 on little-endian hosts). */
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;

const BIG = 2 ** 995;
const SMALL = 2 ** -960;

/**
 * `a·b + c` with a single rounding to nearest, ties to even (C's `fma`).
 *
 * @param a A factor.
 * @param b The other factor.
 * @param c The addend.
 * @returns The exact `a·b + c`, rounded once to the nearest double.
 * @example Where a separate multiply and add differ
 * ```ts
 * import { fma } from "./fma.ts";
 * const a = 1 + 2 ** -30;
 * fma(a, a, -1); // 2^-29 + 2^-60, exact
 * (a * a) - 1; // 2^-29: the product's rounding lost 2^-60
 * ```
 */
export function fma(a: number, b: number, c: number): number {
  const ph = a * b;
  const aph = Math.abs(ph);
  if (!(aph > SMALL && aph < BIG)) return fmaSlow(a, b, c);
  // Dekker's exact product: ph + pl = a·b (a NaN if a split overflowed: caught below).
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pl = ((ah * bh - ph) + ah * bl + al * bh) + al * bl;
  // TwoSum: sh + sl = ph + c.
  const sh = ph + c;
  let bb = sh - ph;
  const sl = (ph - (sh - bb)) + (c - bb);
  // v ≈ sl + pl, z ≈ sh + v: correct unless z was a tie and v was inexact (double rounding).
  const v = sl + pl;
  const z = sh + v;
  bb = z - sh;
  const r = (sh - (z - bb)) + (v - bb); // z + r = sh + v exactly
  if (r !== 0 && (z + 2 * r) - z === 2 * r) {
    // sh + v lies exactly halfway between z and z + 2r: the part of sl + pl that v lost decides.
    const vv = v - sl;
    const e = (sl - (v - vv)) + (pl - vv); // v + e = sl + pl exactly
    if (e !== 0 && (e > 0) === (r > 0)) return z + 2 * r;
  }
  if (z !== z) return fmaSlow(a, b, c); // an operand beyond 2^995, or Infinity in the sum
  return z;
}

// ---------------------------------------------------------------------------------------------
// The exact path: a·b + c as an integer times a power of two, rounded once.

/** `x = m · 2^e` with an integer `m` (sign included) for a finite double. */
function toScaled(x: number): [bigint, number] {
  f64[0] = x;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return [hi >>> 31 ? -m : m, e];
}

/** The double nearest to `m · 2^e` (ties to even), with gradual underflow and overflow. */
function roundScaled(m: bigint, e: number): number {
  if (m === 0n) return 0;
  const negative = m < 0n;
  let a = negative ? -m : m;
  const bits = a.toString(2).length;
  // Keep 53 significant bits, or fewer where the result is subnormal (quantum 2^-1074).
  let shift = bits - 53;
  if (e + shift < -1074) shift = -1074 - e;
  if (shift > 0) {
    const s = BigInt(shift);
    const q = a >> s;
    const rem = a - (q << s);
    const half = 1n << (s - 1n);
    a = rem > half || (rem === half && (q & 1n) === 1n) ? q + 1n : q;
    e += shift;
  }
  // a < 2^54 here; Number(a) is exact, and the scaling by a power of two is exact unless the
  // result overflows (then Infinity, as rounding would give).
  let r = Number(a);
  if (e > 0) {
    while (e > 0) {
      const step = Math.min(e, 1000);
      r *= 2 ** step;
      e -= step;
    }
  } else if (e < 0) {
    // Scale down in two steps so that no intermediate underflows before the last (exact) one.
    const first = Math.max(e, -1000);
    r *= 2 ** first;
    e -= first;
    if (e < 0) r *= 2 ** e;
  }
  return negative ? -r : r;
}

function fmaSlow(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a * b + c;
  if (!Number.isFinite(c)) return c;
  if (a === 0 || b === 0) return a * b + c; // the product is an exact (signed) zero
  const [ma, ea] = toScaled(a);
  const [mb, eb] = toScaled(b);
  const mp = ma * mb;
  const ep = ea + eb;
  if (c === 0) return roundScaled(mp, ep);
  const [mc, ec] = toScaled(c);
  const e = Math.min(ep, ec);
  const sum = (mp << BigInt(ep - e)) + (mc << BigInt(ec - e));
  if (sum === 0n) return 0; // exact cancellation: +0 in round-to-nearest
  return roundScaled(sum, e);
}
