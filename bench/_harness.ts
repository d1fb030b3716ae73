/**
 * The benchmark harness: runs mitata groups (each with its baselines), turns every figure into
 * ratios against the baselines measured in the same run, fits growth exponents for `.range()`
 * scans, prints a table and collects everything for the JSON report.
 *
 * Runs unchanged on Deno, Bun and Node (only `node:` built-ins and mitata).
 *
 * @module
 */

import { bench, group, run, summary } from "mitata";
import { cpus, totalmem } from "node:os";
import process from "node:process";

/** A mitata benchmark body: a generator that yields the measured function (or computed params). */
// deno-lint-ignore no-explicit-any
export type BenchBody = (state: { get(name: string): any }) => Generator<unknown, void, unknown>;

/** One benchmark of a group. */
export interface BenchSpec {
  /** Its name (mitata substitutes `$arg` for `.range()` scans). */
  name: string;
  /** The mitata generator. */
  body: BenchBody;
  /** Marks a baseline; the key names the ratio column (`cos`, `const`, `fill`, `cosLoop`). */
  baseline?: string;
  /** Divide the measured time by this (a loop over `perValue` values reports per value). */
  perValue?: number;
  /** A `.range(name, start, end, multiplier)` scan. */
  range?: { arg: string; start: number; end: number; multiplier: number };
  /** Extra fields copied into the JSON row. */
  meta?: Record<string, unknown>;
}

/** One group: baselines and subjects measured together. */
export interface GroupSpec {
  /** The section it belongs to (`percall`, `sampling`, …). */
  section: string;
  /** The group's title. */
  title: string;
  /** What a figure means ("per call", "per value", "per step"). */
  unit: string;
  /** Its benchmarks, baselines included. */
  benches: BenchSpec[];
}

/** One measured figure (nanoseconds per call/value), with its ratios to the baselines. */
interface Row {
  /** The benchmark's name. */
  name: string;
  /** The baseline key, for baselines. */
  baseline?: string;
  /** Arguments of a range scan. */
  args?: Record<string, unknown>;
  /** Mean, in nanoseconds per call (or per value/step). */
  avgNs: number;
  /** Percentiles and extremes, same unit. */
  p50Ns: number;
  /** 75th percentile. */
  p75Ns: number;
  /** 99th percentile. */
  p99Ns: number;
  /** Fastest sample. */
  minNs: number;
  /** Number of iterations measured. */
  ticks: number;
  /** `avg / baseline avg`, per baseline key. */
  ratios: Record<string, number>;
  /** Set when mitata reported an error. */
  error?: string;
  /** Extra fields of the spec. */
  meta?: Record<string, unknown>;
}

/** A measured group. */
export interface GroupResult {
  /** Section. */
  section: string;
  /** Title. */
  title: string;
  /** Unit of the figures. */
  unit: string;
  /** Baseline figures by key. */
  baselines: Record<string, number>;
  /** All rows, baselines first. */
  rows: Row[];
}

/** A target of the issue, with the measured figure and whether it is met. */
export interface Target {
  /** Short id (`T2-detectron2-step`). */
  id: string;
  /** What is required. */
  description: string;
  /** The measured figure, in the unit of `description`. */
  measured: number | null;
  /** The required bound. */
  bound: number;
  /** `"<="` or `">="`. */
  op: "<=" | ">=";
  /** Whether it is met (null when not measured). */
  met: boolean | null;
  /** Explanation or context. */
  note?: string;
}

/** Runtime, machine and run settings. */
interface Environment {
  /** `deno`, `bun` or `node`. */
  runtime: string;
  /** Runtime version. */
  version: string;
  /** JS engine and version. */
  engine: string;
  /** CPU model. */
  cpu: string;
  /** Logical cores. */
  cores: number;
  /** Total memory, GiB. */
  memoryGiB: number;
  /** OS and architecture. */
  platform: string;
  /** ISO date of the run. */
  date: string;
  /** The git commit benchmarked, when available. */
  commit: string | null;
  /** Library versions that matter. */
  versions: Record<string, string>;
}

/** What every section receives. */
export interface Context {
  /** `--long`: the full runs. */
  long: boolean;
  /** Only benchmarks whose `group name` matches run (baselines always run with their group). */
  filter: RegExp | undefined;
  /** Measured groups, in order. */
  groups: GroupResult[];
  /** Targets evaluated so far. */
  targets: Target[];
  /** Section-specific results for the JSON report. */
  sections: Record<string, unknown>;
  /** Prints a line. */
  log(line: string): void;
}

/** Creates an empty context. */
export function createContext(
  options: { long?: boolean; filter?: RegExp; log?: (line: string) => void } = {},
): Context {
  return {
    long: options.long ?? false,
    filter: options.filter,
    groups: [],
    targets: [],
    sections: {},
    log: options.log ?? ((line) => console.log(line)),
  };
}

/** Whether a benchmark (or group) passes the filter. */
export function selected(ctx: Context, name: string): boolean {
  return ctx.filter === undefined || ctx.filter.test(name);
}

interface MitataStats {
  avg: number;
  p50: number;
  p75: number;
  p99: number;
  min: number;
  ticks: number;
}

interface MitataTrial {
  alias: string;
  runs: { name: string; args: Record<string, unknown>; stats?: MitataStats; error?: unknown }[];
}

/**
 * Measures one group with mitata (`summary()` + `run({ format: "json" })`) and returns its
 * figures with ratios to its baselines, or undefined when the filter leaves no subject in it.
 */
export async function measureGroup(
  ctx: Context,
  spec: GroupSpec,
): Promise<GroupResult | undefined> {
  const benches = spec.benches.filter((b) =>
    b.baseline !== undefined || selected(ctx, `${spec.section} ${spec.title} ${b.name}`)
  );
  if (!benches.some((b) => b.baseline === undefined)) return undefined;
  ctx.log(`▸ ${spec.title} (${benches.length} benchmarks)`);
  const bySpecName = new Map<string, BenchSpec>();
  group(spec.title, () => {
    summary(() => {
      for (const b of benches) {
        const trial = bench(b.name, b.body as never);
        if (b.baseline !== undefined) trial.baseline(true);
        if (b.range) trial.range(b.range.arg, b.range.start, b.range.end, b.range.multiplier);
        bySpecName.set(b.name, b);
      }
    });
  });
  let json = "";
  await run({
    format: { json: { debug: false, samples: false } },
    print: (s: string) => {
      json += s;
    },
    colors: false,
  });
  const trials = (JSON.parse(json) as { benchmarks: MitataTrial[] }).benchmarks;
  const rows: Row[] = [];
  for (const trial of trials) {
    const b = bySpecName.get(trial.alias)!;
    const per = b.perValue ?? 1;
    for (const r of trial.runs) {
      const s = r.stats;
      const row: Row = {
        name: r.name,
        ...(b.baseline === undefined ? {} : { baseline: b.baseline }),
        ...(Object.keys(r.args ?? {}).length === 0 ? {} : { args: r.args }),
        avgNs: s ? s.avg / per : NaN,
        p50Ns: s ? s.p50 / per : NaN,
        p75Ns: s ? s.p75 / per : NaN,
        p99Ns: s ? s.p99 / per : NaN,
        minNs: s ? s.min / per : NaN,
        ticks: s ? s.ticks : 0,
        ratios: {},
        ...(r.error === undefined ? {} : { error: String((r.error as Error)?.message ?? r.error) }),
        ...(b.meta === undefined ? {} : { meta: b.meta }),
      };
      rows.push(row);
    }
  }
  const baselines: Record<string, number> = {};
  for (const row of rows) if (row.baseline !== undefined) baselines[row.baseline] = row.avgNs;
  for (const row of rows) {
    for (const [key, ns] of Object.entries(baselines)) row.ratios[key] = row.avgNs / ns;
  }
  const result: GroupResult = {
    section: spec.section,
    title: spec.title,
    unit: spec.unit,
    baselines,
    rows,
  };
  ctx.groups.push(result);
  ctx.log(formatGroup(result));
  return result;
}

/** A duration in the most readable unit. */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  if (ns < 1) return `${(ns * 1000).toFixed(0)} ps`;
  if (ns < 1e3) return `${ns.toFixed(ns < 10 ? 2 : 1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

function formatRatio(x: number): string {
  if (!Number.isFinite(x)) return "—";
  if (x >= 100) return `${x.toFixed(0)}×`;
  if (x >= 10) return `${x.toFixed(1)}×`;
  return `${x.toFixed(x < 0.1 ? 3 : 2)}×`;
}

/** The console table of a group: figure, p75 and one ratio column per baseline. */
function formatGroup(g: GroupResult): string {
  const keys = Object.keys(g.baselines);
  const width = Math.max(34, ...g.rows.map((r) => r.name.length + 2));
  const head = `  ${"".padEnd(width)} ${`avg ${g.unit}`.padStart(16)} ${"p75".padStart(10)}` +
    keys.map((k) => `${`÷ ${k}`.padStart(10)}`).join("");
  const lines = [`• ${g.title}`, head];
  for (const r of g.rows) {
    const name = (r.baseline !== undefined ? `${r.name} ◦` : r.name).padEnd(width);
    const figure = r.error !== undefined ? `error: ${r.error}` : formatNs(r.avgNs);
    lines.push(
      `  ${name} ${figure.padStart(16)} ${formatNs(r.p75Ns).padStart(10)}` +
        keys.map((k) => formatRatio(r.ratios[k]!).padStart(10)).join(""),
    );
  }
  lines.push(`  (◦ baseline; ÷ k = figure divided by baseline k's figure, measured in this run)`);
  return lines.join("\n");
}

/**
 * Least-squares slope of `log(y)` against `log(x)`: the exponent `b` of `y ≈ a · x^b`.
 * Also the slope of `y` against `log2(x)` (time added per doubling, for O(log n) curves).
 */
export function fitGrowth(
  points: readonly { x: number; y: number }[],
): { exponent: number; perDoublingNs: number; points: number } {
  const n = points.length;
  if (n < 2) return { exponent: NaN, perDoublingNs: NaN, points: n };
  const lx = points.map((p) => Math.log(p.x));
  const ly = points.map((p) => Math.log(p.y));
  const l2 = points.map((p) => Math.log2(p.x));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const slope = (xs: number[], ys: number[]) => {
    const mx = mean(xs), my = mean(ys);
    let num = 0, den = 0;
    for (let i = 0; i < xs.length; i++) {
      num += (xs[i]! - mx) * (ys[i]! - my);
      den += (xs[i]! - mx) ** 2;
    }
    return num / den;
  };
  return {
    exponent: slope(lx, ly),
    perDoublingNs: slope(l2, points.map((p) => p.y)),
    points: n,
  };
}

/** Records a target and prints its verdict. */
export function addTarget(ctx: Context, t: Omit<Target, "met">): Target {
  const met = t.measured === null || !Number.isFinite(t.measured)
    ? null
    : t.op === "<="
    ? t.measured <= t.bound
    : t.measured >= t.bound;
  const target: Target = { ...t, met };
  ctx.targets.push(target);
  const verdict = met === null ? "NOT MEASURED" : met ? "MET" : "MISSED";
  const figure = t.measured === null ? "—" : formatFigure(t.measured);
  ctx.log(
    `  ${met ? "✓" : met === null ? "·" : "✗"} [${t.id}] ${t.description}: ${figure} ` +
      `(target ${t.op} ${formatFigure(t.bound)}) ${verdict}${t.note ? ` — ${t.note}` : ""}`,
  );
  return target;
}

function formatFigure(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e9) return `${(x / 1e9).toFixed(2)}e9`;
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** The row of a group by name (or undefined). */
export function rowOf(g: GroupResult | undefined, name: string): Row | undefined {
  return g?.rows.find((r) => r.name === name);
}

/** The runtime, engine and machine, and the versions of what is measured. */
export async function environment(): Promise<Environment> {
  const versions = process.versions as Record<string, string | undefined>;
  const g = globalThis as {
    Deno?: { version: { deno: string; v8: string } };
    Bun?: { version: string };
  };
  let runtime = "node", version = process.version.replace(/^v/, ""), engine = `V8 ${versions.v8}`;
  if (g.Deno) {
    runtime = "deno";
    version = g.Deno.version.deno;
    engine = `V8 ${g.Deno.version.v8}`;
  } else if (g.Bun) {
    runtime = "bun";
    version = g.Bun.version;
    engine = `JavaScriptCore (WebKit ${versions.webkit ?? "?"})`;
  }
  let commit: string | null = null;
  try {
    const { execFileSync } = await import("node:child_process");
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], {
      encoding: "utf8",
    }).trim();
    if (dirty !== "") commit += "+dirty";
  } catch {
    commit = null;
  }
  const list = cpus();
  return {
    runtime,
    version,
    engine,
    cpu: list[0]?.model ?? "unknown",
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    date: new Date().toISOString(),
    commit,
    versions: {},
  };
}

/** Cycles through a fixed table: computed parameters that the JIT cannot hoist. */
export function cycler<T>(items: readonly T[]): () => T {
  let k = 0;
  const n = items.length;
  return () => items[k++ % n]!;
}

/** `count` pseudo-random numbers in `[lo, hi)`, reproducible (xorshift). */
export function randoms(count: number, lo: number, hi: number, seed = 0x9e3779b9): number[] {
  let x = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(lo + (hi - lo) * (x / 2 ** 32));
  }
  return out;
}

/**
 * Runs one benchmark body once, outside mitata (for smoke tests): builds the generator with
 * `args`, evaluates the computed parameters and calls the measured function once.
 */
export function runOnce(body: BenchBody, args: Record<string, unknown> = {}): unknown {
  const gen = body({ get: (name: string) => args[name] });
  const yielded = gen.next().value as
    | (() => unknown)
    | ({ bench(...params: unknown[]): unknown } & Record<number, () => unknown>);
  if (typeof yielded === "function") return yielded();
  const params: unknown[] = [];
  for (let k = 0; typeof yielded[k] === "function"; k++) params.push(yielded[k]!());
  return yielded.bench(...params);
}
