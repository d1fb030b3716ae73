/**
 * Case handlers of the DeepSpeed suite (`fixtures/deepspeed`, written by
 * `fixtures/generate_deepspeed.py` from DeepSpeed's own `lr_schedules.py`): each class built
 * with upstream's keyword arguments on an optimizer like the real one (AdamW's `betas` in its
 * defaults, or SGD's `momentum`), stepped by the recorded calls (`step()`, `step(i)`,
 * `get_last_lr()`, a state-dict resume), every group's lr and `betas` compared, and DeepSpeed's
 * logged warnings; and the engine's `_scheduler_from_config` and stepping from a `ds_config`.
 *
 * @module
 */

import * as ds from "../schedules/deepspeed/runtime/lr_schedules.ts";
import { type DeepSpeedConfig, deepspeedSchedule } from "../schedules/deepspeed/runtime/engine.ts";
import type { Optimizer, StateDict } from "../schedules/optimizer.ts";
import { hfTrainerDeepSpeedConfig } from "../schedules/hf/integrations/deepspeed.ts";
import { getWarmupSteps, trainingArguments } from "../schedules/hf/training_args.ts";
import { parseNumber } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
} from "./runner.ts";

interface Scheduler {
  step(i?: number): void;
  getLastLr(): number[];
  loadStateDict(s: StateDict): void;
  readonly warnings: string[];
}

function optimizer(spec: { type: string; lrs: number[] }): Optimizer {
  const lrs = spec.lrs;
  if (spec.type === "adamw") {
    return {
      paramGroups: lrs.map((lr) => ({ lr, betas: [0.9, 0.999] })),
      defaults: { lr: lrs[0]!, betas: [0.9, 0.999] },
    };
  }
  return {
    paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })),
    defaults: { lr: lrs[0]!, momentum: 0.9 },
  };
}

/** DeepSpeed names the optimizer class in one warning; lrspec's optimizers have no class name. */
function normalize(message: string): string {
  return message.replace(/because optimizer \S+ does not/, "because optimizer does not");
}

const scheduler: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const Class = (ds as unknown as Record<string, new (o: unknown) => Scheduler>)[c.cls as string]!;
  const build = (options: unknown) => {
    const opt = optimizer(c.optimizer as { type: string; lrs: number[] });
    return { s: new Class({ ...(options as object), optimizer: opt }), opt };
  };
  const rejected = constructionObservation(c, () => build(c.options));
  if (rejected) return rejected;
  let { s, opt } = build(c.options);
  const table = ctx.table(c.file!);
  const errorCol = table.header.indexOf("error");
  const calls = c.calls as (number | string | null)[];
  const resume = c.resume as { options: unknown; state: StateDict } | undefined;
  const warnings: string[] = [];
  const out: Observation[] = [];
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const label = row.cells[0]!;
    let thrown: string | undefined;
    try {
      if (label === "load") {
        warnings.push(...s.warnings);
        ({ s, opt } = build(resume!.options));
        s.loadStateDict(resume!.state);
      } else if (label !== "0") {
        const call = calls[Number(label) - 1];
        if (call === "get_last_lr") s.getLastLr();
        else s.step(call === null ? undefined : call as number);
      }
    } catch (e) {
      thrown = errorName(e);
    }
    const where = label === "load" ? "load" : `call ${label}`;
    const err = errorCol >= 0 ? row.cells[errorCol] : "";
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
    table.header.forEach((name, col) => {
      const m = /^(lr|beta0_|beta1_)(\d+)$/.exec(name);
      if (!m) return;
      const g = opt.paramGroups[Number(m[2])]!;
      const actual = m[1] === "lr"
        ? g.lr
        : (g.betas as number[] | undefined)?.[m[1] === "beta0_" ? 0 : 1];
      out.push({
        at: where,
        column: name,
        expected: { value: parseNumber(row.cells[col]!, at) },
        actual: actual === undefined ? { text: "no betas" } : { value: actual },
      });
    });
  }
  warnings.push(...s.warnings);
  out.push({
    at: "warnings",
    column: "DeepSpeed's logger",
    expected: { text: JSON.stringify((c.warnings as string[]).map(normalize)) },
    actual: { text: JSON.stringify(warnings.map(normalize)) },
  });
  return out;
};

const engine: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const config = c.config as DeepSpeedConfig;
  const run = () =>
    deepspeedSchedule(config, {
      steps: c.steps as number,
      overflowSteps: c.overflowSteps as number[],
    });
  const rejected = constructionObservation(c, run);
  if (rejected) return rejected;
  const result = run();
  const table = ctx.table(c.file!);
  const out: Observation[] = [];
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const step = parseNumber(row.cells[0]!, at);
    out.push({
      at: `step ${step}`,
      column: "lr0",
      expected: { value: parseNumber(row.cells[1]!, at) },
      actual: { value: result.lr[0]![step - 1] ?? NaN },
    });
    out.push({
      at: `step ${step}`,
      column: "overflow",
      expected: { text: row.cells[2]! },
      actual: { text: String(result.overflow[step - 1]) },
    });
  }
  return out;
};

/** Canonical JSON of a parsed value (Python's and lrspec's configs compare equal as values). */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_, v) =>
      typeof v === "object" && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}

const hf: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const args = c.trainingArgs as Record<string, unknown>;
  const numTrainingSteps = c.numTrainingSteps as number;
  const out: Observation[] = [{
    at: "get_warmup_steps",
    column: "",
    expected: { value: c.numWarmupSteps as number },
    actual: { value: getWarmupSteps(trainingArguments(args), numTrainingSteps) },
  }];
  const fill = () =>
    hfTrainerDeepSpeedConfig(c.dsConfig as Record<string, unknown>, args, {
      numTrainingSteps,
      numWarmupSteps: c.numWarmupSteps as number,
      worldSize: c.worldSize as number,
    });
  if (c.error !== undefined) {
    let thrown: unknown;
    try {
      fill();
    } catch (e) {
      thrown = e;
    }
    out.push({
      at: "fill",
      column: "",
      expected: { error: c.error.type },
      actual: thrown === undefined ? { text: "filled" } : { error: errorName(thrown) },
    });
    if (/mismatch TrainingArguments/.test(c.error.message)) {
      out.push({
        at: "fill",
        column: "message",
        expected: { text: c.error.message.replace(/^ValueError: /, "") },
        actual: { text: thrown instanceof Error ? thrown.message : String(thrown) },
      });
    }
    return out;
  }
  const { config } = fill();
  out.push({
    at: "fill",
    column: "config",
    expected: { text: canonical(JSON.parse(c.filled as string)) },
    actual: { text: canonical(config) },
  });
  const optimizer: Optimizer | undefined = "optimizer" in config ? undefined : {
    paramGroups: [{
      lr: (args.learning_rate ?? 5e-5) as number,
      betas: [(args.adam_beta1 ?? 0.9) as number, (args.adam_beta2 ?? 0.999) as number],
    }],
    defaults: {
      lr: (args.learning_rate ?? 5e-5) as number,
      betas: [(args.adam_beta1 ?? 0.9) as number, (args.adam_beta2 ?? 0.999) as number],
    },
  };
  const run = deepspeedSchedule(config as DeepSpeedConfig, {
    steps: numTrainingSteps,
    ...(optimizer ? { optimizer } : {}),
  });
  const table = ctx.table(c.file!);
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const step = parseNumber(row.cells[0]!, at);
    out.push({
      at: `step ${step}`,
      column: "lr0",
      expected: { value: parseNumber(row.cells[1]!, at) },
      actual: { value: run.lr[0]![step - 1] ?? NaN },
    });
  }
  return out;
};

/** The handlers of the deepspeed suite, by case kind. */
export const DEEPSPEED_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  deepspeed_scheduler: scheduler,
  deepspeed_engine: engine,
  deepspeed_hf: hf,
};
