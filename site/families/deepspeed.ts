/**
 * DeepSpeed: a `ds_config.json` (the `config` form: paste it; with the Hugging Face Trainer's
 * arguments its `"auto"` values are filled as transformers fills them) — the learning rate of
 * every optimizer step as DeepSpeed's engine steps it — and each scheduler of
 * `deepspeed/runtime/lr_schedules.py` on its own form.
 *
 * @module
 */

import * as deepspeed from "../../schedules/deepspeed/mod.ts";
import { curveView } from "../../views/view.ts";
import { deepspeedView } from "../../views/deepspeed.ts";
import { steppedValues } from "../curves.ts";
import {
  countSetting,
  type Family,
  type Field,
  FieldError,
  numberSetting,
  pageField,
  pythonCall,
  type Runner,
  type ScheduleDef,
  siteCurve,
  viewFieldError,
} from "./family.ts";
import { lrField, MAX_STEPPED } from "./runners.ts";

/**
 * DeepSpeed's protocol: the scheduler is made on an Adam-like optimizer (`betas` in its
 * defaults, so OneCycle cycles them) with the page's lr; row `k` is the rate optimizer step
 * `k + 1` uses (row 0: what the constructor wrote).
 */
const deepspeedRunner: Runner = {
  page: [
    lrField("0.001"),
    pageField("steps", "How many optimizer steps to draw.", "1000"),
  ],
  supplies: { optimizer: "lr" },
  view(make, options, page, schedule) {
    const lr = numberSetting(page, "lr");
    const steps = countSetting(page, "steps", MAX_STEPPED);
    const runs = steppedValues({
      column: "lr",
      rows: steps,
      start: () => {
        const optimizer = {
          paramGroups: [{ lr, betas: [0.9, 0.999] }],
          defaults: { lr, betas: [0.9, 0.999] },
        };
        const s = make({ ...options, optimizer }) as { step(): void };
        return {
          values: (out) => (out[0] = optimizer.paramGroups[0]!.lr),
          step: () => s.step(),
        };
      },
    });
    return curveView(runs, { ...schedule, unit: "step", firstIndex: 1 });
  },
};

const EXAMPLE_CONFIG = `{
  "optimizer": { "type": "AdamW", "params": { "lr": "auto" } },
  "scheduler": {
    "type": "WarmupDecayLR",
    "params": {
      "warmup_min_lr": "auto",
      "warmup_max_lr": "auto",
      "warmup_num_steps": "auto",
      "total_num_steps": "auto"
    }
  }
}`;

const EXAMPLE_ARGS = `{ "learning_rate": 2e-5, "per_device_train_batch_size": 16,
  "num_train_epochs": 3, "warmup_steps": 0.06 }`;

function text(name: string, doc: string, example: string, required: boolean): Field {
  return {
    name,
    doc,
    type: { repr: "string", accepts: ["string"], literals: [] },
    example,
    control: "textarea",
    required,
    page: false,
  };
}

function count(name: string, doc: string, example?: string): Field {
  return {
    name,
    doc,
    type: { repr: "number", accepts: ["number"], literals: [] },
    ...(example ? { example } : {}),
    control: "text",
    required: false,
    page: false,
  };
}

/** The `trainingArgs` field's JSON object; a FieldError beside it when it is not one. */
function argsJson(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new FieldError(`trainingArgs: ${(e as Error).message}`, "trainingArgs");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FieldError("trainingArgs: expected a JSON object", "trainingArgs");
  }
  return value as Record<string, unknown>;
}

/** A `ds_config.json`, alone or under the Hugging Face Trainer. */
function configSource(): ScheduleDef {
  const fields: Field[] = [
    text("config", "The `ds_config.json`.", EXAMPLE_CONFIG, true),
    text(
      "trainingArgs",
      'The Hugging Face Trainer\'s `TrainingArguments` (JSON), when the config runs under the Trainer: its `"auto"` values are filled from them. Empty: DeepSpeed alone.',
      EXAMPLE_ARGS,
      false,
    ),
    count("datasetSize", "`len(train_dataset)`, with the Trainer's arguments.", "50000"),
    count("numProcesses", "Processes (the world size), with the Trainer's arguments."),
    count("steps", "Optimizer steps (default: the Trainer's, or the scheduler's total_num_steps)."),
  ];
  return {
    id: "deepspeed/config",
    family: "deepspeed",
    name: "config",
    summary:
      'What DeepSpeed\'s engine runs for a `ds_config.json`: `_scheduler_from_config` and one `lr_scheduler.step()` per optimizer step; under the Hugging Face Trainer, `"auto"` filled as transformers 5.17 fills it.',
    fields,
    legend: () => "ds_config.json",
    build(input) {
      const v = input.values;
      const num = (s: string | undefined) => (s && s.trim() ? Number(s) : undefined);
      try {
        const argsText = v.trainingArgs?.trim();
        const hf = argsText
          ? {
            path: "trainingArgs",
            trainingArgs: argsJson(argsText),
            datasetSize: num(v.datasetSize) ?? null,
            numProcesses: num(v.numProcesses) ?? 1,
          }
          : undefined;
        const view = deepspeedView(v.config ?? "", {
          path: "config",
          steps: num(v.steps),
          ...(hf ? { hf } : {}),
        });
        return siteCurve(view);
      } catch (e) {
        throw viewFieldError(e, () => "config", "config", { trainingArgs: "trainingArgs" }, {
          datasetSize: "datasetSize",
          numProcesses: "numProcesses",
          steps: "steps",
        });
      }
    },
  };
}

/** The DeepSpeed family. */
export const DEEPSPEED: Family = {
  id: "deepspeed",
  title: "DeepSpeed",
  upstream: "deepspeed.runtime.lr_schedules (DeepSpeed edaa722, 0.19.6 dev)",
  docs: "schedules/deepspeed/mod.ts",
  filter: { is: ["BatchScheduler"], supplied: ["optimizer"] },
  hidden: ["lastBatchIteration"],
  exports: deepspeed,
  runner: deepspeedRunner,
  examples: {
    WarmupLR: { warmupNumSteps: "100" },
    WarmupDecayLR: { totalNumSteps: "1000", warmupNumSteps: "100" },
    WarmupCosineLR: { totalNumSteps: "1000", warmupNumSteps: "100" },
    OneCycle: { cycleMinLr: "0.0001", cycleMaxLr: "0.001", cycleFirstStepSize: "200" },
    LRRangeTest: { lrRangeTestStepSize: "100" },
  },
  python: (name, options) =>
    pythonCall(`deepspeed.runtime.lr_schedules.${name}`, ["optimizer"], options),
  sources: () => [configSource()],
  first: "config",
};
