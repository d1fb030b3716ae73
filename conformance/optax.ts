/**
 * Case handlers of the optax suite (`fixtures/optax`): optax's schedules, built from the very
 * keyword arguments optax was called with (snake_case → camelCase, Python ints in `power` /
 * `exponent` → `bigint`), in the dtype of the case, and compared with optax's value at every
 * step: float64 (`jax_enable_x64`) under the usual policy (exact, or a libm difference proven by
 * substituting glibc's `cos`/`pow`), float32 exactly (lrspec's `cosf`/`powf` reproduce glibc's,
 * which XLA:CPU calls, so float32 needs no oracle).
 *
 * {@linkcode measureFloat32} measures what that exactness rests on: how often XLA's float32
 * `cos`/`pow` differ from the correctly rounded results, and how many schedule values a
 * correctly rounded float32 libm would get wrong, by how many float32 ULPs.
 *
 * @module
 */

import * as optax from "../schedules/optax/mod.ts";
import { libm, RUNTIME_LIBM, ulpDistance } from "../schedules/math.ts";
import { parseNumber, readTable, type Table } from "../verify/csv.ts";
import { type CaseHandler, type CaseSpec, loadSuite, type Observation, outcome } from "./runner.ts";

/** A fixture's optax call: the function's name and its keyword arguments as optax got them. */
export interface OptaxCall {
  /** optax's function name (`warmup_cosine_decay_schedule`). */
  fn: string;
  /** Its keyword arguments, snake_case. */
  kwargs: Record<string, unknown>;
}

type Factory = (options: Record<string, unknown>) => optax.Schedule;

const camel = (name: string): string =>
  name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The lrspec function of an optax name: `polynomial_schedule` → `polynomialSchedule`. */
function factory(fn: string): Factory {
  const f = (optax as unknown as Record<string, unknown>)[camel(fn)];
  if (typeof f !== "function") throw new Error(`fixture names an unknown optax function: ${fn}`);
  return f as Factory;
}

/**
 * lrspec options from optax keyword arguments: keys in camelCase, the Python ints listed in
 * `ints` (paths such as `power` or `cosine_kwargs.0.exponent`) as `bigint`, nested schedules of
 * `join_schedules` built in the same dtype.
 */
export function optionsOf(
  kwargs: Record<string, unknown>,
  ints: readonly string[],
  dtype: string,
  path = "",
): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kwargs)) {
    const at = `${path}${key}`;
    if (key === "schedules" && Array.isArray(value)) {
      options[key] = (value as OptaxCall[]).map((s, i) =>
        factory(s.fn)({
          ...optionsOf(s.kwargs, ints, dtype, `${at}.${i}.kwargs.`),
          dtype,
        })
      );
    } else if (key === "cosine_kwargs" && Array.isArray(value)) {
      options[camel(key)] = (value as Record<string, unknown>[]).map((c, i) =>
        optionsOf(c, ints, dtype, `${at}.${i}.`)
      );
    } else if (ints.includes(at) && typeof value === "number") {
      options[camel(key)] = BigInt(value);
    } else {
      options[camel(key)] = value;
    }
  }
  return options;
}

/** Builds the lrspec schedule of a manifest case. */
export function buildCase(c: CaseSpec): optax.Schedule {
  const dtype = c.dtype as string;
  const options = optionsOf(
    c.kwargs as Record<string, unknown>,
    (c.intKwargs as string[] | undefined) ?? [],
    dtype,
  );
  return factory(c.fn as string)({ ...options, dtype });
}

/** The steps and one value column of a case's CSV. */
function columnOf(table: Table, column: string): { step: number; value: number; line: number }[] {
  const s = table.header.indexOf("step");
  const v = table.header.indexOf(column);
  if (s < 0 || v < 0) throw new SyntaxError(`${table.source}:1: expected columns step,${column}`);
  return table.rows.map((row) => {
    const at = `${table.source}:${row.line}`;
    return {
      step: parseNumber(row.cells[s]!, at),
      value: parseNumber(row.cells[v]!, at),
      line: row.line,
    };
  });
}

function optaxCase(c: CaseSpec, ctx: { table(file: string): Table }): Observation[] {
  if (c.error !== undefined) {
    return [{
      at: "construct",
      column: "",
      expected: { error: c.error.type },
      actual: outcome(() => {
        buildCase(c);
        return 0;
      }),
    }];
  }
  const schedule = buildCase(c);
  return columnOf(ctx.table(c.file!), c.column as string).map(({ step, value }) => ({
    at: `step ${step}`,
    column: c.column as string,
    // Where optax returns NaN or ±Infinity, lrspec throws a RangeError (a documented difference).
    ...(Number.isFinite(value)
      ? { expected: { value } }
      : { expected: { error: `non-finite ${value}` }, accepts: ["RangeError"] }),
    actual: outcome(() => schedule(step)),
  }));
}

/** The handlers of the optax suite, by case kind. */
export const OPTAX_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  optax_schedule: optaxCase,
};

// ------------------------------------------------------------------------------------------------
// float32: XLA's cos/pow against the correctly rounded ones

const f32View = new Float32Array(1);
const i32View = new Int32Array(f32View.buffer);

/** The distance between two float32 values in float32 ULPs (0 when equal up to the sign of zero). */
export function ulpDistanceF32(a: number, b: number): number {
  const ordered = (x: number): number => {
    f32View[0] = x;
    const bits = i32View[0]!;
    return bits < 0 ? -(bits & 0x7fffffff) : bits;
  };
  return Math.abs(ordered(a) - ordered(b));
}

/** How one float32 libm function compares over the suite's arguments. */
export interface LibmfComparison {
  /** `cosf` or `powf`. */
  op: string;
  /** Arguments the suite's float32 values pass through. */
  calls: number;
  /** Of those, where lrspec's function differs from glibc's recorded result (must be 0). */
  lrspecDiffers: number;
  /** Where glibc's (XLA's) result differs from the correctly rounded one. */
  glibcNotCorrectlyRounded: number;
  /** The largest such difference, in float32 ULPs. */
  maxUlp: number;
  /** The same two counts over the sample and FMA-sensitive rows (`source: sample`). */
  sample: { calls: number; lrspecDiffers: number; glibcNotCorrectlyRounded: number };
}

/** Per optax function: what a correctly rounded float32 libm would change. */
export interface Float32Effect {
  /** optax's function name. */
  fn: string;
  /** float32 values compared. */
  values: number;
  /** Values lrspec reproduces bit for bit (with its glibc-exact `cosf`/`powf`). */
  exact: number;
  /** Values that differ from XLA's when `cos`/`pow` are correctly rounded instead. */
  correctlyRoundedDiffers: number;
  /** The largest such difference, in float32 ULPs. */
  correctlyRoundedMaxUlp: number;
}

/** The float32 measurement of the optax suite. */
export interface Float32Measurement {
  /** lrspec's and glibc's `cosf`/`powf` against the correctly rounded results. */
  libm: LibmfComparison[];
  /** Per optax function. */
  functions: Float32Effect[];
}

function key(x: number, y?: number): string {
  return y === undefined ? String(x) : `${x}|${y}`;
}

/**
 * Measures the float32 side of the suite in `dir` (default: `fixtures/optax`): lrspec's and
 * glibc's `cosf`/`powf` on every recorded argument, and, per optax function, the values lrspec
 * reproduces and the values a correctly rounded libm would change (recomputed with the correctly
 * rounded results substituted into {@linkcode libm}).
 */
export function measureFloat32(
  dir: string = new URL("../fixtures/optax", import.meta.url).pathname,
): Float32Measurement {
  const { manifest, ctx } = loadSuite(dir);
  const libmf = manifest as unknown as { libmf: string };
  const table = readTable(ctx.text(libmf.libmf), libmf.libmf);
  const col = (name: string) => table.header.indexOf(name);
  const [op, x, y, glibc, cr, source] = ["op", "x", "y", "glibc", "correctlyRounded", "source"]
    .map(col) as [number, number, number, number, number, number];
  const correctlyRounded = new Map<string, number>();
  const comparisons = new Map<string, LibmfComparison>();
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const name = row.cells[op]!;
    const a = parseNumber(row.cells[x]!, at);
    const b = name === "powf" ? parseNumber(row.cells[y]!, at) : undefined;
    const g = parseNumber(row.cells[glibc]!, at);
    const c = parseNumber(row.cells[cr]!, at);
    correctlyRounded.set(`${name}:${key(a, b)}`, c);
    const mine = name === "powf" ? RUNTIME_LIBM.powf(a, b!) : RUNTIME_LIBM.cosf(a);
    let s = comparisons.get(name);
    if (s === undefined) {
      s = {
        op: name,
        calls: 0,
        lrspecDiffers: 0,
        glibcNotCorrectlyRounded: 0,
        maxUlp: 0,
        sample: { calls: 0, lrspecDiffers: 0, glibcNotCorrectlyRounded: 0 },
      };
      comparisons.set(name, s);
    }
    if (row.cells[source] === "suite") {
      s.calls++;
      if (!Object.is(mine, g)) s.lrspecDiffers++;
      if (!Object.is(g, c)) {
        s.glibcNotCorrectlyRounded++;
        s.maxUlp = Math.max(s.maxUlp, ulpDistanceF32(g, c));
      }
    } else {
      s.sample.calls++;
      if (!Object.is(mine, g)) s.sample.lrspecDiffers++;
      if (!Object.is(g, c)) s.sample.glibcNotCorrectlyRounded++;
    }
  }
  const lookup =
    (name: string, fallback: (...args: number[]) => number) => (a: number, b?: number): number => {
      const v = correctlyRounded.get(`${name}:${key(a, b)}`);
      if (v === undefined) return fallback(a, b!);
      return v;
    };
  const effects = new Map<string, Float32Effect>();
  for (const c of manifest.cases) {
    if (c.dtype !== "float32" || c.error !== undefined) continue;
    const fn = c.fn as string;
    let e = effects.get(fn);
    if (e === undefined) {
      e = {
        fn,
        values: 0,
        exact: 0,
        correctlyRoundedDiffers: 0,
        correctlyRoundedMaxUlp: 0,
      };
      effects.set(fn, e);
    }
    const csv = ctx.table(c.file!);
    const rows = columnOf(csv, "float32");
    const schedule = buildCase(c);
    const valueAt = (s: optax.Schedule, step: number) => {
      try {
        return s(step);
      } catch {
        return NaN; // optax's non-finite values are RangeErrors in lrspec
      }
    };
    const values = rows.map(({ step }) => valueAt(schedule, step));
    libm.cosf = lookup("cosf", RUNTIME_LIBM.cosf);
    libm.powf = lookup("powf", RUNTIME_LIBM.powf);
    let rounded: number[];
    try {
      const withCorrectRounding = buildCase(c);
      rounded = rows.map(({ step }) => valueAt(withCorrectRounding, step));
    } finally {
      libm.cosf = RUNTIME_LIBM.cosf;
      libm.powf = RUNTIME_LIBM.powf;
    }
    rows.forEach(({ value }, i) => {
      if (!Number.isFinite(value)) return;
      e.values++;
      if (Object.is(values[i], value)) e.exact++;
      if (!Object.is(rounded[i], value)) {
        e.correctlyRoundedDiffers++;
        e.correctlyRoundedMaxUlp = Math.max(
          e.correctlyRoundedMaxUlp,
          ulpDistanceF32(rounded[i]!, value),
        );
      }
    });
  }
  return { libm: [...comparisons.values()], functions: [...effects.values()] };
}

/** Renders {@linkcode measureFloat32}'s result as text. */
export function formatFloat32(m: Float32Measurement): string {
  const out = ["optax float32: XLA's cos/pow (glibc's cosf/powf) against the correctly rounded"];
  for (const s of m.libm) {
    out.push(
      `  ${s.op}: ${s.glibcNotCorrectlyRounded} of ${s.calls} suite arguments not correctly rounded` +
        ` (max ${s.maxUlp} float32 ULP); lrspec differs from glibc on ${s.lrspecDiffers}` +
        ` (and on ${s.sample.lrspecDiffers} of ${s.sample.calls} sampled arguments)`,
    );
  }
  out.push("  per function: values, lrspec exact, changed by a correctly rounded libm (max ULP)");
  for (const e of m.functions) {
    out.push(
      `  ${e.fn.padEnd(34)} ${String(e.values).padStart(6)} ${String(e.exact).padStart(6)} ${
        String(e.correctlyRoundedDiffers).padStart(4)
      } (${e.correctlyRoundedMaxUlp})`,
    );
  }
  return out.join("\n");
}

// ------------------------------------------------------------------------------------------------
// jax.jit against eager evaluation

/** Per optax function and dtype: optax's jitted values against its eager ones (which lrspec ports). */
export interface JitEffect {
  /** optax's function name. */
  fn: string;
  /** `float64` (`jax_enable_x64`) or `float32`. */
  dtype: string;
  /** Steps where both the eager and the jitted value are finite. */
  values: number;
  /** Of those, where the jitted value is not the eager one (`Object.is`). */
  differs: number;
  /** The largest difference, in ULPs of the dtype (float32 ULPs for float32). */
  maxUlp: number;
  /**
   * float32: differing values where the eager value is a Python float that optax returns
   * unconverted (`constant_schedule`, a `piecewise_constant_schedule` without boundaries …) and
   * `jax.jit` rounds to float32 — the same float32, 0 ULP apart.
   */
  passthrough: number;
  /**
   * float64: differing values where the jitted value is a float32 value: the step reaches the
   * schedule as an int32 (`jnp.asarray(step, jnp.int32)`, like an optimizer's `count`), and JAX
   * turns int32 arithmetic into float32, not float64, even under `jax_enable_x64`.
   */
  float32Valued: number;
  /** Steps where one of the two is NaN or ±Infinity and the other is not the same. */
  nonFinite: number;
}

/**
 * Measures, for the suite in `dir` (default: `fixtures/optax`), how optax's values under
 * `jax.jit` (the `float64_jit` / `float32_jit` columns: `jax.jit(schedule)` on an int32 step)
 * differ from its eager values (what lrspec reproduces), per optax function and dtype.
 */
export function measureJit(
  dir: string = new URL("../fixtures/optax", import.meta.url).pathname,
): JitEffect[] {
  const { manifest, ctx } = loadSuite(dir);
  const effects = new Map<string, JitEffect>();
  for (const c of manifest.cases) {
    if (c.error !== undefined) continue;
    const dtype = c.dtype as string;
    const csv = ctx.table(c.file!);
    if (!csv.header.includes(`${dtype}_jit`)) continue;
    const k = `${c.fn} (${dtype})`;
    let e = effects.get(k);
    if (e === undefined) {
      e = {
        fn: c.fn as string,
        dtype,
        values: 0,
        differs: 0,
        maxUlp: 0,
        passthrough: 0,
        float32Valued: 0,
        nonFinite: 0,
      };
      effects.set(k, e);
    }
    const eager = columnOf(csv, dtype);
    columnOf(csv, `${dtype}_jit`).forEach(({ value: jit }, i) => {
      const value = eager[i]!.value;
      if (!Number.isFinite(value) || !Number.isFinite(jit)) {
        if (!Object.is(value, jit)) e.nonFinite++;
        return;
      }
      e.values++;
      if (Object.is(value, jit)) return;
      e.differs++;
      if (dtype === "float32") {
        if (Math.fround(value) !== value) e.passthrough++;
        e.maxUlp = Math.max(e.maxUlp, ulpDistanceF32(value, jit));
      } else {
        if (Math.fround(jit) === jit) e.float32Valued++;
        e.maxUlp = Math.max(e.maxUlp, ulpDistance(value, jit));
      }
    });
  }
  return [...effects.values()].sort((a, b) =>
    a.dtype === b.dtype ? a.fn.localeCompare(b.fn) : a.dtype === "float64" ? -1 : 1
  );
}

/** Renders {@linkcode measureJit}'s result as text. */
export function formatJit(effects: readonly JitEffect[]): string {
  const out = [
    "optax: jax.jit (int32 step) against eager evaluation — values, differ, max ULP; float64: of" +
    " which float32-valued; float32: of which a Python float rounded",
  ];
  for (const e of effects) {
    const of = e.dtype === "float64" ? e.float32Valued : e.passthrough;
    out.push(
      `  ${`${e.fn} (${e.dtype})`.padEnd(44)} ${String(e.values).padStart(6)} ${
        String(e.differs).padStart(6)
      } ${String(e.maxUlp).padStart(20)} ${String(of).padStart(6)}` +
        (e.nonFinite > 0 ? ` (${e.nonFinite} non-finite differ)` : ""),
    );
  }
  return out.join("\n");
}
