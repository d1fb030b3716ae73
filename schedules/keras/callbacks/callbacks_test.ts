import { test } from "node:test";
import assert from "node:assert/strict";
import { LearningRateScheduler, ReduceLROnPlateau } from "../mod.ts";

const f = Math.fround;

function drive(cb: ReduceLROnPlateau, values: number[], monitor = "val_loss", lr = 0.1) {
  const optimizer = { learningRate: f(lr) };
  cb.onTrainBegin();
  return values.map((v, epoch) => {
    cb.onEpochEnd(epoch, { [monitor]: v }, optimizer);
    return optimizer.learningRate;
  });
}

test("ReduceLROnPlateau", async (t) => {
  await t.test("defaults: val_loss, factor 0.1, patience 10, min_delta 1e-4, no cooldown", () => {
    const cb = new ReduceLROnPlateau();
    assert.equal(cb.monitor, "val_loss");
    assert.equal(cb.factor, 0.1);
    assert.equal(cb.patience, 10);
    assert.equal(cb.mode, "auto");
    assert.equal(cb.minDelta, 1e-4);
    assert.equal(cb.cooldown, 0);
    assert.equal(cb.minLr, 0);
    assert.equal(cb.backend, "jax");
    const lrs = drive(cb, [1, ...Array(11).fill(1)]);
    assert.equal(lrs[9], f(0.1));
    assert.equal(lrs[10], f(f(0.1) * 0.1)); // the 10th epoch without improvement
    assert.equal(lrs[11], f(f(0.1) * 0.1));
  });
  await t.test("an improvement must beat best by min_delta", () => {
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 1, minDelta: 0.1 });
    assert.deepEqual(drive(cb, [1, 0.95, 0.8]), [f(0.1), f(f(0.1) * 0.5), f(f(0.1) * 0.5)]);
    assert.equal(cb.best, 0.8);
  });
  await t.test("cooldown: no counting for `cooldown` epochs after a reduction", () => {
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2 });
    const lrs = drive(cb, [1, 1, 1, 1, 1, 1]);
    const a = f(0.1), b = f(a * 0.5), c = f(b * 0.5), d = f(c * 0.5);
    // reduce at 1; cooldown 2, 1 at epochs 2, 3 (the counter reaches 0 at 3, which counts);
    // reduce at 3 and 5
    assert.deepEqual(lrs, [a, b, b, c, c, d]);
  });
  await t.test("min_lr bounds the reduction; no reduction once lr <= float32(min_lr)", () => {
    const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 0, minLr: 0.004 });
    const lrs = drive(cb, Array(8).fill(0.5));
    assert.deepEqual(lrs.slice(-3), [f(0.004), f(0.004), f(0.004)]);
    assert.ok(cb.wait >= 1); // still waiting: Keras keeps trying every epoch
  });
  await t.test("mode max and auto's directions", () => {
    const cb = new ReduceLROnPlateau({
      monitor: "val_accuracy",
      mode: "max",
      patience: 1,
      factor: 0.5,
    });
    assert.deepEqual(drive(cb, [0.5, 0.6, 0.6], "val_accuracy"), [f(0.1), f(0.1), f(f(0.1) * 0.5)]);
    const auto = new ReduceLROnPlateau({ monitor: "val_accuracy", patience: 1, factor: 0.5 });
    assert.deepEqual(drive(auto, [0.5, 0.6, 0.6], "val_accuracy"), [
      f(0.1),
      f(0.1),
      f(f(0.1) * 0.5),
    ]);
    const mse = new ReduceLROnPlateau({ monitor: "mean_squared_error", patience: 1, factor: 0.5 });
    assert.deepEqual(drive(mse, [0.5, 0.4, 0.6], "mean_squared_error"), [
      f(0.1),
      f(0.1),
      f(f(0.1) * 0.5),
    ]);
    const unknown = new ReduceLROnPlateau({ monitor: "my_metric" });
    assert.throws(() => drive(unknown, [1], "my_metric"), {
      name: "RangeError",
      message: /mode='max'/,
    });
  });
  await t.test("an unknown mode falls back to auto with Keras' warning", () => {
    const cb = new ReduceLROnPlateau({ mode: "bogus" as never });
    assert.equal(cb.mode, "auto");
    assert.match(cb.warnings[0]!, /mode 'bogus' is unknown, fallback to auto mode/);
  });
  await t.test("a missing metric: a warning, nothing changes", () => {
    const cb = new ReduceLROnPlateau({ patience: 0 });
    const optimizer = { learningRate: f(0.1) };
    assert.equal(cb.onEpochEnd(0, { loss: 1 }, optimizer), false);
    assert.match(cb.warnings[0]!, /`val_loss` which is not available/);
  });
  await t.test("the comparison: float32 on jax and torch, float64 on numpy", () => {
    // 0.25 - 1e-9·e: all 0.25 in float32; in double, epochs 2 and 4 improve by more than 1e-9.
    const series = Array.from({ length: 6 }, (_, e) => 0.25 - 1e-9 * e);
    const options = { monitor: "loss", factor: 0.5, patience: 1, minDelta: 1e-9 } as const;
    const jax = drive(new ReduceLROnPlateau(options), series, "loss");
    const numpy = drive(new ReduceLROnPlateau({ ...options, backend: "numpy" }), series, "loss");
    assert.equal(jax.at(-1), f(0.1 * 0.5 ** 5)); // no improvement seen in float32
    assert.equal(numpy.at(-1), f(0.1 * 0.5 ** 3));
  });
  await t.test("errors", () => {
    assert.throws(() => new ReduceLROnPlateau({ factor: 1.0 }), {
      name: "RangeError",
      message: /does not support a factor >= 1.0. Received factor=1/,
    });
    assert.throws(() => new ReduceLROnPlateau({ patience: 1.5 }), RangeError);
    assert.throws(() => new ReduceLROnPlateau({ verbose: 1 as never }), RangeError);
    assert.throws(() => new ReduceLROnPlateau({ min_lr: 0 } as never), {
      name: "TypeError",
      message: /minLr/,
    });
  });
});

test("LearningRateScheduler", async (t) => {
  await t.test("sets float32(schedule(epoch, lr)) before each epoch", () => {
    const seen: number[] = [];
    const cb = new LearningRateScheduler({
      schedule: (epoch, lr) => {
        seen.push(lr);
        return epoch < 2 ? lr : lr * 0.9;
      },
    });
    const optimizer = { learningRate: f(0.1) };
    for (let epoch = 0; epoch < 4; epoch++) cb.onEpochBegin(epoch, optimizer);
    const a = f(0.1), b = f(a * 0.9);
    assert.deepEqual(seen, [a, a, a, b]);
    assert.equal(optimizer.learningRate, f(b * 0.9));
  });
  await t.test("a one-argument schedule", () => {
    const cb = new LearningRateScheduler({ schedule: (epoch) => 0.1 * 0.5 ** epoch });
    const optimizer = { learningRate: 1 };
    assert.equal(cb.onEpochBegin(3, optimizer), 0.0125);
    assert.equal(optimizer.learningRate, f(0.0125));
  });
  await t.test("errors", () => {
    assert.throws(() => new LearningRateScheduler({ schedule: 3 as never }), TypeError);
    assert.throws(
      () => new LearningRateScheduler({ schedule: () => 1, verbose: 1 as never }),
      RangeError,
    );
    const bad = new LearningRateScheduler({ schedule: (() => "0.1") as never });
    assert.throws(() => bad.onEpochBegin(0, { learningRate: 0.1 }), {
      name: "TypeError",
      message: /should be a float/,
    });
    const nan = new LearningRateScheduler({ schedule: () => NaN });
    assert.throws(() => nan.onEpochBegin(0, { learningRate: 0.1 }), RangeError);
  });
});
