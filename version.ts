/**
 * The version of lrspec — the one place it is written; a test checks that `deno.json` and
 * `package.json` say the same.
 *
 * @module
 */

/** The package version (`@lrspec/lrspec` on JSR, `lrspec` on npm). */
export const VERSION = "0.1.0";
