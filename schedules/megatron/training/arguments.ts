/**
 * The learning-rate, weight-decay and batch arguments of Megatron-LM's `megatron/training/
 * arguments.py` (Megatron-LM d98e8a6) with their argparse defaults, and
 * {@linkcode parseMegatronArgs}: an argument line as a launch script writes it
 * (`--lr 3e-4 --min-lr 3e-5 --lr-decay-style WSD …`) to {@linkcode MegatronArgs}, checked as
 * Megatron's `validate_args` checks them.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { editDistance } from "../../edit_distance.ts";
import { show } from "../../_internal/validate.ts";
import { shellWords } from "./shell.ts";
import {
  LR_DECAY_STYLES,
  LR_WSD_DECAY_STYLES,
  type LrDecayStyle,
  type LrWsdDecayStyle,
  WD_INCR_STYLES,
  type WdIncrStyle,
} from "../core/optimizer_param_scheduler.ts";

/**
 * Megatron's arguments that decide the learning-rate and weight-decay schedule, by argparse
 * `dest` in camelCase (`--lr-warmup-iters` → `lrWarmupIters`), after `validate_args`:
 * `globalBatchSize` filled in, `startWeightDecay`/`endWeightDecay` set from `weightDecay` for the
 * constant style, `trainIters` computed for sample-based training.
 */
export interface MegatronArgs {
  /** `--lr`: the peak rate (required). */
  lr: number;
  /** `--min-lr` (default 0.0). */
  minLr: number;
  /** `--decoupled-lr`: the embedding and output layer's peak rate (default None). */
  decoupledLr: number | null;
  /** `--decoupled-min-lr` (default None: `--min-lr`). */
  decoupledMinLr: number | null;
  /** `--lr-decay-style` (default `linear`). */
  lrDecayStyle: LrDecayStyle;
  /** `--lr-wsd-decay-style` (default `exponential`). */
  lrWsdDecayStyle: LrWsdDecayStyle;
  /** `--lr-decay-iters` (default None: `--train-iters`). */
  lrDecayIters: number | null;
  /** `--lr-decay-samples` (default None: `--train-samples`). */
  lrDecaySamples: number | null;
  /** `--lr-wsd-decay-iters` (default None). */
  lrWsdDecayIters: number | null;
  /** `--lr-wsd-decay-samples` (default None). */
  lrWsdDecaySamples: number | null;
  /** `--lr-warmup-fraction` (default None): of the decay steps. */
  lrWarmupFraction: number | null;
  /** `--lr-warmup-iters` (default 0). */
  lrWarmupIters: number;
  /** `--lr-warmup-samples` (default 0). */
  lrWarmupSamples: number;
  /** `--lr-warmup-init` (default 0.0). */
  lrWarmupInit: number;
  /** `--override-opt-param-scheduler` (default false). */
  overrideOptParamScheduler: boolean;
  /** `--use-checkpoint-opt-param-scheduler` (default false). */
  useCheckpointOptParamScheduler: boolean;
  /** `--weight-decay` (default 0.01). */
  weightDecay: number;
  /** `--start-weight-decay` (default None: `--weight-decay` with the constant style). */
  startWeightDecay: number;
  /** `--end-weight-decay` (default None: `--weight-decay` with the constant style). */
  endWeightDecay: number;
  /** `--weight-decay-incr-style` (default `constant`). */
  weightDecayIncrStyle: WdIncrStyle;
  /** `--micro-batch-size` (required). */
  microBatchSize: number;
  /** `--global-batch-size` (default None: micro batch × data-parallel size). */
  globalBatchSize: number;
  /** `--train-iters` (or computed from `--train-samples`: `trainSamples // globalBatchSize`). */
  trainIters: number;
  /** `--train-samples` (default None). */
  trainSamples: number | null;
  /** `--iterations-to-skip` (default []): iterations Megatron skips entirely. */
  iterationsToSkip: number[];
  /** `--tensor-model-parallel-size` (default 1). */
  tensorModelParallelSize: number;
  /** `--pipeline-model-parallel-size` (default 1). */
  pipelineModelParallelSize: number;
  /** `--context-parallel-size` (default 1). */
  contextParallelSize: number;
  /** The data-parallel size: world size / (tensor × pipeline × context parallel sizes). */
  dataParallelSize: number;
}

/** What {@linkcode parseMegatronArgs} returns. */
export interface ParsedMegatronArgs {
  /** The schedule's arguments, validated and completed as Megatron does. */
  args: MegatronArgs;
  /**
   * The options of the line that do not affect the schedule (`--num-layers`, `--bf16`, …),
   * skipped with their values.
   */
  ignored: string[];
  /** The arguments given on the line (`dest` names in camelCase), as opposed to defaults. */
  given: string[];
  /**
   * Each given argument (`dest` name) as the line wrote it: the option's spelling
   * (`--override-opt_param-scheduler` or `--override-opt-param-scheduler`) and where the word
   * starts in the text (null when words were given); the last occurrence, as argparse keeps
   * the last value.
   */
  written: Record<string, WrittenOption>;
}

/** An option as an argument line wrote it ({@linkcode ParsedMegatronArgs.written}). */
export interface WrittenOption {
  /** The option as written (`--lr-warmup-iters`). */
  flag: string;
  /** Its offset in the text, or null when the line was given as words. */
  offset: number | null;
}

/** Options of {@linkcode parseMegatronArgs}. */
export interface ParseMegatronArgsOptions {
  /**
   * The number of processes (`torchrun --nnodes N --nproc-per-node G` → N·G), for the
   * data-parallel size. Megatron reads it from the launcher, not from the argument line.
   * @default {1}
   */
  worldSize?: number;
}

type Kind = "float" | "int" | "bool" | "choice" | "ints" | "str" | "deprecated";

interface Spec {
  dest: string;
  kind: Kind;
  default: unknown;
  choices?: readonly string[];
  nargs?: number | "+";
}

const SPECS: Record<string, Spec> = {};
function add(names: string[], spec: Spec): void {
  for (const name of names) SPECS[name] = spec;
}
add(["--lr"], { dest: "lr", kind: "float", default: null });
add(["--min-lr"], { dest: "minLr", kind: "float", default: 0.0 });
add(["--decoupled-lr"], { dest: "decoupledLr", kind: "float", default: null });
add(["--decoupled-min-lr"], { dest: "decoupledMinLr", kind: "float", default: null });
add(["--lr-decay-style"], {
  dest: "lrDecayStyle",
  kind: "choice",
  default: "linear",
  choices: LR_DECAY_STYLES,
});
add(["--lr-wsd-decay-style"], {
  dest: "lrWsdDecayStyle",
  kind: "choice",
  default: "exponential",
  choices: LR_WSD_DECAY_STYLES,
});
for (const name of ["lr-decay-iters", "lr-decay-samples", "lr-wsd-decay-iters"]) {
  add([`--${name}`], { dest: camel(name), kind: "int", default: null });
}
add(["--lr-wsd-decay-samples"], { dest: "lrWsdDecaySamples", kind: "int", default: null });
add(["--lr-warmup-fraction"], { dest: "lrWarmupFraction", kind: "float", default: null });
add(["--lr-warmup-iters"], { dest: "lrWarmupIters", kind: "int", default: 0 });
add(["--lr-warmup-samples"], { dest: "lrWarmupSamples", kind: "int", default: 0 });
add(["--lr-warmup-init"], { dest: "lrWarmupInit", kind: "float", default: 0.0 });
add(["--override-opt_param-scheduler", "--override-opt-param-scheduler"], {
  dest: "overrideOptParamScheduler",
  kind: "bool",
  default: false,
});
add(["--use-checkpoint-opt_param-scheduler", "--use-checkpoint-opt-param-scheduler"], {
  dest: "useCheckpointOptParamScheduler",
  kind: "bool",
  default: false,
});
add(["--weight-decay"], { dest: "weightDecay", kind: "float", default: 0.01 });
add(["--start-weight-decay"], { dest: "startWeightDecay", kind: "float", default: null });
add(["--end-weight-decay"], { dest: "endWeightDecay", kind: "float", default: null });
add(["--weight-decay-incr-style"], {
  dest: "weightDecayIncrStyle",
  kind: "choice",
  default: "constant",
  choices: WD_INCR_STYLES,
});
add(["--micro-batch-size"], { dest: "microBatchSize", kind: "int", default: null });
add(["--global-batch-size"], { dest: "globalBatchSize", kind: "int", default: null });
add(["--rampup-batch-size"], { dest: "rampupBatchSize", kind: "ints", default: null, nargs: 3 });
add(["--step-batch-size-schedule"], { dest: "stepBatchSizeSchedule", kind: "str", default: null });
add(["--decrease-batch-size-if-needed"], {
  dest: "decreaseBatchSizeIfNeeded",
  kind: "bool",
  default: false,
});
add(["--train-iters"], { dest: "trainIters", kind: "int", default: null });
add(["--train-samples"], { dest: "trainSamples", kind: "int", default: null });
add(["--iterations-to-skip"], { dest: "iterationsToSkip", kind: "ints", default: [], nargs: "+" });
add(["--tensor-model-parallel-size"], { dest: "tensorModelParallelSize", kind: "int", default: 1 });
add(["--pipeline-model-parallel-size"], {
  dest: "pipelineModelParallelSize",
  kind: "int",
  default: 1,
});
add(["--context-parallel-size"], { dest: "contextParallelSize", kind: "int", default: 1 });
add(["--warmup"], { dest: "warmup", kind: "deprecated", default: null });
add(["--batch-size"], { dest: "batchSize", kind: "deprecated", default: null });

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The option names {@linkcode parseMegatronArgs} reads; every other option is skipped. */
export const MEGATRON_SCHEDULE_OPTIONS: readonly string[] = Object.keys(SPECS);

const OWNER = "parseMegatronArgs";

/**
 * Splits a launch script's argument text into words as a POSIX shell would: whitespace,
 * `'…'` and `"…"` quotes, backslash escapes and line continuations, `#` comments.
 *
 * @throws {SyntaxError} For an unterminated quote.
 */
export function splitShellWords(text: string): string[] {
  return shellWords(text, OWNER).map((w) => w.word);
}

/** Python's `float(text)` for a finite value; `int(text)` when `integer`. */
function parseValue(option: string, text: string, integer: boolean): number {
  if (text.includes("$")) {
    throw new SyntaxError(
      `${OWNER}: \`${option} ${text}\` holds an unexpanded shell variable: substitute its value`,
      { cause: { owner: OWNER, option: option, value: text } },
    );
  }
  const t = text.trim().replace(/(?<=\d)_(?=\d)/g, "");
  const ok = integer ? /^[+-]?\d+$/.test(t) : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t);
  if (!ok) {
    throw new SyntaxError(
      `${OWNER}: \`${option}\` takes ${integer ? "an integer" : "a number"} (argparse ` +
        `type=${integer ? "int" : "float"}): got ${show(text)}`,
      { cause: { owner: OWNER, option: option, value: text } },
    );
  }
  const value = Number(t);
  if (!Number.isFinite(value) || (integer && !Number.isSafeInteger(value))) {
    throw optionError(
      RangeError,
      OWNER,
      option,
      text,
      `\`${option}\` must be finite: got ${show(text)}`,
    );
  }
  return value;
}

/**
 * Megatron's `validate_args` assertion, as a RangeError naming the options.
 */
function require(condition: boolean, message: string, flag: string, value: unknown): void {
  if (!condition) {
    throw optionError(
      RangeError,
      OWNER,
      flag,
      value,
      `${message} (Megatron's validate_args asserts)`,
    );
  }
}

/**
 * Parses the arguments of a Megatron-LM training script (`pretrain_gpt.py …`) as Megatron's
 * argparse parser reads them (`allow_abbrev=False`; `--name value` or `--name=value`) and
 * completes them as `validate_args` does: `globalBatchSize` defaults to micro batch ×
 * data-parallel size, the constant weight-decay style sets start and end to `--weight-decay`,
 * sample-based training gets `trainIters = trainSamples // globalBatchSize`. Options that do not
 * affect the schedule are skipped with their values (see `ignored`); words before the first
 * option (`torchrun …`, the script) are skipped too.
 *
 * @param line The argument text (shell-quoted; continuation lines allowed), or its words.
 * @param options See {@linkcode ParseMegatronArgsOptions}.
 * @returns The schedule's arguments, the skipped options and the given ones.
 * @throws {SyntaxError} If a value does not parse, a choice is not one of Megatron's, or an
 * option is missing its value.
 * @throws {RangeError} Where Megatron's `validate_args` asserts (iteration- and sample-based
 * options mixed, `--min-lr` above `--lr`, the batch not divisible, start/end weight decay with
 * the constant style, …), for a deprecated option (`--warmup`, `--batch-size`), for an option
 * that looks like a misspelt schedule option, and for batch-size ramp-up
 * (`--rampup-batch-size`, `--step-batch-size-schedule`, `--decrease-batch-size-if-needed`:
 * not supported — the scheduler's increments would vary with the ramp).
 * @throws {TypeError} Without `--lr` (Megatron's `float(None)`) or `--micro-batch-size`.
 *
 * @example A WSD pre-training run
 * ```ts
 * import { parseMegatronArgs } from "@lrspec/lrspec/megatron";
 * import assert from "node:assert/strict";
 *
 * const { args, ignored } = parseMegatronArgs(`
 *   --num-layers 24 --hidden-size 2048 --bf16 \\
 *   --micro-batch-size 4 --global-batch-size 512 --train-iters 10000 \\
 *   --lr 3e-4 --min-lr 3e-5 --lr-decay-style WSD --lr-wsd-decay-iters 2000 --lr-warmup-iters 500
 * `, { worldSize: 8 });
 * assert.equal(args.lrWsdDecayStyle, "exponential"); // Megatron's default
 * assert.equal(args.weightDecay, 0.01);
 * assert.deepEqual(ignored, ["--num-layers", "--hidden-size", "--bf16"]);
 * ```
 */
export function parseMegatronArgs(
  line: string | readonly string[],
  options: ParseMegatronArgsOptions = {},
): ParsedMegatronArgs {
  const split = typeof line === "string" ? shellWords(line, OWNER) : undefined;
  const words = split === undefined ? [...line] : split.map((w) => w.word);
  const offsetOf = (k: number): number | null => split?.[k]?.offset ?? null;
  const worldSize = options.worldSize ?? 1;
  if (!Number.isSafeInteger(worldSize) || worldSize < 1) {
    throw optionError(
      RangeError,
      OWNER,
      "worldSize",
      worldSize,
      `\`worldSize\` must be a positive integer: got ${show(worldSize)}`,
    );
  }
  const values: Record<string, unknown> = {};
  for (const spec of Object.values(SPECS)) values[spec.dest] = spec.default;
  const ignored: string[] = [];
  const given = new Set<string>();
  const written: Record<string, WrittenOption> = {};
  let i = words.findIndex((w) => w.startsWith("--"));
  if (i < 0) i = words.length;
  let at = i; // the option being read: its errors are at its offset
  try {
    while (i < words.length) {
      at = i;
      readOne();
    }
  } catch (error) {
    addOffset(error, offsetOf(at));
    throw error;
  }
  let args: MegatronArgs;
  try {
    args = validate(values, worldSize);
  } catch (error) {
    // validate_args' errors name a flag: the last place it was written (or none: a default).
    const option = (error as { cause?: { option?: unknown } }).cause?.option;
    const spec = typeof option === "string" && Object.hasOwn(SPECS, option)
      ? SPECS[option]
      : undefined;
    addOffset(error, spec === undefined ? null : written[spec.dest]?.offset ?? null);
    throw error;
  }
  return { args, ignored, given: [...given], written };

  function readOne(): void {
    const word = words[i]!;
    if (!word.startsWith("--")) {
      throw new SyntaxError(`${OWNER}: unexpected value ${show(word)} (no option takes it)`, {
        cause: { owner: OWNER, option: word, value: word },
      });
    }
    const eq = word.indexOf("=");
    const name = eq >= 0 ? word.slice(0, eq) : word;
    const inline = eq >= 0 ? word.slice(eq + 1) : undefined;
    i++;
    const spec = SPECS[name];
    if (spec === undefined) {
      const near = MEGATRON_SCHEDULE_OPTIONS.filter((k) =>
        k.length >= 6 && editDistance(k, name) <= 2
      );
      if (near.length > 0) {
        throw optionError(
          RangeError,
          OWNER,
          name,
          inline,
          `unknown option \`${name}\` (did you mean \`${near[0]}\`?); Megatron's ` +
            `argparse rejects it`,
        );
      }
      ignored.push(name);
      if (inline === undefined) { while (i < words.length && !isOption(words[i]!)) i++; }
      return;
    }
    given.add(spec.dest);
    written[spec.dest] = { flag: name, offset: offsetOf(at) };
    const takeOne = (): string => {
      if (inline !== undefined) return inline;
      const v = words[i];
      if (v === undefined || isOption(v)) {
        throw new SyntaxError(
          `${OWNER}: \`${name}\` expects a value (argparse: expected one argument)`,
          { cause: { owner: OWNER, option: name, value: undefined } },
        );
      }
      i++;
      return v;
    };
    switch (spec.kind) {
      case "bool":
        if (inline !== undefined) {
          throw new SyntaxError(
            `${OWNER}: \`${name}\` takes no value (store_true): got ${show(inline)}`,
            { cause: { owner: OWNER, option: name, value: inline } },
          );
        }
        values[spec.dest] = true;
        break;
      case "float":
        values[spec.dest] = parseValue(name, takeOne(), false);
        break;
      case "int":
        values[spec.dest] = parseValue(name, takeOne(), true);
        break;
      case "str":
        values[spec.dest] = takeOne();
        break;
      case "choice": {
        const v = takeOne();
        if (!spec.choices!.includes(v)) {
          throw new SyntaxError(
            `${OWNER}: \`${name}\`: invalid choice ${show(v)} (choose from ${
              spec.choices!.map((c) => `'${c}'`).join(", ")
            })`,
            { cause: { owner: OWNER, option: name, value: v } },
          );
        }
        values[spec.dest] = v;
        break;
      }
      case "ints": {
        const items: number[] = [];
        if (inline !== undefined) items.push(parseValue(name, inline, true));
        while (
          i < words.length && !isOption(words[i]!) &&
          (spec.nargs === "+" || items.length < spec.nargs!)
        ) {
          items.push(parseValue(name, words[i]!, true));
          i++;
        }
        if (
          (spec.nargs === "+" && items.length === 0) ||
          (spec.nargs !== "+" && items.length !== spec.nargs)
        ) {
          throw new SyntaxError(
            `${OWNER}: \`${name}\` expects ${
              spec.nargs === "+" ? "one or more" : spec.nargs
            } integers`,
            { cause: { owner: OWNER, option: name, value: items } },
          );
        }
        values[spec.dest] = items;
        break;
      }
      case "deprecated":
        throw optionError(
          RangeError,
          OWNER,
          name,
          inline,
          `\`${name}\` is no longer valid in Megatron (validate_args asserts): use ${
            name === "--warmup" ? "--lr-warmup-fraction or --lr-warmup-iters" : "--micro-batch-size"
          }`,
        );
    }
  }
}

/** Adds where the option was written (`offset` in the text) to an error's data, when known. */
function addOffset(error: unknown, offset: number | null): void {
  const cause = error instanceof Error ? (error as { cause?: unknown }).cause : undefined;
  if (offset !== null && typeof cause === "object" && cause !== null && !("offset" in cause)) {
    (cause as { offset?: number }).offset = offset;
  }
}

function isOption(word: string): boolean {
  return word.startsWith("--") || (/^-[a-zA-Z]/.test(word));
}

function validate(v: Record<string, unknown>, worldSize: number): MegatronArgs {
  for (const name of ["rampupBatchSize", "stepBatchSizeSchedule"]) {
    if (v[name] !== null) {
      throw optionError(
        RangeError,
        OWNER,
        name === "rampupBatchSize" ? "--rampup-batch-size" : "--step-batch-size-schedule",
        v[name],
        `\`--${name === "rampupBatchSize" ? "rampup-batch-size" : "step-batch-size-schedule"}\`` +
          ` is not supported by lrspec: the scheduler's increments would follow the batch-size ramp`,
      );
    }
  }
  if (v.decreaseBatchSizeIfNeeded === true) {
    throw optionError(
      RangeError,
      OWNER,
      "--decrease-batch-size-if-needed",
      v.decreaseBatchSizeIfNeeded,
      `\`--decrease-batch-size-if-needed\` is not supported by lrspec`,
    );
  }
  const tp = v.tensorModelParallelSize as number;
  const pp = v.pipelineModelParallelSize as number;
  const cp = v.contextParallelSize as number;
  const modelSize = tp * pp * cp;
  require(
    modelSize > 0 && worldSize % modelSize === 0,
    `world size ${worldSize} must be divisible by tensor × pipeline × context parallel sizes ${modelSize}`,
    "worldSize",
    worldSize,
  );
  const dataParallelSize = Math.floor(worldSize / modelSize);
  const mbs = v.microBatchSize as number | null;
  if (mbs === null) {
    throw optionError(
      TypeError,
      OWNER,
      "--micro-batch-size",
      mbs,
      `\`--micro-batch-size\` is required (Megatron asserts it is not None)`,
    );
  }
  require(mbs > 0, `\`--micro-batch-size\` must be > 0: got ${mbs}`, "--micro-batch-size", mbs);
  const gbs = (v.globalBatchSize as number | null) ?? mbs * dataParallelSize;
  require(gbs > 0, `\`--global-batch-size\` must be > 0: got ${gbs}`, "--global-batch-size", gbs);
  require(
    gbs % (mbs * dataParallelSize) === 0,
    `global batch size (${gbs}) is not divisible by micro batch size (${mbs}) times data ` +
      `parallel size (${dataParallelSize})`,
    "--global-batch-size",
    gbs,
  );
  let trainIters = v.trainIters as number | null;
  const trainSamples = v.trainSamples as number | null;
  if (trainIters) {
    require(
      trainSamples === null,
      "expected iteration-based training (`--train-samples` is set)",
      "--train-samples",
      trainSamples,
    );
    require(
      v.lrDecaySamples === null,
      "expected iteration-based learning rate decay",
      "--lr-decay-samples",
      v.lrDecaySamples,
    );
    require(
      v.lrWarmupSamples === 0,
      "expected iteration-based learning rate warmup",
      "--lr-warmup-samples",
      v.lrWarmupSamples,
    );
    if (v.lrWarmupFraction !== null) {
      require(
        v.lrWarmupIters === 0,
        "can only specify one of lr-warmup-fraction and lr-warmup-iters",
        "--lr-warmup-iters",
        v.lrWarmupIters,
      );
    }
  }
  if (trainSamples) {
    require(
      trainIters === null,
      "expected sample-based training (`--train-iters` is set)",
      "--train-iters",
      trainIters,
    );
    require(
      v.lrDecayIters === null,
      "expected sample-based learning rate decay",
      "--lr-decay-iters",
      v.lrDecayIters,
    );
    require(
      v.lrWarmupIters === 0,
      "expected sample-based learnig rate warmup",
      "--lr-warmup-iters",
      v.lrWarmupIters,
    );
    if (v.lrWarmupFraction !== null) {
      require(
        v.lrWarmupSamples === 0,
        "can only specify one of lr-warmup-fraction and lr-warmup-samples",
        "--lr-warmup-samples",
        v.lrWarmupSamples,
      );
    }
  }
  if (!trainIters && !trainSamples) {
    throw optionError(
      RangeError,
      OWNER,
      "--train-iters",
      trainIters,
      `either train-iters or train-samples should be provided (Megatron raises)`,
    );
  }
  if (!trainIters) trainIters = Math.floor(trainSamples! / gbs); // update_train_iters
  if (v.lr === null) {
    throw optionError(
      TypeError,
      OWNER,
      "--lr",
      v.lr,
      `\`--lr\` is required (Megatron's scheduler calls float(None))`,
    );
  }
  const lr = v.lr as number;
  require(
    (v.minLr as number) <= lr,
    `\`--min-lr\` (${v.minLr}) must be <= \`--lr\` (${lr})`,
    "--min-lr",
    v.minLr,
  );
  let start = v.startWeightDecay as number | null;
  let end = v.endWeightDecay as number | null;
  if (v.weightDecayIncrStyle === "constant") {
    require(
      start === null,
      "`--start-weight-decay` needs a non-constant `--weight-decay-incr-style`",
      "--start-weight-decay",
      start,
    );
    require(
      end === null,
      "`--end-weight-decay` needs a non-constant `--weight-decay-incr-style`",
      "--end-weight-decay",
      end,
    );
    start = end = v.weightDecay as number;
  } else {
    require(
      start !== null,
      "`--start-weight-decay` is required with a non-constant incr style",
      "--start-weight-decay",
      start,
    );
    require(
      end !== null,
      "`--end-weight-decay` is required with a non-constant incr style",
      "--end-weight-decay",
      end,
    );
  }
  return {
    lr,
    minLr: v.minLr as number,
    decoupledLr: v.decoupledLr as number | null,
    decoupledMinLr: v.decoupledMinLr as number | null,
    lrDecayStyle: v.lrDecayStyle as LrDecayStyle,
    lrWsdDecayStyle: v.lrWsdDecayStyle as LrWsdDecayStyle,
    lrDecayIters: v.lrDecayIters as number | null,
    lrDecaySamples: v.lrDecaySamples as number | null,
    lrWsdDecayIters: v.lrWsdDecayIters as number | null,
    lrWsdDecaySamples: v.lrWsdDecaySamples as number | null,
    lrWarmupFraction: v.lrWarmupFraction as number | null,
    lrWarmupIters: v.lrWarmupIters as number,
    lrWarmupSamples: v.lrWarmupSamples as number,
    lrWarmupInit: v.lrWarmupInit as number,
    overrideOptParamScheduler: v.overrideOptParamScheduler as boolean,
    useCheckpointOptParamScheduler: v.useCheckpointOptParamScheduler as boolean,
    weightDecay: v.weightDecay as number,
    startWeightDecay: start!,
    endWeightDecay: end!,
    weightDecayIncrStyle: v.weightDecayIncrStyle as WdIncrStyle,
    microBatchSize: mbs,
    globalBatchSize: gbs,
    trainIters,
    trainSamples,
    iterationsToSkip: v.iterationsToSkip as number[],
    tensorModelParallelSize: tp,
    pipelineModelParallelSize: pp,
    contextParallelSize: cp,
    dataParallelSize,
  };
}
