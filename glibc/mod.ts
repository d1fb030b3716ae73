/**
 * glibc's double-precision `sin` and `cos` (IBM Accurate Mathematical Library), ported to
 * TypeScript bit for bit as glibc 2.36 computes them on x86-64 — **licensed under the GNU LGPL
 * 2.1 or later** (see `LICENSE` in this folder), unlike the rest of lrspec (Apache-2.0).
 *
 * lrspec's schedules reach these functions only through the `libm` seam of `schedules/math.ts`;
 * this module can be replaced there by any other implementation (`setLibm`), as the LGPL asks.
 *
 * @example
 * ```ts
 * import { cos } from "./mod.ts";
 * cos(Math.PI * 0.3); // 0.5877852522924731, as Python's math.cos on glibc
 * ```
 *
 * @module
 */
export { cos, sin } from "./s_sin.ts";
export { branred } from "./branred.ts";
