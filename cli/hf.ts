/**
 * The CLI's Hugging Face source (`--hf FILE`): a `TrainingArguments` file read from disk and
 * opened as the hf view (`views/hf.ts`) with `--dataset-size`, `--num-processes` and
 * `--allow-new-keys`.
 *
 * @module
 */

import { hfView } from "../views/hf.ts";
import { parseCount } from "./_text.ts";
import { readSettingsBytes } from "./_read.ts";
import type { OpenContext, SourceKind, SourceOption } from "./source_kind.ts";

/** A positive integer option, or a usage error. */
export function positiveOption(
  context: OpenContext,
  name: string,
  text: string | undefined,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw context.usage(`--${name} must be a positive integer: got ${JSON.stringify(text)}`);
  }
  return n;
}

/** `--dataset-size N`: the Trainer's `len(train_dataset)` (`--hf`, `--deepspeed --hf-args`). */
export const DATASET_SIZE: SourceOption = {
  name: "dataset-size",
  type: "string",
  perFile: true,
  help: 'N  len(train_dataset), what the Trainer logs as "Num examples" (needed unless the file ' +
    "sets max_steps)",
};

/** `--num-processes P`: the Trainer's data-parallel processes (`--hf`, `--deepspeed --hf-args`). */
export const NUM_PROCESSES: SourceOption = {
  name: "num-processes",
  type: "string",
  perFile: true,
  help: "P  data-parallel processes: accelerate --num_processes, torchrun's world size " +
    "(default 1)",
};

/** `--hf FILE`: a `TrainingArguments` file. */
export const HF_SOURCE: SourceKind = {
  id: "hf",
  flag: "hf",
  what: "a Hugging Face TrainingArguments file",
  files: "--hf files",
  arg: "FILE",
  needs: "--dataset-size N",
  rows: "step,lr for the Trainer's optimizer steps 1..max_steps",
  rowsMore: "step N trains with that rate, which the Trainer logs as learning_rate at step N",
  explains: "the Trainer's arithmetic (batches per process, gradient accumulation, epochs or " +
    "max_steps, the warmup ratio rounded up) and the rate at its steps",
  help: "a Hugging Face TrainingArguments file (transformers 5.17's Trainer):\n" +
    "JSON (to_json_string(), or a script's config), or YAML read as PyYAML\n" +
    "reads it (1e-5 is a string there: write 1.0e-5); one row per optimizer\n" +
    "step, numbered as the Trainer's global_step 1..max_steps",
  options: [
    DATASET_SIZE,
    NUM_PROCESSES,
    {
      name: "allow-new-keys",
      type: "boolean",
      help: "--hf: skip keys that are not TrainingArguments fields (a script's\n" +
        "model and data keys), as HfArgumentParser(allow_extra_keys=True)",
    },
  ],
  recognize: (text) =>
    /"(?:per_device_train_batch_size|output_dir|lr_scheduler_type)"\s*:/.test(text) ||
    /^(?:per_device_train_batch_size|output_dir|lr_scheduler_type|num_train_epochs)\s*:/m.test(
      text,
    ),
  open(path, context) {
    const size = context.value("dataset-size");
    let datasetSize: number | undefined;
    if (size !== undefined) {
      datasetSize = parseCount(size);
      if (datasetSize === undefined) {
        throw context.usage(`--dataset-size must be a whole number: got ${JSON.stringify(size)}`);
      }
    }
    const numProcesses = positiveOption(context, "num-processes", context.value("num-processes")) ??
      1;
    return [
      hfView(readSettingsBytes(path), {
        path,
        datasetSize,
        numProcesses,
        allowExtraKeys: context.flag("allow-new-keys"),
        label: context.label,
      }),
    ];
  },
};
