/**
 * Builds lrspec objects from the JSON scheduler specs the fixtures use:
 * `{ "class": "CosineParamScheduler", "options": { "startValue": 1, "endValue": 0 } }`, with
 * nested specs for composite schedulers. The Python generator builds upstream's objects from the
 * very same JSON.
 *
 * @module
 */

import * as lrspec from "../mod.ts";
import type { LRScheduler, Optimizer, ParamSchedulerLike } from "../mod.ts";
import type { SuiteVersions } from "./runner.ts";

/** The fvcore/detectron2 classes that take `python` (they build a `CompositeParamScheduler`). */
const PYTHON_CLASSES: ReadonlySet<string> = new Set([
  "CompositeParamScheduler",
  "WarmupParamScheduler",
]);

/** The library's defaults, for callers that build specs outside a suite. */
const TODAY: SuiteVersions = { torch: "2.13", python: "3.12" };

/** The detectron2 classes on torch's `LRScheduler` that take `torch`. */
const TORCH_CLASSES: ReadonlySet<string> = new Set(["LRMultiplier", "WarmupPolyLR"]);

/** A scheduler spec as stored in a fixture manifest. */
export interface SchedulerSpec {
  /** The upstream class name. */
  class: string;
  /** Constructor options (lrspec's camelCase keys), possibly with nested specs. */
  options: Record<string, unknown>;
}

function isSpec(value: unknown): value is SchedulerSpec {
  return typeof value === "object" && value !== null && "class" in value && "options" in value;
}

type Ctor = new (options: never) => unknown;

function ctor(name: string): Ctor {
  const c = (lrspec as unknown as Record<string, unknown>)[name];
  if (typeof c !== "function") throw new Error(`fixture names an unknown class: ${name}`);
  return c as Ctor;
}

function resolveOptions(
  spec: SchedulerSpec,
  versions: SuiteVersions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec.options)) {
    if (isSpec(v)) out[k] = buildParamScheduler(v, versions);
    else if (Array.isArray(v) && v.length > 0 && isSpec(v[0])) {
      out[k] = v.map((s) => buildParamScheduler(s, versions));
    } else out[k] = v;
  }
  if (PYTHON_CLASSES.has(spec.class)) out.python = versions.python;
  if (TORCH_CLASSES.has(spec.class)) out.torch = versions.torch;
  return out;
}

/** Builds an fvcore-style scheduler from a spec, for the suite's Python release. */
export function buildParamScheduler(
  spec: SchedulerSpec,
  versions: SuiteVersions = TODAY,
): ParamSchedulerLike {
  return new (ctor(spec.class))(resolveOptions(spec, versions) as never) as ParamSchedulerLike;
}

/** An optimizer with one group per base LR (and `initialLr`s when resuming). */
export function makeOptimizer(
  baseLrs: readonly number[],
  initialLrs?: readonly number[],
): Optimizer {
  return {
    paramGroups: baseLrs.map((lr, i) =>
      initialLrs === undefined ? { lr } : { lr, initialLr: initialLrs[i]! }
    ),
  };
}

/** Builds a torch-style scheduler from a spec, attached to `optimizer`. */
export function buildLrSchedulerFromSpec(
  spec: SchedulerSpec,
  optimizer: Optimizer,
  versions: SuiteVersions = TODAY,
): LRScheduler {
  return new (ctor(spec.class))(
    { optimizer, ...resolveOptions(spec, versions) } as never,
  ) as LRScheduler;
}
