// `--hf`: a TrainingArguments file as the Trainer counts it. Worked examples of the arithmetic the
// CLI shows (dataset size, per-device batch, processes, gradient accumulation, epochs or
// max_steps, drop_last, the warmup ratio rounded up), each curve checked value for value against
// the library's trainerLrs; one curve per scheduler type a file can name; errors that name the
// file, the key and the line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { SCHEDULER_TYPES, trainerLrs, trainerSchedule } from "../schedules/hf/mod.ts";
import { failure, run, spawnLrspec } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/hf`;
mkdirSync(TMP, { recursive: true });
const EXAMPLE = "docs/configs/hf/training_args.json";
const SFT = "docs/configs/hf/sft.yaml";

function file(name: string, content: unknown): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return path;
}

/** `curve`'s CSV: the header and the rows as [step, lr]. */
function csv(text: string): { header: string; rows: [number, number][] } {
  const [header, ...lines] = text.trimEnd().split("\n");
  return {
    header: header!,
    rows: lines.map((l) => l.split(",").map(Number) as [number, number]),
  };
}

/** Every row is the library's value for that step, bit for bit; steps are 1 … max_steps. */
function assertSameAsLibrary(out: string, expected: Float64Array, what: string): void {
  const { header, rows } = csv(out);
  assert.equal(header, "step,lr", what);
  assert.equal(rows.length, expected.length, `${what}: one row per optimizer step`);
  rows.forEach(([step, lr], k) => {
    assert.equal(step, k + 1, `${what}: row ${k} is global_step ${k + 1}`);
    assert.ok(Object.is(lr, expected[k]), `${what}: step ${step}: ${lr} != ${expected[k]}`);
  });
}

interface Worked {
  name: string;
  args: Record<string, unknown>;
  datasetSize?: number;
  numProcesses?: number;
  maxSteps: number;
  warmup: number;
  /** Lines `explain` must print, exactly. */
  lines: string[];
}

const WORKED: Worked[] = [
  {
    name: "one process, 3 epochs, a 3 % warmup rounded up",
    args: {
      learning_rate: 2e-5,
      per_device_train_batch_size: 16,
      num_train_epochs: 3,
      warmup_steps: 0.03,
      lr_scheduler_type: "cosine",
    },
    datasetSize: 5691,
    maxSteps: 1068,
    warmup: 33,
    lines: [
      "5,691 examples in batches of per_device_train_batch_size 16: ceil(5,691 / 16) = 356 batches",
      "356 optimizer steps per epoch",
      "num_train_epochs 3: 3 × 356 = 1,068 optimizer steps",
      "total batch: 16 per device × 1 accumulated × 1 process(es) = 16 examples per optimizer step",
      "warmup_steps 0.03 < 1 is a ratio of the steps, rounded up: ceil(1,068 × 0.03) = " +
      "ceil(32.04) = 33 warmup steps",
      "cosine: linear warmup over 33 steps (3 % of 1,068), cosine to 0 at step 1,068; peak " +
      "learning rate 2e-5",
      "steps are the Trainer's global_step 1 … 1,068: step N trains with the rate shown, which " +
      "the Trainer logs as learning_rate at step N",
    ],
  },
  {
    name: "4 processes and gradient accumulation: ceil at every division",
    args: {
      learning_rate: 3e-4,
      per_device_train_batch_size: 8,
      gradient_accumulation_steps: 2,
      num_train_epochs: 3,
      warmup_steps: 0.03,
      lr_scheduler_type: "linear",
    },
    datasetSize: 10_000,
    numProcesses: 4,
    maxSteps: 471,
    warmup: 15,
    lines: [
      "10,000 examples in batches of per_device_train_batch_size 8: ceil(10,000 / 8) = 1,250 batches",
      "dealt to 4 processes: ceil(1,250 / 4) = 313 batches per process per epoch",
      "gradient_accumulation_steps 2: ceil(313 / 2) = 157 optimizer steps per epoch (the last " +
      "one of 1 micro-batch(es))",
      "num_train_epochs 3: 3 × 157 = 471 optimizer steps",
      "total batch: 8 per device × 2 accumulated × 4 process(es) = 64 examples per optimizer step",
      "warmup_steps 0.03 < 1 is a ratio of the steps, rounded up: ceil(471 × 0.03) = " +
      "ceil(14.129999999999999) = 15 warmup steps", // 471 × 0.03 in doubles
    ],
  },
  {
    name: "dataloader_drop_last: floor instead of ceil; fractional epochs",
    args: {
      per_device_train_batch_size: 16,
      gradient_accumulation_steps: 4,
      num_train_epochs: 2.5,
      dataloader_drop_last: true,
      warmup_steps: 0.1,
      lr_scheduler_type: "cosine",
    },
    datasetSize: 1000,
    numProcesses: 3,
    maxSteps: 13,
    warmup: 2,
    lines: [
      "1,000 examples in batches of per_device_train_batch_size 16: floor(1,000 / 16) = 62 " +
      "batches (dataloader_drop_last)",
      "dealt to 3 processes: floor(62 / 3) = 20 batches per process per epoch",
      "gradient_accumulation_steps 4: ceil(20 / 4) = 5 optimizer steps per epoch",
      "num_train_epochs 2.5: ceil(2.5 × 5) = ceil(12.5) = 13 optimizer steps",
      "warmup_steps 0.1 < 1 is a ratio of the steps, rounded up: ceil(13 × 0.1) = ceil(1.3) = " +
      "2 warmup steps",
    ],
  },
  {
    name: "1.1 epochs of 100 steps is 111 steps (1.1 × 100 = 110.00000000000001)",
    args: { per_device_train_batch_size: 16, num_train_epochs: 1.1 },
    datasetSize: 1600,
    maxSteps: 111,
    warmup: 0,
    lines: [
      "num_train_epochs 1.1: ceil(1.1 × 100) = ceil(110.00000000000001) = 111 optimizer steps",
      "warmup_steps 0: no warmup",
      "linear: no warmup, linear decay to 0 at step 111; peak learning rate 5e-5",
    ],
  },
  {
    name: "max_steps overrides num_train_epochs; warmup_steps >= 1 is a count, truncated",
    args: {
      per_device_train_batch_size: 16,
      num_train_epochs: 3,
      max_steps: 500,
      warmup_steps: 12.7,
      lr_scheduler_type: "cosine",
    },
    datasetSize: 5691,
    maxSteps: 500,
    warmup: 12,
    lines: [
      "max_steps 500 overrides num_train_epochs: 500 optimizer steps (2 epoch(s) run)",
      "warmup_steps 12.7: int(12.7) = 12 steps",
    ],
  },
  {
    name: "max_steps without --dataset-size (a streaming dataset)",
    args: { max_steps: 300, warmup_steps: 30, lr_scheduler_type: "constant_with_warmup" },
    maxSteps: 300,
    warmup: 30,
    lines: [
      "no --dataset-size: max_steps 300 sets the length (the dataset's size would only say how " +
      "many epochs that is)",
      "total batch: 8 per device × 1 accumulated × 1 process(es) = 8 examples per optimizer step",
    ],
  },
  {
    name: "accelerator_config.split_batches: each batch split over the processes",
    args: { per_device_train_batch_size: 32, accelerator_config: { split_batches: true } },
    datasetSize: 1000,
    numProcesses: 4,
    maxSteps: 96,
    warmup: 0,
    lines: [
      "1,000 examples in batches of per_device_train_batch_size 32: ceil(1,000 / 32) = 32 batches",
      "accelerator_config.split_batches: each batch is split over the 4 process(es): 32 per " +
      "process per epoch",
    ],
  },
];

test("--hf worked examples: the arithmetic explain shows, the curve the library computes", async (t) => {
  for (const w of WORKED) {
    await t.test(w.name, async () => {
      const path = file(`${w.name.replace(/\W+/g, "-")}.json`, w.args);
      const size = w.datasetSize === undefined ? [] : ["--dataset-size", String(w.datasetSize)];
      const procs = w.numProcesses === undefined ? [] : ["--num-processes", String(w.numProcesses)];
      const explained = await run("explain", "--hf", path, ...size, ...procs);
      assert.equal(explained.code, 0, explained.stderr);
      const lines = explained.stdout.trimEnd().split("\n");
      for (const line of w.lines) {
        assert.ok(lines.includes(line), `${line}\n--- in ---\n${explained.stdout}`);
      }
      const plan = trainerSchedule(w.args, {
        datasetSize: w.datasetSize ?? null,
        numProcesses: w.numProcesses ?? 1,
      });
      assert.equal(plan.maxSteps, w.maxSteps);
      assert.equal(plan.numWarmupSteps, w.warmup);
      const curve = await run("curve", "--hf", path, ...size, ...procs);
      assert.equal(curve.code, 0, curve.stderr);
      assertSameAsLibrary(curve.stdout, trainerLrs(plan), w.name);
    });
  }
});

/** A file for each scheduler type, with what it needs. */
const BY_TYPE: Record<string, Record<string, unknown>> = {
  polynomial: { lr_scheduler_kwargs: { lr_end: 1e-6, power: 2.0 } },
  cosine_with_restarts: { lr_scheduler_kwargs: { num_cycles: 3 } },
  inverse_sqrt: { lr_scheduler_kwargs: { timescale: 20 } },
  reduce_lr_on_plateau: { eval_strategy: "epoch" },
  greedy: { eval_strategy: "steps" },
  cosine_with_min_lr: { lr_scheduler_kwargs: { min_lr: 1e-5 } },
  cosine_warmup_with_min_lr: { lr_scheduler_kwargs: { min_lr_rate: 0.1 } },
  warmup_stable_decay: {
    lr_scheduler_kwargs: { num_decay_steps: 60, decay_type: "1-sqrt", min_lr_ratio: 0.05 },
  },
};

test("--hf: every scheduler type a file can name, value for value with trainerLrs", async () => {
  const seen: string[] = [];
  for (const type of SCHEDULER_TYPES) {
    const args = {
      learning_rate: 1e-4,
      per_device_train_batch_size: 16,
      num_train_epochs: 2,
      warmup_steps: 0.1,
      lr_scheduler_type: type,
      ...BY_TYPE[type],
    };
    const path = file(`type-${type}.json`, args);
    const r = await run("curve", "--hf", path, "--dataset-size", "2000");
    assert.equal(r.code, 0, `${type}: ${r.stderr}`);
    const expected = trainerLrs(trainerSchedule(args, { datasetSize: 2000 }));
    assert.equal(expected.length, 250);
    assertSameAsLibrary(r.stdout, expected, type);
    const distinct = new Set(csv(r.stdout).rows.map(([, lr]) => lr)).size;
    // Plateau and greedy move only on evaluation metrics; every other schedule moves.
    const onMetrics = type === "reduce_lr_on_plateau" || type === "greedy" || type === "constant";
    assert.ok(onMetrics ? distinct === 1 : distinct > 10, `${type}: ${distinct} distinct rates`);
    seen.push(type);
  }
  assert.equal(seen.length, 12);
});

test("--hf explain: the rate at the steps that matter, numbered as the Trainer logs them", async () => {
  const r = await run("explain", "--hf", EXAMPLE, "--dataset-size", "5691");
  assert.equal(r.code, 0, r.stderr);
  const line = r.stdout.split("\n").find((l) => l.startsWith("learning rate: "));
  assert.equal(
    line,
    "learning rate: step 1 0, step 33 1.93939e-05, step 34 2e-05 (warmup done), " +
      "step 535 1.05006e-05, step 1,068 4.60669e-11 (last)",
  );
  const { rows } = csv((await run("curve", "--hf", EXAMPLE, "--dataset-size", "5691")).stdout);
  assert.equal(rows[33]![0], 34); // the first step at the peak
  assert.equal(rows[33]![1], 2e-5);
  assert.equal(rows[32]![1], 2e-5 * (32 / 33)); // float(step) / float(max(1, W)) at step 33
  const plateau = await run(
    "explain",
    "--hf",
    file("plateau.json", { lr_scheduler_type: "reduce_lr_on_plateau", eval_strategy: "epoch" }),
    "--dataset-size",
    "100",
  );
  assert.match(plateau.stdout, /changes the rate only after evaluations/);
});

test("--hf YAML is read as PyYAML reads it, and the example files work", async () => {
  // sft.yaml has model and data keys: HfArgumentParser's allow_extra_keys.
  const strict = await failure("curve", "--hf", SFT, "--dataset-size", "12000");
  assert.match(strict, /^docs\/configs\/hf\/sft\.yaml:4: dataset_name: .*Some keys are not used/);
  assert.match(strict, /--allow-new-keys\)$/);
  const r = await run(
    "curve",
    "--hf",
    SFT,
    "--allow-new-keys",
    "--dataset-size",
    "12000",
    "--num-processes",
    "8",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /ignored keys \(not TrainingArguments fields\): dataset_name, max_length/);
  // The same file read by another YAML reader gives the same arguments here.
  const args = parseYaml(readFileSync(`${ROOT}${SFT}`, "utf8"));
  const plan = trainerSchedule(args, { datasetSize: 12000, numProcesses: 8 }, {
    allowExtraKeys: true,
  });
  assert.equal(plan.maxSteps, 47); // ceil(ceil(ceil(12000 / 4) / 8) / 8)
  assertSameAsLibrary(r.stdout, trainerLrs(plan), "sft.yaml");

  const exponent = file("exponent.yaml", "num_train_epochs: 1\nlearning_rate: 2e-5\n");
  assert.equal(
    await failure("curve", "--hf", exponent, "--dataset-size", "100"),
    `${exponent}:2: learning_rate is the string "2e-5": PyYAML (yaml.safe_load, which ` +
      `HfArgumentParser.parse_yaml_file uses) reads a number with an exponent but no dot, or no ` +
      `sign after the e, as a string, and transformers fails on it (TypeError); write 2.0e-5 ` +
      `(or 0.00002) (TRL's --config converts such strings; transformers does not)`,
  );
  const kwarg = file(
    "kwarg.yaml",
    "lr_scheduler_type: cosine_with_min_lr\nlr_scheduler_kwargs:\n  min_lr: 1e-6\n",
  );
  assert.match(
    await failure("curve", "--hf", kwarg, "--dataset-size", "100"),
    /kwarg\.yaml:3: lr_scheduler_kwargs\.min_lr is the string "1e-6".*write 1\.0e-6/,
  );
  const other = file("other.yaml", "adam_epsilon: 1e-8\nnum_train_epochs: 1\n");
  const noted = await run("curve", "--hf", other, "--dataset-size", "100");
  assert.equal(noted.code, 0);
  assert.match(noted.stderr, /other\.yaml:1: adam_epsilon is the string "1e-8".*does not read it/);
  const no = file("no.yaml", 'lr_scheduler_type: "constant"\neval_strategy: no\n');
  assert.match(
    await failure("curve", "--hf", no, "--dataset-size", "100"),
    /no\.yaml:2: eval_strategy .*got false \(PyYAML reads yes\/no\/on\/off as booleans/,
  );
});

test("--hf errors name the file, the key and the line", async () => {
  const cases: [unknown, RegExp][] = [
    [{ learning_rate: "2e-5" }, /:2: learning_rate must be a number: got "2e-5"$/],
    [{ warmup_ratio: 0.03 }, /:2: warmup_ratio: .*no `warmup_ratio`.*\(`warmup_steps: 0\.03`\)/],
    [{ lr_scheduler_type: "cosin" }, /:2: lr_scheduler_type: cosin is not a valid SchedulerType/],
    [
      { lr_scheduler_type: "cosine_with_min_lr", lr_scheduler_kwargs: { min_lr: "x" } },
      /:4: lr_scheduler_kwargs\.min_lr must be a number: got "x"$/,
    ],
    [
      { lr_scheduler_type: "warmup_stable_decay" },
      /:2: lr_scheduler_kwargs\.num_decay_steps: missing required option .*\(getWsdSchedule\)$/,
    ],
    [
      {
        learning_rate: 1e-3,
        lr_scheduler_type: "polynomial",
        lr_scheduler_kwargs: { lr_end: 0.1 },
      },
      /:5: lr_scheduler_kwargs\.lr_end: .*lr_end \(0\.1\) must be smaller than initial lr/,
    ],
    [{ per_device_train_batch_size: 0 }, /:2: per_device_train_batch_size must be an integer >= 1/],
    [
      { lr_scheduler_type: "cosine_with_min_lr", lr_scheduler_kwargs: "{min_lr: 0}" },
      /:3: lr_scheduler_kwargs: [^`]/,
    ],
    [{ num_train_epochs: 0 }, /:2: num_train_epochs: the Trainer runs no optimizer step$/],
    [[1, 2], /: expected a mapping of TrainingArguments fields: got a list$/],
  ];
  for (const [content, pattern] of cases) {
    const path = file("bad.json", content);
    const message = await failure("curve", "--hf", path, "--dataset-size", "100");
    assert.ok(message.startsWith(path), message);
    assert.match(message, pattern);
  }
  const split = file("split.json", {
    per_device_train_batch_size: 8,
    accelerator_config: { split_batches: true },
  });
  assert.match(
    await failure("curve", "--hf", split, "--dataset-size", "100", "--num-processes", "3"),
    /split\.json:4: accelerator_config\.split_batches: .*a round multiple of the number of processes \(3\)/,
  );
  // A transformers 4 file with --allow-new-keys: warmup_ratio is dropped, as upstream drops it.
  const v4 = file("v4.json", { warmup_ratio: 0.1, num_train_epochs: 1 });
  const dropped = await run("curve", "--hf", v4, "--dataset-size", "800", "--allow-new-keys");
  assert.equal(dropped.code, 0);
  assert.match(
    dropped.stderr,
    /v4\.json:2: warmup_ratio 0\.1 is ignored: transformers 5\.17 has no warmup_ratio .*write warmup_steps: 0\.1/,
  );
  assert.equal(csv(dropped.stdout).rows[0]![1], 5e-5); // no warmup
  assert.match(
    await failure("curve", "--hf", file("syntax.json", '{\n  "a": 1,\n}\n'), "--dataset-size", "1"),
    /syntax\.json(:3:1)?: not valid JSON/,
  );
  assert.match(
    await failure("explain", "--hf", EXAMPLE),
    /training_args\.json: --dataset-size N is needed: .*"Num examples"/,
  );
  const state = file("trainer_state.json", { global_step: 10, log_history: [] });
  assert.match(
    await failure("curve", "--hf", state, "--dataset-size", "10"),
    /a trainer_state\.json .*to_json_string\(\)\)" training_args\.bin > training_args\.json$/,
  );
  const pickle = `${TMP}/training_args.bin`;
  writeFileSync(pickle, new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]));
  assert.match(
    await failure("curve", "--hf", pickle, "--dataset-size", "10"),
    /training_args\.bin: a binary file \(a zip archive, as torch\.save writes\)/,
  );
  // The options of the other families are refused, with what to use instead.
  assert.match(
    await failure("curve", "--hf", EXAMPLE, "--dataset-size", "10", "--num-workers", "2"),
    /^--num-workers is for detectron2 configs; --hf, --timm, --megatron, --megatron-args and --deepspeed runs take --num-processes \(see/,
  );
  assert.match(
    await failure("curve", "fixtures/configs/inputs/error-syntax.yaml", "--dataset-size", "10"),
    /^--dataset-size is for --hf files\b/,
  );
  assert.match(
    await failure("curve", "--hf", EXAMPLE, "--hf", EXAMPLE, "--dataset-size", "10"),
    /^curve takes one schedule/,
  );
  assert.match(
    await failure(
      "plot",
      "--hf",
      EXAMPLE,
      "--hf",
      EXAMPLE,
      "--dataset-size",
      "1",
      "--dataset-size",
      "2",
      "--dataset-size",
      "3",
    ),
    /^--dataset-size given 3 times for 2 --hf\b/,
  );
  assert.match(
    await failure("accumulate", "--hf", EXAMPLE, "--num-workers", "1", "--micro-batch", "1"),
    /^accumulate is for detectron2 configs/,
  );
});

test("--hf in diff and plot: against another run, against a detectron2 config", async () => {
  const sizes = await run(
    "diff",
    "--hf",
    EXAMPLE,
    "--hf",
    EXAMPLE,
    "--dataset-size",
    "5691",
    "--dataset-size",
    "5700",
  );
  assert.equal(sizes.code, 1);
  assert.match(sizes.stdout, /^1068 steps in both: 34 bit-identical, 1034 different$/m);
  assert.match(sizes.stdout, /^ {2}only B has steps 1069–1071$/m);
  const same = await run("diff", "--hf", EXAMPLE, "--hf", EXAMPLE, "--dataset-size", "5691");
  assert.equal(same.code, 0);
  assert.match(same.stdout, /the curves are identical/);
  // detectron2's WarmupCosineLR with the same numbers: rows are aligned by optimizer step.
  const cfg = file(
    "d2.yaml",
    "SOLVER:\n  BASE_LR: 0.00002\n  MAX_ITER: 1068\n  LR_SCHEDULER_NAME: WarmupCosineLR\n" +
      "  WARMUP_ITERS: 33\n  WARMUP_FACTOR: 0.0\n  STEPS: ()\n",
  );
  const mixed = await run("diff", cfg, "--hf", EXAMPLE, "--dataset-size", "5691");
  assert.equal(mixed.code, 1, mixed.stderr);
  assert.match(mixed.stdout, /^rows compared in order: A's iteration 0 is B's step 1/m);
  assert.match(mixed.stdout, /^ {2}iterations 1–1067 \(B: steps 2–1068\): /m);
  assert.match(mixed.stdout, /^ {2}only A has iteration 1068$/m);

  const svg = (await run("plot", "--hf", EXAMPLE, "--dataset-size", "5691")).stdout;
  assert.ok(svg.startsWith("<svg"));
  assert.match(svg, />warmup 33</);
  assert.match(svg, />optimizer step \(global_step\)</);
  assert.match(svg, />hf\/training_args</); // the legend: folder and name
  assert.match(svg, /linear warmup over 33 steps \(3 % of 1,068\)/); // the subtitle
  const images = (await run("plot", "--hf", EXAMPLE, "--dataset-size", "5691", "--x", "images"))
    .stdout;
  assert.match(images, />examples seen \(step × batch\)</);
});

test("curve --hf on the runtime running the tests (npx lrspec on Node)", () => {
  const r = spawnLrspec(...["curve", "--hf", EXAMPLE, "--dataset-size", "5691"]);
  assert.equal(r.status, 0, r.stderr);
  const plan = trainerSchedule(JSON.parse(readFileSync(`${ROOT}${EXAMPLE}`, "utf8")), {
    datasetSize: 5691,
  });
  assertSameAsLibrary(r.stdout, trainerLrs(plan), "spawned");
});
