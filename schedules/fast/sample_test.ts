import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  LRMultiplier,
  MultiStepParamScheduler,
  type ParamSchedulerLike,
  type PlanPiece,
  PolynomialDecayParamScheduler,
  sample,
  ScheduleCursor,
  type SchedulePlan,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WarmupParamScheduler,
} from "../../mod.ts";
import { libm } from "../math.ts";
import { bisectRight } from "../_internal/python.ts";
import { ulpOf } from "../../testing/props.ts";
import { buildParamScheduler, type SchedulerSpec } from "../../conformance/specs.ts";

/** What `at` does at one iteration: a value or an error (constructor and message). */
type Outcome = { value: number } | { error: string };

function outcomeOf(fn: () => number): Outcome {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

function show(o: Outcome): string {
  return "value" in o ? (Object.is(o.value, -0) ? "-0" : String(o.value)) : `throws ${o.error}`;
}

function same(a: Outcome, b: Outcome): boolean {
  return "value" in a && "value" in b ? Object.is(a.value, b.value) : show(a) === show(b);
}

/**
 * Checks `sample` against `at(i / n)` on `[from, to)`: the same doubles, or the same error at the
 * first iteration that raises (with the values before it written).
 */
function checkSample(s: ParamSchedulerLike, n: number, from: number, to: number, label = ""): void {
  const expected: Outcome[] = [];
  for (let i = from; i < to; i++) {
    const o = outcomeOf(() => s.at(i / n));
    expected.push(o);
    if ("error" in o) break;
  }
  const out = new Float64Array(to - from).fill(NaN);
  const got = outcomeOf(() => (sample(s, { numUpdates: n, from, to, out }), 0));
  const last = expected[expected.length - 1];
  if (last !== undefined && "error" in last) {
    assert.equal(show(got), show(last), `${label} sample must throw as at() does`);
  } else {
    assert.ok("value" in got, `${label} sample threw ${show(got)}`);
  }
  expected.forEach((o, k) => {
    // Messages only on failure: formatting numbers on every index is most of this test's time.
    if ("value" in o && !Object.is(out[k], o.value)) {
      assert.fail(`${label} n=${n} i=${from + k}: sample ${out[k]} != at ${o.value}`);
    }
  });
}

/** Checks a cursor stepping `[from, to)` and random lookups against `at(i / n)`. */
function checkCursor(
  s: ParamSchedulerLike,
  n: number,
  from: number,
  to: number,
  probes: number[],
  label = "",
): void {
  const cursor = new ScheduleCursor(s, { numUpdates: n, start: from });
  for (let i = from; i < to; i++) {
    const expected = outcomeOf(() => s.at(i / n));
    const got = outcomeOf(() => cursor.next());
    if (!same(got, expected)) {
      assert.fail(`${label} n=${n} next() at ${i}: ${show(got)} != ${show(expected)}`);
    }
  }
  assert.equal(cursor.index, to);
  for (const i of probes) {
    const expected = outcomeOf(() => s.at(i / n));
    const got = outcomeOf(() => cursor.valueAt(i));
    if (!same(got, expected)) {
      assert.fail(`${label} n=${n} valueAt(${i}): ${show(got)} != ${show(expected)}`);
    }
  }
}

// ---- arbitraries: every scheduler the library has, nested, plus foreign ones ----

const small = fc.double({ min: -4, max: 4, noNaN: true });
const positive = fc.double({ min: 1e-3, max: 4, noNaN: true });
const numUpdates = fc.oneof(
  fc.integer({ min: 1, max: 200 }),
  fc.integer({ min: 200, max: 200_000 }),
  fc.integer({ min: 200_000, max: 20_000_000 }),
);

class DoubledMultiStep extends MultiStepParamScheduler {
  override at(where: number): number {
    return 2 * super.at(where);
  }
}

function tryBuild<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

const multiStep = fc
  .tuple(fc.integer({ min: 1, max: 6 }), numUpdates, fc.integer({ min: 0, max: 2 }), fc.nat())
  .chain(([k, total, variant, seed]) => {
    const n = Math.max(total, k);
    const count = k - 1;
    return fc
      .uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), {
        minLength: count,
        maxLength: count,
      })
      .chain((ms) =>
        fc.array(small, { minLength: k, maxLength: k }).map((values) => {
          const milestones = ms.slice().sort((a, b) => a - b);
          if (variant === 0) {
            return tryBuild(() =>
              new MultiStepParamScheduler({ values, milestones, numUpdates: n })
            );
          }
          if (variant === 1) {
            return tryBuild(() =>
              new MultiStepParamScheduler({ values, milestones: [...milestones, n] })
            );
          }
          return seed % 2 === 0
            ? tryBuild(() => new MultiStepParamScheduler({ values, numUpdates: n }))
            : tryBuild(() => new DoubledMultiStep({ values, milestones, numUpdates: n }));
        })
      );
  });

/** A foreign schedule with a plan: steps at sorted breakpoints, raising outside [lo, hi]. */
const plannedSteps: fc.Arbitrary<ParamSchedulerLike> = fc
  .record({
    breaks: fc.uniqueArray(fc.double({ min: -0.5, max: 1.5, noNaN: true }), { maxLength: 5 }),
    values: fc.array(small, { minLength: 6, maxLength: 6 }),
    lo: fc.double({ min: -1, max: 0, noNaN: true }),
    hi: fc.double({ min: 1, max: 2, noNaN: true }),
  })
  .map(({ breaks, values, lo, hi }) => {
    const sorted = breaks.slice().sort((a, b) => a - b);
    const index = (w: number) => bisectRight(sorted, w);
    const s = {
      at(w: number): number {
        if (!(w >= lo && w <= hi)) throw new RangeError(`planned steps: where=${w} out of range`);
        return values[index(w)]!;
      },
      plan(): SchedulePlan {
        return {
          at: s.at,
          piece: (w) => (w < lo ? -1 : w > hi ? 99 : index(w)),
          resolve: (p): PlanPiece =>
            p < 0 || p === 99 ? { kind: "opaque" } : { kind: "value", value: values[p]! },
        };
      },
    };
    return s;
  });

/** A foreign formula with a plan and a fill loop, non-finite (at() raising) beyond `edge`. */
const plannedFormula: fc.Arbitrary<ParamSchedulerLike> = fc
  .record({ slope: small, edge: fc.double({ min: -0.5, max: 1.5, noNaN: true }) })
  .map(({ slope, edge }) => {
    const formula = (w: number) => (w > edge ? Infinity : slope * w);
    const s = {
      at(w: number): number {
        if (w > edge) throw new RangeError(`planned formula: where=${w} > ${edge}`);
        return slope * w;
      },
      plan(): SchedulePlan {
        return {
          at: s.at,
          resolve: () => ({
            kind: "formula",
            formula,
            monotone: true,
            fill: (out, from, to, first, n) => {
              for (let j = first, k = from; k < to; j++, k++) {
                const v = formula(j / n);
                if (v - v !== 0) return k;
                out[k] = v;
              }
              return to;
            },
          }),
        };
      },
    };
    return s;
  });

/** A subclass that overrides at() and brings its own plan. */
class ShiftedConstant extends ConstantParamScheduler {
  readonly #shift: number;
  constructor(options: { value: number }, shift: number) {
    super(options);
    this.#shift = shift;
  }
  override at(where: number): number {
    return super.at(where) + this.#shift;
  }
  override plan(): SchedulePlan {
    const value = this.value + this.#shift;
    return {
      at: ShiftedConstant.prototype.at,
      piece: (w) => (w >= 1 ? 1 : 0),
      resolve: (p): PlanPiece => (p === 0 ? { kind: "value", value } : { kind: "opaque" }),
    };
  }
}

const leaf: fc.Arbitrary<ParamSchedulerLike | undefined> = fc.oneof(
  small.map((value) => new ConstantParamScheduler({ value })),
  fc.record({ startValue: small, endValue: small }).map((o) => new CosineParamScheduler(o)),
  fc.record({ startValue: small, endValue: small }).map((o) => new LinearParamScheduler(o)),
  fc
    .record({
      startValue: small,
      decay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true })),
    })
    .map((o) => tryBuild(() => new ExponentialParamScheduler(o))),
  fc
    .record({
      baseValue: small,
      power: fc.oneof(fc.integer({ min: -3, max: 7 }), fc.double({ min: -2, max: 3, noNaN: true })),
    })
    .map((o) => new PolynomialDecayParamScheduler(o)),
  multiStep,
  fc
    .record({
      numUpdates: fc.oneof(fc.integer({ min: 1, max: 1e6 }), positive),
      values: fc.array(small, { minLength: 1, maxLength: 6 }),
    })
    .map((o) => new StepParamScheduler(o)),
  fc
    .record({
      baseValue: positive,
      numDecays: fc.integer({ min: 1, max: 6 }),
      gamma: positive,
      numUpdates: fc.integer({ min: 1, max: 1e6 }),
    })
    .map((o) => new StepWithFixedGammaParamScheduler(o)),
  fc.constant({ at: (w: number) => Math.sin(3 * w) }), // duck-typed: evaluated per step
  plannedSteps,
  plannedFormula,
  fc.record({ value: small, shift: small }).map(({ value, shift }) =>
    new ShiftedConstant({ value }, shift)
  ),
);

/** Lengths that sum to 1 within fvcore's tolerance: normalised weights, zeros, even negatives. */
const lengths = (k: number) =>
  fc.oneof(
    fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: k,
      maxLength: k,
    }).map((ws) => {
      const sum = ws.reduce((a, b) => a + b, 0);
      return sum > 0 ? ws.map((w) => w / sum) : ws.map(() => 1 / k);
    }),
    fc.array(fc.integer({ min: -3, max: 8 }), { minLength: k, maxLength: k }).map((ws) => {
      const sum = ws.reduce((a, b) => a + b, 0);
      return sum !== 0 ? ws.map((w) => w / sum) : ws.map(() => 1 / k);
    }),
  );

const { scheduler: schedulerArb } = fc.letrec<{ scheduler: ParamSchedulerLike | undefined }>((
  tie,
) => ({
  scheduler: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.integer({ min: 1, max: 4 }).chain((k) =>
      fc
        .record({
          schedulers: fc.array(tie("scheduler"), { minLength: k, maxLength: k }),
          lengths: lengths(k),
          intervalScaling: fc.array(fc.constantFrom("rescaled" as const, "fixed" as const), {
            minLength: k,
            maxLength: k,
          }),
        })
        .map((o) =>
          o.schedulers.every((s) => s !== undefined)
            ? tryBuild(() => new CompositeParamScheduler(o as never))
            : undefined
        )
    ),
    fc
      .record({
        scheduler: tie("scheduler"),
        warmupFactor: small,
        warmupLength: fc.oneof(
          fc.constantFrom(0, 1, 1e-6, 0.5),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
        warmupMethod: fc.constantFrom("linear" as const, "constant" as const),
        rescaleInterval: fc.boolean(),
      })
      .map((o) =>
        o.scheduler === undefined ? undefined : tryBuild(() => new WarmupParamScheduler(o as never))
      ),
  ),
}));

/** Fractions of training where a scheduler changes branch: where a window is most telling. */
function interesting(s: ParamSchedulerLike, out: number[] = []): number[] {
  if (s instanceof MultiStepParamScheduler) {
    for (const m of s.milestones) out.push(m / s.numUpdates, m / s.numUpdates - 1e-6);
    out.push(1);
  } else if (s instanceof CompositeParamScheduler) {
    let total = 0;
    s.lengths.forEach((l, i) => {
      total += l;
      out.push(total, total - 1e-6);
      interesting(s.schedulers[i]!, out);
    });
  } else if (s instanceof StepParamScheduler) {
    for (let k = 1; k <= s.values.length; k++) out.push(k / s.values.length - 1e-6);
  }
  out.push(0, 1, 1 - 1e-6);
  return out;
}

const windowArb = fc.record({
  n: numUpdates,
  pick: fc.nat(),
  fraction: fc.double({ min: -0.2, max: 1.3, noNaN: true }),
  useInteresting: fc.boolean(),
  below: fc.integer({ min: 0, max: 600 }),
  above: fc.integer({ min: 1, max: 1500 }),
});

interface Window {
  n: number;
  pick: number;
  fraction: number;
  useInteresting: boolean;
  below: number;
  above: number;
}

function windowFor(s: ParamSchedulerLike, w: Window): { n: number; from: number; to: number } {
  const points = interesting(s);
  const f = w.useInteresting ? points[w.pick % points.length]! : w.fraction;
  const center = Math.round(f * w.n);
  return { n: w.n, from: center - w.below, to: center + w.above };
}

const RUNS = 300;

test("sample() is bit-identical to at(i / n) on random schedules", async (t) => {
  await t.test("random schedulers, windows around their change points", () => {
    fc.assert(
      fc.property(schedulerArb, windowArb, (s, w) => {
        fc.pre(s !== undefined);
        const { n, from, to } = windowFor(s!, w);
        checkSample(s!, n, from, to);
      }),
      { numRuns: RUNS },
    );
  });
  await t.test("whole training runs of random multistep schedules", () => {
    fc.assert(
      fc.property(multiStep, fc.integer({ min: 1, max: 30_000 }), (s, n) => {
        fc.pre(s !== undefined);
        checkSample(s!, n, 0, n + 1);
      }),
      { numRuns: 60 },
    );
  });
  await t.test("WHERE_EPSILON transitions on 10M-iteration schedules", () => {
    const s = new MultiStepParamScheduler({
      values: [1, 0.1, 0.01],
      milestones: [6666667, 8888889],
      numUpdates: 10_000_000,
    });
    checkSample(s, 10_000_000, 6666600, 6666700);
    const out = sample(s, { numUpdates: 10_000_000, from: 6666600, to: 6666700 });
    assert.equal(out.indexOf(0.1) + 6666600, 6666657); // 10 iterations early, as fvcore
  });
});

test("ScheduleCursor is bit-identical to at(i / n)", async (t) => {
  await t.test("stepping and random access on random schedules", () => {
    fc.assert(
      fc.property(schedulerArb, windowArb, fc.array(fc.integer(), { maxLength: 20 }), (s, w, r) => {
        fc.pre(s !== undefined);
        const { n, from, to } = windowFor(s!, w);
        const probes = r.map((x) => from - 50 + (Math.abs(x) % (to - from + 100)));
        probes.push(to + 3, from, 2.5, -0, 1e300, Number.MAX_SAFE_INTEGER);
        checkCursor(s!, n, Math.max(from, to - 2000), to, probes);
      }),
      { numRuns: RUNS },
    );
  });
  await t.test("runAt: constant runs hold their value, runs claimed monotone are", () => {
    fc.assert(
      fc.property(schedulerArb, windowArb, (s, w) => {
        fc.pre(s !== undefined);
        const { n, from, to } = windowFor(s!, w);
        const cursor = new ScheduleCursor(s!, { numUpdates: n });
        for (let i = from; i < to;) {
          const run = cursor.runAt(i);
          if (!(run.start <= i && i < run.end)) {
            assert.fail(`run [${run.start}, ${run.end}) holds ${i}`);
          }
          const end = Math.min(run.end, to);
          const values: number[] = [];
          for (let j = i; j < end; j++) {
            const o = outcomeOf(() => s!.at(j / n));
            if ("value" in o) values.push(o.value);
            if (run.constant && !same(o, { value: run.value })) {
              assert.fail(`constant run at ${j}`);
            }
          }
          if (run.monotone && values.length > 2) {
            // Monotone up to the rounding of the formula (SchedulePlan's contract): 4 ULPs.
            const up = values[values.length - 1]! >= values[0]!;
            values.forEach((v, k) => {
              if (k === 0) return;
              const previous = values[k - 1]!;
              const slack = 4 *
                Math.max(Number.MIN_VALUE, ulpOf(Math.max(Math.abs(v), Math.abs(previous))));
              if (!(up ? v >= previous - slack : v <= previous + slack)) {
                assert.fail(`monotone run [${i}, ${end}): ${previous} then ${v} at ${i + k}`);
              }
            });
          }
          i = end;
        }
      }),
      { numRuns: RUNS },
    );
  });
  await t.test("runs() walks the very runs runAt() finds one by one", () => {
    const byRunAt = (cursor: ScheduleCursor, from: number, to: number) => {
      const out = [];
      for (let i = from; i < to;) {
        const run = cursor.runAt(i);
        out.push(run);
        i = run.end;
      }
      return out;
    };
    fc.assert(
      fc.property(schedulerArb, windowArb, (s, w) => {
        fc.pre(s !== undefined);
        const { n, from, to } = windowFor(s!, w);
        const cursor = new ScheduleCursor(s!, { numUpdates: n });
        assert.deepEqual([...cursor.runs(from, to)], byRunAt(cursor, from, to));
      }),
      { numRuns: RUNS },
    );
    // Evenly and unevenly spaced steps (the guess right, and wrong), inside a warmup composite.
    for (
      const spacing of [(k: number) => 100 + 37 * k, (k: number) => 100 + 37 * k + (k * k) % 11]
    ) {
      const milestones = Array.from({ length: 500 }, (_, k) => spacing(k));
      const steps = new MultiStepParamScheduler({
        values: Array.from({ length: 501 }, (_, k) => 0.999 ** k),
        milestones,
        numUpdates: 20_000,
      });
      const s = new WarmupParamScheduler({
        scheduler: steps,
        warmupFactor: 0.001,
        warmupLength: 0.004,
      });
      const cursor = new ScheduleCursor(s, { numUpdates: 20_000 });
      for (
        const [from, to] of [[0, 20_001], [-5, 3], [150, 151], [5000, 9000], [19_990, 2 ** 53]]
      ) {
        assert.deepEqual(
          [...cursor.runs(from!, to!)],
          byRunAt(cursor, from!, to!),
          `[${from}, ${to})`,
        );
      }
    }
    const c = new ScheduleCursor(
      new MultiStepParamScheduler({ values: [1, 0.1], milestones: [5], numUpdates: 10 }),
      {
        numUpdates: 10,
      },
    );
    assert.deepEqual([...c.runs(3, 3)], []);
    assert.throws(() => [...c.runs(0.5, 3)], /`from` must be a safe integer/);
  });
  await t.test("runAt reports maximal constant runs of a multistep schedule", () => {
    const s = new MultiStepParamScheduler({
      values: [1, 0.1, 0.01],
      milestones: [60000, 80000],
      numUpdates: 90000,
    });
    const c = new ScheduleCursor(s, { numUpdates: 90000 });
    assert.deepEqual(c.runAt(0), {
      start: -Number.MAX_SAFE_INTEGER,
      end: 60000,
      constant: true,
      value: 1,
      monotone: true,
    });
    const run = (start: number, end: number, value: number) => ({
      start,
      end,
      constant: true,
      value,
      monotone: true,
    });
    assert.deepEqual(c.runAt(70000), run(60000, 80000, 0.1));
    assert.deepEqual(c.runAt(90000), run(80000, 90001, 0.01));
    assert.equal(c.runAt(90001).constant, false); // at() raises past the end
    assert.throws(() => c.valueAt(90001), RangeError);
    assert.throws(() => c.runAt(0.5), RangeError);
  });
  await t.test("validates its options", () => {
    const s = new CosineParamScheduler({ startValue: 1, endValue: 0 });
    assert.throws(() => new ScheduleCursor(s, { numUpdates: 0 }), {
      name: "RangeError",
      message: /`numUpdates` must be a positive integer up to 2\^53 - 1: got 0/,
    });
    assert.throws(() => new ScheduleCursor(s, { numUpdates: 10, start: 0.5 }), RangeError);
    assert.throws(() => new ScheduleCursor({} as never, { numUpdates: 10 }), TypeError);
    assert.throws(() => new ScheduleCursor(s, { numUpdates: 10, begin: 1 } as never), TypeError);
  });
});

test("sample() evaluates foreign schedulers once per iteration and goes through libm", async (t) => {
  await t.test("a duck-typed scheduler is called for every iteration, in order", () => {
    const calls: number[] = [];
    const s = { at: (w: number) => (calls.push(w), w * 2) };
    const out = sample(s, { numUpdates: 10, from: 2, to: 6 });
    assert.deepEqual([...out], [0.4, 0.6, 0.8, 1]);
    assert.deepEqual(calls, [0.2, 0.3, 0.4, 0.5]);
  });
  await t.test("cos and pow are libm's, so conformance can substitute glibc's", () => {
    const saved = { cos: libm.cos, pow: libm.pow };
    try {
      libm.cos = () => 0.25;
      libm.pow = () => 0.5;
      const cosine = new CosineParamScheduler({ startValue: 1, endValue: 0 });
      assert.deepEqual([...sample(cosine, { numUpdates: 4 })], [0.625, 0.625, 0.625, 0.625]);
      const poly = new PolynomialDecayParamScheduler({ baseValue: 2, power: 0.9 });
      assert.deepEqual([...sample(poly, { numUpdates: 2 })], [1, 1]);
      assert.equal(new ScheduleCursor(cosine, { numUpdates: 4 }).next(), 0.625);
    } finally {
      Object.assign(libm, saved);
    }
  });
  await t.test("validates its options and never mutates its input", () => {
    const s = new CosineParamScheduler({ startValue: 1, endValue: 0 });
    assert.throws(() => sample(s, { numUpdates: 1.5 }), RangeError);
    assert.throws(() => sample(s, { numUpdates: 10, from: 5, to: 4 }), {
      name: "RangeError",
      message: "sample: `to` must be >= `from`: got from=5, to=4",
    });
    assert.throws(() => sample(s, { numUpdates: 10, out: new Float64Array(3) }), RangeError);
    assert.throws(() => sample(s, { numUpdates: 10, out: [] as never }), TypeError);
    assert.throws(() => sample(s, { numUpdates: 10, step: 1 } as never), TypeError);
    assert.throws(() => sample(null as never, { numUpdates: 10 }), TypeError);
    const options = { numUpdates: 10 };
    sample(s, options);
    assert.deepEqual(options, { numUpdates: 10 });
    assert.equal(sample(s, { numUpdates: 10, from: 3, to: 3 }).length, 0);
  });
});

const FIXTURES = new URL("../../fixtures/detectron2/", import.meta.url);

interface ManifestCase {
  id: string;
  kind: string;
  scheduler?: SchedulerSpec;
  config?: Record<string, Record<string, unknown>>;
  baseLrs?: number[];
  error?: unknown;
}

const manifest = JSON.parse(readFileSync(new URL("manifest.json", FIXTURES), "utf8")) as {
  cases: ManifestCase[];
};

test("sample() and ScheduleCursor on every fvcore schedule of the golden fixtures", async (t) => {
  for (const c of manifest.cases) {
    if (c.kind !== "param_scheduler" || c.error !== undefined) continue;
    await t.test(c.id, () => {
      const s = buildParamScheduler(c.scheduler!);
      for (const n of [1, 3, 90, 1000, 90_000]) {
        checkSample(s, n, -3, n + 3, c.id);
        checkCursor(s, n, -3, Math.min(n + 3, 3000), [n, n + 1, 0, -1], c.id);
      }
      for (const point of interesting(s)) {
        const center = Math.round(point * 10_000_000);
        checkSample(s, 10_000_000, center - 200, center + 200, c.id);
      }
    });
  }
});

/** Forces the base class's step(): a getLr override with the same values. */
class ReferenceMultiplier extends LRMultiplier {
  override getLr(): number[] {
    return super.getLr();
  }
}

test("LRMultiplier.step() matches the base class's step() exactly", async (t) => {
  await t.test("values, last LRs, state and errors on random multipliers", () => {
    fc.assert(
      fc.property(
        schedulerArb,
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: -1, max: 3000 }),
        (multiplier, maxIter, lrs, lastIter) => {
          fc.pre(multiplier !== undefined);
          const make = (C: typeof LRMultiplier, resume: boolean) => {
            const optimizer = {
              paramGroups: lrs.map((lr) => (resume ? { lr, initialLr: lr } : { lr })),
            };
            let scheduler: LRMultiplier | undefined;
            const outcome = outcomeOf(() => {
              scheduler = new C({
                optimizer,
                multiplier: multiplier!,
                maxIter,
                ...(resume ? { lastIter } : {}),
              });
              return 0;
            });
            return { optimizer, outcome, scheduler };
          };
          for (const resume of [false, true]) {
            const fast = make(LRMultiplier, resume);
            const ref = make(ReferenceMultiplier, resume);
            assert.equal(show(fast.outcome), show(ref.outcome));
            if ("error" in fast.outcome) continue;
            const steps = Math.min(maxIter + 3, 1500);
            for (let k = 0; k < steps; k++) {
              const a = outcomeOf(() => (fast.scheduler!.step(), 0));
              const b = outcomeOf(() => (ref.scheduler!.step(), 0));
              assert.equal(show(a), show(b), `step ${k}`);
              assert.deepEqual(fast.scheduler!.getLastLr(), ref.scheduler!.getLastLr());
              fast.optimizer.paramGroups.forEach((g, i) =>
                assert.ok(Object.is(g.lr, ref.optimizer.paramGroups[i]!.lr), `step ${k} group ${i}`)
              );
              assert.deepEqual(fast.scheduler!.stateDict(), ref.scheduler!.stateDict());
            }
          }
        },
      ),
      { numRuns: 120 },
    );
  });
  await t.test("jumps of lastEpoch and loadStateDict are honoured", () => {
    const multiplier = new MultiStepParamScheduler({
      values: [1, 0.1, 0.01],
      milestones: [600, 800],
      numUpdates: 900,
    });
    const optimizer = { paramGroups: [{ lr: 0.5 }] };
    const s = new LRMultiplier({ optimizer, multiplier, maxIter: 900 });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
    s.lastEpoch = 699;
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5 * 0.1);
    s.loadStateDict({ baseLrs: [2], lastEpoch: 850 });
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 2 * 0.01);
    s.lastEpoch = 10.5; // not an iteration, still at(lastEpoch / maxIter)
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 2 * multiplier.at(11.5 / 900));
    s.lastEpoch = 899;
    s.step();
    assert.throws(() => s.step(), RangeError); // where > 1
    assert.equal(s.lastEpoch, 901);
    assert.equal(optimizer.paramGroups[0]!.lr, 2 * 0.01);
  });
  await t.test("verbose, step(epoch) and groups added later take the base path", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] as { lr: number; initialLr?: number }[] };
    const s = new LRMultiplier({
      optimizer,
      multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
      maxIter: 4,
      torch: "1.13", // torch 2.10+ zips strictly: a group added later raises there
    });
    s.step(2);
    assert.equal(optimizer.paramGroups[0]!.lr, s.multiplier.at(0.5));
    optimizer.paramGroups.push({ lr: 3 });
    s.step(); // the base class writes as torch 1.13's zip does: the new group keeps its rate
    assert.equal(optimizer.paramGroups[0]!.lr, s.multiplier.at(0.75));
    assert.equal(optimizer.paramGroups[1]!.lr, 3);
  });
});

test("defaults: an omitted option has its documented effect", async (t) => {
  const s = new CosineParamScheduler({ startValue: 1, endValue: 0.5 });
  await t.test("sample(): from 0, to numUpdates (where = 1 not included), a new array, unscaled", () => {
    const a = sample(s, { numUpdates: 8 });
    assert.equal(a.length, 8);
    assert.equal(a[0], s.at(0));
    assert.equal(a[7], s.at(7 / 8));
    assert.notEqual(sample(s, { numUpdates: 8 }), a, "a new array per call");
    assert.deepEqual([...a], [...sample(s, { numUpdates: 8, scale: 1 })]);
    assert.deepEqual([...sample(s, { numUpdates: 8, scale: 2 })], [...a].map((v) => 2 * v));
  });
  await t.test("ScheduleCursor: start 0", () => {
    const c = new ScheduleCursor(s, { numUpdates: 8 });
    assert.equal(c.index, 0);
    assert.equal(c.next(), s.at(0));
  });
});

test("sample(): scale multiplies constant stretches as well as per-step ones", () => {
  // A multistep has only constant runs (block fills), a composite mixes them with a cosine.
  const multistep = new MultiStepParamScheduler({
    values: [1, 0.1, 0.01],
    milestones: [3, 6],
    numUpdates: 10,
  });
  const composite = new CompositeParamScheduler({
    schedulers: [
      new ConstantParamScheduler({ value: 0.3 }),
      new CosineParamScheduler({ startValue: 1, endValue: 0 }),
    ],
    lengths: [0.5, 0.5],
    intervalScaling: ["rescaled", "rescaled"],
  });
  for (const s of [multistep, composite]) {
    for (const scale of [2, 0.5, 3e-4, -1]) {
      const expected = Array.from({ length: 10 }, (_, i) => scale * s.at(i / 10));
      assert.deepEqual([...sample(s, { numUpdates: 10, scale })], expected, `scale ${scale}`);
      assert.deepEqual(
        [...sample(s, { numUpdates: 10, scale, from: 2, to: 9 })],
        expected.slice(2, 9),
        `scale ${scale}, from 2 to 9`,
      );
    }
  }
});

test("ScheduleCursor: assigning index jumps, also backwards out of a constant run", () => {
  const s = new MultiStepParamScheduler({ values: [1, 0.5], milestones: [4], numUpdates: 8 });
  const c = new ScheduleCursor(s, { numUpdates: 8 });
  for (let i = 0; i < 6; i++) c.next();
  c.index = 2;
  assert.equal(c.index, 2);
  assert.deepEqual([c.next(), c.next(), c.next()], [1, 1, 0.5]);
  c.index = 9;
  assert.throws(() => c.next(), RangeError, "where > 1 raises, as at() does");
  assert.equal(c.index, 10);
});
