/**
 * Small pieces of English and numbers for the CLI's messages.
 *
 * @module
 */

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th … */
export function ordinal(n: number): string {
  const tens = Math.abs(n) % 100;
  const ones = Math.abs(n) % 10;
  const suffix = tens >= 11 && tens <= 13
    ? "th"
    : ones === 1
    ? "st"
    : ones === 2
    ? "nd"
    : ones === 3
    ? "rd"
    : "th";
  return `${n}${suffix}`;
}

export { grouped } from "../curve/format.ts";

/**
 * A count as people write it on a command line: `5000`, `5k`, `5.5k`, `1.2M`, `1e9`, `2G`
 * (an integer; undefined when the text is not one).
 */
export function parseCount(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKMG]?)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[m[2]!]!;
  const n = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(n) && Math.abs(n - Number(m[1]) * unit) < 1e-6 ? n : undefined;
}
