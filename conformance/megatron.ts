/**
 * Case handlers of the Megatron suite (`fixtures/megatron`, written by
 * `fixtures/generate_megatron.py` from Megatron-LM's own `optimizer_param_scheduler.py`):
 * `OptimizerParamScheduler` built from upstream's keyword arguments and stepped by the recorded
 * increments (resumes through `loadStateDict`, errors at the step upstream raised), and
 * training.py's mapping and stepping from an argument line (the parsed arguments, then every
 * iteration's rates per group).
 *
 * @module
 */

import {
  type MegatronParamGroup,
  OptimizerParamScheduler,
  type OptimizerParamSchedulerOptions,
} from "../schedules/megatron/core/optimizer_param_scheduler.ts";
import { type MegatronArgs, parseMegatronArgs } from "../schedules/megatron/training/arguments.ts";
import { megatronTrainSchedule } from "../schedules/megatron/training/training.ts";
import type { StateDict } from "../schedules/optimizer.ts";
import { parseNumber } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
} from "./runner.ts";

function columns(header: string[], prefix: string): number[] {
  return header.flatMap((name, i) => (new RegExp(`^${prefix}\\d+$`).test(name) ? [i] : []));
}

const scheduler: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const groupsSpec = c.groups as MegatronParamGroup[];
  const build = (options: Record<string, unknown>) => {
    const optimizer = { paramGroups: groupsSpec.map((g) => ({ ...g, lr: 0 })) };
    const s = new OptimizerParamScheduler({
      ...(options as unknown as OptimizerParamSchedulerOptions),
      optimizer,
    });
    return { s, groups: optimizer.paramGroups as MegatronParamGroup[] };
  };
  const rejected = constructionObservation(c, () => build(c.options as Record<string, unknown>));
  if (rejected) return rejected;
  const table = ctx.table(c.file!);
  const lrCols = columns(table.header, "lr");
  const wdCols = columns(table.header, "wd");
  const errorCol = table.header.indexOf("error");
  const increments = c.increments as number[];
  const resume = c.resume as
    | { at: number; options: Record<string, unknown>; state: StateDict }
    | undefined;
  let { s, groups } = build(c.options as Record<string, unknown>);
  const out: Observation[] = [];
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const label = row.cells[0]!;
    let thrown: string | undefined;
    try {
      if (label === "load") {
        ({ s, groups } = build(resume!.options));
        s.loadStateDict(resume!.state);
      } else if (label !== "0") s.step(increments[Number(label) - 1]!);
    } catch (e) {
      thrown = errorName(e);
    }
    const where = label === "load" ? "load" : `step ${label}`;
    const err = row.cells[errorCol];
    if (err) {
      out.push({
        at: where,
        column: err,
        expected: { error: err.split(":")[0]! },
        actual: thrown ? { error: thrown } : { text: "no error" },
      });
      break;
    }
    if (thrown) {
      out.push({ at: where, column: "", expected: { text: "a value" }, actual: { error: thrown } });
      break;
    }
    out.push({
      at: where,
      column: "numSteps",
      expected: { value: parseNumber(row.cells[1]!, at) },
      actual: { value: s.numSteps },
    });
    lrCols.forEach((col, j) =>
      out.push({
        at: where,
        column: `lr${j}`,
        expected: { value: parseNumber(row.cells[col]!, at) },
        actual: { value: groups[j]!.lr },
      })
    );
    wdCols.forEach((col, j) =>
      out.push({
        at: where,
        column: `wd${j}`,
        expected: { value: parseNumber(row.cells[col]!, at) },
        actual: { value: groups[j]!.weightDecay ?? NaN },
      })
    );
  }
  return out;
};

const ARG_NAMES: Record<string, keyof MegatronArgs> = {};
for (
  const key of [
    "lr",
    "min_lr",
    "decoupled_lr",
    "decoupled_min_lr",
    "lr_decay_style",
    "lr_wsd_decay_style",
    "lr_decay_iters",
    "lr_decay_samples",
    "lr_wsd_decay_iters",
    "lr_wsd_decay_samples",
    "lr_warmup_fraction",
    "lr_warmup_iters",
    "lr_warmup_samples",
    "lr_warmup_init",
    "override_opt_param_scheduler",
    "use_checkpoint_opt_param_scheduler",
    "weight_decay",
    "start_weight_decay",
    "end_weight_decay",
    "weight_decay_incr_style",
    "micro_batch_size",
    "global_batch_size",
    "train_iters",
    "train_samples",
    "iterations_to_skip",
    "data_parallel_size",
  ]
) {
  ARG_NAMES[key] = key.replace(
    /_([a-z])/g,
    (_, x: string) => x.toUpperCase(),
  ) as keyof MegatronArgs;
}

const train: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const parse = () => parseMegatronArgs(c.line as string, { worldSize: c.worldSize as number });
  const rejected = constructionObservation(c, () => megatronTrainSchedule(parse().args));
  if (rejected) return rejected;
  const { args } = parse();
  const out: Observation[] = [];
  // The arguments as Megatron's parser and validate_args left them (lr_decay_iters is filled in
  // by get_optimizer_param_scheduler itself, which lrspec does without writing it back).
  for (const [py, value] of Object.entries(c.args as Record<string, unknown>)) {
    const mine = args[ARG_NAMES[py]!];
    const expected = py === "lr_decay_iters" && value === args.trainIters && mine === null
      ? null
      : py === "lr_decay_samples" && value === args.trainSamples && mine === null
      ? null
      : value;
    out.push({
      at: "args",
      column: py,
      expected: typeof expected === "number"
        ? { value: expected }
        : { text: JSON.stringify(expected) },
      actual: typeof mine === "number" ? { value: mine } : { text: JSON.stringify(mine) },
    });
  }
  const resume = c.resume as { iteration: number; state: StateDict } | undefined;
  const skippedIterations = c.skippedIterations as number[];
  const first = megatronTrainSchedule(args, { skippedIterations });
  // A resumed job: a new scheduler from the same arguments, then the checkpoint's state.
  const resumed = resume && megatronTrainSchedule(args, { skippedIterations, resume });
  const table = ctx.table(c.file!);
  const lrCols = columns(table.header, "lr");
  const wdCols = columns(table.header, "wd");
  const skippedCol = table.header.indexOf("skipped");
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const iteration = parseNumber(row.cells[0]!, at);
    const later = resumed !== undefined && iteration > resume!.iteration;
    const run = later ? resumed : first;
    const k = later ? iteration - resume!.iteration - 1 : iteration - 1;
    const where = `iteration ${iteration}${later ? " (resumed)" : ""}`;
    lrCols.forEach((col, j) =>
      out.push({
        at: where,
        column: `lr${j}`,
        expected: { value: parseNumber(row.cells[col]!, at) },
        actual: { value: run.lr[j]![k] ?? NaN },
      })
    );
    wdCols.forEach((col, j) =>
      out.push({
        at: where,
        column: `wd${j}`,
        expected: { value: parseNumber(row.cells[col]!, at) },
        actual: { value: run.weightDecay[j]![k] ?? NaN },
      })
    );
    out.push({
      at: where,
      column: "skipped",
      expected: { text: row.cells[skippedCol]! },
      actual: { text: String(run.skipped[k]) },
    });
  }
  return out;
};

/** The handlers of the megatron suite, by case kind. */
export const MEGATRON_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  megatron_scheduler: scheduler,
  megatron_train: train,
};
