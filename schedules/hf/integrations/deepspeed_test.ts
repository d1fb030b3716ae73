import { test } from "node:test";
import assert from "node:assert/strict";
import { hfTrainerDeepSpeedConfig } from "../mod.ts";
import { throwsWith } from "../../../testing/throws.ts";

const STEPS = { numTrainingSteps: 100, numWarmupSteps: 10 };

test("hfTrainerDeepSpeedConfig: what the Trainer fills", async (t) => {
  await t.test("every key, TrainingArguments' defaults, in transformers' order", () => {
    const auto = "auto";
    const { config, filled } = hfTrainerDeepSpeedConfig(
      {
        train_micro_batch_size_per_gpu: auto,
        gradient_accumulation_steps: auto,
        train_batch_size: auto,
        gradient_clipping: auto,
        optimizer: { params: { lr: auto, betas: auto, eps: auto, weight_decay: auto } },
        scheduler: {
          params: {
            warmup_min_lr: auto,
            warmup_max_lr: auto,
            total_num_steps: auto,
            warmup_num_steps: auto,
          },
        },
        fp16: { enabled: auto },
        bf16: { enabled: auto },
      },
      {},
      { ...STEPS, worldSize: 4 },
    );
    assert.deepEqual(filled.find((f) => f.key === "train_batch_size")?.fields, [
      "worldSize",
      "per_device_train_batch_size",
      "gradient_accumulation_steps",
    ]);
    assert.deepEqual(filled.map((f) => [f.key, f.value]), [
      ["train_micro_batch_size_per_gpu", 8],
      ["gradient_accumulation_steps", 1],
      ["train_batch_size", 32],
      ["gradient_clipping", 1.0],
      ["optimizer.params.lr", 5e-5],
      ["optimizer.params.betas", [0.9, 0.999]],
      ["optimizer.params.eps", 1e-8],
      ["optimizer.params.weight_decay", 0.0],
      ["scheduler.params.warmup_min_lr", 0],
      ["scheduler.params.warmup_max_lr", 5e-5],
      ["fp16.enabled", false],
      ["bf16.enabled", false],
      ["scheduler.params.total_num_steps", 100],
      ["scheduler.params.warmup_num_steps", 10],
    ]);
    assert.equal((config.fp16 as { enabled: boolean }).enabled, false);
  });
  await t.test("absent keys stay absent; the input is not changed", () => {
    const input = { scheduler: { type: "WarmupLR", params: { warmup_max_lr: "auto" } } };
    const { config, filled } = hfTrainerDeepSpeedConfig(input, { learning_rate: 1e-4 }, STEPS);
    assert.deepEqual(config.scheduler, { type: "WarmupLR", params: { warmup_max_lr: 1e-4 } });
    assert.equal(filled.length, 1);
    assert.equal(input.scheduler.params.warmup_max_lr, "auto");
  });
  await t.test("mismatches: transformers' message; equal values (1 == 1.0 == True) pass", () => {
    throwsWith(
      () =>
        hfTrainerDeepSpeedConfig(
          { optimizer: { params: { lr: 1e-4, betas: [0.9, 0.95] } }, train_batch_size: 64 },
          { learning_rate: 3e-5 },
          { ...STEPS, worldSize: 2 },
        ),
      RangeError,
      /- ds train_batch_size=64 vs hf train_batch_size \(calculated\)=16\n- ds optimizer.params.lr=0.0001 vs hf learning_rate=3e-05\n- ds optimizer.params.betas=\[0.9, 0.95\] vs hf adam_beta1\+adam_beta2=\[0.9, 0.999\]/,
    );
    hfTrainerDeepSpeedConfig({ gradient_clipping: 1, fp16: { enabled: 0 } }, {}, STEPS);
  });
  await t.test("mismatches as data: each key, both values, what the Trainer's is made of", () => {
    const config = { optimizer: { params: { lr: 1e-4 } }, train_batch_size: 64 };
    assert.throws(
      () => hfTrainerDeepSpeedConfig(config, { learning_rate: 3e-5 }, { ...STEPS, worldSize: 2 }),
      (e: unknown) => {
        assert.deepEqual((e as Error).cause, {
          owner: "hfTrainerDeepSpeedConfig",
          option: "dsConfig.train_batch_size",
          value: 64,
          mismatches: [
            {
              key: "train_batch_size",
              value: 64,
              trainerValue: 16,
              from: "train_batch_size (calculated)",
              fields: ["worldSize", "per_device_train_batch_size", "gradient_accumulation_steps"],
            },
            {
              key: "optimizer.params.lr",
              value: 1e-4,
              trainerValue: 3e-5,
              from: "learning_rate",
              fields: ["learning_rate"],
            },
          ],
        });
        return true;
      },
    );
  });
  await t.test("auto_find_batch_size: the batch keys are not checked", () => {
    hfTrainerDeepSpeedConfig({ train_micro_batch_size_per_gpu: 3 }, {}, {
      ...STEPS,
      autoFindBatchSize: true,
    });
  });
  await t.test("save_on_each_node adds checkpoint.use_node_local_storage", () => {
    const { config } = hfTrainerDeepSpeedConfig({}, { save_on_each_node: true }, STEPS);
    assert.deepEqual(config.checkpoint, { use_node_local_storage: true });
  });
  await t.test("ZeRO bucket keys from hidden_size (ZeRO-3: all three); without it, the error", () => {
    const zero = {
      zero_optimization: {
        stage: 3,
        reduce_bucket_size: "auto",
        stage3_prefetch_bucket_size: "auto",
        stage3_param_persistence_threshold: "auto",
      },
    };
    const { config } = hfTrainerDeepSpeedConfig(zero, {}, { ...STEPS, hiddenSize: 1024 });
    assert.deepEqual(config.zero_optimization, {
      stage: 3,
      reduce_bucket_size: 1048576,
      stage3_prefetch_bucket_size: 943718,
      stage3_param_persistence_threshold: 10240,
    });
    throwsWith(() => hfTrainerDeepSpeedConfig(zero, {}, STEPS), RangeError, /hidden_size/);
    assert.throws(() => hfTrainerDeepSpeedConfig(zero, {}, STEPS), (e: unknown) => {
      const cause = (e as Error).cause as { option: string; keys: string[] };
      assert.equal(cause.option, "hiddenSize");
      assert.deepEqual(cause.keys, [
        "zero_optimization.reduce_bucket_size",
        "zero_optimization.stage3_prefetch_bucket_size",
        "zero_optimization.stage3_param_persistence_threshold",
      ]);
      return true;
    });
    throwsWith(() => hfTrainerDeepSpeedConfig([] as never, {}, STEPS), TypeError);
  });
});
