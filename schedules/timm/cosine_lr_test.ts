import { test } from "node:test";
import assert from "node:assert/strict";
import { CosineLRScheduler, type Optimizer } from "../../mod.ts";
import { libm } from "../math.ts";
import { sgd } from "../../testing/schedulers.ts";

// Expected values: timm's formula with the cycle position worked out by hand and the runtime's
// libm (the same functions lrspec calls), so that they hold on every runtime; integers from timm.

const lr = (o: Optimizer) => o.paramGroups[0]!.lr;
/** timm's cosine value at position tCurr of a cycle of length tI with peak lrMax. */
const cosine = (lrMin: number, lrMax: number, tCurr: number, tI: number, k = 1) =>
  lrMin + 0.5 * (lrMax - lrMin) * (1 + libm.cos(Math.PI * libm.pow(tCurr, k) / libm.pow(tI, k)));

test("CosineLRScheduler: defaults", async (t) => {
  const optimizer = sgd(0.1);
  const s = new CosineLRScheduler({ optimizer, tInitial: 10 });
  await t.test("warmupT default 0: the groups start at the base rate", () => {
    assert.equal(lr(optimizer), 0.1);
    assert.equal(s.warmupT, 0);
    assert.deepEqual(s.warmupSteps, [1]); // timm's placeholder
  });
  await t.test("lrMin default 0, cycleLimit default 1: the end of the first cycle is 0", () => {
    assert.deepEqual(s.getLr(10), [0]);
    assert.deepEqual(s.getLr(1000), [0]);
  });
  await t.test("cycleMul, cycleDecay, kDecay default 1: one plain cosine", () => {
    assert.deepEqual(s.getLr(5), [cosine(0, 0.1, 5, 10)]);
    assert.deepEqual(s.getLr(3), [cosine(0, 0.1, 3, 10)]);
  });
  await t.test("tInEpochs default true, noise default none, initialize default true", () => {
    s.stepUpdate(5);
    assert.equal(lr(optimizer), 0.1);
    s.step(5);
    assert.equal(lr(optimizer), cosine(0, 0.1, 5, 10));
    assert.equal(s.noiseRangeT, null);
    assert.equal(optimizer.paramGroups[0]!.initialLr, 0.1);
  });
  await t.test("warmupPrefix default false; getCycleLength() default: tInitial · cycleLimit", () => {
    assert.equal(s.warmupPrefix, false);
    assert.equal(s.getCycleLength(), 10);
  });
});

test("CosineLRScheduler: branches", async (t) => {
  await t.test("warmup: t < warmupT is linear from warmupLrInit, written at construction", () => {
    const optimizer = sgd(0.1, 0.3);
    const s = new CosineLRScheduler({ optimizer, tInitial: 30, warmupT: 5, warmupLrInit: 1e-4 });
    assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [1e-4, 1e-4]);
    assert.deepEqual(s.warmupSteps, [(0.1 - 1e-4) / 5, (0.3 - 1e-4) / 5]);
    assert.deepEqual(s.getLr(2), [1e-4 + 2 * ((0.1 - 1e-4) / 5), 1e-4 + 2 * ((0.3 - 1e-4) / 5)]);
  });
  await t.test("warmupPrefix false: the warmup overlays the cycle (t = warmupT is cosine at warmupT)", () => {
    const s = new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: 30, warmupT: 5 });
    assert.deepEqual(s.getLr(5), [cosine(0, 0.1, 5, 30)]);
    assert.deepEqual(s.getLr(30), [0]);
    assert.equal(s.getCycleLength(), 30);
  });
  await t.test("warmupPrefix true: the cycle starts after the warmup", () => {
    const s = new CosineLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 30,
      warmupT: 5,
      warmupPrefix: true,
    });
    assert.deepEqual(s.getLr(5), [0.1]); // cos(0)
    assert.deepEqual(s.getLr(12), [cosine(0, 0.1, 7, 30)]);
    assert.deepEqual(s.getLr(35), [0]);
    assert.equal(s.getCycleLength(), 35);
  });
  await t.test("cycleMul = 1: i = t // tInitial, restarts decayed by cycleDecay^i, cycleLimit", () => {
    const s = new CosineLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 7,
      cycleDecay: 0.3,
      cycleLimit: 3,
      lrMin: 1e-5,
    });
    assert.deepEqual(s.getLr(9), [cosine(1e-5, 0.1 * 0.3, 2, 7)]);
    assert.deepEqual(s.getLr(14), [cosine(1e-5, 0.1 * libm.pow(0.3, 2), 0, 7)]);
    assert.deepEqual(s.getLr(21), [1e-5]); // cycle 3 >= cycleLimit
    assert.equal(s.getCycleLength(), 21);
  });
  await t.test("cycleMul ≠ 1: the log-based cycle index (cycles 5, 10, 20 long)", () => {
    const s = new CosineLRScheduler({
      optimizer: sgd(0.1),
      tInitial: 5,
      cycleMul: 2.0,
      cycleDecay: 0.5,
      cycleLimit: 3,
      lrMin: 1e-4,
    });
    assert.deepEqual(s.getLr(4), [cosine(1e-4, 0.1, 4, 5)]);
    assert.deepEqual(s.getLr(6), [cosine(1e-4, 0.05, 1, 10)]); // second cycle: tI = 2 · 5
    assert.deepEqual(s.getLr(35), [1e-4]); // 5 + 10 + 20: past the third cycle
    assert.deepEqual(s.getLr(0), [0.1]);
    assert.equal(s.getCycleLength(), 35);
    assert.equal(s.getCycleLength(2), 15);
  });
  await t.test("cycleMul < 1: log of a number <= 0 once the cycles run out (timm ValueError)", () => {
    const optimizer = sgd(0.1);
    const s = new CosineLRScheduler({ optimizer, tInitial: 10, cycleMul: 0.5, cycleLimit: 9 });
    s.step(19);
    assert.throws(() => s.step(20), /math domain error/);
  });
  await t.test("kDecay: the cosine's argument is π · tCurr^k / tI^k", () => {
    const s = new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: 10, kDecay: 2.0 });
    assert.deepEqual(s.getLr(3), [cosine(0, 0.1, 3, 10, 2)]);
    assert.deepEqual(s.getLr(3), [0.5 * 0.1 * (1 + libm.cos(Math.PI * 9 / 100))]);
  });
  await t.test("getCycleLength: cycleMul ≠ 1 floors −tInitial · (mul^n − 1) / (1 − mul); cycles 0 → cycleLimit", () => {
    // timm: 23, 37 and 14
    const optimizer = sgd(0.1);
    assert.equal(
      new CosineLRScheduler({ optimizer, tInitial: 5, cycleMul: 1.5, cycleLimit: 3 })
        .getCycleLength(),
      23,
    );
    const prefix = { tInitial: 5, cycleMul: 2.0, cycleLimit: 3, warmupT: 2, warmupPrefix: true };
    assert.equal(new CosineLRScheduler({ optimizer, ...prefix }).getCycleLength(), 37);
    assert.equal(
      new CosineLRScheduler({ optimizer, tInitial: 7, cycleLimit: 0 }).getCycleLength(2),
      14,
    );
    assert.equal(
      new CosineLRScheduler({ optimizer, tInitial: 7, cycleLimit: 0 }).getCycleLength(),
      7,
    );
  });
  await t.test("tInEpochs false: stepUpdate(numUpdates) drives it", () => {
    const optimizer = sgd(0.1);
    const s = new CosineLRScheduler({ optimizer, tInitial: 300, tInEpochs: false });
    s.step(150);
    assert.equal(lr(optimizer), 0.1);
    s.stepUpdate(150);
    assert.equal(lr(optimizer), cosine(0, 0.1, 150, 300));
  });
  await t.test("lrScale: each group's value times its scale", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 0.1, lrScale: 0.5 }, { lr: 0.1 }] };
    const s = new CosineLRScheduler({ optimizer, tInitial: 10 });
    s.step(4);
    assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [
      cosine(0, 0.1, 4, 10) * 0.5,
      cosine(0, 0.1, 4, 10),
    ]);
  });
  await t.test("noise: v + v · noise inside noiseRangeT", () => {
    const optimizer = sgd(0.1);
    const s = new CosineLRScheduler({
      optimizer,
      tInitial: 100,
      noiseRangeT: [5, 10],
      noisePct: 0.3,
    });
    s.step(5);
    const v = cosine(0, 0.1, 5, 100);
    assert.equal(lr(optimizer), v + v * 0.2941133975982666); // timm's noise at seed 42 + 5
  });
});

test("CosineLRScheduler: timm's assertions and lrspec's validation", async (t) => {
  await t.test("tInitial > 0 and lrMin >= 0 (timm asserts)", () => {
    assert.throws(() => new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: 0 }), RangeError);
    assert.throws(
      () => new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: 5, lrMin: -1e-5 }),
      /lrMin.*timm asserts/,
    );
  });
  await t.test("unknown options (timm's snake_case) and noiseType are refused", () => {
    assert.throws(
      () => new CosineLRScheduler({ optimizer: sgd(0.1), t_initial: 5 } as never),
      /did you mean `tInitial`/,
    );
    assert.throws(
      () =>
        new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: 5, noiseType: "normal" } as never),
      TypeError,
    );
    assert.throws(() => new CosineLRScheduler({ optimizer: sgd(0.1), tInitial: NaN }), RangeError);
  });
});
