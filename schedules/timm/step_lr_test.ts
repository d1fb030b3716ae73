import { test } from "node:test";
import assert from "node:assert/strict";
import { type Optimizer, StepLRScheduler } from "../../mod.ts";
import { libm } from "../math.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values: timm's formula with hand-computed decay counts; values from timm are marked.

const lr = (o: Optimizer) => o.paramGroups[0]!.lr;

test("StepLRScheduler: defaults", async (t) => {
  await t.test("decayRate default 1.0: no decay at all", () => {
    const s = new StepLRScheduler({ optimizer: sgd(0.1), decayT: 2 });
    assert.equal(s.decayRate, 1.0);
    assert.deepEqual(s.getLr(100), [0.1]);
  });
  await t.test("warmupPrefix default true: the decay counts from the end of the warmup", () => {
    const optimizer = sgd(0.1);
    const s = new StepLRScheduler({
      optimizer,
      decayT: 10,
      decayRate: 0.5,
      warmupT: 4,
      warmupLrInit: 0.02,
    });
    assert.equal(s.warmupPrefix, true);
    assert.equal(lr(optimizer), 0.02);
    // timm: 0.02, 0.08, 0.1, 0.1, 0.05 at t = 0, 3, 4, 13, 14
    assert.deepEqual([0, 3, 4, 13, 14].map((t) => s.getLr(t)[0]), [0.02, 0.08, 0.1, 0.1, 0.05]);
  });
  await t.test("warmupT 0, tInEpochs true, no noise", () => {
    const optimizer = sgd(0.1);
    const s = new StepLRScheduler({ optimizer, decayT: 1, decayRate: 0.5 });
    assert.equal(lr(optimizer), 0.1);
    s.stepUpdate(3);
    assert.equal(lr(optimizer), 0.1);
    s.step(3);
    assert.equal(lr(optimizer), 0.1 * libm.pow(0.5, 3));
  });
});

test("StepLRScheduler: branches", async (t) => {
  await t.test("warmupPrefix false: the warmup counts towards the decay", () => {
    const s = new StepLRScheduler({
      optimizer: sgd(0.1),
      decayT: 10,
      decayRate: 0.5,
      warmupT: 4,
      warmupLrInit: 0.02,
      warmupPrefix: false,
    });
    // timm: 0.08, 0.1, 0.1, 0.05 at t = 3, 4, 9, 10
    assert.deepEqual([3, 4, 9, 10].map((t) => s.getLr(t)[0]), [0.08, 0.1, 0.1, 0.05]);
  });
  await t.test("fractional decayT: Python's float floor division", () => {
    const s = new StepLRScheduler({ optimizer: sgd(0.1), decayT: 2.5, decayRate: 0.5 });
    // timm: 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125 at t = 0, 2, 2.5, 4.9, 5, 7.5
    assert.deepEqual(
      [0, 2, 2.5, 4.9, 5, 7.5].map((t) => s.getLr(t)[0]),
      [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125],
    );
  });
  await t.test("1 // 0.1 is 9 in Python (0.1 is a little above a tenth), not Math.floor(1 / 0.1)", () => {
    const s = new StepLRScheduler({ optimizer: sgd(1), decayT: 0.1, decayRate: 0.5 });
    assert.deepEqual(s.getLr(1), [libm.pow(0.5, 9)]);
  });
  await t.test("decayT 0: ZeroDivisionError at the first step past the warmup", () => {
    const optimizer = sgd(0.1);
    const s = new StepLRScheduler({ optimizer, decayT: 0, warmupT: 2 });
    s.step(1);
    assert.throws(() => s.step(2), /division or modulo by zero/);
  });
});
