import { test } from "node:test";
import assert from "node:assert/strict";
import {
  constantSchedule,
  cosf,
  cosineDecaySchedule,
  cosineOnecycleSchedule,
  exponentialDecay,
  linearOnecycleSchedule,
  linearSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
  polynomialSchedule,
  powf,
  type Schedule,
  sgdrSchedule,
  warmupConstantSchedule,
  warmupCosineDecaySchedule,
  warmupExponentialDecaySchedule,
} from "./mod.ts";

const f = Math.fround;
const range = (n: number, from = 0) => Array.from({ length: n - from }, (_, i) => from + i);
const values = (s: Schedule, counts: number[]) => counts.map((c) => s(c));

/** numpy's assert_allclose: |actual − expected| <= atol + rtol·|expected|, element-wise. */
function allclose(actual: number[], expected: number[], atol = 1e-3, rtol = 1e-7): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= atol + rtol * Math.abs(e), `[${i}]: ${a} is not close to ${e}`);
  });
}

/** Every value is a float32 (what a float32 JAX array holds). */
function assertFloat32(s: Schedule, counts: number[]): void {
  for (const c of counts) assert.equal(f(s(c)), s(c), `value at ${c} is a float32`);
}

// ------------------------------------------------------------------------------------------------
// optax's own tests (optax/schedules/_schedule_test.py at v0.2.8), same inputs and tolerances;
// optax runs them under jax.jit in float32.

test("optax _schedule_test.py", async (t) => {
  await t.test("ConstantTest.test_constant", () => {
    allclose(values(constantSchedule({ value: 10 }), range(15)), range(15).map(() => 10));
  });
  await t.test("PolynomialTest.test_linear", () => {
    const s = polynomialSchedule({ initValue: 10, endValue: 20, power: 1n, transitionSteps: 10 });
    allclose(values(s, range(15)), [...range(20, 10), 20, 20, 20, 20, 20]);
  });
  await t.test("PolynomialTest.test_zero_steps_schedule", () => {
    for (const transitionSteps of [-1, 0]) {
      const s = polynomialSchedule({ initValue: 10, endValue: 20, power: 1n, transitionSteps });
      allclose(values(s, range(15)), range(15).map(() => 10));
    }
  });
  await t.test("PolynomialTest.test_nonlinear", () => {
    const s = polynomialSchedule({ initValue: 25, endValue: 10, power: 2n, transitionSteps: 10 });
    const expected = [...range(10).map((n) => 10 + 15 * (1 - n / 10) ** 2), 10, 10, 10, 10, 10];
    allclose(values(s, range(15)), expected);
  });
  await t.test("PolynomialTest.test_with_decay_begin", () => {
    const s = polynomialSchedule({
      initValue: 30,
      endValue: 10,
      power: 2n,
      transitionSteps: 10,
      transitionBegin: 4,
    });
    const expected = [30, 30, 30, 30, ...range(10).map((n) => 10 + 20 * (1 - n / 10) ** 2)];
    allclose(values(s, range(20)), [...expected, 10, 10, 10, 10, 10, 10]);
  });
  await t.test("PiecewiseConstantTest.test_positive / test_negative", () => {
    for (const sign of [1, -1]) {
      const s = piecewiseConstantSchedule({
        initValue: sign * 0.1,
        boundariesAndScales: { 3: 2.0, 6: 0.5 },
      });
      const expected = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1].map((x) => sign * x);
      allclose(values(s, range(10)), expected);
    }
  });
  await t.test("ExponentialTest.test_constant_schedule", () => {
    for (const staircase of [false, true]) {
      const s = exponentialDecay({ initValue: 1, transitionSteps: 15, decayRate: 1, staircase });
      allclose(values(s, range(15)), range(15).map(() => 1));
    }
  });
  await t.test("ExponentialTest.test_nonvalid_transition_steps / decay_rate", () => {
    for (const staircase of [false, true]) {
      for (const [transitionSteps, decayRate] of [[-1, 1], [0, 1], [2, 0]] as const) {
        const s = exponentialDecay({ initValue: 1, transitionSteps, decayRate, staircase });
        allclose(values(s, range(15)), range(15).map(() => 1));
      }
    }
  });
  await t.test("ExponentialTest.test_exponential", () => {
    for (const staircase of [false, true]) {
      for (const transitionBegin of [0, 5]) {
        const s = exponentialDecay({
          initValue: 1,
          transitionSteps: 2,
          decayRate: 2,
          transitionBegin,
          staircase,
        });
        const p = (c: number) => (staircase ? Math.floor(c / 2) : c / 2);
        const expected = [
          ...range(transitionBegin).map(() => 1),
          ...range(15).map((c) => 2 ** p(c)),
        ];
        allclose(values(s, range(15 + transitionBegin)), expected);
      }
    }
  });
  await t.test("ExponentialTest.test_end_value_with_staircase", () => {
    for (const [decayRate, endValue] of [[0.2, 0.1], [1.0, 0.1], [2.0, 3.0]] as const) {
      for (const staircase of [false, true]) {
        const s = exponentialDecay({
          initValue: 1,
          transitionSteps: 2,
          decayRate,
          transitionBegin: 3,
          staircase,
          endValue,
        });
        const p = (c: number) => (staircase ? Math.floor(c / 2) : c / 2);
        const clip = decayRate < 1 ? Math.max : Math.min;
        const expected = [1, 1, 1, ...range(11).map((c) => decayRate ** p(c))].map((v) =>
          clip(v, endValue)
        );
        allclose(values(s, range(14)), expected);
      }
    }
  });
  await t.test("ExponentialTest.test_immutable_count", () => {
    const s = exponentialDecay({ initValue: 32, transitionSteps: 1, decayRate: 0.5 });
    allclose(values(s, range(5)), [32, 16, 8, 4, 2]);
  });
  await t.test("CosineDecayTest.test_decay_count_smaller_count / greater_count / alpha", () => {
    const cos = (w: number) => 0.5 + 0.5 * Math.cos(Math.PI * w);
    const s10 = cosineDecaySchedule({ initValue: 0.1, decaySteps: 10, alpha: 0 });
    allclose(values(s10, range(10)), range(10).map((c) => 0.1 * cos(c / 10)));
    const s5 = cosineDecaySchedule({ initValue: 0.1, decaySteps: 5, alpha: 0 });
    allclose(values(s5, range(12)), range(12).map((c) => 0.1 * cos(Math.min(c, 5) / 5)));
    const a = cosineDecaySchedule({ initValue: 0.1, decaySteps: 5, alpha: 0.1 });
    allclose(
      values(a, range(12)),
      range(12).map((c) => 0.1 * (0.9 * cos(Math.min(c, 5) / 5) + 0.1)),
    );
  });
  await t.test("CosineDecayTest.test_with_exponent", () => {
    const s = cosineDecaySchedule({ initValue: 0.1, decaySteps: 100, alpha: 0, exponent: 2n });
    const expected = [0.1, 0.09516553580760956, 0.025, 0.0021446612663567066, 0.0];
    allclose(values(s, [0, 10, 50, 75, 100]), expected, 1e-8, 1e-6);
    // optax's expected values are float32 values JAX printed; lrspec gives those very floats.
    assert.equal(s(10), 0.09516553580760956);
    assert.equal(s(75), 0.0021446612663567066);
  });
  await t.test("CosineDecayTest.test_with_giant_int_steps", () => {
    const s = cosineDecaySchedule({ initValue: 1000, decaySteps: 1e10, alpha: 0, exponent: 1n });
    allclose([s(1e9)], [975.52826], 0, 1e-7);
  });
  await t.test("WarmupCosineDecayTest.test_limits", () => {
    for (const [initValue, peakValue, endValue] of [[10, 0.5, 1e-4], [5, 3, 0.0]] as const) {
      const s = warmupCosineDecaySchedule({
        initValue,
        peakValue,
        warmupSteps: 100,
        decaySteps: 1000,
        endValue,
      });
      allclose([s(0), s(100)], [initValue, peakValue], 0, 1e-7);
      allclose([s(1000)], [endValue], 0, 1e-3);
    }
  });
  await t.test("WarmupCosineDecayTest.test_with_exponent: optax's float32 values, exactly", () => {
    const s = warmupCosineDecaySchedule({
      initValue: 0.2,
      peakValue: 1.21,
      endValue: -3.0,
      warmupSteps: 50,
      decaySteps: 100,
      exponent: 2n,
    });
    assert.deepEqual(values(s, [0, 10, 50, 75, 100]), [
      0.20000004768371582,
      0.4020000100135803,
      1.2100000381469727,
      -1.947500228881836,
      -3.000000238418579,
    ]);
  });
  await t.test("WarmupCosineDecayTest.test_zero_peak_value", () => {
    const s = warmupCosineDecaySchedule({
      initValue: 0.2,
      peakValue: 0,
      endValue: -3.0,
      warmupSteps: 50,
      decaySteps: 100,
      exponent: 2n,
    });
    allclose(values(s, [0, 10, 50, 75, 100]), [0.2, 0.16, 0, 0, 0], 1e-8, 1e-6);
  });
  await t.test("WarmupCosineDecayTest.test_monotonicity_and_exponent_ordering", () => {
    const make = (exponent: number) =>
      warmupCosineDecaySchedule({
        initValue: 0,
        peakValue: 1,
        warmupSteps: 5,
        decaySteps: 25,
        endValue: 0.1,
        exponent,
      });
    const vals = values(make(1.0), range(26));
    const vals2 = values(make(2.0), range(26));
    for (let t = 0; t < 5; t++) assert.ok(vals[t]! < vals[t + 1]!, "warmup increases");
    assert.ok(Math.abs(vals[5]! - 1) < 5e-7, "peak at boundary");
    for (let t = 5; t < 25; t++) assert.ok(vals[t]! >= vals[t + 1]!, "cosine decay nonincreasing");
    assert.ok(Math.abs(vals[25]! - 0.1) < 5e-7, "end value");
    for (let t = 5; t <= 25; t++) assert.ok(vals2[t]! <= vals[t]! + 1e-12, "p=2 ≤ p=1");
  });
  await t.test("WarmupCosineDecayTest.test_raises_when_decay_equals_warmup", () => {
    assert.throws(
      () =>
        warmupCosineDecaySchedule({
          initValue: 0.2,
          peakValue: 1.2,
          warmupSteps: 10,
          decaySteps: 10,
          endValue: 0,
        }),
      { name: "RangeError", message: /requires positive decay_steps, got decay_steps=0/ },
    );
  });
  await t.test("SGDRTest.test_limits", () => {
    for (const [lr0, lr1, lr2] of [[1.6, 0.8, 0.4], [1.6, 1.6, 1.6]] as const) {
      const s = sgdrSchedule({
        cosineKwargs: [[2e3, lr0], [3e3, lr1], [5e3, lr2]].map(([decaySteps, peakValue]) => ({
          decaySteps: decaySteps!,
          peakValue: peakValue!,
          initValue: 0,
          endValue: 0.0,
          warmupSteps: 500,
        })),
      });
      allclose([s(500), s(2500), s(5500)], [lr0, lr1, lr2], 0, 1e-7);
    }
  });
  await t.test("PiecewiseInterpolateTest.test_linear_piecewise", () => {
    const s = piecewiseInterpolateSchedule({
      interpolateType: "linear",
      initValue: 200,
      boundariesAndScales: { 5: 1.5, 10: 0.25 },
    });
    const expected = [200, 220, 240, 260, 280, 300, 255, 210, 165, 120, 75, 75, 75];
    allclose(values(s, range(13)), expected);
  });
  await t.test("PiecewiseInterpolateTest.test_cos_piecewise", () => {
    const s = piecewiseInterpolateSchedule({
      interpolateType: "cosine",
      initValue: 400,
      boundariesAndScales: { 5: 1.2, 3: 0.6, 7: 1.0 },
    });
    allclose(values(s, range(9)), [400, 360, 280, 240, 264, 288, 288, 288, 288]);
  });
  await t.test("PiecewiseInterpolateTest.test_empty_dict / test_no_dict", () => {
    const empty = piecewiseInterpolateSchedule({
      interpolateType: "linear",
      initValue: 13,
      boundariesAndScales: {},
    });
    allclose(values(empty, range(5)), [13, 13, 13, 13, 13]);
    const none = piecewiseInterpolateSchedule({ interpolateType: "cosine", initValue: 17 });
    allclose(values(none, range(3)), [17, 17, 17]);
  });
  await t.test("PiecewiseInterpolateTest.test_invalid_type / test_invalid_scale", () => {
    for (const interpolateType of ["linar", "", null]) {
      assert.throws(
        () => piecewiseInterpolateSchedule({ interpolateType, initValue: 13 } as never),
        /interpolateType/,
      );
    }
    assert.throws(
      () =>
        piecewiseInterpolateSchedule({
          interpolateType: "linear",
          initValue: 13,
          boundariesAndScales: { 5: -3 },
        }),
      { name: "RangeError", message: /expects non-negative scale factors/ },
    );
  });
  await t.test("PiecewiseInterpolateTest.test_zero_interval_size", () => {
    const s = piecewiseInterpolateSchedule({
      interpolateType: "linear",
      initValue: 13,
      boundariesAndScales: { 0: 2.0, 5: 3.0 },
    });
    assert.ok(range(6).every((c) => Number.isFinite(s(c))));
    assert.equal(s(0), 26);
    assert.equal(s(5), 78);
  });
  await t.test("OneCycleTest.test_linear", () => {
    const s = linearOnecycleSchedule({
      transitionSteps: 10,
      peakValue: 1000,
      pctStart: 0.3,
      pctFinal: 0.7,
      divFactor: 10,
      finalDivFactor: 100,
    });
    const expected = [100, 400, 700, 1000, 775, 550, 325, 100, 67, 34, 1, 1];
    allclose(values(s, range(12)), expected);
  });
  await t.test("OneCycleTest.test_cosine", () => {
    const s = cosineOnecycleSchedule({
      transitionSteps: 5,
      peakValue: 1000,
      pctStart: 0.4,
      divFactor: 10,
      finalDivFactor: 100,
    });
    allclose(values(s, range(7)), [100, 550, 1000, 750.25, 250.75, 1, 1], 1e-3, 1e-7);
  });
  await t.test("OneCycleTest.test_nonpositive_transition_steps", () => {
    assert.throws(() => cosineOnecycleSchedule({ transitionSteps: 0, peakValue: 5 }), RangeError);
    assert.throws(() => linearOnecycleSchedule({ transitionSteps: 0, peakValue: 5 }), RangeError);
  });
});

// ------------------------------------------------------------------------------------------------
// Options, defaults and branches, one by one

test("dtype", async (t) => {
  await t.test("default is float32: every value of every schedule is a float32", () => {
    const schedules: Schedule[] = [
      linearSchedule({ initValue: 0.1, endValue: 0.01, transitionSteps: 77 }),
      polynomialSchedule({ initValue: 0.1, endValue: 0.01, power: 0.9, transitionSteps: 77 }),
      exponentialDecay({ initValue: 0.1, transitionSteps: 7, decayRate: 0.93 }),
      cosineDecaySchedule({ initValue: 0.1, decaySteps: 77, alpha: 0.03 }),
      piecewiseConstantSchedule({ initValue: 0.1, boundariesAndScales: { 20: 0.3, 50: 0.3 } }),
      piecewiseInterpolateSchedule({
        interpolateType: "cosine",
        initValue: 0.1,
        boundariesAndScales: { 20: 0.3, 50: 0.7 },
      }),
      linearOnecycleSchedule({ transitionSteps: 77, peakValue: 0.1 }),
      cosineOnecycleSchedule({ transitionSteps: 77, peakValue: 0.1 }),
      warmupConstantSchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 7 }),
      warmupCosineDecaySchedule({ initValue: 0, peakValue: 0.1, warmupSteps: 7, decaySteps: 77 }),
      warmupExponentialDecaySchedule({
        initValue: 0,
        peakValue: 0.1,
        warmupSteps: 7,
        transitionSteps: 9,
        decayRate: 0.9,
      }),
      sgdrSchedule({
        cosineKwargs: [{ initValue: 0, peakValue: 0.1, warmupSteps: 3, decaySteps: 40 }],
      }),
    ];
    for (const s of schedules) assertFloat32(s, range(100));
  });
  await t.test("float64 is the jax_enable_x64 arithmetic: plain doubles", () => {
    const s = linearSchedule({
      initValue: 0.1,
      endValue: 0.01,
      transitionSteps: 77,
      dtype: "float64",
    });
    assert.equal(s(30), (0.1 - 0.01) * (1 - 30 / 77) + 0.01);
    const f32 = linearSchedule({ initValue: 0.1, endValue: 0.01, transitionSteps: 77 });
    assert.equal(f32(30), f(f(f(0.1 - 0.01) * f(1 - f(30 / 77))) + f(0.01)));
    assert.notEqual(s(30), f32(30));
  });
  await t.test("an unknown dtype is a RangeError", () => {
    assert.throws(
      () =>
        linearSchedule({
          initValue: 1,
          endValue: 0,
          transitionSteps: 1,
          dtype: "bfloat16" as never,
        }),
      { name: "RangeError", message: /`dtype` must be one of "float32", "float64"/ },
    );
  });
});

test("the step count", async (t) => {
  const s32 = linearSchedule({
    initValue: 1,
    endValue: 0,
    transitionSteps: 10,
    transitionBegin: 5,
  });
  const s64 = linearSchedule({
    initValue: 1,
    endValue: 0,
    transitionSteps: 10,
    transitionBegin: 5,
    dtype: "float64",
  });
  await t.test("must be an integer", () => {
    assert.throws(() => s32(1.5), { name: "RangeError", message: /linearSchedule: `count`/ });
    assert.throws(() => s32(NaN), RangeError);
    assert.throws(() => s32("3" as never), TypeError);
  });
  await t.test("float32: within int32, and integer arithmetic wraps around like XLA's", () => {
    assert.throws(() => s32(2 ** 31), RangeError);
    assert.equal(s32(2 ** 31 - 1), 0);
    // -2^31 - 5 wraps to 2^31 - 5: past the transition.
    assert.equal(s32(-(2 ** 31)), 0);
    assert.equal(s64(-(2 ** 31)), 1);
  });
  await t.test("float64: any safe integer", () => {
    assert.equal(s64(2 ** 40), 0);
    assert.throws(() => s64(2 ** 53), RangeError);
  });
});

test("constantSchedule", async (t) => {
  await t.test("returns the value itself, not a float32, in either dtype", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const s = constantSchedule({ value: 0.1, dtype });
      assert.equal(s(0), 0.1);
      assert.equal(s(-7), 0.1);
    }
  });
  await t.test("validation", () => {
    assert.throws(() => constantSchedule({ value: Infinity }), RangeError);
    assert.throws(() => constantSchedule({ value: "1" as never }), TypeError);
    assert.throws(() => constantSchedule({ valu: 1 } as never), /unknown option `valu`/);
  });
});

test("polynomialSchedule", async (t) => {
  const base = { initValue: 0.1, endValue: 0.01, transitionSteps: 81 };
  await t.test("transitionSteps <= 0: the initValue itself at every step", () => {
    for (const transitionSteps of [0, -3]) {
      const s = polynomialSchedule({ ...base, power: 2, transitionSteps });
      assert.deepEqual(values(s, [-5, 0, 1000]), [0.1, 0.1, 0.1]);
    }
  });
  await t.test("transitionBegin: default 0, negative counts as 0, holds the start value", () => {
    const omitted = polynomialSchedule({ ...base, power: 2n });
    const zero = polynomialSchedule({ ...base, power: 2n, transitionBegin: 0 });
    const negative = polynomialSchedule({ ...base, power: 2n, transitionBegin: -10 });
    assert.deepEqual(values(omitted, range(90)), values(zero, range(90)));
    assert.deepEqual(values(negative, range(90)), values(zero, range(90)));
    const begin = polynomialSchedule({ ...base, power: 2n, transitionBegin: 10 });
    assert.deepEqual(values(begin, range(11)), range(11).map(() => zero(0)));
    assert.equal(begin(10 + 19), zero(19));
  });
  await t.test("end of the transition: endValue", () => {
    const s = polynomialSchedule({ ...base, power: 2n });
    assert.equal(s(81), f(0.01));
    assert.equal(s(10_000), f(0.01));
  });
  await t.test("power: a bigint is lax.integer_pow, a number libm's powf", () => {
    const int = polynomialSchedule({ initValue: 1, endValue: 0, transitionSteps: 81, power: 2n });
    const float = polynomialSchedule({ initValue: 1, endValue: 0, transitionSteps: 81, power: 2 });
    const frac = f(1 - f(19 / 81));
    assert.equal(int(19), f(frac * frac));
    assert.equal(float(19), powf(frac, 2));
    assert.notEqual(int(19), float(19), "x*x and powf(x, 2) differ here");
    const cube = polynomialSchedule({ initValue: 1, endValue: 0, transitionSteps: 11, power: 3n });
    const x = f(1 - f(1 / 11));
    assert.equal(cube(1), f(f(x * x) * x));
    assert.equal(
      polynomialSchedule({ initValue: 1, endValue: 0, transitionSteps: 11, power: -1n })(1),
      f(1 / x),
    );
    assert.equal(
      polynomialSchedule({ initValue: 1, endValue: 0, transitionSteps: 11, power: 0n })(1),
      1,
    );
  });
  await t.test("a negative power at the end of the transition: optax's inf is a RangeError", () => {
    const s = polynomialSchedule({ ...base, power: -0.5 });
    assert.ok(Number.isFinite(s(80)));
    assert.throws(() => s(81), { name: "RangeError", message: /non-finite/ });
  });
  await t.test("validation", () => {
    assert.throws(() => polynomialSchedule({ ...base, power: "2" as never }), TypeError);
    assert.throws(() => polynomialSchedule({ ...base, power: NaN }), RangeError);
    assert.throws(() => polynomialSchedule({ ...base, power: 2n ** 60n }), RangeError);
    assert.throws(
      () => polynomialSchedule({ ...base, power: 1, transitionSteps: 2.5 }),
      RangeError,
    );
    assert.throws(
      () => polynomialSchedule({ ...base, power: 1, transitionSteps: 2 ** 31 }),
      { name: "RangeError", message: /within int32/ },
    );
    assert.doesNotThrow(() =>
      polynomialSchedule({ ...base, power: 1, transitionSteps: 2 ** 31, dtype: "float64" })
    );
    assert.throws(
      () => polynomialSchedule({ ...base, power: 1, transition_steps: 3 } as never),
      /did you mean `transitionSteps`/,
    );
  });
});

test("linearSchedule", async (t) => {
  await t.test("is polynomialSchedule with the Python int power 1", () => {
    const a = linearSchedule({
      initValue: 0.3,
      endValue: 0.7,
      transitionSteps: 13,
      transitionBegin: 2,
    });
    const b = polynomialSchedule({
      initValue: 0.3,
      endValue: 0.7,
      transitionSteps: 13,
      transitionBegin: 2,
      power: 1n,
    });
    assert.deepEqual(values(a, range(20)), values(b, range(20)));
  });
  await t.test("transitionBegin defaults to 0; transitionSteps <= 0 is a constant", () => {
    const a = linearSchedule({ initValue: 0.3, endValue: 0.7, transitionSteps: 13 });
    assert.equal(a(0), f(f(0.3 - 0.7) + f(0.7)), "(init − end)·1 + end, in float32");
    assert.equal(a(13), f(0.7));
    assert.equal(linearSchedule({ initValue: 0.3, endValue: 0.7, transitionSteps: 0 })(5), 0.3);
  });
});

test("piecewiseConstantSchedule", async (t) => {
  await t.test("no boundaries (absent, null, {}): the initValue itself", () => {
    for (const boundariesAndScales of [undefined, null, {}]) {
      const s = piecewiseConstantSchedule({
        initValue: 0.1,
        ...(boundariesAndScales === undefined ? {} : { boundariesAndScales }),
      });
      assert.equal(s(0), 0.1);
      assert.equal(s(10 ** 6), 0.1);
    }
  });
  await t.test("a scale applies from its step on, in step order, each product rounded", () => {
    const s = piecewiseConstantSchedule({
      initValue: 0.1,
      boundariesAndScales: { 6: 0.5, 3: 2.0 }, // given out of order
    });
    assert.deepEqual(values(s, [0, 2, 3, 5, 6, 100]), [
      f(0.1),
      f(0.1),
      f(f(0.1) * 2),
      f(f(0.1) * 2),
      f(f(f(0.1) * 2) * 0.5),
      f(f(f(0.1) * 2) * 0.5),
    ]);
    const x64 = piecewiseConstantSchedule({
      initValue: 0.1,
      boundariesAndScales: { 6: 0.5, 3: 2.0 },
      dtype: "float64",
    });
    assert.deepEqual(values(x64, [0, 3, 6]), [0.1, 0.2, 0.1]);
  });
  await t.test("negative steps and a zero scale", () => {
    const s = piecewiseConstantSchedule({
      initValue: 0.5,
      boundariesAndScales: { [-5]: 3, 10: 0 },
      dtype: "float64",
    });
    assert.deepEqual(values(s, [-6, -5, 9, 10]), [0.5, 1.5, 1.5, 0]);
  });
  await t.test("a negative scale is optax's ValueError", () => {
    assert.throws(
      () => piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { 5: -0.1 } }),
      { name: "RangeError", message: /expects non-negative scale factors/ },
    );
  });
  await t.test("keys must be integer steps", () => {
    for (const key of ["1.5", "1e3", "x", " 3"]) {
      assert.throws(
        () => piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { [key]: 0.5 } }),
        RangeError,
      );
    }
    assert.throws(
      () => piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: [0.5] as never }),
      TypeError,
    );
    assert.throws(
      () => piecewiseConstantSchedule({ initValue: 1, boundariesAndScales: { [2 ** 31]: 0.5 } }),
      /within int32/,
    );
  });
});

test("exponentialDecay", async (t) => {
  const base = { initValue: 0.1, transitionSteps: 7, decayRate: 0.5 };
  await t.test("defaults: transitionBegin 0, staircase false, no endValue", () => {
    const omitted = exponentialDecay(base);
    const explicit = exponentialDecay({
      ...base,
      transitionBegin: 0,
      staircase: false,
      endValue: null,
    });
    assert.deepEqual(values(omitted, range(200)), values(explicit, range(200)));
    assert.equal(omitted(0), f(0.1));
    assert.equal(omitted(3), f(f(0.1) * powf(0.5, f(3 / 7))), "continuous decay");
    assert.ok(omitted(199) < 1e-9, "no lower bound");
  });
  await t.test("degenerate: transitionSteps <= 0 or decayRate == 0 give the initValue itself", () => {
    assert.equal(exponentialDecay({ ...base, transitionSteps: 0 })(50), 0.1);
    assert.equal(exponentialDecay({ ...base, transitionSteps: -1 })(50), 0.1);
    assert.equal(exponentialDecay({ ...base, decayRate: 0 })(50), 0.1);
    assert.equal(exponentialDecay({ ...base, decayRate: -0 })(50), 0.1);
  });
  await t.test("staircase: the exponent is floored", () => {
    const s = exponentialDecay({ ...base, staircase: true });
    assert.deepEqual(values(s, [0, 6, 7, 13, 14]), [
      f(0.1),
      f(f(0.1) * 1),
      f(f(0.1) * 0.5),
      f(f(0.1) * 0.5),
      f(f(0.1) * 0.25),
    ]);
  });
  await t.test("transitionBegin: the initValue (as float32) up to it; negative counts as 0", () => {
    const s = exponentialDecay({ ...base, transitionBegin: 10 });
    assert.deepEqual(values(s, [0, 5, 10]), [f(0.1), f(0.1), f(0.1)]);
    assert.equal(s(13), exponentialDecay(base)(3));
    const negative = exponentialDecay({ ...base, transitionBegin: -4 });
    assert.deepEqual(values(negative, range(30)), values(exponentialDecay(base), range(30)));
  });
  await t.test("endValue: a lower bound when decayRate < 1", () => {
    const s = exponentialDecay({ ...base, endValue: 0.01 });
    assert.equal(s(1000), f(0.01));
    assert.equal(s(7), f(0.05));
  });
  await t.test("endValue: an upper bound when decayRate >= 1", () => {
    const s = exponentialDecay({ ...base, decayRate: 2, endValue: 0.35 });
    assert.equal(s(7), f(0.2));
    assert.equal(s(14), f(0.35));
    assert.equal(s(1000), f(0.35));
    const one = exponentialDecay({ ...base, decayRate: 1, endValue: 0.05 });
    assert.equal(one(100), f(0.05), "decayRate 1 is >= 1: an upper bound");
  });
  await t.test("a negative decayRate: NaN in optax (a RangeError), but fine staircased", () => {
    const s = exponentialDecay({ ...base, decayRate: -0.5 });
    assert.throws(() => s(3), { name: "RangeError", message: /count=3 is NaN/ });
    const stairs = exponentialDecay({ ...base, decayRate: -0.5, staircase: true });
    assert.deepEqual(values(stairs, [7, 14]), [f(-0.05), f(0.025)]);
  });
  await t.test("float64", () => {
    const s = exponentialDecay({ ...base, dtype: "float64" });
    assert.equal(s(0), 0.1);
    assert.equal(s(7), 0.1 * 0.5 ** 1);
  });
  await t.test("validation", () => {
    assert.throws(() => exponentialDecay({ ...base, staircase: 1 as never }), TypeError);
    assert.throws(() => exponentialDecay({ ...base, endValue: NaN }), RangeError);
    assert.throws(() => exponentialDecay({ ...base, decayRate: Infinity }), RangeError);
  });
});

test("cosineDecaySchedule", async (t) => {
  await t.test("defaults: alpha 0.0, exponent 1.0 (a Python float)", () => {
    const omitted = cosineDecaySchedule({ initValue: 0.1, decaySteps: 37 });
    const explicit = cosineDecaySchedule({ initValue: 0.1, decaySteps: 37, alpha: 0, exponent: 1 });
    assert.deepEqual(values(omitted, range(50)), values(explicit, range(50)));
    assert.equal(omitted(37), 0, "alpha 0: ends at 0");
    const c = f(0.5 * f(1 + cosf(f(f(f(Math.PI) * 5) / 37))));
    assert.equal(omitted(5), f(f(0.1) * f(f(1 * powf(c, 1)) + 0)));
  });
  await t.test("alpha: the value ends at alpha · initValue and stays", () => {
    const s = cosineDecaySchedule({ initValue: 0.1, decaySteps: 37, alpha: 0.25 });
    assert.equal(s(37), f(f(0.1) * 0.25));
    assert.equal(s(10_000), s(37));
  });
  await t.test("exponent: a bigint is integer_pow, a number powf", () => {
    const int = cosineDecaySchedule({ initValue: 1, decaySteps: 37, exponent: 2n });
    const float = cosineDecaySchedule({ initValue: 1, decaySteps: 37, exponent: 2 });
    const c = f(0.5 * f(1 + cosf(f(f(f(Math.PI) * 5) / 37))));
    assert.equal(int(5), f(c * c));
    assert.equal(float(5), f(powf(c, 2)));
  });
  await t.test("decaySteps must be a positive integer (optax's ValueError)", () => {
    for (const decaySteps of [0, -1]) {
      assert.throws(
        () => cosineDecaySchedule({ initValue: 1, decaySteps }),
        { name: "RangeError", message: /requires positive decay_steps/ },
      );
    }
    assert.throws(() => cosineDecaySchedule({ initValue: 1, decaySteps: 1.5 }), RangeError);
  });
  await t.test("decaySteps beyond int32 is fine: optax makes it a Python float", () => {
    assert.doesNotThrow(() => cosineDecaySchedule({ initValue: 1, decaySteps: 2 ** 40 }));
  });
});

test("piecewiseInterpolateSchedule", async (t) => {
  await t.test("no boundaries: the initValue as an array of the dtype, and 0 before step 0", () => {
    const s = piecewiseInterpolateSchedule({ interpolateType: "linear", initValue: 0.1 });
    assert.equal(s(0), f(0.1));
    assert.equal(s(1000), f(0.1));
    assert.equal(s(-1), 0);
  });
  await t.test("linear and cosine between accumulated values", () => {
    const linear = piecewiseInterpolateSchedule({
      interpolateType: "linear",
      initValue: 1,
      boundariesAndScales: { 4: 0.1, 8: 0.01 },
      dtype: "float64",
    });
    assert.deepEqual(values(linear, [0, 2, 4, 6, 8, 10]), [1, 0.55, 0.1, 0.0505, 0.001, 0.001]);
    const cosine = piecewiseInterpolateSchedule({
      interpolateType: "cosine",
      initValue: 1,
      boundariesAndScales: { 4: 0.1 },
      dtype: "float64",
    });
    assert.equal(cosine(2), 0.1 + (1 - 0.1) / 2 * (Math.cos(Math.PI * 0.5) + 1));
  });
  await t.test("a negative first boundary leaves an empty interval", () => {
    const s = piecewiseInterpolateSchedule({
      interpolateType: "linear",
      initValue: 2,
      boundariesAndScales: { [-4]: 0.5, 4: 2 },
      dtype: "float64",
    });
    // bounds [0, -4, 4]: [0, -4) is empty; [-4, 4) goes from 1 to 2.
    assert.deepEqual(values(s, [-5, -4, 0, 4]), [0, 1, 1.5, 2]);
  });
});

test("linearOnecycleSchedule and cosineOnecycleSchedule", async (t) => {
  await t.test("defaults: pctStart 0.3, pctFinal 0.85, divFactor 25, finalDivFactor 1e4", () => {
    const omitted = linearOnecycleSchedule({
      transitionSteps: 100,
      peakValue: 1,
      dtype: "float64",
    });
    const explicit = linearOnecycleSchedule({
      transitionSteps: 100,
      peakValue: 1,
      pctStart: 0.3,
      pctFinal: 0.85,
      divFactor: 25,
      finalDivFactor: 1e4,
      dtype: "float64",
    });
    assert.deepEqual(values(omitted, range(110)), values(explicit, range(110)));
    assert.deepEqual(values(omitted, [0, 30, 85]), [1 / 25, 1 / 25 * 25, 1 / 25 * 25 * (1 / 25)]);
    assert.equal(omitted(100), 1 / 25 * 25 * (1 / 25) * (1 / 1e4));
    const cosine = cosineOnecycleSchedule({ transitionSteps: 100, peakValue: 1, dtype: "float64" });
    const cosineExplicit = cosineOnecycleSchedule({
      transitionSteps: 100,
      peakValue: 1,
      pctStart: 0.3,
      divFactor: 25,
      finalDivFactor: 1e4,
      dtype: "float64",
    });
    assert.deepEqual(values(cosine, range(110)), values(cosineExplicit, range(110)));
    // end + (start − end) / 2 · (cos(0) + 1): not exactly start.
    assert.deepEqual(values(cosine, [0, 30, 100]), [
      1 + (1 / 25 - 1) / 2 * 2,
      1,
      1 / 25 * 25 * (1 / (25 * 1e4)),
    ]);
  });
  await t.test("coinciding steps keep the last scale (a Python dict literal)", () => {
    // pctStart·10 and pctFinal·10 are both step 3: {3: divFactor, 3: 1/divFactor, 10: …}.
    const s = linearOnecycleSchedule({
      transitionSteps: 10,
      peakValue: 1,
      pctStart: 0.3,
      pctFinal: 0.35,
      dtype: "float64",
    });
    assert.equal(s(3), 1 / 25 * (1 / 25));
  });
  await t.test("zero divisors are optax's ZeroDivisionError", () => {
    assert.throws(
      () => linearOnecycleSchedule({ transitionSteps: 10, peakValue: 1, divFactor: 0 }),
      /divides by zero/,
    );
    assert.throws(
      () => linearOnecycleSchedule({ transitionSteps: 10, peakValue: 1, finalDivFactor: 0 }),
      /divides by zero/,
    );
    assert.throws(
      () => cosineOnecycleSchedule({ transitionSteps: 10, peakValue: 1, finalDivFactor: 0 }),
      /divides by zero/,
    );
  });
  await t.test("a negative divFactor is a negative scale (optax's ValueError)", () => {
    assert.throws(
      () => cosineOnecycleSchedule({ transitionSteps: 10, peakValue: 1, divFactor: -2 }),
      /expects non-negative scale factors/,
    );
  });
});

test("warmupConstantSchedule", async (t) => {
  await t.test("linear warmup to peakValue, then constant", () => {
    const s = warmupConstantSchedule({ initValue: 0.0, peakValue: 0.3, warmupSteps: 10 });
    assert.equal(s(0), 0);
    assert.equal(s(10), f(0.3));
    assert.equal(s(10 ** 6), f(0.3));
    assert.deepEqual(
      values(s, range(12)),
      values(linearSchedule({ initValue: 0, endValue: 0.3, transitionSteps: 10 }), range(12)),
    );
  });
  await t.test("warmupSteps 0: optax's linear_schedule is a constant at initValue (not peak)", () => {
    const s = warmupConstantSchedule({ initValue: 0.01, peakValue: 0.3, warmupSteps: 0 });
    assert.equal(s(0), 0.01);
    assert.equal(s(1000), 0.01);
  });
});

test("warmupCosineDecaySchedule", async (t) => {
  const base = { initValue: 0.0, peakValue: 0.5, warmupSteps: 10, decaySteps: 60 };
  await t.test("defaults: endValue 0.0, exponent 1.0", () => {
    const omitted = warmupCosineDecaySchedule(base);
    const explicit = warmupCosineDecaySchedule({ ...base, endValue: 0.0, exponent: 1.0 });
    assert.deepEqual(values(omitted, range(70)), values(explicit, range(70)));
    assert.equal(omitted(60), 0);
  });
  await t.test("the linear warmup, then the cosine decay at count − warmupSteps", () => {
    const s = warmupCosineDecaySchedule({ ...base, endValue: 0.05 });
    const warmup = linearSchedule({ initValue: 0, endValue: 0.5, transitionSteps: 10 });
    const decay = cosineDecaySchedule({ initValue: 0.5, decaySteps: 50, alpha: 0.05 / 0.5 });
    assert.deepEqual(values(s, range(10)), values(warmup, range(10)));
    assert.deepEqual(values(s, range(70, 10)), values(decay, range(60)));
  });
  await t.test("peakValue 0: alpha 0 (no division by zero)", () => {
    const s = warmupCosineDecaySchedule({ ...base, peakValue: 0, endValue: 1 });
    assert.equal(s(60), 0);
  });
  await t.test("warmupSteps 0: the constant initValue never shows; the decay starts at once", () => {
    const s = warmupCosineDecaySchedule({ ...base, initValue: 0.01, warmupSteps: 0 });
    assert.equal(s(0), f(0.5));
    assert.equal(s(-1), f(0.01), "before the boundary: jnp.where's float32 of the constant");
  });
  await t.test("decaySteps <= warmupSteps is optax's ValueError", () => {
    assert.throws(() => warmupCosineDecaySchedule({ ...base, decaySteps: 9 }), RangeError);
  });
});

test("warmupExponentialDecaySchedule", async (t) => {
  const base = {
    initValue: 0.0,
    peakValue: 0.5,
    warmupSteps: 10,
    transitionSteps: 5,
    decayRate: 0.5,
  };
  await t.test("defaults: transitionBegin 0, staircase false, no endValue", () => {
    const omitted = warmupExponentialDecaySchedule(base);
    const explicit = warmupExponentialDecaySchedule({
      ...base,
      transitionBegin: 0,
      staircase: false,
      endValue: null,
    });
    assert.deepEqual(values(omitted, range(100)), values(explicit, range(100)));
  });
  await t.test("the linear warmup, then the decay at count − warmupSteps", () => {
    const s = warmupExponentialDecaySchedule({
      ...base,
      transitionBegin: 3,
      staircase: true,
      endValue: 0.1,
    });
    const decay = exponentialDecay({
      initValue: 0.5,
      transitionSteps: 5,
      decayRate: 0.5,
      transitionBegin: 3,
      staircase: true,
      endValue: 0.1,
    });
    assert.equal(s(5), f(0.25));
    assert.deepEqual(values(s, range(80, 10)), values(decay, range(70)));
  });
});

test("sgdrSchedule", async (t) => {
  const cycle = (decaySteps: number, peakValue: number) => ({
    initValue: 0,
    peakValue,
    warmupSteps: 2,
    decaySteps,
  });
  await t.test("restarts: each cycle starts over at its own boundary", () => {
    const s = sgdrSchedule({ cosineKwargs: [cycle(10, 1), cycle(20, 0.5), cycle(5, 0.25)] });
    const c0 = warmupCosineDecaySchedule(cycle(10, 1));
    const c1 = warmupCosineDecaySchedule(cycle(20, 0.5));
    const c2 = warmupCosineDecaySchedule(cycle(5, 0.25));
    assert.deepEqual(values(s, range(10)), values(c0, range(10)));
    assert.deepEqual(values(s, range(30, 10)), values(c1, range(20)));
    assert.deepEqual(values(s, range(40, 30)), values(c2, range(10)), "the last cycle runs on");
    assert.deepEqual(values(s, [10, 30]), [0, 0], "a restart begins at initValue");
  });
  await t.test("one cycle is warmupCosineDecaySchedule", () => {
    const s = sgdrSchedule({ cosineKwargs: [cycle(10, 1)], dtype: "float64" });
    const w = warmupCosineDecaySchedule({ ...cycle(10, 1), dtype: "float64" });
    assert.deepEqual(values(s, range(15)), values(w, range(15)));
  });
  await t.test("validation names the cycle", () => {
    assert.throws(() => sgdrSchedule({ cosineKwargs: [] }), /must not be empty/);
    assert.throws(
      () => sgdrSchedule({ cosineKwargs: [cycle(10, 1), { ...cycle(10, 1), peakValue: NaN }] }),
      /cosineKwargs\[1\]\.peakValue/,
    );
    assert.throws(
      () => sgdrSchedule({ cosineKwargs: [{ ...cycle(10, 1), decay_steps: 3 } as never] }),
      /cosineKwargs\[0\]: unknown option `decay_steps`/,
    );
    assert.throws(() => sgdrSchedule({ cosineKwargs: {} as never }), TypeError);
  });
});
