/**
 * Case handlers of the Hugging Face suite (`fixtures/hf`): transformers' `get_scheduler` (or a
 * `get_*` function called directly) on an optimizer with upstream's param groups and
 * `defaults.lr`, stepped as upstream was (`step()`, or `step(metric)` for
 * `ReduceLROnPlateau` / `GreedyLR`), every group's `lr` compared after construction and after
 * every step.
 *
 * @module
 */

import * as hf from "../schedules/hf/optimization.ts";
import type { SchedulerType } from "../schedules/hf/trainer_utils.ts";
import type { Optimizer } from "../schedules/optimizer.ts";
import { parseNumber, type Table } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
} from "./runner.ts";

/** An optimizer as the hf fixtures describe it: the groups' lrs and torch's `defaults["lr"]`. */
interface HfOptimizerSpec {
  lrs: number[];
  defaultsLr: number;
}

/** What a case's scheduler is stepped like: a metric-driven one takes `step(metric)`. */
interface Steppable {
  step(arg?: number): void;
}

function buildOptimizer(spec: HfOptimizerSpec): Optimizer {
  return { paramGroups: spec.lrs.map((lr) => ({ lr })), defaults: { lr: spec.defaultsLr } };
}

/** Builds the case's scheduler: `getScheduler(...)` or the named `get_*` function. */
function build(c: CaseSpec, optimizer: Optimizer): Steppable {
  if (c.call === "getScheduler") {
    return hf.getScheduler({
      name: c.name as SchedulerType,
      optimizer,
      numWarmupSteps: c.numWarmupSteps as number | null,
      numTrainingSteps: c.numTrainingSteps as number | null,
      schedulerSpecificKwargs: c.schedulerSpecificKwargs as Record<string, unknown>,
    }) as Steppable;
  }
  const fn = (hf as unknown as Record<string, unknown>)[c.call as string];
  if (typeof fn !== "function") throw new Error(`${c.id}: unknown function ${String(c.call)}`);
  const options = { ...(c.options as Record<string, unknown>), optimizer };
  return (fn as (o: unknown) => Steppable)(options);
}

function lrColumns(table: Table): { columns: { index: number; group: number }[]; error: number } {
  if (table.header[0] !== "iter") {
    throw new SyntaxError(`${table.source}:1: the first column must be "iter"`);
  }
  const columns: { index: number; group: number }[] = [];
  table.header.forEach((name, index) => {
    const m = name.match(/^lr(\d+)$/);
    if (m) columns.push({ index, group: Number(m[1]) });
    else if (name !== "iter" && name !== "error") {
      throw new SyntaxError(`${table.source}:1: unknown column "${name}"`);
    }
  });
  return { columns, error: table.header.indexOf("error") };
}

const hfScheduler: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const optimizer = buildOptimizer(c.optimizer as HfOptimizerSpec);
  const rejected = constructionObservation(c, () => build(c, optimizer));
  if (rejected) return rejected;
  const table = ctx.table(c.file!);
  const { columns, error } = lrColumns(table);
  const metrics = c.metrics as number[] | undefined;
  const out: Observation[] = [];
  let scheduler: Steppable | undefined;
  let broken: string | undefined;
  try {
    scheduler = build(c, optimizer);
  } catch (e) {
    broken = errorName(e);
  }
  let iter = 0;
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const target = parseNumber(row.cells[0]!, at);
    while (broken === undefined && iter < target) {
      try {
        scheduler!.step(metrics === undefined ? undefined : metrics[iter]);
      } catch (e) {
        broken = errorName(e);
      }
      iter++;
    }
    const err = error >= 0 ? row.cells[error] : "";
    for (const col of columns) {
      out.push({
        at: `iter ${target}`,
        column: `lr${col.group}`,
        expected: err ? { error: err } : { value: parseNumber(row.cells[col.index]!, at) },
        actual: broken !== undefined
          ? { error: broken }
          : { value: optimizer.paramGroups[col.group]!.lr },
      });
    }
    if (broken !== undefined || err) break;
  }
  return out;
};

/** The handlers of the hf suite, by case kind. */
export const HF_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  hf_scheduler: hfScheduler,
};
