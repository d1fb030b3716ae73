/**
 * Case handlers of the PyTorch suite (`fixtures/torch`): every `torch.optim.lr_scheduler` class,
 * built from the same JSON spec torch's was built from, stepped through the same calls, with
 * every group's `lr` (and cycled momentum / `beta1`) compared after every call.
 *
 * @module
 */

import * as lrspec from "../mod.ts";
import type { LRScheduler, Optimizer, ReduceLROnPlateau } from "../mod.ts";
import { libm } from "../schedules/math.ts";
import { parseNumber, type Table } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
  type SuiteVersions,
} from "./runner.ts";
import type { SchedulerSpec } from "./specs.ts";

/** An optimizer as the fixtures describe it (`fixtures/README.md`). */
interface OptimizerSpec {
  type: "SGD" | "Adam" | "Adagrad";
  lrs: number[];
  momentum?: number;
  betas?: [number, number];
  initialLrs?: number[];
}

/** A named function of the fixtures: `{ fn, args }`. */
interface FunctionSpec {
  fn: string;
  args?: Record<string, number>;
}

/**
 * The named functions the fixtures use as `lrLambda` / `scaleFn`, with the very same arithmetic
 * as their Python twins in `fixtures/generate_torch.py` (`**` goes through libm).
 */
const NAMED_FUNCTIONS: Readonly<
  Record<string, (args: Record<string, number>) => (x: number) => number>
> = {
  constant: ({ value }) => () => value!,
  linear_warmup: ({ warmup }) => (e) => {
    const x = (e + 1) / warmup!;
    return x < 1.0 ? x : 1.0; // Python's min(1.0, x)
  },
  exp_decay: ({ base }) => (e) => libm.pow(base!, e),
  floor_div: ({ period }) => (e) => Math.floor(e / period!),
  step_gamma: ({ period, gamma }) => (e) => e % period! === 0 ? gamma! : 1.0,
  inverse: ({ k }) => (x) => 1.0 / (1.0 + k! * x),
};

function namedFunction(spec: FunctionSpec): (x: number) => number {
  const make = NAMED_FUNCTIONS[spec.fn];
  if (make === undefined) throw new Error(`fixture names an unknown function: ${spec.fn}`);
  return make(spec.args ?? {});
}

/** Builds the optimizer a case describes: torch's `param_groups` as lrspec's `paramGroups`. */
function buildOptimizer(spec: OptimizerSpec): Optimizer {
  return {
    paramGroups: spec.lrs.map((lr, i) => {
      const group: Optimizer["paramGroups"][number] = { lr };
      if (spec.type === "SGD") group.momentum = spec.momentum ?? 0.9;
      if (spec.type === "Adam") group.betas = (spec.betas ?? [0.9, 0.999]).slice();
      if (spec.initialLrs !== undefined) group.initialLr = spec.initialLrs[i]!;
      return group;
    }),
  };
}

type AnyScheduler = LRScheduler | ReduceLROnPlateau;
type Ctor = new (options: never) => AnyScheduler;

function ctor(name: string): Ctor {
  const c = (lrspec as unknown as Record<string, unknown>)[name];
  if (typeof c !== "function") throw new Error(`fixture names an unknown class: ${name}`);
  return c as Ctor;
}

/**
 * Builds an lrspec scheduler from a torch spec, for the suite's torch release; children go on the
 * same optimizer.
 */
function buildTorchScheduler(
  spec: SchedulerSpec,
  optimizer: Optimizer,
  other: Optimizer,
  torch: SuiteVersions["torch"],
): AnyScheduler {
  const options: Record<string, unknown> = { torch };
  let target = optimizer;
  for (const [key, value] of Object.entries(spec.options)) {
    if (key === "_optimizer") {
      target = other;
      continue;
    }
    if (key === "schedulers") {
      options[key] = (value as SchedulerSpec[]).map((c) =>
        buildTorchScheduler(c, optimizer, other, torch)
      );
    } else if (key === "lrLambda" || key === "scaleFn") {
      options[key] = Array.isArray(value)
        ? (value as FunctionSpec[]).map(namedFunction)
        : namedFunction(value as FunctionSpec);
    } else if (Array.isArray(value)) {
      options[key] = value.slice();
    } else {
      options[key] = value;
    }
  }
  if (spec.class !== "ChainedScheduler") options.optimizer = target;
  return new (ctor(spec.class))(options as never);
}

/** The i-th call of a case: `undefined` for `step()`, else the epoch (or the metric). */
function callsOf(c: CaseSpec): (number | undefined)[] {
  if (Array.isArray(c.calls)) {
    return (c.calls as (number | string | null)[]).map((x) =>
      x === null ? undefined : typeof x === "string" ? parseNumber(x, `${c.id}: calls`) : x
    );
  }
  return new Array<undefined>(c.steps as number).fill(undefined);
}

function step(s: AnyScheduler, arg: number | undefined): void {
  if (s instanceof lrspec.ReduceLROnPlateau) s.step(arg!);
  else s.step(arg);
}

interface Column {
  name: string;
  index: number;
  read: (o: Optimizer) => number;
}

function valueColumns(table: Table): { columns: Column[]; error: number } {
  if (table.header[0] !== "iter") {
    throw new SyntaxError(`${table.source}:1: the first column must be "iter"`);
  }
  const columns: Column[] = [];
  table.header.forEach((name, index) => {
    let m: RegExpMatchArray | null;
    if ((m = name.match(/^lr(\d+)$/))) {
      const g = Number(m[1]);
      columns.push({ name, index, read: (o) => o.paramGroups[g]!.lr });
    } else if ((m = name.match(/^momentum(\d+)$/))) {
      const g = Number(m[1]);
      columns.push({ name, index, read: (o) => o.paramGroups[g]!.momentum as number });
    } else if ((m = name.match(/^beta1_(\d+)$/))) {
      const g = Number(m[1]);
      columns.push({ name, index, read: (o) => (o.paramGroups[g]!.betas as number[])[0]! });
    } else if (name !== "iter" && name !== "error") {
      throw new SyntaxError(`${table.source}:1: unknown column "${name}"`);
    }
  });
  return { columns, error: table.header.indexOf("error") };
}

/**
 * Drives `scheduler` through `calls` from call `start` on, comparing the groups after each call
 * with the rows of `table` (row `i`: after the i-th call; the first row is compared as is).
 */
function drive(
  table: Table,
  optimizer: Optimizer,
  scheduler: AnyScheduler,
  calls: readonly (number | undefined)[],
  start: number,
  label: string,
): Observation[] {
  const { columns, error } = valueColumns(table);
  const out: Observation[] = [];
  let iter = start;
  let broken: string | undefined;
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const target = parseNumber(row.cells[0]!, at);
    while (broken === undefined && iter < target) {
      try {
        step(scheduler, calls[iter]);
        iter++;
      } catch (e) {
        broken = errorName(e);
        // torch raised at this call too? Then the row says so; otherwise it is a failure below.
        iter++;
      }
    }
    const err = error >= 0 ? row.cells[error] : "";
    for (const col of columns) {
      out.push({
        at: `${label}iter ${target}`,
        column: col.name,
        expected: err ? { error: err } : { value: parseNumber(row.cells[col.index]!, at) },
        actual: broken !== undefined ? { error: broken } : { value: col.read(optimizer) },
      });
    }
    if (broken !== undefined || err) break;
  }
  return out;
}

/** A JSON round trip: what a checkpoint of plain data gives back. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A case of the SWA switch (`swa: { scheduler, swaStart }`): `swa.scheduler` is built first, then
 * the case's `SWALR`, and lrspec's {@linkcode lrspec.swaLrs} runs the recipe's loop; row `i` of
 * the CSV is compared with its row `i`.
 */
function swaSwitch(c: CaseSpec, ctx: HandlerContext): Observation[] {
  const swa = c.swa as { scheduler: SchedulerSpec; swaStart: number };
  const optSpec = c.optimizer as OptimizerSpec;
  const make = () => {
    const optimizer = buildOptimizer(optSpec);
    const other = buildOptimizer(optSpec);
    const scheduler = buildTorchScheduler(swa.scheduler, optimizer, other, ctx.versions.torch);
    const swaScheduler = buildTorchScheduler(
      c.scheduler as SchedulerSpec,
      optimizer,
      other,
      ctx.versions.torch,
    );
    return { optimizer, scheduler, swaScheduler };
  };
  const rejected = constructionObservation(c, () => make());
  if (rejected) return rejected;
  const { scheduler, swaScheduler } = make();
  const table = ctx.table(c.file!);
  const { columns, error } = valueColumns(table);
  const rows = lrspec.swaLrs({
    scheduler: scheduler as LRScheduler,
    swaScheduler: swaScheduler as lrspec.SWALR,
    swaStart: swa.swaStart,
    epochs: callsOf(c).length,
  });
  const out: Observation[] = [];
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const iter = parseNumber(row.cells[0]!, at);
    const err = error >= 0 ? row.cells[error] : "";
    for (const col of columns) {
      const group = Number(/^lr(\d+)$/.exec(col.name)?.[1]);
      out.push({
        at: `iter ${iter}`,
        column: col.name,
        expected: err ? { error: err } : { value: parseNumber(row.cells[col.index]!, at) },
        actual: { value: rows[iter]![group]! },
      });
    }
  }
  return out;
}

const torchScheduler: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  if (c.swa !== undefined) return swaSwitch(c, ctx);
  const spec = c.scheduler as SchedulerSpec;
  const optSpec = c.optimizer as OptimizerSpec;
  const make = () => {
    const optimizer = buildOptimizer(optSpec);
    return {
      optimizer,
      scheduler: buildTorchScheduler(spec, optimizer, buildOptimizer(optSpec), ctx.versions.torch),
    };
  };
  const rejected = constructionObservation(c, () => make());
  if (rejected) return rejected;
  const calls = callsOf(c);
  const { optimizer, scheduler } = make();
  const resume = c.resume as { at: number; file: string } | undefined;
  if (resume === undefined) {
    return drive(ctx.table(c.file!), optimizer, scheduler, calls, 0, "");
  }
  // The uninterrupted run, with a checkpoint (JSON round trip) taken after `resume.at` calls.
  const full = ctx.table(c.file!);
  const upTo: Table = {
    ...full,
    rows: full.rows.filter((r) => parseNumber(r.cells[0]!, full.source) <= resume.at),
  };
  const rest: Table = {
    ...full,
    rows: full.rows.filter((r) => parseNumber(r.cells[0]!, full.source) > resume.at),
  };
  const observations = drive(upTo, optimizer, scheduler, calls, 0, "");
  const state = jsonCopy(scheduler.stateDict());
  const groups = jsonCopy(optimizer.paramGroups);
  observations.push(...drive(rest, optimizer, scheduler, calls, resume.at, ""));
  // A fresh optimizer and scheduler, built the same way, then both states loaded (as torch users
  // call optimizer.load_state_dict and scheduler.load_state_dict).
  const fresh = make();
  fresh.optimizer.paramGroups = groups;
  fresh.scheduler.loadStateDict(state);
  observations.push(
    ...drive(
      ctx.table(resume.file),
      fresh.optimizer,
      fresh.scheduler,
      calls,
      resume.at,
      "resumed ",
    ),
  );
  return observations;
};

/** The handlers of the torch suite, by case kind. */
export const TORCH_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  torch_scheduler: torchScheduler,
};
