/**
 * Verify a port — in any language — against golden values: {@linkcode verifyCsv} compares two CSV
 * files (`iter,lr…` rows, the format `lrspec curve` and the golden fixtures use) value by value,
 * bit for bit or within `maxUlp`, and names the first divergence. `lrspec verify` is the same
 * function on the command line.
 *
 * @example A faithful port passes
 * ```ts
 * import { formatVerifyReport, verifyCsv } from "@lrspec/lrspec/verify";
 * import assert from "node:assert/strict";
 *
 * const golden = "iter,lr\n0,2e-05\n1,4.0e-05\n";
 * const mine = "iter,lr\n0,0.00002\n1,0.00004\n";
 * const report = verifyCsv(golden, mine);
 * assert.equal(report.ok, true);
 * assert.match(formatVerifyReport(report), /2 bit-identical \(100%\)[\s\S]*PASS$/);
 * ```
 *
 * @module
 */

export * from "./verify.ts";
export * from "./csv.ts";
