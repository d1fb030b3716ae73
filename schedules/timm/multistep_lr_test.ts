import { test } from "node:test";
import assert from "node:assert/strict";
import { MultiStepLRScheduler, type Optimizer } from "../../mod.ts";
import { libm } from "../math.ts";
import { sgd } from "../../testing/schedulers.ts";

const lr = (o: Optimizer) => o.paramGroups[0]!.lr;

test("MultiStepLRScheduler: defaults", async (t) => {
  await t.test("decayRate default 1.0: the milestones change nothing", () => {
    const s = new MultiStepLRScheduler({ optimizer: sgd(0.1), decayT: [1, 2] });
    assert.deepEqual(s.getLr(5), [0.1]);
  });
  await t.test("warmupPrefix default true, warmupT 0, tInEpochs true", () => {
    const optimizer = sgd(0.1);
    const s = new MultiStepLRScheduler({
      optimizer,
      decayT: [10],
      decayRate: 0.5,
      warmupT: 4,
      warmupLrInit: 0.02,
    });
    assert.equal(s.warmupPrefix, true);
    assert.deepEqual([8, 13].map((t) => s.getLr(t)[0]), [0.1, 0.05]); // t − 4 + 1 ≥ 10 at 13
    const plain = sgd(0.1);
    const p = new MultiStepLRScheduler({ optimizer: plain, decayT: [2], decayRate: 0.5 });
    assert.equal(lr(plain), 0.1);
    p.stepUpdate(5);
    assert.equal(lr(plain), 0.1);
    p.step(5);
    assert.equal(lr(plain), 0.05);
  });
});

test("MultiStepLRScheduler: branches", async (t) => {
  await t.test("t + 1: each decay one step before its milestone; a repeated milestone counts twice", () => {
    const s = new MultiStepLRScheduler({ optimizer: sgd(0.1), decayT: [3, 3, 8], decayRate: 0.1 });
    // timm: 0.1, 0.1, 0.0010000000000000002, 0.0010000000000000002, 0.00010000000000000003
    assert.deepEqual([0, 1].map((t) => s.getLr(t)[0]), [0.1, 0.1]);
    assert.deepEqual(s.getLr(2), [0.1 * libm.pow(0.1, 2)]);
    assert.deepEqual(s.getLr(7), [0.1 * libm.pow(0.1, 3)]);
    assert.equal(s.getCurrDecaySteps(1), 0);
    assert.equal(s.getCurrDecaySteps(2), 2);
  });
  await t.test("a milestone at 0 or 1 applies from t = 0", () => {
    const s = new MultiStepLRScheduler({ optimizer: sgd(0.1), decayT: [1, 5], decayRate: 0.5 });
    assert.deepEqual(s.getLr(0), [0.05]);
  });
  await t.test("unsorted milestones: Python's bisect_right on the list as given", () => {
    const s = new MultiStepLRScheduler({ optimizer: sgd(0.1), decayT: [9, 2, 5], decayRate: 0.5 });
    assert.equal(s.getCurrDecaySteps(0), 0);
    assert.equal(s.getCurrDecaySteps(4), 3); // bisect on [9, 2, 5] for 5: 3, though 9 > 5
    assert.deepEqual(s.getLr(4), [0.1 * libm.pow(0.5, 3)]);
  });
  await t.test("warmupPrefix false: milestones count from t = 0", () => {
    const s = new MultiStepLRScheduler({
      optimizer: sgd(0.1),
      decayT: [5],
      decayRate: 0.5,
      warmupT: 3,
      warmupPrefix: false,
    });
    assert.deepEqual([3, 4].map((t) => s.getLr(t)[0]), [0.1, 0.05]);
  });
  await t.test("decayT must be an array of numbers", () => {
    assert.throws(
      () => new MultiStepLRScheduler({ optimizer: sgd(0.1), decayT: 5 as never }),
      TypeError,
    );
  });
});
