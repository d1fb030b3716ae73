/**
 * Case handlers of the mmengine suite (`fixtures/mmengine`): mmengine's parameter schedulers
 * driven through the same calls as upstream's (construction, `step`, `step(metrics)`, state-dict
 * checkpoints) with every group's value compared after each call; and the Runner's learning rate
 * of every training iteration of a config.
 *
 * @module
 */

import * as mm from "../schedules/mmengine/mod.ts";
import type { Optimizer, ParamGroup, StateDict } from "../schedules/optimizer.ts";
import { parseNumber } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
} from "./runner.ts";

interface OptimizerSpec {
  type: "SGD" | "Adam" | "Adagrad";
  lr: number;
  momentum?: number;
  betas?: [number, number];
  groups: Record<string, unknown>[];
  wrapper?: boolean;
}

interface SchedulerSpec {
  class: string;
  options: Record<string, unknown>;
  epochLength?: number;
}

/** A torch optimizer as lrspec sees it: each group with the defaults torch copies into it. */
function makeOptimizer(spec: OptimizerSpec): Optimizer {
  const defaults: Record<string, unknown> = { lr: spec.lr };
  if (spec.type === "SGD") defaults.momentum = spec.momentum ?? 0.9;
  if (spec.type === "Adam") defaults.betas = spec.betas ?? [0.9, 0.999];
  const optimizer: Optimizer = {
    paramGroups: spec.groups.map((g) =>
      ({ ...structuredClone(defaults), ...structuredClone(g) }) as ParamGroup
    ),
    defaults: defaults as Optimizer["defaults"] & object,
  };
  return spec.wrapper ? new mm.OptimWrapper({ optimizer }) : optimizer;
}

type Scheduler = { step(metrics?: Record<string, number>): void } & {
  stateDict(): StateDict;
  loadStateDict(s: StateDict): void;
};

function buildSchedulers(c: CaseSpec, optimizer: Optimizer): Scheduler[] {
  return (c.schedulers as SchedulerSpec[]).map((s) => {
    const cls = (mm as unknown as Record<string, unknown>)[s.class] as
      | (
        & (new (o: unknown) => Scheduler)
        & { buildIterFromEpoch?: (o: unknown) => Scheduler }
      )
      | undefined;
    if (typeof cls !== "function") throw new Error(`fixture names an unknown class: ${s.class}`);
    const options = { ...s.options, optimizer };
    if (s.epochLength !== undefined) {
      return cls.buildIterFromEpoch!({ ...options, epochLength: s.epochLength });
    }
    return new cls(options);
  });
}

function build(c: CaseSpec): { optimizer: Optimizer; schedulers: Scheduler[] } {
  const optimizer = makeOptimizer(c.optimizer as OptimizerSpec);
  return { optimizer, schedulers: buildSchedulers(c, optimizer) };
}

/** The tracked keys, as the generator chose them. */
function trackedKeys(c: CaseSpec): string[] {
  if (Array.isArray(c.track)) return c.track as string[];
  const keys = ["lr"];
  if ((c.schedulers as SchedulerSpec[]).some((s) => s.class.includes("Momentum"))) {
    keys.push("momentum");
    if ((c.optimizer as OptimizerSpec).type === "Adam") keys.push("betas0");
  }
  return keys;
}

function readValue(group: ParamGroup, key: string): number {
  if (key === "betas0") return (group.betas as number[])[0]!;
  return group[key] as number;
}

/** Drives a scheduler case through the rows of its CSV. */
const scheduler: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const rejected = constructionObservation(c, () => build(c));
  if (rejected) return rejected;
  const table = ctx.table(c.file!);
  const h = table.header;
  const keys = trackedKeys(c).sort((a, b) => b.length - a.length);
  const columns = h.flatMap((name, index) => {
    const key = keys.find((k) => name.startsWith(k) && /^\d+$/.test(name.slice(k.length)));
    return key === undefined ? [] : [{ name, index, key, group: Number(name.slice(key.length)) }];
  });
  const [callAt, metricAt, errorAt] = ["call", "metric", "error"].map((n) => h.indexOf(n));
  const monitor = (c.monitor as string | undefined) ?? "loss";
  const out: Observation[] = [];
  let current = build(c);
  let checkpoint: { states: StateDict[]; groups: ParamGroup[] } | undefined;
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const call = row.cells[callAt!]!;
    const metricCell = row.cells[metricAt!] ?? "";
    const expectedError = row.cells[errorAt!] ?? "";
    const label = `${call} [line ${row.line}]`;
    let thrown: string | undefined;
    try {
      switch (call) {
        case "init":
          break;
        case "step":
          for (const s of current.schedulers) s.step();
          break;
        case "val": {
          const metrics = metricCell === ""
            ? { other: 0 }
            : { [monitor]: parseNumber(metricCell, at) };
          for (const s of current.schedulers) {
            if ((s.constructor as { needValArgs?: boolean }).needValArgs) s.step(metrics);
          }
          break;
        }
        case "checkpoint":
          checkpoint = {
            states: current.schedulers.map((s) => JSON.parse(JSON.stringify(s.stateDict()))),
            groups: JSON.parse(JSON.stringify(current.optimizer.paramGroups)),
          };
          continue;
        case "restore": {
          const fresh = build(c);
          fresh.optimizer.paramGroups.forEach((g, i) =>
            Object.assign(g, structuredClone(checkpoint!.groups[i]))
          );
          fresh.schedulers.forEach((s, i) =>
            s.loadStateDict(structuredClone(checkpoint!.states[i]!))
          );
          current = fresh;
          break;
        }
        default:
          throw new SyntaxError(`${at}: unknown call ${JSON.stringify(call)}`);
      }
    } catch (e) {
      if (e instanceof SyntaxError) throw e;
      thrown = errorName(e);
    }
    if (expectedError !== "" || thrown !== undefined) {
      out.push({
        at: label,
        column: "error",
        expected: expectedError !== "" ? { error: expectedError } : { text: "no error" },
        actual: thrown !== undefined ? { error: thrown } : { text: "no error" },
      });
      break;
    }
    const groups = current.optimizer.paramGroups;
    for (const col of columns) {
      const cell = row.cells[col.index]!;
      const group = groups[col.group];
      out.push({
        at: label,
        column: col.name,
        expected: cell === "" ? { text: "missing" } : { value: parseNumber(cell, at) },
        actual: group === undefined || typeof readValue(group, col.key) !== "number"
          ? { text: "missing" }
          : { value: readValue(group, col.key) },
      });
    }
  }
  return out;
};

/** The Runner options of a case. */
function runnerOptions(c: CaseSpec): mm.RunnerOptions {
  return {
    cfg: c.cfg as Record<string, unknown>,
    epochLength: c.epochLength as number,
    ...(c.worldSize === undefined ? {} : { worldSize: c.worldSize as number }),
    ...(c.autoScaleLr === undefined ? {} : { autoScaleLr: c.autoScaleLr as boolean }),
    ...(c.paramNames === undefined ? {} : { paramNames: c.paramNames as string[] }),
  };
}

/** One run of the Runner: each iteration's rates, then the error that ended it, if any. */
function runRows(
  make: () => mm.Runner,
  onCheckpoint?: (at: { epoch: number; iter: number }, save: () => mm.RunnerCheckpoint) => void,
): { rows: mm.IterationLr[]; error?: string } {
  const rows: mm.IterationLr[] = [];
  try {
    for (const row of make().train(onCheckpoint)) rows.push(row);
  } catch (e) {
    return { rows, error: errorName(e) };
  }
  return { rows };
}

/** A Runner case: every training iteration's rates, and a resumed run's. */
const runner: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const rejected = constructionObservation(c, () => new mm.Runner(runnerOptions(c)));
  if (rejected) return rejected;
  const table = ctx.table(c.file!);
  const h = table.header;
  const [runAt, iterAt, epochAt, errorAt] = ["run", "iter", "epoch", "error"].map((n) =>
    h.indexOf(n)
  );
  const lrColumns = h.flatMap((name, index) => (/^lr\d+$/.test(name) ? [{ name, index }] : []));
  const options = runnerOptions(c);
  let saved: mm.RunnerCheckpoint | undefined;
  const resumeAt = c.resumeAt as number | undefined;
  const byEpoch = c.resumeByEpoch as boolean | undefined;
  const runs: Record<string, { rows: mm.IterationLr[]; error?: string }> = {
    train: runRows(() => new mm.Runner(options), (at, save) => {
      if (resumeAt !== undefined && (byEpoch ? at.epoch : at.iter) === resumeAt) {
        saved = JSON.parse(JSON.stringify(save()));
      }
    }),
  };
  if (resumeAt !== undefined) {
    runs.resume = runRows(() => {
      const r = new mm.Runner(options);
      if (saved === undefined) throw new Error("the train run never reached the checkpoint");
      r.resume(structuredClone(saved));
      return r;
    });
  }
  const out: Observation[] = [];
  const index: Record<string, number> = { train: 0, resume: 0 };
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const run = row.cells[runAt!]!;
    const got = runs[run];
    if (got === undefined) throw new SyntaxError(`${at}: unknown run ${JSON.stringify(run)}`);
    const k = index[run]!++;
    const label = `${run} iter ${row.cells[iterAt!]}`;
    const expectedError = row.cells[errorAt!] ?? "";
    const actual = got.rows[k];
    if (expectedError !== "") {
      out.push({
        at: label,
        column: "error",
        expected: { error: expectedError },
        actual: actual === undefined && got.error !== undefined
          ? { error: got.error }
          : { text: "no error" },
      });
      continue;
    }
    if (actual === undefined) {
      out.push({
        at: label,
        column: "row",
        expected: { text: "an iteration" },
        actual: got.error === undefined ? { text: "the run ended" } : { error: got.error },
      });
      continue;
    }
    out.push({
      at: label,
      column: "iter,epoch",
      expected: { text: `${row.cells[iterAt!]},${row.cells[epochAt!]}` },
      actual: { text: `${actual.iter},${actual.epoch}` },
    });
    for (const col of lrColumns) {
      const value = actual.lrs[Number(col.name.slice(2))];
      out.push({
        at: label,
        column: col.name,
        expected: { value: parseNumber(row.cells[col.index]!, at) },
        actual: value === undefined ? { text: "missing" } : { value },
      });
    }
  }
  for (const [run, got] of Object.entries(runs)) {
    if (got.rows.length > index[run]!) {
      out.push({
        at: `${run} iter ${got.rows[index[run]!]!.iter}`,
        column: "row",
        expected: { text: "the run ended" },
        actual: { text: `${got.rows.length - index[run]!} more iterations` },
      });
    }
  }
  return out;
};

/** The handlers of the mmengine suite, by case kind. */
export const MMENGINE_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  mmengine_scheduler: scheduler,
  mmengine_runner: runner,
};
