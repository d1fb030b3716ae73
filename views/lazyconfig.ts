/**
 * The detectron2 LazyConfig view: a loaded `.py` config (`LazyConfig.load`'s dict, as
 * `config/pyodide/load.ts` returns it) as a {@linkcode ScheduleView} — the learning rate
 * detectron2's `tools/lazyconfig_train_net.py` trains iteration `i` with,
 * `optimizer.lr · lr_multiplier(i / train.max_iter)` (the `LRScheduler` hook's `LRMultiplier`),
 * for iterations `0 … train.max_iter`.
 *
 * @module
 */

import { type LazyConfigSchedule, lazyConfigSchedule } from "../config/lazyconfig.ts";
import { formatLr } from "../curve/format.ts";
import { paramSchedulerRuns } from "../curve/runs.ts";
import type { PythonVersion } from "../schedules/fvcore/param_scheduler.ts";
import { optionProblem, placed, sameKind, type ScheduleView, type ViewMark } from "./view.ts";

/** Options of {@linkcode lazyConfigView}. */
export interface LazyConfigViewOptions {
  /** The config file, for labels and messages. */
  path: string;
  /**
   * The legend entry instead of the file name.
   * @default {undefined}
   */
  label?: string;
  /**
   * Rows past `train.max_iter` (1: one step past training).
   * @default {0}
   */
  pastEnd?: number;
  /**
   * The Python whose `sum()` fvcore's `CompositeParamScheduler` uses.
   * @default {"3.12"}
   */
  python?: PythonVersion;
  /**
   * The overrides applied (`train.max_iter=1000`), for the explanation.
   * @default {[]}
   */
  overrides?: readonly string[];
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A `_target_` node as Python-like call text: `MultiStepParamScheduler(values=[1, 0.1], …)`. */
function callText(node: unknown): string {
  if (Array.isArray(node)) return `[${node.map(callText).join(", ")}]`;
  if (isRecord(node)) {
    if (typeof node.$python === "string") return node.$python;
    const args = Object.entries(node).filter(([k]) => k !== "_target_").map(([k, v]) =>
      `${k}=${callText(v)}`
    );
    if (typeof node._target_ === "string") {
      return `${node._target_.replace(/^.*\./, "")}(${args.join(", ")})`;
    }
    return `{${args.join(", ")}}`;
  }
  return typeof node === "number" ? formatLr(node) : JSON.stringify(node);
}

/** Where `where`-fractions of a scheduler land for this run, as the explanation's traps. */
function traps(config: Record<string, unknown>, s: LazyConfigSchedule): string[] {
  const out: string[] = [];
  const lm = config.lr_multiplier as Record<string, unknown>;
  const inner = isRecord(lm.scheduler) ? lm.scheduler : lm;
  const milestones = inner.milestones;
  if (Array.isArray(milestones) && milestones.every((m) => typeof m === "number")) {
    const values = inner.values as unknown[] | undefined;
    const n = typeof inner.num_updates === "number"
      ? inner.num_updates
      : Array.isArray(values) && values.length === milestones.length
      ? milestones[milestones.length - 1]
      : undefined;
    if (typeof n === "number" && n !== s.maxIter) {
      const at = milestones.filter((m) => m < n).map((m) => Math.round(m / n * s.maxIter));
      out.push(
        `The milestones count in steps of ${n} (num_updates${
          typeof inner.num_updates === "number" ? "" : ", here the last milestone"
        }), not of train.max_iter ${s.maxIter}: fvcore takes where = i / ${s.maxIter}, so they ` +
          `fall near iterations ${at.join(", ")}.`,
      );
    }
  }
  if (typeof lm.warmup_length === "number") {
    out.push(
      `warmup_length ${formatLr(lm.warmup_length)} is a fraction of training: ` +
        `${formatLr(lm.warmup_length * s.maxIter)} iterations at train.max_iter ${s.maxIter}` +
        " (it scales when max_iter changes).",
    );
  }
  if (s.lrFactorFunc !== undefined) {
    out.push(
      `optimizer.params.lr_factor_func is ${s.lrFactorFunc}: parameter groups train at ` +
        "lr · factor(name), which depends on the model's parameter names; the curve is the base rate.",
    );
  }
  return out;
}

/**
 * A loaded detectron2 LazyConfig as a view.
 *
 * @param config The config (`LazyConfig.load` + `apply_overrides`, as JSON-like data).
 * @param options The path, label, rows past the end, Python release, the overrides applied.
 * @returns The view: one column `lr`, rows `0 … train.max_iter` (+ `pastEnd`).
 * @throws {TypeError | RangeError} If `lr_multiplier`, `train.max_iter` or `optimizer.lr` is
 * missing or invalid; the message names the key, and `placeOf` gives file and key.
 *
 * @example
 * ```ts
 * import { lazyConfigView } from "./lazyconfig.ts";
 * import assert from "node:assert/strict";
 *
 * const view = lazyConfigView({
 *   lr_multiplier: {
 *     _target_: "fvcore.common.param_scheduler.MultiStepParamScheduler",
 *     values: [1, 0.1],
 *     milestones: [60],
 *     num_updates: 90,
 *   },
 *   train: { max_iter: 90 },
 *   optimizer: { _target_: "torch.optim.SGD", lr: 0.02 },
 * }, { path: "x.py" });
 * assert.deepEqual(view.marks, [{ iteration: 60, what: "×0.1" }]);
 * ```
 */
export function lazyConfigView(
  config: Record<string, unknown>,
  options: LazyConfigViewOptions,
): ScheduleView {
  const { path } = options;
  let s: LazyConfigSchedule;
  try {
    s = lazyConfigSchedule(config, options.python === undefined ? {} : { python: options.python });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const key = optionProblem(error)?.option; // the config key, as data
    throw placed(sameKind(error, `${path}: ${error.message}`), {
      file: path,
      ...(key ? { key } : {}),
    });
  }
  const rows = s.maxIter + 1 + (options.pastEnd ?? 0);
  const curve = paramSchedulerRuns(s.multiplier, {
    numUpdates: s.maxIter,
    rows,
    scale: s.lr,
    column: "lr",
  });
  // Marks from the runs: the end of a computed stretch at 0 is the warmup; a change between
  // constant stretches is a step.
  const marks: ViewMark[] = [];
  let warmupEnd = 0;
  let previous: number | undefined;
  const limit = curve.error ? curve.error.iteration : rows;
  for (const run of curve.runs(0, Math.min(limit, s.maxIter + 1))) {
    if (run.start === 0 && !run.constant && s.target.endsWith("WarmupParamScheduler")) {
      warmupEnd = run.end;
      marks.push({ iteration: run.end, what: "warmup" });
    } else if (run.constant && previous !== undefined && run.values[0] !== previous) {
      marks.push({ iteration: run.start, what: `×${formatLr(run.values[0]! / previous)}` });
    }
    previous = run.constant ? run.values[0] : undefined;
  }
  const notes: string[] = [];
  if (curve.error && curve.error.iteration < rows) {
    notes.push(
      `the scheduler raises at iteration ${curve.error.iteration}, as fvcore's does: ` +
        curve.error.message,
    );
  }
  const name = options.label ?? path.replace(/^.*[\\/]/, "").replace(/\.py$/, "");
  const explain = () =>
    [
      `${name}: detectron2 LazyConfig, ${s.maxIter} iterations (train.max_iter), ` +
      `lr ${formatLr(s.lr)} (optimizer.lr${s.optimizer ? `, ${s.optimizer}` : ""}) × lr_multiplier`,
      `lr_multiplier = ${callText(config.lr_multiplier)}`,
      `Iteration i trains with optimizer.lr · lr_multiplier(i / train.max_iter): detectron2's ` +
      "LRScheduler hook wraps the multiplier in LRMultiplier(optimizer, multiplier, max_iter).",
      ...(options.overrides && options.overrides.length > 0
        ? [`Overrides (LazyConfig.apply_overrides): ${options.overrides.join(" ")}`]
        : []),
      ...traps(config, s),
    ].join("\n");
  return {
    ...curve,
    family: "detectron2",
    path,
    label: name,
    imagesPerIteration: undefined,
    unit: "iteration",
    indexColumn: "iter",
    firstIndex: 0,
    marks,
    warmupEnd,
    identity: JSON.stringify(["detectron2-lazyconfig", rows, s.lr, config.lr_multiplier]),
    get summary() {
      return explain().split("\n")[0]!;
    },
    explain,
    notes,
  };
}
