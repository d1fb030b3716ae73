// `--deepspeed ds.json --hf-args training_args.json`: every error names the file that holds the
// offending key, its line, the key as written and the value — a TrainingArguments key in its own
// file (not "ds.json: training_args.json: …"), a ds_config key in ds.json, both places for
// transformers' mismatch errors, and where a value the Trainer filled ("auto") came from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { failure, run } from "../testing/cli.ts";
import { deepspeedView } from "../views/deepspeed.ts";
import { placeOf } from "../views/view.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/deepspeed-cli`;
mkdirSync(TMP, { recursive: true });

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

/** A ds_config.json, one key a line (scheduler.params.warmup_max_lr on line 11). */
const DS = file(
  "ds.json",
  `{
  "train_batch_size": "auto",
  "optimizer": {
    "type": "AdamW",
    "params": { "lr": "auto" }
  },
  "scheduler": {
    "type": "WarmupDecayLR",
    "params": {
      "warmup_min_lr": "auto",
      "warmup_max_lr": 0.0003,
      "warmup_num_steps": "auto",
      "total_num_steps": "auto"
    }
  }
}
`,
);

function args(name: string, lines: string[]): string {
  return file(name, `{\n  "output_dir": "out",\n${lines.map((l) => `  ${l}`).join(",\n")}\n}\n`);
}

test("--hf-args: a TrainingArguments error names its own file, line, key and value", async () => {
  const ta = args("training_args.json", [
    '"learning_rate": 3e-4',
    '"max_steps": 100',
    '"warmup_steps": -3',
  ]);
  const message = await failure("curve", "--deepspeed", DS, "--hf-args", ta);
  assert.ok(
    message.startsWith(`${ta}:5: warmup_steps must be >= 0 `) && message.endsWith("got -3"),
    message,
  );
  assert.ok(!message.includes(DS), message); // not "ds.json: training_args.json: …"
  const text = args("text.json", ['"learning_rate": "abc"', '"max_steps": 100']);
  assert.equal(
    await failure("curve", "--deepspeed", DS, "--hf-args", text),
    `${text}:3: learning_rate must be a number: got "abc"`,
  );
  // YAML: PyYAML's string 1e-5, refused as --hf refuses it, at its line.
  const yaml = file("args.yaml", "max_steps: 100\nlearning_rate: 3e-4\n");
  assert.match(
    await failure("curve", "--deepspeed", DS, "--hf-args", yaml),
    /args\.yaml:2: learning_rate is the string "3e-4": PyYAML .*write 3\.0e-4/,
  );
  // Epochs without --dataset-size, no step at all: as --hf says them (was max_steps blamed for
  // "__len__", and "ds.json: 0 optimizer steps").
  const epochs = args("epochs.json", ['"num_train_epochs": 2']);
  assert.match(
    await failure("curve", "--deepspeed", DS, "--hf-args", epochs),
    new RegExp(`^${epochs}: --dataset-size N is needed: the number of training examples`),
  );
  const none = args("none.json", ['"max_steps": 0']);
  assert.equal(
    await failure("curve", "--deepspeed", DS, "--hf-args", none, "--dataset-size", "100"),
    `${none}:3: max_steps: the Trainer runs no optimizer step`,
  );
  // --hf FILE --deepspeed FILE reads the same way.
  assert.equal(
    await failure("curve", "--hf", text, "--deepspeed", DS),
    `${text}:3: learning_rate must be a number: got "abc"`,
  );
});

test("--hf-args: transformers' mismatch errors name both places, key and value", async () => {
  const ta = args("mismatch.json", [
    '"learning_rate": 2e-5',
    '"max_steps": 100',
    '"warmup_steps": 3',
  ]);
  const message = await failure("curve", "--deepspeed", DS, "--hf-args", ta);
  assert.ok(
    message.startsWith(
      `${DS}:11: scheduler.params.warmup_max_lr 0.0003 vs ${ta}:3: learning_rate 0.00002: `,
    ),
    message,
  );
  assert.match(message, /Please correct the following DeepSpeed config values that mismatch/);
  // The Trainer's computed values: what they are made of, flags and defaults included.
  const batch = file(
    "batch.json",
    JSON.stringify(
      {
        train_batch_size: 64,
        gradient_accumulation_steps: 4,
        scheduler: { type: "WarmupDecayLR", params: { total_num_steps: 50, warmup_num_steps: 5 } },
      },
      null,
      2,
    ),
  );
  const all = await failure("curve", "--deepspeed", batch, "--hf-args", ta, "--num-processes", "2");
  const parts = all.split("; ");
  assert.equal(
    parts[0],
    `${batch}:3: gradient_accumulation_steps 4 vs gradient_accumulation_steps 1 (the default: ` +
      `${ta} does not set it)`,
  );
  assert.equal(
    parts[1],
    `${batch}:2: train_batch_size 64 vs train_batch_size (calculated) 16 (from --num-processes 2, ` +
      `per_device_train_batch_size 8 (the default: ${ta} does not set it), ` +
      `gradient_accumulation_steps 1 (the default: ${ta} does not set it))`,
  );
  assert.equal(
    parts[2],
    `${batch}:7: scheduler.params.total_num_steps 50 vs the Trainer's 100 optimizer steps, from ` +
      `${ta}:4: max_steps 100`,
  );
  assert.ok(
    parts[3]!.startsWith(
      `${batch}:8: scheduler.params.warmup_num_steps 5 vs the Trainer's 3 warmup steps, from ` +
        `${ta}:5: warmup_steps 3: `,
    ),
    parts[3],
  );
});

test('--hf-args: a value the Trainer filled ("auto") names where it came from', async () => {
  // warmup_steps 0 fills warmup_num_steps "auto" with 0, which DeepSpeed (v0.19.3) refuses.
  const zero = args("zero.json", [
    '"learning_rate": 3e-4',
    '"max_steps": 100',
    '"warmup_steps": 0',
  ]);
  assert.equal(
    await failure("curve", "--deepspeed", DS, "--hf-args", zero),
    `${zero}:5: warmup_steps 0 fills "auto" of ${DS}:12: scheduler.params.warmup_num_steps with ` +
      `0: scheduler.params.warmup_num_steps must be a positive integer (DeepSpeed's ValueError): ` +
      `got 0`,
  );
  // The same from the default: the ds_config key, and the default named.
  const unset = args("unset.json", ['"learning_rate": 3e-4', '"max_steps": 100']);
  assert.equal(
    await failure("curve", "--deepspeed", DS, "--hf-args", unset),
    `${DS}:12: scheduler.params.warmup_num_steps must be a positive integer (DeepSpeed's ` +
      `ValueError): got 0 ("auto" filled with the Trainer's 0 warmup steps, from warmup_steps 0 ` +
      `(the default: ${unset} does not set it))`,
  );
});

test("--hf-args: ZeRO's hidden_size keys stay \"auto\" with a note, not transformers' error", async () => {
  const z3 = file(
    "z3.json",
    JSON.stringify(
      {
        scheduler: { type: "WarmupLR", params: { warmup_num_steps: 10 } },
        zero_optimization: { stage: 3, reduce_bucket_size: "auto" },
      },
      null,
      2,
    ),
  );
  const ta = args("z3_args.json", ['"max_steps": 20', '"warmup_steps": 10']);
  const r = await run("curve", "--deepspeed", z3, "--hf-args", ta);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /z3\.json:10: zero_optimization\.reduce_bucket_size "auto" is left: the Trainer fills it from the model's hidden_size/,
  );
});

test("deepspeedView places the errors as data (file, line, key)", () => {
  const ta = '{\n  "max_steps": 100,\n  "warmup_steps": -3\n}\n';
  const config = JSON.stringify({ scheduler: { type: "WarmupLR", params: {} } });
  const placeOfView = (hf: Parameters<typeof deepspeedView>[1]["hf"]) => {
    try {
      deepspeedView(config, { path: "ds.json", hf });
    } catch (error) {
      return placeOf(error);
    }
    assert.fail("no error");
  };
  // From the page's form (a mapping, no lines): the arguments' name and the key.
  assert.deepEqual(
    placeOfView({ path: "trainingArgs", trainingArgs: JSON.parse(ta) }),
    { file: "trainingArgs", key: "warmup_steps" },
  );
});

test("--deepspeed without an optimizer section says what to add, not the library's option", async () => {
  const bare = file("bare.json", '{\n  "scheduler": { "type": "WarmupLR" }\n}\n');
  assert.equal(
    await failure("curve", "--deepspeed", bare, "--steps", "10"),
    `${bare}: no "optimizer" section: DeepSpeed then steps the training script's own ` +
      `optimizer, whose learning rates are not in the file; add one ("optimizer": {"type": ` +
      `"AdamW", "params": {"lr": …}}), or give the Hugging Face Trainer's arguments with ` +
      `--hf-args FILE`,
  );
  // Under the Trainer, its optimizer (learning_rate, adam_beta1/2) is the one.
  const ta = args("bare_args.json", ['"max_steps": 20', '"warmup_steps": 5']);
  const r = await run("curve", "--deepspeed", bare, "--hf-args", ta);
  assert.equal(r.code, 0, r.stderr);
});
