/**
 * The detectron2 family of schedule sources: a YAML config (with its `_BASE_` files, `--opts`,
 * `--num-workers`, `--project`) as a {@linkcode ScheduleSource}.
 *
 * @module
 */

import { autoScaleWorkers } from "../schedules/detectron2/config.ts";
import type { Detectron2Config } from "../schedules/detectron2/defaults.ts";
import type { CfgNode } from "../config/cfg_node.ts";
import { pyFloatRepr } from "../config/python.ts";
import { paramGroupLrs } from "../curve/curve.ts";
import type { BuildLrSchedulerOptions } from "../schedules/detectron2/build.ts";
import { lrCurveRuns } from "../curve/runs.ts";
import { explainSchedule, formatLr, scheduleEvents } from "../curve/explain.ts";
import { loadConfigFile } from "./files.ts";
import type { ScheduleSource, SourceMark } from "./source.ts";

/** How to open a detectron2 config. */
export interface Detectron2SourceOptions {
  /** `auto`, `detectron2` or `deeplab`. */
  project: "auto" | "detectron2" | "deeplab";
  /** detectron2's `--opts KEY VALUE …`. */
  opts: readonly string[];
  /** yacs' `new_allowed`. */
  allowNewKeys: boolean;
  /** `auto_scale_workers` to this many workers. */
  numWorkers: number | undefined;
  /** Rows past `MAX_ITER` (1: one step past training). */
  pastEnd: number;
  /** Whether the label names the worker count (several curves of one config). */
  labelWorkers: boolean;
  /** The legend entry instead of the file name. */
  label: string | undefined;
  /** Where notes go (`lrspec: note: …`), as they happen. */
  note: (text: string) => void;
  /** Show detectron2's "no VERSION" notes. */
  verbose: boolean;
  /** The torch and Python releases the scheduler follows (`--torch`, `--python`). */
  releases?: Pick<BuildLrSchedulerOptions, "python" | "torch">;
}

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

/** Which config key an error from building the scheduler is about. */
function keyOf(message: string): string | undefined {
  const m = /`cfg\.(SOLVER\.[A-Z_]+)`/.exec(message);
  if (m) return m[1];
  if (/`optimizer\.paramGroups\[\d+\]\.lr`|BASE_LR_END \/ BASE_LR|paramGroupLrs/.test(message)) {
    return /BASE_LR_END/.test(message) ? "SOLVER.BASE_LR_END" : "SOLVER.BASE_LR";
  }
  if (/Unknown LR scheduler/.test(message)) return "SOLVER.LR_SCHEDULER_NAME";
  if (/WarmupPolyLR: `(\w+)`/.test(message)) {
    const option = /WarmupPolyLR: `(\w+)`/.exec(message)![1]!;
    return {
      maxIters: "SOLVER.MAX_ITER",
      warmupFactor: "SOLVER.WARMUP_FACTOR",
      warmupIters: "SOLVER.WARMUP_ITERS",
      warmupMethod: "SOLVER.WARMUP_METHOD",
      power: "SOLVER.POLY_LR_POWER",
      constantEnding: "SOLVER.POLY_LR_CONSTANT_ENDING",
    }[option];
  }
  return undefined;
}

/**
 * The error, located: `file:line: SOLVER.KEY must be …` (the file and line of the key's value,
 * or the config's path when it is a default or came from `--opts`).
 */
function located(error: unknown, path: string, node: CfgNode | undefined): unknown {
  if (!(error instanceof Error)) return error;
  const make = (message: string) => new (error.constructor as ErrorConstructor)(message);
  const key = keyOf(error.message);
  if (key === undefined) return make(`${path}: ${error.message}`);
  const source = node?.get(key)?.source;
  const where = source ? `${source.file}:${source.line}` : `${path} (a default, or --opts)`;
  const own = /^(?:\w+: )?`cfg\.(SOLVER\.[A-Z_]+)` (.*)$/s.exec(error.message);
  if (own && own[1] === key) return make(`${where}: ${key} ${own[2]}`);
  return make(`${where}: ${key}: ${error.message}`);
}

function validateBaseLr(cfg: Detectron2Config): void {
  // torch's optimizers raise "Invalid learning rate" for a negative one; the scheduler would
  // reject a NaN or infinite one later, with the optimizer's words.
  const lr = cfg.SOLVER.BASE_LR;
  if (typeof lr === "number" && !Number.isFinite(lr)) {
    throw new RangeError(`\`cfg.SOLVER.BASE_LR\` must be finite: got ${pyFloatRepr(lr)}`);
  }
  if (typeof lr === "number" && lr < 0) {
    throw new RangeError(
      `\`cfg.SOLVER.BASE_LR\` must be >= 0: got ${pyFloatRepr(lr)} ` +
        `(torch's optimizers raise "Invalid learning rate")`,
    );
  }
}

/** A detectron2 config as a schedule source, with the config it was made from. */
export interface Detectron2Source extends ScheduleSource {
  /** The merged (and rescaled) config. */
  readonly cfg: Detectron2Config;
}

/**
 * Opens a detectron2 YAML config as a {@linkcode ScheduleSource}: loads it as detectron2 does,
 * rescales it (`--num-workers`), and builds its scheduler — every check of every command, once.
 *
 * @param path The config file.
 * @param options How to load it.
 * @returns The source.
 * @throws {SyntaxError | TypeError | RangeError} With the file, the key and the line.
 */
export function openDetectron2Source(
  path: string,
  options: Detectron2SourceOptions,
): Detectron2Source {
  const loaded = loadConfigFile(path, {
    project: options.project,
    opts: options.opts,
    allowNewKeys: options.allowNewKeys,
    onWarning: (w) => {
      // detectron2's "no VERSION" notes are noise for most model-zoo files; shown on request.
      if (options.verbose || !/has no VERSION/.test(w)) options.note(w);
    },
  });
  let cfg = loaded.cfg;
  const workers = options.numWorkers;
  if (workers !== undefined) {
    if (cfg.SOLVER.REFERENCE_WORLD_SIZE === 0) {
      options.note(
        `${path}: SOLVER.REFERENCE_WORLD_SIZE is 0, so --num-workers changes nothing ` +
          `(set it with --opts SOLVER.REFERENCE_WORLD_SIZE 8)`,
      );
    }
    cfg = autoScaleWorkers(cfg, workers);
  }
  const name = options.label ?? path.replace(/^.*[\\/]/, "").replace(/\.ya?ml$/, "");
  const s = cfg.SOLVER;
  const label = options.labelWorkers && workers !== undefined
    ? `${name} on ${workers} workers (batch ${s.IMS_PER_BATCH}, BASE_LR ${formatLr(s.BASE_LR)})`
    : name;
  return detectron2ConfigSource(cfg, {
    path,
    label,
    pastEnd: options.pastEnd,
    node: loaded.node,
    ...(options.releases ? { releases: options.releases } : {}),
  });
}

/** Options of {@linkcode detectron2ConfigSource}. */
export interface Detectron2ConfigSourceOptions {
  /** Where the config came from (messages). */
  path: string;
  /** The legend entry. */
  label: string;
  /**
   * Rows past `MAX_ITER`.
   * @default {0}
   */
  pastEnd?: number;
  /** The typed config, to locate errors at their key's file and line. */
  node?: CfgNode;
  /**
   * The torch and Python releases the scheduler follows.
   * @default {{ python: "3.12", torch: "2.13" }}
   */
  releases?: Pick<BuildLrSchedulerOptions, "python" | "torch">;
}

/**
 * A detectron2 config already in memory as a {@linkcode ScheduleSource}.
 *
 * @param cfg The config.
 * @param options Its path and label.
 * @returns The source.
 * @throws {TypeError | RangeError} If its scheduler cannot be built (located when `node` is
 * given).
 */
export function detectron2ConfigSource(
  cfg: Detectron2Config,
  options: Detectron2ConfigSourceOptions,
): Detectron2Source {
  const { path, label } = options;
  const s = cfg.SOLVER;
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
    throw located(error, path, options.node);
  }
  const marks: SourceMark[] = [];
  if (events.warmupEnd > 0) marks.push({ iteration: events.warmupEnd, what: "warmup" });
  for (const step of events.steps) marks.push({ iteration: step, what: `×${formatLr(s.GAMMA)}` });
  const notes = [...new Set(curve.warnings)].map((w) => `detectron2 warns: ${w}`);
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
  const explain = () => (explained ??= explainSchedule(cfg));
  return {
    ...curve,
    runs: curve.runs,
    cfg,
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
