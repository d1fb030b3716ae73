/**
 * Case handlers of the timm suite (`fixtures/timm`): timm's schedulers built from the same
 * options timm's were, driven through the same calls (`step`, `step_update`, `_get_lr`,
 * checkpoints), every group's `lr` compared after each call; `create_scheduler_v2`,
 * `scheduler_kwargs`; and torch's CPU generator draws.
 *
 * @module
 */

import * as lrspec from "../mod.ts";
import type { Optimizer, ParamGroup, StateDict } from "../mod.ts";
import { parseNumber, type Table } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  constructionObservation,
  errorName,
  type HandlerContext,
  type Observation,
  type Outcome,
} from "./runner.ts";

/** A timm scheduler as the suite drives it. */
interface Driven {
  step(epoch: number, metric?: number | null): void;
  stepUpdate(numUpdates: number, metric?: number | null): void;
  getLr(t: number): number[];
  stateDict(): StateDict;
  loadStateDict(state: StateDict): void;
}

/** Reads the manifest's JSON values back: `{ "bigint": "…" }` is an integer beyond 2^53. */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "bigint") {
      return BigInt(entries[0]![1] as string);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

/** The optimizer of a case: one group per `lrs0` entry, with the case's extra group keys. */
function makeOptimizer(c: CaseSpec): Optimizer {
  const groups = (c.groups ?? []) as Record<string, unknown>[];
  return {
    paramGroups: (c.lrs0 as number[]).map((lr, i) => ({ lr, ...(groups[i] ?? {}) }) as ParamGroup),
  };
}

function build(
  c: CaseSpec,
): { optimizer: Optimizer; scheduler: Driven | null; numEpochs?: number } {
  const optimizer = makeOptimizer(c);
  const options = { optimizer, ...(revive(c.options) as Record<string, unknown>) };
  if (c.kind === "timm_create_scheduler_v2") {
    const [scheduler, numEpochs] = lrspec.createSchedulerV2(options as never);
    return { optimizer, scheduler, numEpochs };
  }
  const ctor = (lrspec as unknown as Record<string, unknown>)[c.group as string];
  if (typeof ctor !== "function") throw new Error(`fixture names an unknown class: ${c.group}`);
  return { optimizer, scheduler: new (ctor as new (o: never) => Driven)(options as never) };
}

/** A checkpoint: the state dict and the groups, through JSON as a plain-data checkpoint. */
function roundTrip<T>(value: T): T {
  try {
    return JSON.parse(JSON.stringify(value)) as T;
  } catch {
    return structuredClone(value); // a bigint noise seed: not JSON, still plain data
  }
}

function cellNumber(cell: string | undefined, at: string): number | null {
  return cell === undefined || cell === "" ? null : parseNumber(cell, at);
}

/** Drives a class or factory case through the rows of its CSV. */
const drive: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const rejected = constructionObservation(c, () => build(c));
  if (rejected) return rejected;
  const table: Table = ctx.table(c.file!);
  const h = table.header;
  const lrColumns = h.flatMap((name, index) => (/^lr\d+$/.test(name) ? [{ name, index }] : []));
  const [callAt, tAt, metricAt, errorAt] = ["call", "t", "metric", "error"].map((n) =>
    h.indexOf(n)
  );
  const out: Observation[] = [];
  let current: ReturnType<typeof build> | undefined;
  let checkpoint: { state: StateDict; groups: ParamGroup[] } | undefined;
  for (const row of table.rows) {
    const at = `${table.source}:${row.line}`;
    const call = row.cells[callAt!]!;
    const t = cellNumber(row.cells[tAt!], at);
    const metric = cellNumber(row.cells[metricAt!], at);
    const expectedError = row.cells[errorAt!] ?? "";
    const label = `${call}${t === null ? "" : `(${t})`} [line ${row.line}]`;
    let values: number[] | undefined;
    let thrown: string | undefined;
    try {
      switch (call) {
        case "new":
          current = build(c);
          if (c.numEpochsOut !== undefined) {
            out.push({
              at: label,
              column: "numEpochs",
              expected: { value: c.numEpochsOut as number },
              actual: { value: current.numEpochs! },
            });
          }
          break;
        case "init":
        case "restore":
          if (call === "restore") {
            const fresh = build(c);
            fresh.optimizer.paramGroups = roundTrip(checkpoint!.groups);
            fresh.scheduler!.loadStateDict(roundTrip(checkpoint!.state));
            current = fresh;
          }
          values = current!.optimizer.paramGroups.map((g) => g.lr);
          break;
        case "checkpoint":
          checkpoint = {
            state: roundTrip(current!.scheduler!.stateDict()),
            groups: roundTrip(current!.optimizer.paramGroups),
          };
          break;
        case "step":
          current!.scheduler!.step(t!, metric);
          values = current!.optimizer.paramGroups.map((g) => g.lr);
          break;
        case "step_update":
          current!.scheduler!.stepUpdate(t!, metric);
          values = current!.optimizer.paramGroups.map((g) => g.lr);
          break;
        case "get_lr":
          values = current!.scheduler!.getLr(t!);
          break;
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
      break; // timm stopped here (or lrspec did)
    }
    if (values === undefined) continue;
    for (const col of lrColumns) {
      out.push({
        at: label,
        column: col.name,
        expected: { value: parseNumber(row.cells[col.index]!, at) },
        actual: { value: values[Number(col.name.slice(2))]! },
      });
    }
  }
  return out;
};

/** `scheduler_kwargs(args)`: every keyword compared (numbers as values, the rest as JSON). */
const kwargs: CaseHandler = (c: CaseSpec) => {
  const args = revive(c.args) as Record<string, unknown>;
  const decreasing = (c.decreasingMetric ?? null) as boolean | null;
  let got: Record<string, unknown>;
  try {
    got = lrspec.schedulerKwargs(args, decreasing) as Record<string, unknown>;
  } catch (e) {
    if (c.error === undefined) throw e;
    return [{
      at: "call",
      column: c.error.message,
      expected: { error: c.error.type },
      actual: { error: errorName(e) },
    }];
  }
  if (c.error !== undefined) {
    return [{
      at: "call",
      column: c.error.message,
      expected: { error: c.error.type },
      actual: { text: "returned" },
    }];
  }
  const expected = revive(c.expected) as Record<string, unknown>;
  const out: Observation[] = [{
    at: "keys",
    column: "",
    expected: { text: Object.keys(expected).sort().join(",") },
    actual: { text: Object.keys(got).sort().join(",") },
  }];
  for (const [key, want] of Object.entries(expected)) {
    const have = got[key];
    out.push(
      typeof want === "number" && typeof have === "number"
        ? { at: key, column: "", expected: { value: want }, actual: { value: have } }
        : {
          at: key,
          column: "",
          expected: { text: JSON.stringify(want, (_, v) => typeof v === "bigint" ? String(v) : v) },
          actual: { text: JSON.stringify(have, (_, v) => typeof v === "bigint" ? String(v) : v) },
        },
    );
  }
  return out;
};

/** torch's generator: every draw after `manual_seed(seed)`, seeds torch rejects, `initial_seed`. */
const rng: CaseHandler = (c: CaseSpec, ctx: HandlerContext) => {
  const table = ctx.table(c.file!);
  const [seedAt, seqAt, indexAt, kindAt, valueAt, errorAt] = [
    "seed",
    "sequence",
    "index",
    "kind",
    "value",
    "error",
  ].map((n) => table.header.indexOf(n));
  const out: Observation[] = [];
  const g = new lrspec.TorchGenerator();
  for (const row of table.rows) {
    const cells = row.cells;
    const seed = BigInt(cells[seedAt!]!);
    const seq = cells[seqAt!]!;
    const at = `seed ${seed} ${seq}${cells[indexAt!] ? `[${cells[indexAt!]}]` : ""}`;
    if (seq === "seed") {
      let actual: Outcome = { text: "accepted" };
      try {
        g.manualSeed(seed);
      } catch (e) {
        actual = { error: errorName(e) };
      }
      out.push({ at, column: "manual_seed", expected: { error: cells[errorAt!]! }, actual });
      continue;
    }
    if (seq === "initial_seed") {
      g.manualSeed(seed);
      out.push({
        at,
        column: "initial_seed",
        expected: { text: cells[valueAt!]! },
        actual: { text: String(g.initialSeed()) },
      });
      continue;
    }
    if (cells[indexAt!] === "0") g.manualSeed(seed);
    const kind = cells[kindAt!];
    const value = kind === "randn" ? g.randn() : g.rand();
    out.push({
      at,
      column: kind!,
      expected: { value: parseNumber(cells[valueAt!]!, `${table.source}:${row.line}`) },
      actual: { value },
    });
  }
  return out;
};

/** The handlers of the timm suite, by case kind. */
export const TIMM_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  timm_scheduler: drive,
  timm_create_scheduler_v2: drive,
  timm_scheduler_kwargs: kwargs,
  torch_rng: rng,
};
