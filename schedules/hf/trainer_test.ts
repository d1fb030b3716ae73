import { test } from "node:test";
import assert from "node:assert/strict";
import {
  createScheduler,
  explainTrainerSchedule,
  getWarmupSteps,
  LambdaLR,
  ReduceLROnPlateau,
  SCHEDULER_TYPES,
  setInitialTrainingValues,
  trainerLrs,
  trainerSchedule,
  trainingArguments,
} from "../../mod.ts";

// Worked examples of transformers 5.17's Trainer arithmetic (trainer.py
// set_initial_training_values, training_args.py get_warmup_steps, accelerate's
// BatchSamplerShard.__len__), one rounding each. Numbers are derived by hand from upstream's
// expressions in the comments.

test("worked example: gradient accumulation rounds the last step of an epoch up", () => {
  // 1,000 examples / batch 16 = 62.5 → 63 batches; 63 / 4 accumulation steps = 15.75 → 16
  // optimizer steps per epoch, the 16th made of 3 micro-batches.
  const plan = trainerSchedule({
    per_device_train_batch_size: 16,
    gradient_accumulation_steps: 4,
    num_train_epochs: 2,
  }, { datasetSize: 1000 });
  assert.equal(plan.lenDataloader, 63);
  assert.equal(plan.numUpdateStepsPerEpoch, 16);
  assert.equal(plan.maxSteps, 32);
  assert.equal(plan.totalTrainBatchSize, 64);
  assert.equal(plan.numTrainEpochs, 2);
  assert.equal(plan.numExamples, 1000);
  assert.equal(plan.numTrainSamples, 2000);
  assert.equal(plan.stepsInEpoch, 63);
});

test("worked example: several processes round each process's share up", () => {
  // 10,000 / 8 = 1,250 batches dealt to 4 processes: 312.5 → 313 each (accelerate's
  // even_batches repeats samples to fill the last round), 313 / 2 = 156.5 → 157 steps.
  const four = trainerSchedule({
    per_device_train_batch_size: 8,
    gradient_accumulation_steps: 2,
    num_train_epochs: 3,
  }, { datasetSize: 10_000, numProcesses: 4 });
  assert.equal(four.lenDataloader, 313);
  assert.equal(four.numUpdateStepsPerEpoch, 157);
  assert.equal(four.maxSteps, 471, "not 1,875 / 4 = 468.75 of the one-process run");
  assert.equal(four.totalTrainBatchSize, 64);
  const one = trainerSchedule({
    per_device_train_batch_size: 8,
    gradient_accumulation_steps: 2,
    num_train_epochs: 3,
  }, { datasetSize: 10_000 });
  assert.equal(one.maxSteps, 1875);
  const five = trainerSchedule({
    per_device_train_batch_size: 8,
    gradient_accumulation_steps: 2,
    num_train_epochs: 3,
  }, { datasetSize: 10_000, numProcesses: 5 });
  assert.equal(five.lenDataloader, 250, "1,250 / 5: no rounding");
  assert.equal(five.maxSteps, 375);
});

test("worked example: dataloader_drop_last rounds down, before and after the split", () => {
  const args = (drop: boolean) => ({
    per_device_train_batch_size: 16,
    num_train_epochs: 1,
    dataloader_drop_last: drop,
  });
  assert.equal(trainerSchedule(args(false), { datasetSize: 1000 }).lenDataloader, 63);
  assert.equal(trainerSchedule(args(true), { datasetSize: 1000 }).lenDataloader, 62);
  // 62 batches over 4 processes: 15.5 → 15 (63 without drop_last: 15.75 → 16)
  assert.equal(trainerSchedule(args(true), { datasetSize: 1000, numProcesses: 4 }).maxSteps, 15);
  assert.equal(trainerSchedule(args(false), { datasetSize: 1000, numProcesses: 4 }).maxSteps, 16);
});

test("worked example: a warmup ratio is rounded up (math.ceil), floats included", () => {
  // 5,691 examples / 16 = 356 steps per epoch, 3 epochs = 1,068 steps; 3 % is 32.04 → 33.
  const plan = trainerSchedule({
    per_device_train_batch_size: 16,
    num_train_epochs: 3,
    warmup_steps: 0.03,
    lr_scheduler_type: "cosine",
  }, { datasetSize: 5691 });
  assert.equal(plan.maxSteps, 1068);
  assert.equal(plan.numWarmupSteps, 33);
  // 0.07 · 100 is 7.000000000000001 in doubles (and in Python): 8 warmup steps, not 7.
  assert.equal(getWarmupSteps(trainingArguments({ warmup_steps: 0.07 }), 100), 8);
  assert.equal(getWarmupSteps(trainingArguments({ warmup_steps: 0.05 }), 100), 5);
});

test("worked example: max_steps overrides num_train_epochs", () => {
  // 1,000 / 16 = 63 steps per epoch; 500 steps run ceil(500 / 63) = 8 epochs (the last partly).
  const plan = trainerSchedule({
    per_device_train_batch_size: 16,
    num_train_epochs: 3,
    max_steps: 500,
  }, { datasetSize: 1000 });
  assert.equal(plan.maxSteps, 500);
  assert.equal(plan.numTrainEpochs, 8);
  assert.equal(plan.numTrainSamples, 500 * 16);
});

test("worked example: fractional epochs are ceil(epochs · steps per epoch), in doubles", () => {
  // 1,600 / 16 = 100 steps per epoch; 1.1 · 100 = 110.00000000000001 → 111 steps.
  const plan = trainerSchedule({ per_device_train_batch_size: 16, num_train_epochs: 1.1 }, {
    datasetSize: 1600,
  });
  assert.equal(plan.maxSteps, 111);
  assert.equal(plan.numTrainEpochs, 2, "ceil(1.1)");
  assert.equal(plan.numTrainSamples, 1600 * 1.1);
});

test("accelerate's split_batches: every process sees every batch, split", () => {
  const plan = trainerSchedule({
    per_device_train_batch_size: 16,
    num_train_epochs: 1,
    accelerator_config: { split_batches: true },
  }, {
    datasetSize: 1000,
    numProcesses: 4,
  });
  assert.equal(plan.lenDataloader, 63);
  assert.throws(
    () =>
      trainerSchedule({
        per_device_train_batch_size: 10,
        accelerator_config: { split_batches: true },
      }, {
        datasetSize: 1000,
        numProcesses: 4,
      }),
    { name: "RangeError", message: /round multiple of the number of processes/ },
  );
});

test("train_sampling_strategy batch_rebalance counts whole optimizer steps", () => {
  // effective batch 4 · 2 · 2 = 16: 1,000 = 62 · 16 + 8, the tail kept: 63 steps of 2 batches.
  const args = (drop: boolean) => ({
    per_device_train_batch_size: 4,
    gradient_accumulation_steps: 2,
    num_train_epochs: 1,
    train_sampling_strategy: "batch_rebalance" as const,
    dataloader_drop_last: drop,
  });
  const kept = trainerSchedule(args(false), { datasetSize: 1000, numProcesses: 2 });
  assert.equal(kept.lenDataloader, 126);
  assert.equal(kept.maxSteps, 63);
  const dropped = trainerSchedule(args(true), { datasetSize: 1000, numProcesses: 2 });
  assert.equal(dropped.maxSteps, 62);
  for (const strategy of ["random", "sequential", "group_by_length"] as const) {
    const plan = trainerSchedule({ train_sampling_strategy: strategy, num_train_epochs: 1 }, {
      datasetSize: 100,
    });
    assert.equal(plan.maxSteps, 13, `${strategy}: ceil(100 / 8)`);
  }
});

test("datasets without a length, and empty dataloaders", () => {
  const streaming = trainerSchedule({ max_steps: 100, gradient_accumulation_steps: 4 }, {
    datasetSize: null,
  });
  assert.equal(streaming.maxSteps, 100);
  assert.equal(streaming.lenDataloader, null);
  assert.equal(streaming.numUpdateStepsPerEpoch, 100);
  assert.equal(streaming.stepsInEpoch, 400);
  assert.equal(streaming.numExamples, 8 * 4 * 100);
  assert.throws(() => trainerSchedule({}, { datasetSize: null }), {
    name: "RangeError",
    message: /max_steps has to be specified/,
  });
  // 10 examples, batch 16, drop_last: no batch at all
  assert.throws(
    () =>
      trainerSchedule({ per_device_train_batch_size: 16, dataloader_drop_last: true }, {
        datasetSize: 10,
      }),
    { name: "RangeError", message: /args.max_steps must be set to a positive value/ },
  );
  const empty = trainerSchedule({
    per_device_train_batch_size: 16,
    dataloader_drop_last: true,
    max_steps: 50,
  }, {
    datasetSize: 10,
  });
  assert.equal(empty.maxSteps, 50);
  assert.equal(empty.numUpdateStepsPerEpoch, 50);
});

test("max_steps 0 is not epoch-based: 0 steps", () => {
  const plan = trainerSchedule({ max_steps: 0 }, { datasetSize: 100 });
  assert.equal(plan.maxSteps, 0);
  assert.equal(plan.numTrainEpochs, 3);
  assert.equal(plan.numWarmupSteps, 0);
  assert.equal(trainerLrs(plan).length, 0);
});

test("setInitialTrainingValues validates the setup", () => {
  const args = trainingArguments({});
  assert.throws(() => setInitialTrainingValues(args, { datasetSize: -1 }), RangeError);
  assert.throws(() => setInitialTrainingValues(args, { datasetSize: 1.5 }), RangeError);
  assert.throws(
    () => setInitialTrainingValues(args, { datasetSize: 10, numProcesses: 0 }),
    RangeError,
  );
  assert.equal(setInitialTrainingValues(args, { datasetSize: 80 }).maxSteps, 30, "numProcesses 1");
});

test("createScheduler: get_scheduler with get_warmup_steps and camelCased kwargs", async (t) => {
  await t.test("lr_scheduler_kwargs keys become options", () => {
    const args = trainingArguments({
      learning_rate: 0.1,
      lr_scheduler_type: "cosine_with_min_lr",
      lr_scheduler_kwargs: { min_lr: 0.01 },
      warmup_steps: 2,
    });
    const { optimizer, scheduler } = createScheduler(args, { numTrainingSteps: 10 });
    assert.ok(scheduler instanceof LambdaLR);
    assert.deepEqual(optimizer.defaults, { lr: 0.1 }, "defaults.lr = learning_rate");
    for (let i = 0; i < 10; i++) scheduler.step();
    assert.equal(optimizer.paramGroups[0]!.lr, 0.01);
  });
  await t.test("a kwarg the schedule does not take: TypeError", () => {
    const args = trainingArguments({ lr_scheduler_kwargs: { num_cycles: 2 } });
    assert.throws(() => createScheduler(args, { numTrainingSteps: 10 }), {
      name: "TypeError",
      message: /getLinearScheduleWithWarmup: unknown option `numCycles`/,
    });
  });
  await t.test("an optimizer of your own", () => {
    const optimizer = { paramGroups: [{ lr: 1 }, { lr: 2 }] };
    createScheduler(trainingArguments({ warmup_steps: 4 }), { numTrainingSteps: 8, optimizer });
    assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [0, 0]);
  });
});

test("trainerLrs: the rate each optimizer step trains with", async (t) => {
  await t.test("linear default: lrs[k] = lr · factor(k), k < maxSteps", () => {
    const lrs = trainerLrs(
      trainerSchedule({ learning_rate: 1, num_train_epochs: 1 }, { datasetSize: 32 }),
    );
    assert.deepEqual([...lrs], [1, 0.75, 0.5, 0.25]);
  });
  await t.test("plateau: constant before any evaluation", () => {
    const plan = trainerSchedule({
      lr_scheduler_type: "reduce_lr_on_plateau",
      eval_strategy: "epoch",
      num_train_epochs: 1,
    }, { datasetSize: 40 });
    assert.deepEqual([...trainerLrs(plan)], new Array(5).fill(5e-5));
    const { scheduler } = createScheduler(plan.args, { numTrainingSteps: plan.maxSteps });
    assert.ok(scheduler instanceof ReduceLROnPlateau);
  });
});

test("explainTrainerSchedule", async (t) => {
  await t.test("the arithmetic and the shape in words", () => {
    const text = explainTrainerSchedule(trainerSchedule({
      learning_rate: 2e-5,
      per_device_train_batch_size: 8,
      gradient_accumulation_steps: 2,
      num_train_epochs: 3,
      warmup_steps: 0.03,
      lr_scheduler_type: "cosine",
    }, { datasetSize: 10_000, numProcesses: 4 }));
    assert.equal(
      text,
      [
        "10,000 examples, batch 8 per device × 4 process(es): 313 batches per process per epoch",
        "gradient accumulation 2: 157 optimizer steps per epoch (the last one of 1 micro-batch(es))",
        "3 epoch(s): 471 optimizer steps",
        "total batch 64 examples per optimizer step",
        "cosine: linear warmup over 15 steps (3 % of 471), cosine to 0 at step 471; peak learning rate 2e-5",
      ].join("\n"),
    );
  });
  await t.test("max_steps, no warmup, notes", () => {
    const text = explainTrainerSchedule(trainerSchedule({
      max_steps: 100,
      auto_find_batch_size: true,
      lr_scheduler_type: "constant_with_warmup",
      lr_scheduler_kwargs: { num_cycles: 2 },
    }, { datasetSize: 1000 }));
    assert.match(
      text,
      /max_steps 100 overrides num_train_epochs: 100 optimizer steps \(1 epoch\(s\) run\)/,
    );
    assert.match(text, /constant_with_warmup: no warmup, then constant/);
    assert.match(text, /note: auto_find_batch_size/);
    assert.match(text, /note: lr_scheduler_kwargs are ignored by constant_with_warmup/);
  });
  await t.test("every schedule type has a description", () => {
    const kwargs: Record<string, Record<string, unknown>> = {
      cosine_with_min_lr: { min_lr_rate: 0.1 },
      cosine_warmup_with_min_lr: { min_lr: 1e-6 },
      warmup_stable_decay: { num_decay_steps: 10 },
    };
    for (const type of SCHEDULER_TYPES) {
      const text = explainTrainerSchedule(trainerSchedule({
        lr_scheduler_type: type,
        eval_strategy: "steps",
        lr_scheduler_kwargs: kwargs[type] ?? null,
        warmup_steps: 5,
      }, { datasetSize: 800 }));
      assert.match(text, new RegExp(`^${type}: `, "m"), type);
    }
  });
});
