/**
 * Runs the golden fixtures through lrspec and classifies every value.
 *
 * Policy (see the README): a value must be bit-identical to upstream's. The only accepted
 * difference is one caused by the runtime's `cos`/`pow` rounding differently from glibc's — and
 * that is proven, not assumed: a case whose values pass through libm is run a second time with
 * glibc's recorded results substituted ({@linkcode GlibcOracle}); it must then be exact, and each
 * value that differed in the first run is counted as a libm difference with its ULP distance.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import { readTable, type Table } from "../verify/csv.ts";
import { EXTRA_OPS, GlibcOracle } from "./oracle.ts";
import { ulpDistance } from "../schedules/math.ts";
import { libm } from "../schedules/math.ts";

/** One case of a fixture manifest. */
export interface CaseSpec {
  /** Unique id within the suite, e.g. `build/1x`. */
  id: string;
  /** Which handler runs it. */
  kind: string;
  /** What the case covers. */
  description: string;
  /** The CSV file with the golden values, relative to the suite directory. */
  file?: string;
  /** libm operations the values pass through (`cos`, `pow`). */
  libm?: string[];
  /** Set when upstream raised at construction. */
  error?: { type: string; message: string };
  /** Kind-specific fields. */
  [field: string]: unknown;
}

/** The upstream releases a suite was generated under, as lrspec's options name them. */
export interface SuiteVersions {
  /** The torch release (`torch` option of the torch schedulers). */
  torch: "1.13" | "2.11" | "2.13";
  /** The Python release (`python` option of fvcore's `CompositeParamScheduler`). */
  python: "3.11" | "3.12";
}

/** A fixture suite's manifest. */
interface Manifest {
  /** Suite name (`detectron2`, `torch`). */
  suite: string;
  /** What the suite covers. */
  description: string;
  /** The releases that produced it: the runner builds lrspec's objects for the same. */
  versions: SuiteVersions;
  /** The libm table's file name. */
  libm: string;
  /** The cases. */
  cases: CaseSpec[];
}

/** What a computation produced: a value, or an error (its constructor name). */
export type Outcome = { value: number } | { error: string } | { text: string };

/** One compared quantity. */
export interface Observation {
  /** Where: `iter 1000`, `where 0.5`, `construct`, `SOLVER.MAX_ITER`, … */
  at: string;
  /** Column, for multi-group schedules (`lr1`). */
  column: string;
  /** Upstream's outcome. */
  expected: Outcome;
  /** lrspec's outcome. */
  actual: Outcome;
  /** When set, a value difference here is explained by glibc itself (e.g. its `pow` not being correctly rounded). */
  explained?: string;
  /**
   * The lrspec error classes that mirror the expected error here, when not a `TypeError` or
   * `RangeError` (a YAML syntax error is a `SyntaxError`).
   */
  accepts?: readonly string[];
}

/** Context handed to a case handler. */
export interface HandlerContext {
  /** The suite directory (absolute path). */
  dir: string;
  /** The releases the suite records: build lrspec's objects with these. */
  versions: SuiteVersions;
  /** Reads a CSV of the suite. */
  table(file: string): Table;
  /** Reads any other file of the suite (`defaults.json`). */
  text(file: string): string;
}

/**
 * Reads a fixture file as text: `path` itself, or else its gzip-compressed copy `path.gz` (the
 * large generated suites store their CSVs compressed; a manifest names the plain `x.csv` either
 * way, so a suite unpacked with `gunzip -r` reads the same).
 *
 * @throws {Error} If neither `path` nor `path.gz` exists.
 */
export function readFixture(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8");
  if (existsSync(`${path}.gz`)) return gunzipSync(readFileSync(`${path}.gz`)).toString("utf8");
  throw new Error(`no fixture file ${path} (nor ${path}.gz)`);
}

/**
 * Where a suite's files live. A suite directory with a `files.json`
 * (`{ "files": { "<file>": { "path": "<path under fixtures/>", "sha256": "<hex>" } } }`) stores
 * only the files that differ from another suite's and names the others (a path ending in `.gz` is
 * stored gzip-compressed); every file read is checked against the recorded sha256 of upstream's
 * output, uncompressed. Otherwise files are in the directory,
 * plain or gzip-compressed ({@linkcode readFixture}).
 */
export function suiteFiles(dir: string): (file: string) => string {
  const index = `${dir}/files.json`;
  if (!existsSync(index)) return (file) => readFixture(`${dir}/${file}`);
  const { files } = JSON.parse(readFileSync(index, "utf8")) as {
    files: Record<string, { path: string; sha256: string }>;
  };
  const root = dirname(dir);
  return (file) => {
    const entry = files[file];
    if (entry === undefined) throw new Error(`${index}: no entry for ${file}`);
    const stored = readFileSync(`${root}/${entry.path}`);
    // A `.gz` path holds the gzip-compressed bytes; the sha256 is of upstream's own bytes.
    const bytes = entry.path.endsWith(".gz") ? gunzipSync(stored) : stored;
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (sha256 !== entry.sha256) {
      throw new Error(
        `${root}/${entry.path}: sha256 ${sha256}, but ${index} records ${entry.sha256} for ${file}`,
      );
    }
    return bytes.toString("utf8");
  };
}

/** Runs one case and returns its observations. Called once normally and once under the oracle. */
export type CaseHandler = (c: CaseSpec, ctx: HandlerContext) => Observation[];

/** A mismatch that the policy does not accept. */
interface Failure {
  /** Case id. */
  case: string;
  /** Where. */
  at: string;
  /** Column. */
  column: string;
  /** Upstream's outcome, as text. */
  expected: string;
  /** lrspec's outcome, as text. */
  actual: string;
  /** ULP distance when both are numbers. */
  ulp?: number;
  /** Why it failed. */
  reason: string;
}

/** The result of one case. */
interface CaseResult {
  /** Case id. */
  id: string;
  /** Case kind. */
  kind: string;
  /** The manifest's `group` (the upstream class, in the torch suite), when it has one. */
  group?: string;
  /** Numeric values compared. */
  values: number;
  /** Numeric values bit-identical with the runtime's libm. */
  exact: number;
  /** Values that differ only because of the runtime's libm (proven by the oracle run). */
  libmDiffs: number;
  /** Largest ULP distance among the libm differences. */
  maxUlp: number;
  /** Errors upstream raised. */
  errorsExpected: number;
  /** Of those, raised by lrspec too (as a TypeError or RangeError) at the same place. */
  errorsMirrored: number;
  /** Whether the oracle run was needed and was exact. */
  oracle?: { exact: boolean; hits: number; misses: number };
  /** Unaccepted differences (the first 20). */
  failures: Failure[];
  /** Total number of unaccepted differences. */
  failureCount: number;
}

/** The result of a whole suite. */
export interface SuiteResult {
  /** Suite name. */
  suite: string;
  /** Per-case results. */
  cases: CaseResult[];
  /** How the runtime's libm compares with glibc on every argument upstream evaluated. */
  libmProbe: { op: string; calls: number; differ: number; maxUlp: number }[];
  /** Milliseconds spent. */
  ms: number;
}

function describe(o: Outcome): string {
  if ("value" in o) return Object.is(o.value, -0) ? "-0" : String(o.value);
  if ("error" in o) return `throws ${o.error}`;
  return o.text;
}

/** Runs `fn` and returns its value or the name of what it threw. */
export function outcome(fn: () => number): Outcome {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: errorName(error) };
  }
}

/** The constructor name of a thrown value. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.constructor.name : typeof error;
}

/**
 * A construction that upstream rejected (`c.error`), as an observation: lrspec must reject it
 * too. `undefined` when the case expects no error.
 */
export function constructionObservation(
  c: CaseSpec,
  build: () => unknown,
): Observation[] | undefined {
  if (c.error === undefined) return undefined;
  let actual: Observation["actual"];
  try {
    build();
    actual = { text: "constructed" };
  } catch (error) {
    actual = { error: errorName(error) };
  }
  return [{ at: "construct", column: c.error.message, expected: { error: c.error.type }, actual }];
}

const ACCEPTED_ERRORS = new Set(["TypeError", "RangeError"]);

interface Verdict {
  kind: "exact" | "diff" | "mirrored" | "fail";
  ulp?: number;
  reason?: string;
}

function judge(o: Observation): Verdict {
  const { expected: e, actual: a } = o;
  if ("value" in e && "value" in a) {
    if (Object.is(e.value, a.value)) return { kind: "exact" };
    return { kind: "diff", ulp: ulpDistance(e.value, a.value) };
  }
  if ("error" in e && "error" in a) {
    const accepted = o.accepts ?? [...ACCEPTED_ERRORS];
    return accepted.includes(a.error)
      ? { kind: "mirrored" }
      : { kind: "fail", reason: `threw ${a.error}, not a ${accepted.join("/")}` };
  }
  if ("text" in e && "text" in a && e.text === a.text) return { kind: "exact" };
  if ("error" in e) return { kind: "fail", reason: `upstream raises ${e.error}; lrspec did not` };
  if ("error" in a) {
    return { kind: "fail", reason: `lrspec threw ${a.error}; upstream did not raise` };
  }
  return { kind: "fail", reason: "outcomes differ" };
}

/** Runs one case under the policy. */
function runCase(
  c: CaseSpec,
  handler: CaseHandler,
  ctx: HandlerContext,
  oracle: GlibcOracle,
): CaseResult {
  const result: CaseResult = {
    id: c.id,
    kind: c.kind,
    ...(typeof c.group === "string" ? { group: c.group } : {}),
    values: 0,
    exact: 0,
    libmDiffs: 0,
    maxUlp: 0,
    errorsExpected: 0,
    errorsMirrored: 0,
    failures: [],
    failureCount: 0,
  };
  const fail = (o: Observation, reason: string, ulp?: number) => {
    result.failureCount++;
    if (result.failures.length < 20) {
      result.failures.push({
        case: c.id,
        at: o.at,
        column: o.column,
        expected: describe(o.expected),
        actual: describe(o.actual),
        ...(ulp === undefined ? {} : { ulp }),
        reason,
      });
    }
  };
  let observations: Observation[];
  try {
    observations = handler(c, ctx);
  } catch (error) {
    fail({
      at: "case",
      column: "",
      expected: { text: "a run" },
      actual: { error: errorName(error) },
    }, String(error));
    return result;
  }
  const usesLibm = (c.libm ?? []).length > 0;
  let oracleObservations: Observation[] | undefined;
  const diffs = observations.filter((o) => judge(o).kind === "diff" && o.explained === undefined);
  if (usesLibm && diffs.length > 0) {
    const before = { hits: oracle.hits, misses: oracle.misses };
    oracleObservations = oracle.with(() => handler(c, ctx));
    const exact = oracleObservations.every((o) => {
      const k = judge(o).kind;
      return k === "exact" || k === "mirrored" || (k === "diff" && o.explained !== undefined);
    });
    result.oracle = {
      exact,
      hits: oracle.hits - before.hits,
      misses: oracle.misses - before.misses,
    };
  }
  observations.forEach((o, i) => {
    const v = judge(o);
    if ("value" in o.expected) result.values++;
    if ("error" in o.expected) result.errorsExpected++;
    switch (v.kind) {
      case "exact":
        if ("value" in o.expected) result.exact++;
        break;
      case "mirrored":
        result.errorsMirrored++;
        break;
      case "fail":
        fail(o, v.reason!);
        break;
      case "diff": {
        if (o.explained !== undefined) {
          result.libmDiffs++;
          result.maxUlp = Math.max(result.maxUlp, v.ulp!);
          break;
        }
        if (!usesLibm) {
          fail(
            o,
            "differs on a path with no libm call: plain IEEE arithmetic must be exact",
            v.ulp,
          );
          break;
        }
        const withOracle = oracleObservations?.[i];
        if (withOracle && judge(withOracle).kind === "exact") {
          result.libmDiffs++;
          result.maxUlp = Math.max(result.maxUlp, v.ulp!);
        } else {
          fail(
            o,
            "differs even with glibc's cos/pow substituted: the arithmetic is not upstream's",
            v.ulp,
          );
        }
      }
    }
  });
  return result;
}

/** Compares the installed libm (`setLibm`) with every glibc result recorded for the suite. */
function probeLibm(oracle: GlibcOracle): SuiteResult["libmProbe"] {
  const cos = { op: "cos", calls: 0, differ: 0, maxUlp: 0 };
  for (const [x, glibc] of oracle.cosEntries()) {
    cos.calls++;
    const mine = libm.cos(Number(x));
    if (!Object.is(mine, glibc)) {
      cos.differ++;
      cos.maxUlp = Math.max(cos.maxUlp, ulpDistance(mine, glibc));
    }
  }
  const pow = { op: "pow", calls: 0, differ: 0, maxUlp: 0 };
  for (const [xy, glibc] of oracle.powEntries()) {
    pow.calls++;
    const [x, y] = xy.split("|").map(Number) as [number, number];
    const mine = libm.pow(x, y);
    if (!Object.is(mine, glibc)) {
      pow.differ++;
      pow.maxUlp = Math.max(pow.maxUlp, ulpDistance(mine, glibc));
    }
  }
  const log = { op: "log", calls: 0, differ: 0, maxUlp: 0 };
  for (const [x, glibc] of oracle.logEntries()) {
    log.calls++;
    const mine = libm.log(Number(x));
    if (!Object.is(mine, glibc)) {
      log.differ++;
      log.maxUlp = Math.max(log.maxUlp, ulpDistance(mine, glibc));
    }
  }
  const extra = EXTRA_OPS.map((op) => {
    const probe = { op, calls: 0, differ: 0, maxUlp: 0 };
    for (const [x, glibc] of oracle.extraEntries(op)) {
      probe.calls++;
      const mine = libm[op](Number(x));
      if (!Object.is(mine, glibc)) {
        probe.differ++;
        probe.maxUlp = Math.max(probe.maxUlp, ulpDistance(mine, glibc));
      }
    }
    return probe;
  }).filter((p) => p.calls > 0);
  return [...(log.calls > 0 ? [cos, pow, log] : [cos, pow]), ...extra];
}

/** Loads a suite directory's manifest and libm table. */
export function loadSuite(
  dir: string,
  override?: SuiteVersions,
): { manifest: Manifest; oracle: GlibcOracle; ctx: HandlerContext } {
  const manifest = JSON.parse(readFixture(`${dir}/manifest.json`)) as Manifest;
  const versions = override ?? manifest.versions;
  if (
    typeof versions !== "object" || versions === null ||
    !["1.13", "2.11", "2.13"].includes(versions.torch) ||
    !["3.11", "3.12"].includes(versions.python)
  ) {
    throw new Error(
      `${dir}/manifest.json: \`versions\` must record torch ("1.13", "2.11" or "2.13") and python ` +
        `("3.11" or "3.12"): got ${JSON.stringify(versions)}`,
    );
  }
  const text = suiteFiles(dir);
  const table = (file: string): Table => readTable(text(file), `${dir}/${file}`);
  const oracle = new GlibcOracle(table(manifest.libm));
  return { manifest, oracle, ctx: { dir, versions, table, text } };
}

/**
 * Runs every case of a suite with the given handlers (by case kind), building lrspec's objects
 * for the releases the manifest records (or `versions`, to show what another release gives).
 */
export function runSuite(
  dir: string,
  handlers: Readonly<Record<string, CaseHandler>>,
  filter?: (c: CaseSpec) => boolean,
  versions?: SuiteVersions,
): SuiteResult {
  const started = performance.now();
  const { manifest, oracle, ctx } = loadSuite(dir, versions);
  const cases = manifest.cases.filter((c) => filter?.(c) ?? true).map((c) => {
    const handler = handlers[c.kind];
    if (handler === undefined) {
      throw new Error(`${manifest.suite}/${c.id}: no handler for kind ${c.kind}`);
    }
    return runCase(c, handler, ctx, oracle);
  });
  return {
    suite: manifest.suite,
    cases,
    libmProbe: probeLibm(oracle),
    ms: performance.now() - started,
  };
}

/** Totals over a suite's cases. */
export interface SuiteSummary {
  /** Suite name. */
  suite: string;
  /** Number of cases. */
  cases: number;
  /** Numeric values compared. */
  values: number;
  /** Bit-identical values. */
  exact: number;
  /** Values that differ only through the runtime's libm. */
  libmDiffs: number;
  /** Largest ULP distance of a libm difference. */
  maxUlp: number;
  /** Errors upstream raised. */
  errorsExpected: number;
  /** Errors mirrored by lrspec. */
  errorsMirrored: number;
  /** Unaccepted differences. */
  failures: number;
}

/** Sums a suite's case results (all of them, or those of one group). */
export function summarize(result: SuiteResult, group?: string): SuiteSummary {
  const cases = group === undefined ? result.cases : result.cases.filter((c) => c.group === group);
  const s: SuiteSummary = {
    suite: group === undefined ? result.suite : group,
    cases: cases.length,
    values: 0,
    exact: 0,
    libmDiffs: 0,
    maxUlp: 0,
    errorsExpected: 0,
    errorsMirrored: 0,
    failures: 0,
  };
  for (const c of cases) {
    s.values += c.values;
    s.exact += c.exact;
    s.libmDiffs += c.libmDiffs;
    s.maxUlp = Math.max(s.maxUlp, c.maxUlp);
    s.errorsExpected += c.errorsExpected;
    s.errorsMirrored += c.errorsMirrored;
    s.failures += c.failureCount;
  }
  return s;
}

/** Per-group sums of a suite whose cases have groups (in first-appearance order); else `[]`. */
export function summarizeGroups(result: SuiteResult): SuiteSummary[] {
  const groups = [
    ...new Set(result.cases.flatMap((c) => (c.group === undefined ? [] : [c.group]))),
  ];
  return groups.map((g) => summarize(result, g));
}
