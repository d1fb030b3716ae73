/**
 * The float32 arithmetic of Keras 3's `keras.ops`, as each backend evaluates it on the CPU, for
 * the ops the learning-rate schedules use — and the seam through which the schedules call the
 * backends' `cos`, `log` and `pow`.
 *
 * Keras' schedules compute in the dtype of `initial_learning_rate` (float32 for a Python float)
 * with the optimizer's `iterations`, an int32 variable on every backend. What each op does,
 * measured on Keras 3.15.1 with numpy 2.4.6, jax 0.10.2 and torch 2.13 (x86-64, AVX2 + FMA):
 *
 * - `+ − × ÷`, `floor`, `ceil`, `minimum`, comparisons: IEEE float32 on all three (a Python
 *   float meeting a float32 tensor is rounded to float32 first: numpy 2's NEP 50, JAX's weak
 *   types, torch's wrapped scalars all do so). `Math.fround` of the double operation of two
 *   float32 values is the float32 operation (53 ≥ 2·24 + 2).
 * - `cast(int32 → float32)`: round to nearest (`Math.fround`).
 * - `cast(float32 → int32)` (a float boundary of `PiecewiseConstantDecay`): truncation toward
 *   zero; out of range or NaN, numpy and torch give x86's "integer indefinite" −2^31
 *   (`cvttss2si`), XLA saturates to [−2^31, 2^31 − 1] (NaN → 0).
 * - `power`: all three call glibc's `powf` (checked on every argument of the goldens): lrspec's
 *   {@linkcode powf}, bit for bit.
 * - `cos`: JAX (XLA:CPU) calls glibc's `cosf` (lrspec's {@linkcode cosf}, bit for bit). numpy
 *   (its own SIMD float32 sine/cosine) and torch (SLEEF's vectorised `cosf`, also for one
 *   element) are not correctly rounded; lrspec uses the correctly rounded float32 cosine for
 *   them, and the conformance suite measures how often, and by how many ULPs, that differs.
 * - `log` (`CosineDecayRestarts` with `t_mul != 1`): none of the three is glibc's `logf` (numpy:
 *   its own AVX2 routine; torch: SLEEF; XLA: its own polynomial). lrspec uses the correctly
 *   rounded float32 logarithm; measured the same way.
 *
 * {@linkcode backendMath} is a test seam: the conformance suite replaces its functions by the
 * results each backend returned on the goldens' arguments (recorded by the generator), which
 * proves that everything else is bit-identical.
 *
 * @module
 */

import { cosf, libm, powf } from "../math.ts";

/** A Keras 3 backend whose float32 arithmetic lrspec emulates. */
export type Backend = "numpy" | "jax" | "torch";

/** The backends, in the order error messages list them. */
export const BACKENDS: readonly Backend[] = ["numpy", "jax", "torch"];

/** A backend's float32 `cos`, `log` and `pow`: float32 arguments, float32 results. */
export interface BackendMath {
  /** `ops.cos(x)` of a float32 tensor. */
  cos(x: number): number;
  /** `ops.log(x)` of a float32 tensor (NaN below zero, −Infinity at zero). */
  log(x: number): number;
  /** `ops.power(x, y)` of two float32 tensors. */
  pow(x: number, y: number): number;
}

/**
 * The correctly rounded float32 cosine of a float32 `x`: the double cosine rounded to float32
 * (a double result is within one double ULP of the exact cosine, so this is the correctly
 * rounded float32 unless the exact value lies within 2^-29 float32 ULP of a rounding boundary).
 */
export function crCosf(x: number): number {
  return Math.fround(libm.cos(x));
}

/** The correctly rounded float32 natural logarithm of a float32 `x` (as {@linkcode crCosf}). */
export function crLogf(x: number): number {
  return Math.fround(libm.log(x));
}

function glibcCosf(x: number): number {
  return libm.cosf(x);
}

function glibcPowf(x: number, y: number): number {
  return libm.powf(x, y);
}

/** The functions lrspec uses for each backend by default. */
export const DEFAULT_BACKEND_MATH: Readonly<Record<Backend, Readonly<BackendMath>>> = Object
  .freeze({
    numpy: Object.freeze({ cos: crCosf, log: crLogf, pow: glibcPowf }),
    jax: Object.freeze({ cos: glibcCosf, log: crLogf, pow: glibcPowf }),
    torch: Object.freeze({ cos: crCosf, log: crLogf, pow: glibcPowf }),
  });

/**
 * The functions the schedules call, per backend (mutable: the conformance suite's seam; see the
 * module documentation). Not exported from the package.
 */
export const backendMath: Record<Backend, BackendMath> = {
  numpy: { ...DEFAULT_BACKEND_MATH.numpy },
  jax: { ...DEFAULT_BACKEND_MATH.jax },
  torch: { ...DEFAULT_BACKEND_MATH.torch },
};

/**
 * `ops.cast(x, "int32")` of a float32 `x`: truncation toward zero; out of int32's range (or
 * NaN) numpy and torch give −2^31, JAX saturates (NaN → 0).
 */
export function castToInt32(backend: Backend, x: number): number {
  if (Number.isNaN(x)) return backend === "jax" ? 0 : -(2 ** 31);
  const t = Math.trunc(x);
  if (t >= -(2 ** 31) && t <= 2 ** 31 - 1) return t === 0 ? 0 : t;
  if (backend === "jax") return t > 0 ? 2 ** 31 - 1 : -(2 ** 31);
  return -(2 ** 31);
}

export { cosf, powf };

/**
 * The float32 fused multiply-add `a·b + c`, rounded once (as `fmaf`): what XLA:CPU computes for a
 * float32 `a * b + c` (or `c - a * b`, with `-a`) inside a compiled computation, where LLVM
 * contracts the two operations. JAX's `lax.cond` compiles its branches — the warmup and decay of
 * `CosineDecay` with a `warmup_target`, the restart arithmetic of `CosineDecayRestarts` — while
 * the eager ops around them run one by one, unfused.
 *
 * `a·b` of two float32 values is exact in double; the double sum is rounded once more to
 * float32, which is wrong only when it lands exactly halfway between two float32 values: the
 * exact sum's side (its rounding error, by Knuth's two-sum) then decides.
 *
 * @param a A float32 value.
 * @param b A float32 value.
 * @param c A float32 value.
 * @returns `a·b + c` correctly rounded to float32.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s || !Number.isFinite(s)) return r;
  const other = 2 * s - r; // the float32 on the other side of s, when s is halfway between
  if (Math.fround(other) !== other || Math.abs(other - s) !== Math.abs(s - r)) return r;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb);
  if (err === 0) return r; // a true tie: ties to even, as Math.fround
  return (err > 0) === (other > r) ? other : r;
}
