import { test } from "node:test";
import assert from "node:assert/strict";
import { WarmupPolyLR, type WarmupPolyLROptions } from "../../mod.ts";

test("WarmupPolyLR", async (t) => {
  await t.test("poly factor times warmup", () => {
    const optimizer = { paramGroups: [{ lr: 0.01 }] };
    const s = new WarmupPolyLR({ optimizer, maxIters: 100, warmupIters: 10, warmupFactor: 0.1 });
    assert.equal(optimizer.paramGroups[0]!.lr, 0.01 * 0.1 * Math.pow(1, 0.9));
    for (let i = 0; i < 50; i++) s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.01 * 1 * Math.pow(1.0 - 50 / 100, 0.9));
  });
  await t.test("constant ending floors the factor after warmup only", () => {
    const optimizer = { paramGroups: [{ lr: 1 }, { lr: 2 }] };
    const s = new WarmupPolyLR({
      optimizer,
      maxIters: 10,
      warmupIters: 0,
      power: 1,
      constantEnding: 0.35,
    });
    const lrs: number[] = [];
    for (let i = 0; i < 10; i++) {
      lrs.push(optimizer.paramGroups[0]!.lr);
      s.step();
    }
    lrs.push(optimizer.paramGroups[0]!.lr);
    assert.deepEqual(lrs.slice(6), [0.4, 0.35, 0.35, 0.35, 0.35]);
    assert.equal(optimizer.paramGroups[1]!.lr, 2 * 0.35);
  });
  await t.test("past maxIters: math domain error for a non-integer power", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupPolyLR({ optimizer, maxIters: 2, warmupIters: 0 });
    s.step();
    s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0);
    assert.throws(() => s.step(), { name: "RangeError", message: /math domain error/ });
  });
  await t.test("validation", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    assert.throws(() => new WarmupPolyLR({ optimizer, maxIters: 0 }), RangeError);
    assert.throws(() => new WarmupPolyLR({ optimizer, maxIters: 10, power: NaN }), RangeError);
    assert.throws(
      () => new WarmupPolyLR({ optimizer, maxIters: 10, constant_ending: 1 } as never),
      TypeError,
    );
  });
});

test("WarmupPolyLR defaults", async (t) => {
  await t.test("power omitted: 0.9; constantEnding omitted: 0 (no floor)", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupPolyLR({ optimizer, maxIters: 10, warmupIters: 0 });
    for (let i = 0; i < 7; i++) s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, Math.pow(1 - 7 / 10, 0.9));
    for (let i = 7; i < 10; i++) s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0, "no constant ending: the factor reaches 0");
  });
  await t.test("warmup omitted: 0.001 over 1000 linear iterations; lastEpoch -1", () => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupPolyLR({ optimizer, maxIters: 4000, power: 1 });
    assert.equal(s.lastEpoch, 0);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.001);
    for (let i = 0; i < 500; i++) s.step();
    assert.equal(optimizer.paramGroups[0]!.lr, (0.001 * (1 - 0.5) + 0.5) * (1 - 500 / 4000));
  });
});

test("WarmupPolyLR branches", async (t) => {
  const at = (options: Partial<WarmupPolyLROptions>, steps: number) => {
    const optimizer = { paramGroups: [{ lr: 1 }] };
    const s = new WarmupPolyLR({ optimizer, maxIters: 10, warmupIters: 0, ...options });
    for (let i = 0; i < steps; i++) s.step();
    return optimizer.paramGroups[0]!.lr;
  };
  await t.test("1 − e / maxIters = 0 with power < 0: math domain error (Python ValueError)", () => {
    assert.throws(() => at({ power: -1 }, 10), {
      name: "RangeError",
      message: /math domain error: pow\(0, -1\) at iteration 10/,
    });
  });
  await t.test("past maxIters with an integer power: a real power", () => {
    assert.equal(at({ power: 2 }, 12), (1 - 12 / 10) ** 2);
  });
  await t.test("pow overflows: math range error (Python OverflowError)", () => {
    assert.throws(() => at({ power: -400 }, 9), {
      name: "RangeError",
      message: /math range error: pow\(0\.09999999999999998, -400\) overflows/,
    });
  });
  await t.test("constantEnding floors only once warmup is over (factor 1)", () => {
    // Iteration 6 of 8 warmup iterations: poly 0.4 < 0.5, but warmup is not over: no floor.
    const wf = 0.001 * (1 - 6 / 8) + 6 / 8;
    assert.equal(at({ power: 1, warmupIters: 8, constantEnding: 0.5 }, 6), wf * 0.4);
    assert.equal(at({ power: 1, warmupIters: 8, constantEnding: 0.5 }, 8), 0.5);
  });
  await t.test("constantEnding <= 0: no floor", () => {
    assert.equal(at({ power: 1, constantEnding: -1 }, 9), 1 * (1 - 9 / 10));
  });
  await t.test("maxIters must be a positive integer", () => {
    assert.throws(() => at({ maxIters: 2.5 }, 0), {
      name: "RangeError",
      message: "WarmupPolyLR: `maxIters` must be a positive integer: got 2.5",
    });
  });
});
