/**
 * Hugging Face transformers: every `get_*_schedule*` of `optimization.py` on its own form, and
 * a `TrainingArguments` object (JSON, or YAML as `HfArgumentParser` reads it) with a dataset
 * size — the Trainer's step arithmetic, its scheduler and every step's learning rate.
 *
 * @module
 */

import * as hf from "../../schedules/hf/mod.ts";
import { hfView, readTrainingArguments as readTrainingArgumentsFile } from "../../views/hf.ts";
import type { SiteSchema } from "../schema.ts";
import {
  type Family,
  type Field,
  optionField,
  pythonCall,
  readFields,
  type ScheduleDef,
  siteCurve,
  viewFieldError,
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
 * A `TrainingArguments` text (JSON, else YAML as PyYAML reads it), as the CLI reads a file.
 *
 * @param text The text.
 * @returns The mapping.
 * @throws {SyntaxError | TypeError} As `lrspec --hf`.
 */
export function readTrainingArguments(text: string): Record<string, unknown> {
  return readTrainingArgumentsFile("TrainingArguments", text).value;
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
      const FIELDS: Record<string, string> = {
        "--dataset-size": "datasetSize",
        "--num-processes": "numProcesses",
        "--allow-new-keys": "allowExtraKeys",
      };
      try {
        const view = hfView(input.values.args ?? "", {
          path: "TrainingArguments",
          datasetSize: options.datasetSize as number | undefined,
          ...(options.numProcesses !== undefined
            ? { numProcesses: options.numProcesses as number }
            : {}),
          allowExtraKeys: options.allowExtraKeys === true,
        });
        return siteCurve(view);
      } catch (e) {
        throw viewFieldError(e, (key) => FIELDS[key], "args");
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
