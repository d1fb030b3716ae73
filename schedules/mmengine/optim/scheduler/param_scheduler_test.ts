import { test } from "node:test";
import assert from "node:assert/strict";
import {
  _ParamScheduler,
  ConstantLR,
  ConstantParamScheduler,
  CosineAnnealingLR,
  CosineAnnealingParamScheduler,
  CosineRestartLR,
  CosineRestartParamScheduler,
  ExponentialLR,
  INF,
  initialKey,
  LinearLR,
  LinearParamScheduler,
  MultiStepLR,
  OneCycleLR,
  OneCycleParamScheduler,
  OptimWrapper,
  PolyLR,
  ReduceOnPlateauLR,
  StepLR,
  StepParamScheduler,
} from "../../mod.ts";
import { libm } from "../../../math.ts";
import type { Optimizer } from "../../../optimizer.ts";

// Expected values are mmengine's formulas evaluated by hand in the same operation order; the
// golden suite (fixtures/mmengine) holds mmengine's own output for every class.

const sgd = (...lrs: number[]): Optimizer => ({
  paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })),
  defaults: { lr: lrs[0]!, momentum: 0.9 },
});
const lr = (o: Optimizer, g = 0) => o.paramGroups[g]!.lr;
function run(o: Optimizer, s: { step(): void }, n: number, g = 0): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(lr(o, g));
    s.step();
  }
  return out;
}

test("_ParamScheduler: shared options", async (t) => {
  await t.test("defaults: begin 0, end INF, lastStep -1 → 0 after construction, byEpoch true", () => {
    const o = sgd(0.1);
    const s = new ExponentialLR({ optimizer: o, gamma: 0.5 });
    assert.equal(s.begin, 0);
    assert.equal(s.end, INF);
    assert.equal(INF, 1e9);
    assert.equal(s.byEpoch, true);
    assert.equal(s.verbose, false);
    assert.equal(s.lastStep, 0);
    assert.equal(s._globalStep, 0);
    assert.equal(o.paramGroups[0]!.initialLr, 0.1);
    assert.deepEqual(s.baseValues, [0.1]);
    assert.deepEqual(s.getLastValue(), [0.1]);
  });
  await t.test("an existing initialLr is kept (setdefault) and is the base value", () => {
    const o = sgd(0.1);
    o.paramGroups[0]!.initialLr = 0.5;
    const s = new ExponentialLR({ optimizer: o, gamma: 0.5 });
    assert.deepEqual(s.baseValues, [0.5]);
  });
  await t.test("before begin the scheduler counts steps but does not move", () => {
    const o = sgd(1);
    const s = new ExponentialLR({ optimizer: o, gamma: 0.5, begin: 3, end: 6 });
    assert.deepEqual(run(o, s, 8), [1, 1, 1, 1, 0.5, 0.25, 0.25, 0.25]);
    assert.equal(s._globalStep, 8);
    assert.equal(s.lastStep, 2);
  });
  await t.test("end <= begin throws (ValueError)", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, begin: 2, end: 2 }), {
      name: "RangeError",
      message: /end should be larger than begin.*ValueError/,
    });
  });
  await t.test("lastStep must be an integer >= -1 (AssertionError)", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, lastStep: -2 }), RangeError);
    assert.throws(() => new StepLR({ optimizer: sgd(1), stepSize: 1, lastStep: 0.5 }), RangeError);
  });
  await t.test("resuming without initialLr throws (KeyError)", () => {
    assert.throws(
      () => new ExponentialLR({ optimizer: sgd(1), gamma: 0.5, lastStep: 3 }),
      { name: "TypeError", message: /initialLr.*KeyError/ },
    );
  });
  await t.test("resuming with lastStep: the next step continues the recursion", () => {
    const o: Optimizer = { paramGroups: [{ lr: 0.05, initialLr: 0.1 }] };
    const s = new ExponentialLR({ optimizer: o, gamma: 0.5, lastStep: 3 });
    assert.equal(s.lastStep, 4);
    assert.equal(lr(o), 0.025);
  });
  await t.test("unknown option and snake_case option", () => {
    assert.throws(() => new StepLR({ optimizer: sgd(1), step_size: 1 } as never), {
      name: "TypeError",
      message: /unknown option `step_size` \(did you mean `stepSize`\?\)/,
    });
    assert.throws(
      () => new StepLR({ optimizer: sgd(1), stepSize: 1, paramName: "lr" } as never),
      /unknown option `paramName`/,
    );
  });
  await t.test("a group without the parameter throws (KeyError)", () => {
    assert.throws(
      () => new StepParamScheduler({ optimizer: sgd(1), paramName: "weightDecay", stepSize: 1 }),
      { name: "TypeError", message: /weightDecay.*KeyError/ },
    );
  });
  await t.test("initialKey", () => {
    assert.equal(initialKey("lr"), "initialLr");
    assert.equal(initialKey("weightDecay"), "initialWeightDecay");
  });
  await t.test("a value that would not be finite throws", () => {
    const o = sgd(1e300);
    const s = new ExponentialLR({ optimizer: o, gamma: 1e10 });
    assert.throws(() => s.step(), { name: "RangeError", message: /would be Infinity/ });
  });
  await t.test("verbose prints mmengine's message", () => {
    const logs: unknown[] = [];
    const log = console.log;
    console.log = (m: unknown) => logs.push(m);
    try {
      new ExponentialLR({ optimizer: sgd(1.03125), gamma: 0.5, verbose: true });
    } finally {
      console.log = log;
    }
    assert.deepEqual(logs, ["Adjusting parameter value of group 0 to 1.0312e+00."]);
  });
  await t.test("state dict round trip, and unknown keys rejected", () => {
    const o = sgd(1);
    const s = new MultiStepLR({ optimizer: o, milestones: [2, 2, 4] });
    run(o, s, 3);
    const state = JSON.parse(JSON.stringify(s.stateDict()));
    assert.deepEqual(state.milestones, { "2": 2, "4": 1 });
    assert.equal(state.optimizer, undefined);
    const o2 = sgd(1);
    const s2 = new MultiStepLR({ optimizer: o2, milestones: [2, 2, 4] });
    o2.paramGroups[0]!.lr = lr(o);
    s2.loadStateDict(state);
    assert.deepEqual(run(o2, s2, 3), run(o, s, 3));
    assert.throws(() => s2.loadStateDict({ nope: 1 }), /unknown state key `nope`/);
  });
  await t.test("never mutates the options", () => {
    const options = { optimizer: sgd(1), milestones: [1, 2] as number[] };
    const frozen = JSON.stringify({ ...options, optimizer: null });
    new MultiStepLR(options);
    assert.equal(JSON.stringify({ ...options, optimizer: null }), frozen);
  });
  await t.test("the base class is abstract and exported", () => {
    assert.equal(typeof _ParamScheduler, "function");
  });
});

test("buildIterFromEpoch", async (t) => {
  await t.test("begin and end scaled with int(); INF kept; byEpoch false", () => {
    const s = LinearLR.buildIterFromEpoch({
      optimizer: sgd(1),
      begin: 0.5,
      end: 2.5,
      epochLength: 3,
    });
    assert.deepEqual([s.begin, s.end, s.byEpoch], [1, 7, false]);
    const t2 = StepLR.buildIterFromEpoch({ optimizer: sgd(1), stepSize: 2, epochLength: 3 });
    assert.deepEqual([t2.end, t2.stepSize], [INF, 6]);
  });
  await t.test("each class's epoch-valued options are multiplied", () => {
    const m = MultiStepLR.buildIterFromEpoch({
      optimizer: sgd(1),
      milestones: [1, 3],
      epochLength: 4,
    });
    assert.deepEqual(m.milestones, { "4": 1, "12": 1 });
    const c = CosineAnnealingLR.buildIterFromEpoch({ optimizer: sgd(1), tMax: 2, epochLength: 5 });
    assert.equal(c.tMax, 10);
    const c2 = CosineAnnealingLR.buildIterFromEpoch({
      optimizer: sgd(1),
      begin: 1,
      end: 3,
      epochLength: 5,
    });
    assert.equal(c2.tMax, 10, "without tMax: end − begin after conversion");
    const r = CosineRestartLR.buildIterFromEpoch({
      optimizer: sgd(1),
      periods: [1, 2],
      restartWeights: [1, 1],
      etaMin: 0,
      epochLength: 3,
    });
    assert.deepEqual(r.periods, [3, 6]);
    const one = OneCycleLR.buildIterFromEpoch({
      optimizer: sgd(1),
      etaMax: 1,
      totalSteps: 2,
      epochLength: 3,
    });
    assert.equal(one.totalSteps, 6);
  });
  await t.test("byEpoch false and epochLength <= 0 throw (AssertionError)", () => {
    assert.throws(
      () => LinearLR.buildIterFromEpoch({ optimizer: sgd(1), byEpoch: false, epochLength: 3 }),
      /by_epoch=True/,
    );
    assert.throws(
      () => LinearLR.buildIterFromEpoch({ optimizer: sgd(1), epochLength: 0 }),
      /epochLength/,
    );
  });
});

test("StepParamScheduler / StepLR", async (t) => {
  await t.test("gamma default 0.1; decays at multiples of stepSize", () => {
    const o = sgd(1);
    const s = new StepLR({ optimizer: o, stepSize: 2 });
    assert.equal(s.gamma, 0.1);
    assert.deepEqual(run(o, s, 5), [1, 1, 0.1, 0.1, 0.1 * 0.1]);
  });
  await t.test("stepSize 0: ZeroDivisionError at the second step", () => {
    const o = sgd(1);
    const s = new StepLR({ optimizer: o, stepSize: 0 });
    assert.throws(() => s.step(), { name: "RangeError", message: /ZeroDivisionError/ });
  });
  await t.test("a generic scheduler writes its own parameter", () => {
    const o: Optimizer = { paramGroups: [{ lr: 1, weightDecay: 0.5 }] };
    const s = new StepParamScheduler({ optimizer: o, paramName: "weightDecay", stepSize: 1 });
    s.step();
    assert.equal(o.paramGroups[0]!.weightDecay, 0.05);
    assert.equal(o.paramGroups[0]!.initialWeightDecay, 0.5);
    assert.equal(lr(o), 1);
  });
});

test("MultiStepParamScheduler / MultiStepLR", async (t) => {
  await t.test("gamma default 0.1; a repeated milestone applies gamma ** count", () => {
    const o = sgd(1);
    const s = new MultiStepLR({ optimizer: o, milestones: [1, 3, 3] });
    assert.deepEqual(run(o, s, 5), [1, 0.1, 0.1, 0.1 * libm.pow(0.1, 2), 0.1 * libm.pow(0.1, 2)]);
  });
});

test("ConstantParamScheduler / ConstantLR", async (t) => {
  await t.test("factor default 1/3, restored at end − 1", () => {
    const o = sgd(0.9);
    const s = new ConstantLR({ optimizer: o, end: 3 });
    assert.equal(s.factor, 1 / 3);
    assert.equal(s.totalIters, 2);
    assert.deepEqual(run(o, s, 4), [
      0.9 * (1 / 3),
      0.9 * (1 / 3),
      0.9 * (1 / 3) * (1 / (1 / 3)),
      0.9 * (1 / 3) * (1 / (1 / 3)),
    ]);
  });
  await t.test("factor outside [0, 1] throws (ValueError)", () => {
    assert.throws(() => new ConstantLR({ optimizer: sgd(1), factor: 1.5 }), /between 0 and 1/);
    assert.throws(() => new ConstantLR({ optimizer: sgd(1), factor: -0.1 }), RangeError);
  });
  await t.test("factor 0: ZeroDivisionError at end − 1", () => {
    const o = sgd(1);
    const s = new ConstantParamScheduler({ optimizer: o, paramName: "lr", factor: 0, end: 3 });
    s.step();
    assert.throws(() => s.step(), /ZeroDivisionError/);
  });
});

test("ExponentialParamScheduler / ExponentialLR", async (t) => {
  await t.test("unchanged at step 0, then times gamma", () => {
    const o = sgd(1);
    assert.deepEqual(run(o, new ExponentialLR({ optimizer: o, gamma: 0.5 }), 3), [1, 0.5, 0.25]);
  });
  await t.test("gamma is required", () => {
    assert.throws(() => new ExponentialLR({ optimizer: sgd(1) } as never), TypeError);
  });
});

test("CosineAnnealingParamScheduler / CosineAnnealingLR", async (t) => {
  await t.test("defaults: etaMin 0, tMax end − begin", () => {
    const o = sgd(1);
    const s = new CosineAnnealingLR({ optimizer: o, end: 4 });
    assert.deepEqual([s.tMax, s.etaMin, s.etaMinRatio], [4, 0, null]);
  });
  await t.test("recursive ratio branch", () => {
    const o = sgd(1);
    const s = new CosineAnnealingLR({ optimizer: o, tMax: 4 });
    s.step();
    const r = (1 + libm.cos(Math.PI * 1 / 4)) / (1 + libm.cos(Math.PI * 0 / 4));
    assert.equal(lr(o), r * (1 - 0) + 0);
  });
  await t.test("special branch at (s − 1 − tMax) % 2tMax == 0 (past tMax it rises again)", () => {
    const o = sgd(1);
    const s = new CosineAnnealingLR({ optimizer: o, tMax: 2, etaMin: 0.1 });
    s.step();
    s.step(); // s = 2: the minimum
    const atMin = lr(o);
    s.step(); // s = 3: (3 − 1 − 2) % 4 == 0
    assert.equal(lr(o), atMin + (1 - 0.1) * (1 - libm.cos(Math.PI / 2)) / 2);
  });
  await t.test("etaMinRatio: the minimum is base · ratio per group", () => {
    const o = sgd(1, 2);
    const s = new CosineAnnealingLR({ optimizer: o, tMax: 1, etaMinRatio: 0.5 });
    s.step();
    assert.deepEqual([lr(o, 0), lr(o, 1)], [0.5, 1]);
  });
  await t.test("etaMin and etaMinRatio together throw (AssertionError)", () => {
    assert.throws(
      () =>
        new CosineAnnealingParamScheduler({
          optimizer: sgd(1),
          paramName: "lr",
          etaMin: 0,
          etaMinRatio: 0.1,
        }),
      /Either/,
    );
  });
  await t.test("tMax 0 means end − begin", () => {
    assert.equal(new CosineAnnealingLR({ optimizer: sgd(1), tMax: 0, begin: 2, end: 7 }).tMax, 5);
  });
});

test("LinearParamScheduler / LinearLR", async (t) => {
  await t.test("defaults: startFactor 1/3, endFactor 1", () => {
    const s = new LinearLR({ optimizer: sgd(1), end: 5 });
    assert.deepEqual([s.startFactor, s.endFactor, s.totalIters], [1 / 3, 1, 4]);
  });
  await t.test("reaches endFactor at end − 1, recursively", () => {
    const o = sgd(1);
    const s = new LinearLR({ optimizer: o, startFactor: 0.25, end: 4 });
    assert.deepEqual(run(o, s, 5), [0.25, 0.5, 0.75, 1, 1]);
  });
  await t.test("startFactor 0: ZeroDivisionError at the second step", () => {
    const o = sgd(1);
    const s = new LinearParamScheduler({ optimizer: o, paramName: "lr", startFactor: 0, end: 5 });
    assert.throws(() => s.step(), /ZeroDivisionError/);
  });
  await t.test("factors outside [0, 1] throw (ValueError)", () => {
    assert.throws(() => new LinearLR({ optimizer: sgd(1), startFactor: 2 }), /Starting/);
    assert.throws(() => new LinearLR({ optimizer: sgd(1), endFactor: -1 }), /Ending/);
  });
});

test("PolyParamScheduler / PolyLR", async (t) => {
  await t.test("defaults: etaMin 0, power 1 — linear to 0 at end − 1", () => {
    const o = sgd(0.3);
    const s = new PolyLR({ optimizer: o, end: 4 });
    assert.deepEqual([s.etaMin, s.power], [0, 1]);
    const v = run(o, s, 5);
    assert.equal(v[3], 0);
    assert.equal(v[1], (0.3 - 0) * libm.pow(1 - 1 / (3 - 1 + 1), 1) + 0);
  });
  await t.test("power and etaMin", () => {
    const o = sgd(1);
    const s = new PolyLR({ optimizer: o, end: 5, power: 2, etaMin: 0.1 });
    s.step();
    assert.equal(lr(o), (1 - 0.1) * libm.pow(1 - 1 / 4, 2) + 0.1);
  });
});

test("OneCycleParamScheduler / OneCycleLR", async (t) => {
  await t.test("defaults: two cos phases, pctStart 0.3, divFactor 25, finalDivFactor 1e4", () => {
    const o = sgd(1);
    const s = new OneCycleLR({ optimizer: o, etaMax: 1, totalSteps: 10 });
    assert.deepEqual([s.annealStrategy, s.divFactor, s.finalDivFactor], ["cos", 25, 1e4]);
    assert.equal(s._schedulePhases.length, 2);
    assert.equal(o.paramGroups[0]!.initialLr, 1 / 25);
    assert.equal(o.paramGroups[0]!.minLr, 1 / 25 / 1e4);
    // step 0 is anneal(initialLr, maxLr, 0): not exactly initialLr, as in mmengine
    assert.equal(lr(o), 1 + (1 / 25 - 1) / 2.0 * (libm.cos(0) + 1));
    assert.notEqual(lr(o), 1 / 25);
    s.step();
    const pct = 1 / (0.3 * 10 - 1);
    assert.equal(lr(o), 1 + (1 / 25 - 1) / 2.0 * (libm.cos(Math.PI * pct) + 1));
  });
  await t.test("totalSteps default end − begin; threePhase", () => {
    const s = new OneCycleLR({ optimizer: sgd(1), etaMax: 1, end: 20, threePhase: true });
    assert.equal(s.totalSteps, 20);
    assert.deepEqual(s._schedulePhases.map((p) => p.endStep), [0.3 * 20 - 1, 2 * 0.3 * 20 - 2, 19]);
  });
  await t.test("linear annealing", () => {
    const o = sgd(1);
    const s = new OneCycleLR({ optimizer: o, etaMax: 1, totalSteps: 10, annealStrategy: "linear" });
    s.step();
    assert.equal(lr(o), (1 - 1 / 25) * 0.5 + 1 / 25);
  });
  await t.test("stepping past totalSteps throws (ValueError)", () => {
    const o = sgd(1);
    const s = new OneCycleLR({ optimizer: o, etaMax: 1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) s.step();
    assert.throws(() => s.step(), /Tried to step 5 times/);
  });
  await t.test("option errors (ValueError / AssertionError)", () => {
    assert.throws(() => new OneCycleLR({ optimizer: sgd(1), totalSteps: 0 }), /total_steps/);
    assert.throws(() => new OneCycleLR({ optimizer: sgd(1), totalSteps: 2.5 }), /total_steps/);
    assert.throws(
      () => new OneCycleLR({ optimizer: sgd(1), totalSteps: 9, pctStart: 2 }),
      /pct_start/,
    );
    assert.throws(
      () => new OneCycleLR({ optimizer: sgd(1), totalSteps: 9, annealStrategy: "x" as never }),
      /annealStrategy/,
    );
    assert.throws(
      () => new OneCycleParamScheduler({ optimizer: sgd(1), paramName: "momentum", totalSteps: 9 }),
      /only works for learning rate/,
    );
    assert.throws(
      () => new OneCycleLR({ optimizer: sgd(1, 2), totalSteps: 9, etaMax: [1] }),
      /expected 2 values/,
    );
  });
  await t.test("per-group etaMax", () => {
    const o = sgd(1, 1);
    new OneCycleLR({ optimizer: o, totalSteps: 9, etaMax: [1, 2] });
    const at0 = (max: number) => max + (max / 25 - max) / 2.0 * (libm.cos(0) + 1);
    assert.deepEqual([lr(o, 0), lr(o, 1)], [at0(1), at0(2)]);
  });
});

test("CosineRestartParamScheduler / CosineRestartLR", async (t) => {
  await t.test("restartWeights default [1]; restarts at base · weight; after the periods unchanged", () => {
    const o = sgd(1);
    const s = new CosineRestartLR({ optimizer: o, periods: [2], etaMin: 0 });
    assert.deepEqual(s.restartWeights, [1]);
    const v = run(o, s, 4);
    assert.equal(v[0], 1);
    assert.equal(v[1], (1 + libm.cos(Math.PI / 2)) / (1 + libm.cos(0)) * (1 - 0) + 0);
    assert.equal(v[2], v[1]);
    assert.equal(
      CosineRestartParamScheduler.getPositionFromPeriods(2, s.cumulativePeriods),
      null,
    );
  });
  await t.test("etaMinRatio and the restart weight", () => {
    const o = sgd(1);
    const s = new CosineRestartLR({
      optimizer: o,
      periods: [2, 2],
      restartWeights: [1, 0.5],
      etaMinRatio: 0.1,
    });
    s.step();
    s.step();
    assert.equal(lr(o), 0.5);
  });
  await t.test("exactly one of etaMin / etaMinRatio; matching lengths (AssertionError)", () => {
    assert.throws(() => new CosineRestartLR({ optimizer: sgd(1), periods: [2] }), /exactly one/);
    assert.throws(
      () => new CosineRestartLR({ optimizer: sgd(1), periods: [2, 2], etaMin: 0 }),
      /same length/,
    );
  });
});

test("ReduceOnPlateauParamScheduler / ReduceOnPlateauLR", async (t) => {
  await t.test("defaults", () => {
    const s = new ReduceOnPlateauLR({ optimizer: sgd(1) });
    assert.deepEqual(
      [s.monitor, s.rule, s.factor, s.patience, s.threshold, s.thresholdRule, s.cooldown, s.eps],
      ["loss", "less", 0.1, 10, 1e-4, "rel", 0, 1e-8],
    );
    assert.deepEqual(s.minValues, [0]);
    assert.equal(s._globalStep, 0);
    assert.equal(s.lastStep, -1);
    assert.equal(s.best, INF);
  });
  await t.test("step() only counts; step(metrics) reduces after patience", () => {
    const o = sgd(1);
    const s = new ReduceOnPlateauLR({ optimizer: o, patience: 1 });
    s.step();
    assert.equal(s._globalStep, 1);
    s.step({ loss: 1 });
    s.step({ loss: 1 });
    assert.equal(lr(o), 1);
    s.step({ loss: 1 });
    assert.equal(lr(o), 0.1);
  });
  await t.test("greater / abs rules, cooldown, minValue, eps", () => {
    const o = sgd(1);
    const s = new ReduceOnPlateauLR({
      optimizer: o,
      rule: "greater",
      thresholdRule: "abs",
      threshold: 0.5,
      patience: 0,
      cooldown: 1,
      minValue: 0.05,
    });
    s.step({ loss: 1 }); // better than -INF
    s.step({ loss: 1.2 }); // not better by 0.5: reduce
    assert.equal(lr(o), 0.1);
    s.step({ loss: 1.2 }); // cooldown
    assert.equal(lr(o), 0.1);
    s.step({ loss: 1.2 });
    assert.equal(lr(o), 0.05, "clamped to minValue");
    const o2 = sgd(1e-8);
    const s2 = new ReduceOnPlateauLR({ optimizer: o2, patience: 0 });
    s2.step({ loss: 1 });
    s2.step({ loss: 1 });
    assert.equal(lr(o2), 1e-8, "a reduction smaller than eps is skipped");
  });
  await t.test("minValue list: repeated for an OptimWrapper's pseudo-group", () => {
    const wrapper = new OptimWrapper({ optimizer: sgd(1, 2) });
    const s = new ReduceOnPlateauLR({ optimizer: wrapper, minValue: [0.1, 0.2] });
    assert.deepEqual(s.minValues, [0.1, 0.2, 0.2]);
    assert.throws(() => new ReduceOnPlateauLR({ optimizer: sgd(1), minValue: [1, 2] }), /min_lrs/);
  });
  await t.test("errors: byEpoch false, factor >= 1, threshold < 0, rules, metrics", () => {
    assert.throws(() => new ReduceOnPlateauLR({ optimizer: sgd(1), byEpoch: false }), /by_epoch/);
    assert.throws(() => new ReduceOnPlateauLR({ optimizer: sgd(1), factor: 1 }), /Factor/);
    assert.throws(() => new ReduceOnPlateauLR({ optimizer: sgd(1), threshold: -1 }), /threshold/);
    assert.throws(() => new ReduceOnPlateauLR({ optimizer: sgd(1), rule: "x" as never }), /rule/);
    assert.throws(
      () => new ReduceOnPlateauLR({ optimizer: sgd(1), thresholdRule: "x" as never }),
      /thresholdRule/,
    );
    const s = new ReduceOnPlateauLR({ optimizer: sgd(1) });
    assert.throws(() => s.step({ acc: 1 }), { name: "TypeError", message: /KeyError/ });
    assert.throws(() => s.step([1] as never), /dict/);
  });
});

test("several schedulers compose multiplicatively, in order", () => {
  const o = sgd(1);
  const a = new LinearLR({ optimizer: o, startFactor: 0.5, end: 3, byEpoch: false });
  const b = new ExponentialLR({ optimizer: o, gamma: 0.5, byEpoch: false });
  assert.equal(lr(o), 0.5);
  a.step();
  b.step();
  assert.equal(lr(o), 0.5 * (1 + 0.5 / (2 * 0.5 + 0 * 0.5)) * 0.5);
});
