/**
 * Case handlers of the `configs-py` suite (`fixtures/configs-py`): Python config files read in
 * lrspec's Pyodide sandbox, against the frameworks' own loaders — detectron2's `LazyConfig.load`
 * (then the learning rate at sampled iterations, through lrspec's fvcore/detectron2 ports) and
 * mmengine's `Config.fromfile` with `--cfg-options` (the whole config, key by key).
 *
 * The handlers are synchronous, like every suite's: they block on the interpreter
 * (`PythonConfigLoader.loadSync`). On Bun, call {@linkcode startConfigsPy} first (a Bun worker
 * cannot start while the main thread blocks).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { lazyConfigSchedule } from "../config/lazyconfig.ts";
import { PythonConfigLoader } from "../config/pyodide/load.ts";
import {
  type CaseHandler,
  type CaseSpec,
  errorName,
  type HandlerContext,
  type Observation,
  outcome,
} from "./runner.ts";

const loader = new PythonConfigLoader();

/**
 * Starts the suite's interpreter: needed before the suite runs on Bun, harmless elsewhere.
 *
 * @returns When the interpreter is ready.
 */
export function startConfigsPy(): Promise<void> {
  return loader.start();
}

/** Ends the suite's interpreter. */
export function stopConfigsPy(): Promise<void> {
  return loader.close();
}

function fixture(ctx: HandlerContext, rel: string): string {
  return join(ctx.dir, rel);
}

function loadError(_c: CaseSpec, error: unknown): Observation[] {
  const message = error instanceof Error ? error.message : String(error);
  return [{
    at: "load",
    column: "config",
    expected: { text: "loaded" },
    actual: { text: `${errorName(error)}: ${message}` },
  }];
}

/** detectron2 LazyConfig: `optimizer.lr · lr_multiplier(i / train.max_iter)` at sampled `i`. */
const lazyconfig: CaseHandler = (c, ctx) => {
  let config: Record<string, unknown>;
  try {
    config = loader.loadSync(fixture(ctx, c.config as string), {
      kind: "lazyconfig",
      detectron2Root: fixture(ctx, c.detectron2 as string),
      timeoutMs: 60_000,
    }).config;
  } catch (error) {
    return loadError(c, error);
  }
  const s = lazyConfigSchedule(config, { python: ctx.versions.python });
  const out: Observation[] = [
    {
      at: "train.max_iter",
      column: "config",
      expected: { value: c.maxIter as number },
      actual: { value: s.maxIter },
    },
    {
      at: "optimizer.lr",
      column: "config",
      expected: { value: c.lr as number },
      actual: { value: s.lr },
    },
  ];
  const iterations = c.iterations as number[];
  const multiplier = c.multiplier as number[];
  const values = c.values as number[];
  iterations.forEach((i, k) => {
    out.push({
      at: `iter ${i}`,
      column: "multiplier",
      expected: { value: multiplier[k]! },
      actual: outcome(() => s.multiplier.at(i / s.maxIter)),
    });
    out.push({
      at: `iter ${i}`,
      column: "lr",
      expected: { value: values[k]! },
      actual: outcome(() => s.lr * s.multiplier.at(i / s.maxIter)),
    });
  });
  return out;
};

/** Every leaf of a JSON-like value by path (`param_scheduler[1].end`). */
function leaves(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, value);
    value.forEach((v, i) => leaves(v, `${path}[${i}]`, out));
  } else if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(path, value);
    for (const [k, v] of entries) leaves(v, path === "" ? k : `${path}.${k}`, out);
  } else {
    out.set(path, value);
  }
  return out;
}

/**
 * mmengine: the whole config, leaf by leaf (numbers as values, the rest as text), and the list of
 * leaf paths (so that an extra or missing key fails too).
 */
const mmengine: CaseHandler = (c, ctx) => {
  let config: Record<string, unknown>;
  try {
    config = loader.loadSync(fixture(ctx, c.config as string), {
      kind: "mmengine",
      overrides: c.cfgOptions as string[],
      root: dirname(fixture(ctx, c.config as string)).replace(/(\/configs)\/.*$/, "$1"),
      timeoutMs: 60_000,
    }).config;
  } catch (error) {
    return loadError(c, error);
  }
  const expected = leaves(c.expected);
  const actual = leaves(config);
  const out: Observation[] = [{
    at: "paths",
    column: "config",
    expected: { text: [...expected.keys()].join(" ") },
    actual: { text: [...actual.keys()].join(" ") },
  }];
  for (const [path, e] of expected) {
    const a = actual.get(path);
    out.push({
      at: path,
      column: "config",
      expected: typeof e === "number" ? { value: e } : { text: JSON.stringify(e) },
      actual: typeof e === "number" && typeof a === "number"
        ? { value: a }
        : { text: actual.has(path) ? JSON.stringify(a) : "(missing)" },
    });
  }
  return out;
};

/** The handlers of the `configs-py` suite, by case kind. */
export const CONFIGS_PY_HANDLERS: Readonly<Record<string, CaseHandler>> = { lazyconfig, mmengine };
