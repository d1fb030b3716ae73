/**
 * Port of Megatron-LM's `megatron/core/optimizer_param_scheduler.py` (Megatron-LM commit
 * d98e8a6): {@linkcode OptimizerParamScheduler}, the learning-rate and weight-decay schedule of
 * Megatron-core, NeMo and Megatron-Bridge.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { libm } from "../../math.ts";
import { copyState } from "../../_internal/state.ts";
import { boolean, finite, oneOf, requireOptions, show } from "../../_internal/validate.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";
import type { Optimizer, ParamGroup, StateDict } from "../../optimizer.ts";

/** A Megatron `lr_decay_style`. */
export type LrDecayStyle = "constant" | "linear" | "cosine" | "inverse-square-root" | "WSD";

/** Megatron's `lr_decay_style` values (`--lr-decay-style`). */
export const LR_DECAY_STYLES: readonly LrDecayStyle[] = [
  "constant",
  "linear",
  "cosine",
  "inverse-square-root",
  "WSD",
];

/** A Megatron `lr_wsd_decay_style`: WSD's annealing shape. */
export type LrWsdDecayStyle = "exponential" | "linear" | "cosine" | "minus_sqrt";

/** Megatron's `lr_wsd_decay_style` values (`--lr-wsd-decay-style`). */
export const LR_WSD_DECAY_STYLES: readonly LrWsdDecayStyle[] = [
  "exponential",
  "linear",
  "cosine",
  "minus_sqrt",
];

/** A Megatron `wd_incr_style`. */
export type WdIncrStyle = "constant" | "linear" | "cosine";

/** Megatron's `wd_incr_style` values (`--weight-decay-incr-style`). */
export const WD_INCR_STYLES: readonly WdIncrStyle[] = ["constant", "linear", "cosine"];

/**
 * A parameter group as Megatron's scheduler reads and writes it: torch's `param_groups[i]` with
 * camelCase keys. Megatron's optimizer gives every group `maxLr` and `minLr` (and `wdMult`);
 * a group without them follows the scheduler's own.
 */
export interface MegatronParamGroup extends ParamGroup {
  /** The group's peak rate (`max_lr`), e.g. `--decoupled-lr` for embeddings and output layer. */
  maxLr?: number;
  /** The group's final rate (`min_lr`). */
  minLr?: number;
  /** The group's initial weight decay (`start_wd`). */
  startWd?: number;
  /** The group's final weight decay (`end_wd`). */
  endWd?: number;
  /** Multiplier of the weight decay (`wd_mult`): 0 for biases and norms in Megatron's groups. */
  wdMult?: number;
  /** The weight decay the scheduler writes (`weight_decay`). */
  weightDecay?: number;
}

/** Options of {@linkcode OptimizerParamScheduler}: upstream's keyword names in camelCase. */
export interface OptimizerParamSchedulerOptions {
  /** The optimizer whose groups get `lr` and `weightDecay` (Megatron's `MegatronOptimizer`). */
  optimizer: Optimizer;
  /** The warmup's starting rate (`init_lr`, `--lr-warmup-init`); at most `maxLr`. */
  initLr: number;
  /** The peak rate (`max_lr`, `--lr`) of groups without their own `maxLr`. */
  maxLr: number;
  /** The final rate (`min_lr`, `--min-lr`) of groups without their own `minLr`; `>= 0`. */
  minLr: number;
  /** Warmup length in steps (samples, in Megatron's training loop); `< lrDecaySteps`. */
  lrWarmupSteps: number;
  /** Where decay ends, in steps counted from 0 (warmup included); `> 0`. */
  lrDecaySteps: number;
  /** The decay shape. */
  lrDecayStyle: LrDecayStyle;
  /** The initial weight decay (`start_wd`); `>= 0`. */
  startWd: number;
  /** The final weight decay (`end_wd`); `>= startWd`. */
  endWd: number;
  /** Steps over which the weight decay goes from `startWd` to `endWd`. */
  wdIncrSteps: number;
  /** The weight-decay shape. */
  wdIncrStyle: WdIncrStyle;
  /**
   * {@linkcode OptimizerParamScheduler.loadStateDict}: take the checkpoint's values (`true`)
   * or require them to equal this scheduler's (`false`).
   * @default {true}
   */
  useCheckpointOptParamScheduler?: boolean;
  /**
   * {@linkcode OptimizerParamScheduler.loadStateDict}: keep this scheduler's values and ignore
   * the checkpoint's (only the step count is restored). Excludes
   * `useCheckpointOptParamScheduler`.
   * @default {false}
   */
  overrideOptParamScheduler?: boolean;
  /**
   * WSD's annealing length in steps: the last `wsdDecaySteps` before `lrDecaySteps`. Required
   * with `lrDecayStyle: "WSD"`.
   * @default {null}
   */
  wsdDecaySteps?: number | null;
  /**
   * WSD's annealing shape. Megatron's argument default is `"exponential"`; the class's own
   * default is `None`, with which WSD raises once annealing starts.
   * @default {null}
   */
  lrWsdDecayStyle?: LrWsdDecayStyle | null;
}

const OWNER = "OptimizerParamScheduler";

function assertion(
  condition: boolean,
  what: string,
  detail: string,
  option: string,
  value: unknown,
): void {
  if (!condition) {
    throw optionError(
      RangeError,
      OWNER,
      option,
      value,
      `${what} must hold (Megatron's \`assert ${what}\`)${detail ? `: ${detail}` : ""}`,
    );
  }
}

/**
 * Warmup, then decay of the learning rate, and an increasing weight decay — per parameter
 * group, stepped by a count of steps. Port of Megatron-core `OptimizerParamScheduler`
 * (`megatron/core/optimizer_param_scheduler.py`, Megatron-LM d98e8a6).
 *
 * ```text
 * n = numSteps; W = lrWarmupSteps; D = lrDecaySteps; max, min = the group's maxLr, minLr
 * W > 0 and n <= W:          initLr + (max − initLr) · n / W
 * constant:                  max
 * n > D:                     min
 * inverse-square-root:       max(min, max · max(W, 1)^0.5 / max(n, 1)^0.5)
 * otherwise r = (n − W) / (D − W):
 *   linear:                  min + (1 − r) · (max − min)
 *   cosine:                  min + 0.5 · (cos(π · r) + 1) · (max − min)
 *   WSD (A = D − wsdDecaySteps; s = (n − A) / wsdDecaySteps):
 *     n <= A:                max
 *     linear / cosine:       min + (1 − s) · (max − min),  min + 0.5 · (cos(π · s) + 1) · (…)
 *     exponential:           min + (2 · 0.5^s − 1) · (max − min)
 *     minus_sqrt:            min + (1 − sqrt(s)) · (max − min)
 * weight decay (S = wdIncrSteps; start, end = the group's startWd, endWd or the scheduler's):
 *   n > S: end;  constant: end;  linear: start + (n / S) · (end − start)
 *   cosine: start + 0.5 · (cos(π · (1 − n / S)) + 1) · (end − start)
 *   written as weightDecay = that · wdMult (default 1)
 * ```
 *
 * Megatron's training loop counts steps in samples: it calls `step(globalBatchSize)` after
 * each successful update (see `megatronTrainSchedule` in `@lrspec/lrspec/megatron`). The
 * constructor calls `step(0)`, which writes the rates of step 0. `cos`, `pow` and `sqrt` go
 * through lrspec's libm seam. Megatron's `assert`s become `RangeError`s at the same call: the
 * constructor's, and the ones upstream reaches while computing a value (`start_wd == end_wd` with
 * the constant weight-decay style, a decay or increment ratio outside [0, 1]); an unsupported
 * decay style, or WSD without an annealing style, throws where upstream raises: at the first
 * step that needs it. A division by zero (`wdIncrSteps = 0` with a non-constant style) throws a
 * `RangeError` where Python raises `ZeroDivisionError`. Megatron's log lines are not written.
 *
 * @example WSD: 100-iteration warmup, 800 stable, 100 annealing (batch 8 → steps in samples)
 * ```ts
 * import { OptimizerParamScheduler } from "@lrspec/lrspec/megatron";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0, maxLr: 3e-4, minLr: 3e-5, wdMult: 1 }] };
 * const scheduler = new OptimizerParamScheduler({
 *   optimizer,
 *   initLr: 0,
 *   maxLr: 3e-4,
 *   minLr: 3e-5,
 *   lrWarmupSteps: 100 * 8,
 *   lrDecaySteps: 1000 * 8,
 *   lrDecayStyle: "WSD",
 *   wsdDecaySteps: 100 * 8,
 *   lrWsdDecayStyle: "linear",
 *   startWd: 0.1,
 *   endWd: 0.1,
 *   wdIncrSteps: 1000 * 8,
 *   wdIncrStyle: "constant",
 * });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // iteration 1 trains at lrWarmupInit
 * for (let i = 0; i < 500; i++) scheduler.step(8);
 * assert.equal(optimizer.paramGroups[0]!.lr, 3e-4); // stable
 * for (let i = 0; i < 500; i++) scheduler.step(8);
 * assert.equal(optimizer.paramGroups[0]!.lr, 3e-5); // annealed
 * ```
 */
export class OptimizerParamScheduler {
  /** The optimizer whose groups the scheduler writes. */
  readonly optimizer: Optimizer;
  /** The warmup's starting rate. */
  initLr: number;
  /** The default peak rate. */
  maxLr: number;
  /** The default final rate. */
  minLr: number;
  /** Warmup length in steps. */
  lrWarmupSteps: number;
  /** Steps taken so far (samples, in Megatron's loop). */
  numSteps: number;
  /** Where decay ends. */
  lrDecaySteps: number;
  /** WSD's annealing length. */
  wsdDecaySteps: number | null;
  /** WSD's annealing shape. */
  lrWsdDecayStyle: LrWsdDecayStyle | null;
  /** The decay shape. */
  lrDecayStyle: LrDecayStyle;
  /** The initial weight decay. */
  startWd: number;
  /** The final weight decay. */
  endWd: number;
  /** Weight-decay increment length. */
  wdIncrSteps: number;
  /** Weight-decay shape. */
  wdIncrStyle: WdIncrStyle;
  /** Whether {@linkcode loadStateDict} ignores the checkpoint's values. */
  overrideOptParamScheduler: boolean;
  /** Whether {@linkcode loadStateDict} takes the checkpoint's values. */
  useCheckpointOptParamScheduler: boolean;

  /**
   * Validates the options as Megatron's constructor asserts them and writes step 0's rates.
   *
   * @param options See {@linkcode OptimizerParamSchedulerOptions}.
   * @throws {RangeError} Where Megatron's constructor asserts: `minLr < 0`, `maxLr < minLr`,
   * `initLr > maxLr`, `lrDecaySteps <= 0`, `lrWarmupSteps >= lrDecaySteps`, WSD without
   * `wsdDecaySteps`, `startWd < 0`, `endWd < startWd`, both override and use-checkpoint set;
   * or a number is not finite, or `wdIncrStyle` / `lrWsdDecayStyle` is not one of Megatron's
   * (an unsupported `lrDecayStyle` throws at the first step past warmup, where Megatron raises).
   * @throws {TypeError} If an option is unknown or has the wrong type.
   */
  constructor(options: OptimizerParamSchedulerOptions) {
    const o = requireOptions(OWNER, options, [
      "optimizer",
      "initLr",
      "maxLr",
      "minLr",
      "lrWarmupSteps",
      "lrDecaySteps",
      "lrDecayStyle",
      "startWd",
      "endWd",
      "wdIncrSteps",
      "wdIncrStyle",
      "useCheckpointOptParamScheduler",
      "overrideOptParamScheduler",
      "wsdDecaySteps",
      "lrWsdDecayStyle",
    ]);
    this.optimizer = requireOptimizer(OWNER, o.optimizer);
    this.initLr = finite(OWNER, "initLr", o.initLr);
    this.maxLr = finite(OWNER, "maxLr", o.maxLr);
    this.minLr = finite(OWNER, "minLr", o.minLr);
    assertion(
      this.minLr >= 0.0,
      "min_lr >= 0.0",
      `minLr = ${show(this.minLr)}`,
      "minLr",
      this.minLr,
    );
    assertion(
      this.maxLr >= this.minLr,
      "max_lr >= min_lr",
      `maxLr = ${show(this.maxLr)}, minLr = ${show(this.minLr)}`,
      "minLr",
      this.minLr,
    );
    assertion(
      this.initLr <= this.maxLr,
      "init_lr <= max_lr",
      `initLr = ${show(this.initLr)}, maxLr = ${show(this.maxLr)}`,
      "initLr",
      this.initLr,
    );
    this.lrWarmupSteps = finite(OWNER, "lrWarmupSteps", o.lrWarmupSteps);
    this.numSteps = 0;
    this.lrDecaySteps = finite(OWNER, "lrDecaySteps", o.lrDecaySteps);
    const wsd = o.wsdDecaySteps ?? null;
    this.wsdDecaySteps = wsd === null ? null : finite(OWNER, "wsdDecaySteps", wsd);
    const wsdStyle = o.lrWsdDecayStyle ?? null;
    this.lrWsdDecayStyle = wsdStyle === null
      ? null
      : oneOf(OWNER, "lrWsdDecayStyle", wsdStyle, LR_WSD_DECAY_STYLES);
    assertion(
      this.lrDecaySteps > 0,
      "lr_decay_steps > 0",
      `lrDecaySteps = ${show(this.lrDecaySteps)}`,
      "lrDecaySteps",
      this.lrDecaySteps,
    );
    assertion(
      this.lrWarmupSteps < this.lrDecaySteps,
      "lr_warmup_steps < lr_decay_steps",
      `lrWarmupSteps = ${show(this.lrWarmupSteps)}, lrDecaySteps = ${show(this.lrDecaySteps)}`,
      "lrWarmupSteps",
      this.lrWarmupSteps,
    );
    this.lrDecayStyle = decayStyle("lrDecayStyle", o.lrDecayStyle);
    if (this.lrDecayStyle === "WSD") {
      assertion(
        this.wsdDecaySteps !== null,
        "wsd_decay_steps is not None",
        "lrDecayStyle WSD",
        "wsdDecaySteps",
        this.wsdDecaySteps,
      );
    }
    this.startWd = finite(OWNER, "startWd", o.startWd);
    this.endWd = finite(OWNER, "endWd", o.endWd);
    assertion(
      this.startWd >= 0.0,
      "start_wd >= 0.0",
      `startWd = ${show(this.startWd)}`,
      "startWd",
      this.startWd,
    );
    assertion(
      this.endWd >= this.startWd,
      "end_wd >= start_wd",
      `startWd = ${show(this.startWd)}, endWd = ${show(this.endWd)}`,
      "endWd",
      this.endWd,
    );
    this.wdIncrSteps = finite(OWNER, "wdIncrSteps", o.wdIncrSteps);
    this.wdIncrStyle = oneOf(OWNER, "wdIncrStyle", o.wdIncrStyle, WD_INCR_STYLES);
    this.overrideOptParamScheduler = boolean(
      OWNER,
      "overrideOptParamScheduler",
      o.overrideOptParamScheduler ?? false,
    );
    this.useCheckpointOptParamScheduler = boolean(
      OWNER,
      "useCheckpointOptParamScheduler",
      o.useCheckpointOptParamScheduler ?? true,
    );
    if (this.overrideOptParamScheduler) {
      assertion(
        !this.useCheckpointOptParamScheduler,
        "not use_checkpoint_opt_param_scheduler",
        "both override and use-checkpoint are set",
        "useCheckpointOptParamScheduler",
        this.useCheckpointOptParamScheduler,
      );
    }
    this.step(0);
  }

  /**
   * The weight decay at the current step, before the group's `wdMult` (Megatron's `get_wd`).
   *
   * @param paramGroup The group whose `startWd`/`endWd` override the scheduler's.
   * @throws {RangeError} Where Megatron raises (see the class).
   */
  getWd(paramGroup?: MegatronParamGroup): number {
    const startWd = paramGroup === undefined
      ? this.startWd
      : groupNumber(this.optimizer, paramGroup, "startWd", this.startWd);
    const endWd = paramGroup === undefined
      ? this.endWd
      : groupNumber(this.optimizer, paramGroup, "endWd", this.endWd);
    if (this.numSteps > this.wdIncrSteps) return endWd;
    if (this.wdIncrStyle === "constant") {
      assertion(
        startWd === endWd,
        "start_wd == end_wd",
        `constant style, ${startWd} != ${endWd}`,
        "endWd",
        endWd,
      );
      return endWd;
    }
    if (this.wdIncrSteps === 0) {
      throw optionError(
        RangeError,
        OWNER,
        "wdIncrSteps",
        this.wdIncrSteps,
        `\`wdIncrSteps\` is 0 with wdIncrStyle ${show(this.wdIncrStyle)}: ` +
          `Megatron divides by it (ZeroDivisionError)`,
      );
    }
    const incrRatio = this.numSteps / this.wdIncrSteps;
    assertion(
      incrRatio >= 0.0,
      "incr_ratio >= 0.0",
      `numSteps = ${this.numSteps}`,
      "numSteps",
      this.numSteps,
    );
    assertion(
      incrRatio <= 1.0,
      "incr_ratio <= 1.0",
      `numSteps = ${this.numSteps}`,
      "numSteps",
      this.numSteps,
    );
    const deltaWd = endWd - startWd;
    const coeff = this.wdIncrStyle === "linear"
      ? incrRatio
      : 0.5 * (libm.cos(Math.PI * (1 - incrRatio)) + 1.0);
    return startWd + coeff * deltaWd;
  }

  /**
   * The learning rate of a group at the current step (Megatron's `get_lr`).
   *
   * @param paramGroup The group whose `maxLr`/`minLr` override the scheduler's.
   * @throws {RangeError} Where Megatron raises (see the class).
   */
  getLr(paramGroup: MegatronParamGroup): number {
    const maxLr = groupNumber(this.optimizer, paramGroup, "maxLr", this.maxLr);
    const minLr = groupNumber(this.optimizer, paramGroup, "minLr", this.minLr);
    const n = this.numSteps;
    const warmup = this.lrWarmupSteps;
    if (warmup > 0 && n <= warmup) return this.initLr + (maxLr - this.initLr) * n / warmup;
    if (this.lrDecayStyle === "constant") return maxLr;
    if (n > this.lrDecaySteps) return minLr;
    if (this.lrDecayStyle === "inverse-square-root") {
      const warmupSteps = warmup > 1 ? warmup : 1;
      const numSteps = n > 1 ? n : 1;
      const lr = maxLr * libm.pow(warmupSteps, 0.5) / libm.pow(numSteps, 0.5);
      return lr > minLr ? lr : minLr;
    }
    const decayRatio = (n - warmup) / (this.lrDecaySteps - warmup);
    assertion(decayRatio >= 0.0, "decay_ratio >= 0.0", `numSteps = ${n}`, "numSteps", n);
    assertion(decayRatio <= 1.0, "decay_ratio <= 1.0", `numSteps = ${n}`, "numSteps", n);
    const deltaLr = maxLr - minLr;
    let coeff: number;
    if (this.lrDecayStyle === "linear") coeff = 1.0 - decayRatio;
    else if (this.lrDecayStyle === "cosine") coeff = 0.5 * (libm.cos(Math.PI * decayRatio) + 1.0);
    else if (this.lrDecayStyle === "WSD") {
      const wsdDecaySteps = this.wsdDecaySteps;
      if (wsdDecaySteps === null) {
        // Reached when a checkpoint's state switched the style to WSD (Python: TypeError).
        throw optionError(
          TypeError,
          OWNER,
          "wsdDecaySteps",
          wsdDecaySteps,
          `lrDecayStyle "WSD" needs \`wsdDecaySteps\`, which is null (Python's ` +
            `\`lr_decay_steps - None\` raises TypeError)`,
        );
      }
      const annealStart = this.lrDecaySteps - wsdDecaySteps;
      if (n <= annealStart) coeff = 1.0;
      else {
        const s = (n - annealStart) / wsdDecaySteps;
        switch (this.lrWsdDecayStyle) {
          case "linear":
            coeff = 1.0 - s;
            break;
          case "cosine":
            coeff = 0.5 * (libm.cos(Math.PI * s) + 1.0);
            break;
          case "exponential":
            coeff = 2.0 * libm.pow(0.5, s) - 1.0;
            break;
          case "minus_sqrt":
            // s > 0 here: n > A = D − wsdDecaySteps and n <= D imply wsdDecaySteps > 0.
            coeff = 1.0 - libm.sqrt(s);
            break;
          default:
            throw optionError(
              RangeError,
              OWNER,
              "lrWsdDecayStyle",
              this.lrWsdDecayStyle,
              `WSD needs \`lrWsdDecayStyle\` once annealing starts (Megatron's ` +
                `\`assert coeff is not None\`): got ${show(this.lrWsdDecayStyle)}`,
            );
        }
      }
    } else {
      throw optionError(
        RangeError,
        OWNER,
        "lrDecayStyle",
        this.lrDecayStyle,
        `${show(this.lrDecayStyle)} decay style is not supported (Megatron raises ` +
          `once warmup is over): \`lrDecayStyle\` must be one of ${
            LR_DECAY_STYLES.map((x) => JSON.stringify(x)).join(", ")
          }`,
      );
    }
    return minLr + coeff * deltaLr;
  }

  /**
   * Advances by `increment` steps and writes every group's `lr` and `weightDecay`
   * (`weightDecay = getWd(group) · (group.wdMult ?? 1)`), as Megatron's `step(increment)`.
   *
   * @throws {RangeError} If `increment` is not a finite number, or where Megatron raises.
   */
  step(increment: number): void {
    finite(OWNER, "increment", increment);
    this.numSteps += increment;
    for (const group of this.optimizer.paramGroups as MegatronParamGroup[]) {
      group.lr = this.getLr(group);
      group.weightDecay = this.getWd(group) * groupNumber(this.optimizer, group, "wdMult", 1.0);
    }
  }

  /** Megatron's `state_dict()`, with camelCase keys. */
  stateDict(): StateDict {
    return {
      maxLr: this.maxLr,
      lrWarmupSteps: this.lrWarmupSteps,
      numSteps: this.numSteps,
      lrDecayStyle: this.lrDecayStyle,
      lrDecaySteps: this.lrDecaySteps,
      minLr: this.minLr,
      startWd: this.startWd,
      endWd: this.endWd,
      wdIncrStyle: this.wdIncrStyle,
      wdIncrSteps: this.wdIncrSteps,
    };
  }

  /**
   * Megatron's `_check_and_set`. Its error's data: the state's key as found (`state.startLr`),
   * the checkpoint's value, and this scheduler's option and value (`schedulerOption`,
   * `schedulerValue`).
   */
  #checkAndSet<T extends number | string>(
    clsValue: T,
    [key, sdValue]: readonly [string, unknown],
    name: string,
    option: string,
  ): T {
    if (this.overrideOptParamScheduler) return clsValue;
    if (!this.useCheckpointOptParamScheduler && clsValue !== sdValue) {
      const error = optionError(
        RangeError,
        OWNER,
        `state.${key}`,
        sdValue,
        `class input value ${show(clsValue)} and checkpoint value ${
          show(sdValue)
        } for ${name} do not match (Megatron asserts; set useCheckpointOptParamScheduler or ` +
          `overrideOptParamScheduler)`,
      );
      Object.assign(error.cause as object, { schedulerOption: option, schedulerValue: clsValue });
      throw error;
    }
    return sdValue as T;
  }

  /**
   * Restores a checkpoint's scheduler state as Megatron's `load_state_dict`: each value is the
   * checkpoint's (`useCheckpointOptParamScheduler`), this scheduler's
   * (`overrideOptParamScheduler`), or must be equal in both; then `step(numSteps)` — added to
   * this scheduler's count, which is 0 right after construction. Older checkpoints' names are
   * read too (`startLr`, `warmupIter`, `warmupSteps`, `endIter`, `decaySteps`, `decayStyle`,
   * `numIters`: upstream's, camelCased); weight decay is restored only when `startWd` is present.
   *
   * @throws {RangeError} Where Megatron's assertion fails (a value differs and neither flag is
   * set), or a restored value is not valid.
   * @throws {TypeError} If `state` is not an object or lacks a key Megatron reads.
   */
  loadStateDict(state: StateDict): void {
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw optionError(
        TypeError,
        OWNER,
        "state",
        state,
        `a state dict must be an object: got ${show(state)}`,
      );
    }
    const sd = copyState(state);
    const read = (...names: string[]): [string, unknown] => {
      for (const name of names) if (name in sd) return [name, sd[name]];
      throw optionError(
        TypeError,
        OWNER,
        `state.${names.at(-1)}`,
        undefined,
        `the state dict has no \`${names.at(-1)}\` (KeyError)`,
      );
    };
    // Each value: the checkpoint's (or this scheduler's), checked; its errors name the state's
    // key as found (`state.startLr` in an old checkpoint).
    const set = <T extends number | string>(
      clsValue: T,
      found: readonly [string, unknown],
      name: string,
      option: string,
      check: (name: string, value: unknown) => T,
    ): T => {
      const value = this.#checkAndSet(clsValue, found, name, option);
      return value === clsValue ? value : check(`state.${found[0]}`, value);
    };
    const num = (name: string, v: unknown) => finite(OWNER, name, v);
    this.maxLr = set(this.maxLr, read("startLr", "maxLr"), "learning rate", "maxLr", num);
    this.minLr = set(this.minLr, read("minLr"), "minimum learning rate", "minLr", num);
    this.lrWarmupSteps = set(
      this.lrWarmupSteps,
      read("warmupIter", "warmupSteps", "lrWarmupSteps"),
      "warmup iterations",
      "lrWarmupSteps",
      num,
    );
    this.lrDecaySteps = set(
      this.lrDecaySteps,
      read("endIter", "decaySteps", "lrDecaySteps"),
      "total number of iterations",
      "lrDecaySteps",
      num,
    );
    this.lrDecayStyle = set(
      this.lrDecayStyle,
      read("decayStyle", "lrDecayStyle"),
      "learning rate decay style",
      "lrDecayStyle",
      decayStyle,
    );
    const steps = read("numIters", "numSteps");
    const numSteps = num(`state.${steps[0]}`, steps[1]);
    this.step(numSteps);
    if ("startWd" in sd) {
      this.startWd = set(
        this.startWd,
        ["startWd", sd.startWd],
        "start weight decay",
        "startWd",
        num,
      );
      this.endWd = set(this.endWd, read("endWd"), "end weight decay", "endWd", num);
      this.wdIncrSteps = set(
        this.wdIncrSteps,
        read("wdIncrSteps"),
        "total number of weight decay iterations",
        "wdIncrSteps",
        num,
      );
      this.wdIncrStyle = set(
        this.wdIncrStyle,
        read("wdIncrStyle"),
        "weight decay incr style",
        "wdIncrStyle",
        (name, v) => oneOf(OWNER, name, v, WD_INCR_STYLES),
      );
    }
  }
}

/**
 * A decay style: any string, as upstream checks it only when a step needs the decay (an
 * unsupported one throws there, see the class).
 */
function decayStyle(name: string, value: unknown): LrDecayStyle {
  if (typeof value !== "string") {
    throw optionError(
      TypeError,
      OWNER,
      name,
      value,
      `\`${name}\` must be a string: got ${show(value)}`,
    );
  }
  return value as LrDecayStyle;
}

/**
 * A group's numeric key (`param_group.get(key, fallback)`), checked finite; its errors name the
 * group by its index (`optimizer.paramGroups[1].maxLr`), or `paramGroup.maxLr` for a group not
 * in the optimizer.
 */
function groupNumber(
  optimizer: Optimizer,
  group: MegatronParamGroup,
  key: string,
  fallback: number,
): number {
  const value = group[key];
  if (value === undefined) return fallback;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const index = optimizer.paramGroups.indexOf(group);
  return finite(
    OWNER,
    index < 0 ? `paramGroup.${key}` : `optimizer.paramGroups[${index}].${key}`,
    value,
  );
}
