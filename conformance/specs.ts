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

function resolveOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (isSpec(v)) out[k] = buildParamScheduler(v);
    else if (Array.isArray(v) && v.length > 0 && isSpec(v[0])) {
      out[k] = v.map((s) => buildParamScheduler(s));
    } else out[k] = v;
  }
  return out;
}

/** Builds an fvcore-style scheduler from a spec. */
export function buildParamScheduler(spec: SchedulerSpec): ParamSchedulerLike {
  return new (ctor(spec.class))(resolveOptions(spec.options) as never) as ParamSchedulerLike;
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
export function buildLrSchedulerFromSpec(spec: SchedulerSpec, optimizer: Optimizer): LRScheduler {
  return new (ctor(spec.class))(
    { optimizer, ...resolveOptions(spec.options) } as never,
  ) as LRScheduler;
}
