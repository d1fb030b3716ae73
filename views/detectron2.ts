/**
 * The detectron2 family's view: a config (loaded from YAML with its `_BASE_` files, or
 * `get_cfg()` with overrides) as a {@linkcode ScheduleView} — the curve of `build_lr_scheduler`
 * stepped as detectron2's trainer steps it, one column per distinct parameter-group rate, with
 * the warmup end and steps marked and the schedule in words.
 *
 * @module
 */

import { autoScaleWorkers } from "../schedules/detectron2/config.ts";
import type { Detectron2Config } from "../schedules/detectron2/defaults.ts";
import type { BuildLrSchedulerOptions } from "../schedules/detectron2/build.ts";
import { lrCurveRuns, paramGroupLrs } from "../schedules/detectron2/curve.ts";
import { explainSchedule, scheduleEvents } from "../schedules/detectron2/explain.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import type { CfgNode } from "../config/cfg_node.ts";
import { formatLr } from "../curve/format.ts";
import {
  keyMessage,
  type OptionProblem,
  optionProblem,
  placed,
  placeOf,
  sameKind,
  type ScheduleView,
  type ViewMark,
} from "./view.ts";

/** The solver keys the curve depends on (its identity). */
const SCHEDULE_KEYS = [
  "LR_SCHEDULER_NAME",
  "MAX_ITER",
  "BASE_LR",
  "BASE_LR_END",
  "BIAS_LR_FACTOR",
  "GAMMA",
  "STEPS",
  "NUM_DECAYS",
  "WARMUP_FACTOR",
  "WARMUP_ITERS",
  "WARMUP_METHOD",
  "RESCALE_INTERVAL",
  "POLY_LR_POWER",
  "POLY_LR_CONSTANT_ENDING",
] as const;

/**
 * The config key each option of the schedulers `build_lr_scheduler` makes comes from (detectron2
 * `solver/build.py`): `Owner.option` → `SOLVER.KEY`. Options named `cfg.SOLVER.KEY` are their
 * key; the optimizer's learning rates are `BASE_LR`.
 */
const KEYS: Readonly<Record<string, string>> = {
  "MultiStepParamScheduler.milestones": "SOLVER.STEPS",
  "MultiStepParamScheduler.values": "SOLVER.GAMMA",
  "MultiStepParamScheduler.numUpdates": "SOLVER.MAX_ITER",
  "CosineParamScheduler.endValue": "SOLVER.BASE_LR_END",
  "StepWithFixedGammaParamScheduler.gamma": "SOLVER.GAMMA",
  "StepWithFixedGammaParamScheduler.numDecays": "SOLVER.NUM_DECAYS",
  "StepWithFixedGammaParamScheduler.numUpdates": "SOLVER.MAX_ITER",
  "WarmupParamScheduler.warmupFactor": "SOLVER.WARMUP_FACTOR",
  "WarmupParamScheduler.warmupLength": "SOLVER.WARMUP_ITERS",
  "WarmupParamScheduler.warmupMethod": "SOLVER.WARMUP_METHOD",
  "WarmupParamScheduler.rescaleInterval": "SOLVER.RESCALE_INTERVAL",
  "LRMultiplier.maxIter": "SOLVER.MAX_ITER",
  "WarmupPolyLR.maxIters": "SOLVER.MAX_ITER",
  "WarmupPolyLR.warmupFactor": "SOLVER.WARMUP_FACTOR",
  "WarmupPolyLR.warmupIters": "SOLVER.WARMUP_ITERS",
  "WarmupPolyLR.warmupMethod": "SOLVER.WARMUP_METHOD",
  "WarmupPolyLR.power": "SOLVER.POLY_LR_POWER",
  "WarmupPolyLR.constantEnding": "SOLVER.POLY_LR_CONSTANT_ENDING",
};

/** The config key an error of the library is about, from its data. */
function keyOf(problem: OptionProblem): string | undefined {
  const option = problem.option;
  if (option.startsWith("cfg.SOLVER.")) return option.slice("cfg.".length);
  if (/^optimizer\.paramGroups\[\d+\]\.(?:lr|initialLr)$/.test(option)) return "SOLVER.BASE_LR";
  return KEYS[`${problem.owner}.${option}`];
}

/**
 * The error, located: `file:line: SOLVER.KEY must be …` (the file and line of the key's value,
 * or the config's path when it is a default or an override), with the place as data.
 */
function located(
  error: unknown,
  path: string,
  node: CfgNode | undefined,
  unplaced: string | null,
): unknown {
  if (!(error instanceof Error) || placeOf(error) !== undefined) return error;
  const problem = optionProblem(error);
  const key = problem && keyOf(problem);
  if (problem === undefined || key === undefined) {
    return placed(sameKind(error, `${path}: ${error.message}`), { file: path });
  }
  const source = node?.get(key)?.source;
  const where = source
    ? `${source.file}:${source.line}: `
    : unplaced === null
    ? ""
    : `${unplaced}: `;
  const place = source ? { file: source.file, line: source.line, key } : { file: path, key };
  return placed(sameKind(error, `${where}${keyMessage(error, problem, key)}`), place);
}

function validateBaseLr(cfg: Detectron2Config): void {
  // torch's optimizers raise "Invalid learning rate" for a negative one; the scheduler would
  // reject a NaN or infinite one later, with the optimizer's words.
  const lr = cfg.SOLVER.BASE_LR;
  const problem = { owner: "SGD", option: "cfg.SOLVER.BASE_LR", value: lr };
  if (typeof lr === "number" && !Number.isFinite(lr)) {
    throw new RangeError(`SGD: \`cfg.SOLVER.BASE_LR\` must be finite: got ${pyFloatRepr(lr)}`, {
      cause: problem,
    });
  }
  if (typeof lr === "number" && lr < 0) {
    throw new RangeError(
      `SGD: \`cfg.SOLVER.BASE_LR\` must be >= 0: got ${pyFloatRepr(lr)} ` +
        `(torch's optimizers raise "Invalid learning rate")`,
      { cause: problem },
    );
  }
  // The biases' group: BASE_LR × BIAS_LR_FACTOR (get_default_optimizer_params). torch's SGD
  // checks only its default lr (BASE_LR); lrspec refuses a negative or non-finite group rate
  // anyway, and says which key makes it (it was blamed on BASE_LR, whose own value is fine).
  const factor = cfg.SOLVER.BIAS_LR_FACTOR as unknown;
  const bias = typeof lr === "number" && typeof factor === "number" ? lr * factor : undefined;
  if (bias !== undefined && !(bias >= 0 && Number.isFinite(bias))) {
    throw new RangeError(
      `paramGroupLrs: \`cfg.SOLVER.BIAS_LR_FACTOR\` ${pyFloatRepr(factor as number)} makes ` +
        `the biases' learning rate BASE_LR × BIAS_LR_FACTOR = ${pyFloatRepr(bias)}, which ` +
        "lrspec refuses (torch's SGD checks only BASE_LR; the biases would train with it)",
      { cause: { owner: "paramGroupLrs", option: "cfg.SOLVER.BIAS_LR_FACTOR", value: factor } },
    );
  }
}

/** A detectron2 config as a view, with the config it was made from. */
export interface Detectron2View extends ScheduleView {
  /** The merged (and rescaled) config. */
  readonly cfg: Detectron2Config;
}

/** Options of {@linkcode detectron2View}. */
export interface Detectron2ViewOptions {
  /** Where the config came from (messages). */
  path: string;
  /**
   * The legend entry.
   * @default {the file's name without its folder and extension}
   */
  label?: string;
  /**
   * `auto_scale_workers` to this many workers (`--num-workers`).
   * @default {undefined}
   */
  numWorkers?: number;
  /**
   * Whether the label names the worker count (several curves of one config).
   * @default {false}
   */
  labelWorkers?: boolean;
  /**
   * Rows past `MAX_ITER`.
   * @default {0}
   */
  pastEnd?: number;
  /**
   * The typed config, to locate errors at their key's file and line.
   * @default {undefined}
   */
  node?: CfgNode;
  /**
   * Where an error's key is said to come from when it has no file line (a default, or a
   * command-line override); `null`: not said (the page shows the error beside the key's field).
   * @default {`${path} (a default, or --opts)`}
   */
  unplaced?: string | null;
  /**
   * The torch and Python releases the scheduler follows.
   * @default {{ python: "3.12", torch: "2.13" }}
   */
  releases?: Pick<BuildLrSchedulerOptions, "python" | "torch">;
}

/**
 * A detectron2 config as a {@linkcode ScheduleView}: rescaled (`numWorkers`), its scheduler
 * built — every check, once — and its curve as runs.
 *
 * @param cfg The config (`getCfg()` merged, or `loadConfig(…).cfg`).
 * @param options Its path and label, rows past the end, where its keys were written.
 * @returns The view.
 * @throws {TypeError | RangeError} If its scheduler cannot be built: the message names the file,
 * the line and the key, and {@linkcode placeOf} gives them as data.
 */
export function detectron2View(
  cfg: Detectron2Config,
  options: Detectron2ViewOptions,
): Detectron2View {
  const { path } = options;
  const unplaced = options.unplaced === undefined
    ? `${path} (a default, or --opts)`
    : options.unplaced;
  const notes: string[] = [];
  const workers = options.numWorkers;
  if (workers !== undefined) {
    if (cfg.SOLVER.REFERENCE_WORLD_SIZE === 0) {
      notes.push(
        `${path}: SOLVER.REFERENCE_WORLD_SIZE is 0, so --num-workers changes nothing ` +
          `(set it with --opts SOLVER.REFERENCE_WORLD_SIZE 8)`,
      );
    }
    try {
      cfg = autoScaleWorkers(cfg, workers);
    } catch (error) {
      throw located(error, path, options.node, unplaced);
    }
  }
  const s = cfg.SOLVER;
  const name = options.label ?? path.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/, "");
  const label = options.labelWorkers && workers !== undefined
    ? `${name} on ${workers} workers (batch ${s.IMS_PER_BATCH}, BASE_LR ${formatLr(s.BASE_LR)})`
    : name;
  let curve;
  let events;
  try {
    validateBaseLr(cfg);
    curve = lrCurveRuns(cfg, {
      rows: s.MAX_ITER + 1 + (options.pastEnd ?? 0),
      ...(options.releases ? { releases: options.releases } : {}),
    });
    events = scheduleEvents(cfg);
  } catch (error) {
    throw located(error, path, options.node, unplaced);
  }
  const marks: ViewMark[] = [];
  if (events.warmupEnd > 0) marks.push({ iteration: events.warmupEnd, what: "warmup" });
  const gamma = `×${formatLr(s.GAMMA)}`;
  for (const step of events.steps) marks.push({ iteration: step, what: gamma });
  notes.push(...[...new Set(curve.warnings)].map((w) => `detectron2 warns: ${w}`));
  if (curve.error && curve.error.iteration < curve.rows) {
    notes.push(
      `the scheduler raises at iteration ${curve.error.iteration}, as detectron2's does: ` +
        curve.error.message,
    );
  }
  const identity = JSON.stringify([
    "detectron2",
    curve.rows,
    paramGroupLrs(cfg),
    SCHEDULE_KEYS.map((k) => s[k as keyof typeof s]),
  ]);
  let explained: string | undefined;
  const explain = () => (explained ??= explainSchedule(cfg, { events }));
  return {
    ...curve,
    runs: curve.runs,
    cfg,
    family: "detectron2",
    path,
    label,
    imagesPerIteration: s.IMS_PER_BATCH,
    unit: "iteration",
    indexColumn: "iter",
    firstIndex: 0,
    marks,
    warmupEnd: events.warmupEnd,
    identity,
    get summary() {
      return explain().split("\n")[0]!;
    },
    explain,
    notes,
  };
}
