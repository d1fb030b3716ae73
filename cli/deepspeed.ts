/**
 * The CLI's DeepSpeed source (`--deepspeed ds_config.json`): the config's `"scheduler"` opened as
 * the DeepSpeed view (`views/deepspeed.ts`), for `--steps N` optimizer steps, or under the
 * Hugging Face Trainer with `--hf-args args.json` (its `"auto"` values filled as transformers
 * fills them, its step count from `--dataset-size` and `--num-processes`).
 *
 * @module
 */

import { deepspeedView } from "../views/deepspeed.ts";
import { readTrainingArguments } from "../views/hf.ts";
import { parseCount } from "./_text.ts";
import { DATASET_SIZE, NUM_PROCESSES, positiveOption } from "./hf.ts";
import { readSettingsBytes } from "./_read.ts";
import type { SourceKind } from "./source_kind.ts";

/** `--deepspeed FILE`: a DeepSpeed `ds_config.json`. */
export const DEEPSPEED_SOURCE: SourceKind = {
  id: "deepspeed",
  flag: "deepspeed",
  what: "a DeepSpeed config (ds_config.json)",
  files: "--deepspeed files",
  arg: "ds_config.json",
  needs: "--steps N",
  rows: "step,lr for optimizer steps 1..N as DeepSpeed's engine steps them",
  rowsMore: "the rate step N's update uses (with --hf-args args.json: under the Hugging Face " +
    'Trainer, "auto" filled)',
  explains: 'the scheduler, its arithmetic as the engine steps it, the "auto" values filled, ' +
    "and the traps (a first update at lr 0, a clamped warmup_num_steps, a fractional warmup, " +
    "OneCycle replacing Adam's beta2)",
  help: 'a DeepSpeed ds_config.json (its "scheduler", as the engine steps it):\n' +
    "one row per optimizer step 1..N (step,lr)",
  options: [
    {
      name: "steps",
      type: "string",
      perFile: true,
      help: "N  --deepspeed: optimizer steps (default: the Trainer's with --hf-args, else\n" +
        "the scheduler's total_num_steps)",
    },
    {
      name: "hf-args",
      type: "string",
      perFile: true,
      help: "FILE  --deepspeed under the Hugging Face Trainer: its TrainingArguments\n" +
        '(JSON or YAML); "auto" values are filled as transformers 5.17 fills them;\n' +
        "--hf FILE --deepspeed ds_config.json says the same",
    },
    DATASET_SIZE,
    NUM_PROCESSES,
  ],
  recognize: (text) =>
    /"scheduler"\s*:\s*\{/.test(text) &&
    /"(?:train_batch_size|train_micro_batch_size_per_gpu|zero_optimization|optimizer)"/.test(text),
  open(path, context) {
    const steps = positiveOption(context, "steps", context.value("steps"));
    const argsPath = context.value("hf-args");
    let hf;
    if (argsPath !== undefined) {
      const file = readTrainingArguments(argsPath, readSettingsBytes(argsPath));
      const size = context.value("dataset-size");
      const datasetSize = size === undefined ? null : parseCount(size);
      if (datasetSize === undefined) {
        throw context.usage(`--dataset-size must be a whole number: got ${JSON.stringify(size)}`);
      }
      hf = {
        path: argsPath,
        trainingArgs: file.value,
        file,
        datasetSize,
        numProcesses: positiveOption(context, "num-processes", context.value("num-processes")) ??
          1,
      };
    }
    return [
      deepspeedView(readSettingsBytes(path), { path, steps, hf, label: context.label }),
    ];
  },
};
