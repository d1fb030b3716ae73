/**
 * The CLI's Megatron sources: `--megatron FILE` (a file holding a training script's arguments
 * as a launch script writes them) and `--megatron-args "…"` (the arguments themselves), opened
 * as the Megatron view (`views/megatron.ts`) with `--num-processes` as torchrun's world size.
 *
 * @module
 */

import { megatronView } from "../views/megatron.ts";
import { positiveOption } from "./hf.ts";
import { readSettingsBytes, readSettingsText } from "./_read.ts";
import type { OpenContext, SourceKind, SourceOption } from "./source_kind.ts";

const WORLD_SIZE: SourceOption = {
  name: "num-processes",
  type: "string",
  perFile: true,
  help: "P  --megatron: the world size (with the parallel sizes: the data-parallel size; " +
    "default 1)",
};

const CHECKPOINT: SourceOption = {
  name: "megatron-checkpoint",
  type: "string",
  perFile: true,
  help: "FILE  --megatron: resume from a checkpoint: its iteration, consumed_train_samples\n" +
    "and opt_param_scheduler as JSON (torch.load the checkpoint's model_optim_rng.pt and\n" +
    "json.dumps them)",
};

function open(text: string, path: string, context: OpenContext, lines: boolean) {
  const checkpoint = context.value("megatron-checkpoint");
  return [
    megatronView(text, {
      path,
      lines,
      ...(checkpoint === undefined
        ? {}
        : { checkpoint: { path: checkpoint, contents: readSettingsBytes(checkpoint) } }),
      worldSize: positiveOption(context, "num-processes", context.value("num-processes")) ?? 1,
      label: context.label,
    }),
  ];
}

/** What `curve` writes for both Megatron kinds. */
const ROWS = {
  rows: "iteration,lr[,lr_decoupled][,weight_decay] for iterations 1..train_iters",
  rowsMore: 'the rate iteration i\'s update uses; Megatron logs it as "learning rate:" at ' +
    "iteration i − 1 (the log is read after the step)",
  explains: "the decay style, peak and min, samples or iterations, warmup, decay and " +
    "annealing lengths, the log line one iteration ahead, the traps (an update at lr 0) and " +
    "the arguments that do not touch the schedule",
};

/** `--megatron FILE`: Megatron-LM training arguments in a file. */
export const MEGATRON_SOURCE: SourceKind = {
  id: "megatron",
  flag: "megatron",
  what: "Megatron-LM training arguments",
  files: "--megatron files",
  arg: "FILE",
  ...ROWS,
  help: "a file with Megatron-LM training arguments as a launch script writes them (--lr 3e-4 " +
    "--min-lr 3e-5 --lr-decay-style WSD …, or in bash arrays as Megatron's examples do): one " +
    "row per iteration",
  options: [WORLD_SIZE, CHECKPOINT],
  recognize: (text) =>
    /(?:^|\s)--lr[\s=]/.test(text) && /(?:^|\s)--(?:train-iters|train-samples)[\s=]/.test(text),
  open(path, context) {
    return open(readSettingsText(path), path, context, true);
  },
};

/** `--megatron-args "…"`: Megatron-LM training arguments on the command line. */
export const MEGATRON_ARGS_SOURCE: SourceKind = {
  id: "megatron",
  flag: "megatron-args",
  what: "Megatron-LM training arguments",
  files: "--megatron-args",
  arg: '"ARGS"',
  ...ROWS,
  help: 'Megatron-LM training arguments themselves ("--lr 3e-4 --train-iters …"),\n' +
    'as one argument: --megatron-args "--lr 3e-4 …"',
  options: [WORLD_SIZE, CHECKPOINT],
  open(text, context) {
    return open(text, "--megatron-args", context, false);
  },
};
