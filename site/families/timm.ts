/**
 * timm: every scheduler of `timm/scheduler/` on its own form (stepped by epoch, or by update with
 * `tInEpochs: false`), and an `args.yaml` of timm's `train.py` — the learning rate it computes,
 * the scheduler `create_scheduler_v2` builds and the rate of every epoch (or update).
 *
 * @module
 */

import * as timm from "../../schedules/timm/mod.ts";
import type { TimmArgs } from "../../schedules/timm/scheduler_factory.ts";
import { parseYaml } from "../../config/yaml.ts";
import { toJs } from "../../config/python.ts";
import { curveView } from "../../views/view.ts";
import { timmView } from "../../views/timm.ts";
import { steppedValues } from "../curves.ts";
import type { SiteSchema } from "../schema.ts";
import {
  countSetting,
  type Family,
  type Field,
  numberSetting,
  optionField,
  pageField,
  pythonCall,
  readFields,
  type Runner,
  type ScheduleDef,
  siteCurve,
  viewFieldError,
} from "./family.ts";
import { lrField, MAX_STEPPED, sgd } from "./runners.ts";

/** A timm scheduler as the page drives it. */
interface TimmLike {
  step(epoch: number): void;
  stepUpdate(numUpdates: number): void;
}

/**
 * timm's protocol: the scheduler is made on `sgd(lr)`; row `t` is the learning rate after
 * `step(t)` (or `stepUpdate(t)` when `tInEpochs` is false) — what epoch (update) `t` trains with.
 */
const timmRunner: Runner = {
  page: [
    lrField("0.1"),
    pageField("steps", "The last `t` drawn: rows `t = 0 … steps`.", "100"),
  ],
  supplies: { optimizer: "lr" },
  view(make, options, page, schedule) {
    const lr = numberSetting(page, "lr");
    const steps = countSetting(page, "steps", MAX_STEPPED);
    const byUpdate = options.tInEpochs === false;
    const fresh = () => {
      const optimizer = sgd(lr);
      return { optimizer, scheduler: make({ ...options, optimizer }) as TimmLike };
    };
    const runs = steppedValues({
      column: "lr",
      rows: steps + 1,
      start: () => {
        const { optimizer, scheduler } = fresh();
        let t = 0;
        const advance = () => (byUpdate ? scheduler.stepUpdate(t) : scheduler.step(t));
        advance();
        return {
          values: (out) => (out[0] = optimizer.paramGroups[0]!.lr),
          step: () => {
            t++;
            advance();
          },
        };
      },
    });
    return curveView(runs, { ...schedule, unit: byUpdate ? "update" : "epoch" });
  },
};

const EXAMPLE_ARGS = `sched: cosine
epochs: 100
warmup_epochs: 5
warmup_lr: 1.0e-05
min_lr: 1.0e-06
lr: null
lr_base: 0.1
lr_base_size: 256
batch_size: 128
cooldown_epochs: 0
`;

/** An `args.yaml`, read as PyYAML reads it (`train.py` writes it with `yaml.safe_dump`). */
export function readTimmArgs(text: string): TimmArgs {
  const value = toJs(parseYaml(text, { fileName: "args.yaml" }));
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError("args.yaml: expected a mapping of train.py's arguments");
  }
  return value as TimmArgs;
}

/** timm's `train.py`: an `args.yaml` and what it does not record. */
function trainSource(schema: SiteSchema): ScheduleDef {
  const docs = schema.families.timm?.interfaces.TimmTrainOptions ?? [];
  const argsField: Field = {
    name: "args",
    doc:
      "timm's `args.yaml` (written by `train.py` next to its checkpoints); missing keys take `train.py`'s defaults.",
    type: { repr: "string", accepts: ["string"], literals: [] },
    example: EXAMPLE_ARGS,
    control: "textarea",
    required: true,
    page: false,
  };
  // The CLI's --num-processes is the library's worldSize: the form names both.
  const fields: Field[] = [
    argsField,
    ...docs.map((f) => {
      const field = optionField(f);
      return f.name === "worldSize" ? { ...field, label: "worldSize (--num-processes)" } : field;
    }),
  ];
  return {
    id: "timm/train",
    family: "timm",
    name: "train",
    summary:
      "What timm's `train.py` runs for an `args.yaml`: the learning rate (`args.lr` or the `lr_base` rule), `create_scheduler_v2` and the rate of every epoch (or update, with `sched_on_updates`).",
    fields,
    legend: (values) => {
      try {
        const a = readTimmArgs(values.args ?? "");
        return `train.py --sched ${String(a.sched ?? "cosine")} --epochs ${
          String(a.epochs ?? 300)
        }`;
      } catch {
        return "train.py";
      }
    },
    build(input) {
      const { options } = readFields(fields.slice(1), input.values);
      const { updatesPerEpoch, worldSize, ...train } = options;
      try {
        const view = timmView(input.values.args ?? "", {
          path: "args.yaml",
          ...(updatesPerEpoch !== undefined ? { updatesPerEpoch: updatesPerEpoch as number } : {}),
          ...(worldSize !== undefined ? { numProcesses: worldSize as number } : {}),
          train,
        });
        return siteCurve(view);
      } catch (e) {
        const FIELDS: Record<string, string> = {
          "--updates-per-epoch": "updatesPerEpoch",
          "--num-processes": "worldSize",
        };
        // The page's own fields (updatesPerEpoch, worldSize, lrScales, metrics, …) by option.
        const own = Object.fromEntries(fields.slice(1).map((f) => [f.name, f.name]));
        throw viewFieldError(e, (key) => FIELDS[key], "args", {}, own);
      }
    },
  };
}

/** The timm family. */
export const TIMM: Family = {
  id: "timm",
  title: "timm",
  upstream: "timm.scheduler (timm 1.0.29)",
  docs: "schedules/timm/mod.ts",
  filter: {
    is: ["Scheduler"],
    supplied: ["optimizer"],
    exclude: {
      PlateauLRScheduler:
        "it steps on an evaluation metric (`step(epoch, metric)`); `train` with `metrics` runs it",
    },
  },
  hidden: ["initialize"],
  interfaces: ["TimmTrainOptions"],
  exports: timm,
  runner: timmRunner,
  examples: {
    CosineLRScheduler: { tInitial: "100", warmupT: "5", warmupLrInit: "0.00001" },
    TanhLRScheduler: { tInitial: "100", warmupT: "5" },
    StepLRScheduler: { decayT: "30", decayRate: "0.1" },
    MultiStepLRScheduler: { decayT: "30, 60, 80", decayRate: "0.1" },
    PolyLRScheduler: { tInitial: "100", power: "2" },
  },
  python: (name, options) => {
    const module = name.replace(/LRScheduler$/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase();
    return pythonCall(`timm.scheduler.${module}_lr.${name}`, ["optimizer"], options);
  },
  sources: (schema) => [trainSource(schema)],
  first: "train",
  lastFields: ["tInEpochs", "noiseRangeT", "noisePct", "noiseStd", "noiseSeed"],
};
