/**
 * mmengine (MMDetection): every `*LR` class of `mmengine/optim/scheduler/` on its own form
 * (stepped once per row, as one scheduler alone), and an mmengine config — the merged config as
 * JSON (`cfg.dump('cfg.json')`, or `Config.fromfile(...).to_dict()`) — trained as mmengine's
 * Runner trains it: the rate of every iteration.
 *
 * @module
 */

import * as mmengine from "../../schedules/mmengine/mod.ts";
import { mmengineView } from "../../views/mmengine.ts";
import {
  type Family,
  type Field,
  FieldError,
  pageField,
  pythonCall,
  type ScheduleDef,
  type ScheduleInput,
  siteCurve,
  viewFieldError,
} from "./family.ts";
import { lrSchedulerRunner } from "./runners.ts";

const EXAMPLE_CONFIG = `{
  "train_cfg": {"type": "EpochBasedTrainLoop", "max_epochs": 12, "val_interval": 1},
  "param_scheduler": [
    {"type": "LinearLR", "start_factor": 0.001, "by_epoch": false, "begin": 0, "end": 500},
    {"type": "MultiStepLR", "begin": 0, "end": 12, "by_epoch": true, "milestones": [8, 11], "gamma": 0.1}
  ],
  "optim_wrapper": {"type": "OptimWrapper",
    "optimizer": {"type": "SGD", "lr": 0.02, "momentum": 0.9, "weight_decay": 0.0001}},
  "auto_scale_lr": {"enable": false, "base_batch_size": 16},
  "train_dataloader": {"batch_size": 2}
}
`;

/** `--cfg-options` as the CLI joins them: `KEY=VALUE` tokens; a `KEY VALUE` pair is joined. */
function cfgOptions(opts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < opts.length; i++) {
    const token = opts[i]!;
    if (token.includes("=")) out.push(token);
    else if (i + 1 < opts.length) out.push(`${token}=${opts[++i]!}`);
    else out.push(`${token}=`);
  }
  return out;
}

/**
 * A `.py` config's merged config, read by the page's Python sandbox with the uploaded files (the
 * same loader as `lrspec curve --mmengine CONFIG.py`); a FieldError while it is being read.
 */
function pythonConfig(
  input: ScheduleInput,
  file: string,
  text: string,
  opts: readonly string[],
): Record<string, unknown> {
  if (input.python === undefined) {
    throw new FieldError(
      `${file}: a .py config is read in the page's Python sandbox, which is not running here: ` +
        "paste the merged config as JSON (cfg.dump('cfg.json'))",
      "config",
    );
  }
  const result = input.python({
    kind: "mmengine",
    name: file,
    text,
    files: input.files,
    overrides: cfgOptions(opts),
  });
  if (result === undefined) {
    throw new FieldError(
      `${file}: reading the config in the Python sandbox (the first .py starts the ` +
        "interpreter: seconds)…",
      "config",
    );
  }
  if ("error" in result) throw viewFieldError(result.error, () => "config", "config");
  return result.config;
}

/** An mmengine config (a `.py` with its `_base_` files, or JSON) and the numbers it does not record. */
function configSource(): ScheduleDef {
  const config: Field = {
    name: "config",
    doc:
      "The config: a `.py` (open it, with its `_base_` files below; read as `mmengine.Config.fromfile` reads it, in the Python sandbox in this page) or the merged config as JSON (`cfg.dump('cfg.json')`): `train_cfg`, `optim_wrapper`, `param_scheduler`, `auto_scale_lr`, `train_dataloader`.",
    type: { repr: "string", accepts: ["string"], literals: [] },
    example: EXAMPLE_CONFIG,
    control: "textarea",
    required: true,
    page: false,
  };
  const text = (name: string, doc: string, dflt: string): Field => ({
    name,
    doc,
    default: dflt,
    type: { repr: "string", accepts: ["string"], literals: [] },
    control: "text",
    required: false,
    page: false,
  });
  const fields: Field[] = [
    config,
    {
      ...text(
        "bases",
        "A `.py` config's `_base_` files (and theirs): a folder keeps its layout; files picked one by one are matched by name.",
        "",
      ),
      label: "_base_ files",
      control: "files",
    },
    text(
      "file",
      "The config's file name: a `.py` is read in the Python sandbox, anything else as JSON.",
      "config.json",
    ),
    text(
      "opts",
      "`tools/train.py --cfg-options KEY=VALUE …` for a `.py` (`optim_wrapper.optimizer.lr=0.01`).",
      "",
    ),
    pageField("epochLength", "`len(train_dataloader)` on each GPU (iterations per epoch).", "100"),
    pageField(
      "datasetSize",
      "Instead of `epochLength`: the number of training samples (with `numGpus` and the config's `batch_size`).",
      "",
    ),
    pageField("numGpus", "GPUs: the world size of the sampler and of `auto_scale_lr`.", "1"),
    pageField(
      "autoScaleLr",
      "`tools/train.py --auto-scale-lr`: `true` enables `auto_scale_lr`.",
      "",
    ),
  ];
  const number = (text: string | undefined, name: string): number | undefined => {
    if (text === undefined || text.trim() === "") return undefined;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) {
      // Beside its own field (a page setting, not the config).
      throw new FieldError(
        `\`${name}\` must be a positive integer: got ${JSON.stringify(text.trim())}`,
        name,
      );
    }
    return n;
  };
  return {
    id: "mmengine/config",
    family: "mmengine",
    name: "config",
    summary:
      "What mmengine's Runner trains with for a config: the train loop, the optim wrapper's groups, `auto_scale_lr`, the parameter schedulers stepped as `ParamSchedulerHook` steps them — the rate of every iteration.",
    fields,
    build(input) {
      // An empty page setting takes its default (shown in the field).
      const v: Record<string, string> = {};
      for (const f of fields) {
        const text = (input.values[f.name] ?? "").trim();
        v[f.name] = text === "" ? f.default ?? "" : text;
      }
      const file = v.file ?? "config.json";
      const opts = (v.opts ?? "").split(/\s+/).filter((t) => t !== "");
      let cfg: unknown;
      if (/\.py$/i.test(file)) {
        cfg = pythonConfig(input, file, input.values.config ?? "", opts);
      } else {
        if (opts.length > 0) {
          throw new FieldError("`opts` (--cfg-options) applies to a .py config", "opts");
        }
        try {
          cfg = JSON.parse(v.config ?? "");
        } catch (e) {
          throw viewFieldError(
            new SyntaxError(`config: ${(e as Error).message}`),
            () => "config",
            "config",
          );
        }
      }
      if (typeof cfg !== "object" || cfg === null || Array.isArray(cfg)) {
        throw viewFieldError(
          new TypeError("config: expected a JSON object"),
          () => "config",
          "config",
        );
      }
      try {
        const datasetSize = number(v.datasetSize, "datasetSize");
        const view = mmengineView(cfg as Record<string, unknown>, {
          path: /\.py$/i.test(file) ? file : "config",
          ...(datasetSize === undefined
            ? { epochLength: number(v.epochLength, "epochLength") }
            : { datasetSize }),
          numGpus: number(v.numGpus, "numGpus") ?? 1,
          autoScaleLr: v.autoScaleLr === "true",
        });
        return siteCurve(view);
      } catch (e) {
        throw viewFieldError(e, () => "config", "config");
      }
    },
  };
}

/** The mmengine family. */
export const MMENGINE: Family = {
  id: "mmengine",
  title: "mmengine (MMDetection)",
  upstream: "mmengine.optim.scheduler (mmengine 2543429)",
  docs: "schedules/mmengine/mod.ts",
  filter: {
    is: [
      "ConstantParamScheduler",
      "CosineAnnealingParamScheduler",
      "CosineRestartParamScheduler",
      "ExponentialParamScheduler",
      "LinearParamScheduler",
      "MultiStepParamScheduler",
      "OneCycleParamScheduler",
      "PolyParamScheduler",
      "StepParamScheduler",
    ],
    supplied: ["optimizer"],
    exclude: Object.fromEntries([
      ...[
        "Constant",
        "CosineAnnealing",
        "CosineRestart",
        "Exponential",
        "Linear",
        "MultiStep",
        "Poly",
        "Step",
      ].map((n) => [
        `${n}Momentum`,
        "it schedules the momentum (SGD's `momentum`, Adam's `betas[0]`); the page draws learning rates",
      ]),
      ...[
        "Constant",
        "CosineAnnealing",
        "CosineRestart",
        "Exponential",
        "Linear",
        "MultiStep",
        "OneCycle",
        "Poly",
        "Step",
      ].map((n) => [
        `${n}ParamScheduler`,
        `with \`paramName: "lr"\` it is ${n}LR, which the page draws`,
      ]),
    ]),
  },
  hidden: ["lastStep", "verbose", "byEpoch"],
  exports: mmengine,
  runner: lrSchedulerRunner({ lr: "0.02", steps: "100" }),
  examples: {
    LinearLR: { startFactor: "0.001", end: "50" },
    CosineAnnealingLR: { tMax: "100" },
    CosineRestartLR: { periods: "30, 30, 40", restartWeights: "1, 0.5, 0.25", etaMin: "0" },
    ExponentialLR: { gamma: "0.95" },
    MultiStepLR: { milestones: "30, 60, 90" },
    StepLR: { stepSize: "30" },
    OneCycleLR: { etaMax: "0.1", totalSteps: "100" },
    PolyLR: { end: "100", power: "0.9" },
    ConstantLR: { end: "20" },
  },
  python: (name, options) => pythonCall(`mmengine.optim.scheduler.${name}`, ["optimizer"], options),
  sources: () => [configSource()],
  first: "config",
};
