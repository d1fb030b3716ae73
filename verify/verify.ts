/**
 * Verify mode: compares a candidate CSV — from lrspec or from anyone's port, in any language —
 * with a golden fixture, value by value.
 *
 * The candidate has the golden file's header (`iter,lr` or `iter,lr0,lr1,…` or `where,value`;
 * the `error` column is optional) and a row for every golden row, in any order. A golden row
 * whose `error` cell is set (upstream raised there) is matched by a candidate row with a
 * non-empty `error` cell or empty value cells. An `epoch` column after the first (`iter,epoch,lr`,
 * as `lrspec curve --mmengine` writes it) says where a row is, not a value: it is compared when
 * both files have it, and either file may leave it out.
 *
 * @module
 */

import { parseNumber, readTable, type Row } from "./csv.ts";
import { ulpDistance } from "../schedules/math.ts";

/** Options of {@linkcode verifyTables}. */
export interface VerifyOptions {
  /**
   * Accept differences up to this many ULPs (counted and reported separately). Use it only for
   * values that pass through `cos`/`pow`, and say so.
   * @default {0}
   */
  maxUlp?: number;
  /**
   * Accept a candidate with rows the golden file lacks (check only the golden's rows). Without
   * it, such rows fail the comparison: a golden file cut short must not pass.
   * @default {false}
   */
  allowSubset?: boolean;
}

/** A row where the candidate diverges. */
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
  /** Golden rows read. */
  goldenRows: number;
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
  /** Golden rows the candidate lacks. */
  missingRows: number;
  /** Candidate rows whose key is not in the golden file. */
  extraRows: number;
  /** The first candidate row whose key is not in the golden file. */
  firstExtra?: { key: string; line: number };
  /** The first divergence, in golden order. */
  first?: Divergence;
  /** The divergence of the largest ULP distance (the first such, in golden order). */
  worst?: Divergence;
  /**
   * Why the candidate fails apart from its values, each a sentence: an empty golden file, rows
   * the golden file lacks (without `allowSubset`).
   */
  problems: string[];
  /** Whether the candidate passes. */
  ok: boolean;
}

function keyText(x: number): string {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** Key columns that count steps: their cells must be non-negative integers. */
const INTEGER_KEYS = new Set(["iter", "step", "epoch", "iteration"]);

/** A column after the first that says where a row is (`iter,epoch,lr`), not a value. */
const POSITION = "epoch";

/** A row's key, checked: an `iter` of 1.5 is malformed input, not an extra row. */
function rowKey(keyName: string, cell: string, where: string): number {
  const key = parseNumber(cell, where);
  if (INTEGER_KEYS.has(keyName) && !(Number.isSafeInteger(key) && key >= 0)) {
    throw new SyntaxError(
      `${where}: ${keyName} must be a non-negative integer: got ${JSON.stringify(cell)}`,
    );
  }
  if (Number.isNaN(key)) throw new SyntaxError(`${where}: ${keyName} must not be NaN`);
  return key;
}

/** What {@linkcode verifyTables} reads: a header and rows, in an array or streamed. */
export interface TableInput {
  /** Where the table came from, for messages. */
  source: string;
  /** The column names. */
  header: string[];
  /** The records, in file order. */
  rows: Iterable<Row>;
}

/**
 * Detects a repeated key in a file, remembering each line's key as runs: a run is a stretch where
 * the key and the line both advance by one, so the usual file (`0,1,2,…` on consecutive lines)
 * costs one run however long it is, and a key seen before is found with its line.
 */
class DuplicateCheck {
  readonly #keys: number[] = [];
  readonly #lines: number[] = [];
  readonly #lengths: number[] = [];
  /** Keys that arrived below the running maximum, with their lines. */
  readonly #outOfOrder = new Map<number, number>();
  #max = -Infinity;

  constructor(readonly source: string, readonly keyName: string) {}

  /** Records `key` (with `-0` already folded into `0`) at `line`; throws on a repeat. */
  add(key: number, line: number): void {
    if (key > this.#max) {
      const n = this.#keys.length - 1;
      const len = this.#lengths[n] ?? 0;
      if (n >= 0 && key === this.#keys[n]! + len && line === this.#lines[n]! + len) {
        this.#lengths[n] = len + 1;
      } else {
        this.#keys.push(key);
        this.#lines.push(line);
        this.#lengths.push(1);
      }
      this.#max = key;
      return;
    }
    const first = this.#outOfOrder.get(key) ?? this.#inRuns(key);
    if (first !== undefined) {
      throw new SyntaxError(
        `${this.source}:${line}: duplicate ${this.keyName} ${
          keyText(key)
        } (first on line ${first})`,
      );
    }
    this.#outOfOrder.set(key, line);
  }

  /** The line of `key` among the increasing keys, if it is there (binary search). */
  #inRuns(key: number): number | undefined {
    let lo = 0;
    let hi = this.#keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = this.#keys[mid]!;
      if (key < start) hi = mid - 1;
      else if (key >= start + this.#lengths[mid]!) lo = mid + 1;
      else return Number.isInteger(key - start) ? this.#lines[mid]! + (key - start) : undefined;
    }
    return undefined;
  }
}

/**
 * Compares two tables, streaming: rows are read once, and when both files list their keys in the
 * same order (as lrspec and upstream's golden files do) memory stays constant however long they
 * are; rows out of order are held until their partner arrives. Throws a `SyntaxError` (with file
 * and line) for malformed input, duplicated keys included.
 */
export function verifyTables(
  golden: TableInput,
  candidate: TableInput,
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
  const valueColumns = golden.header.slice(1).filter((c) => c !== "error" && c !== POSITION);
  // The position column, where both files have one: [golden index, candidate index].
  const gPos = golden.header.indexOf(POSITION, 1);
  const cPos = candidate.header.indexOf(POSITION, 1);
  const position = gPos > 0 && cPos > 0 ? [gPos, cPos] as const : undefined;
  const goldenIndex = valueColumns.map((c) => golden.header.indexOf(c));
  const candIndex = new Map(candidate.header.map((c, i) => [c, i]));
  for (const c of valueColumns) {
    if (!candIndex.has(c)) {
      throw new SyntaxError(
        `${candidate.source}:1: missing column "${c}" (header: ${golden.header.join(",")})`,
      );
    }
  }
  for (const c of candidate.header.slice(1)) {
    if (c !== "error" && c !== POSITION && !valueColumns.includes(c)) {
      throw new SyntaxError(
        `${candidate.source}:1: unexpected column "${c}" (golden columns: ${
          golden.header.join(",")
        })`,
      );
    }
  }
  const candValueIndex = valueColumns.map((c) => candIndex.get(c)!);
  const gErr = golden.header.indexOf("error");
  const cErr = candIndex.get("error");
  const report: VerifyReport = {
    golden: golden.source,
    candidate: candidate.source,
    goldenRows: 0,
    values: 0,
    exact: 0,
    withinTolerance: 0,
    mismatches: 0,
    maxUlp: 0,
    errorsMirrored: 0,
    errorsExpected: 0,
    missingRows: 0,
    extraRows: 0,
    problems: [],
    ok: false,
  };
  let worstUlp = -1;
  const diverge = (d: Divergence) => {
    report.mismatches++;
    report.first ??= d;
    const far = d.ulp ?? Infinity;
    if (far > worstUlp) {
      worstUlp = far;
      report.worst = d;
    }
  };

  // Candidate rows read ahead of the golden row that wants them (empty when both files share
  // their order), and the golden keys already compared (kept only when keys go out of order).
  const candRows = candidate.rows[Symbol.iterator]();
  const ahead = new Map<number, Row>();
  const candDup = new DuplicateCheck(candidate.source, keyName);
  const goldDup = new DuplicateCheck(golden.source, keyName);
  let candidateDone = false;
  const readCandidate = (): { key: number; row: Row } | undefined => {
    if (candidateDone) return undefined;
    const next = candRows.next();
    if (next.done) {
      candidateDone = true;
      return undefined;
    }
    const row = next.value;
    const raw = rowKey(keyName, row.cells[0]!, `${candidate.source}:${row.line}`);
    const key = Object.is(raw, -0) ? 0 : raw;
    candDup.add(key, row.line);
    return { key, row };
  };
  const take = (key: number): Row | undefined => {
    const held = ahead.get(key);
    if (held !== undefined) {
      ahead.delete(key);
      return held;
    }
    for (let c = readCandidate(); c !== undefined; c = readCandidate()) {
      if (c.key === key) return c.row;
      ahead.set(c.key, c.row);
    }
    return undefined;
  };

  for (const g of golden.rows) {
    report.goldenRows++;
    const gAt = `${golden.source}:${g.line}`;
    const rawKey = rowKey(keyName, g.cells[0]!, gAt);
    goldDup.add(Object.is(rawKey, -0) ? 0 : rawKey, g.line);
    const key = Object.is(rawKey, -0) ? 0 : rawKey;
    const keyShown = keyText(rawKey);
    const c = take(key);
    if (c === undefined) report.missingRows++;
    if (position !== undefined && c !== undefined) {
      const expected = rowKey(POSITION, g.cells[position[0]]!, gAt);
      const actual = rowKey(POSITION, c.cells[position[1]]!, `${candidate.source}:${c.line}`);
      if (expected !== actual) {
        diverge({
          key: keyShown,
          column: POSITION,
          expected: String(expected),
          actual: String(actual),
          line: c.line,
        });
      }
    }
    const raises = gErr >= 0 && g.cells[gErr] !== "";
    if (raises) {
      report.errorsExpected++;
      const candidateRaises = c !== undefined &&
        ((cErr !== undefined && c.cells[cErr] !== "") ||
          candValueIndex.every((i) => c.cells[i] === ""));
      if (candidateRaises) report.errorsMirrored++;
      else {
        diverge({
          key: keyShown,
          column: "error",
          expected: `raises ${g.cells[gErr]}`,
          actual: c === undefined ? "missing" : "a value",
          ...(c ? { line: c.line } : {}),
        });
      }
      continue;
    }
    for (let j = 0; j < valueColumns.length; j++) {
      const col = valueColumns[j]!;
      report.values++;
      const expected = parseNumber(g.cells[goldenIndex[j]!]!, gAt);
      if (c === undefined) {
        diverge({ key: keyShown, column: col, expected: String(expected), actual: "missing" });
        continue;
      }
      const cell = c.cells[candValueIndex[j]!]!;
      const candidateError = cErr !== undefined && c.cells[cErr] !== "";
      if (cell === "" || candidateError) {
        diverge({
          key: keyShown,
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
      else {
        diverge({
          key: keyShown,
          column: col,
          expected: String(expected),
          actual: String(actual),
          ulp,
          line: c.line,
        });
      }
    }
  }
  // Whatever the candidate still holds has no golden partner.
  const extra = (key: number, row: Row) => {
    report.extraRows++;
    if (report.firstExtra === undefined || row.line < report.firstExtra.line) {
      report.firstExtra = { key: keyText(key), line: row.line };
    }
  };
  for (const [key, row] of ahead) extra(key, row);
  for (let c = readCandidate(); c !== undefined; c = readCandidate()) extra(c.key, c.row);

  if (report.goldenRows === 0) {
    report.problems.push(
      `the golden file ${golden.source} has a header and no rows: there is nothing to compare`,
    );
  }
  if (report.extraRows > 0 && !options.allowSubset) {
    report.problems.push(
      `the candidate has ${report.extraRows} row${
        report.extraRows === 1 ? "" : "s"
      } the golden file lacks (the first: ${keyName} ${report.firstExtra!.key}, candidate line ${
        report.firstExtra!.line
      }): is the golden file cut short? Pass --allow-subset to check only the golden's rows`,
    );
  }
  report.ok = report.mismatches === 0 && report.problems.length === 0;
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
    `golden     ${r.golden} (${r.goldenRows} row${r.goldenRows === 1 ? "" : "s"})`,
    `candidate  ${r.candidate}`,
    `values     ${r.values} compared, ${r.exact} bit-identical (${pct(r.exact, r.values)})` +
    (r.withinTolerance ? `, ${r.withinTolerance} within ${maxUlp} ULP` : ""),
    `errors     ${r.errorsMirrored} of ${r.errorsExpected} upstream errors mirrored`,
    `max ULP    ${r.maxUlp}`,
  ];
  if (r.missingRows) {
    lines.push(`missing    ${r.missingRows} golden rows have no candidate row`);
  }
  if (r.extraRows) {
    lines.push(
      `extra      ${r.extraRows} candidate rows not in the golden file` +
        (r.problems.length === 0 ? " (ignored: --allow-subset)" : ""),
    );
  }
  const show = (label: string, d: Divergence) =>
    `${label} ${d.key} (${d.column}${d.line ? `, candidate line ${d.line}` : ""}): ` +
    `expected ${d.expected}, got ${d.actual}${d.ulp === undefined ? "" : ` (${d.ulp} ULP)`}`;
  if (r.first) lines.push(show("first divergence at", r.first));
  if (r.worst && r.worst !== r.first) lines.push(show("largest divergence at", r.worst));
  for (const p of r.problems) lines.push(`problem    ${p}`);
  lines.push(
    r.ok ? "PASS" : `FAIL: ${
      [
        ...(r.mismatches ? [`${r.mismatches} mismatches`] : []),
        ...(r.problems.length
          ? [`${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}`]
          : []),
      ].join(", ")
    }`,
  );
  return lines.join("\n");
}

function pct(a: number, b: number): string {
  return b === 0 ? "n/a" : `${(100 * a / b).toFixed(a === b ? 0 : 3)}%`;
}
