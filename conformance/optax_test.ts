import { test } from "node:test";
import assert from "node:assert/strict";
import { formatReport, runConformance } from "./report.ts";
import { formatFloat32, formatJit, measureFloat32, measureJit, ulpDistanceF32 } from "./optax.ts";

// Every function of optax.schedules but inject_hyperparams; constant_schedule's cases are short.
const FUNCTIONS = [
  "polynomial_schedule",
  "linear_schedule",
  "cosine_decay_schedule",
  "warmup_cosine_decay_schedule",
  "exponential_decay",
  "piecewise_constant_schedule",
  "warmup_exponential_decay_schedule",
  "cosine_onecycle_schedule",
  "linear_onecycle_schedule",
  "piecewise_interpolate_schedule",
  "warmup_constant_schedule",
  "sgdr_schedule",
  "join_schedules",
  "constant_schedule",
];

// bun's node:test ignores bunfig's timeout and stops a test after 5 s unless told otherwise.
const SLOW = { timeout: 120_000 };

test("the optax suite: float64 exact or a proven libm difference, float32 exact", SLOW, () => {
  const report = runConformance({ suites: ["optax"] });
  assert.ok(report.ok, formatReport(report));
  const groups = report.groups.optax!;
  for (const fn of FUNCTIONS) {
    const f64 = groups.find((g) => g.suite === `${fn} (float64)`);
    const f32 = groups.find((g) => g.suite === `${fn} (float32)`);
    const least = fn === "constant_schedule" ? 250 : 3000;
    assert.ok(f64 && f64.values > least, `${fn}: float64 values compared`);
    assert.ok(f32 && f32.values === f64.values, `${fn}: float32 values compared`);
    assert.equal(f32.exact, f32.values, `${fn}: every float32 value is bit-identical`);
    assert.equal(f32.libmDiffs, 0, `${fn}: float32 needs no oracle`);
    assert.equal(f64.failures, 0);
  }
  const libmFree = [
    "linear_schedule",
    "piecewise_constant_schedule",
    "linear_onecycle_schedule",
    "warmup_constant_schedule",
    "constant_schedule",
  ];
  for (const fn of libmFree) {
    const g = groups.find((g) => g.suite === `${fn} (float64)`)!;
    assert.equal(g.exact, g.values, `${fn}: no libm, so float64 is exact on every runtime`);
  }
});

test("float32: XLA's cos/pow are glibc's cosf/powf, not the correctly rounded ones", SLOW, () => {
  const m = measureFloat32();
  console.log(formatFloat32(m));
  const cos = m.libm.find((s) => s.op === "cosf")!;
  const pow = m.libm.find((s) => s.op === "powf")!;
  // lrspec's cosf/powf equal glibc's everywhere the suite (and the sample) goes.
  assert.equal(cos.lrspecDiffers + cos.sample.lrspecDiffers, 0);
  assert.equal(pow.lrspecDiffers + pow.sample.lrspecDiffers, 0);
  // glibc's cosf/powf are not correctly rounded everywhere (in the suite: 126 of 10,646 cosf and
  // 19 of 15,687 powf arguments, by 1 float32 ULP; the README's table), and the values show it: a
  // correctly rounded float32 libm would change some of them (73, by up to 5 ULPs).
  assert.ok(cos.glibcNotCorrectlyRounded > 0 && cos.maxUlp >= 1);
  assert.ok(pow.calls > 0);
  for (const e of m.functions) assert.equal(e.exact, e.values, `${e.fn}: float32 exact`);
  const changed = m.functions.reduce((n, e) => n + e.correctlyRoundedDiffers, 0);
  assert.ok(changed > 0, "the suite tells XLA's libm from a correctly rounded one");
  for (
    const fn of [
      "linear_schedule",
      "piecewise_constant_schedule",
      "linear_onecycle_schedule",
      "warmup_constant_schedule",
      "constant_schedule",
    ]
  ) {
    const e = m.functions.find((e) => e.fn === fn);
    if (e) assert.equal(e.correctlyRoundedDiffers, 0, `${fn} calls no libm function`);
  }
});

test("jax.jit against eager: measured for every function and dtype", SLOW, () => {
  const effects = measureJit();
  console.log(formatJit(effects));
  for (const fn of FUNCTIONS) {
    for (const dtype of ["float64", "float32"]) {
      const e = effects.find((x) => x.fn === fn && x.dtype === dtype);
      assert.ok(e && e.values > 250, `${fn} (${dtype}): jitted values compared`);
      assert.ok(e.differs <= e.values);
    }
  }
  // The finding the README reports: with jax_enable_x64, a schedule jitted on an int32 step (an
  // optimizer's count) computes in float32 wherever the step enters its arithmetic ...
  const linear64 = effects.find((e) => e.fn === "linear_schedule" && e.dtype === "float64")!;
  assert.ok(linear64.differs > 0 && linear64.float32Valued === linear64.differs);
  // ... and in float32, jit's rewrites (x / c as x · (1/c), …) move values, not only by an ULP.
  const f32 = effects.filter((e) => e.dtype === "float32");
  assert.ok(f32.reduce((n, e) => n + e.differs - e.passthrough, 0) > 0);
  assert.ok(f32.some((e) => e.maxUlp > 1));
  // A Python float that optax returns as it is comes out of jit as that float32, 0 ULP apart.
  const constant = effects.find((e) => e.fn === "constant_schedule" && e.dtype === "float32")!;
  assert.equal(constant.differs, constant.passthrough);
  assert.equal(constant.maxUlp, 0);
});

test("ulpDistanceF32 counts float32 steps", () => {
  assert.equal(ulpDistanceF32(1, 1), 0);
  assert.equal(ulpDistanceF32(1, 1 + 2 ** -23), 1);
  assert.equal(ulpDistanceF32(1, 1 - 2 ** -24), 1);
  assert.equal(ulpDistanceF32(-0, 0), 0);
  assert.equal(ulpDistanceF32(-(2 ** -149), 2 ** -149), 2);
});
