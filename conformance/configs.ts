/**
 * Case handlers of the `configs` suite (`fixtures/configs`): detectron2's own loading of real
 * YAML configs (merged key by key), `build_lr_scheduler` curves on them, `ast.literal_eval` and
 * PyYAML's scalar resolution.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  autoScaleWorkers,
  type CfgNode,
  lrCurve,
  paramGroupLrs,
  pyRepr,
  type PyValue,
  toJs,
} from "../mod.ts";
import { literalEval } from "../config/python.ts";
import { loadConfig, parseYaml } from "../config/yaml.ts";
import { parseNumber } from "../verify/csv.ts";
import {
  type CaseHandler,
  type CaseSpec,
  errorName,
  type HandlerContext,
  type Observation,
  type Outcome,
} from "./runner.ts";

type Typed = [string, unknown?];

/** Upstream exception types and the lrspec error classes that mirror them. */
const MIRRORS: Record<string, readonly string[]> = {
  KeyError: ["TypeError"],
  ValueError: ["TypeError"],
  AssertionError: ["TypeError", "RangeError"],
  TypeError: ["TypeError"],
  RecursionError: ["RangeError"],
  ScannerError: ["SyntaxError"],
  ParserError: ["SyntaxError"],
  ComposerError: ["SyntaxError"],
  ConstructorError: ["SyntaxError"],
  FileNotFoundError: ["Error"], // what readFile threw, with the including file named
};

/** Messages lrspec reproduces verbatim (its own adds a location prefix or a hint). */
const MIRRORED_MESSAGES = [
  "Non-existent",
  "Type mismatch",
  "Override list",
  "The reserved key",
  "Cannot inherit",
  "Cannot merge",
  "Key ",
];

function fixturesRoot(ctx: HandlerContext): string {
  return dirname(ctx.dir);
}

function load(c: CaseSpec, ctx: HandlerContext, warnings: string[]) {
  const root = fixturesRoot(ctx);
  return loadConfig(c.config as string, {
    readFile: (path) => readFileSync(`${root}/${path}`, "utf8"),
    project: (c.project as "deeplab" | null) ?? "detectron2",
    opts: (c.opts as string[] | undefined) ?? [],
    allowNewKeys: c.allowNewKeys === true,
    onWarning: (w) => warnings.push(w),
  });
}

/** Observations for a case where upstream raised: same kind of error, same message. */
function errorObservations(c: CaseSpec, run: () => unknown): Observation[] {
  const expected = c.error as { type: string; message: string };
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  const name = thrown === undefined ? undefined : errorName(thrown);
  const accepted = MIRRORS[expected.type] ?? ["TypeError", "RangeError"];
  const obs: Observation[] = [];
  obs.push({
    at: "load",
    column: expected.type,
    expected: { error: expected.type },
    actual: name === undefined ? { text: "loaded" } : { error: name },
    accepts: accepted,
  });
  const single = !expected.message.includes("\n");
  if (single && MIRRORED_MESSAGES.some((m) => expected.message.startsWith(m))) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    obs.push({
      at: "message",
      column: "",
      expected: { text: expected.message },
      actual: { text: message.includes(expected.message) ? expected.message : message },
    });
  }
  return obs;
}

function typedText(t: Typed): string {
  return `${t[0]} ${JSON.stringify(t[1])}`;
}

/** The JSON form the generator writes: inf/nan as {"float": repr}. */
function jsonForm(value: PyValue): unknown {
  const js = toJs(value);
  const walk = (v: unknown): unknown => {
    if (typeof v === "number" && !Number.isFinite(v)) {
      return { float: Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf" };
    }
    if (Array.isArray(v)) return v.map(walk);
    return v;
  };
  return walk(js);
}

function flatten(node: CfgNode): Map<string, Typed> {
  const out = new Map<string, Typed>();
  for (const key of node.keys()) {
    const v = node.get(key)!;
    out.set(key, v.type === "node" ? ["node"] : [v.type, jsonForm(v)]);
  }
  return out;
}

function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbers(v, out));
  return out;
}

let defaultsCache: { dir: string; data: Record<string, Record<string, Typed>> } | undefined;

function defaults(ctx: HandlerContext): Record<string, Record<string, Typed>> {
  if (defaultsCache?.dir !== ctx.dir) {
    defaultsCache = {
      dir: ctx.dir,
      data: JSON.parse(ctx.text("defaults.json")),
    };
  }
  return defaultsCache.data;
}

const merge: CaseHandler = (c, ctx) => {
  const warnings: string[] = [];
  if (c.error) return errorObservations(c, () => load(c, ctx, warnings));
  const loaded = load(c, ctx, warnings);
  const expected = new Map(
    Object.entries(defaults(ctx)[(c.project as string | null) ?? "detectron2"]!),
  );
  for (const key of (c.removed as string[] | undefined) ?? []) expected.delete(key);
  for (const [key, value] of Object.entries(c.changed as Record<string, Typed>)) {
    expected.set(key, value);
  }
  const actual = flatten(loaded.node);
  const obs: Observation[] = [];
  for (const [key, exp] of expected) {
    const act = actual.get(key);
    obs.push({
      at: key,
      column: "type",
      expected: { text: exp[0] === "node" ? "node" : typedText(exp) },
      actual: { text: act === undefined ? "missing" : act[0] === "node" ? "node" : typedText(act) },
    });
    const e = numbers(exp[1]);
    const a = act ? numbers(act[1]) : [];
    e.forEach((value, i) =>
      obs.push({
        at: key,
        column: String(i),
        expected: { value },
        actual: a[i] === undefined ? { text: "missing" } : { value: a[i]! },
      })
    );
  }
  for (const key of actual.keys()) {
    if (!expected.has(key)) {
      obs.push({ at: key, column: "", expected: { text: "absent" }, actual: { text: "present" } });
    }
  }
  obs.push({
    at: "warnings",
    column: "",
    expected: { text: normalizeWarnings((c.warnings as string[] | undefined) ?? []) },
    actual: { text: normalizeWarnings(warnings) },
  });
  return obs;
};

/**
 * detectron2 warns "Loading config X with yaml.unsafe_load" where lrspec evaluates the file's
 * `!!python/object/apply:eval` with its restricted interpreter instead: both become "eval in X".
 */
function normalizeWarnings(warnings: string[]): string {
  return [
    ...new Set(warnings.map((w) => {
      const d2 = /^Loading config (.*) with yaml\.unsafe_load\./.exec(w);
      if (d2) return `eval in ${d2[1]}`;
      const ours = /^(.*):\d+: evaluated !!python\/object\/apply:eval .* restricted interpreter/
        .exec(w);
      return ours ? `eval in ${ours[1]}` : w;
    })),
  ].join(" | ");
}

const curve: CaseHandler = (c, ctx) => {
  const loadWarnings: string[] = [];
  const loaded = load(c, ctx, loadWarnings);
  const cfg = c.numWorkers === undefined
    ? loaded.cfg
    : autoScaleWorkers(loaded.cfg, c.numWorkers as number);
  const obs: Observation[] = [];
  const groups = paramGroupLrs(cfg);
  const baseLrs = c.baseLrs as number[];
  obs.push({
    at: "param groups",
    column: "",
    expected: { value: baseLrs.length },
    actual: { value: groups.length },
  });
  baseLrs.forEach((lr, i) =>
    obs.push({
      at: "param groups",
      column: `baseLr ${i}`,
      expected: { value: lr },
      actual: groups[i] ? { value: groups[i]!.lr } : { text: "missing" },
    })
  );
  const releases = ctx.versions;
  if (c.error) {
    return [...obs, ...errorObservations(c, () => lrCurve(cfg, { iterations: [0], releases }))];
  }
  const table = ctx.table(c.file!);
  const keyCol = table.header.indexOf("iter");
  const errCol = table.header.indexOf("error");
  const iterations = table.rows.map((r) =>
    parseNumber(r.cells[keyCol]!, `${table.source}:${r.line}`)
  );
  const result = lrCurve(cfg, { iterations, releases });
  obs.push({
    at: "warnings",
    column: "",
    expected: { text: ((c.warnings as string[] | undefined) ?? []).join(" | ") },
    actual: { text: [...new Set(result.warnings)].join(" | ") },
  });
  const names = table.header.filter((h) => h !== "iter" && h !== "error");
  obs.push({
    at: "columns",
    column: "",
    expected: { text: names.join(",") },
    actual: { text: result.columns.map((col) => col.name).join(",") },
  });
  table.rows.forEach((row, r) => {
    const at = `${table.source}:${row.line}`;
    const err = errCol >= 0 ? row.cells[errCol] : "";
    names.forEach((name, g) => {
      const column = result.columns[g];
      const value = column?.values[r];
      const raised = result.error !== undefined && iterations[r]! >= result.error.iteration;
      const actual: Outcome = raised
        ? { error: result.error!.name }
        : value === undefined
        ? { text: "missing" }
        : { value };
      obs.push({
        at: `iter ${iterations[r]}`,
        column: name,
        expected: err
          ? { error: err }
          : { value: parseNumber(row.cells[table.header.indexOf(name)]!, at) },
        actual,
      });
    });
  });
  return obs;
};

type Outcome2 = { type: string; value?: unknown; repr?: string; error?: string };

/** Value observations for the numbers inside an expected and an actual value. */
function numberObservations(
  at: string,
  expected: unknown,
  actual: PyValue | undefined,
): Observation[] {
  const e = numbers(expected);
  let a: number[] = [];
  try {
    a = actual ? numbers(toJs(actual)) : [];
  } catch {
    a = [];
  }
  return e.map((value, i) => ({
    at,
    column: String(i),
    expected: { value },
    actual: a[i] === undefined ? { text: "missing" } : { value: a[i]! },
  }));
}

const literal: CaseHandler = (c) =>
  (c.table as [string, Outcome2][]).flatMap(([text, exp]) => {
    let actual: Outcome;
    let value: PyValue | undefined;
    try {
      value = literalEval(text);
      actual = { text: describeLiteral(value, exp) };
    } catch (error) {
      actual = { text: `raises ${errorName(error)}` };
    }
    const expected = exp.error
      ? `raises ${exp.error}`
      : `${exp.type} ${exp.repr ?? JSON.stringify(exp.value)}`;
    const at = JSON.stringify(text);
    return [
      { at, column: "", expected: { text: expected }, actual },
      ...(exp.type === "str" ? [] : numberObservations(at, exp.value, value)),
    ];
  });

function describeLiteral(v: PyValue, exp: Outcome2): string {
  if (exp.repr === undefined) {
    return `${v.type} ${v.type === "str" ? JSON.stringify(v.value) : pyRepr(v)}`;
  }
  return `${v.type} ${pyRepr(v)}`;
}

const scalars: CaseHandler = (c) =>
  (c.table as [string, Outcome2][]).flatMap(([text, exp]) => {
    let actual: string;
    let value: PyValue | undefined;
    try {
      const doc = parseYaml(`v: ${text}\n`);
      value = doc.type === "node" ? doc.value.get("v")! : doc;
      actual = "repr" in value
        ? `${value.type} ${value.repr}`
        : `${value.type} ${JSON.stringify(jsonForm(value))}`;
    } catch (error) {
      actual = `raises ${errorName(error)}`;
    }
    const expected = exp.error
      ? `raises ${exp.error}`
      : exp.repr !== undefined
      ? `${exp.type} ${exp.repr}`
      : `${exp.type} ${JSON.stringify(exp.value)}`;
    const at = JSON.stringify(text);
    const numeric = exp.type === "int" || exp.type === "float";
    return [
      { at, column: "", expected: { text: expected }, actual: { text: actual } },
      ...(numeric && typeof exp.value === "number" ? numberObservations(at, exp.value, value) : []),
    ];
  });

/** The handlers of the configs suite, by case kind. */
export const CONFIGS_HANDLERS: Readonly<Record<string, CaseHandler>> = {
  config_merge: merge,
  config_curve: curve,
  literal_eval: literal,
  yaml_scalars: scalars,
};
