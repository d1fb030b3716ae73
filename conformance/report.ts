/**
 * The conformance report: runs every suite and renders the table and the JSON.
 *
 * @module
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import {
  currentLibm,
  type LibmName,
  RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED,
} from "../schedules/math.ts";
import { SUITES } from "./suites.ts";
import {
  type CaseSpec,
  runSuite,
  type SuiteResult,
  type SuiteSummary,
  summarize,
  summarizeGroups,
} from "./runner.ts";

export { SUITES };

/** The fixture directory. */
export const FIXTURES_DIR: string = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** Which JavaScript runtime is running, for reports. */
function runtimeInfo(): { name: string; version: string; engine: string } {
  const g = globalThis as {
    Deno?: { version: { deno: string; v8: string } };
    Bun?: { version: string };
  };
  if (g.Deno) {
    return { name: "deno", version: g.Deno.version.deno, engine: `V8 ${g.Deno.version.v8}` };
  }
  if (g.Bun) return { name: "bun", version: g.Bun.version, engine: "JavaScriptCore" };
  return { name: "node", version: process.versions.node, engine: `V8 ${process.versions.v8}` };
}

/** The full report. */
interface ConformanceReport {
  /** Runtime that produced it. */
  runtime: { name: string; version: string; engine: string };
  /** Platform. */
  platform: string;
  /** Whether integer powers come from the runtime or lrspec's correctly-rounded routine. */
  integerPow: "runtime" | "lrspec powInt";
  /** The libm the schedules used (`setLibm`): lrspec's exact glibc one, or the runtime's. */
  libm: LibmName | "custom";
  /** When. */
  date: string;
  /** Per-suite totals. */
  summaries: SuiteSummary[];
  /** Per-group totals of the suites whose cases have groups (torch: one per class). */
  groups: Record<string, SuiteSummary[]>;
  /** Per-suite details. */
  suites: SuiteResult[];
  /** Whether everything is within the policy. */
  ok: boolean;
}

/** Runs the suites (all, or those named) and returns the report. */
export function runConformance(
  options: {
    suites?: string[];
    filter?: (c: CaseSpec) => boolean;
    /** Another fixtures directory (a regenerated one: `deno task conformance:upstream`). */
    fixtures?: string;
  } = {},
): ConformanceReport {
  const names = options.suites ?? Object.keys(SUITES);
  const results: SuiteResult[] = [];
  for (const name of names) {
    const handlers = SUITES[name];
    if (handlers === undefined) {
      throw new RangeError(
        `unknown suite ${JSON.stringify(name)} (have ${Object.keys(SUITES).join(", ")})`,
      );
    }
    const root = options.fixtures === undefined
      ? FIXTURES_DIR
      : `${options.fixtures.replace(/\/$/, "")}/`;
    const dir = `${root}${name}`;
    if (!existsSync(`${dir}/manifest.json`) && !existsSync(`${dir}/manifest.json.gz`)) {
      throw new Error(`no fixtures at ${dir}: run \`deno task fixtures\``);
    }
    // Named by its directory: the suites of another torch / Python share a manifest `suite`.
    results.push({ ...runSuite(dir, handlers, options.filter), suite: name });
  }
  const summaries = results.map((r) => summarize(r));
  const groups: Record<string, SuiteSummary[]> = {};
  for (const r of results) {
    const g = summarizeGroups(r);
    if (g.length > 0) groups[r.suite] = g;
  }
  return {
    runtime: runtimeInfo(),
    platform: `${process.platform} ${process.arch}`,
    integerPow: RUNTIME_INTEGER_POW_IS_CORRECTLY_ROUNDED ? "runtime" : "lrspec powInt",
    libm: currentLibm(),
    date: new Date().toISOString(),
    summaries,
    groups,
    suites: results,
    ok: summaries.every((s) => s.failures === 0),
  };
}

function pct(a: number, b: number): string {
  if (b === 0) return "n/a";
  if (a === b) return "100%";
  return `${(Math.floor(10000 * a / b) / 100).toFixed(2)}%`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r, j) => {
    const line = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ");
    return j === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
  }).join("\n");
}

/** Renders the report for a terminal. */
export function formatReport(r: ConformanceReport): string {
  const out: string[] = [];
  out.push(
    `lrspec conformance — ${r.runtime.name} ${r.runtime.version} (${r.runtime.engine}), ${r.platform}`,
  );
  out.push(
    r.libm === "glibc"
      ? "libm: lrspec's exact glibc (the default)"
      : `libm: ${r.libm} (setLibm); integer powers: ${r.integerPow}`,
  );
  out.push("");
  const summaryTable = (first: string, rows: SuiteSummary[]) =>
    table([
      [
        first,
        "cases",
        "values",
        "exact",
        "exact %",
        "libm diffs",
        "max ULP",
        "errors mirrored",
        "failures",
      ],
      ...rows.map((s) => [
        s.suite,
        String(s.cases),
        String(s.values),
        String(s.exact),
        pct(s.exact, s.values),
        String(s.libmDiffs),
        String(s.maxUlp),
        `${s.errorsMirrored}/${s.errorsExpected}`,
        String(s.failures),
      ]),
    ]);
  out.push(summaryTable("suite", r.summaries));
  for (const suite of r.suites) {
    out.push("");
    const groups = r.groups[suite.suite];
    if (groups !== undefined) {
      out.push(`${suite.suite}, per class:`);
      out.push(summaryTable("class", groups));
      out.push("");
    }
    out.push(`${suite.suite}: ${r.libm} libm vs glibc on every argument upstream evaluated`);
    for (const p of suite.libmProbe) {
      out.push(
        `  ${p.op.padEnd(4)} ${p.differ} of ${p.calls} differ${
          p.differ ? ` (max ${p.maxUlp} ULP)` : ""
        }`,
      );
    }
    const withDiffs = suite.cases.filter((c) => c.libmDiffs > 0);
    if (withDiffs.length) {
      out.push(`  cases with libm differences (exact once glibc's results are substituted):`);
      for (const c of withDiffs) {
        out.push(`    ${c.id}: ${c.libmDiffs} of ${c.values} values, max ${c.maxUlp} ULP`);
      }
    }
    for (const c of suite.cases.filter((c) => c.failureCount > 0)) {
      out.push(`  FAIL ${c.id}: ${c.failureCount} failures`);
      for (const f of c.failures.slice(0, 5)) {
        out.push(
          `    at ${f.at}${
            f.column ? ` [${f.column}]` : ""
          }: expected ${f.expected}, got ${f.actual}` +
            `${f.ulp === undefined ? "" : ` (${f.ulp} ULP)`} — ${f.reason}`,
        );
      }
    }
  }
  out.push("");
  out.push(r.ok ? "PASS: every value is bit-identical or a proven libm difference" : "FAIL");
  return out.join("\n");
}
