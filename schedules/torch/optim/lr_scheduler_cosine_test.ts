import { test } from "node:test";
import assert from "node:assert/strict";
import { CosineAnnealingLR, CosineAnnealingWarmRestarts, type Optimizer } from "../../../mod.ts";
import { libm } from "../../math.ts";
import { assertResumes, series, sgd } from "../../../testing/schedulers.ts";

// Expected values were produced by torch 1.13 (glibc's cos; the cases below are ones where every
// runtime's cos agrees with glibc's, which the conformance suite checks over thousands more).

test("CosineAnnealingLR", async (t) => {
  await t.test("torch's recursive values, and the climb back past TMax", () => {
    const optimizer = sgd(1);
    const s = new CosineAnnealingLR({ optimizer, TMax: 4, etaMin: 0.1 });
    assert.deepEqual(series(optimizer, s, 10), [
      1,
      0.8681980515339464,
      0.55,
      0.23180194846605368,
      0.1,
      0.2318019484660536, // (e − 1 − T) mod 2T = 0: the special branch
      0.55,
      0.8681980515339467,
      1.0000000000000004, // recursive: not exactly the initial lr
      0.8681980515339468,
      0.5500000000000004,
    ]);
    s.step(2); // the closed form
    assert.equal(optimizer.paramGroups[0]!.lr, 0.55);
  });
  await t.test("torch 1.13: the first step after resuming with lastEpoch uses the closed form", () => {
    const optimizer: Optimizer = { paramGroups: [{ lr: 1, initialLr: 1 }] };
    const s = new CosineAnnealingLR({ optimizer, TMax: 4, lastEpoch: 1, torch: "1.13" });
    assert.equal(s.lastEpoch, 2);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
  });
  await t.test("every cos goes through libm (the conformance oracle's seam)", () => {
    const calls: number[] = [];
    const saved = libm.cos;
    libm.cos = (x) => {
      calls.push(x);
      return saved(x);
    };
    try {
      const s = new CosineAnnealingLR({ optimizer: sgd(1), TMax: 3 });
      s.step();
      s.step();
    } finally {
      libm.cos = saved;
    }
    assert.deepEqual(calls, [Math.PI * 1 / 3, Math.PI * 0 / 3, Math.PI * 2 / 3, Math.PI * 1 / 3]);
  });
  await t.test("validation and resume", () => {
    for (const TMax of [0, -3]) {
      assert.throws(() => new CosineAnnealingLR({ optimizer: sgd(1), TMax }), {
        name: "RangeError",
        message: `CosineAnnealingLR: \`TMax\` must be > 0: got ${TMax}`,
      });
    }
    assert.throws(() => new CosineAnnealingLR({ optimizer: sgd(1), T_max: 3 } as never), {
      name: "TypeError",
      message: /unknown option `T_max`/,
    });
    assertResumes(() => {
      const optimizer = sgd(0.1, 0.02);
      return { optimizer, s: new CosineAnnealingLR({ optimizer, TMax: 7, etaMin: 1e-4 }) };
    }, 9);
  });
});

test("CosineAnnealingWarmRestarts", async (t) => {
  await t.test("integer steps: restarts after 2, 4, 8 epochs", () => {
    const optimizer = sgd(1);
    const s = new CosineAnnealingWarmRestarts({ optimizer, T0: 2, TMult: 2 });
    assert.deepEqual(series(optimizer, s, 8), [
      1,
      0.5,
      1,
      0.8535533905932737,
      0.5,
      0.14644660940672627,
      1,
      0.9619397662556434,
      0.8535533905932737,
    ]);
    assert.deepEqual([s.TCur, s.Ti, s.lastEpoch], [2, 8, 8]);
  });
  await t.test("fractional epochs, then step() continues from floor(epoch) + 1", () => {
    const optimizer = sgd(1);
    const s = new CosineAnnealingWarmRestarts({ optimizer, T0: 2, TMult: 2 });
    s.step(5.5);
    assert.deepEqual([optimizer.paramGroups[0]!.lr, s.TCur, s.Ti, s.lastEpoch], [
      0.03806023374435663,
      3.5,
      4,
      5,
    ]);
    s.step();
    assert.deepEqual([optimizer.paramGroups[0]!.lr, s.TCur, s.Ti, s.lastEpoch], [
      0.9903926402016152,
      0.5,
      8,
      6,
    ]);
  });
  await t.test("torch's float log: step(111) with T0 1, TMult 10 is not a restart", () => {
    const optimizer = sgd(1);
    const s = new CosineAnnealingWarmRestarts({ optimizer, T0: 1, TMult: 10 });
    s.step(111); // log(1000) / log(10) = 2.9999999999999996, so n = 2
    assert.deepEqual([optimizer.paramGroups[0]!.lr, s.TCur, s.Ti], [0, 100, 100]);
    s.step(1000);
    assert.deepEqual([optimizer.paramGroups[0]!.lr, s.TCur, s.Ti], [
      0.030094024456840174,
      889,
      1000,
    ]);
  });
  await t.test("a negative epoch throws at the step (torch ValueError)", () => {
    const s = new CosineAnnealingWarmRestarts({ optimizer: sgd(1), T0: 3 });
    assert.throws(() => s.step(-1), {
      name: "RangeError",
      message: "CosineAnnealingWarmRestarts: Expected non-negative epoch, but got -1",
    });
    assert.throws(() => s.step(NaN), RangeError);
  });
  await t.test("validation (torch ValueError) and resume", () => {
    for (const T0 of [0, 1.5]) {
      assert.throws(() => new CosineAnnealingWarmRestarts({ optimizer: sgd(1), T0 }), {
        name: "RangeError",
        message: `CosineAnnealingWarmRestarts: \`T0\` must be a positive integer: got ${T0}`,
      });
    }
    for (const TMult of [0, 1.5]) {
      assert.throws(() => new CosineAnnealingWarmRestarts({ optimizer: sgd(1), T0: 2, TMult }), {
        name: "RangeError",
        message: /`TMult` must be an integer >= 1/,
      });
    }
    assertResumes(() => {
      const optimizer = sgd(0.1, 0.02);
      return {
        optimizer,
        s: new CosineAnnealingWarmRestarts({ optimizer, T0: 3, TMult: 2, etaMin: 1e-5 }),
      };
    }, 10);
  });
});
