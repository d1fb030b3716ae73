// Every error a user can provoke from a file names the file, the line when known, and the key as
// the user wrote it, with the user's value — located through the error's data (owner, option,
// value) and the family's key table, not by reading its message. And a file given to the wrong
// source says which flag it needs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { failure, run } from "../testing/cli.ts";

const TMP = fileURLToPath(new URL("../.tmp/cli-errors/", import.meta.url));
mkdirSync(TMP, { recursive: true });
function file(name: string, text: string): string {
  writeFileSync(TMP + name, text);
  return TMP + name;
}

test("detectron2 configs: the file, the line, the key, the user's value", async () => {
  const neg = file("maxiter.yaml", "SOLVER:\n  MAX_ITER: -5\n");
  assert.equal(
    await failure("curve", neg),
    `${neg}:2: SOLVER.MAX_ITER must be a positive integer up to 2^53 - 1: got -5`,
  );
  const unsorted = file("unsorted.yaml", "SOLVER:\n  STEPS: (2000, 1000)\n  MAX_ITER: 3000\n");
  const steps = await failure("curve", unsorted);
  assert.match(
    steps,
    /^.*unsorted\.yaml:2: SOLVER\.STEPS must be positive and strictly increasing: got \[2000, 1000\] at index 1/,
  );
  const over = await failure("curve", unsorted, "--opts", "SOLVER.MAX_ITER", "-1");
  assert.match(over, /SOLVER\.MAX_ITER must be a positive integer up to 2\^53 - 1: got -1$/);
  assert.doesNotMatch(over, /lrCurveRuns|got 0/);
  // accumulate opens the config as every command does: the file, the line, the key.
  assert.match(
    await failure("accumulate", unsorted, "--num-workers", "3", "--micro-batch", "2"),
    /unsorted\.yaml:2: SOLVER\.STEPS must be/,
  );
  // The biases' rate is BASE_LR × BIAS_LR_FACTOR: a negative factor is blamed on its own key and
  // line (was `SOLVER.BASE_LR must be >= 0: got -0.02` at BASE_LR's line), and an element of a
  // key's list that is no config value names its key (was no key at all).
  const bias = file("bias.yaml", "SOLVER:\n  BASE_LR: 0.02\n  BIAS_LR_FACTOR: -1.0\n");
  assert.equal(
    await failure("curve", bias),
    `${bias}:3: SOLVER.BIAS_LR_FACTOR -1.0 makes the biases' learning rate BASE_LR × ` +
      "BIAS_LR_FACTOR = -0.02, which lrspec refuses (torch's SGD checks only BASE_LR; the " +
      "biases would train with it)",
  );
  assert.match(
    await failure("curve", unsorted, "--opts", "SOLVER.STEPS", "[{'a': 1}]"),
    /SOLVER\.STEPS\[0\]: a Python dict cannot be a config value: \{'a': 1\}$/,
  );
});

test("explain: a step between iterations is where the curve changes", async () => {
  const frac = file("frac.yaml", "SOLVER:\n  STEPS: (1000, 2000.5)\n  MAX_ITER: 3000\n");
  const r = await run("explain", frac);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /×0\.1 at 2001 \(STEPS says 2000\.5/);
  assert.doesNotMatch(r.stdout, /2001\.5/);
});

test("--hf: the key as written, the right key blamed", async () => {
  const key = file("key.json", '{\n  "DATASETS": 1,\n  "learning_rate": 1e-4\n}\n');
  const unknown = await failure("curve", "--hf", key, "--dataset-size", "100");
  assert.match(unknown, /key\.json:2: DATASETS: Some keys are not used by the HfArgumentParser/);
  assert.doesNotMatch(unknown, /_d_a_t_a/);
  const zero = file("zero.json", '{\n  "max_steps": 0,\n  "learning_rate": 1e-4\n}\n');
  assert.match(
    await failure("curve", "--hf", zero, "--dataset-size", "100"),
    /zero\.json:2: max_steps: the Trainer runs no optimizer step/,
  );
});

test("a file given to the wrong source says which flag it needs", async () => {
  const hf = file(
    "training_args.json",
    '{"output_dir": "out", "learning_rate": 2e-5, "per_device_train_batch_size": 16}\n',
  );
  assert.match(
    await failure("curve", hf),
    /this looks like a Hugging Face TrainingArguments file, not a detectron2 YAML config: use --hf/,
  );
  const timm = file("args.yaml", "sched: cosine\nepochs: 10\naa: rand-m9\nlr_base: 0.1\n");
  assert.match(
    await failure("curve", timm),
    /this looks like a timm train\.py args\.yaml.*use --timm/,
  );
  const d2 = file("d2.yaml", "SOLVER:\n  MAX_ITER: 100\n");
  assert.match(
    await failure("curve", "--timm", d2),
    /this looks like a detectron2 YAML config, not a timm train\.py args\.yaml/,
  );
  assert.match(await failure("curve", "--timm", hf), /looks like a Hugging Face TrainingArguments/);
  const empty = file("empty.yaml", "");
  assert.match(await failure("curve", "--timm", empty), /no train\.py arguments \(an empty file\)/);
});
