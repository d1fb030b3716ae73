import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CosineDecay,
  deserialize,
  LearningRateScheduler,
  ReduceLROnPlateau,
} from "../schedules/keras/mod.ts";
import { kerasCallbacks, kerasScheduleCallback, tfjsOptimizer } from "./tfjs.ts";

test("the README's Keras CosineDecay, next to Keras 3.15.1's values (all three backends)", () => {
  // keras.optimizers.schedules.CosineDecay(0.0, 1000, warmup_target=1e-3, warmup_steps=100),
  // read through SGD(learning_rate=s).iterations at these steps: identical on numpy, jax, torch.
  const steps = [0, 1, 50, 100, 350, 600, 1099, 1100, 5000];
  const keras = [
    0.0,
    1.0000000656873453e-05,
    0.0005000000237487257,
    0.0010000000474974513,
    0.0008535534725524485,
    0.0004999999655410647,
    2.4735928860764034e-09,
    0.0,
    0.0,
  ];
  for (const backend of ["numpy", "jax", "torch"] as const) {
    const s = new CosineDecay({
      initialLearningRate: 0.0,
      decaySteps: 1000,
      warmupTarget: 1e-3,
      warmupSteps: 100,
      backend,
    });
    assert.deepEqual(steps.map((step) => s.call(step)), keras, backend);
  }
});

test("kerasScheduleCallback / kerasCallbacks without tfjs", async (t) => {
  await t.test("validation", () => {
    const sgd = {
      learningRate: 0.1,
      setLearningRate(lr: number) {
        this.learningRate = lr;
      },
    };
    const adapter = tfjsOptimizer(sgd);
    assert.throws(() => kerasScheduleCallback({} as never, adapter), TypeError);
    assert.throws(() => kerasScheduleCallback({ call: () => 0.1 }, sgd as never), TypeError);
    assert.throws(
      () => kerasScheduleCallback({ call: () => 0.1 }, adapter, { initialStep: 2 ** 31 }),
      RangeError,
    );
    assert.throws(() => kerasCallbacks(sgd as never, []), TypeError);
  });
  await t.test("the step counter starts at initialStep and wraps around as an int32", () => {
    const sgd = {
      learningRate: 0.1,
      setLearningRate(lr: number) {
        this.learningRate = lr;
      },
    };
    const steps: number[] = [];
    const cb = kerasScheduleCallback({ call: (s) => (steps.push(s), 0.5) }, tfjsOptimizer(sgd), {
      initialStep: 2 ** 31 - 1,
    });
    for (let b = 0; b < 2; b++) {
      cb.onBatchBegin(b);
      cb.onBatchEnd(b);
    }
    assert.deepEqual(steps, [2 ** 31 - 1, -(2 ** 31)]);
    assert.equal(cb.iterations, -(2 ** 31) + 1);
  });
});

test("a Keras schedule and Keras callbacks drive tfjs's model.fit (cpu backend)", async (t) => {
  const tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  await tf.ready();

  // A bias-only regression whose gradient is exactly -1 for every batch: inputs 0 (the kernel's
  // gradient is 0), targets far above the bias, mean absolute error. SGD then adds exactly the
  // float32 learning rate it applied to the bias: bias' = float32(bias + lr).
  async function fitAndRead(
    epochs: number,
    callbacks: unknown[],
    optimizer: ReturnType<typeof tf.train.sgd>,
  ) {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: "zeros" })],
    });
    model.compile({ optimizer, loss: "meanAbsoluteError" });
    const xs = tf.zeros([12, 1]);
    const ys = tf.fill([12, 1], 1e6);
    const applied: number[] = [];
    let before = 0;
    const bias = () => (model.layers[0]!.getWeights()[1]!.dataSync() as Float32Array)[0]!;
    await model.fit(xs, ys, {
      epochs,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [
        ...callbacks as never[],
        {
          onBatchBegin: () => void (before = bias()),
          onBatchEnd: () => void applied.push(bias() - before),
        },
      ],
    });
    tf.dispose([xs, ys]);
    model.dispose();
    return applied;
  }

  await t.test("CosineDecay with warmup, batch by batch: the applied rate is Keras' float32", async () => {
    // keras.optimizers.schedules.CosineDecay(0.0, decay_steps=6, warmup_target=0.1,
    //                                        warmup_steps=3), through its serialize() JSON
    const schedule = deserialize({
      class_name: "CosineDecay",
      config: {
        initial_learning_rate: 0.0,
        decay_steps: 6,
        alpha: 0.0,
        name: "CosineDecay",
        warmup_target: 0.1,
        warmup_steps: 3,
      },
    });
    const sgd = tf.train.sgd(0.5);
    const adapter = tfjsOptimizer(sgd);
    const keras = kerasScheduleCallback(schedule, adapter);
    const seen: number[] = [];
    const deltas = await fitAndRead(4, [keras, {
      onBatchBegin: () => void seen.push((sgd as unknown as { learningRate: number }).learningRate),
    }], sgd);
    const expected = Array.from({ length: 12 }, (_, i) => schedule.call(i));
    assert.deepEqual(seen, expected);
    assert.equal(keras.iterations, 12);
    // The bias moved by exactly float32(lr) each batch (checked in float32 arithmetic: the
    // bias grows below 1 here, so float32(bias + lr) - bias == lr exactly when nothing rounds).
    assert.equal(deltas.length, 12);
    let b = 0;
    deltas.forEach((d, i) => {
      const next = Math.fround(b + Math.fround(expected[i]!));
      assert.equal(Math.fround(b + d), next, `batch ${i}`);
      b = next;
    });
    sgd.dispose();
  });

  await t.test("LearningRateScheduler and ReduceLROnPlateau per epoch", async () => {
    const sgd = tf.train.sgd(0.1);
    const adapter = tfjsOptimizer(sgd);
    const callbacks = kerasCallbacks(adapter, [
      new LearningRateScheduler({ schedule: (epoch, lr) => epoch < 1 ? lr : lr * 0.9 }),
      new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 0, minDelta: 1e9 }),
    ]);
    const deltas = await fitAndRead(3, [callbacks], sgd);
    // Epoch 0: 0.1 (loss recorded as best). Epoch 1: 0.1·0.9 from the scheduler; no improvement
    // by 1e9 → halved at its end. Epoch 2: that ·0.9, halved again at the end.
    const a = Math.fround(0.1);
    const e1 = Math.fround(a * 0.9);
    const e2 = Math.fround(Math.fround(e1 * 0.5) * 0.9);
    const rates = [a, e1, e2];
    let b = 0;
    deltas.forEach((d, i) => {
      const next = Math.fround(b + rates[Math.floor(i / 3)]!);
      assert.equal(Math.fround(b + d), next, `batch ${i}`);
      b = next;
    });
    assert.equal(
      Math.fround((sgd as unknown as { learningRate: number }).learningRate),
      Math.fround(e2 * 0.5),
    );
    sgd.dispose();
  });
});
