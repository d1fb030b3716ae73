import { test } from "node:test";
import assert from "node:assert/strict";
import { deepspeedOptimizer, deepspeedSchedule, schedulerFromConfig, WarmupLR } from "../mod.ts";
import { CosineAnnealingLR, ReduceLROnPlateau } from "../../torch/mod.ts";
import { throwsWith } from "../../../testing/throws.ts";

const ADAM = { type: "AdamW", params: { lr: 0.1 } };

test("deepspeedOptimizer: the basic optimizer's groups and defaults", () => {
  assert.deepEqual(deepspeedOptimizer({ optimizer: { type: "Adam" } }), {
    paramGroups: [{ lr: 1e-3, betas: [0.9, 0.999] }],
    defaults: { lr: 1e-3, betas: [0.9, 0.999] },
  });
  assert.deepEqual(
    deepspeedOptimizer({ optimizer: { type: "SGD", params: { lr: 0.1, momentum: 0.9 } } }),
    { paramGroups: [{ lr: 0.1, momentum: 0.9 }], defaults: { lr: 0.1, momentum: 0.9 } },
  );
  throwsWith(() => deepspeedOptimizer({}), RangeError, /no "optimizer" section/);
  throwsWith(() => deepspeedOptimizer({ optimizer: { type: "Shampoo" } }), RangeError);
  throwsWith(
    () => deepspeedOptimizer({ optimizer: { type: "Adam", params: { lr: "auto" } } }),
    TypeError,
    /"auto"/,
  );
});

test("schedulerFromConfig", async (t) => {
  const opt = () => deepspeedOptimizer({ optimizer: ADAM });
  await t.test("a DeepSpeed type, its params camelCased", () => {
    const s = schedulerFromConfig(
      { scheduler: { type: "WarmupLR", params: { warmup_num_steps: 5 } } },
      opt(),
    );
    assert.ok(s instanceof WarmupLR);
    assert.equal((s as WarmupLR).warmupNumSteps, 5);
  });
  await t.test("a torch.optim.lr_scheduler name falls back to lrspec's torch family", () => {
    const s = schedulerFromConfig(
      { scheduler: { type: "CosineAnnealingLR", params: { T_max: 10 } } },
      opt(),
    );
    assert.ok(s instanceof CosineAnnealingLR);
  });
  await t.test("no section: null; an unknown name: DeepSpeed's assertion", () => {
    assert.equal(schedulerFromConfig({}, opt()), null);
    throwsWith(
      () => schedulerFromConfig({ scheduler: { type: "WarmupLinearLR" } }, opt()),
      RangeError,
      /does not recognize LR scheduler "WarmupLinearLR"/,
    );
    throwsWith(
      () => schedulerFromConfig({ scheduler: { type: "LambdaLR" } }, opt()),
      RangeError,
      /JSON config cannot hold/,
    );
    throwsWith(
      () =>
        schedulerFromConfig({
          scheduler: { type: "WarmupLR", params: { warmup_num_steps: "auto" } },
        }, opt()),
      TypeError,
      /only the Hugging Face Trainer/,
    );
  });
});

test("deepspeedSchedule: _take_model_step's stepping", async (t) => {
  const config = {
    train_batch_size: 64,
    optimizer: ADAM,
    scheduler: { type: "WarmupLR", params: { warmup_num_steps: 10, warmup_type: "linear" } },
  };
  await t.test("row k is the rate step k uses; one scheduler step per optimizer step", () => {
    const run = deepspeedSchedule(config, { steps: 12 });
    assert.deepEqual([...run.lr[0]!.slice(0, 3)], [0, 0, 0.1 * (1 / 10)]);
    assert.equal(run.lr[0]![11], 0.1);
    assert.deepEqual(run.scheduler.stateDict(), { lastBatchIteration: 11 });
    assert.deepEqual([...run.beta1![0]!.slice(0, 1)], [0.9]);
  });
  await t.test("an overflowed step does not step the scheduler", () => {
    const run = deepspeedSchedule(config, { steps: 5, overflowSteps: [1, 3] });
    assert.deepEqual([...run.overflow], [1, 0, 1, 0, 0]);
    assert.deepEqual([...run.lr[0]!], [0, 0, 0, 0, 0.1 * (1 / 10)]);
  });
  await t.test("a resume", () => {
    const full = deepspeedSchedule(config, { steps: 12 });
    const resumed = deepspeedSchedule(config, {
      steps: 12,
      resume: { step: 5, state: { lastBatchIteration: 4 } },
    });
    assert.equal(resumed.firstStep, 6);
    // The resumed scheduler writes at its next step; the first resumed row is the new
    // scheduler's construction value (as a fresh DeepSpeed process would show).
    assert.deepEqual([...resumed.lr[0]!.slice(1)], [...full.lr[0]!.slice(6)]);
  });
  await t.test("ReduceLROnPlateau: step() needs a metric, so the engine passes train_batch_size", () => {
    const run = deepspeedSchedule({
      train_batch_size: 128,
      optimizer: ADAM,
      scheduler: { type: "ReduceLROnPlateau", params: { patience: 2 } },
    }, { steps: 6 });
    assert.ok(run.scheduler instanceof ReduceLROnPlateau);
    assert.deepEqual([...run.lr[0]!], [0.1, 0.1, 0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1]);
  });
  await t.test("errors", () => {
    throwsWith(
      () => deepspeedSchedule({ optimizer: ADAM }, { steps: 1 }),
      RangeError,
      /no "scheduler"/,
    );
    throwsWith(() => deepspeedSchedule(config, { steps: -1 }), RangeError);
    throwsWith(
      () => deepspeedSchedule(config, { steps: 3, resume: { step: 4, state: {} } }),
      RangeError,
    );
  });
});
