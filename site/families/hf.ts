/**
 * Hugging Face transformers: every `get_*_schedule*` of `optimization.py` on its own form, and
 * a `TrainingArguments` object (JSON, or YAML as `HfArgumentParser` reads it) with a dataset
 * size — the Trainer's step arithmetic, its scheduler and every step's learning rate.
 *
 * @module
 */

import * as hf from "../../schedules/hf/mod.ts";
import { explainTrainerSchedule, trainerLrs, trainerSchedule } from "../../schedules/hf/trainer.ts";
import type { TrainingArguments } from "../../schedules/hf/training_args.ts";
import { parseYaml } from "../../config/yaml.ts";
import { toJs } from "../../config/python.ts";
import { arrayRuns } from "../curves.ts";
import { fieldOfError } from "../fields.ts";
import type { SiteSchema } from "../schema.ts";
import {
  type CurveMark,
  type Family,
  type Field,
  FieldError,
  optionField,
  pythonCall,
  readFields,
  type ScheduleDef,
} from "./family.ts";
import { lrSchedulerRunner } from "./runners.ts";

/** The example run: the README's fine-tuning recipe. */
const EXAMPLE_ARGS = `{
  "learning_rate": 2e-5,
  "per_device_train_batch_size": 16,
  "num_train_epochs": 3,
  "warmup_steps": 0.03,
  "lr_scheduler_type": "cosine"
}
`;

/**
 * A `TrainingArguments` text: JSON, else YAML as PyYAML reads it (`HfArgumentParser.
 * parse_yaml_file` uses `yaml.safe_load`: YAML 1.1, where `1e-5` is a string).
 */
export function readTrainingArguments(text: string): TrainingArguments {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = toJs(parseYaml(text, { fileName: "training_args" }));
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError("TrainingArguments: expected an object of fields (JSON or YAML)");
  }
  return value as TrainingArguments;
}

/** The Trainer: `TrainingArguments` and a dataset size. */
function trainerSource(schema: SiteSchema): ScheduleDef {
  const docs = schema.families.hf?.interfaces ?? {};
  const argsField: Field = {
    name: "args",
    doc:
      "The `TrainingArguments` (snake_case keys, as in `training_args.json` or a YAML file); missing fields take transformers' defaults.",
    type: { repr: "string", accepts: ["string"], literals: [] },
    example: EXAMPLE_ARGS,
    control: "textarea",
    required: true,
    page: false,
  };
  const examples: Record<string, string> = { datasetSize: "5691" };
  const fields: Field[] = [
    argsField,
    ...[...(docs.TrainingSetup ?? []), ...(docs.TrainingArgumentsOptions ?? [])].map((f) =>
      optionField(f, examples[f.name])
    ),
  ];
  const names = fields.map((f) => f.name);
  return {
    id: "hf/Trainer",
    family: "hf",
    name: "Trainer",
    legend: (values) => {
      let type = "linear";
      try {
        type = String(readTrainingArguments(values.args ?? "").lr_scheduler_type ?? "linear");
      } catch {
        // The form says what is wrong; the legend keeps the default's name.
      }
      const n = (values.datasetSize ?? "").trim();
      return `Trainer ${type}${n ? `, ${n} examples` : ""}`;
    },
    summary:
      "The Trainer's step arithmetic (`set_initial_training_values`, `get_warmup_steps`), the scheduler it builds (`create_scheduler`) and the learning rate of every optimizer step.",
    fields,
    build(input) {
      const { options } = readFields(fields.slice(1), input.values);
      let args: TrainingArguments;
      try {
        args = readTrainingArguments(input.values.args ?? "");
      } catch (e) {
        throw new FieldError((e as Error).message, "args");
      }
      try {
        const { datasetSize, numProcesses, ...rest } = options;
        const plan = trainerSchedule(
          args,
          {
            datasetSize: datasetSize as number,
            ...(numProcesses !== undefined ? { numProcesses: numProcesses as number } : {}),
          },
          rest,
        );
        const runs = arrayRuns(trainerLrs(plan));
        const marks: CurveMark[] = [];
        if (plan.numWarmupSteps > 0) marks.push({ iteration: plan.numWarmupSteps, what: "warmup" });
        const epochs = Math.ceil(plan.maxSteps / plan.numUpdateStepsPerEpoch);
        if (epochs > 1 && epochs <= 12) {
          for (let e = 1; e < epochs; e++) {
            marks.push({ iteration: e * plan.numUpdateStepsPerEpoch, what: `epoch ${e + 1}` });
          }
        }
        return {
          runs,
          xLabel: "optimizer step",
          marks,
          explain: explainTrainerSchedule(plan),
          notes: plan.notes,
        };
      } catch (e) {
        if (e instanceof FieldError) throw e;
        const message = (e as Error).message;
        throw new FieldError(message, fieldOfError(message, names) ?? "args");
      }
    },
  };
}

/** The Hugging Face family. */
export const HF: Family = {
  id: "hf",
  title: "Hugging Face",
  upstream: "transformers.optimization and the Trainer (transformers 5.17.0)",
  docs: "schedules/hf/mod.ts",
  filter: {
    is: ["LambdaLR"],
    supplied: ["optimizer"],
    exclude: {
      getScheduler: "it dispatches on `name` to the functions listed here, each with its own form",
    },
  },
  hidden: ["lastEpoch"],
  interfaces: ["TrainingSetup", "TrainingArgumentsOptions"],
  exports: hf,
  runner: lrSchedulerRunner({ lr: "5e-5", steps: "1000" }),
  examples: {
    getConstantScheduleWithWarmup: { numWarmupSteps: "100" },
    getLinearScheduleWithWarmup: { numWarmupSteps: "100", numTrainingSteps: "1000" },
    getCosineScheduleWithWarmup: { numWarmupSteps: "100", numTrainingSteps: "1000" },
    getCosineWithHardRestartsScheduleWithWarmup: {
      numWarmupSteps: "100",
      numTrainingSteps: "1000",
      numCycles: "3",
    },
    getCosineWithMinLrScheduleWithWarmup: {
      numWarmupSteps: "100",
      numTrainingSteps: "1000",
      minLrRate: "0.1",
    },
    getCosineWithMinLrScheduleWithWarmupLrRate: {
      numWarmupSteps: "100",
      numTrainingSteps: "1000",
      minLrRate: "0.1",
    },
    getPolynomialDecayScheduleWithWarmup: { numWarmupSteps: "100", numTrainingSteps: "1000" },
    getInverseSqrtSchedule: { numWarmupSteps: "100" },
    getWsdSchedule: { numWarmupSteps: "100", numDecaySteps: "200", numTrainingSteps: "1000" },
  },
  python: (name, options) => {
    const snake = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
    return pythonCall(`transformers.${snake}`, ["optimizer"], options);
  },
  sources: (schema) => [trainerSource(schema)],
  first: "Trainer",
};
