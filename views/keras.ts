/**
 * The Keras family's view: a Keras schedule's `serialize()` JSON (`--keras FILE`, the page's Keras
 * form) — `{"class_name", "config"}` as inside a `.keras` file, or an optimizer config whose
 * `"learning_rate"` entry is one — as a {@linkcode ScheduleView}: Keras' float32 learning rate at
 * every optimizer step `0 … steps − 1` (the optimizer's `iterations`), on the chosen backend.
 *
 * @module
 */

import { formatLr } from "../curve/format.ts";
import { type CurveError, errorAt, valuesRuns } from "../curve/runs.ts";
import {
  type Backend,
  CosineDecay,
  CosineDecayRestarts,
  deserialize,
  ExponentialDecay,
  InverseTimeDecay,
  type LearningRateSchedule,
  PiecewiseConstantDecay,
  PolynomialDecay,
  SCHEDULE_CLASSES,
  serialize,
} from "../schedules/keras/mod.ts";
import { sameName, snakeCase } from "../schedules/names.ts";
import { optionError } from "../schedules/errors.ts";
import { readSettings } from "./settings.ts";
import {
  curveView,
  keyMessage,
  optionProblem,
  placed,
  type ScheduleView,
  type ViewMark,
} from "./view.ts";

/** Options of {@linkcode kerasView}. */
export interface KerasViewOptions {
  /** The file's name (messages). */
  path: string;
  /**
   * Optimizer steps to show; by default enough to see the whole schedule (the decay, the warmup,
   * three periods of restarts, the last boundary and a quarter more).
   * @default {undefined}
   */
  steps?: number;
  /**
   * The Keras backend whose float32 arithmetic to emulate.
   * @default {"jax"}
   */
  backend?: Backend;
  /**
   * The legend entry.
   * @default {the class name and the file}
   */
  label?: string;
}

/** The most rows a default curve has (a schedule over billions of steps is shown in part). */
const MAX_DEFAULT_STEPS = 10_000_000;

/** The most rows a curve asked for has: its values are held at once (8 bytes a row, 512 MiB). */
const MAX_STEPS = 2 ** 26;

/** The deepest a schedule is looked for in a file. */
const MAX_DEPTH = 8;

/** A schedule found in a file, and the path of its keys there (`learning_rate.`; a list's items share its path). */
interface Found {
  schedule: Record<string, unknown>;
  prefix: string;
}

/**
 * Finds the schedule in a parsed file: itself, or the first Keras schedule (by `class_name`) held
 * anywhere inside — an optimizer config's `learning_rate`, a `.keras` file's `config.json`
 * (`compile_config.optimizer.config.learning_rate`).
 */
function findSchedule(data: unknown, depth = 0, prefix = ""): Found | undefined {
  if (typeof data !== "object" || data === null || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(data)) {
    for (const item of data) {
      const found = findSchedule(item, depth + 1, prefix);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  const o = data as Record<string, unknown>;
  if (
    typeof o.class_name === "string" && Object.hasOwn(SCHEDULE_CLASSES, o.class_name) &&
    typeof o.config === "object"
  ) {
    return { schedule: o, prefix };
  }
  for (const [key, value] of Object.entries(o)) {
    const found = findSchedule(value, depth + 1, `${prefix}${key}.`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * An error of Keras about the schedule, placed from its data (owner, option; never its message):
 * `k.json:5: config.decay_steps: …`, the key as written in the file, with its line.
 */
function located(error: Error, text: string, path: string, found: Found): Error {
  const make = (message: string) =>
    error instanceof RangeError
      ? new RangeError(message, { cause: error })
      : new TypeError(message, { cause: error });
  const problem = optionProblem(error);
  if (problem === undefined) {
    return placed(make(`${path}: ${error.message}`), { file: path, key: `${found.prefix}config` });
  }
  const name = problem.option.replace(/\[\d+\]$/, "");
  const config = found.schedule.config as Record<string, unknown>;
  const written = Object.keys(config ?? {}).find((k) => sameName(k, name));
  const key = `${found.prefix}config.${written ?? snakeCase(name)}`;
  let line: number | undefined;
  let near: number | undefined; // the schedule's `config`, for a key not written (a default)
  try {
    // Only a mapping has keys to place; any other file keeps no line.
    const file = readSettings(path, text, "json", "Keras settings", MAX_DEPTH + 3);
    line = file.line(key);
    near = line ?? file.line(`${found.prefix}config`);
  } catch {
    line = undefined;
  }
  const message = `${path}${near === undefined ? "" : `:${near}`}: ` +
    keyMessage(error, problem, key);
  return placed(make(message), { file: path, ...(line !== undefined ? { line } : {}), key });
}

function defaultSteps(s: LearningRateSchedule): number {
  let n: number;
  if (s instanceof CosineDecay) {
    n = Math.ceil(s.decaySteps + (s.warmupTarget === null ? 0 : s.warmupSteps)) * 1.1;
  } else if (s instanceof PolynomialDecay) n = s.decaySteps * (s.cycle ? 3 : 1.1);
  else if (s instanceof ExponentialDecay || s instanceof InverseTimeDecay) n = s.decaySteps * 10;
  else if (s instanceof CosineDecayRestarts) {
    const t = s.tMul;
    n = s.firstDecaySteps * (t > 1 ? 1 + t + t * t : t === 1 ? 3 : 1 / (1 - t));
  } else if (s instanceof PiecewiseConstantDecay) {
    n = Math.max(10, (Math.max(0, ...s.boundaries) + 1) * 1.25);
  } else n = 1000;
  return Math.max(2, Math.min(MAX_DEFAULT_STEPS, Math.ceil(n)));
}

function marksOf(s: LearningRateSchedule, rows: number): { marks: ViewMark[]; warmupEnd: number } {
  const marks: ViewMark[] = [];
  let warmupEnd = 0;
  if (s instanceof CosineDecay && s.warmupTarget !== null && s.warmupSteps > 0) {
    warmupEnd = Math.ceil(s.warmupSteps);
    if (warmupEnd < rows) marks.push({ iteration: warmupEnd, what: "warmup" });
    else warmupEnd = 0;
  }
  if (s instanceof PiecewiseConstantDecay) {
    for (const b of s.boundaries) {
      const row = Math.trunc(b) + 1;
      if (row > 0 && row < rows) marks.push({ iteration: row, what: "step" });
    }
  }
  return { marks, warmupEnd };
}

function describe(s: LearningRateSchedule): string {
  const c = serialize(s).config;
  const args = Object.entries(c).filter(([k]) => k !== "name").map(([k, v]) =>
    `${k}=${JSON.stringify(v)}`
  );
  return `keras.optimizers.schedules.${serialize(s).class_name}(${args.join(", ")})`;
}

/**
 * Opens a Keras schedule JSON as a view.
 *
 * @param text The file's text.
 * @param options `{ path, steps?, backend?, label? }`.
 * @returns The view: one row per optimizer step, the float32 learning rate Keras computes.
 * @throws {SyntaxError} If the text is not JSON.
 * @throws {TypeError | RangeError} If it holds no Keras schedule, or the schedule is invalid
 * (Keras' errors), each carrying the file.
 */
export function kerasView(text: string, options: KerasViewOptions): ScheduleView {
  const { path } = options;
  const backend = options.backend ?? "jax";
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw placed(new SyntaxError(`${path}: not JSON: ${(error as Error).message}`), { file: path });
  }
  const found = findSchedule(data);
  if (found === undefined) {
    throw placed(
      new TypeError(
        `${path}: no Keras schedule: expected keras.optimizers.schedules.serialize()'s ` +
          `{"class_name": …, "config": {…}}, or an optimizer config with such a "learning_rate"`,
      ),
      { file: path },
    );
  }
  let schedule: LearningRateSchedule;
  try {
    schedule = deserialize(found.schedule, { backend });
  } catch (error) {
    throw located(error as Error, text, path, found);
  }
  const steps = options.steps;
  if (
    steps !== undefined && !(typeof steps === "number" && Number.isInteger(steps) && steps >= 1 &&
      steps <= MAX_STEPS)
  ) {
    // Checked here, for the CLI and the page alike: a Float64Array of -1 or 10¹² rows is an
    // engine error ("Invalid typed array length", "Array buffer allocation failed"), not an answer.
    throw optionError(
      RangeError,
      "kerasView",
      "steps",
      steps,
      `\`steps\` must be an integer from 1 to ${MAX_STEPS} (a curve's values are held at once): ` +
        `got ${String(steps)}`,
    );
  }
  const rows = steps ?? defaultSteps(schedule);
  const values = new Float64Array(rows);
  let error: CurveError | undefined;
  let filled = rows;
  for (let step = 0; step < rows; step++) {
    try {
      values[step] = schedule.call(step);
    } catch (e) {
      error = errorAt(step, e);
      filled = step;
      break;
    }
  }
  const className = serialize(schedule).class_name;
  const { marks, warmupEnd } = marksOf(schedule, filled);
  const notes = [
    `${path}: ${className} in float32 as Keras 3.15.1 computes it on the ${backend} backend ` +
    `(--backend numpy|jax|torch), at the optimizer's iterations 0 … ${rows - 1}`,
  ];
  const runs = valuesRuns(values.subarray(0, filled), {
    rows,
    ...(error === undefined ? {} : { error }),
  });
  return curveView(runs, {
    family: "keras",
    path,
    label: options.label ?? `${className} (${path})`,
    unit: "step",
    marks,
    warmupEnd,
    explain: () =>
      [
        describe(schedule),
        `float32 on Keras' ${backend} backend; ${rows} optimizer steps (iterations 0 … ${
          rows - 1
        }): ${formatLr(values[0]!)} at step 0, ${
          filled > 0 ? formatLr(values[filled - 1]!) : "-"
        } at step ${filled - 1}`,
      ].join("\n"),
    notes,
    identity: `keras:${backend}:${JSON.stringify(serialize(schedule))}:${rows}`,
  });
}
