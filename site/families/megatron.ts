/**
 * Megatron-LM: a training script's arguments (the `train` form: paste the argument line of a
 * launch script) — the learning rate of every iteration as Megatron's loop steps it — and
 * Megatron-core's `OptimizerParamScheduler` on its own form, stepped by a number of samples.
 *
 * @module
 */

import * as megatron from "../../schedules/megatron/mod.ts";
import { curveView } from "../../views/view.ts";
import { megatronView } from "../../views/megatron.ts";
import { steppedValues } from "../curves.ts";
import {
  countSetting,
  type Family,
  type Field,
  numberSetting,
  pageField,
  pythonCall,
  type Runner,
  type ScheduleDef,
  siteCurve,
  viewFieldError,
} from "./family.ts";
import { MAX_STEPPED } from "./runners.ts";

/**
 * `OptimizerParamScheduler` as Megatron's loop drives it: one group (the scheduler's own
 * `maxLr`/`minLr`); row `i` is the rate after `i` calls of `step(increment)`.
 */
const megatronRunner: Runner = {
  page: [
    pageField("increment", "Samples per `step(increment)`: Megatron's global batch size.", "1"),
    pageField("steps", "How many `step(increment)` calls to draw.", "1000"),
  ],
  view(make, options, page, schedule) {
    const increment = numberSetting(page, "increment");
    const steps = countSetting(page, "steps", MAX_STEPPED);
    const runs = steppedValues({
      column: "lr",
      rows: steps + 1,
      start: () => {
        const optimizer = { paramGroups: [{ lr: 0 }] };
        const s = make({ ...options, optimizer }) as { step(n: number): void };
        return {
          values: (out) => (out[0] = optimizer.paramGroups[0]!.lr),
          step: () => s.step(increment),
        };
      },
    });
    return curveView(runs, { ...schedule, unit: "step" });
  },
};

const EXAMPLE_LINE = `--micro-batch-size 4 --global-batch-size 512 --train-iters 20000 \\
--lr 3e-4 --min-lr 3e-5 --lr-warmup-iters 500 \\
--lr-decay-style WSD --lr-wsd-decay-style linear --lr-wsd-decay-iters 4000 \\
--weight-decay 0.1`;

/** A launch script's arguments. */
function trainSource(): ScheduleDef {
  const fields: Field[] = [
    {
      name: "args",
      doc:
        "The training script's arguments as a launch script writes them (`--lr 3e-4 --min-lr 3e-5 --lr-decay-style WSD …`); options that do not touch the schedule are skipped.",
      type: { repr: "string", accepts: ["string"], literals: [] },
      example: EXAMPLE_LINE,
      control: "textarea",
      required: true,
      page: false,
    },
    {
      name: "worldSize",
      doc:
        "The number of processes (torchrun's world size): with the parallel sizes, the data-parallel size.",
      default: "1",
      type: { repr: "number", accepts: ["number"], literals: [] },
      control: "text",
      required: false,
      page: false,
    },
  ];
  return {
    id: "megatron/train",
    family: "megatron",
    name: "train",
    summary:
      "What Megatron-LM's training loop runs for these arguments: `get_optimizer_param_scheduler` and one `step(global_batch_size)` per update; row i is the rate iteration i's update uses.",
    fields,
    legend: () => "Megatron-LM",
    build(input) {
      const ws = input.values.worldSize?.trim();
      try {
        const view = megatronView(input.values.args ?? "", {
          path: "args",
          ...(ws ? { worldSize: Number(ws) } : {}),
        });
        return siteCurve(view);
      } catch (e) {
        throw viewFieldError(e, () => "args", "args", {}, { worldSize: "worldSize" });
      }
    },
  };
}

/** The Megatron family. */
export const MEGATRON: Family = {
  id: "megatron",
  title: "Megatron-LM",
  upstream: "megatron.core.optimizer_param_scheduler (Megatron-LM d98e8a6)",
  docs: "schedules/megatron/mod.ts",
  filter: { is: ["OptimizerParamScheduler"], supplied: ["optimizer"] },
  exports: megatron,
  runner: megatronRunner,
  examples: {
    OptimizerParamScheduler: {
      initLr: "0",
      maxLr: "0.0003",
      minLr: "0.00003",
      lrWarmupSteps: "100",
      lrDecaySteps: "1000",
      lrDecayStyle: "cosine",
      startWd: "0.1",
      endWd: "0.1",
      wdIncrSteps: "1000",
      wdIncrStyle: "constant",
    },
  },
  python: (name, options) =>
    pythonCall(`megatron.core.optimizer_param_scheduler.${name}`, ["optimizer"], options),
  sources: () => [trainSource()],
  first: "train",
};
