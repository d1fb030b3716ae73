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
  pageField,
  pythonCall,
  type ScheduleDef,
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

/** An mmengine config (JSON) and the numbers it does not record. */
function configSource(): ScheduleDef {
  const config: Field = {
    name: "config",
    doc:
      "The merged mmengine config as JSON (`cfg.dump('cfg.json')` in mmengine, or `lrspec curve --mmengine CONFIG.py` for a `.py`): `train_cfg`, `optim_wrapper`, `param_scheduler`, `auto_scale_lr`, `train_dataloader`.",
    type: { repr: "string", accepts: ["string"], literals: [] },
    example: EXAMPLE_CONFIG,
    control: "textarea",
    required: true,
    page: false,
  };
  const fields: Field[] = [
    config,
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
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive integer`);
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
      let cfg: unknown;
      try {
        cfg = JSON.parse(v.config ?? "");
      } catch (e) {
        throw viewFieldError(
          new SyntaxError(`config: ${(e as Error).message}`),
          () => "config",
          "config",
        );
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
          path: "config",
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
