import { test } from "node:test";
import assert from "node:assert/strict";
import {
  getWarmupSteps,
  SCHEDULER_TYPES,
  schedulerType,
  TRAINING_ARGUMENTS_FIELDS,
  trainingArguments,
} from "../../mod.ts";

test("trainingArguments: upstream's default for every schedule-related field", () => {
  const args = trainingArguments({});
  assert.equal(args.learning_rate, 5e-5);
  assert.equal(args.per_device_train_batch_size, 8);
  assert.equal(args.num_train_epochs, 3.0);
  assert.equal(args.max_steps, -1);
  assert.equal(args.lr_scheduler_type, "linear");
  assert.deepEqual(args.lr_scheduler_kwargs, {});
  assert.equal(args.warmup_steps, 0);
  assert.equal(args.gradient_accumulation_steps, 1);
  assert.equal(args.dataloader_drop_last, false);
  assert.equal(args.train_sampling_strategy, "random");
  assert.equal(args.split_batches, false);
  assert.equal(args.eval_strategy, "no");
  assert.equal(args.auto_find_batch_size, false);
  assert.equal(args.deepspeed, false);
  assert.deepEqual(args.extra_keys, []);
});

test("trainingArguments: every other TrainingArguments field is accepted and ignored", () => {
  assert.equal(TRAINING_ARGUMENTS_FIELDS.length, 112);
  const all = Object.fromEntries(TRAINING_ARGUMENTS_FIELDS.map((k) => [k, undefined]));
  assert.equal(trainingArguments(all).learning_rate, 5e-5);
  const real = trainingArguments({
    output_dir: "out",
    logging_steps: 10,
    bf16: true,
    report_to: "none",
    lr_scheduler_type: "cosine",
  });
  assert.equal(real.lr_scheduler_type, "cosine");
});

test("trainingArguments: unknown keys (HfArgumentParser's ValueError), with hints", () => {
  assert.throws(() => trainingArguments({ learning_rat: 1e-4 }), {
    name: "TypeError",
    message:
      /Some keys are not used by the HfArgumentParser: `learning_rat` \(did you mean `learning_rate`\?\)/,
  });
  assert.throws(() => trainingArguments({ warmup_ratio: 0.1 }), {
    name: "TypeError",
    message:
      /`warmup_ratio` \(transformers 5 has no `warmup_ratio`: a `warmup_steps` below 1 is the ratio/,
  });
  assert.throws(() => trainingArguments({ evaluation_strategy: "steps" }), /use `eval_strategy`/);
  assert.throws(() => trainingArguments({ model_name_or_path: "bert" }), /model_name_or_path`$/);
  const lenient = trainingArguments({ model_name_or_path: "bert", learning_rate: 1e-4 }, {
    allowExtraKeys: true,
  });
  assert.deepEqual(lenient.extra_keys, ["model_name_or_path"]);
  assert.equal(lenient.learning_rate, 1e-4);
});

test("trainingArguments: lr_scheduler_kwargs as an object or a JSON string", () => {
  const kwargs = { num_cycles: 2 };
  const args = trainingArguments({ lr_scheduler_kwargs: kwargs });
  assert.deepEqual(args.lr_scheduler_kwargs, { num_cycles: 2 });
  assert.notEqual(args.lr_scheduler_kwargs, kwargs, "a copy");
  // _convert_str_dict: strings that read as booleans and numbers become them
  assert.deepEqual(
    trainingArguments({
      lr_scheduler_kwargs:
        '{"num_cycles": "2", "min_lr": "0.5", "flag": "True", "name": "x", "n": 3}',
    }).lr_scheduler_kwargs,
    { num_cycles: 2, min_lr: 0.5, flag: true, name: "x", n: 3 },
  );
  // One dot is removed before the digit test (`value.replace(".", "", 1).isdigit()`), so a
  // version-like string stays a string; transformers 5.17 gives exactly this.
  assert.deepEqual(
    trainingArguments({
      lr_scheduler_kwargs:
        '{"a": "1.2.3", "b": ".5", "c": "5.", "d": ".", "e": "007", "f": "1..2"}',
    }).lr_scheduler_kwargs,
    { a: "1.2.3", b: 0.5, c: 5, d: ".", e: 7, f: "1..2" },
  );
  assert.deepEqual(trainingArguments({ lr_scheduler_kwargs: null }).lr_scheduler_kwargs, {});
  assert.throws(() => trainingArguments({ lr_scheduler_kwargs: "kwargs.json" }), TypeError);
  assert.throws(() => trainingArguments({ lr_scheduler_kwargs: "{num_cycles: 2}" }), SyntaxError);
  assert.throws(() => trainingArguments({ lr_scheduler_kwargs: [1] as never }), TypeError);
});

test("trainingArguments: upstream's value checks", () => {
  assert.throws(() => trainingArguments({ lr_scheduler_type: "cosine_annealing" as never }), {
    name: "RangeError",
    message: /cosine_annealing is not a valid SchedulerType/,
  });
  assert.throws(() => trainingArguments({ warmup_steps: -1 }), {
    name: "RangeError",
    message: /warmup_steps must be an integer or a float/,
  });
  assert.throws(() => trainingArguments({ lr_scheduler_type: "reduce_lr_on_plateau" }), {
    name: "RangeError",
    message: /reduce_lr_on_plateau requires an eval strategy/,
  });
  assert.throws(
    () => trainingArguments({ lr_scheduler_type: "greedy" }),
    /requires an eval strategy/,
  );
  assert.equal(
    trainingArguments({ lr_scheduler_type: "greedy", eval_strategy: "epoch" }).lr_scheduler_type,
    "greedy",
  );
  assert.throws(() => trainingArguments({ eval_strategy: "sometimes" as never }), RangeError);
  assert.throws(() => trainingArguments({ parallelism_config: { tp_size: 2 } }), /not modelled/);
  assert.throws(
    () => trainingArguments({ accelerator_config: "accelerate.json" as never }),
    TypeError,
  );
  assert.throws(() => trainingArguments({ per_device_train_batch_size: 0 }), RangeError);
  assert.throws(() => trainingArguments({ gradient_accumulation_steps: 1.5 }), RangeError);
  assert.throws(
    () => trainingArguments({ max_steps: null as never }),
    TypeError,
    "None is not a valid max_steps",
  );
  assert.throws(() => trainingArguments({ learning_rate: "2e-5" as never }), TypeError);
  assert.throws(() => trainingArguments({ dataloader_drop_last: "true" as never }), TypeError);
  assert.throws(() => trainingArguments(null as never), TypeError);
  assert.equal(trainingArguments({ deepspeed: "ds.json" }).deepspeed, true);
  assert.equal(trainingArguments({ accelerator_config: null }).split_batches, false);
});

test("getWarmupSteps: int(warmup_steps) from 1 on, else ceil(N · ratio)", () => {
  const w = (warmup_steps: number, n: number) =>
    getWarmupSteps(trainingArguments({ warmup_steps }), n);
  assert.equal(w(0, 1000), 0);
  assert.equal(w(1, 1000), 1);
  assert.equal(w(10.7, 1000), 10, "a float >= 1 is truncated");
  assert.equal(w(0.5, 7), 4, "ceil(3.5)");
  assert.equal(w(0.1, 63), 7, "63 · 0.1 = 6.300000000000001");
  assert.equal(w(0.999, 1), 1);
  assert.throws(() => getWarmupSteps(trainingArguments({}), 1.5), RangeError);
});

test("SCHEDULER_TYPES: transformers 5.17's SchedulerType enum, in its order", () => {
  assert.deepEqual(SCHEDULER_TYPES, [
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "reduce_lr_on_plateau",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
    "greedy",
  ]);
});

test("schedulerType", () => {
  assert.equal(schedulerType("warmup_stable_decay"), "warmup_stable_decay");
  assert.throws(() => schedulerType(3), TypeError);
  assert.throws(() => schedulerType("Linear"), RangeError);
});
