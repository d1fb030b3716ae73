/**
 * glibc's libm in TypeScript, bit for bit as glibc 2.36 computes it on x86-64 — what Python's
 * `math.exp`, `math.log`, `math.pow`, `float.__pow__`, `math.tanh`, `math.log1p` and `math.expm1`
 * return on Linux — on every JavaScript runtime and in browsers; plus the fused multiply-add
 * ({@linkcode fma}) that glibc's FMA builds use.
 *
 * `exp`, `log` and `pow` are ports of Arm optimized-routines (MIT OR Apache-2.0 WITH
 * LLVM-exception, `LICENSE-optimized-routines`), `tanh`, `log1p` and `expm1` of fdlibm (Sun's
 * notice, in each file). `sin` and `cos` (IBM Accurate Mathematical Library, LGPL) live in the
 * separately licensed `glibc/` module (`@lrspec/lrspec/glibc`). The schedules use all of them
 * through the `libm` seam of `schedules/math.ts` (`setLibm`).
 *
 * @example
 * ```ts
 * import { pow } from "./mod.ts";
 * pow(0.1, 4); // 0.00010000000000000002, as Python's 0.1 ** 4 on Linux
 * ```
 *
 * @module
 */
export { fma } from "./fma.ts";
export { exp } from "./exp.ts";
export { log } from "./log.ts";
export { pow } from "./pow.ts";
export { expm1 } from "./expm1.ts";
export { log1p } from "./log1p.ts";
export { tanh } from "./tanh.ts";
