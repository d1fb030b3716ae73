/**
 * Verify mode: compares a candidate CSV — from lrspec or from anyone's port, in any language —
 * with a golden fixture, value by value.
 *
 * The candidate has the golden file's header (`iter,lr` or `iter,lr0,lr1,…` or `where,value`;
 * the `error` column is optional) and a row for every golden row, in any order. A golden row
 * whose `error` cell is set (upstream raised there) is matched by a candidate row with a
 * non-empty `error` cell or empty value cells.
 *
 * @module
 */

import { parseNumber, readTable, type Table } from "./csv.ts";
import { ulpDistance } from "../schedules/math.ts";

/** Options of {@linkcode verifyTables}. */
export interface VerifyOptions {
  /**
   * Accept differences up to this many ULPs (counted and reported separately). Use it only for
   * values that pass through `cos`/`pow`, and say so.
   * @default {0}
   */
  maxUlp?: number;
}

/** The first row where the candidate diverges. */
export interface Divergence {
  /** The key (`iter` or `where` value). */
  key: string;
  /** The column. */
  column: string;
  /** Golden value (or `raises`). */
  expected: string;
  /** Candidate value (or `raises`, `missing`). */
  actual: string;
  /** ULP distance when both are numbers. */
  ulp?: number;
  /** Line of the candidate row, when there is one. */
  line?: number;
}

/** The comparison's result. */
export interface VerifyReport {
  /** Golden source. */
  golden: string;
  /** Candidate source. */
  candidate: string;
  /** Values compared. */
  values: number;
  /** Bit-identical values. */
  exact: number;
  /** Values within `maxUlp` (but not exact). */
  withinTolerance: number;
  /** Values beyond tolerance, missing, or with the wrong error behaviour. */
  mismatches: number;
  /** Largest ULP distance seen. */
  maxUlp: number;
  /** Golden error rows matched by the candidate. */
  errorsMirrored: number;
  /** Golden error rows. */
  errorsExpected: number;
  /** Candidate rows whose key is not in the golden file. */
  extraRows: number;
  /** The first divergence, in golden order. */
  first?: Divergence;
  /** Whether the candidate passes. */
  ok: boolean;
}

function keyText(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** Key columns that count steps: their cells must be non-negative integers. */
const INTEGER_KEYS = new Set(["iter", "step", "epoch"]);

/** A row's key, checked: an `iter` of 1.5 is malformed input, not an extra row. */
function rowKey(keyName: string, cell: string, where: string): string {
  const key = parseNumber(cell, where);
  if (INTEGER_KEYS.has(keyName) && !(Number.isSafeInteger(key) && key >= 0)) {
    throw new SyntaxError(
      `${where}: ${keyName} must be a non-negative integer: got ${JSON.stringify(cell)}`,
    );
  }
  return keyText(key);
}

/** Compares two parsed tables. Throws a `SyntaxError` (with file and line) for malformed input. */
export function verifyTables(
  golden: Table,
  candidate: Table,
  options: VerifyOptions = {},
): VerifyReport {
  const maxUlpAllowed = options.maxUlp ?? 0;
  const keyName = golden.header[0]!;
  if (candidate.header[0] !== keyName) {
    throw new SyntaxError(
      `${candidate.source}:1: the first column must be "${keyName}" (as in ${golden.source}): got "${
        candidate.header[0]
      }"`,
    );
  }
  const valueColumns = golden.header.slice(1).filter((c) => c !== "error");
  const candIndex = new Map(candidate.header.map((c, i) => [c, i]));
  for (const c of valueColumns) {
    if (!candIndex.has(c)) {
      throw new SyntaxError(
        `${candidate.source}:1: missing column "${c}" (header: ${golden.header.join(",")})`,
      );
    }
  }
  for (const c of candidate.header.slice(1)) {
    if (c !== "error" && !valueColumns.includes(c)) {
      throw new SyntaxError(
        `${candidate.source}:1: unexpected column "${c}" (golden columns: ${
          golden.header.join(",")
        })`,
      );
    }
  }
  const gErr = golden.header.indexOf("error");
  const cErr = candIndex.get("error");
  const rows = new Map<string, { line: number; cells: string[] }>();
  for (const row of candidate.rows) {
    const key = rowKey(keyName, row.cells[0]!, `${candidate.source}:${row.line}`);
    if (rows.has(key)) {
      throw new SyntaxError(
        `${candidate.source}:${row.line}: duplicate ${keyName} ${key} (first on line ${
          rows.get(key)!.line
        })`,
      );
    }
    rows.set(key, row);
  }
  const report: VerifyReport = {
    golden: golden.source,
    candidate: candidate.source,
    values: 0,
    exact: 0,
    withinTolerance: 0,
    mismatches: 0,
    maxUlp: 0,
    errorsMirrored: 0,
    errorsExpected: 0,
    extraRows: 0,
    ok: false,
  };
  const diverge = (d: Divergence) => {
    report.mismatches++;
    report.first ??= d;
  };
  const seen = new Set<string>();
  for (const g of golden.rows) {
    const gAt = `${golden.source}:${g.line}`;
    const key = rowKey(keyName, g.cells[0]!, gAt);
    seen.add(key);
    const c = rows.get(key);
    const raises = gErr >= 0 && g.cells[gErr] !== "";
    if (raises) {
      report.errorsExpected++;
      const candidateRaises = c !== undefined &&
        ((cErr !== undefined && c.cells[cErr] !== "") ||
          valueColumns.every((col) => c.cells[candIndex.get(col)!] === ""));
      if (candidateRaises) report.errorsMirrored++;
      else {
        diverge({
          key,
          column: "error",
          expected: `raises ${g.cells[gErr]}`,
          actual: c === undefined ? "missing" : "a value",
          ...(c ? { line: c.line } : {}),
        });
      }
      continue;
    }
    for (const col of valueColumns) {
      report.values++;
      const expected = parseNumber(g.cells[golden.header.indexOf(col)]!, gAt);
      if (c === undefined) {
        diverge({ key, column: col, expected: String(expected), actual: "missing" });
        continue;
      }
      const cell = c.cells[candIndex.get(col)!]!;
      const candidateError = cErr !== undefined && c.cells[cErr] !== "";
      if (cell === "" || candidateError) {
        diverge({
          key,
          column: col,
          expected: String(expected),
          actual: candidateError ? `raises ${c.cells[cErr!]}` : "empty",
          line: c.line,
        });
        continue;
      }
      const actual = parseNumber(cell, `${candidate.source}:${c.line}`);
      if (Object.is(actual, expected)) {
        report.exact++;
        continue;
      }
      const ulp = ulpDistance(actual, expected);
      report.maxUlp = Math.max(report.maxUlp, ulp);
      if (ulp <= maxUlpAllowed) report.withinTolerance++;
      else {diverge({
          key,
          column: col,
          expected: String(expected),
          actual: String(actual),
          ulp,
          line: c.line,
        });}
    }
  }
  for (const key of rows.keys()) if (!seen.has(key)) report.extraRows++;
  report.ok = report.mismatches === 0;
  return report;
}

/**
 * Compares candidate CSV text with golden CSV text.
 *
 * @example
 * ```ts
 * import { verifyCsv } from "./verify.ts";
 * import assert from "node:assert/strict";
 *
 * const golden = "iter,lr,error\n0,0.1,\n1,0.010000000000000002,\n2,,RuntimeError\n";
 * const mine = "iter,lr\n0,0.1\n1,0.01\n2,\n";
 * const report = verifyCsv(golden, mine, { goldenName: "golden.csv", candidateName: "mine.csv" });
 * assert.equal(report.ok, false);
 * assert.equal(report.first?.key, "1");
 * assert.equal(report.first?.ulp, 1);
 * ```
 */
export function verifyCsv(
  goldenText: string,
  candidateText: string,
  options: VerifyOptions & { goldenName?: string; candidateName?: string } = {},
): VerifyReport {
  const golden = readTable(goldenText, options.goldenName ?? "golden");
  const candidate = readTable(candidateText, options.candidateName ?? "candidate");
  return verifyTables(golden, candidate, options);
}

/** A human-readable summary of a {@linkcode VerifyReport}. */
export function formatVerifyReport(r: VerifyReport, maxUlp = 0): string {
  const lines = [
    `golden     ${r.golden}`,
    `candidate  ${r.candidate}`,
    `values     ${r.values} compared, ${r.exact} bit-identical (${pct(r.exact, r.values)})` +
    (r.withinTolerance ? `, ${r.withinTolerance} within ${maxUlp} ULP` : ""),
    `errors     ${r.errorsMirrored} of ${r.errorsExpected} upstream errors mirrored`,
    `max ULP    ${r.maxUlp}`,
  ];
  if (r.extraRows) {
    lines.push(`extra      ${r.extraRows} candidate rows not in the golden file (ignored)`);
  }
  if (r.first) {
    const d = r.first;
    lines.push(
      `first divergence at ${d.key} (${d.column}${d.line ? `, candidate line ${d.line}` : ""}): ` +
        `expected ${d.expected}, got ${d.actual}${d.ulp === undefined ? "" : ` (${d.ulp} ULP)`}`,
    );
  }
  lines.push(r.ok ? "PASS" : `FAIL: ${r.mismatches} mismatches`);
  return lines.join("\n");
}

function pct(a: number, b: number): string {
  return b === 0 ? "n/a" : `${(100 * a / b).toFixed(a === b ? 0 : 3)}%`;
}
