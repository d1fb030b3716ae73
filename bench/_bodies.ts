/**
 * Benchmark bodies. Each one is compiled separately (`new Function`), so that its call sites
 * collect their own type feedback: bodies created from one function literal would share it
 * between benchmarks (V8 and JavaScriptCore keep feedback per function literal), and a call such
 * as `s.at(where)` would turn megamorphic after a few classes, penalising later benchmarks.
 *
 * @module
 */

import { do_not_optimize } from "mitata";
import { type BenchBody, cycler, randoms } from "./_harness.ts";

// deno-lint-ignore no-explicit-any
type Fn = (...args: any[]) => any;

/** Compiles `return <source>` with the given parameter names, once per call (fresh feedback). */
function fresh(params: string[], source: string): Fn {
  return new Function(...params, `"use strict"; return ${source};`) as Fn;
}

const WHERES = randoms(1024, 0, 1);
const ANGLES = randoms(1024, 0, Math.PI);

/** One `Math.cos` call on a computed angle. */
export function cosCall(): BenchBody {
  return fresh(
    ["next", "dno"],
    `function* () { yield { [0]: next, bench(x) { return dno(Math.cos(x)); } }; }`,
  )(cycler(ANGLES), do_not_optimize);
}

/** A closure returning a constant, called through a computed parameter, result kept alive. */
export function constCall(): BenchBody {
  const k = 0.5;
  const f = () => k;
  return fresh(
    ["f", "dno"],
    `function* () { yield { [0]() { return f; }, bench(g) { return dno(g()); } }; }`,
  )(f, do_not_optimize);
}

/** `s.at(where)` on computed `where`s (in `[0, maxWhere)`). */
export function atCall(s: { at(w: number): number }, maxWhere = 1): BenchBody {
  const wheres = WHERES.map((w) => w * maxWhere);
  return fresh(
    ["s", "next", "dno"],
    `function* () { yield { [0]() { return s; }, [1]: next, bench(sch, where) { return dno(sch.at(where)); } }; }`,
  )(s, cycler(wheres), do_not_optimize);
}

/** Something that steps, and how to put it back to the start of its schedule. */
export interface Stepper {
  /** The scheduler. */
  scheduler: unknown;
  /** Steps before {@linkcode Stepper.rewind} must be called. */
  period: number;
  /** Puts the scheduler back to the start (outside the measured work, every `period` steps). */
  rewind(): void;
  /** The call to measure, when not `scheduler.step()` (e.g. `step(metric)`). */
  stepSource?: string;
  /** Extra values the step source refers to as `extra`. */
  extra?: unknown;
}

/** `scheduler.step()`, rewound every `period` steps. */
export function stepCall(st: Stepper): BenchBody {
  const call = st.stepSource ?? "s.step()";
  return fresh(
    ["st", "extra"],
    `function* () {
      let k = 0;
      const period = st.period;
      yield {
        [0]() { return st.scheduler; },
        bench(s) { ${call}; if (++k === period) { k = 0; st.rewind(); } },
      };
    }`,
  )(st, st.extra);
}

/** A loop of `count` iterations writing `expr` (of `i`, `n`, `x`) into `buf`, per run. */
export function loop(count: number, expr: string, x: unknown, setup = ""): BenchBody {
  const buf = new Float64Array(count);
  return fresh(
    ["buf", "N", "X", "dno"],
    `function* () {
      yield {
        [0]() { return X; },
        bench(x) { const n = N; ${setup} for (let i = 0; i < n; i++) buf[i] = ${expr}; dno(buf); },
      };
    }`,
  )(buf, count, x, do_not_optimize);
}

/** A call `fn(x, buf)` per run, with `x` a computed parameter. */
export function call(
  fn: (x: never, buf: Float64Array) => unknown,
  x: unknown,
  size: number,
): BenchBody {
  const buf = new Float64Array(size);
  return fresh(
    ["fn", "X", "buf", "dno"],
    `function* () { yield { [0]() { return X; }, bench(x) { dno(fn(x, buf)); } }; }`,
  )(fn, x, buf, do_not_optimize);
}
