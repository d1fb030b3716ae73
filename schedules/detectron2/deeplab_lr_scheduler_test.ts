import { test } from "node:test";
import assert from "node:assert/strict";
import { WarmupPolyLR } from "../../mod.ts";

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
