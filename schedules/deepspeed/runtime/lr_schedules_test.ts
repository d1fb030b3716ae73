import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LRRangeTest,
  OneCycle,
  type Optimizer,
  WarmupCosineLR,
  WarmupDecayLR,
  WarmupLR,
} from "../mod.ts";
import { libm } from "../../math.ts";
import { throwsWith } from "../../../testing/throws.ts";

// Expected values: DeepSpeed's formulas written out at hand-picked batches, with the runtime's libm.

const adam = (...lrs: number[]): Optimizer => ({
  paramGroups: lrs.map((lr) => ({ lr, betas: [0.9, 0.999] })),
  defaults: { lr: lrs[0]!, betas: [0.9, 0.999] },
});
const sgd = (...lrs: number[]): Optimizer => ({
  paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })),
  defaults: { lr: lrs[0]!, momentum: 0.9 },
});
const lr = (o: Optimizer, j = 0) => o.paramGroups[j]!.lr;

test("WarmupLR", async (t) => {
  await t.test("defaults: min 0, max = each group's lr, 1000 steps, log", () => {
    const o = adam(1e-3, 2e-4);
    const s = new WarmupLR({ optimizer: o });
    assert.deepEqual(s.minLrs, [0, 0]);
    assert.deepEqual(s.maxLrs, [1e-3, 2e-4]);
    assert.equal(s.warmupNumSteps, 1000);
    assert.equal(s.warmupType, "log");
    assert.equal(s.lastBatchIteration, -1);
    assert.deepEqual([lr(o), lr(o, 1)], [0, 0]);
    assert.deepEqual(s.warnings, [
      "Attempting to get learning rate from scheduler before it has started",
    ]);
  });
  await t.test("log: γ = log(i + 1) / log(W); the first two steps at min", () => {
    const o = adam(1e-3);
    const s = new WarmupLR({ optimizer: o, warmupNumSteps: 50 });
    s.step();
    assert.equal(lr(o), 0);
    s.step(9);
    assert.equal(lr(o), 0 + 1e-3 * ((1.0 / libm.log(50)) * libm.log(10)));
    s.step(50);
    assert.equal(lr(o), 1e-3);
  });
  await t.test("linear: γ = i / W", () => {
    const o = adam(1);
    const s = new WarmupLR({
      optimizer: o,
      warmupNumSteps: 40,
      warmupType: "linear",
      warmupMinLr: 1e-5,
      warmupMaxLr: 3e-4,
    });
    s.step(10);
    assert.equal(lr(o), 1e-5 + (3e-4 - 1e-5) * (10 / 40));
  });
  await t.test("warmupNumSteps 1 is raised to 2", () => {
    assert.equal(new WarmupLR({ optimizer: adam(1), warmupNumSteps: 1 }).warmupNumSteps, 2);
  });
  await t.test("an unknown warmupType is log, with DeepSpeed's warning", () => {
    const s = new WarmupLR({ optimizer: adam(1), warmupType: "cosine" });
    assert.equal(s.warmupType, "log");
    assert.match(s.warnings[0]!, /Using unknown warmup_type: cosine/);
  });
  await t.test("per-group lists; a wrong length", () => {
    const o = sgd(0.1, 0.1);
    new WarmupLR({ optimizer: o, warmupMinLr: [0, 1e-6], warmupMaxLr: [1, 2] });
    assert.equal(lr(o, 1), 1e-6);
    throwsWith(
      () => new WarmupLR({ optimizer: o, warmupMinLr: [0, 0, 0] }),
      RangeError,
      /expected 2 value for minLr, got 3/,
    );
  });
  await t.test("warmupNumSteps must be a positive integer", () => {
    throwsWith(() => new WarmupLR({ optimizer: adam(1), warmupNumSteps: 0 }), RangeError);
    throwsWith(() => new WarmupLR({ optimizer: adam(1), warmupNumSteps: 10.5 }), RangeError);
  });
  await t.test("resume: lastBatchIteration set writes nothing; state dict", () => {
    const o = adam(1e-3);
    const s = new WarmupLR({ optimizer: o, lastBatchIteration: 17 });
    assert.equal(lr(o), 1e-3);
    throwsWith(() => s.getLastLr(), RangeError, /need to call step\(\) first/);
    s.step();
    assert.equal(s.lastBatchIteration, 18);
    assert.deepEqual(s.stateDict(), { lastBatchIteration: 18 });
    s.loadStateDict({ lastBatchIteration: 3 });
    assert.equal(s.lastBatchIteration, 3);
    assert.deepEqual(s.getLastLr(), [lr(o)]);
    throwsWith(() => s.loadStateDict({}), TypeError, /lastBatchIteration/);
  });
});

test("WarmupDecayLR", async (t) => {
  await t.test("warmupMaxLr defaults to 0.001 (not the group's lr)", () => {
    const o = adam(0.5);
    const s = new WarmupDecayLR({ optimizer: o, totalNumSteps: 100, warmupNumSteps: 10 });
    assert.deepEqual(s.maxLrs, [0.001]);
  });
  await t.test("linear decay to 0 at totalNumSteps, then 0", () => {
    const o = adam(1);
    const s = new WarmupDecayLR({
      optimizer: o,
      totalNumSteps: 100,
      warmupNumSteps: 10,
      warmupMaxLr: 1,
    });
    s.step(40);
    assert.equal(lr(o), 0 + 1 * ((100 - 40) / 90));
    s.step(100);
    assert.equal(lr(o), 0);
    s.step(150);
    assert.equal(lr(o), 0);
  });
  await t.test("totalNumSteps <= warmup: the span is 1; a warning", () => {
    const o = adam(1);
    const s = new WarmupDecayLR({ optimizer: o, totalNumSteps: 10, warmupNumSteps: 30 });
    s.step(30);
    assert.equal(lr(o), 0);
    assert.match(s.warnings.at(-1)!, /total_num_steps 10 is less than warmup_num_steps 30/);
  });
});

test("WarmupCosineLR", async (t) => {
  await t.test("defaults and lr 0 at construction", () => {
    const o = adam(3e-4, 1e-4);
    const s = new WarmupCosineLR({ optimizer: o, totalNumSteps: 200 });
    assert.deepEqual([s.warmupMinRatio, s.warmupNumSteps, s.cosMinRatio, s.warmupType], [
      0,
      1000,
      0.0001,
      "log",
    ]);
    assert.deepEqual(s.orgLrs, [3e-4, 1e-4]);
    assert.deepEqual([lr(o), lr(o, 1)], [0, 0]);
  });
  await t.test("warmup of the ratio (linear), then cosine, clamped at the end", () => {
    const o = adam(1);
    const s = new WarmupCosineLR({
      optimizer: o,
      totalNumSteps: 110,
      warmupNumSteps: 10,
      warmupType: "linear",
      warmupMinRatio: 0.1,
      cosMinRatio: 0.05,
    });
    s.step(5);
    assert.equal(lr(o), 1 * (0.1 + (5 / 10) * (1 - 0.1)));
    s.step(59);
    const cos = (1 + libm.cos(Math.PI * (50 / 100))) / 2;
    assert.equal(lr(o), 1 * (0.05 + (1 - 0.05) * cos));
    s.step(500);
    assert.equal(lr(o), 1 * (0.05 + (1 - 0.05) * ((1 + libm.cos(Math.PI * 1)) / 2)));
  });
  await t.test("log warmup", () => {
    const o = adam(1);
    const s = new WarmupCosineLR({ optimizer: o, totalNumSteps: 100, warmupNumSteps: 20 });
    s.step(4);
    assert.equal(lr(o), 1 * (0 + (1.0 / libm.log(20)) * libm.log(5) * (1 - 0)));
  });
  await t.test("unknown warmupType: log with a warning; a bad warmupNumSteps", () => {
    const s = new WarmupCosineLR({ optimizer: adam(1), totalNumSteps: 10, warmupType: "exp" });
    assert.equal(s.warmupType, "log");
    assert.match(s.warnings.join(), /unknown warmup_type: exp/);
    throwsWith(
      () => new WarmupCosineLR({ optimizer: adam(1), totalNumSteps: 10, warmupNumSteps: -1 }),
      RangeError,
    );
  });
});

test("OneCycle", async (t) => {
  await t.test("defaults; Adam: betas = (cycleMinMom, 0.99) at construction", () => {
    const o = adam(1);
    const s = new OneCycle({ optimizer: o, cycleMinLr: 1e-4, cycleMaxLr: 1e-3 });
    assert.deepEqual(
      [s.firstStepSize, s.secondStepSize, s.firstStairCount, s.secondStairCount, s.decayStepSize],
      [2000, 2000, 0, 0, 0],
    );
    assert.deepEqual([s.decayLrRate, s.decayMomRate, s.cycleMomentum], [0, 0, true]);
    assert.equal(lr(o), 1e-4);
    assert.deepEqual(o.paramGroups[0]!.betas, [0.8, 0.99]);
    assert.deepEqual([s.skipLrDecay, s.skipMomDecay], [true, true]);
  });
  await t.test("SGD: momentum not cycled, with DeepSpeed's warning", () => {
    const o = sgd(0.1);
    const s = new OneCycle({ optimizer: o, cycleMinLr: 0.01, cycleMaxLr: 0.1 });
    assert.equal(s.cycleMomentum, false);
    assert.match(s.warnings[0]!, /cycle_momentum is disabled/);
    s.step();
    assert.equal(o.paramGroups[0]!.betas, undefined);
  });
  await t.test("the triangle and the inverse momentum", () => {
    const o = adam(1);
    const s = new OneCycle({
      optimizer: o,
      cycleMinLr: 0,
      cycleMaxLr: 1,
      cycleFirstStepSize: 4,
      cycleSecondStepSize: 6,
    });
    s.step(1); // b = 2
    assert.equal(lr(o), 0 + (1 - 0) * ((1 + 2 / 10 - 1) / (4 / 10)));
    s.step(6); // b = 7: falling
    const sf = (1 + 7 / 10 - 1 - 1) / (4 / 10 - 1);
    assert.equal(lr(o), sf);
    assert.deepEqual(o.paramGroups[0]!.betas, [0.9 - (0.9 - 0.8) * sf, 0.99]);
  });
  await t.test("stairs", () => {
    const o = adam(1);
    const s = new OneCycle({
      optimizer: o,
      cycleMinLr: 0,
      cycleMaxLr: 1,
      cycleFirstStepSize: 12,
      cycleFirstStairCount: 4,
    });
    assert.equal(s.secondStairCount, 4);
    s.step(3); // b = 4: 4·4/12 = 1.33 → 1 stair
    assert.equal(lr(o), 1 / 4);
    s.step(15); // b = 16: (24 − 16)·4/12 = 2.67 → 2
    assert.equal(lr(o), 2 / 4);
  });
  await t.test("decay after the cycle (rate and momentum)", () => {
    const o = adam(1);
    const s = new OneCycle({
      optimizer: o,
      cycleMinLr: 1e-4,
      cycleMaxLr: 1e-3,
      cycleFirstStepSize: 5,
      decayStepSize: 2,
      decayLrRate: 0.5,
      decayMomRate: 0.1,
    });
    s.step(12); // k = 12 − 10 + 1 = 3
    assert.equal(lr(o), 1e-4 / (1 + 0.5 * (3 / 2)));
    assert.deepEqual(o.paramGroups[0]!.betas, [0.9 * (1 + 0.1 * (3 / 2)), 0.99]);
  });
  await t.test("no decay: the rate stays at cycleMinLr, momentum at cycleMaxMom", () => {
    const o = adam(1);
    const s = new OneCycle({
      optimizer: o,
      cycleMinLr: 1e-4,
      cycleMaxLr: 1e-3,
      cycleFirstStepSize: 2,
    });
    s.step(10);
    assert.equal(lr(o), 1e-4);
    assert.deepEqual(o.paramGroups[0]!.betas, [0.9, 0.99]);
  });
  await t.test("cycleMomentum false; errors", () => {
    const o = adam(1);
    new OneCycle({ optimizer: o, cycleMinLr: 0, cycleMaxLr: 1, cycleMomentum: false }).step();
    assert.deepEqual(o.paramGroups[0]!.betas, [0.9, 0.999]);
    throwsWith(
      () => new OneCycle({ optimizer: o, cycleMinLr: 0, cycleMaxLr: 1, cycleFirstStepSize: 0 }),
      RangeError,
      /must be positive/,
    );
    throwsWith(
      () => new OneCycle({ optimizer: o, cycleMinLr: 0, cycleMaxLr: 1, cycleSecondStepSize: -1 }),
      RangeError,
      /non-negative/,
    );
    throwsWith(
      () => new OneCycle({ optimizer: o, cycleMinLr: [0, 0], cycleMaxLr: 1 }),
      RangeError,
      /expected 1 value for cycle_min_lr/,
    );
  });
});

test("LRRangeTest", async (t) => {
  await t.test("defaults: 1e-3, 2000, 1.0, continuous", () => {
    const o = sgd(0.1);
    const s = new LRRangeTest({ optimizer: o });
    assert.deepEqual([s.minLr, s.stepSize, s.stepRate, s.staircase], [[1e-3], 2000, 1.0, false]);
    assert.equal(lr(o), 1e-3);
    s.step(999);
    assert.equal(lr(o), 1e-3 * (1 + 1.0 * (1000 / 2000)));
  });
  await t.test("staircase", () => {
    const o = sgd(0.1);
    const s = new LRRangeTest({
      optimizer: o,
      lrRangeTestMinLr: 1e-5,
      lrRangeTestStepSize: 7,
      lrRangeTestStaircase: true,
    });
    s.step(12); // floor(13 / 7) = 1
    assert.equal(lr(o), 1e-5 * (1 + 1.0 * 1));
  });
  await t.test("errors", () => {
    throwsWith(() => new LRRangeTest({ optimizer: sgd(1), lrRangeTestStepSize: 0 }), RangeError);
    throwsWith(
      () => new LRRangeTest({ optimizer: sgd(1), lrRangeTestMinLr: [1, 2] }),
      RangeError,
    );
    throwsWith(
      () => new LRRangeTest({ optimizer: sgd(1), lr_range_test_min_lr: 1 } as never),
      TypeError,
      /lrRangeTestMinLr/,
    );
  });
});
