import { test } from "node:test";
import assert from "node:assert/strict";
import { type Optimizer, PolyLRScheduler } from "../../mod.ts";
import { libm } from "../math.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values: timm's formula at hand-computed cycle positions, with the runtime's libm.

const lr = (o: Optimizer) => o.paramGroups[0]!.lr;
const poly = (lrMin: number, lrMax: number, tCurr: number, tI: number, power: number, k = 1) =>
  lrMin + (lrMax - lrMin) * libm.pow(1 - libm.pow(tCurr, k) / libm.pow(tI, k), power);

test("PolyLRScheduler: defaults", async (t) => {
  const optimizer = sgd(0.1);
  const s = new PolyLRScheduler({ optimizer, tInitial: 10 });
  await t.test("power default 0.5: a square-root decay", () => {
    assert.equal(s.power, 0.5);
    assert.deepEqual(s.getLr(3), [0.1 * libm.pow(0.7, 0.5)]);
  });
  await t.test("lrMin 0, cycleLimit 1, kDecay 1, warmupT 0, tInEpochs true", () => {
    assert.deepEqual(s.getLr(10), [0]);
    assert.equal(lr(optimizer), 0.1);
    s.stepUpdate(3);
    assert.equal(lr(optimizer), 0.1);
    s.step(3);
    assert.equal(lr(optimizer), poly(0, 0.1, 3, 10, 0.5));
    assert.equal(s.getCycleLength(), 10);
  });
});

test("PolyLRScheduler: branches", async (t) => {
  await t.test("power, kDecay, lrMin, cycles: (1 − tCurr^k / tI^k)^power", () => {
    const s = new PolyLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 10,
      power: 2.0,
      kDecay: 0.5,
      lrMin: 1e-3,
      cycleLimit: 2,
      cycleDecay: 0.5,
    });
    assert.deepEqual(s.getLr(3), [poly(1e-3, 0.1, 3, 10, 2, 0.5)]);
    assert.deepEqual(s.getLr(10), [0.05]); // restart at 0.1 · 0.5
    assert.deepEqual(s.getLr(13), [poly(1e-3, 0.05, 3, 10, 2, 0.5)]);
    assert.deepEqual(s.getLr(20), [1e-3]);
  });
  await t.test("warmup with and without prefix", () => {
    const a = new PolyLRScheduler({ optimizer: sgd(0.1), tInitial: 10, warmupT: 2 });
    assert.deepEqual(a.getLr(1), [0 + 1 * (0.1 / 2)]);
    assert.deepEqual(a.getLr(2), [poly(0, 0.1, 2, 10, 0.5)]);
    const b = new PolyLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 10,
      warmupT: 2,
      warmupPrefix: true,
    });
    assert.deepEqual(b.getLr(2), [0.1]);
    assert.equal(b.getCycleLength(), 12);
  });
  await t.test("cycleMul ≠ 1: second cycle twice as long", () => {
    const s = new PolyLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 5,
      cycleMul: 2,
      cycleLimit: 2,
      power: 1,
    });
    assert.deepEqual(s.getLr(7), [poly(0, 0.1, 2, 10, 1)]);
    assert.equal(s.getCycleLength(), 15);
  });
});

test("PolyLRScheduler: timm's assertions", () => {
  assert.throws(() => new PolyLRScheduler({ optimizer: sgd(0.1), tInitial: -1 }), RangeError);
  assert.throws(
    () => new PolyLRScheduler({ optimizer: sgd(0.1), tInitial: 1, lrMin: -1 }),
    RangeError,
  );
});
