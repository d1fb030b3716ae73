/**
 * Distances between doubles in units in the last place.
 *
 * @module
 */

export { ulpDistance } from "../schedules/_math.ts";

/** Bit-identical, including the sign of zero and NaN payload-insensitive. */
export function sameDouble(a: number, b: number): boolean {
  return Object.is(a, b);
}
