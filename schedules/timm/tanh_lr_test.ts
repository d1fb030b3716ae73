import { test } from "node:test";
import assert from "node:assert/strict";
import { type Optimizer, TanhLRScheduler } from "../../mod.ts";
import { libm } from "../math.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values: timm's formula at hand-computed cycle positions, with the runtime's libm (the
// functions lrspec calls), so that they hold on every runtime.

const lr = (o: Optimizer) => o.paramGroups[0]!.lr;
/** timm's tanh value at tr = tCurr / tI. */
const tanhAt = (lrMin: number, lrMax: number, tr: number, lb = -7.0, ub = 3.0) =>
  lrMin + 0.5 * (lrMax - lrMin) * (1 - libm.tanh(lb * (1. - tr) + ub * tr));

test("TanhLRScheduler: defaults", async (t) => {
  const optimizer = sgd(0.1);
  const s = new TanhLRScheduler({ optimizer, tInitial: 10 });
  await t.test("lb default -7, ub default 3", () => {
    assert.deepEqual([s.lb, s.ub], [-7, 3]);
    assert.deepEqual(s.getLr(5), [tanhAt(0, 0.1, 0.5)]);
    assert.deepEqual(s.getLr(0), [tanhAt(0, 0.1, 0)]);
  });
  await t.test("lrMin 0, cycleLimit 1, cycleMul 1, cycleDecay 1: one curve, then 0", () => {
    assert.deepEqual(s.getLr(10), [0]);
    assert.deepEqual(s.getLr(7), [tanhAt(0, 0.1, 0.7)]);
  });
  await t.test("warmupT 0: the groups start at the base rate; tInEpochs true; no noise", () => {
    assert.equal(lr(optimizer), 0.1);
    s.stepUpdate(5);
    assert.equal(lr(optimizer), 0.1);
    s.step(5);
    assert.equal(lr(optimizer), tanhAt(0, 0.1, 0.5));
    assert.equal(s.noiseRangeT, null);
    assert.equal(s.getCycleLength(), 10);
  });
});

test("TanhLRScheduler: branches", async (t) => {
  await t.test("warmup without prefix rises to the curve's value at warmupT, not to the base", () => {
    const optimizer = sgd(0.1);
    const s = new TanhLRScheduler({ optimizer, tInitial: 10, warmupT: 3, warmupLrInit: 0.01 });
    assert.equal(lr(optimizer), 0.01);
    const target = tanhAt(0, 0.1, 0.3);
    assert.deepEqual(s.warmupSteps, [(target - 0.01) / 3]);
    assert.deepEqual(s.getLr(2), [0.01 + 2 * ((target - 0.01) / 3)]);
    assert.deepEqual(s.getLr(3), [target]);
  });
  await t.test("warmup with prefix rises to the base; the curve starts after it", () => {
    const s = new TanhLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 10,
      warmupT: 3,
      warmupLrInit: 0.01,
      warmupPrefix: true,
    });
    assert.deepEqual(s.warmupSteps, [(0.1 - 0.01) / 3]);
    assert.deepEqual(s.getLr(3), [tanhAt(0, 0.1, 0)]);
    assert.deepEqual(s.getLr(13), [0]);
    assert.equal(s.getCycleLength(), 13);
  });
  await t.test("cycles: cycleMul 2, cycleDecay 0.5, cycleLimit 2", () => {
    const s = new TanhLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 4,
      cycleMul: 2,
      cycleDecay: 0.5,
      cycleLimit: 2,
      lrMin: 1e-3,
    });
    assert.deepEqual(s.getLr(6), [tanhAt(1e-3, 0.05, 2 / 8)]); // second cycle, 8 long
    assert.deepEqual(s.getLr(12), [1e-3]);
  });
  await t.test("lb, ub: the tanh's argument runs from lb to ub", () => {
    const s = new TanhLRScheduler({ optimizer: sgd(0.1), tInitial: 20, lb: -2.5, ub: 5.5 });
    assert.deepEqual(s.getLr(5), [tanhAt(0, 0.1, 0.25, -2.5, 5.5)]);
  });
});

test("TanhLRScheduler: timm's assertions", () => {
  const optimizer = sgd(0.1);
  const bad: [string, Record<string, number>][] = [
    ["tInitial > 0", { tInitial: 0 }],
    ["lrMin >= 0", { tInitial: 5, lrMin: -1 }],
    ["lb < ub", { tInitial: 5, lb: 3, ub: 3 }],
    ["cycleLimit >= 0", { tInitial: 5, cycleLimit: -1 }],
    ["warmupT >= 0", { tInitial: 5, warmupT: -1 }],
    ["warmupLrInit >= 0", { tInitial: 5, warmupLrInit: -1e-3 }],
  ];
  for (const [what, options] of bad) {
    assert.throws(
      () => new TanhLRScheduler({ optimizer, ...options } as never),
      RangeError,
      `TanhLRScheduler asserts ${what}`,
    );
  }
  assert.equal(optimizer.paramGroups[0]!.initialLr, undefined); // nothing touched
});
