/**
 * Numbers as the CLI, the playground and the explanations write them, for every family.
 *
 * @module
 */

import { pyFloatRepr } from "../schedules/python.ts";

/**
 * A learning rate for reading: Python's shortest repr when it has at most 7 significant digits
 * (`0.02`, `2e-05`), otherwise 6 significant digits (`0.0199997`); no trailing `.0`.
 *
 * @param x A number.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { formatLr } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatLr(0.02 * 0.001), "2e-05");
 * assert.equal(formatLr(0.00020000000000000004), "0.0002");
 * assert.equal(formatLr(0), "0");
 * ```
 */
export function formatLr(x: number): string {
  let r = pyFloatRepr(x);
  const digits = r.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "");
  if (digits.length > 7) r = pyFloatRepr(Number(x.toPrecision(6)));
  return r.replace(/\.0(?=$|e)/, "");
}

/**
 * An integer with its thousands grouped by commas, as the explanations write counts.
 *
 * @param n An integer.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { grouped } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * assert.equal(grouped(10000002), "10,000,002");
 * ```
 */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
}
