// The Trainer's step counts against transformers 5.17's own functions: every case of
// fixtures/hf-trainer/cases.json (written by fixtures/generate_hf_trainer.py, which runs
// Trainer.set_initial_training_values, get_total_train_batch_size, get_warmup_steps and
// accelerate's BatchSamplerShard.__len__ on a grid of runs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { getWarmupSteps, setInitialTrainingValues, trainingArguments } from "../../mod.ts";

interface Case {
  N: number;
  B: number;
  GA: number;
  P: number;
  drop: boolean;
  split: boolean;
  epochs: number;
  max_steps: number;
  warm: number;
  out?: Record<string, number>;
  error?: string;
}

const { meta, cases } = JSON.parse(
  readFileSync(new URL("../../fixtures/hf-trainer/cases.json", import.meta.url), "utf8"),
) as { meta: Record<string, unknown>; cases: Case[] };

/** Python's sys.maxsize (num_train_epochs of a run bounded by max_steps only), as JSON reads it. */
const SYS_MAXSIZE = 9223372036854775807;

test(`Trainer step counts equal transformers ${meta.transformers}'s on ${cases.length} runs`, () => {
  assert.ok(cases.length >= 1000);
  let errors = 0;
  for (const c of cases) {
    const label = JSON.stringify({ ...c, out: undefined });
    const args = trainingArguments({
      per_device_train_batch_size: c.B,
      gradient_accumulation_steps: c.GA,
      num_train_epochs: c.epochs,
      max_steps: c.max_steps,
      warmup_steps: c.warm,
      dataloader_drop_last: c.drop,
      accelerator_config: { split_batches: c.split },
    });
    if (c.error !== undefined) {
      errors++;
      assert.throws(() => setInitialTrainingValues(args, { datasetSize: c.N, numProcesses: c.P }), {
        name: "RangeError",
        message: /max_steps must be set to a positive value/,
      }, label);
      continue;
    }
    const v = setInitialTrainingValues(args, { datasetSize: c.N, numProcesses: c.P });
    const mine: Record<string, number | null> = {
      ...v,
      numWarmupSteps: getWarmupSteps(args, v.maxSteps),
      numTrainEpochs: v.numTrainEpochs === Number.MAX_SAFE_INTEGER ? SYS_MAXSIZE : v.numTrainEpochs,
    };
    for (const [key, expected] of Object.entries(c.out!)) {
      assert.ok(Object.is(mine[key], expected), `${key}: ${mine[key]} vs ${expected} for ${label}`);
    }
  }
  assert.ok(errors > 0, "the grid has runs where upstream raises");
});
