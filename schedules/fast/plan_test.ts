// The plan protocol, from the engine's side: what sample() and ScheduleCursor do with a plan,
// without one, with a plan that does not describe the scheduler's at(), and with every kind of
// piece. Each test names the engine branch it aims at.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  type PlanPiece,
  PolynomialDecayParamScheduler,
  sample,
  ScheduleCursor,
  type ScheduleLike,
  type SchedulePlan,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
  WarmupParamScheduler,
} from "../../mod.ts";

/** `at(i / n)` for every `i` in `[from, to)`, or the error of the first that throws. */
function reference(s: ScheduleLike, n: number, from: number, to: number): number[] | string {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    try {
      out.push(s.at(i / n));
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  }
  return out;
}

/** sample() on `[from, to)`, as values or the error. */
function sampled(s: ScheduleLike, n: number, from: number, to: number): number[] | string {
  try {
    return [...sample(s, { numUpdates: n, from, to })];
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

/** Asserts that sample() and a cursor agree with at() bit for bit (values as Object.is). */
function assertExact(s: ScheduleLike, n: number, from: number, to: number, label: string): void {
  const expected = reference(s, n, from, to);
  const got = sampled(s, n, from, to);
  if (typeof expected === "string") {
    assert.equal(got, expected, `${label}: sample() must throw what at() throws`);
  } else {
    assert.ok(Array.isArray(got), `${label}: sample() threw ${got}`);
    expected.forEach((v, k) =>
      assert.ok(Object.is(got[k], v), `${label}: i=${from + k}: sample ${got[k]} != at ${v}`)
    );
    const cursor = new ScheduleCursor(s, { numUpdates: n, start: from });
    expected.forEach((v, k) =>
      assert.ok(Object.is(cursor.next(), v), `${label}: cursor at i=${from + k} != at ${v}`)
    );
  }
}

/** Wraps `at` of a scheduler to count its calls (on the instance: the plan then no longer applies). */
function countingAt<T extends ScheduleLike>(s: T): { s: T; calls: () => number } {
  let calls = 0;
  const at = s.at.bind(s);
  const counted = Object.create(s) as T;
  counted.at = (w: number) => (calls++, at(w));
  return { s: counted, calls: () => calls };
}

/** A schedule of an integer step with a plan: halves every 100 steps over 1000 steps. */
function halving(): ScheduleLike & { plan(): SchedulePlan; atCalls: number; pieceCalls: number } {
  const s = {
    atCalls: 0,
    pieceCalls: 0,
    at(step: number): number {
      s.atCalls++;
      if (step < 0 || step > 1000) throw new RangeError(`step ${step} out of range`);
      return 0.5 ** Math.floor(step / 100);
    },
    plan(): SchedulePlan {
      return {
        at: s.at,
        piece: (
          step,
        ) => (s.pieceCalls++, step < 0 ? -1 : step > 1000 ? 11 : Math.floor(step / 100)),
        resolve: (p) => p < 0 || p > 10 ? { kind: "opaque" } : { kind: "value", value: 0.5 ** p },
      };
    },
  };
  return s;
}

test("engine: a scheduler without a plan is evaluated with at(), once per iteration", () => {
  const calls: number[] = [];
  const duck = { at: (w: number) => (calls.push(w), 1 - w) };
  assert.deepEqual([...sample(duck, { numUpdates: 4, from: 0, to: 5 })], [1, 0.75, 0.5, 0.25, 0]);
  assert.deepEqual(calls, [0, 0.25, 0.5, 0.75, 1]);
  const run = new ScheduleCursor(duck, { numUpdates: 4 }).runAt(2);
  assert.deepEqual([run.constant, run.monotone], [false, false], "opaque runs claim nothing");
});

test("engine: a subclass that overrides at() (and not plan()) is opaque", async (t) => {
  class Doubled extends MultiStepParamScheduler {
    override at(where: number): number {
      return 2 * super.at(where);
    }
  }
  const s = new Doubled({ values: [1, 0.5], milestones: [5], numUpdates: 10 });
  await t.test("values are the subclass's at(), not the inherited plan's", () => {
    assert.deepEqual([...sample(s, { numUpdates: 10, from: 4, to: 6 })], [2, 1]);
    assertExact(s, 10, -2, 13, "Doubled");
  });
  await t.test("the run is not claimed constant", () => {
    assert.equal(new ScheduleCursor(s, { numUpdates: 10 }).runAt(0).constant, false);
  });
  await t.test("an object derived from a port (Object.create) is opaque", () => {
    const base = new MultiStepParamScheduler({ values: [1, 0.5], milestones: [5], numUpdates: 10 });
    const derived = Object.create(base) as MultiStepParamScheduler;
    assert.throws(() => derived.at(0), TypeError, "its at() cannot read the private fields");
    assert.throws(() => sample(derived, { numUpdates: 10 }), TypeError, "nor can sample()");
  });
  await t.test("an instance whose at is replaced is opaque too", () => {
    const { s: counted, calls } = countingAt(
      new MultiStepParamScheduler({ values: [1, 0.5], milestones: [5], numUpdates: 10 }),
    );
    sample(counted, { numUpdates: 10 });
    assert.equal(calls(), 10, "one at() call per iteration");
  });
});

test("engine: a subclass that overrides at() and plan() is driven by its own plan", () => {
  class Shifted extends ConstantParamScheduler {
    override at(where: number): number {
      if (where < 0) throw new RangeError("Shifted: where < 0");
      return super.at(where) + 1;
    }
    override plan(): SchedulePlan {
      const value = this.value + 1;
      return {
        at: Shifted.prototype.at,
        piece: (w) => (w < 0 ? -1 : w >= 1 ? 1 : 0),
        resolve: (p): PlanPiece => (p === 0 ? { kind: "value", value } : { kind: "opaque" }),
      };
    }
  }
  const s = new Shifted({ value: 2 });
  assertExact(s, 10, 0, 10, "Shifted");
  assertExact(s, 10, -3, 2, "Shifted below 0");
  assertExact(s, 10, 8, 12, "Shifted past 1");
  assert.deepEqual(new ScheduleCursor(s, { numUpdates: 10 }).runAt(3), {
    start: 0,
    end: 10,
    constant: true,
    value: 3,
    monotone: true,
  });
});

test("engine: a schedule of an integer step plugs in with numUpdates: 1", async (t) => {
  await t.test("values and errors are at()'s", () => {
    assertExact(halving(), 1, -5, 1010, "halving");
  });
  await t.test("runs are the plan's pieces, found in O(log) piece calls", () => {
    const s = halving();
    const run = new ScheduleCursor(s, { numUpdates: 1 }).runAt(250);
    assert.deepEqual(run, { start: 200, end: 300, constant: true, value: 0.25, monotone: true });
    s.atCalls = 0;
    s.pieceCalls = 0;
    sample(s, { numUpdates: 1, to: 1001 });
    assert.equal(s.atCalls, 0, "value pieces never call at()");
    assert.ok(s.pieceCalls < 11 * 2 * 12, `${s.pieceCalls} piece calls for 11 pieces`);
  });
  await t.test("the plan is asked for once per scheduler", () => {
    let plans = 0;
    const s = halving();
    const counted = { at: s.at, plan: () => (plans++, s.plan()) };
    sample(counted, { numUpdates: 1, to: 1001 });
    sample(counted, { numUpdates: 1, to: 1001 });
    new ScheduleCursor(counted, { numUpdates: 1 }).valueAt(3);
    assert.equal(plans, 1);
  });
});

test("engine: malformed plans fall back to at()", async (t) => {
  const at = (w: number) => 3 * w;
  const cases: [string, unknown][] = [
    ["plan() returns null", null],
    ["plan() returns a number", 7],
    ["resolve is not a function", { at, resolve: 1 }],
    ["piece is not a function", { at, piece: 2, resolve: () => ({ kind: "value", value: 1 }) }],
    ["a value piece holds NaN", { at, resolve: () => ({ kind: "value", value: NaN }) }],
    ["a value piece holds a string", { at, resolve: () => ({ kind: "value", value: "1" }) }],
    ["an unknown kind", { at, resolve: () => ({ kind: "spline" }) }],
    ["no piece at all", { at, resolve: () => undefined }],
    ["a formula that is not a function", { at, resolve: () => ({ kind: "formula" }) }],
    ["a stage without a schedule", {
      at,
      resolve: () => ({ kind: "stage", schedule: null, start: 0, length: 1 }),
    }],
    ["a stage of length 0", {
      at,
      resolve: () => ({ kind: "stage", schedule: { at }, start: 0, length: 0 }),
    }],
    ["a stage with a non-finite start", {
      at,
      resolve: () => ({ kind: "stage", schedule: { at }, start: NaN, length: 1 }),
    }],
  ];
  for (const [label, plan] of cases) {
    await t.test(label, () => {
      let calls = 0;
      const s = { at: (w: number) => (calls++, at(w)), plan: () => plan };
      if (plan !== null && typeof plan === "object") (plan as { at: unknown }).at = s.at;
      assert.deepEqual([...sample(s, { numUpdates: 4 })], [0, 0.75, 1.5, 2.25]);
      assert.equal(calls, 4, "every value came from at()");
    });
  }
});

test("engine: formula pieces", async (t) => {
  await t.test("a non-finite formula value is handed to at(), which throws there", () => {
    // Exponential with decay 0 is at() = Infinity-raising for where < 0, inside a rescaled stage.
    const s = new CompositeParamScheduler({
      schedulers: [
        new ExponentialParamScheduler({ startValue: 1, decay: 0 }),
        new LinearParamScheduler({ startValue: 1, endValue: 0 }),
      ],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0.5, 0.5],
    });
    assertExact(s, 10, -3, 12, "exponential decay 0 in a stage");
    assert.throws(() => sample(s, { numUpdates: 10, from: -1, to: 1 }), {
      name: "RangeError",
      message: /0\.0 cannot be raised to a negative power/,
    });
  });
  await t.test("a non-finite formula value is handed to at(), which may return a value", () => {
    const formula = (w: number) => (w === 0.5 ? Infinity : w);
    const s = {
      at: (w: number) => (w === 0.5 ? -1 : w),
      plan: (): SchedulePlan => ({
        at: s.at,
        resolve: () => ({ kind: "formula", formula, monotone: false }),
      }),
    };
    assert.deepEqual([...sample(s, { numUpdates: 4 })], [0, 0.25, -1, 0.75]);
    assert.deepEqual([...sample(s, { numUpdates: 4, scale: 2 })], [0, 0.5, -2, 1.5]);
  });
  await t.test("fill: the port's loop, resumed after each value it declines", () => {
    const fills: [number, number, number][] = [];
    const formula = (w: number) => (w === 0.5 ? NaN : 10 * w);
    const s = {
      at: (w: number) => (w === 0.5 ? 99 : 10 * w),
      plan: (): SchedulePlan => ({
        at: s.at,
        resolve: () => ({
          kind: "formula",
          formula,
          monotone: false,
          fill: (out, from, to, first, n) => {
            fills.push([from, to, first]);
            for (let j = first, k = from; k < to; j++, k++) {
              const v = formula(j / n);
              if (v - v !== 0) return k;
              out[k] = v;
            }
            return to;
          },
        }),
      }),
    };
    assert.deepEqual([...sample(s, { numUpdates: 4, from: 0, to: 4 })], [0, 2.5, 99, 7.5]);
    assert.deepEqual(fills, [[0, 4, 0], [3, 4, 3]], "stopped at 2, at() wrote it, resumed at 3");
  });
  await t.test("fill: where at() throws at the iteration the loop stopped at", () => {
    const s = {
      at: (w: number) => {
        if (w >= 0.5) throw new RangeError("past half");
        return w;
      },
      plan: (): SchedulePlan => ({
        at: s.at,
        resolve: () => ({
          kind: "formula",
          formula: (w) => (w >= 0.5 ? NaN : w),
          monotone: true,
          fill: (out, from, to, first, n) => {
            for (let j = first, k = from; k < to; j++, k++) {
              if (j / n >= 0.5) return k;
              out[k] = j / n;
            }
            return to;
          },
        }),
      }),
    };
    const out = new Float64Array(4).fill(-7);
    assert.throws(() => sample(s, { numUpdates: 4, out }), { message: "past half" });
    assert.deepEqual([...out], [0, 0.25, -7, -7], "the values before the error are written");
  });
  await t.test("fill is not used through a stage: the formula is, per value", () => {
    let fills = 0;
    const inner = {
      at: (w: number) => w * 2,
      plan: (): SchedulePlan => ({
        at: inner.at,
        resolve: () => ({
          kind: "formula",
          formula: (w) => w * 2,
          monotone: true,
          fill: (out, from, to, first, n) => {
            fills++;
            for (let j = first, k = from; k < to; j++, k++) out[k] = (j / n) * 2;
            return to;
          },
        }),
      }),
    };
    const s = new CompositeParamScheduler({
      schedulers: [inner, inner],
      intervalScaling: ["rescaled", "fixed"],
      lengths: [0.5, 0.5],
    });
    assertExact(s, 8, 0, 9, "stage of a formula with a fill");
    assert.equal(fills, 1, "sample() ran the fill once: for the fixed (unmapped) segment");
  });
});

test("engine: stages", async (t) => {
  await t.test("a rescaled stage of length 1 that does not start at 0 is still mapped", () => {
    // totals 0.5, 1.5, 1: segment 1 is rescaled over (where − 0.5) / 1.
    const s = new CompositeParamScheduler({
      schedulers: [0, 1, 2].map(() => new LinearParamScheduler({ startValue: 0, endValue: 8 })),
      intervalScaling: ["rescaled", "rescaled", "rescaled"],
      lengths: [0.5, 1, -0.5],
    });
    assertExact(s, 16, -2, 20, "length-1 stage at 0.5");
    assert.equal(sample(s, { numUpdates: 16, from: 12, to: 13 })[0], 8 * (12 / 16 - 0.5));
  });
  await t.test("a `where` mapped to ±Infinity never reaches a piece function", () => {
    // The first segment is 5e-324 long: where + ε <= 5e-324 only for where <= −1e-6, and
    // (where − 0) / 5e-324 is −Infinity there.
    const strict = {
      at: (w: number) => {
        if (w - w !== 0) throw new RangeError("strict: where must be finite");
        return w < 0 ? -1 : 1;
      },
      plan: (): SchedulePlan => ({
        at: strict.at,
        piece: (w) => {
          if (w - w !== 0) throw new Error("the engine passed a non-finite where to a piece");
          return w < 0 ? 0 : 1;
        },
        resolve: (p) => ({ kind: "value", value: p === 0 ? -1 : 1 }),
      }),
    };
    const s = new CompositeParamScheduler({
      schedulers: [strict, new ConstantParamScheduler({ value: 5 })],
      intervalScaling: ["rescaled", "fixed"],
      lengths: [5e-324, 1 - 5e-324],
    });
    assert.throws(() => sample(s, { numUpdates: 10, from: -2, to: 3 }), {
      message: "strict: where must be finite",
    });
    assertExact(s, 10, 0, 10, "tiny first segment");
    assert.throws(() => new ScheduleCursor(s, { numUpdates: 10 }).valueAt(-1), RangeError);
  });
  await t.test("nested composites and warmups: runs end at every nested change point", () => {
    const inner = new WarmupParamScheduler({
      scheduler: new MultiStepParamScheduler({
        values: [1, 0.1, 0.01],
        milestones: [60, 80],
        numUpdates: 90,
      }),
      warmupFactor: 0.5,
      warmupLength: 0.1,
      warmupMethod: "constant",
      rescaleInterval: true,
    });
    const s = new CompositeParamScheduler({
      schedulers: [
        inner,
        new CompositeParamScheduler({
          schedulers: [new StepParamScheduler({ numUpdates: 1, values: [3, 2] }), inner],
          intervalScaling: ["rescaled", "fixed"],
          lengths: [0.5, 0.5],
        }),
      ],
      intervalScaling: ["rescaled", "rescaled"],
      lengths: [0.5, 0.5],
    });
    const { s: counted, calls } = countingAt(s);
    assertExact(s, 1000, -5, 1005, "nested");
    const cursor = new ScheduleCursor(s, { numUpdates: 1000 });
    const ends: number[] = [];
    for (let i = 0; i < 1000;) {
      const run = cursor.runAt(i);
      assert.ok(run.constant, `a constant run at ${i}`);
      ends.push(run.end);
      i = run.end;
    }
    const changes: number[] = [];
    for (let i = 1; i < 1000; i++) if (s.at(i / 1000) !== s.at((i - 1) / 1000)) changes.push(i);
    for (const c of changes) assert.ok(ends.includes(c), `a run ends at the change point ${c}`);
    sample(counted, { numUpdates: 1000 });
    assert.equal(calls(), 1000, "(the counting copy itself is opaque)");
  });
});

test("runAt().monotone: what each fvcore plan declares", async (t) => {
  const n = 100;
  const run = (s: ScheduleLike, i: number) => new ScheduleCursor(s, { numUpdates: n }).runAt(i);
  await t.test("Constant, MultiStep, Step, StepWithFixedGamma: constant runs", () => {
    for (
      const s of [
        new ConstantParamScheduler({ value: 1 }),
        new MultiStepParamScheduler({ values: [1, 0.5], numUpdates: 100 }),
        new StepParamScheduler({ numUpdates: 100, values: [1, 0.5] }),
        new StepWithFixedGammaParamScheduler({
          baseValue: 1,
          gamma: 0.5,
          numDecays: 1,
          numUpdates: 100,
        }),
      ]
    ) {
      const r = run(s, 10);
      assert.deepEqual([r.constant, r.monotone], [true, true], s.constructor.name);
    }
  });
  await t.test("Cosine: monotone on [0, 1] only (one half period)", () => {
    const s = new CosineParamScheduler({ startValue: 1, endValue: 0 });
    assert.deepEqual(run(s, 50), {
      start: 0,
      end: n + 1,
      constant: false,
      value: NaN,
      monotone: true,
    });
    assert.equal(run(s, -1).monotone, false);
    assert.equal(run(s, -1).end, 0);
    assert.equal(run(s, n + 1).monotone, false);
    assert.equal(run(s, n + 1).start, n + 1);
  });
  await t.test("Linear, Exponential, PolynomialDecay: monotone on [0, 1] only", () => {
    for (
      const s of [
        new LinearParamScheduler({ startValue: 1, endValue: 3 }),
        new ExponentialParamScheduler({ startValue: 2, decay: 0.1 }),
        new PolynomialDecayParamScheduler({ baseValue: 1, power: 2 }),
      ]
    ) {
      const name = s.constructor.name;
      const r = run(s, 50);
      assert.deepEqual([r.start, r.end, r.constant, r.monotone], [0, n + 1, false, true], name);
      assert.deepEqual([run(s, -1).end, run(s, -1).monotone], [0, false], name);
      assert.deepEqual([run(s, n + 1).start, run(s, n + 1).monotone], [n + 1, false], name);
    }
  });
  await t.test("Composite: the child's claim, through rescaling and fixed segments", () => {
    const s = new WarmupParamScheduler({
      scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
      warmupFactor: 0.1,
      warmupLength: 0.2,
    });
    const warmup = run(s, 5);
    assert.deepEqual([warmup.end, warmup.monotone], [20, true]);
    const decay = run(s, 50);
    assert.deepEqual([decay.start, decay.end, decay.monotone], [20, n + 1, true]);
  });
  await t.test("a subclass overriding segmentAt: opaque, monotone false", () => {
    class Odd extends CompositeParamScheduler {
      override segmentAt(where: number): number {
        return super.segmentAt(1 - where);
      }
    }
    const s = new Odd({
      schedulers: [
        new ConstantParamScheduler({ value: 1 }),
        new ConstantParamScheduler({ value: 2 }),
      ],
      intervalScaling: ["fixed", "fixed"],
      lengths: [0.5, 0.5],
    });
    assertExact(s, n, 0, n, "Odd");
    assert.deepEqual([run(s, 10).constant, run(s, 10).monotone], [false, false]);
  });
});

test("engine: iteration -0 is evaluated at where = -0, as at(-0 / n)", () => {
  // at(-0) and at(0) differ in the sign of a zero for these: the engine must pass -0 through.
  const linear = new LinearParamScheduler({ startValue: 0, endValue: 1 });
  const negative = { at: (w: number) => -1 * w };
  const fillFormula = {
    at: (w: number) => 2 * w,
    plan: (): SchedulePlan => ({
      at: fillFormula.at,
      resolve: () => ({
        kind: "formula",
        formula: (w) => 2 * w,
        monotone: true,
        fill: (out, from, to, first, n) => {
          for (let j = first, k = from; k < to; j++, k++) out[k] = 2 * (j / n);
          return to;
        },
      }),
    }),
  };
  for (
    const [label, s] of [["linear", linear], ["opaque", negative], ["fill", fillFormula]] as const
  ) {
    const expected = s.at(-0 / 10);
    assert.ok(Object.is(sample(s, { numUpdates: 10, from: -0, to: 1 })[0], expected), label);
    assert.ok(Object.is(new ScheduleCursor(s, { numUpdates: 10 }).valueAt(-0), expected), label);
  }
});
