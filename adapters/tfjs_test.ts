import { test } from "node:test";
import assert from "node:assert/strict";
import {
  buildLrScheduler,
  CosineParamScheduler,
  getCfg,
  LRMultiplier,
  MultiStepParamScheduler,
  sampleLr,
} from "../mod.ts";
import {
  tfjsEffectiveLr,
  tfjsLrCallback,
  tfjsOptimizer,
  TfjsOptimizerAdapter,
  type TfjsOptimizerLike,
} from "./tfjs.ts";

/** A fake tfjs optimizer that records every call. */
function fakeSgd(lr = 0.1) {
  const calls: number[] = [];
  const opt = {
    learningRate: lr,
    setLearningRate(x: number) {
      calls.push(x);
      this.learningRate = x;
    },
    getClassName: () => "SGD",
    getConfig() {
      return { learningRate: this.learningRate };
    },
  };
  return { opt, calls };
}

function cfg(maxIter: number) {
  const c = getCfg();
  c.SOLVER.BASE_LR = 0.02;
  c.SOLVER.MAX_ITER = maxIter;
  c.SOLVER.STEPS = [Math.floor(maxIter * 0.6), Math.floor(maxIter * 0.8)];
  c.SOLVER.WARMUP_ITERS = 10;
  return c;
}

test("tfjsOptimizer with fake optimizers", async (t) => {
  await t.test("SGD: setLearningRate only when the value changes", () => {
    const { opt, calls } = fakeSgd(0.02);
    const adapter = tfjsOptimizer(opt);
    assert.equal(adapter.kind, "SGD");
    assert.deepEqual(adapter.paramGroups, [{ lr: 0.02 }]);
    const scheduler = buildLrScheduler(cfg(200), adapter);
    const expected = sampleLr(scheduler);
    adapter.sync();
    const applied: number[] = [];
    for (let iter = 0; iter < 200; iter++) {
      applied.push(opt.learningRate);
      scheduler.step();
      adapter.sync();
    }
    assert.deepEqual(applied, [...expected]);
    // warmup: 10 new values + the first; then the two milestones.
    assert.equal(calls.length, 11 + 2);
    assert.deepEqual(adapter.stats, { lrUpdates: 13, momentumUpdates: 0, syncs: 201 });
    assert.equal(adapter.sync(), false);
  });
  await t.test("Adam, Adamax, RMSProp, Adagrad, Adadelta: the learningRate field", () => {
    for (const name of ["Adam", "Adamax", "RMSProp", "Adagrad", "Adadelta"]) {
      const opt = { learningRate: 0.01, getClassName: () => name };
      const adapter = tfjsOptimizer(opt);
      assert.equal(adapter.kind, name);
      adapter.paramGroups[0]!.lr = 0.005;
      assert.equal(adapter.sync(), true);
      assert.equal(opt.learningRate, 0.005);
    }
  });
  await t.test("momentum reaches RMSProp and Adam/Adamax (betas[0]), not plain SGD", () => {
    const rms = { learningRate: 0.01, momentum: 0.9, getClassName: () => "RMSProp" };
    const a = tfjsOptimizer(rms);
    assert.equal(a.paramGroups[0]!.momentum, 0.9);
    a.paramGroups[0]!.momentum = 0.85;
    a.sync();
    assert.equal(rms.momentum, 0.85);
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.99, getClassName: () => "Adam" };
    const b = tfjsOptimizer(adam);
    assert.deepEqual(b.paramGroups[0]!.betas, [0.9, 0.99]);
    b.paramGroups[0]!.betas = [0.8, 0.99];
    b.sync();
    assert.equal(adam.beta1, 0.8);
    assert.equal(b.stats.momentumUpdates, 1);
    const { opt } = fakeSgd();
    assert.equal("momentum" in tfjsOptimizer(opt).paramGroups[0]!, false);
  });
  await t.test("MomentumOptimizer: momentum only with `tf`, by rebuilding its scalar", () => {
    const disposed: number[] = [];
    const scalar = (v: number) => ({ v, dispose: () => disposed.push(v) });
    const opt = {
      learningRate: 0.1,
      momentum: 0.9,
      m: scalar(0.9),
      setLearningRate(x: number) {
        this.learningRate = x;
      },
      setMomentum(x: number) {
        this.momentum = x;
      },
      getClassName: () => "Momentum",
    };
    assert.equal("momentum" in tfjsOptimizer(opt).paramGroups[0]!, false);
    const adapter = tfjsOptimizer(opt, { tf: { scalar, keep: (x) => x } });
    adapter.paramGroups[0]!.momentum = 0.95;
    adapter.sync();
    assert.equal(opt.momentum, 0.95);
    assert.equal(opt.m.v, 0.95);
    assert.deepEqual(disposed, [0.9]);
  });
  await t.test("compare: float32 skips updates that tfjs could not see", () => {
    const { opt, calls } = fakeSgd(0.05);
    const adapter = tfjsOptimizer(opt, { compare: "float32" });
    adapter.paramGroups[0]!.lr = 0.05 + 1e-12; // the same float32
    assert.equal(adapter.sync(), false);
    adapter.paramGroups[0]!.lr = 0.04;
    assert.equal(adapter.sync(), true);
    assert.deepEqual(calls, [0.04]);
    assert.equal(adapter.effectiveLr, Math.fround(0.04));
    assert.equal(tfjsEffectiveLr(0.05), 0.05000000074505806);
  });
  await t.test("validation", () => {
    assert.throws(() => tfjsOptimizer(null as never), TypeError);
    assert.throws(() => tfjsOptimizer({} as never), {
      name: "TypeError",
      message: /finite numeric learningRate/,
    });
    assert.throws(() => tfjsOptimizer({ learningRate: NaN } as TfjsOptimizerLike), TypeError);
    assert.throws(() => tfjsOptimizer(fakeSgd().opt, { compare: "exact" as never }), RangeError);
    assert.throws(() => tfjsOptimizer(fakeSgd().opt, { tff: 1 } as never), TypeError);
    assert.throws(() => tfjsOptimizer(fakeSgd().opt, { tf: {} as never }), TypeError);
    const adapter = tfjsOptimizer(fakeSgd().opt);
    adapter.paramGroups[0]!.lr = NaN;
    assert.throws(() => adapter.sync(), TypeError);
    assert.throws(() => tfjsLrCallback({} as never, adapter), TypeError);
    assert.throws(() => tfjsLrCallback({ step() {} }, {} as never), TypeError);
    assert.throws(
      () => tfjsLrCallback({ step() {} }, adapter, { per: "step" as never }),
      RangeError,
    );
  });
  await t.test("the callback steps per batch or per epoch", () => {
    const { opt } = fakeSgd(1);
    const adapter = tfjsOptimizer(opt);
    const scheduler = new LRMultiplier({
      optimizer: adapter,
      multiplier: new MultiStepParamScheduler({ values: [1, 0.5], milestones: [2], numUpdates: 4 }),
      maxIter: 4,
    });
    const perEpoch = tfjsLrCallback(scheduler, adapter, { per: "epoch" });
    assert.equal(perEpoch.onBatchEnd, undefined);
    perEpoch.onTrainBegin();
    perEpoch.onEpochEnd!(0);
    perEpoch.onEpochEnd!(1);
    assert.equal(opt.learningRate, 0.5);
    assert.ok(adapter instanceof TfjsOptimizerAdapter);
  });
});

test("tfjsOptimizer with real TensorFlow.js (cpu backend)", async (t) => {
  const tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();

  await t.test("SGD applies float32(lr) and leaks no tensor", () => {
    const sgd = tf.train.sgd(0.02);
    const adapter = tfjsOptimizer(sgd);
    const scheduler = buildLrScheduler(cfg(100), adapter);
    adapter.sync();
    const w = tf.variable(tf.scalar(0));
    let afterFirst = 0;
    for (let iter = 0; iter < 100; iter++) {
      if (iter === 1) afterFirst = tf.memory().numTensors;
      const lr = adapter.paramGroups[0]!.lr;
      const w0 = w.dataSync()[0]!;
      sgd.minimize(() => w.mul(tf.scalar(1)) as never, false, [w]); // d(loss)/dw = 1
      // float32 arithmetic: w1 = w0 + (-fround(lr)) * 1, rounded to float32
      assert.equal(w.dataSync()[0], Math.fround(w0 - Math.fround(lr)), `iter ${iter}`);
      scheduler.step();
      adapter.sync();
    }
    assert.equal(tf.memory().numTensors, afterFirst); // 12 LR updates, no tensor leaked
    assert.equal(adapter.stats.lrUpdates, 13);
    w.dispose();
    sgd.dispose();
  });

  await t.test("MomentumOptimizer's momentum scalar is rebuilt with `tf`", () => {
    const opt = tf.train.momentum(0.1, 0.9);
    const adapter = tfjsOptimizer(opt, { tf });
    const before = tf.memory().numTensors;
    adapter.paramGroups[0]!.momentum = 0.5;
    adapter.sync();
    const m = (opt as unknown as { m: { dataSync(): Float32Array } }).m;
    assert.equal(m.dataSync()[0], 0.5);
    assert.equal(tf.memory().numTensors, before);
    opt.dispose();
  });

  await t.test("Adam's learningRate and beta1 are plain fields tfjs reads each step", () => {
    const adam = tf.train.adam(0.001, 0.9, 0.999);
    const adapter = tfjsOptimizer(adam);
    assert.equal(adapter.kind, "Adam");
    adapter.paramGroups[0]!.lr = 0.002;
    adapter.paramGroups[0]!.betas = [0.85, 0.999];
    adapter.sync();
    const fields = adam as unknown as { learningRate: number; beta1: number };
    assert.equal(fields.learningRate, 0.002);
    assert.equal(fields.beta1, 0.85);
    adam.dispose();
  });

  await t.test("model.fit with tfjsLrCallback: batch i trains with the LR of iteration i", async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 1, inputShape: [2] })],
    });
    const sgd = tf.train.sgd(0.1);
    model.compile({ optimizer: sgd, loss: "meanSquaredError" });
    const adapter = tfjsOptimizer(sgd);
    const scheduler = new LRMultiplier({
      optimizer: adapter,
      multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
      maxIter: 8,
    });
    const expected = sampleLr(scheduler);
    const seen: number[] = [];
    const xs = tf.randomNormal([32, 2]);
    const ys = tf.randomNormal([32, 1]);
    await model.fit(xs, ys, {
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: [
        tfjsLrCallback(scheduler, adapter),
        {
          onBatchBegin: () =>
            void seen.push((sgd as unknown as { learningRate: number }).learningRate),
        },
      ],
    });
    assert.deepEqual(seen, [...expected]);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
