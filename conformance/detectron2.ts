/**
 * Case handlers of the detectron2 / fvcore suite (`fixtures/detectron2`).
 *
 * @module
 */

import {
  autoScaleWorkers,
  buildLrScheduler,
  getCfg,
  type LRScheduler,
  type Optimizer,
} from "../mod.ts";
import { libm } from "../schedules/math.ts";
import { parseNumber, type Table } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
  outcome,
} from "./runner.ts";
import {
  buildLrSchedulerFromSpec,
  buildParamScheduler,
  makeOptimizer,
  type SchedulerSpec,
} from "./specs.ts";

function columns(
  table: Table,
  key: string,
): { key: number; values: { name: string; index: number }[]; error: number } {
  const k = table.header.indexOf(key);
  if (k !== 0) throw new SyntaxError(`${table.source}:1: the first column must be "${key}"`);
  const error = table.header.indexOf("error");
  const values = table.header
    .map((name, index) => ({ name, index }))
    .filter(({ name }) => name !== key && name !== "error");
  return { key: k, values, error };
}

const paramScheduler: CaseHandler = (c, ctx) => {
  const spec = c.scheduler as SchedulerSpec;
  const rejected = constructionObservation(c, () => buildParamScheduler(spec, ctx.versions));
  if (rejected) return rejected;
  const sched = buildParamScheduler(spec, ctx.versions);
  const table = ctx.table(c.file!);
  const col = columns(table, "where");
  return table.rows.map((row) => {
    const at = `${table.source}:${row.line}`;
    const where = parseNumber(row.cells[col.key]!, at);
    const err = col.error >= 0 ? row.cells[col.error] : "";
    return {
      at: `where ${where}`,
      column: "value",
      expected: err ? { error: err } : { value: parseNumber(row.cells[col.values[0]!.index]!, at) },
      actual: outcome(() => sched.at(where)),
    };
  });
};

/**
 * Steps a torch-style scheduler like detectron2's `LRScheduler` hook: the learning rate of
 * iteration `i` is read before the `i`-th `step()`. Compares every recorded row.
 */
function hookObservations(
  table: Table,
  optimizer: Optimizer,
  scheduler: LRScheduler,
): Observation[] {
  const col = columns(table, "iter");
  const out: Observation[] = [];
  let iter = 0;
  let broken: string | undefined;
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const target = parseNumber(row.cells[col.key]!, at);
    while (broken === undefined && iter < target) {
      try {
        scheduler.step();
        iter++;
      } catch (error) {
        broken = errorName(error);
        iter++;
      }
    }
    const err = col.error >= 0 ? row.cells[col.error] : "";
    col.values.forEach(({ name, index }, g) => {
      out.push({
        at: `iter ${target}`,
        column: name,
        expected: err ? { error: err } : { value: parseNumber(row.cells[index]!, at) },
        actual: broken !== undefined ? { error: broken } : { value: optimizer.paramGroups[g]!.lr },
      });
    });
    if (broken !== undefined) break;
  }
  return out;
}

function configFor(c: CaseSpec) {
  const cfg = getCfg() as unknown as Record<string, Record<string, unknown>>;
  for (
    const [section, values] of Object.entries(c.config as Record<string, Record<string, unknown>>)
  ) {
    Object.assign(cfg[section]!, values);
  }
  return cfg as unknown as ReturnType<typeof getCfg>;
}

const build: CaseHandler = (c, ctx) => {
  const cfg = configFor(c);
  const baseLrs = c.baseLrs as number[];
  const warnings: string[] = [];
  const make = () => {
    const optimizer = makeOptimizer(baseLrs);
    return {
      optimizer,
      scheduler: buildLrScheduler(cfg, optimizer, {
        ...ctx.versions,
        onWarning: (w) => warnings.push(w),
      }),
    };
  };
  const rejected = constructionObservation(c, make);
  if (rejected) return rejected;
  const { optimizer, scheduler } = make();
  const expectedWarnings = (c.warnings as string[] | undefined ?? []).join(" | ");
  return [
    {
      at: "warnings",
      column: "",
      expected: { text: expectedWarnings },
      actual: { text: [...new Set(warnings)].join(" | ") },
    },
    ...hookObservations(ctx.table(c.file!), optimizer, scheduler),
  ];
};

const lrScheduler: CaseHandler = (c, ctx) => {
  const spec = c.scheduler as SchedulerSpec;
  const make = () => {
    const optimizer = makeOptimizer(c.baseLrs as number[], c.initialLrs as number[] | undefined);
    return { optimizer, scheduler: buildLrSchedulerFromSpec(spec, optimizer, ctx.versions) };
  };
  const rejected = constructionObservation(c, make);
  if (rejected) return rejected;
  const { optimizer, scheduler } = make();
  return hookObservations(ctx.table(c.file!), optimizer, scheduler);
};

const autoScale: CaseHandler = (c) => {
  const cfg = configFor(c);
  const run = () => autoScaleWorkers(cfg, c.numWorkers as number);
  const rejected = constructionObservation(c, run);
  if (rejected) return rejected;
  const out = run() as unknown as Record<string, Record<string, unknown>>;
  const expected = c.expected as Record<string, Record<string, number | number[]>>;
  const obs: Observation[] = [];
  for (const [section, values] of Object.entries(expected)) {
    for (const [key, value] of Object.entries(values)) {
      const actual = out[section]![key];
      const exp = Array.isArray(value) ? value : [value];
      const act = Array.isArray(actual) ? actual : [actual];
      if (act.length !== exp.length) {
        obs.push({
          at: `${section}.${key}`,
          column: "length",
          expected: { value: exp.length },
          actual: { value: act.length },
        });
        continue;
      }
      exp.forEach((v, i) =>
        obs.push({
          at: `${section}.${key}`,
          column: String(i),
          expected: { value: v },
          actual: { value: act[i] as number },
        })
      );
    }
  }
  return obs;
};

const powTable: CaseHandler = (c, ctx: HandlerContext) => {
  const table = ctx.table(c.file!);
  const [x, k, value, cr] = ["x", "k", "value", "correctlyRounded"].map((n) =>
    table.header.indexOf(n)
  ) as number[];
  return table.rows.map((row) => {
    const at = `${table.source}:${row.line}`;
    const base = parseNumber(row.cells[x!]!, at);
    const exponent = parseNumber(row.cells[k!]!, at);
    const glibcIsCorrectlyRounded = row.cells[cr!] === "1";
    return {
      at: `${base} ** ${exponent}`,
      column: "value",
      expected: { value: parseNumber(row.cells[value!]!, at) },
      actual: outcome(() => libm.powi(base, exponent)),
      ...(glibcIsCorrectlyRounded
        ? {}
        : { explained: "glibc's pow is not correctly rounded here" }),
    };
  });
};

/** The handlers of the detectron2 suite, by case kind. */
export const DETECTRON2_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  param_scheduler: paramScheduler,
  build_lr_scheduler: build,
  lr_scheduler: lrScheduler,
  auto_scale_workers: autoScale,
  pow_int: powTable,
};
