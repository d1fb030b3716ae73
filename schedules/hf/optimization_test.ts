import { test } from "node:test";
import assert from "node:assert/strict";
import {
  getConstantSchedule,
  getConstantScheduleWithWarmup,
  getCosineScheduleWithWarmup,
  getCosineWithHardRestartsScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmup,
  getCosineWithMinLrScheduleWithWarmupLrRate,
  getInverseSqrtSchedule,
  getLinearScheduleWithWarmup,
  getPolynomialDecayScheduleWithWarmup,
  getReduceOnPlateauSchedule,
  getScheduler,
  getWsdSchedule,
  LambdaLR,
  type Optimizer,
  ReduceLROnPlateau,
} from "../../mod.ts";
import { series } from "../../testing/schedulers.ts";
import { libm } from "../math.ts";

// Expected values were printed by transformers 5.17.0's own optimization.py (torch 1.13) where
// they are plain IEEE arithmetic or pass through sqrt (correctly rounded everywhere) or cos(0),
// cos(π), cos(2π) (exact everywhere). Elsewhere a value is computed here with the library's libm
// (lrspec's glibc cos, the default) from upstream's formula: these tests pin branches and
// operation order; the hf conformance suite pins every value against upstream's bit for bit.

/** One group per lr, and torch's `defaults["lr"]` = the first (AdamW(groups, lr=lrs[0])). */
function adamw(...lrs: number[]): Optimizer {
  return { paramGroups: lrs.map((lr) => ({ lr })), defaults: { lr: lrs[0]! } };
}

/** Every group's lr after construction and after each of n steps. */
function all(optimizer: Optimizer, s: { step(): void }, n: number): number[][] {
  return series(optimizer, s, n, (o) => o.paramGroups.map((g) => g.lr));
}

const cos = (x: number): number => libm.cos(x);

test("getConstantSchedule", async (t) => {
  await t.test("every group keeps its own lr (factor 1)", () => {
    const o = adamw(0.1, 0.3);
    assert.deepEqual(all(o, getConstantSchedule({ optimizer: o }), 3), [
      [0.1, 0.3],
      [0.1, 0.3],
      [0.1, 0.3],
      [0.1, 0.3],
    ]);
  });
  await t.test("lastEpoch default -1 starts afresh: initialLr recorded, lastEpoch 0", () => {
    const o = adamw(0.1);
    const s = getConstantSchedule({ optimizer: o });
    assert.equal(s.lastEpoch, 0);
    assert.equal(o.paramGroups[0]!.initialLr, 0.1);
  });
  await t.test("unknown option: TypeError with a camelCase hint", () => {
    assert.throws(() => getConstantSchedule({ optimizer: adamw(0.1), last_epoch: 3 } as never), {
      name: "TypeError",
      message: /unknown option `last_epoch` \(did you mean `lastEpoch`\?\)/,
    });
  });
});

test("getReduceOnPlateauSchedule: torch's ReduceLROnPlateau with its defaults", () => {
  const o = adamw(0.1);
  const s = getReduceOnPlateauSchedule({ optimizer: o });
  assert.ok(s instanceof ReduceLROnPlateau);
  for (let i = 0; i < 11; i++) s.step(1.0); // 1 improvement, then patience 10 bad epochs
  assert.equal(o.paramGroups[0]!.lr, 0.1);
  s.step(1.0);
  assert.equal(o.paramGroups[0]!.lr, 0.1 * 0.1, "factor defaults to 0.1");
});

test("getConstantScheduleWithWarmup", async (t) => {
  await t.test("warmup branch s / max(1.0, W), then 1.0", () => {
    const o = adamw(1);
    const s = getConstantScheduleWithWarmup({ optimizer: o, numWarmupSteps: 3 });
    assert.deepEqual(series(o, s, 4), [0, 1 / 3, 2 / 3, 1, 1]);
  });
  await t.test("no warmup (W = 0): 1.0 from the first step", () => {
    const o = adamw(0.5);
    assert.deepEqual(
      series(o, getConstantScheduleWithWarmup({ optimizer: o, numWarmupSteps: 0 }), 2),
      [
        0.5,
        0.5,
        0.5,
      ],
    );
  });
  await t.test("numWarmupSteps is required and an integer >= 0", () => {
    assert.throws(() => getConstantScheduleWithWarmup({ optimizer: adamw(1) } as never), TypeError);
    assert.throws(
      () => getConstantScheduleWithWarmup({ optimizer: adamw(1), numWarmupSteps: 2.5 }),
      { name: "RangeError", message: /`numWarmupSteps` must be an integer >= 0: got 2.5/ },
    );
    assert.throws(
      () => getConstantScheduleWithWarmup({ optimizer: adamw(1), numWarmupSteps: -1 }),
      RangeError,
    );
  });
});

test("getLinearScheduleWithWarmup", async (t) => {
  await t.test("warmup, linear decay to 0 at N, then clamped at 0 (max(0.0, …))", () => {
    const o = adamw(1);
    const s = getLinearScheduleWithWarmup({ optimizer: o, numWarmupSteps: 2, numTrainingSteps: 6 });
    assert.deepEqual(series(o, s, 8), [0, 0.5, 1, 0.75, 0.5, 0.25, 0, 0, 0]);
  });
  await t.test("W > N: the decay divides by max(1, N − W) = 1 and clamps at once", () => {
    const o = adamw(1);
    const s = getLinearScheduleWithWarmup({ optimizer: o, numWarmupSteps: 8, numTrainingSteps: 6 });
    assert.deepEqual(series(o, s, 10), [0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 0, 0, 0]);
  });
  await t.test("every group scales by the same factor", () => {
    const o = adamw(0.1, 0.4);
    const s = getLinearScheduleWithWarmup({ optimizer: o, numWarmupSteps: 0, numTrainingSteps: 4 });
    s.step();
    assert.deepEqual(o.paramGroups.map((g) => g.lr), [0.1 * 0.75, 0.4 * 0.75]);
  });
});

test("getCosineScheduleWithWarmup", async (t) => {
  await t.test("numCycles defaults to 0.5: down to 0 exactly at N (cos π = −1)", () => {
    const o = adamw(1);
    const s = getCosineScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 2,
      numTrainingSteps: 10,
    });
    const lrs = series(o, s, 11);
    assert.deepEqual(lrs.slice(0, 3), [0, 0.5, 1]);
    assert.equal(lrs[6], 0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * 0.5)));
    assert.equal(lrs[10], 0);
    assert.equal(lrs[11], 0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * (9 / 8))), "rises again past N");
  });
  await t.test("numCycles 1: a full wave, back at the peak at N (cos 2π = 1)", () => {
    const o = adamw(1);
    const s = getCosineScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 4,
      numCycles: 1.0,
    });
    const lrs = series(o, s, 4);
    assert.equal(lrs[2], 0);
    assert.equal(lrs[4], 1);
  });
  await t.test("operation order: π · numCycles · 2.0 · progress, then the min-lr step with 0.0", () => {
    const o = adamw(1);
    const s = getCosineScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 3,
      numTrainingSteps: 10,
      numCycles: 0.7,
    });
    const lrs = series(o, s, 10);
    for (let step = 3; step <= 10; step++) {
      const progress = (step - 3) / 7;
      let factor = 0.5 * (1.0 + cos(Math.PI * 0.7 * 2.0 * progress));
      factor = factor * (1 - 0.0) + 0.0;
      assert.equal(lrs[step], Math.max(0, factor), `cosine at step ${step}`);
    }
  });
});

test("getCosineWithHardRestartsScheduleWithWarmup", async (t) => {
  await t.test("numCycles defaults to 1: one cosine, then 0 from progress 1 on", () => {
    const o = adamw(1);
    const s = getCosineWithHardRestartsScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 2,
      numTrainingSteps: 10,
    });
    const lrs = series(o, s, 12);
    assert.deepEqual(lrs.slice(0, 3), [0, 0.5, 1]);
    assert.equal(lrs[6], 0.5 * (1.0 + cos(Math.PI * ((1 * 0.5) % 1.0))));
    assert.deepEqual(lrs.slice(10), [0, 0, 0], "progress >= 1 branch: 0.0 (cosine would rise)");
  });
  await t.test("numCycles 2: the second cycle restarts at the peak", () => {
    const o = adamw(1);
    const s = getCosineWithHardRestartsScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 8,
      numCycles: 2,
    });
    const lrs = series(o, s, 8);
    assert.equal(lrs[0], 1);
    assert.equal(lrs[4], 1, "phase (2 · 0.5) % 1 = 0");
    assert.equal(lrs[3], 0.5 * (1.0 + cos(Math.PI * 0.75)));
  });
  await t.test("Python's % for a negative product: the phase is taken modulo 1 upwards", () => {
    const o = adamw(1);
    const s = getCosineWithHardRestartsScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 8,
      numCycles: -1.5,
    });
    const lrs = series(o, s, 2);
    // -1.5 · 0.125 = -0.1875; Python: -0.1875 % 1.0 = 0.8125 (JavaScript's % gives -0.1875)
    assert.equal(lrs[1], 0.5 * (1.0 + cos(Math.PI * 0.8125)));
  });
});

test("getPolynomialDecayScheduleWithWarmup", async (t) => {
  await t.test("defaults lrEnd 1e-7, power 1.0: linear to 1e-7, then lrEnd / lrInit", () => {
    const o = adamw(1e-3);
    const s = getPolynomialDecayScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 4,
    });
    assert.deepEqual(series(o, s, 5), [
      0.001,
      0.000750025,
      0.0005000499999999999,
      0.000250075,
      1e-07,
      1e-07,
    ]);
  });
  await t.test("warmup, power 2 decay, past N: factor from defaults.lr scales every group", () => {
    const o = { paramGroups: [{ lr: 0.1 }, { lr: 0.5 }], defaults: { lr: 0.1 } };
    const s = getPolynomialDecayScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 2,
      numTrainingSteps: 10,
      lrEnd: 0.01,
      power: 2.0,
    });
    const lrs = all(o, s, 12);
    assert.deepEqual(lrs.slice(0, 4), [
      [0, 0],
      [0.05, 0.25],
      [0.1, 0.5],
      [0.07890625, 0.39453124999999994],
    ]);
    assert.deepEqual(lrs[10], [0.01, 0.049999999999999996], "at N: lrEnd (and lrEnd · 0.5/0.1)");
    assert.deepEqual(lrs[12], [0.01, 0.049999999999999996], "s > N branch: lrEnd / lrInit");
  });
  await t.test("reads optimizer.defaults.lr, not the group's lr", () => {
    const o = { paramGroups: [{ lr: 1 }], defaults: { lr: 2 } };
    const s = getPolynomialDecayScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 2,
      lrEnd: 0,
    });
    s.step();
    assert.equal(o.paramGroups[0]!.lr, 1 * ((2 - 0) * 0.5 + 0) / 2);
  });
  await t.test("errors: lrEnd >= lrInit (ValueError); no defaults.lr; W == N divides by zero", () => {
    assert.throws(
      () =>
        getPolynomialDecayScheduleWithWarmup({
          optimizer: adamw(1e-3),
          numWarmupSteps: 0,
          numTrainingSteps: 5,
          lrEnd: 1e-3,
        }),
      {
        name: "RangeError",
        message: /lr_end \(0\.001\) must be smaller than initial lr \(0\.001\)/,
      },
    );
    assert.throws(
      () =>
        getPolynomialDecayScheduleWithWarmup({
          optimizer: { paramGroups: [{ lr: 1 }] },
          numWarmupSteps: 0,
          numTrainingSteps: 5,
        }),
      { name: "TypeError", message: /`optimizer\.defaults\.lr` is required/ },
    );
    const o = adamw(1e-3);
    const s = getPolynomialDecayScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 3,
      numTrainingSteps: 3,
    });
    s.step();
    s.step();
    assert.throws(() => s.step(), { name: "RangeError", message: /ZeroDivisionError/ });
  });
});

test("getInverseSqrtSchedule", async (t) => {
  await t.test("timescale defaults to numWarmupSteps", () => {
    const o = adamw(1);
    const s = getInverseSqrtSchedule({ optimizer: o, numWarmupSteps: 4 });
    assert.deepEqual(series(o, s, 8), [
      0,
      0.25,
      0.5,
      0.75,
      1,
      0.8944271909999159,
      0.8164965809277261,
      0.7559289460184544,
      0.7071067811865475,
    ]);
  });
  await t.test("without warmup the timescale is 10,000", () => {
    const o = adamw(1);
    const s = getInverseSqrtSchedule({ optimizer: o, numWarmupSteps: 0 });
    assert.deepEqual(series(o, s, 2), [1, 0.9999500037496877, 0.9999000149975006]);
  });
  await t.test("a given timescale", () => {
    const o = adamw(1);
    const s = getInverseSqrtSchedule({ optimizer: o, numWarmupSteps: 2, timescale: 3 });
    assert.deepEqual(series(o, s, 4), [0, 0.5, 1, 0.8660254037844387, 0.7745966692414834]);
  });
  await t.test("where Python raises while stepping: timescale 0, sqrt of a negative, 1/0", () => {
    const zero = getInverseSqrtSchedule({ optimizer: adamw(1), numWarmupSteps: 1, timescale: 0 });
    assert.throws(() => zero.step(), { name: "RangeError", message: /ZeroDivisionError/ });
    const negative = getInverseSqrtSchedule({
      optimizer: adamw(1),
      numWarmupSteps: 1,
      timescale: -5,
    });
    negative.step(); // (1 − 6) / −5 = 1
    for (let i = 2; i < 6; i++) negative.step();
    assert.throws(() => negative.step(), { name: "RangeError", message: /ZeroDivisionError/ });
    const domain = getInverseSqrtSchedule({
      optimizer: adamw(1),
      numWarmupSteps: 3,
      timescale: -2.5,
    });
    for (let i = 1; i < 6; i++) domain.step(); // (s − 5.5) / −2.5: 1, 0.6, 0.2 at steps 3–5
    assert.throws(() => domain.step(), { name: "RangeError", message: /math domain error/ });
  });
});

test("getCosineWithMinLrScheduleWithWarmup", async (t) => {
  await t.test("minLr: rate = minLr / defaults.lr, reached at N (every group scaled)", () => {
    const o = adamw(0.1, 0.2);
    const s = getCosineWithMinLrScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 2,
      numTrainingSteps: 10,
      minLr: 0.01,
    });
    const lrs = all(o, s, 10);
    assert.deepEqual(lrs.slice(0, 3), [[0, 0], [0.05, 0.1], [0.1, 0.2]]);
    assert.deepEqual(lrs[10], [0.01, 0.02]);
  });
  await t.test("minLrRate, and numCycles defaults to 0.5", () => {
    const o = adamw(1);
    const s = getCosineWithMinLrScheduleWithWarmup({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 4,
      minLrRate: 0.25,
    });
    const lrs = series(o, s, 4);
    assert.equal(lrs[4], 0.25);
    const f = 0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * 0.25));
    assert.equal(lrs[1], f * (1 - 0.25) + 0.25);
  });
  await t.test("errors: both, neither, minLr without defaults.lr, defaults.lr 0", () => {
    const base = { numWarmupSteps: 0, numTrainingSteps: 4 };
    assert.throws(
      () =>
        getCosineWithMinLrScheduleWithWarmup({
          optimizer: adamw(1),
          ...base,
          minLr: 0.1,
          minLrRate: 0.1,
        }),
      { name: "RangeError", message: /Only one of min_lr or min_lr_rate should be set/ },
    );
    assert.throws(() => getCosineWithMinLrScheduleWithWarmup({ optimizer: adamw(1), ...base }), {
      name: "TypeError",
      message: /One of min_lr or min_lr_rate should be set/,
    });
    assert.throws(
      () =>
        getCosineWithMinLrScheduleWithWarmup({
          optimizer: { paramGroups: [{ lr: 1 }] },
          ...base,
          minLr: 0.1,
        }),
      { name: "TypeError", message: /optimizer\.defaults\.lr/ },
    );
    assert.throws(
      () =>
        getCosineWithMinLrScheduleWithWarmup({
          optimizer: { paramGroups: [{ lr: 1 }], defaults: { lr: 0 } },
          ...base,
          minLr: 0.1,
        }),
      { name: "RangeError", message: /ZeroDivisionError/ },
    );
  });
});

test("getCosineWithMinLrScheduleWithWarmupLrRate (cosine_warmup_with_min_lr)", async (t) => {
  await t.test("one step ahead of cosine_with_min_lr: peak at W − 1, minimum at N − 1", () => {
    const o = adamw(1);
    const s = getCosineWithMinLrScheduleWithWarmupLrRate({
      optimizer: o,
      numWarmupSteps: 3,
      numTrainingSteps: 10,
      minLrRate: 0.1,
    });
    const lrs = series(o, s, 11);
    assert.deepEqual(lrs.slice(0, 3), [1 / 3, 2 / 3, 1], "(s + 1) / W");
    assert.equal(lrs[9], 0.1, "progress (9 − 3 + 1) / 7 = 1 at step N − 1");
    const withoutShift = getCosineWithMinLrScheduleWithWarmup({
      optimizer: adamw(1),
      numWarmupSteps: 3,
      numTrainingSteps: 10,
      minLrRate: 0.1,
    });
    const unshifted = series(withoutShift.optimizer, withoutShift, 11);
    assert.equal(unshifted[10], 0.1, "cosine_with_min_lr reaches it at N");
    assert.equal(unshifted[2], 2 / 3);
  });
  await t.test("warmupLrRate: r + ((1 − r) · s) / max(1, W − 1)", () => {
    const o = adamw(1);
    const s = getCosineWithMinLrScheduleWithWarmupLrRate({
      optimizer: o,
      numWarmupSteps: 3,
      numTrainingSteps: 10,
      minLrRate: 0.1,
      warmupLrRate: 0.2,
    });
    assert.deepEqual(series(o, s, 2), [0.2, 0.6000000000000001, 1]);
  });
  await t.test("W = 1 with warmupLrRate: max(1, W − 1) = 1", () => {
    const o = adamw(1);
    getCosineWithMinLrScheduleWithWarmupLrRate({
      optimizer: o,
      numWarmupSteps: 1,
      numTrainingSteps: 10,
      minLrRate: 0,
      warmupLrRate: 0.3,
    });
    assert.equal(o.paramGroups[0]!.lr, 0.3);
  });
  await t.test("numCycles defaults to 0.5; min_lr errors as cosine_with_min_lr", () => {
    const o = adamw(1);
    const s = getCosineWithMinLrScheduleWithWarmupLrRate({
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 4,
      minLrRate: 0,
    });
    const lrs = series(o, s, 3);
    assert.equal(lrs[0], 0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * 0.25)));
    assert.equal(lrs[3], 0);
    assert.throws(
      () =>
        getCosineWithMinLrScheduleWithWarmupLrRate({
          optimizer: adamw(1),
          numWarmupSteps: 0,
          numTrainingSteps: 4,
        }),
      TypeError,
    );
  });
});

test("getWsdSchedule", async (t) => {
  await t.test("defaults: linear warmup, cosine decay (0.5 cycles) to minLrRatio 0", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 2,
      numDecaySteps: 4,
      numTrainingSteps: 10,
    });
    const lrs = series(o, s, 11);
    assert.deepEqual(lrs.slice(0, 7), [0, 0.5, 1, 1, 1, 1, 1]);
    assert.equal(lrs[7], 0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * 0.25)));
    assert.deepEqual(lrs.slice(10), [0, 0], "after the decay: minLrRatio");
  });
  await t.test("linear warmup and linear decay", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 4,
      numDecaySteps: 4,
      numTrainingSteps: 12,
      warmupType: "linear",
      decayType: "linear",
    });
    assert.deepEqual(series(o, s, 14), [
      0,
      0.25,
      0.5,
      0.75,
      1,
      1,
      1,
      1,
      1,
      0.75,
      0.5,
      0.25,
      0,
      0,
      0,
    ]);
  });
  await t.test("1-sqrt warmup and 1-sqrt decay; numStableSteps without numTrainingSteps", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 4,
      numDecaySteps: 4,
      numStableSteps: 2,
      warmupType: "1-sqrt",
      decayType: "1-sqrt",
    });
    assert.deepEqual(series(o, s, 12), [
      0,
      0.1339745962155614,
      0.2928932188134524,
      0.5,
      1,
      1,
      1,
      0.5,
      0.2928932188134524,
      0.1339745962155614,
      0,
      0,
      0,
    ]);
  });
  await t.test("cosine warmup and cosine decay from and to minLrRatio", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 4,
      numDecaySteps: 4,
      numTrainingSteps: 12,
      warmupType: "cosine",
      decayType: "cosine",
      minLrRatio: 0.1,
    });
    const lrs = series(o, s, 14);
    assert.equal(lrs[0], 0.1, "0.5 · (1 − cos 0) = 0, then · 0.9 + 0.1");
    assert.equal(lrs[1], (0.5 * (1.0 - cos(Math.PI * 0.25))) * (1.0 - 0.1) + 0.1);
    assert.equal(lrs[9], (0.5 * (1.0 + cos(Math.PI * 0.5 * 2.0 * 0.25))) * (1.0 - 0.1) + 0.1);
    assert.deepEqual(lrs.slice(12), [0.1, 0.1, 0.1]);
  });
  await t.test("numCycles shapes a cosine decay", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 0,
      numDecaySteps: 4,
      numStableSteps: 0,
      numCycles: 1,
    });
    const lrs = series(o, s, 3);
    assert.equal(lrs[2], 0, "a full cycle is at its minimum half way");
  });
  await t.test("the derived stable phase may be negative (N < W + D), as upstream", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 2,
      numDecaySteps: 8,
      numTrainingSteps: 6,
      decayType: "linear",
    });
    assert.deepEqual(series(o, s, 8), [0, 0.5, 0.5, 0.375, 0.25, 0.125, 0, 0, 0]);
  });
  await t.test("numStableSteps wins over numTrainingSteps", () => {
    const o = adamw(1);
    const s = getWsdSchedule({
      optimizer: o,
      numWarmupSteps: 0,
      numDecaySteps: 2,
      numTrainingSteps: 100,
      numStableSteps: 1,
      decayType: "linear",
    });
    assert.deepEqual(series(o, s, 3), [1, 1, 0.5, 0]); // stable at 0, decay from 1
  });
  await t.test("errors: neither length, numDecaySteps missing, unknown shapes", () => {
    assert.throws(
      () => getWsdSchedule({ optimizer: adamw(1), numWarmupSteps: 1, numDecaySteps: 2 }),
      { name: "TypeError", message: /Either num_training_steps or num_stable_steps/ },
    );
    assert.throws(
      () =>
        getWsdSchedule({ optimizer: adamw(1), numWarmupSteps: 1, numTrainingSteps: 9 } as never),
      { name: "TypeError", message: /missing required option `numDecaySteps`/ },
    );
    assert.throws(
      () =>
        getWsdSchedule({
          optimizer: adamw(1),
          numWarmupSteps: 1,
          numDecaySteps: 2,
          numTrainingSteps: 9,
          warmupType: "exp" as never,
        }),
      { name: "RangeError", message: /Unknown warmup type/ },
    );
    assert.throws(
      () =>
        getWsdSchedule({
          optimizer: adamw(1),
          numWarmupSteps: 1,
          numDecaySteps: 2,
          numTrainingSteps: 9,
          decayType: "step" as never,
        }),
      { name: "RangeError", message: /Unknown decay type/ },
    );
  });
});

test("getScheduler", async (t) => {
  const lrsOf = (s: { step(): void }, o: Optimizer, n: number) => series(o, s, n);
  await t.test("routes each LambdaLR name to its function with the same values", () => {
    const cases = [
      ["linear", getLinearScheduleWithWarmup, {}],
      ["cosine", getCosineScheduleWithWarmup, { numCycles: 0.7 }],
      ["cosine_with_restarts", getCosineWithHardRestartsScheduleWithWarmup, { numCycles: 3 }],
      ["polynomial", getPolynomialDecayScheduleWithWarmup, { power: 2 }],
      ["cosine_with_min_lr", getCosineWithMinLrScheduleWithWarmup, { minLrRate: 0.1 }],
      ["cosine_warmup_with_min_lr", getCosineWithMinLrScheduleWithWarmupLrRate, { minLr: 1e-3 }],
    ] as const;
    for (const [name, fn, kwargs] of cases) {
      const a = adamw(0.01);
      const b = adamw(0.01);
      const viaName = getScheduler({
        name,
        optimizer: a,
        numWarmupSteps: 3,
        numTrainingSteps: 20,
        schedulerSpecificKwargs: kwargs,
      });
      assert.ok(viaName instanceof LambdaLR, name);
      const direct = (fn as (o: object) => LambdaLR)({
        optimizer: b,
        numWarmupSteps: 3,
        numTrainingSteps: 20,
        ...kwargs,
      });
      assert.deepEqual(lrsOf(viaName, a, 25), lrsOf(direct, b, 25), name);
    }
  });
  await t.test("constant and constant_with_warmup ignore the kwargs, as upstream", () => {
    const o = adamw(0.1);
    const c = getScheduler({
      name: "constant",
      optimizer: o,
      schedulerSpecificKwargs: { anything: 1 },
    });
    assert.deepEqual(series(o, c, 2), [0.1, 0.1, 0.1]);
    const p = adamw(1);
    const w = getScheduler({
      name: "constant_with_warmup",
      optimizer: p,
      numWarmupSteps: 2,
      schedulerSpecificKwargs: { numCycles: 3 },
    });
    assert.deepEqual(series(p, w, 3), [0, 0.5, 1, 1]);
  });
  await t.test("inverse_sqrt receives the kwargs (timescale)", () => {
    const o = adamw(1);
    const s = getScheduler({
      name: "inverse_sqrt",
      optimizer: o,
      numWarmupSteps: 2,
      schedulerSpecificKwargs: { timescale: 3 },
    });
    assert.deepEqual(series(o, s, 3), [0, 0.5, 1, 0.8660254037844387]);
  });
  await t.test("warmup_stable_decay needs no numTrainingSteps with numStableSteps", () => {
    const o = adamw(1);
    const s = getScheduler({
      name: "warmup_stable_decay",
      optimizer: o,
      numWarmupSteps: 0,
      schedulerSpecificKwargs: { numDecaySteps: 2, numStableSteps: 1, decayType: "linear" },
    });
    assert.deepEqual(series(o, s, 3), [1, 1, 0.5, 0]); // stable at 0, decay from 1
  });
  await t.test("reduce_lr_on_plateau and greedy take only the kwargs", () => {
    const plateau = getScheduler({
      name: "reduce_lr_on_plateau",
      optimizer: adamw(0.1),
      numWarmupSteps: 5,
      numTrainingSteps: 9,
      schedulerSpecificKwargs: { patience: 0, factor: 0.5 },
    });
    plateau.step(1);
    plateau.step(1);
    assert.deepEqual(plateau.getLastLr(), [0.05]);
    const greedy = getScheduler({
      name: "greedy",
      optimizer: adamw(0.1),
      schedulerSpecificKwargs: { patience: 0, factor: 0.5, minLr: 0 },
    });
    greedy.step(1);
    assert.deepEqual(greedy.getLastLr(), [0.2]);
  });
  await t.test("lastEpoch through the kwargs resumes a LambdaLR", () => {
    const o: Optimizer = { paramGroups: [{ lr: 0.9, initialLr: 1 }], defaults: { lr: 1 } };
    getScheduler({
      name: "linear",
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 10,
      schedulerSpecificKwargs: { lastEpoch: 4 },
    });
    assert.equal(o.paramGroups[0]!.lr, 0.5, "step 5 of 10: (10 − 5) / 10");
  });
  await t.test("errors mirror upstream's", () => {
    const o = adamw(1);
    assert.throws(() => getScheduler({ name: "cosine_annealing" as never, optimizer: o }), {
      name: "RangeError",
      message: /cosine_annealing is not a valid SchedulerType, please select one of \['linear'/,
    });
    assert.throws(() => getScheduler({ name: "linear", optimizer: o, numTrainingSteps: 9 }), {
      name: "TypeError",
      message: /linear requires `num_warmup_steps`/,
    });
    assert.throws(() => getScheduler({ name: "cosine", optimizer: o, numWarmupSteps: 1 }), {
      name: "TypeError",
      message: /cosine requires `num_training_steps`/,
    });
    assert.throws(
      () =>
        getScheduler({
          name: "cosine",
          optimizer: o,
          numWarmupSteps: 1,
          numTrainingSteps: 9,
          schedulerSpecificKwargs: { numCycle: 1 },
        }),
      { name: "TypeError", message: /unknown option `numCycle`/ },
    );
    assert.throws(
      () =>
        getScheduler({
          name: "inverse_sqrt",
          optimizer: o,
          numWarmupSteps: 1,
          schedulerSpecificKwargs: { numWarmupSteps: 3 },
        }),
      { name: "TypeError", message: /repeats `numWarmupSteps`/ },
    );
    assert.throws(
      () =>
        getScheduler({
          name: "linear",
          optimizer: o,
          numWarmupSteps: 1,
          numTrainingSteps: 9,
          schedulerSpecificKwargs: [] as never,
        }),
      TypeError,
    );
  });
  await t.test("schedulerSpecificKwargs null is {}", () => {
    const o = adamw(1);
    const s = getScheduler({
      name: "cosine",
      optimizer: o,
      numWarmupSteps: 0,
      numTrainingSteps: 2,
      schedulerSpecificKwargs: null,
    });
    assert.deepEqual(series(o, s, 2)[2], 0, "numCycles 0.5 by default");
  });
});
