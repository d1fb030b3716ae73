// `--megatron FILE`, `--megatron-args "…"` and `--deepspeed ds_config.json`: each curve is the
// library's (megatronTrainSchedule, deepspeedSchedule) value for value; explain names the traps;
// errors name the source and exit 2.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  getOptimizerParamScheduler,
  type MegatronParamGroup,
  megatronParamGroups,
  megatronTrainSchedule,
  parseMegatronArgs,
} from "../schedules/megatron/mod.ts";
import { deepspeedSchedule } from "../schedules/deepspeed/mod.ts";
import { failure, run } from "../testing/cli.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/megatron-cli`;
mkdirSync(TMP, { recursive: true });
const WSD = "docs/configs/megatron/wsd-pretrain.args";
const DS = "docs/configs/deepspeed/ds_config.json";
const HF_ARGS = "docs/configs/deepspeed/training_args.json";

function file(name: string, text: string): string {
  const path = `${TMP}/${name}`;
  writeFileSync(path, text);
  return path;
}

function rows(csv: string): string[][] {
  return csv.trimEnd().split("\n").map((l) => l.split(","));
}

test("curve --megatron: iteration,lr for 1..train_iters, the library's values", async () => {
  const line = "--micro-batch-size 2 --global-batch-size 16 --train-iters 300 --lr 1e-3 " +
    "--min-lr 1e-5 --lr-warmup-iters 30 --lr-decay-style WSD --lr-wsd-decay-iters 60 " +
    "--decoupled-lr 5e-4 --weight-decay-incr-style linear --start-weight-decay 0 " +
    "--end-weight-decay 0.1";
  const r = await run("curve", "--megatron", file("wsd.args", line));
  assert.equal(r.code, 0, r.stderr);
  const table = rows(r.stdout);
  assert.deepEqual(table[0], ["iteration", "lr", "lr_decoupled", "weight_decay"]);
  const run1 = megatronTrainSchedule(parseMegatronArgs(line).args);
  assert.equal(table.length, 301);
  for (let i = 1; i <= 300; i++) {
    assert.equal(Number(table[i]![0]), i);
    assert.equal(Number(table[i]![1]), run1.lr[0]![i - 1], `iteration ${i}`);
    assert.equal(Number(table[i]![2]), run1.lr[1]![i - 1]);
    assert.equal(Number(table[i]![3]), run1.weightDecay[0]![i - 1]);
  }
  const inline = await run("curve", "--megatron-args", line);
  assert.equal(inline.stdout, r.stdout);
});

test("explain --megatron: the traps", async () => {
  const r = await run(
    "explain",
    "--megatron-args",
    "--micro-batch-size 1 --global-batch-size 24 --train-iters 200 --lr 2e-4 " +
      "--lr-warmup-fraction 0.013 --lr-decay-iters 180",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /not a whole number/);
  assert.match(r.stdout, /decay ends before training does: from iteration 182 on, 19 iterations/);
  assert.match(r.stdout, /update\(s\) at lr 0 \(iteration 1,/);
  assert.match(r.stdout, /learning rate:" at iteration i is read after the step/);
  const wsd = await run("explain", "--megatron", WSD, "--num-processes", "32");
  assert.equal(wsd.code, 0, wsd.stderr);
  assert.match(wsd.stdout, /^Megatron WSD \(annealing: linear\): peak 0.0003, min 3e-05, 20,000/);
});

test("--megatron errors name the source and the option", async () => {
  assert.match(
    await failure(
      "curve",
      "--megatron-args",
      "--micro-batch-size 1 --train-iters 10 --lr 1 --lr-decay-styel cosine",
    ),
    /^--megatron-args: --lr-decay-styel: unknown option `--lr-decay-styel` \(did you mean `--lr-decay-style`\?\)/,
  );
  assert.match(
    await failure(
      "curve",
      "--megatron-args",
      "--micro-batch-size 1 --train-iters 10 --lr 1 --lr-warmup-iters 10",
    ),
    /^--megatron-args: --lr-warmup-iters: lr_warmup_steps < lr_decay_steps must hold/,
  );
});

test("--megatron scheduler errors name the flag the user wrote", async () => {
  const base = "--micro-batch-size 1 --train-iters 100 --global-batch-size 8 --lr 1e-4";
  assert.match(
    await failure("curve", "--megatron-args", `${base} --lr-warmup-init 1`),
    /^--megatron-args: --lr-warmup-init: init_lr <= max_lr must hold .*\(OptimizerParamScheduler\)/,
  );
  assert.match(
    await failure(
      "curve",
      "--megatron-args",
      `${base} --lr-warmup-iters 200 --lr-decay-iters 50 --lr-decay-style cosine`,
    ),
    /^--megatron-args: --lr-warmup-iters: lr_warmup_steps < lr_decay_steps must hold/,
  );
  const args = file("train.args", `${base} \\\n  --lr-warmup-fraction 1.5\n`);
  assert.match(
    await failure("curve", "--megatron", args),
    /train\.args:2: --lr-warmup-fraction: /,
  );
});

test("--megatron FILE: errors name file:LINE: --flag as written, with the value", async () => {
  // A launch script: the training script's flags after torchrun's, one a line.
  const script = file(
    "pretrain_gpt.sh",
    "#!/bin/bash\n# pre-training\ntorchrun --nproc-per-node 8 pretrain_gpt.py \\\n" +
      "  --micro-batch-size 1 \\\n  --train-iters 100 \\\n  --lr 1e-4 \\\n  --min-lr 1e-3\n",
  );
  assert.equal(
    await failure("curve", "--megatron", script),
    `${script}:7: --min-lr (0.001) must be <= \`--lr\` (0.0001) (Megatron's validate_args asserts)`,
  );
  // A value that does not parse: the line of the flag it belongs to.
  const bad = file(
    "bad.args",
    "--micro-batch-size 1 --train-iters 100\n--lr 1e-4\n--lr-warmup-iters x\n",
  );
  assert.equal(
    await failure("curve", "--megatron", bad),
    `${bad}:3: --lr-warmup-iters takes an integer (argparse type=int): got "x"`,
  );
  // A flag given twice: argparse keeps the last, and so does the line.
  const twice = file(
    "twice.args",
    "--micro-batch-size 1 --train-iters 100 --lr 1e-4\n--lr-warmup-iters 10\n--lr-warmup-iters 200\n",
  );
  assert.match(
    await failure("curve", "--megatron", twice),
    new RegExp(`^${twice}:3: --lr-warmup-iters: lr_warmup_steps < lr_decay_steps must hold`),
  );
  // An unterminated quote: the line of the quote, the flag it was the value of.
  const quote = file(
    "quote.args",
    '--micro-batch-size 1 --train-iters 100 --lr 1e-4\n--lr-decay-style "cosine\n',
  );
  assert.match(
    await failure("curve", "--megatron", quote),
    new RegExp(`^${quote}:2: --lr-decay-style: unterminated " quote`),
  );
  // --megatron-args is one line of a command: no line numbers.
  assert.match(
    await failure("curve", "--megatron-args", "--micro-batch-size 1 --train-iters 10 --lr x"),
    /^--megatron-args: --lr takes a number/,
  );
});

test("--megatron: the decoupled group's flags, where Megatron reads them or not", async () => {
  const ignored = file(
    "dm.args",
    `${"--micro-batch-size 1 --train-iters 100 --lr 1e-3"}\n--decoupled-min-lr 1e-5\n`,
  );
  const r = await run("curve", "--megatron", ignored);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(
    r.stderr.includes(
      `lrspec: note: ${ignored}:2: --decoupled-min-lr 0.00001 is ignored without --decoupled-lr`,
    ),
    r.stderr,
  );
  const rises = file(
    "dm2.args",
    "--micro-batch-size 1 --train-iters 100 --lr 1e-3\n--decoupled-lr 1e-4\n--decoupled-min-lr 1e-3\n",
  );
  const up = await run("curve", "--megatron", rises);
  assert.ok(
    up.stderr.includes(
      `lrspec: note: ${rises}:3: --decoupled-min-lr 0.001 is above ${rises}:2: --decoupled-lr ` +
        "0.0001: the embedding and output layer's rate rises",
    ),
    up.stderr,
  );
  const table = rows(up.stdout);
  assert.ok(Number(table[100]![2]) > Number(table[1]![2])); // lr_decoupled went up
});

test("--megatron: the checkpoint flags, named as written (both spellings), both places", async () => {
  const both = file(
    "both.args",
    "--micro-batch-size 1 --train-iters 100 --lr 1e-4\n--override-opt_param-scheduler\n" +
      "--use-checkpoint-opt-param-scheduler\n",
  );
  assert.equal(
    await failure("curve", "--megatron", both),
    `${both}:3: --use-checkpoint-opt-param-scheduler: not use_checkpoint_opt_param_scheduler must ` +
      "hold (Megatron's `assert not use_checkpoint_opt_param_scheduler`): both override and " +
      `use-checkpoint are set (OptimizerParamScheduler); with ${both}:2: ` +
      "--override-opt_param-scheduler",
  );
  assert.match(
    await failure(
      "curve",
      "--megatron-args",
      "--micro-batch-size 1 --train-iters 10 --lr 1 --use-checkpoint-opt_param-scheduler " +
        "--override-opt-param-scheduler",
    ),
    /^--megatron-args: --use-checkpoint-opt_param-scheduler: .*; with --megatron-args: --override-opt-param-scheduler$/,
  );
});

test("curve --deepspeed: step,lr as the engine steps it", async () => {
  const config = {
    optimizer: { type: "AdamW", params: { lr: 1e-3 } },
    scheduler: { type: "WarmupCosineLR", params: { total_num_steps: 50, warmup_num_steps: 5 } },
  };
  const path = file("ds.json", JSON.stringify(config));
  const r = await run("curve", "--deepspeed", path, "--steps", "60");
  assert.equal(r.code, 0, r.stderr);
  const table = rows(r.stdout);
  assert.deepEqual(table[0], ["step", "lr"]);
  const lib = deepspeedSchedule(config, { steps: 60 });
  for (let k = 1; k <= 60; k++) assert.equal(Number(table[k]![1]), lib.lr[0]![k - 1]);
  const defaultSteps = await run("curve", "--deepspeed", path);
  assert.equal(rows(defaultSteps.stdout).length, 51); // total_num_steps
  assert.match(defaultSteps.stderr, /the scheduler's total_num_steps/);
  const explain = await run("explain", "--deepspeed", path, "--steps", "60");
  assert.match(explain.stdout, /the cosine ends at total_num_steps 50 < 60 steps/);
  assert.match(explain.stdout, /writes lr 0 at construction/);
});

test('--deepspeed with --hf-args: the Trainer fills "auto" and sets the steps', async () => {
  const r = await run(
    "curve",
    "--deepspeed",
    DS,
    "--hf-args",
    HF_ARGS,
    "--dataset-size",
    "50000",
    "--num-processes",
    "8",
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(rows(r.stdout).length, 589); // ceil(ceil(50000/16)/8) = 391 → ceil(391/2) = 196 × 3
  assert.match(r.stderr, /total_num_steps "auto" = 588 \(from num_training_steps \(calculated\)\)/);
  assert.match(r.stderr, /warmup_num_steps "auto" = 36 \(from warmup_steps\)/);
  const paired = await run(
    "curve",
    "--hf",
    HF_ARGS,
    "--deepspeed",
    DS,
    "--dataset-size",
    "50000",
    "--num-processes",
    "8",
  );
  assert.equal(paired.code, 0, paired.stderr);
  assert.equal(
    paired.stdout,
    r.stdout,
    "--hf FILE --deepspeed FILE: --deepspeed FILE --hf-args FILE",
  );
  const explain = await run(
    "explain",
    "--deepspeed",
    DS,
    "--hf-args",
    HF_ARGS,
    "--dataset-size",
    "50000",
    "--num-processes",
    "8",
  );
  assert.match(explain.stdout, /log-shaped/);
  assert.match(explain.stdout, /the first two steps both use warmup_min_lr/);
  assert.match(explain.stdout, /filled 13 "auto" value\(s\)/);
});

test("--deepspeed errors", async () => {
  assert.match(await failure("curve", "--deepspeed", DS), /"auto"/);
  const bad = file(
    "bad.json",
    JSON.stringify({ scheduler: { type: "WarmupLinearLR" }, optimizer: { type: "Adam" } }),
  );
  assert.match(
    await failure("curve", "--deepspeed", bad, "--steps", "3"),
    /does not recognize LR scheduler/,
  );
  // A scheduler's option: the line of the key, the key as written, the user's value.
  const warmup = file(
    "warmup.json",
    JSON.stringify(
      {
        train_batch_size: 8,
        scheduler: {
          type: "WarmupLR",
          params: { warmup_min_lr: 0, warmup_max_lr: 0.001, warmup_num_steps: -5 },
        },
        optimizer: { type: "Adam", params: { lr: 0.001 } },
      },
      null,
      2,
    ),
  );
  assert.match(
    await failure("curve", "--deepspeed", warmup, "--steps", "100"),
    /warmup\.json:8: scheduler\.params\.warmup_num_steps must be a positive integer \(DeepSpeed's ValueError\): got -5/,
  );
  // A torch scheduler DeepSpeed falls back to: its keyword, as written.
  const step = file(
    "step.json",
    JSON.stringify(
      { scheduler: { type: "StepLR", params: { step_size: 0 } }, optimizer: { type: "Adam" } },
      null,
      2,
    ),
  );
  assert.match(
    await failure("curve", "--deepspeed", step, "--steps", "3"),
    /step\.json:5: scheduler\.params\.step_size /,
  );
  const none = file("none.json", JSON.stringify({ optimizer: { type: "Adam" } }));
  assert.match(
    await failure("curve", "--deepspeed", none, "--steps", "3"),
    /no "scheduler" section/,
  );
});

/** A checkpoint's JSON as the help says to write it, one key a line. */
function checkpoint(name: string, iteration: number, state: Record<string, unknown>): string {
  return file(name, JSON.stringify({ iteration, opt_param_scheduler: state }, null, 2) + "\n");
}

const RESUME_ARGS = "--micro-batch-size 2 --global-batch-size 16 --train-iters 100\n" +
  "--lr 1e-3 --min-lr 1e-5\n--lr-warmup-iters 10\n--lr-decay-style cosine\n";
const SAVED = {
  max_lr: 0.001,
  lr_warmup_steps: 160,
  num_steps: 640,
  lr_decay_style: "cosine",
  lr_decay_steps: 1600,
  min_lr: 1e-5,
  start_wd: 0.01,
  end_wd: 0.01,
  wd_incr_style: "constant",
  wd_incr_steps: 1600,
};

test("--megatron-checkpoint: rows iteration+1..train_iters from the restored state", async () => {
  const args = file("resume.args", RESUME_ARGS);
  const r = await run(
    "curve",
    "--megatron",
    args,
    "--megatron-checkpoint",
    checkpoint("ck.json", 40, SAVED),
  );
  assert.equal(r.code, 0, r.stderr);
  const table = rows(r.stdout);
  assert.equal(table.length, 61);
  const { args: parsed } = parseMegatronArgs(RESUME_ARGS);
  const state = Object.fromEntries(
    Object.entries(SAVED).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]),
  );
  const lib = megatronTrainSchedule(parsed, { resume: { iteration: 40, state } });
  const fresh = megatronTrainSchedule(parsed);
  for (let i = 41; i <= 100; i++) {
    assert.equal(Number(table[i - 40]![0]), i);
    assert.equal(Number(table[i - 40]![1]), lib.lr[0]![i - 41], `iteration ${i}`);
    assert.equal(lib.lr[0]![i - 41], fresh.lr[0]![i - 1]); // saved where the fresh run was
  }
  const explain = await run(
    "explain",
    "--megatron",
    args,
    "--megatron-checkpoint",
    `${TMP}/ck.json`,
  );
  assert.match(
    explain.stdout,
    /ck\.json: resumed at iteration 40: the scheduler's state restored \(640 samples/,
  );
  // --finetune: Megatron loads neither the iteration nor the scheduler.
  const finetune = await run(
    "curve",
    "--megatron",
    file("finetune.args", `${RESUME_ARGS}--finetune\n`),
    "--megatron-checkpoint",
    `${TMP}/ck.json`,
  );
  assert.equal(rows(finetune.stdout).length, 101);
  assert.match(finetune.stderr, /ck\.json: not loaded: with --finetune/);
});

test("--megatron-checkpoint: the groups' bounds and the count, as load_checkpoint sets them", async () => {
  const groupsOf = (line: string) => megatronParamGroups(parseMegatronArgs(line).args);
  // The rate of iterations 41..100 of a scheduler built from `line`, the state loaded, then
  // (override) its count set to `consumed`.
  const expected = (line: string, groups: MegatronParamGroup[], consumed?: number) => {
    const { args } = parseMegatronArgs(line);
    const s = getOptimizerParamScheduler(args, { paramGroups: groups });
    s.loadStateDict(camel(SAVED));
    if (consumed !== undefined) {
      s.numSteps = consumed;
      s.step(0);
    }
    return Array.from({ length: 60 }, () => {
      const lr = groups[0]!.lr;
      s.step(16);
      return lr;
    });
  };
  const lrs = (csv: string) => rows(csv).slice(1).map((r) => Number(r[1]));
  // --use-checkpoint-opt_param-scheduler with another --lr: the checkpoint's max_lr, for the
  // scheduler and (restored with the optimizer's state) the groups.
  const use = file(
    "use2.args",
    `${RESUME_ARGS.replace("--lr 1e-3", "--lr 2e-3")}--use-checkpoint-opt_param-scheduler\n`,
  );
  const r = await run(
    "curve",
    "--megatron",
    use,
    "--megatron-checkpoint",
    checkpoint("ck.json", 40, SAVED),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(lrs(r.stdout), expected(RESUME_ARGS, groupsOf(RESUME_ARGS)));
  // --override-opt_param-scheduler: the arguments' values, num_steps = consumed_train_samples.
  const over = `${RESUME_ARGS.replace("--lr 1e-3", "--lr 2e-3")}--override-opt_param-scheduler\n`;
  const ck = file(
    "consumed.json",
    JSON.stringify({
      iteration: 40,
      args: { consumed_train_samples: 800 },
      opt_param_scheduler: SAVED,
    }),
  );
  const o = await run("curve", "--megatron", file("over.args", over), "--megatron-checkpoint", ck);
  assert.equal(o.code, 0, o.stderr);
  assert.deepEqual(lrs(o.stdout), expected(over, groupsOf(over), 800));
  // Without it: the state's count, said.
  const n = await run(
    "curve",
    "--megatron",
    `${TMP}/over.args`,
    "--megatron-checkpoint",
    `${TMP}/ck.json`,
  );
  assert.deepEqual(lrs(n.stdout), expected(over, groupsOf(over)));
  assert.match(
    n.stderr,
    /ck\.json: no consumed_train_samples: with --override-opt_param-scheduler/,
  );
});

function camel(state: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(state).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), v]),
  );
}

test("--megatron-checkpoint: errors name the checkpoint's key and line, and the flag's", async () => {
  const args = file("resume.args", RESUME_ARGS);
  const peak = checkpoint("peak.json", 40, { ...SAVED, max_lr: 0.002 });
  assert.equal(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", peak),
    `${peak}:4: opt_param_scheduler.max_lr: class input value 0.001 and checkpoint value 0.002 ` +
      "for learning rate do not match (Megatron asserts; set useCheckpointOptParamScheduler or " +
      `overrideOptParamScheduler) (OptimizerParamScheduler); the arguments: ${args}:2: --lr ` +
      "0.001; give --use-checkpoint-opt_param-scheduler to take the checkpoint's values, or " +
      "--override-opt_param-scheduler to keep the arguments'",
  );
  // A count in samples: the flag's own value and the scheduler's.
  const warmup = checkpoint("warmup.json", 40, { ...SAVED, lr_warmup_steps: 320 });
  assert.match(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", warmup),
    new RegExp(
      `^${warmup}:5: opt_param_scheduler\\.lr_warmup_steps: .*; the arguments: ${args}:3: ` +
        "--lr-warmup-iters 10 \\(160 as the scheduler counts it\\);",
    ),
  );
  // An old checkpoint's names, as written.
  const old = file(
    "old.json",
    JSON.stringify(
      {
        iteration: 40,
        lr_scheduler: {
          start_lr: 0.003,
          min_lr: 1e-5,
          warmup_iter: 160,
          end_iter: 1600,
          decay_style: "cosine",
          num_iters: 640,
        },
      },
      null,
      2,
    ),
  );
  assert.match(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", old),
    new RegExp(
      `^${old}:4: lr_scheduler\\.start_lr: class input value 0\\.001 and checkpoint value 0\\.003`,
    ),
  );
  // Taken from the checkpoint (--use-checkpoint-opt_param-scheduler): a style WSD needs its flag.
  const wsd = checkpoint("wsd.json", 40, { ...SAVED, lr_decay_style: "WSD" });
  const use = file("use.args", `${RESUME_ARGS}--use-checkpoint-opt_param-scheduler\n`);
  assert.equal(
    await failure("curve", "--megatron", use, "--megatron-checkpoint", wsd),
    `${use}: --lr-wsd-decay-iters: lrDecayStyle "WSD" needs \`wsdDecaySteps\`, which is null ` +
      "(Python's `lr_decay_steps - None` raises TypeError) (OptimizerParamScheduler), which the " +
      `checkpoint's ${wsd}:7: opt_param_scheduler.lr_decay_style "WSD" needs`,
  );
  // A style Megatron cannot step, taken from the checkpoint: the curve stops where Megatron
  // raises (once warmup is over), the note and explain name the checkpoint's key.
  const foo = checkpoint("foo.json", 1, { ...SAVED, lr_decay_style: "foo", num_steps: 16 });
  const stopped = await run("curve", "--megatron", use, "--megatron-checkpoint", foo);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.deepEqual(rows(stopped.stdout)[11], ["12", "", "RangeError"]);
  const raises = `the scheduler raises at iteration 12, as Megatron's does: ${foo}:7: ` +
    `opt_param_scheduler.lr_decay_style: "foo" decay style is not supported`;
  assert.ok(stopped.stderr.includes(`lrspec: note: ${raises}`), stopped.stderr);
  const told = await run("explain", "--megatron", use, "--megatron-checkpoint", foo);
  assert.ok(told.stdout.includes(`  ${raises}`), told.stdout);
  // A value the checkpoint sets that is not a number: its key.
  const nan = checkpoint("nan.json", 40, { ...SAVED, min_lr: "x" });
  assert.equal(
    await failure("curve", "--megatron", use, "--megatron-checkpoint", nan),
    `${nan}:9: opt_param_scheduler.min_lr must be a number: got "x"`,
  );
  // The file itself.
  const late = checkpoint("late.json", 100, SAVED);
  assert.equal(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", late),
    `${late}:2: iteration 100: training ends at iteration 100 (--train-iters): no iteration left ` +
      "to show",
  );
  const none = file("none.json", '{\n  "iteration": 3\n}\n');
  assert.match(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", none),
    new RegExp(`^${none}: no "opt_param_scheduler"`),
  );
  const pickle = `${TMP}/model_optim_rng.pt`;
  writeFileSync(pickle, new Uint8Array([0x80, 0x04, 0x95, 0, 0]));
  assert.match(
    await failure("curve", "--megatron", args, "--megatron-checkpoint", pickle),
    /a binary file \(a Python pickle\).*torch\.load/,
  );
});

test("--megatron: a launch script keeping its arguments in bash arrays, as Megatron's examples do", async () => {
  const script = file(
    "train_gpt.sh",
    [
      "#!/bin/bash", // 1
      "GPUS_PER_NODE=8", // 2
      "MICRO_BATCH_SIZE=2", // 3
      'PRETRAIN_SCRIPT_PATH="pretrain_gpt.py"', // 4
      "WORLD_SIZE=$(($GPUS_PER_NODE*1))", // 5
      "DISTRIBUTED_ARGS=(", // 6
      "    --nproc_per_node $GPUS_PER_NODE", // 7
      ")", // 8
      "TRAINING_ARGS=(", // 9
      "    --micro-batch-size $MICRO_BATCH_SIZE", // 10
      "    --global-batch-size ${GLOBAL_BATCH_SIZE:-16} # a comment", // 11
      "    --train-iters 300", // 12
      "    --lr 1e-3", // 13
      "    --lr-warmup-iters 30", // 14
      ")", // 15
      "DDP_ARGS=(--overlap-grad-reduce)", // 16
      'TRAINING_ARGS+=("${DDP_ARGS[@]}")', // 17
      'if [[ "$X" == "y" ]]; then', // 18
      "    TRAINING_ARGS+=(", // 19
      "        --min-lr 1e-5", // 20
      "    )", // 21
      "fi", // 22
      'torchrun ${DISTRIBUTED_ARGS[@]} "$PRETRAIN_SCRIPT_PATH" \\', // 23
      '    "${TRAINING_ARGS[@]}" \\', // 24
      "    --lr-decay-style cosine", // 25
      "echo done --lr 5", // 26
      "",
    ].join("\n"),
  );
  const line = "--micro-batch-size 2 --global-batch-size 16 --train-iters 300 --lr 1e-3 " +
    "--lr-warmup-iters 30 --min-lr 1e-5 --lr-decay-style cosine";
  const r = await run("curve", "--megatron", script);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, (await run("curve", "--megatron-args", line)).stdout);
  assert.match(
    r.stderr,
    /train_gpt\.sh: read as a launch script: the arrays DISTRIBUTED_ARGS, TRAINING_ARGS, DDP_ARGS, TRAINING_ARGS, TRAINING_ARGS and the words after the training script/,
  );
  // Errors: the line of the flag in its array, or after the training script.
  const bad = file(
    "bad_gpt.sh",
    readFileSync(script, "utf8").replace("--lr-warmup-iters 30", "--lr-warmup-iters 400"),
  );
  assert.match(
    await failure("curve", "--megatron", bad),
    new RegExp(`^${bad}:14: --lr-warmup-iters: lr_warmup_steps < lr_decay_steps must hold`),
  );
  const style = file("style_gpt.sh", readFileSync(script, "utf8").replace("cosine", "cosin"));
  assert.match(
    await failure("curve", "--megatron", style),
    new RegExp(`^${style}:25: --lr-decay-style: invalid choice "cosin"`),
  );
  const unset = file(
    "unset_gpt.sh",
    readFileSync(script, "utf8").replace("MICRO_BATCH_SIZE=2\n", ""),
  );
  assert.match(
    await failure("curve", "--megatron", unset),
    new RegExp(
      `^${unset}:9: --micro-batch-size: \`--micro-batch-size \\$MICRO_BATCH_SIZE\` holds an ` +
        "unexpanded shell variable",
    ),
  );
});
