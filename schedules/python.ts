/**
 * Python's number rules that every family's ports, explanations and outputs share: the text of a
 * float (`repr`).
 *
 * @module
 */

/**
 * Python's `repr` of a float (`float_repr_style == "short"`): the shortest text that reads
 * back as the same double, with Python's switch to exponent notation (`1e-05`, `1e+16`).
 *
 * @param x A number.
 * @returns Python's `repr(float(x))`.
 *
 * @example
 * ```ts
 * import { pyFloatRepr } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(pyFloatRepr(0.02 * 0.001), "2e-05");
 * assert.equal(pyFloatRepr(90000), "90000.0");
 * assert.equal(pyFloatRepr(1e16), "1e+16");
 * ```
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const decpt = Number(exp) + 1;
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const e = decpt - 1;
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}
