import { test } from "node:test";
import assert from "node:assert/strict";
import { type Optimizer, ReduceLROnPlateau } from "../../../mod.ts";
import { sgd } from "../../../testing/schedulers.ts";

// Expected values were produced by torch 1.13's ReduceLROnPlateau.

function feed(optimizer: Optimizer, s: ReduceLROnPlateau, metrics: number[]): number[][] {
  const out = [optimizer.paramGroups.map((g) => g.lr)];
  for (const m of metrics) {
    s.step(m);
    out.push(optimizer.paramGroups.map((g) => g.lr));
  }
  return out;
}

test("ReduceLROnPlateau", async (t) => {
  await t.test("min/rel: 0.49999 is not better than 0.5 · (1 − 1e-4)", () => {
    const optimizer = sgd(1);
    const s = new ReduceLROnPlateau({ optimizer, patience: 1 });
    assert.deepEqual(feed(optimizer, s, [1, 0.5, 0.5, 0.5, 0.49999, 0.4]).map((r) => r[0]), [
      1,
      1,
      1,
      1,
      0.1,
      0.1,
      0.1,
    ]);
    assert.deepEqual([s.best, s.numBadEpochs, s.lastEpoch], [0.4, 0, 6]);
  });
  await t.test("max/abs with cooldown", () => {
    const optimizer = sgd(1);
    const s = new ReduceLROnPlateau({
      optimizer,
      mode: "max",
      thresholdMode: "abs",
      threshold: 0.1,
      patience: 0,
      cooldown: 2,
      factor: 0.5,
    });
    assert.deepEqual(
      feed(optimizer, s, [0.5, 0.55, 0.6, 0.7, 0.75, 0.8, 0.85]).map((r) => r[0]),
      [1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25],
    );
  });
  await t.test("minLr per group and the eps rule (old − new must exceed eps)", () => {
    const optimizer = sgd(1, 0.02);
    const s = new ReduceLROnPlateau({
      optimizer,
      patience: 0,
      factor: 0.5,
      eps: 0.015,
      minLr: [0.3, 0],
    });
    assert.deepEqual(feed(optimizer, s, [1, 1, 1, 1]), [
      [1, 0.02],
      [1, 0.02],
      [0.5, 0.02],
      [0.3, 0.02],
      [0.3, 0.02],
    ]);
  });
  await t.test("NaN metrics are never an improvement", () => {
    const optimizer = sgd(1);
    const s = new ReduceLROnPlateau({ optimizer, patience: 1 });
    s.step(1);
    s.step(NaN);
    s.step(NaN);
    assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
    assert.equal(s.best, 1);
  });
  await t.test("getLastLr before and after steps; verbose prints torch 1.13's message", () => {
    const optimizer = sgd(0.2);
    const s = new ReduceLROnPlateau({ optimizer, patience: 0, verbose: true, torch: "1.13" });
    assert.deepEqual(s.getLastLr(), [0.2]);
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      s.step(1);
      s.step(2);
    } finally {
      console.log = log;
    }
    assert.deepEqual(lines, ["Epoch 00002: reducing learning rate of group 0 to 2.0000e-02."]);
    assert.deepEqual(s.getLastLr(), [0.020000000000000004]);
  });
  await t.test("validation mirrors torch's errors", () => {
    const optimizer = sgd(1);
    assert.throws(() => new ReduceLROnPlateau({ optimizer, factor: 1 }), {
      name: "RangeError",
      message: "ReduceLROnPlateau: Factor should be < 1.0: got 1",
    });
    assert.throws(() => new ReduceLROnPlateau({ optimizer, mode: "avg" as never }), {
      name: "RangeError",
      message: /`mode` must be one of "min", "max": got "avg"/,
    });
    assert.throws(
      () => new ReduceLROnPlateau({ optimizer, thresholdMode: "pct" as never }),
      RangeError,
    );
    assert.throws(() => new ReduceLROnPlateau({ optimizer, minLr: [0.1, 0.2] }), {
      name: "RangeError",
      message: "ReduceLROnPlateau: expected 1 min_lrs, got 2 (torch ValueError)",
    });
    assert.throws(() => new ReduceLROnPlateau({ optimizer, patience: -1 }), RangeError);
    assert.throws(() => new ReduceLROnPlateau({ optimizer, min_lr: 0 } as never), TypeError);
    const s = new ReduceLROnPlateau({ optimizer });
    assert.throws(() => s.step("0.5" as never), TypeError);
  });
  await t.test("resume through JSON, including an infinite best (null in JSON)", () => {
    const make = () => {
      const optimizer = sgd(0.1, 0.05);
      return { optimizer, s: new ReduceLROnPlateau({ optimizer, patience: 2, cooldown: 1 }) };
    };
    const fresh = make();
    const untouched = JSON.parse(JSON.stringify(fresh.s.stateDict()));
    assert.equal(untouched.best, null);
    const reloaded = make();
    reloaded.s.loadStateDict(untouched);
    assert.equal(reloaded.s.best, Infinity);
    const metrics = [1, 0.9, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.7];
    const a = make();
    metrics.slice(0, 5).forEach((m) => a.s.step(m));
    const state = JSON.parse(JSON.stringify(a.s.stateDict()));
    const b = make();
    b.optimizer.paramGroups = JSON.parse(JSON.stringify(a.optimizer.paramGroups));
    b.s.loadStateDict(state);
    for (const m of metrics.slice(5)) {
      a.s.step(m);
      b.s.step(m);
      assert.deepEqual(b.optimizer.paramGroups, a.optimizer.paramGroups);
      assert.deepEqual(b.s.stateDict(), a.s.stateDict());
    }
    assert.throws(() => b.s.loadStateDict({ mode: "avg" }), RangeError);
    assert.throws(() => b.s.loadStateDict({ optimizer: 1 }), TypeError);
  });
});
