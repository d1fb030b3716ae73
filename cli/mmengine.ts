/**
 * The CLI's mmengine source (`--mmengine FILE`): an mmengine config (MMDetection's, …) — a `.py`
 * read as `mmengine.Config.fromfile` reads it, in lrspec's Python sandbox, with `--opts
 * KEY=VALUE …` as `tools/train.py --cfg-options`; or a `.json` dump of the merged config — opened
 * as the mmengine view (`views/mmengine.ts`) with `--epoch-length` or `--dataset-size` and
 * `--num-gpus`, and `--auto-scale-lr`.
 *
 * @module
 */

import { loadPythonConfig, looksMmengine, pythonOverrides } from "./_python.ts";
import { mmengineView } from "../views/mmengine.ts";
import { placed } from "../views/view.ts";
import { positiveOption } from "./hf.ts";
import { readSettingsText } from "./_read.ts";
import type { OpenContext, SourceKind } from "./source_kind.ts";

/** The merged config of a `.py` (Config.fromfile, in the sandbox) or a `.json` file. */
function readConfig(path: string, context: OpenContext): Record<string, unknown> {
  if (/\.json$/i.test(path)) {
    if (context.opts.length > 0) {
      throw context.usage("--opts (--cfg-options) applies to .py configs; edit the .json instead");
    }
    const text = readSettingsText(path);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw placed(new SyntaxError(`${path}: ${(error as Error).message}`), { file: path });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw placed(new TypeError(`${path}: an mmengine config must be a JSON object`), {
        file: path,
      });
    }
    return value as Record<string, unknown>;
  }
  // A regular file of bounded size, noted as an input of this run (no --out may replace it),
  // before the sandbox reads it.
  readSettingsText(path);
  return loadPythonConfig(path, { kind: "mmengine", overrides: pythonOverrides(context.opts) });
}

/** `--mmengine FILE`: an mmengine (MMDetection, …) config. */
export const MMENGINE_SOURCE: SourceKind = {
  id: "mmengine",
  flag: "mmengine",
  what: "an mmengine (MMDetection) config",
  files: "--mmengine files",
  arg: "CONFIG.py",
  rows: "iter[,epoch],lr[,lr_<group>…][,base_lr] for the training iterations",
  rowsMore: "the rate each iteration trains with, as mmengine's Runner and ParamSchedulerHook " +
    "compute it (by-epoch schedulers with --epoch-length or --dataset-size); epoch: runner.epoch " +
    "of an EpochBasedTrainLoop",
  explains: "the loop, each scheduler of param_scheduler with where it begins and ends, " +
    "auto_scale_lr, and the traps (a by-epoch scheduler that never fires, a warmup longer than " +
    "the run, auto_scale_lr present but off)",
  opts: true,
  help: "an mmengine config (MMDetection, MMSegmentation, …): CONFIG.py read as\n" +
    "mmengine's Config.fromfile reads it (_base_, {{_base_.x}}, _delete_), in a\n" +
    "sandbox; --opts KEY=VALUE as tools/train.py --cfg-options; or a .json dump.\n" +
    "One row per training iteration (iter[,epoch],lr[,lr_<group>…][,base_lr]),\n" +
    "as mmengine's Runner and ParamSchedulerHook compute it",
  options: [
    {
      name: "epoch-length",
      type: "string",
      perFile: true,
      help: "L  --mmengine: len(train_dataloader) on each GPU (iterations per epoch)",
    },
    {
      name: "dataset-size",
      type: "string",
      perFile: true,
      help: "N  len(train_dataset): with --num-gpus and the config's batch_size and\n" +
        "drop_last, gives --mmengine's len(train_dataloader)",
    },
    {
      name: "num-gpus",
      type: "string",
      perFile: true,
      help: "G  --mmengine: GPUs (the world size of the sampler and of auto_scale_lr;\n" +
        "default 1)",
    },
    {
      name: "auto-scale-lr",
      type: "boolean",
      help: "--mmengine: as tools/train.py --auto-scale-lr: enable auto_scale_lr",
    },
  ],
  recognize: (text, path) => /\.py$/i.test(path) && looksMmengine(text),
  open(path, context) {
    const cfg = readConfig(path, context);
    const datasetSize = positiveOption(context, "dataset-size", context.value("dataset-size"));
    const epochLength = positiveOption(context, "epoch-length", context.value("epoch-length"));
    if (datasetSize !== undefined && epochLength !== undefined) {
      throw context.usage("give --epoch-length or --dataset-size, not both");
    }
    return [
      mmengineView(cfg, {
        path,
        epochLength,
        datasetSize,
        numGpus: positiveOption(context, "num-gpus", context.value("num-gpus")) ?? 1,
        autoScaleLr: context.flag("auto-scale-lr"),
        label: context.label,
      }),
    ];
  },
};
