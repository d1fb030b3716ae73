/**
 * Exact arithmetic helpers and the single place where the ports call a libm (`cos`, `pow`,
 * `log`, `tanh`, `sin`, `log1p`, …): the {@linkcode libm} seam.
 *
 * Upstream (CPython on glibc) computes `math.cos(x)`, `x ** y` and `math.log(x)` with glibc's
 * libm. JavaScript runtimes ship their own: V8's `Math.cos` is fdlibm's, JavaScriptCore computes
 * `x ** k` for integer `k` by repeated multiplication, and each rounds differently from glibc on a
 * few arguments in a thousand. Everything else the schedules do is plain IEEE-754 arithmetic,
 * which is the same everywhere. So by default the seam holds {@linkcode GLIBC_LIBM}, a TypeScript
 * reproduction of glibc's x86-64 results (fused multiply-adds included), and every schedule gives
 * Python's bits on every runtime; {@linkcode setLibm}`("runtime")` opts out for speed. The
 * conformance suite substitutes glibc's recorded results to prove that, with the runtime's libm,
 * all remaining arithmetic is bit-identical to upstream.
 *
 * @module
 */

import { optionError } from "./errors.ts";
import { cos as glibcCos, sin as glibcSin } from "../glibc/mod.ts";
import { exp as glibcExp } from "./libm/exp.ts";
import { expm1 as glibcExpm1 } from "./libm/expm1.ts";
import { log as glibcLog } from "./libm/log.ts";
import { log1p as glibcLog1p } from "./libm/log1p.ts";
import { pow as glibcPow } from "./libm/pow.ts";
import { tanh as glibcTanh } from "./libm/tanh.ts";

/** The libm functions the schedules use. */
export interface Libm {
  /** `cos(x)`, as Python's `math.cos`. */
  cos(x: number): number;
  /** `x ** y` for doubles, as Python's `float.__pow__` / `math.pow`. */
  pow(x: number, y: number): number;
  /** The natural logarithm, as Python's one-argument `math.log` (used by torch's SGDR restarts). */
  log(x: number): number;
  /**
   * The square root, as Python's `math.sqrt` (Hugging Face's inverse-sqrt and `1-sqrt` shapes).
   * IEEE 754 requires it correctly rounded, so every runtime should agree with glibc; it goes
   * through this seam all the same, so that the conformance suite checks that too.
   */
  sqrt(x: number): number;
  /**
   * `cos(x)` in float32, as JAX's `jnp.cos` computes it on the CPU: XLA:CPU calls the host's
   * `cosf` (glibc's). `x` must be a float32 value; the result is one.
   */
  cosf(x: number): number;
  /** `x ** y` in float32, as XLA:CPU computes `lax.pow`: the host's `powf` (glibc's). */
  powf(x: number, y: number): number;
  /** `tanh(x)`, as Python's `math.tanh` (timm's `TanhLRScheduler`). */
  tanh(x: number): number;
  /** `sin(x)`, as C's `sin` (torch's Box–Muller normal draws). */
  sin(x: number): number;
  /** `log1p(x) = log(1 + x)`, as C's `log1p` (torch's Box–Muller normal draws). */
  log1p(x: number): number;
  /**
   * `x ** k` for an integer-valued double `k`, as Python's `gamma ** k` (detectron2's step
   * decays): glibc's `pow` by default; {@linkcode powInt} (correctly rounded, which agrees with
   * glibc on the gammas schedules use) under `setLibm("runtime")`.
   */
  powi(x: number, k: number): number;
  /** `e^x`, as Python's `math.exp`. */
  exp(x: number): number;
  /** `e^x - 1`, as Python's `math.expm1`. */
  expm1(x: number): number;
}

/** Splits a finite double into an odd-or-normalised integer significand and a binary exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  return biased === 0
    ? { mantissa: fraction, exponent: -1074 }
    : { mantissa: fraction | 0x10000000000000n, exponent: biased - 1075 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive rational `num / den * 2 ** exp2` to the nearest double, ties to even,
 * with gradual underflow and overflow to `Infinity`, as IEEE-754 prescribes.
 */
export function roundRational(num: bigint, den: bigint, exp2: number): number {
  if (num === 0n) return 0;
  // Choose s so that num * 2^s / den has 53 integer bits (or fewer, for subnormal results).
  let s = 53 - (bitLength(num) - bitLength(den));
  const scaled = (shift: number): bigint =>
    shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  let q = scaled(s);
  if (q >= 1n << 53n) s -= 1;
  else if (q < 1n << 52n) s += 1;
  // Leading bit of the value sits at 2^(52 + exp2 - s); subnormals have a fixed quantum 2^-1074.
  if (exp2 - s < -1074) s = exp2 + 1074;
  const n = s >= 0 ? num << BigInt(s) : num;
  const d = s >= 0 ? den : den << BigInt(-s);
  q = n / d;
  const twiceRemainder = (n - q * d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && (q & 1n) === 1n)) q += 1n;
  const e = exp2 - s;
  if (e > 971) return Infinity; // q >= 2^52 here, so the value is at least 2^1024
  return Number(q) * 2 ** e;
}

/** Exact `x ** k` for a finite double `x` and integer `k`, rounded once (BigInt arithmetic). */
function powIntExact(x: number, k: number): number {
  const negative = x < 0 && k % 2 !== 0;
  const { mantissa, exponent } = decompose(Math.abs(x));
  const kk = BigInt(Math.abs(k));
  let result: number;
  if (k > 0) {
    result = roundRational(mantissa ** kk, 1n, exponent * Math.abs(k));
  } else {
    result = roundRational(1n, mantissa ** kk, -exponent * Math.abs(k));
  }
  return negative ? -result : result;
}

// Error-free transformations (Dekker) for a fast double-double power.
const SPLITTER = 134217729; // 2^27 + 1

function ddMul(ah: number, al: number, bh: number, bl: number, out: Float64Array): void {
  const p = ah * bh;
  let c = SPLITTER * ah;
  const ahh = c - (c - ah);
  const ahl = ah - ahh;
  c = SPLITTER * bh;
  const bhh = c - (c - bh);
  const bhl = bh - bhh;
  let e = ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
  e += ah * bl + al * bh;
  const s = p + e;
  out[0] = s;
  out[1] = e - (s - p);
}

const scratch = new Float64Array(2);
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: word 1

/** The exponent of ulp(d) for a positive normal double, and whether d is a power of two. */
function ulpExponent(d: number): { exponent: number; isPowerOfTwo: boolean } {
  f64[0] = d;
  const hi = u32[HI]!;
  const lo = u32[1 - HI]!;
  return { exponent: ((hi >>> 20) & 0x7ff) - 1075, isPowerOfTwo: (hi & 0xfffff) === 0 && lo === 0 };
}
const acc = new Float64Array(2);

/**
 * Exact BigInt arithmetic costs time and memory proportional to |k| (a 53·|k|-bit integer), so
 * it is only used up to this |k|: at most a few milliseconds.
 */
const EXACT_POW_LIMIT = 2 ** 16;

/**
 * `x ** k` for a double `x` and an integer `k`, correctly rounded (round-half-even on the exact
 * value). Python's `x ** k` on glibc agrees with this for all the `gamma ** k` values that
 * schedules use in practice (measured: `0.1`…`0.99` for `k` ≤ 30), and for ~99.9% of random
 * inputs.
 *
 * A double-double product (error below 2^-100 relative) decides the rounding; when the result
 * lies too close to a rounding boundary, or outside [2^-900, 2^900], exact BigInt arithmetic
 * does. Results beyond 2^±1200 (by a `k · log2|x|` estimate, far from the boundary) are ±0 or
 * ±Infinity. Exact arithmetic is bounded to |k| ≤ 2^16, where it takes milliseconds: beyond, a
 * result within 2^-40 ULP of a rounding boundary keeps the double-double rounding, and a
 * negative `k` or an intermediate outside [2^-900, 2^900] falls back to the runtime's `x ** k`
 * (none of which any schedule reaches in practice: `where` or a step count of 65,536+ as an
 * exponent).
 */
export function powInt(x: number, k: number): number {
  if (k === 0) return 1;
  // Not an integer (NaN, ±Infinity, 0.5): the runtime's `x ** k`. The loop below halves `k` until
  // it is 0, which a NaN never is: powInt(1, NaN) never returned (found by `deno task fuzz`).
  if (!Number.isInteger(k)) return x ** k;
  if (x === 0 || !Number.isFinite(x)) return x ** k;
  const negative = x < 0 && k % 2 !== 0;
  const log2 = k * Math.log2(Math.abs(x));
  if (log2 < -1200) return negative ? -0 : 0;
  if (log2 > 1200) return negative ? -Infinity : Infinity;
  const exact = Math.abs(k) <= EXACT_POW_LIMIT;
  if (k < 0) return exact ? powIntExact(x, k) : x ** k;
  const base = Math.abs(x);
  // Binary exponentiation in double-double.
  let bh = base, bl = 0;
  acc[0] = 1;
  acc[1] = 0;
  let n = k;
  for (;;) {
    if (n % 2 === 1) {
      ddMul(acc[0]!, acc[1]!, bh, bl, acc);
    }
    n = Math.floor(n / 2);
    if (n === 0) break;
    ddMul(bh, bl, bh, bl, scratch);
    bh = scratch[0]!;
    bl = scratch[1]!;
    if (!(bh > 2 ** -900 && bh < 2 ** 900)) return exact ? powIntExact(x, k) : x ** k;
  }
  const hi = acc[0]!, lo = acc[1]!;
  if (!(hi > 2 ** -900 && hi < 2 ** 900)) return exact ? powIntExact(x, k) : x ** k;
  const d = hi + lo;
  const r = (hi - d) + lo; // exact value minus d, up to a negligible rounding
  const { exponent, isPowerOfTwo } = ulpExponent(d);
  const ulp = 2 ** exponent; // ulp(d) for a normal d
  const halfBelow = isPowerOfTwo ? ulp / 4 : ulp / 2;
  const distance = r >= 0 ? Math.abs(r - ulp / 2) : Math.abs(-r - halfBelow);
  if (distance < ulp * 2 ** -40 && exact) return powIntExact(x, k);
  return negative ? -d : d;
}

const INTEGER_POW_PROBES: readonly (readonly [number, number])[] = [
  [0.1, 4],
  [0.1, 7],
  [0.9, 4],
  [0.95, 10],
  [0.3, 25],
  [0.96, 17],
];

/**
 * Whether this runtime's `x ** k` for integer `k` is correctly rounded on a probe set where
 * glibc's is. JavaScriptCore (Bun) multiplies repeatedly (`0.1 ** 4` is 2 ULP off) and older V8
 * (Node 20) is off on `0.9 ** 4`; V8 in Deno 2.9 passes.
 */
export const RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED: boolean = INTEGER_POW_PROBES.every(
  ([x, k]) => x ** k === powIntExact(x, k),
);

function runtimePow(x: number, y: number): number {
  if (!RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED && Number.isInteger(y) && Number.isFinite(x)) {
    return powInt(x, y);
  }
  return x ** y;
}

// ---------------------------------------------------------------------------------------------
// float32 cos and pow as XLA:CPU computes them.
//
// XLA's CPU backend lowers float32 `cos` and `pow` to calls of the C library's `cosf` and `powf`
// (`xla/service/cpu/runtime_symbol_generator.cc` registers the host libm's `cosf`, `powf`, …), so
// a JAX program on Linux x86-64 gets glibc's. glibc (since 2.28) uses Arm's optimized-routines
// algorithms for both (MIT OR Apache-2.0 WITH LLVM-exception): the float argument is widened to
// double, evaluated with a short polynomial (and, for powf, 16- and 32-entry tables) in double
// arithmetic, and rounded to float once. Plain double arithmetic is the same in every JavaScript
// runtime, so the algorithms reproduce glibc's results bit for bit — with one caveat: glibc's
// x86-64 build selects a variant compiled with FMA contraction on CPUs that have it, and two of
// those fused multiply-adds change results (cosf's range reduction `x - n·π/2` and powf's
// `z·invc - 1`). Both are computed here exactly, as the fused operation does (a split product
// whose high part cancels exactly), so that the functions below equal glibc 2.36's FMA variants:
// `cosf` on all 2^32 inputs, `powf` on 4·10^8 random and targeted pairs (checked with a C harness
// against the system's libm; `fixtures/optax/libmf.csv` keeps the results for every argument of
// the golden suite and a sample, and `schedules/math_float32_test.ts` compares them).
// ---------------------------------------------------------------------------------------------

/**
 * A C99 hexadecimal floating-point literal (`0x1.921fb54442d18p0`), exactly: the constants below
 * are written as in the C sources they come from.
 */
function hex(literal: string): number {
  const m = /^0x([0-9a-f])\.([0-9a-f]*)p([+-]?\d+)$/.exec(literal);
  // lrspec's own constants, fixed in this file: a bad one is a bug, never input.
  if (m === null) throw new Error(`unreachable: not a hexadecimal float: ${literal}`);
  const digits = m[1]! + m[2]!;
  return Number(BigInt(`0x${digits}`)) * 2 ** (Number(m[3]) - 4 * m[2]!.length);
}

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);

/** The IEEE-754 bits of a float32 value. */
function asuint(x: number): number {
  f32[0] = x;
  return f32Bits[0]!;
}

/** The float32 value of IEEE-754 bits, widened to a double. */
function asfloat(bits: number): number {
  f32Bits[0] = bits;
  return f32[0]!;
}

/** The double with the given high and low 32-bit words. */
function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[1 - HI] = lo;
  return f64[0]!;
}

/** Veltkamp split of `a` into a 26-bit high part and the rest: `a = hi + lo`, both exact. */
function split(a: number): [number, number] {
  const c = SPLITTER * a;
  const hi = c - (c - a);
  return [hi, a - hi];
}

/** `(asuint(x) >> 20) & 0x7ff`: the exponent and top mantissa bits of |x|. */
function abstop12(x: number): number {
  return (asuint(x) >>> 20) & 0x7ff;
}

/** One quadrant's constants of cosf: the sign of sine per quadrant, π/2 and the polynomials. */
interface SinCosTable {
  sign: readonly [number, number, number, number];
  hpiInv: number;
  c0: number;
  c1: number;
  c2: number;
  c3: number;
  c4: number;
  s1: number;
  s2: number;
  s3: number;
}

const HPI = hex("0x1.921fb54442d18p0");
const [HPI_HI, HPI_LO] = split(HPI);
const PI63 = hex("0x1.921fb54442d18p-62");
const SINCOS: readonly [SinCosTable, SinCosTable] = [
  {
    sign: [1, -1, -1, 1],
    hpiInv: hex("0x1.45f306dc9c883p+23"),
    c0: 1,
    c1: -hex("0x1.ffffffd0c621cp-2"),
    c2: hex("0x1.55553e1068f19p-5"),
    c3: -hex("0x1.6c087e89a359dp-10"),
    c4: hex("0x1.99343027bf8c3p-16"),
    s1: -hex("0x1.555545995a603p-3"),
    s2: hex("0x1.1107605230bc4p-7"),
    s3: -hex("0x1.994eb3774cf24p-13"),
  },
  {
    sign: [1, -1, -1, 1],
    hpiInv: hex("0x1.45f306dc9c883p+23"),
    c0: -1,
    c1: hex("0x1.ffffffd0c621cp-2"),
    c2: -hex("0x1.55553e1068f19p-5"),
    c3: hex("0x1.6c087e89a359dp-10"),
    c4: -hex("0x1.99343027bf8c3p-16"),
    s1: -hex("0x1.555545995a603p-3"),
    s2: hex("0x1.1107605230bc4p-7"),
    s3: -hex("0x1.994eb3774cf24p-13"),
  },
];
/** 4/π in 192 bits, as overlapping 32-bit words (8 new bits per entry). */
const INV_PIO4: readonly bigint[] = [
  0xa2,
  0xa2f9,
  0xa2f983,
  0xa2f9836e,
  0xf9836e4e,
  0x836e4e44,
  0x6e4e4415,
  0x4e441529,
  0x441529fc,
  0x1529fc27,
  0x29fc2757,
  0xfc2757d1,
  0x2757d1f5,
  0x57d1f534,
  0xd1f534dd,
  0xf534ddc0,
  0x34ddc0db,
  0xddc0db62,
  0xc0db6295,
  0xdb629599,
  0x6295993c,
  0x95993c43,
  0x993c4390,
  0x3c439041,
].map(BigInt);
const ABSTOP12_PIO4 = abstop12(hex("0x1.921fb6p-1"));
const ABSTOP12_TINY = abstop12(2 ** -12);
const ABSTOP12_120 = abstop12(120);
const ABSTOP12_INF = abstop12(Infinity);

/** sin(x) (n even) or cos(x) (n odd) of a reduced argument, by the polynomials of `p`. */
function sinfPoly(x: number, x2: number, p: SinCosTable, n: number): number {
  if ((n & 1) === 0) {
    const x3 = x * x2;
    const s1 = p.s2 + x2 * p.s3;
    const x7 = x3 * x2;
    const s = x + x3 * p.s1;
    return Math.fround(s + x7 * s1);
  }
  const x4 = x2 * x2;
  const c2 = p.c3 + x2 * p.c4;
  const c1 = p.c0 + x2 * p.c1;
  const x6 = x4 * x2;
  const c = c1 + x4 * p.c2;
  return Math.fround(c + x6 * c2);
}

/** Exact reduction of a float32 with |x| >= 120 modulo π/2 (a 32×96-bit product of 4/π). */
function reduceLarge(xi: number): { x: number; n: number } {
  const at = (xi >>> 26) & 15;
  const shift = (xi >>> 23) & 7;
  const m = BigInt((((xi & 0xffffff) | 0x800000) << shift) >>> 0);
  const mask64 = (1n << 64n) - 1n;
  let res0 = (m * INV_PIO4[at]!) & 0xffffffffn;
  const res1 = m * INV_PIO4[at + 4]!;
  const res2 = m * INV_PIO4[at + 8]!;
  res0 = ((res2 >> 32n) | (res0 << 32n)) & mask64;
  res0 = (res0 + res1) & mask64;
  const n = ((res0 + (1n << 61n)) & mask64) >> 62n;
  res0 = (res0 - (n << 62n)) & mask64;
  return { x: Number(BigInt.asIntN(64, res0)) * PI63, n: Number(n) };
}

/**
 * glibc's float32 `cosf` (Arm optimized-routines' algorithm, with the fused multiply-add of
 * glibc's x86-64 FMA build), bit for bit; what JAX's `jnp.cos` returns for float32 on the CPU.
 *
 * @param y A float32 value.
 * @returns `cos(y)` rounded to float32 (NaN for ±Infinity and NaN).
 */
export function cosf(y: number): number {
  const top = abstop12(y);
  let p = SINCOS[0];
  if (top < ABSTOP12_PIO4) {
    if (top < ABSTOP12_TINY) return 1;
    return sinfPoly(y, y * y, p, 1);
  }
  if (top < ABSTOP12_120) {
    const n = (Math.trunc(y * p.hpiInv) + 0x800000) >> 24;
    // x - n·π/2 with one rounding, as glibc's fused multiply-add computes it: n·HPI_HI is
    // exact and cancels exactly against x (Sterbenz), so only the last subtraction rounds.
    const x = (y - n * HPI_HI) - n * HPI_LO;
    const s = p.sign[n & 3]!;
    if (n & 2) p = SINCOS[1];
    return sinfPoly(x * s, x * x, p, n ^ 1);
  }
  if (top < ABSTOP12_INF) {
    const xi = asuint(y);
    const sign = xi >>> 31;
    const { x, n } = reduceLarge(xi);
    const s = p.sign[(n + sign) & 3]!;
    if ((n + sign) & 2) p = SINCOS[1];
    return sinfPoly(x * s, x * x, p, n ^ 1);
  }
  return NaN;
}

/** powf's log2 table: `invc ≈ 1/c` (split for the exact `z·invc - 1`) and `log2(c)`. */
const POWF_LOG2: readonly (readonly [number, number, number])[] = [
  [hex("0x1.661ec79f8f3bep+0"), -hex("0x1.efec65b963019p-2")],
  [hex("0x1.571ed4aaf883dp+0"), -hex("0x1.b0b6832d4fca4p-2")],
  [hex("0x1.49539f0f010bp+0"), -hex("0x1.7418b0a1fb77bp-2")],
  [hex("0x1.3c995b0b80385p+0"), -hex("0x1.39de91a6dcf7bp-2")],
  [hex("0x1.30d190c8864a5p+0"), -hex("0x1.01d9bf3f2b631p-2")],
  [hex("0x1.25e227b0b8eap+0"), -hex("0x1.97c1d1b3b7afp-3")],
  [hex("0x1.1bb4a4a1a343fp+0"), -hex("0x1.2f9e393af3c9fp-3")],
  [hex("0x1.12358f08ae5bap+0"), -hex("0x1.960cbbf788d5cp-4")],
  [hex("0x1.0953f419900a7p+0"), -hex("0x1.a6f9db6475fcep-5")],
  [1, 0],
  [hex("0x1.e608cfd9a47acp-1"), hex("0x1.338ca9f24f53dp-4")],
  [hex("0x1.ca4b31f026aap-1"), hex("0x1.476a9543891bap-3")],
  [hex("0x1.b2036576afce6p-1"), hex("0x1.e840b4ac4e4d2p-3")],
  [hex("0x1.9c2d163a1aa2dp-1"), hex("0x1.40645f0c6651cp-2")],
  [hex("0x1.886e6037841edp-1"), hex("0x1.88e9c2c1b9ff8p-2")],
  [hex("0x1.767dcf5534862p-1"), hex("0x1.ce0a44eb17bccp-2")],
].map(([invc, logc]) => [...split(invc!), logc!] as const);
const POWF_A = [
  hex("0x1.27616c9496e0bp-2"),
  -hex("0x1.71969a075c67ap-2"),
  hex("0x1.ec70a6ca7baddp-2"),
  -hex("0x1.7154748bef6c8p-1"),
  hex("0x1.71547652ab82bp0"),
] as const;
/** `2^(i/32)` as the two words of its bits, less `i << 47` (powf's exp2 table). */
const EXP2F_HI: readonly number[] = [
  0x3ff00000,
  0x3fefd9b0,
  0x3fefb558,
  0x3fef9301,
  0x3fef72b8,
  0x3fef5487,
  0x3fef387a,
  0x3fef1e9d,
  0x3fef06fe,
  0x3feef1a7,
  0x3feedea6,
  0x3feece08,
  0x3feebfda,
  0x3feeb42b,
  0x3feeab07,
  0x3feea47e,
  0x3feea09e,
  0x3fee9f75,
  0x3feea114,
  0x3feea589,
  0x3feeace5,
  0x3feeb737,
  0x3feec491,
  0x3feed503,
  0x3feee89f,
  0x3feeff76,
  0x3fef199b,
  0x3fef3720,
  0x3fef5818,
  0x3fef7c97,
  0x3fefa4af,
  0x3fefd076,
];
const EXP2F_LO: readonly number[] = [
  0x00000000,
  0xd3158574,
  0x6cf9890f,
  0xd0125b51,
  0x3c7d517b,
  0x3168b9aa,
  0x6e756238,
  0xf51fdee1,
  0x0a31b715,
  0x373aa9cb,
  0x4c123422,
  0x6061892d,
  0xd5362a27,
  0x569d4f82,
  0xdd485429,
  0xb03a5585,
  0x667f3bcd,
  0xe8ec5f74,
  0x73eb0187,
  0x994cce13,
  0x422aa0db,
  0xb0cdc5e5,
  0x82a3f090,
  0xb23e255d,
  0x995ad3ad,
  0xf2fb5e47,
  0xdd85529c,
  0xdcef9069,
  0xdcfba487,
  0x337b9b5f,
  0xa2a490da,
  0x5b6e4540,
];
const EXP2F_C = [
  hex("0x1.c6af84b912394p-5"),
  hex("0x1.ebfce50fac4f3p-3"),
  hex("0x1.62e42ff0c52d6p-1"),
] as const;
const EXP2F_SHIFT = hex("0x1.8p+52") / 32;
const POWF_OFF = 0x3f330000;
const POWF_OVERFLOW = hex("0x1.fffffffd1d571p+6"); // log2 of the float overflow threshold
const SIGN_BIAS = 1 << 16;

/** log2(x) for the bits `ix` of a positive normal float32, in double precision. */
function log2Inline(ix: number): number {
  const tmp = (ix - POWF_OFF) >>> 0;
  const i = (tmp >>> 19) & 15;
  const top = (tmp & 0xff800000) >>> 0;
  const iz = (ix - top) >>> 0;
  const k = (top | 0) >> 23;
  const [invcHi, invcLo, logc] = POWF_LOG2[i]!;
  const z = asfloat(iz);
  // z·invc - 1 with one rounding, as glibc's fused multiply-add computes it (both partial
  // products are exact; z·invcHi - 1 is exact by Sterbenz).
  const r = (z * invcHi - 1) + z * invcLo;
  const y0 = logc + k;
  const r2 = r * r;
  let y = POWF_A[0] * r + POWF_A[1];
  const p = POWF_A[2] * r + POWF_A[3];
  const r4 = r2 * r2;
  let q = POWF_A[4] * r + y0;
  q = p * r2 + q;
  y = y * r4 + q;
  return y;
}

/** 2^xd rounded to float32, negated when `signBias` is set; |xd| <= 150. */
function exp2Inline(xd: number, signBias: number): number {
  let kd = xd + EXP2F_SHIFT;
  f64[0] = kd;
  const ki = u32[1 - HI]!; // the low word holds round(32·xd)
  kd -= EXP2F_SHIFT;
  const r = xd - kd;
  const i = ki & 31;
  const ski = (ki + signBias) >>> 0;
  const s = fromWords((EXP2F_HI[i]! + ((ski << 15) >>> 0)) >>> 0, EXP2F_LO[i]!);
  const z = EXP2F_C[0] * r + EXP2F_C[1];
  const r2 = r * r;
  let y = EXP2F_C[2] * r + 1;
  y = z * r2 + y;
  y = y * s;
  return Math.fround(y);
}

/** 0 if the float32 bits `iy` are not an integer, 1 for an odd integer, 2 for an even one. */
function checkint(iy: number): number {
  const e = (iy >>> 23) & 0xff;
  if (e < 0x7f) return 0;
  if (e > 0x7f + 23) return 2;
  if (iy & ((1 << (0x7f + 23 - e)) - 1)) return 0;
  if (iy & (1 << (0x7f + 23 - e))) return 1;
  return 2;
}

/** Whether the float32 bits are ±0, ±Infinity or NaN. */
function zeroinfnan(ix: number): boolean {
  return ((2 * ix - 1) >>> 0) >= 2 * 0x7f800000 - 1;
}

/**
 * glibc's float32 `powf` (Arm optimized-routines' algorithm, with the fused multiply-add of
 * glibc's x86-64 FMA build), bit for bit; what JAX's `x ** y` (`lax.pow`) returns for float32 on
 * the CPU.
 *
 * @param x A float32 value.
 * @param y A float32 value.
 * @returns `x ** y` rounded to float32, with C99's special cases (NaN for a negative `x` and a
 * non-integer `y`).
 */
export function powf(x: number, y: number): number {
  let signBias = 0;
  let ix = asuint(x);
  const iy = asuint(y);
  if (((ix - 0x00800000) >>> 0) >= 0x7f800000 - 0x00800000 || zeroinfnan(iy)) {
    if (zeroinfnan(iy)) {
      if (((2 * iy) >>> 0) === 0) return 1;
      if (ix === 0x3f800000) return 1;
      if (((2 * ix) >>> 0) > 2 * 0x7f800000 || ((2 * iy) >>> 0) > 2 * 0x7f800000) return NaN;
      if (((2 * ix) >>> 0) === 2 * 0x3f800000) return 1;
      if ((((2 * ix) >>> 0) < 2 * 0x3f800000) === !(iy & 0x80000000)) return 0;
      return Infinity;
    }
    if (zeroinfnan(ix)) {
      let x2 = Math.fround(x * x);
      if (ix & 0x80000000 && checkint(iy) === 1) x2 = -x2;
      return iy & 0x80000000 ? Math.fround(1 / x2) : x2;
    }
    if (ix & 0x80000000) {
      const yint = checkint(iy);
      if (yint === 0) return NaN;
      if (yint === 1) signBias = SIGN_BIAS;
      ix &= 0x7fffffff;
    }
    if (ix < 0x00800000) {
      ix = asuint(Math.fround(x * 2 ** 23)) & 0x7fffffff;
      ix -= 23 << 23;
    }
  }
  const ylogx = y * log2Inline(ix);
  if (Math.abs(ylogx) >= 126) {
    if (ylogx > POWF_OVERFLOW) return signBias ? -Infinity : Infinity;
    if (ylogx <= -150) return signBias ? -0 : 0;
  }
  return exp2Inline(ylogx, signBias);
}

/**
 * glibc's libm, bit for bit as glibc 2.36 computes it on x86-64 (the variants its ifunc selects on
 * CPUs with FMA, which is what CPython's `math` module and `float.__pow__` call on Linux): `cos`
 * and `sin` from lrspec's LGPL-licensed `glibc/` module, `exp`, `log` and `pow` ported from Arm
 * optimized-routines, `tanh`, `log1p`, `expm1` from fdlibm (`schedules/libm/`). `sqrt` is IEEE's
 * correctly rounded square root in every runtime. The default of {@linkcode libm}.
 */
export const GLIBC_LIBM: Readonly<Libm> = Object.freeze({
  cos: glibcCos,
  pow: glibcPow,
  powi: glibcPow,
  log: glibcLog,
  sqrt: Math.sqrt,
  cosf,
  powf,
  tanh: glibcTanh,
  sin: glibcSin,
  log1p: glibcLog1p,
  exp: glibcExp,
  expm1: glibcExpm1,
});

/**
 * The runtime's own libm (`Math.cos`, `**`, …; integer exponents routed through
 * {@linkcode powInt} on runtimes whose integer power is not correctly rounded). Faster than
 * {@linkcode GLIBC_LIBM}, but a few values in a thousand differ from Python's by an ULP or more,
 * depending on the runtime. float32 `cosf`/`powf` stay lrspec's bit-exact ones.
 */
export const RUNTIME_LIBM: Readonly<Libm> = Object.freeze({
  cos: Math.cos,
  pow: runtimePow,
  powi: powInt,
  log: Math.log,
  sqrt: Math.sqrt,
  cosf,
  powf,
  tanh: Math.tanh,
  sin: Math.sin,
  log1p: Math.log1p,
  exp: Math.exp,
  expm1: Math.expm1,
});

/**
 * The libm functions the ports call (`libm.cos(x)`, `libm.pow(x, y)`, …): the one place where a
 * schedule's arithmetic leaves plain IEEE-754 operations. Holds {@linkcode GLIBC_LIBM} unless
 * {@linkcode setLibm} chose otherwise; the conformance suite's oracle temporarily substitutes
 * glibc's recorded results (see `conformance/oracle.ts`). Not exported from the package: users
 * choose with {@linkcode setLibm} / {@linkcode withLibm}.
 */
export const libm: Libm = { ...GLIBC_LIBM };

/** Which libm the schedules use: `"glibc"` (exact, the default) or `"runtime"` (`Math.*`). */
export type LibmName = "glibc" | "runtime";

const LIBMS: Readonly<Record<LibmName, Readonly<Libm>>> = {
  glibc: GLIBC_LIBM,
  runtime: RUNTIME_LIBM,
};

/**
 * The libm the schedules use now: `"glibc"`, `"runtime"`, or `"custom"` when functions of
 * neither (a test's or the conformance oracle's) are installed.
 *
 * @returns The name of the installed libm.
 */
export function currentLibm(): LibmName | "custom" {
  for (const name of ["glibc", "runtime"] as const) {
    const chosen = LIBMS[name];
    if ((Object.keys(chosen) as (keyof Libm)[]).every((k) => libm[k] === chosen[k])) return name;
  }
  return "custom";
}

/**
 * Chooses the libm every schedule uses from now on: `"glibc"` (the default) reproduces Python on
 * Linux x86-64 bit for bit on every runtime; `"runtime"` uses the JavaScript engine's `Math.cos`,
 * `**`, … — faster (see BENCH.md), and off by an ULP on a few values in a thousand (Node more than
 * Deno and Bun).
 *
 * @param name `"glibc"` or `"runtime"`.
 * @returns The libm that was installed before (for restoring it).
 * @throws {TypeError} For any other name.
 * @example Opting out of the exact libm, then back
 * ```ts
 * import { CosineParamScheduler, setLibm } from "@lrspec/lrspec";
 * const previous = setLibm("runtime");
 * new CosineParamScheduler({ startValue: 0.1, endValue: 0 }).at(0.3); // Math.cos's rounding
 * setLibm(previous === "runtime" ? "runtime" : "glibc");
 * ```
 */
export function setLibm(name: LibmName): LibmName | "custom" {
  const chosen = (LIBMS as Partial<Record<string, Readonly<Libm>>>)[name];
  if (chosen === undefined) {
    throw optionError(
      TypeError,
      "setLibm",
      "name",
      name,
      `expected "glibc" or "runtime", got ${JSON.stringify(name)}`,
    );
  }
  const previous = currentLibm();
  Object.assign(libm, chosen);
  return previous;
}

/**
 * Runs `fn` with the named libm and restores the libm that was installed before, also when `fn`
 * throws. `fn` must compute synchronously: the previous libm is back as soon as `fn` returns, so
 * an `async` function's awaited work would run with it (use {@linkcode setLibm} around awaits).
 *
 * @param name `"glibc"` or `"runtime"`.
 * @param fn The computation.
 * @returns What `fn` returns.
 * @example
 * ```ts
 * import { CosineParamScheduler, withLibm } from "@lrspec/lrspec";
 * const s = new CosineParamScheduler({ startValue: 0.1, endValue: 0 });
 * const [exact, runtime] = [s.at(0.3), withLibm("runtime", () => s.at(0.3))];
 * ```
 */
export function withLibm<T>(name: LibmName, fn: () => T): T {
  const saved = { ...libm };
  setLibm(name);
  try {
    return fn();
  } finally {
    Object.assign(libm, saved);
  }
}

/**
 * Python's `round(x)` for a float: nearest integer, ties to even (`round(2.5) == 2`).
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor; // exact for every finite double
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

const ulpF64 = new Float64Array(1);
const ulpI64 = new BigInt64Array(ulpF64.buffer);

function ordered(x: number): bigint {
  ulpF64[0] = x;
  const bits = ulpI64[0]!;
  // Map the sign-magnitude bit pattern onto a monotone integer line (-0 and +0 both to 0).
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/**
 * The distance between two doubles in units in the last place: the number of doubles between
 * `a` and `b` plus one (0 when equal up to the sign of zero); `Infinity` when one is NaN.
 */
export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordered(a) - ordered(b);
  return Number(d < 0n ? -d : d);
}
