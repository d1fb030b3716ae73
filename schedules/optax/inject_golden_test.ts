import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import process from "node:process";
import { optionsOf } from "../../conformance/optax.ts";
import * as optax from "./mod.ts";

// optax 0.2.8's own WrappedSchedule (fixtures/generate_optax_wrapped.py; fixtures/README.md):
// every schedule function of optax wrapped, stepped through init()/update(), in JAX's default
// float32 and with jax_enable_x64.

interface Run {
  /** optax's values; "nan", "inf", "-inf" where it returned one (lrspec throws RangeError). */
  values: (number | string)[];
  counts: number[];
  countDtype: string;
  valueDtype?: string[];
  plain?: number[];
}
interface Case {
  case: string;
  fn: string;
  kwargs: Record<string, unknown>;
  intKwargs: string[];
  start: number | null;
  steps: number;
  error: string | null;
  f32?: Run;
  x64?: Run;
}

// LRSPEC_FIXTURES: a regenerated fixtures directory (`deno task conformance:upstream`).
const root = process.env.LRSPEC_FIXTURES;
const data = JSON.parse(
  gunzipSync(readFileSync(
    root === undefined
      ? new URL("../../fixtures/optax-wrapped/cases.json.gz", import.meta.url)
      : `${root}/optax-wrapped/cases.json.gz`,
  )).toString("utf8"),
) as { meta: { optax: string }; cases: Case[] };

const camel = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function build(c: Case, dtype: "float32" | "float64"): optax.Schedule {
  const f = (optax as unknown as Record<string, (o: unknown) => optax.Schedule>)[camel(c.fn)]!;
  return f({ ...optionsOf(c.kwargs, c.intKwargs, dtype), dtype });
}

/** lrspec's values ("RangeError" where it refuses a non-finite value) and counts. */
function run(
  c: Case,
  dtype: "float32" | "float64",
): { values: (number | string)[]; counts: number[] } {
  const wrapped = new optax.WrappedSchedule(build(c, dtype));
  let state = c.start === null ? wrapped.init() : { count: c.start };
  const values: (number | string)[] = [];
  const counts: number[] = [];
  for (let i = 0; i < c.steps; i++) {
    counts.push(state.count);
    try {
      values.push(wrapped.call(state));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      values.push("RangeError");
    }
    state = wrapped.update(state);
  }
  counts.push(state.count);
  return { values, counts };
}

test("the goldens: optax 0.2.8, every schedule function, saturation cases", () => {
  const fns = new Set(data.cases.map((c) => c.fn));
  assert.equal(fns.size, 14, [...fns].join(", "));
  assert.ok(data.cases.some((c) => c.start !== null && c.f32 !== undefined), "saturation cases");
});

test("float32 (JAX's default): every value and count of optax's WrappedSchedule", () => {
  let values = 0;
  for (const c of data.cases) {
    if (c.error !== null) continue;
    const got = run(c, "float32");
    assert.deepEqual(got.counts, c.f32!.counts, `${c.case}: counts`);
    c.f32!.values.forEach((v, i) => {
      // optax's NaN / ±inf: lrspec throws a RangeError instead (its policy: never a NaN).
      const want = typeof v === "string" ? "RangeError" : v;
      assert.ok(Object.is(got.values[i], want), `${c.case} step ${i}: ${got.values[i]} != ${v}`);
    });
    assert.equal(c.f32!.countDtype, "int32");
    values += c.f32!.values.length;
  }
  assert.ok(values > 3000, `${values} values`);
});

test("jax_enable_x64: the count stays int32; where optax's value is schedule(step)'s", () => {
  // optax hands the schedule an int32 count under x64 too, so a float64 schedule(step) is not
  // always what the wrapper returns (lrspec's WrappedSchedule documents it). Per function: how
  // many steps of optax's x64 wrapped values equal its own x64 schedule(step) values.
  const agree = new Map<string, [number, number]>();
  for (const c of data.cases) {
    if (c.error !== null) continue;
    const x = c.x64!;
    assert.equal(x.countDtype, "int32", c.case);
    assert.deepEqual(x.counts, c.f32!.counts, c.case);
    const [a, n] = agree.get(c.fn) ?? [0, 0];
    const same = x.values.filter((v, i) => Object.is(v, x.plain![i])).length;
    agree.set(c.fn, [a + same, n + x.values.length]);
  }
  // Exactly these wrap a float64 schedule without changing its values.
  const exact = [...agree].filter(([, [a, n]]) => a === n).map(([fn]) => fn).sort();
  assert.deepEqual(exact, [
    "constant_schedule",
    "cosine_decay_schedule",
    "piecewise_constant_schedule",
  ]);
  // and there, lrspec's float64 schedule is optax's value (no libm: constant, piecewise_constant).
  for (const c of data.cases) {
    if (c.error !== null || !["constant_schedule", "piecewise_constant_schedule"].includes(c.fn)) {
      continue;
    }
    const got = run(c, "float64");
    c.x64!.values.forEach((v, i) =>
      assert.ok(
        Object.is(got.values[i], typeof v === "string" ? "RangeError" : v),
        `${c.case} ${i}`,
      )
    );
  }
});
