/**
 * Port of mmengine's `mmengine/optim/scheduler/param_scheduler.py` (mmengine commit 2543429,
 * 2025-10-27): the base class {@linkcode _ParamScheduler} and the generic parameter schedulers
 * `StepParamScheduler`, `MultiStepParamScheduler`, `ConstantParamScheduler`,
 * `ExponentialParamScheduler`, `CosineAnnealingParamScheduler`, `LinearParamScheduler`,
 * `PolyParamScheduler`, `OneCycleParamScheduler`, `CosineRestartParamScheduler` and
 * `ReduceOnPlateauParamScheduler`, each with its `build_iter_from_epoch`
 * ({@linkcode StepParamScheduler.buildIterFromEpoch}, …).
 *
 * An optimizer is any `{ paramGroups, defaults? }` — torch's `param_groups` with camelCase keys —
 * or an {@linkcode OptimWrapper} (whose extra pseudo-group is scheduled too). A scheduler writes
 * the group key named by `paramName` (`"lr"`, `"momentum"`, or any other key) and keeps
 * `initial` + the capitalised name (`initialLr`, `initialMomentum`) in each group, as mmengine
 * keeps `initial_lr`.
 *
 * @module
 */

import { optionError } from "../../../errors.ts";
import { floatMod, floatPow, formatExp4, pyMax, trueDiv } from "../../../_internal/python.ts";
import { requireOptimizer } from "../../../_internal/optimizer.ts";
import { copyState } from "../../../_internal/state.ts";
import {
  array,
  boolean,
  finite,
  finiteArray,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../../../_internal/validate.ts";
import { libm } from "../../../math.ts";
import type { Optimizer, ParamGroup, StateDict } from "../../../optimizer.ts";
import { OptimWrapper } from "../optimizer/optimizer_wrapper.ts";
import { FIXED, ownerOf } from "./_param_name.ts";

/** mmengine's `INF = int(1e9)`: the default `end` of every scheduler. */
export const INF = 1_000_000_000;

/** Options shared by every mmengine parameter scheduler (mmengine's keywords in camelCase). */
export interface ParamSchedulerBaseOptions {
  /** The optimizer (or {@linkcode OptimWrapper}) whose groups are scheduled. */
  optimizer: Optimizer;
  /**
   * Step at which the scheduler starts updating the parameter.
   * @default {0}
   */
  begin?: number;
  /**
   * Step at which it stops (exclusive). Must be greater than `begin`.
   * @default {INF} (1e9)
   */
  end?: number;
  /**
   * Index of the last step, for resuming without a state dict: `-1` starts afresh and records
   * each group's initial value; another value requires it in every group.
   * @default {-1}
   */
  lastStep?: number;
  /**
   * Whether a step is an epoch (the runner steps it after each epoch) or an iteration.
   * @default {true}
   */
  byEpoch?: boolean;
  /**
   * Print each update (mmengine's `print_log`), here with `console.log`.
   * @default {false}
   */
  verbose?: boolean;
}

/** Options of the generic (`*ParamScheduler`) classes: the group key they schedule. */
export interface ParamNameOption {
  /** The group key to schedule: `"lr"`, `"momentum"`, `"weightDecay"`, … */
  paramName: string;
}

/** The extra option of `build_iter_from_epoch`: the number of iterations of an epoch. */
export interface EpochLengthOption {
  /** `len(train_dataloader)`: iterations per epoch, a number > 0. */
  epochLength: number;
}

/** The shared option names. */
export const PARAM_SCHEDULER_BASE_KEYS: readonly [
  "optimizer",
  "begin",
  "end",
  "lastStep",
  "byEpoch",
  "verbose",
] = ["optimizer", "begin", "end", "lastStep", "byEpoch", "verbose"];

/** `initial_<name>` as a group key in camelCase: `lr` → `initialLr`. */
export function initialKey(paramName: string): string {
  return `initial${paramName.charAt(0).toUpperCase()}${paramName.slice(1)}`;
}

function groupValue(owner: string, group: ParamGroup, i: number, key: string): number {
  const value = group[key];
  if (typeof value !== "number") {
    throw optionError(
      TypeError,
      owner,
      `optimizer.paramGroups[${i}].${key}`,
      value,
      `\`paramGroups[${i}].${key}\` must be a number: got ${show(value)}` +
        (value === undefined ? " (mmengine raises KeyError)" : ""),
    );
  }
  return value;
}

/**
 * Base class of mmengine's parameter schedulers, a port of `_ParamScheduler` (mmengine commit
 * 2543429).
 *
 * ```text
 * construction: initial_g ← value_g (lastStep = -1; kept if already set); baseValues = initial
 *               _globalStep ← -1, then one step()
 * step():       _globalStep ← _globalStep + 1
 *               if begin <= _globalStep < end:  lastStep ← lastStep + 1
 *                                               value_g ← getValue()[g]
 *               _lastValue ← each group's value
 * ```
 *
 * A scheduler thus counts every call to `step()` (its `_globalStep`) but moves only inside
 * `[begin, end)`; its own position `lastStep` is 0 at the step `begin`. Values are recursive
 * ("chainable"): most classes multiply the group's *current* value, so several schedulers on one
 * optimizer compose multiplicatively, in the order they step.
 *
 * Deliberate differences from mmengine: `step()` throws a `RangeError` where a value would be
 * NaN or infinite (mmengine writes it), and where Python raises `ZeroDivisionError`; the
 * warnings about calling `optimizer.step()` first, and the wrapping of `optimizer.step`, are not
 * ported.
 */
// deno-lint-ignore camelcase
export abstract class _ParamScheduler {
  /**
   * The class's upstream name (`LinearLR`), which its errors name: explicit, so that a minified
   * bundle says `LinearLR`, not a renamed class. Not part of the state dict.
   */
  readonly owner: string;
  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** The group key this scheduler writes. */
  paramName: string;
  /** First step (of `_globalStep`) at which the scheduler moves. */
  begin: number;
  /** Step at which it stops (exclusive). */
  end: number;
  /** Whether it is stepped per epoch. */
  byEpoch: boolean;
  /** Each group's initial value (mmengine's `base_values`). */
  baseValues: number[];
  /** The scheduler's own position: -1 before `begin`, then 0, 1, … */
  lastStep: number;
  /** Whether each update is printed. */
  verbose: boolean;
  /** Number of `step()` calls minus one (mmengine's `_global_step`). */
  _globalStep: number;
  /** The values after the last step (mmengine's `_last_value`). */
  _lastValue: number[] = [];

  /**
   * Validates the shared options and attaches the optimizer. Does not take the first step:
   * subclasses call {@linkcode _ParamScheduler.initialStep} once their own fields are set.
   *
   * @throws {TypeError} If the optimizer is malformed or a group lacks the parameter, or lacks
   * its initial value when resuming (mmengine `KeyError`).
   * @throws {RangeError} If `end <= begin` (mmengine `ValueError`) or `lastStep` is not an
   * integer >= -1 (mmengine `AssertionError`).
   */
  protected constructor(
    owner: string,
    paramName: string,
    options: ParamSchedulerBaseOptions,
    init: "initial" | "plateau" = "initial",
  ) {
    this.owner = owner;
    this.optimizer = requireOptimizer(owner, options.optimizer);
    if (typeof paramName !== "string" || paramName === "") {
      throw optionError(
        TypeError,
        owner,
        "paramName",
        paramName,
        `\`paramName\` must be a non-empty string: got ${show(paramName)}`,
      );
    }
    this.paramName = paramName;
    const begin = finite(owner, "begin", options.begin ?? 0);
    const end = finite(owner, "end", options.end ?? INF);
    if (end <= begin) {
      throw optionError(
        RangeError,
        owner,
        "end",
        end,
        `end should be larger than begin, but got begin=${begin}, end=${end} ` +
          "(mmengine raises ValueError)",
      );
    }
    this.begin = begin;
    this.end = end;
    this.byEpoch = boolean(owner, "byEpoch", options.byEpoch ?? true);
    if (init === "plateau" && !this.byEpoch) {
      throw optionError(
        RangeError,
        owner,
        "byEpoch",
        this.byEpoch,
        `Now ${owner} only support by_epoch=True (mmengine raises AssertionError)`,
      );
    }
    const lastStep = integer(
      owner,
      "lastStep",
      options.lastStep ?? -1,
      "an integer >= -1 (mmengine asserts it)",
      (x) => x >= -1,
    );
    const key = initialKey(paramName);
    const groups = this.optimizer.paramGroups;
    groups.forEach((group, i) => groupValue(owner, group, i, paramName));
    if (lastStep === -1) {
      for (const group of groups) {
        if (!(key in group)) group[key] = group[paramName];
      }
    } else {
      groups.forEach((group, i) => {
        if (!(key in group)) {
          throw optionError(
            TypeError,
            owner,
            `optimizer.paramGroups[${i}].${key}`,
            group[key],
            `param '${key}' is not specified in paramGroups[${i}] when resuming an ` +
              "optimizer (mmengine raises KeyError)",
          );
        }
      });
    }
    this.baseValues = groups.map((group, i) => groupValue(owner, group, i, key));
    this.lastStep = lastStep;
    this._globalStep = init === "plateau" ? 0 : -1;
    this.verbose = boolean(owner, "verbose", options.verbose ?? false);
  }

  /** The first `step()`, which mmengine's constructor takes. Subclass constructors call it last. */
  protected initialStep(): void {
    this.step();
  }

  /**
   * The value of each group at the step `lastStep`, computed as mmengine's `_get_value()` does
   * (usually from the groups' current values: the chainable form).
   */
  protected abstract getValue(): number[];

  /**
   * Advances by one step; inside `[begin, end)` writes the new values into the groups.
   *
   * @throws {RangeError} Where mmengine raises while computing a value (a division by zero,
   * `OneCycleParamScheduler` stepped past `totalSteps`), or where a value would not be finite.
   */
  step(): void {
    this._globalStep += 1;
    if (this.begin <= this._globalStep && this._globalStep < this.end) {
      this.lastStep += 1;
      this.writeValues(this.getValue());
    }
    this.recordLastValue();
  }

  /** Writes values into the groups as mmengine's `zip(param_groups, values)` does. */
  protected writeValues(
    values: readonly number[],
    accept?: (old: number, value: number) => boolean,
  ): void {
    const groups = this.optimizer.paramGroups;
    const n = Math.min(groups.length, values.length);
    for (let i = 0; i < n; i++) {
      const value = values[i]!;
      if (!Number.isFinite(value)) {
        throw optionError(
          RangeError,
          this.owner,
          `optimizer.paramGroups[${i}].${this.paramName}`,
          value,
          `the ${this.paramName} of group ${i} would be ${
            show(value)
          } (mmengine would write it; lrspec refuses)`,
        );
      }
    }
    for (let i = 0; i < n; i++) {
      const group = groups[i]!;
      if (accept !== undefined && !accept(group[this.paramName] as number, values[i]!)) continue;
      group[this.paramName] = values[i]!;
      this.printValue(i, values[i]!);
    }
  }

  /** mmengine's `_last_value = [group[param_name] for group in param_groups]`. */
  protected recordLastValue(): void {
    this._lastValue = this.optimizer.paramGroups.map((g) => g[this.paramName] as number);
  }

  /** Prints an update in mmengine's format when `verbose`. */
  protected printValue(group: number, value: number): void {
    if (this.verbose) {
      console.log(`Adjusting parameter value of group ${group} to ${formatExp4(value)}.`);
    }
  }

  /** The values after the last step (mmengine's `get_last_value()`), a copy. */
  getLastValue(): number[] {
    return this._lastValue.slice();
  }

  /**
   * The scheduler's state: like mmengine's `state_dict()`, every attribute except the optimizer
   * (camelCase names), copied. Plain data.
   */
  stateDict(): StateDict {
    const state: StateDict = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === "optimizer" || key === "owner" || typeof value === "function") continue;
      state[key] = copyState(value);
    }
    return state;
  }

  /**
   * Restores a state from {@linkcode _ParamScheduler.stateDict} (mmengine's
   * `__dict__.update(state_dict)`), rejecting keys this scheduler's state does not have.
   *
   * @throws {TypeError} If `state` is not an object or has an unknown key.
   */
  loadStateDict(state: StateDict): void {
    const owner = this.owner;
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw optionError(
        TypeError,
        owner,
        "state",
        state,
        `state must be an object: got ${show(state)}`,
      );
    }
    const keys = Object.keys(this.stateDict());
    for (const key of Object.keys(state)) {
      if (!keys.includes(key)) {
        throw optionError(
          TypeError,
          owner,
          `state.${key}`,
          state[key],
          `unknown state key \`${key}\``,
        );
      }
    }
    Object.assign(this, copyState(state));
  }

  /** Each group's current value of the scheduled parameter. */
  protected current(): number[] {
    return this.optimizer.paramGroups.map((g) => g[this.paramName] as number);
  }
}

// ---------------------------------------------------------------------------------------------
// build_iter_from_epoch
// ---------------------------------------------------------------------------------------------

/**
 * The shared part of every `build_iter_from_epoch`: checks `byEpoch` and `epochLength`, scales
 * `begin` and `end` (`int(x * epochLength)`, `end` only when it is not `INF`), multiplies the
 * class's own epoch-valued options, and sets `byEpoch: false`.
 */
function iterOptions<O extends { begin?: number; end?: number; byEpoch?: boolean }>(
  owner: string,
  options: O & EpochLengthOption,
  scale: (o: Record<string, unknown>, epochLength: number) => void = () => {},
): O {
  if (typeof options !== "object" || options === null) {
    throw optionError(
      TypeError,
      owner,
      "options",
      options,
      `options must be an object: got ${show(options)}`,
    );
  }
  const { epochLength, ...rest } = options;
  if (!(rest.byEpoch ?? true)) {
    throw optionError(
      RangeError,
      owner,
      "byEpoch",
      rest.byEpoch,
      `Only epoch-based kwargs whose \`by_epoch=True\` can be converted to ` +
        "iter-based (mmengine raises AssertionError)",
    );
  }
  if (typeof epochLength !== "number" || !(epochLength > 0) || !Number.isFinite(epochLength)) {
    throw optionError(
      RangeError,
      owner,
      "epochLength",
      epochLength,
      `\`epochLength\` must be a positive integer, but got ${show(epochLength)} ` +
        "(mmengine raises AssertionError)",
    );
  }
  const o: Record<string, unknown> = { ...rest, byEpoch: false };
  scale(o, epochLength);
  const begin = finite(owner, "begin", rest.begin ?? 0);
  const end = finite(owner, "end", rest.end ?? INF);
  o.begin = Math.trunc(begin * epochLength);
  o.end = end !== INF ? Math.trunc(end * epochLength) : end;
  return o as unknown as O;
}

/** A scheduler class, for the `this` of the static `buildIterFromEpoch` methods. */
type SchedulerClass<O, T> = new (options: O) => T;

// ---------------------------------------------------------------------------------------------
// Step, MultiStep
// ---------------------------------------------------------------------------------------------

/** Options of `StepParamScheduler` (and `StepLR`, `StepMomentum` without `paramName`). */
export interface StepOptions extends ParamSchedulerBaseOptions {
  /** Period of the decay, in steps. */
  stepSize: number;
  /**
   * Multiplicative factor of the decay.
   * @default {0.1}
   */
  gamma?: number;
}

/** Options of {@linkcode StepParamScheduler}. */
export interface StepParamSchedulerOptions extends StepOptions, ParamNameOption {}

/**
 * Multiplies the parameter by `gamma` every `stepSize` steps. Port of mmengine
 * `StepParamScheduler`.
 *
 * ```text
 * value(s) = value(s − 1) · gamma   if s > 0 and s % stepSize == 0   (s = lastStep)
 *          = value(s − 1)           otherwise
 * ```
 *
 * mmengine does not validate `stepSize`; a `stepSize` of 0 raises `ZeroDivisionError` at the
 * second step, and lrspec throws a `RangeError` there.
 *
 * @example `dict(type='StepParamScheduler', param_name='lr', step_size=2, gamma=0.5)`
 * ```ts
 * import { StepParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new StepParamScheduler({ optimizer, paramName: "lr", stepSize: 2, gamma: 0.5 });
 * const lrs = [];
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 *   s.step();
 * }
 * assert.deepEqual(lrs, [1, 1, 0.5, 0.5, 0.25]);
 * ```
 */
export class StepParamScheduler extends _ParamScheduler {
  /** Period of the decay. */
  stepSize: number;
  /** Decay factor. */
  gamma: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If an option is out of range (see {@linkcode _ParamScheduler}).
   */
  constructor(options: StepParamSchedulerOptions) {
    const owner = ownerOf(options, "StepParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "stepSize",
      "gamma",
    ]);
    const stepSize = finite(owner, "stepSize", o.stepSize);
    const gamma = finite(owner, "gamma", o.gamma ?? 0.1);
    super(owner, paramNameOf(o), o);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `stepSize · epochLength`, `begin` and `end` scaled
   * (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends StepOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options, (o, L) => {
      o.stepSize = finite(this.name, "stepSize", o.stepSize) * L;
    }));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    const owner = this.owner;
    if (this.lastStep === 0 || floatMod(owner, this.lastStep, this.stepSize, "mmengine") !== 0) {
      return this.current();
    }
    return this.current().map((v) => v * this.gamma);
  }
}

/** Options of `MultiStepParamScheduler` (and `MultiStepLR`, `MultiStepMomentum`). */
export interface MultiStepOptions extends ParamSchedulerBaseOptions {
  /** Steps at which the parameter is multiplied by `gamma`; a repeated step applies it again. */
  milestones: readonly number[];
  /**
   * Multiplicative factor of the decay.
   * @default {0.1}
   */
  gamma?: number;
}

/** Options of {@linkcode MultiStepParamScheduler}. */
export interface MultiStepParamSchedulerOptions extends MultiStepOptions, ParamNameOption {}

/**
 * Multiplies the parameter by `gamma` at each milestone. Port of mmengine
 * `MultiStepParamScheduler`.
 *
 * ```text
 * value(s) = value(s − 1) · gamma ** count(s)   if s is a milestone (count: how often listed)
 *          = value(s − 1)                       otherwise
 * ```
 *
 * Milestones are kept in a `Counter` (here a map from milestone to count, in the state dict as
 * an object); `gamma ** count` goes through libm's `pow`, as CPython's float power does.
 *
 * @example MMDetection's `schedule_1x.py` decay, by epoch
 * ```ts
 * import { MultiStepParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.02 }] };
 * const s = new MultiStepParamScheduler({
 *   optimizer, paramName: "lr", milestones: [8, 11], gamma: 0.1, end: 12,
 * });
 * for (let epoch = 0; epoch < 11; epoch++) s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.02 * 0.1 * 0.1);
 * ```
 */
export class MultiStepParamScheduler extends _ParamScheduler {
  /** Each milestone and how often it is listed (mmengine's `Counter`). */
  milestones: Record<string, number>;
  /** Decay factor. */
  gamma: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If an option is out of range (see {@linkcode _ParamScheduler}).
   */
  constructor(options: MultiStepParamSchedulerOptions) {
    const owner = ownerOf(options, "MultiStepParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "milestones",
      "gamma",
    ]);
    const counter: Record<string, number> = {};
    for (const m of finiteArray(owner, "milestones", o.milestones)) {
      counter[String(m)] = (counter[String(m)] ?? 0) + 1;
    }
    const gamma = finite(owner, "gamma", o.gamma ?? 0.1);
    super(owner, paramNameOf(o), o);
    this.milestones = counter;
    this.gamma = gamma;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: each milestone `· epochLength`, `begin` and `end` scaled
   * (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends MultiStepOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options, (o, L) => {
      o.milestones = finiteArray(this.name, "milestones", o.milestones).map((m) => m * L);
    }));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    const count = this.milestones[String(this.lastStep)];
    if (count === undefined) return this.current();
    const factor = floatPow(this.owner, this.gamma, count, "mmengine");
    return this.current().map((v) => v * factor);
  }
}

// ---------------------------------------------------------------------------------------------
// Constant, Exponential
// ---------------------------------------------------------------------------------------------

/** Options of `ConstantParamScheduler` (and `ConstantLR`, `ConstantMomentum`). */
export interface ConstantOptions extends ParamSchedulerBaseOptions {
  /**
   * The factor applied from `begin` until `end − 1`, in [0, 1].
   * @default {1/3}
   */
  factor?: number;
}

/** Options of {@linkcode ConstantParamScheduler}. */
export interface ConstantParamSchedulerOptions extends ConstantOptions, ParamNameOption {}

/**
 * Multiplies the parameter by `factor` at `begin` and divides it back at `end − 1`. Port of
 * mmengine `ConstantParamScheduler`.
 *
 * ```text
 * totalIters = end − begin − 1
 * value(0)          = value · factor
 * value(totalIters) = value(totalIters − 1) · (1 / factor)
 * value(s)          = value(s − 1)                 otherwise
 * ```
 *
 * So the factor is undone one step *before* `end` (`end − begin − 1`), and with `factor = 0`
 * mmengine raises `ZeroDivisionError` at that step (lrspec: `RangeError`).
 *
 * @example `dict(type='ConstantLR', factor=0.5, end=3)`
 * ```ts
 * import { ConstantParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new ConstantParamScheduler({ optimizer, paramName: "lr", factor: 0.5, end: 3 });
 * const lrs = [];
 * for (let i = 0; i < 4; i++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 *   s.step();
 * }
 * assert.deepEqual(lrs, [0.5, 0.5, 1, 1]);
 * ```
 */
export class ConstantParamScheduler extends _ParamScheduler {
  /** The factor. */
  factor: number;
  /** `end − begin − 1`. */
  totalIters: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If `factor` is outside [0, 1] (mmengine `ValueError`) or another
   * option is out of range.
   */
  constructor(options: ConstantParamSchedulerOptions) {
    const owner = ownerOf(options, "ConstantParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "factor",
    ]);
    const factor = finite(owner, "factor", o.factor ?? 1.0 / 3);
    if (factor > 1.0 || factor < 0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `Constant multiplicative factor should between 0 and 1: got ${factor} ` +
          "(mmengine raises ValueError)",
      );
    }
    super(owner, paramNameOf(o), o);
    this.factor = factor;
    this.totalIters = this.end - this.begin - 1;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `begin` and `end` scaled (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends ConstantOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    if (this.lastStep === 0) return this.current().map((v) => v * this.factor);
    if (this.lastStep > this.totalIters || this.lastStep !== this.totalIters) {
      return this.current();
    }
    const inverse = trueDiv(this.owner, 1.0, this.factor, "mmengine");
    return this.current().map((v) => v * inverse);
  }
}

/** Options of `ExponentialParamScheduler` (and `ExponentialLR`, `ExponentialMomentum`). */
export interface ExponentialOptions extends ParamSchedulerBaseOptions {
  /** Multiplicative factor of every step. */
  gamma: number;
}

/** Options of {@linkcode ExponentialParamScheduler}. */
export interface ExponentialParamSchedulerOptions extends ExponentialOptions, ParamNameOption {}

/**
 * Multiplies the parameter by `gamma` at every step after the first. Port of mmengine
 * `ExponentialParamScheduler`.
 *
 * ```text
 * value(0) = value;   value(s) = value(s − 1) · gamma
 * ```
 *
 * @example
 * ```ts
 * import { ExponentialParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new ExponentialParamScheduler({ optimizer, paramName: "lr", gamma: 0.5 });
 * s.step();
 * s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.25);
 * ```
 */
export class ExponentialParamScheduler extends _ParamScheduler {
  /** Decay factor. */
  gamma: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type, is missing or is unknown.
   * @throws {RangeError} If an option is out of range (see {@linkcode _ParamScheduler}).
   */
  constructor(options: ExponentialParamSchedulerOptions) {
    const owner = ownerOf(options, "ExponentialParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "gamma",
    ]);
    const gamma = finite(owner, "gamma", o.gamma);
    super(owner, paramNameOf(o), o);
    this.gamma = gamma;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `begin` and `end` scaled (`int()`), `byEpoch: false`
   * (`gamma` is *not* rescaled: converted, it decays every iteration).
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends ExponentialOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    if (this.lastStep === 0) return this.current();
    return this.current().map((v) => v * this.gamma);
  }
}

// ---------------------------------------------------------------------------------------------
// CosineAnnealing
// ---------------------------------------------------------------------------------------------

/** Options of `CosineAnnealingParamScheduler` (and `CosineAnnealingLR`, `…Momentum`). */
export interface CosineAnnealingOptions extends ParamSchedulerBaseOptions {
  /**
   * Half-period of the cosine, in steps; `undefined` or 0 means `end − begin` (Python's
   * `T_max or (end - begin)`).
   * @default {undefined}
   */
  tMax?: number;
  /**
   * The minimum value. Give at most one of `etaMin` and `etaMinRatio`; with neither, 0.
   * @default {undefined} (0 when `etaMinRatio` is not given either)
   */
  etaMin?: number;
  /**
   * The minimum as a ratio of each group's initial value (mmengine 0.3.2).
   * @default {undefined}
   */
  etaMinRatio?: number;
}

/** Options of {@linkcode CosineAnnealingParamScheduler}. */
export interface CosineAnnealingParamSchedulerOptions
  extends CosineAnnealingOptions, ParamNameOption {}

/**
 * Cosine annealing from each group's initial value to `etaMin`, in mmengine's recursive form.
 * Port of mmengine `CosineAnnealingParamScheduler`.
 *
 * ```text
 * s = 0:                              value
 * (s − 1 − tMax) % (2 tMax) == 0:     value + (base − etaMin) · (1 − cos(π / tMax)) / 2
 * otherwise:                          (1 + cos(π s / tMax)) / (1 + cos(π (s − 1) / tMax))
 *                                       · (value − etaMin) + etaMin
 * etaMin = etaMinRatio · base when etaMinRatio is given
 * ```
 *
 * The ratio form multiplies the *current* value, so a cosine that starts after a warmup (or
 * alongside another scheduler) composes multiplicatively, and the result differs in its last
 * bits from the closed form `etaMin + (base − etaMin)(1 + cos(π s / tMax)) / 2`. `cos` is the
 * libm seam's.
 *
 * @example `dict(type='CosineAnnealingLR', T_max=4, eta_min=0)`
 * ```ts
 * import { CosineAnnealingParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new CosineAnnealingParamScheduler({ optimizer, paramName: "lr", tMax: 4 });
 * s.step();
 * s.step();
 * assert.ok(Math.abs(optimizer.paramGroups[0]!.lr - 0.5) < 1e-15);
 * ```
 */
export class CosineAnnealingParamScheduler extends _ParamScheduler {
  /** Half-period (mmengine's `T_max`). */
  tMax: number;
  /** The minimum, or `null` when `etaMinRatio` is used. */
  etaMin: number | null;
  /** The minimum as a ratio of the initial value, or `null`. */
  etaMinRatio: number | null;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If both `etaMin` and `etaMinRatio` are given (mmengine
   * `AssertionError`) or another option is out of range.
   */
  constructor(options: CosineAnnealingParamSchedulerOptions) {
    const owner = ownerOf(options, "CosineAnnealingParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "tMax",
      "etaMin",
      "etaMinRatio",
    ]);
    let etaMin = o.etaMin === undefined ? null : finite(owner, "etaMin", o.etaMin);
    const etaMinRatio = o.etaMinRatio === undefined
      ? null
      : finite(owner, "etaMinRatio", o.etaMinRatio);
    if (etaMin === null && etaMinRatio === null) etaMin = 0;
    if ((etaMin === null) === (etaMinRatio === null)) {
      throw optionError(
        RangeError,
        owner,
        "etaMinRatio",
        etaMinRatio,
        `Either \`etaMin\` or \`etaMinRatio\` should be specified, not both ` +
          "(mmengine raises AssertionError)",
      );
    }
    const tMax = o.tMax === undefined ? 0 : finite(owner, "tMax", o.tMax);
    super(owner, paramNameOf(o), o);
    this.tMax = tMax || this.end - this.begin;
    this.etaMin = etaMin;
    this.etaMinRatio = etaMinRatio;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `tMax · epochLength` when given, `begin` and `end`
   * scaled (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends CosineAnnealingOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options, (o, L) => {
      if (o.tMax !== undefined) o.tMax = finite(this.name, "tMax", o.tMax) * L;
    }));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    const etaMinOf = (base: number) =>
      this.etaMinRatio === null ? this.etaMin! : base * this.etaMinRatio;
    const s = this.lastStep;
    const groups = this.optimizer.paramGroups;
    if (s === 0) return this.current();
    const owner = this.owner;
    if (floatMod(owner, s - 1 - this.tMax, 2 * this.tMax, "mmengine") === 0) {
      const c = libm.cos(Math.PI / this.tMax);
      return groups.map((g, i) => {
        const base = this.baseValues[i]!;
        return (g[this.paramName] as number) + (base - etaMinOf(base)) * (1 - c) / 2;
      });
    }
    const ratio = trueDiv(
      owner,
      1 + libm.cos(Math.PI * s / this.tMax),
      1 + libm.cos(Math.PI * (s - 1) / this.tMax),
      "mmengine",
    );
    return groups.map((g, i) => {
      const etaMin = etaMinOf(this.baseValues[i]!);
      return ratio * ((g[this.paramName] as number) - etaMin) + etaMin;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Linear, Poly
// ---------------------------------------------------------------------------------------------

/** Options of `LinearParamScheduler` (and `LinearLR`, `LinearMomentum`). */
export interface LinearOptions extends ParamSchedulerBaseOptions {
  /**
   * The factor at `begin`, in [0, 1].
   * @default {1/3}
   */
  startFactor?: number;
  /**
   * The factor reached at `end − 1`, in [0, 1].
   * @default {1.0}
   */
  endFactor?: number;
}

/** Options of {@linkcode LinearParamScheduler}. */
export interface LinearParamSchedulerOptions extends LinearOptions, ParamNameOption {}

/**
 * Changes the parameter's factor linearly from `startFactor` to `endFactor` over
 * `[begin, end − 1]`, recursively. Port of mmengine `LinearParamScheduler` — the usual warmup
 * (`dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500)`).
 *
 * ```text
 * totalIters = end − begin − 1
 * value(0) = value · startFactor
 * value(s) = value(s − 1) · (1 + (endFactor − startFactor)
 *                               / (totalIters · startFactor + (s − 1) · (endFactor − startFactor)))
 * ```
 *
 * It divides by `end − begin − 1`: the full rate is reached at step `end − 1`, one step before
 * `end`. With `startFactor = 0` mmengine raises `ZeroDivisionError` at the second step (lrspec:
 * `RangeError`).
 *
 * @example A 4-step warmup reaches the full rate at step 3
 * ```ts
 * import { LinearParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new LinearParamScheduler({
 *   optimizer, paramName: "lr", startFactor: 0.25, end: 4, byEpoch: false,
 * });
 * const lrs = [];
 * for (let i = 0; i < 5; i++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 *   s.step();
 * }
 * assert.deepEqual(lrs, [0.25, 0.5, 0.75, 1, 1]);
 * ```
 */
export class LinearParamScheduler extends _ParamScheduler {
  /** The factor at `begin`. */
  startFactor: number;
  /** The factor at `end − 1`. */
  endFactor: number;
  /** `end − begin − 1`. */
  totalIters: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If a factor is outside [0, 1] (mmengine `ValueError`) or another
   * option is out of range.
   */
  constructor(options: LinearParamSchedulerOptions) {
    const owner = ownerOf(options, "LinearParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "startFactor",
      "endFactor",
    ]);
    const startFactor = finite(owner, "startFactor", o.startFactor ?? 1.0 / 3);
    if (startFactor > 1.0 || startFactor < 0) {
      throw optionError(
        RangeError,
        owner,
        "startFactor",
        startFactor,
        `Starting multiplicative factor should between 0 and 1: got ${startFactor} ` +
          "(mmengine raises ValueError)",
      );
    }
    const endFactor = finite(owner, "endFactor", o.endFactor ?? 1.0);
    if (endFactor > 1.0 || endFactor < 0) {
      throw optionError(
        RangeError,
        owner,
        "endFactor",
        endFactor,
        `Ending multiplicative factor should between 0 and 1: got ${endFactor} ` +
          "(mmengine raises ValueError)",
      );
    }
    super(owner, paramNameOf(o), o);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = this.end - this.begin - 1;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `begin` and `end` scaled (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends LinearOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    if (this.lastStep === 0) return this.current().map((v) => v * this.startFactor);
    const delta = this.endFactor - this.startFactor;
    const factor = 1 +
      trueDiv(
        this.owner,
        delta,
        this.totalIters * this.startFactor + (this.lastStep - 1) * delta,
        "mmengine",
      );
    return this.current().map((v) => v * factor);
  }
}

/** Options of `PolyParamScheduler` (and `PolyLR`, `PolyMomentum`). */
export interface PolyOptions extends ParamSchedulerBaseOptions {
  /**
   * The value reached at the end.
   * @default {0}
   */
  etaMin?: number;
  /**
   * The power of the polynomial.
   * @default {1.0}
   */
  power?: number;
}

/** Options of {@linkcode PolyParamScheduler}. */
export interface PolyParamSchedulerOptions extends PolyOptions, ParamNameOption {}

/**
 * Polynomial decay to `etaMin` over `[begin, end − 1]`, recursively. Port of mmengine
 * `PolyParamScheduler`.
 *
 * ```text
 * totalIters = end − begin − 1
 * value(0) = value
 * value(s) = (value(s − 1) − etaMin) · (1 − 1 / (totalIters − s + 1)) ** power + etaMin
 * ```
 *
 * `**` is the libm seam's `pow`.
 *
 * @example `dict(type='PolyLR', power=1.0, eta_min=0, end=4)` reaches 0 at step 3
 * ```ts
 * import { PolyParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.3 }] };
 * const s = new PolyParamScheduler({ optimizer, paramName: "lr", end: 4 });
 * for (let i = 0; i < 3; i++) s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0);
 * ```
 */
export class PolyParamScheduler extends _ParamScheduler {
  /** The final value. */
  etaMin: number;
  /** The power. */
  power: number;
  /** `end − begin − 1`. */
  totalIters: number;

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If an option is out of range (see {@linkcode _ParamScheduler}).
   */
  constructor(options: PolyParamSchedulerOptions) {
    const owner = ownerOf(options, "PolyParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "etaMin",
      "power",
    ]);
    const etaMin = finite(owner, "etaMin", o.etaMin ?? 0);
    const power = finite(owner, "power", o.power ?? 1.0);
    super(owner, paramNameOf(o), o);
    this.etaMin = etaMin;
    this.power = power;
    this.totalIters = this.end - this.begin - 1;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `begin` and `end` scaled (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends PolyOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    if (this.lastStep === 0) return this.current();
    const owner = this.owner;
    const base = 1 - trueDiv(owner, 1, this.totalIters - this.lastStep + 1, "mmengine");
    const factor = floatPow(owner, base, this.power, "mmengine");
    return this.current().map((v) => (v - this.etaMin) * factor + this.etaMin);
  }
}

// ---------------------------------------------------------------------------------------------
// OneCycle
// ---------------------------------------------------------------------------------------------

/** Options of `OneCycleParamScheduler` (and `OneCycleLR`). */
export interface OneCycleOptions extends ParamSchedulerBaseOptions {
  /**
   * The peak value, one for every group or one per group.
   * @default {0}
   */
  etaMax?: number | readonly number[];
  /**
   * Steps in the cycle; `undefined` means `end − begin`.
   * @default {undefined}
   */
  totalSteps?: number;
  /**
   * Fraction of the cycle spent increasing, in [0, 1].
   * @default {0.3}
   */
  pctStart?: number;
  /**
   * `"cos"` or `"linear"` annealing.
   * @default {"cos"}
   */
  annealStrategy?: "cos" | "linear";
  /**
   * The start value is `etaMax / divFactor`.
   * @default {25}
   */
  divFactor?: number;
  /**
   * The final value is the start value `/ finalDivFactor`.
   * @default {1e4}
   */
  finalDivFactor?: number;
  /**
   * Three phases (up, down to the start value, down to the final value) instead of two.
   * @default {false}
   */
  threePhase?: boolean;
}

/** Options of {@linkcode OneCycleParamScheduler} (`paramName` must be `"lr"`). */
export interface OneCycleParamSchedulerOptions extends OneCycleOptions, ParamNameOption {}

/** One phase of the 1cycle policy: where it ends and which group keys it anneals between. */
export interface OneCyclePhase {
  /** The last step of the phase (a float, as mmengine computes it). */
  endStep: number;
  /** The group key holding the phase's start value (`initialLr`, `maxLr`). */
  start: string;
  /** The group key holding the phase's end value (`maxLr`, `initialLr`, `minLr`). */
  end: string;
}

/**
 * The 1cycle policy. Port of mmengine `OneCycleParamScheduler` (not chainable; unlike torch's
 * `OneCycleLR` it does not cycle momentum).
 *
 * ```text
 * at construction (lastStep = -1): initialLr = etaMax / divFactor, maxLr = etaMax,
 *                                  minLr = initialLr / finalDivFactor   (in every group)
 * phases (two):   end pctStart · totalSteps − 1: initialLr → maxLr;  end totalSteps − 1: maxLr → minLr
 * phases (three): pctStart·T − 1: initialLr → maxLr; 2·pctStart·T − 2: maxLr → initialLr;
 *                 T − 1: initialLr → minLr
 * value(s) = anneal(start, end, (s − phaseStart) / (phaseEnd − phaseStart))
 * cos:    end + (start − end) / 2 · (cos(π pct) + 1);   linear: (end − start) · pct + start
 * ```
 *
 * Stepping past `totalSteps` throws a `RangeError` (mmengine `ValueError` "Tried to step …
 * times"); a phase of length 0 divides by zero (mmengine `ZeroDivisionError`; lrspec
 * `RangeError`). mmengine requires `pctStart` to be a Python `float`: JSON cannot tell `1` from
 * `1.0`, so lrspec accepts any number in [0, 1].
 *
 * @example
 * ```ts
 * import { OneCycleParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.5 }] };
 * const s = new OneCycleParamScheduler({
 *   optimizer, paramName: "lr", etaMax: 1, totalSteps: 10, annealStrategy: "linear",
 * });
 * assert.equal(optimizer.paramGroups[0]!.lr, 1 / 25);
 * s.step();
 * s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1);
 * ```
 */
export class OneCycleParamScheduler extends _ParamScheduler {
  /** The peak value(s) as given. */
  etaMax: number | number[];
  /** `divFactor`. */
  divFactor: number;
  /** `finalDivFactor`. */
  finalDivFactor: number;
  /** Steps in the cycle. */
  totalSteps: number;
  /** `"cos"` or `"linear"` (mmengine keeps the function, `anneal_func`). */
  annealStrategy: "cos" | "linear";
  /** The phases (mmengine's `_schedule_phases`). */
  _schedulePhases: OneCyclePhase[];

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If `paramName` is not `"lr"` (mmengine `AssertionError`),
   * `totalSteps` is not a positive integer, `pctStart` is outside [0, 1], `annealStrategy` is
   * unknown, `etaMax` has the wrong number of values (mmengine `ValueError`), or another option is
   * out of range.
   */
  constructor(options: OneCycleParamSchedulerOptions) {
    const owner = ownerOf(options, "OneCycleParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "etaMax",
      "totalSteps",
      "pctStart",
      "annealStrategy",
      "divFactor",
      "finalDivFactor",
      "threePhase",
    ]);
    const paramName = paramNameOf(o);
    if (paramName !== "lr") {
      throw optionError(
        RangeError,
        owner,
        "paramName",
        paramName,
        `OneCycle only works for learning rate updating, but got patam_name as ` +
          `${paramName} (mmengine raises AssertionError)`,
      );
    }
    const etaMax = o.etaMax ?? 0;
    const divFactor = finite(owner, "divFactor", o.divFactor ?? 25);
    const finalDivFactor = finite(owner, "finalDivFactor", o.finalDivFactor ?? 1e4);
    const begin = finite(owner, "begin", o.begin ?? 0);
    const end = finite(owner, "end", o.end ?? INF);
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      totalSteps = finite(owner, "totalSteps", o.totalSteps);
      if (totalSteps <= 0 || !Number.isInteger(totalSteps)) {
        throw optionError(
          RangeError,
          owner,
          "totalSteps",
          totalSteps,
          `Expected positive integer total_steps, but got ${totalSteps} (mmengine ` +
            "raises ValueError)",
        );
      }
    } else totalSteps = end - begin;
    const pctStart = finite(owner, "pctStart", o.pctStart ?? 0.3);
    if (pctStart < 0 || pctStart > 1) {
      throw optionError(
        RangeError,
        owner,
        "pctStart",
        pctStart,
        `Expected float between 0 and 1 pct_start, but got ${pctStart} (mmengine ` +
          "raises ValueError)",
      );
    }
    const annealStrategy = oneOf(
      owner,
      "annealStrategy",
      o.annealStrategy ?? "cos",
      ["cos", "linear"] as const,
      " (mmengine raises ValueError)",
    );
    const threePhase = boolean(owner, "threePhase", o.threePhase ?? false);
    const phases: OneCyclePhase[] = threePhase
      ? [
        { endStep: pctStart * totalSteps - 1, start: "initialLr", end: "maxLr" },
        { endStep: 2 * pctStart * totalSteps - 2, start: "maxLr", end: "initialLr" },
        { endStep: totalSteps - 1, start: "initialLr", end: "minLr" },
      ]
      : [
        { endStep: pctStart * totalSteps - 1, start: "initialLr", end: "maxLr" },
        { endStep: totalSteps - 1, start: "maxLr", end: "minLr" },
      ];
    const optimizer = requireOptimizer(owner, o.optimizer);
    const groups = optimizer.paramGroups;
    let maxValues: number[];
    if (Array.isArray(etaMax)) {
      if (etaMax.length !== groups.length) {
        throw optionError(
          RangeError,
          owner,
          "etaMax",
          etaMax,
          `expected ${groups.length} values for max_lr, got ${etaMax.length} ` +
            "(mmengine raises ValueError)",
        );
      }
      maxValues = etaMax.map((v, i) => finite(owner, `etaMax[${i}]`, v));
    } else {
      maxValues = new Array<number>(groups.length).fill(finite(owner, "etaMax", etaMax));
    }
    if ((o.lastStep ?? -1) === -1) {
      groups.forEach((group, i) => {
        group.initialLr = maxValues[i]! / divFactor;
        group.maxLr = maxValues[i]!;
        group.minLr = group.initialLr / finalDivFactor;
      });
    }
    super(owner, paramName, o);
    this.etaMax = Array.isArray(etaMax) ? etaMax.slice() : etaMax as number;
    this.divFactor = divFactor;
    this.finalDivFactor = finalDivFactor;
    this.totalSteps = totalSteps;
    this.annealStrategy = annealStrategy;
    this._schedulePhases = phases;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: `totalSteps · epochLength` when given, `begin` and `end`
   * scaled (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends OneCycleOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    return new this(iterOptions(this.name, options, (o, L) => {
      if (o.totalSteps !== undefined) {
        o.totalSteps = finite(this.name, "totalSteps", o.totalSteps) * L;
      }
    }));
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    const owner = this.owner;
    const stepNum = this.lastStep;
    if (stepNum > this.totalSteps) {
      throw optionError(
        RangeError,
        owner,
        "totalSteps",
        this.totalSteps,
        `Tried to step ${stepNum + 1} times. The specified number of total steps is ` +
          `${this.totalSteps} (mmengine raises ValueError)`,
      );
    }
    const phases = this._schedulePhases;
    return this.optimizer.paramGroups.map((group, g) => {
      let startStep = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i]!;
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === phases.length - 1) {
          const pct = trueDiv(owner, stepNum - startStep, endStep - startStep, "mmengine");
          const start = groupValue(owner, group, g, phase.start);
          const end = groupValue(owner, group, g, phase.end);
          if (this.annealStrategy === "cos") {
            const cosOut = libm.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
          }
          return (end - start) * pct + start;
        }
        startStep = phase.endStep;
      }
      /* c8 ignore next */
      throw new Error("unreachable: the last phase always matches");
    });
  }
}

// ---------------------------------------------------------------------------------------------
// CosineRestart
// ---------------------------------------------------------------------------------------------

/** Options of `CosineRestartParamScheduler` (and `CosineRestartLR`, `…Momentum`). */
export interface CosineRestartOptions extends ParamSchedulerBaseOptions {
  /** Length of each cosine cycle, in steps. */
  periods: readonly number[];
  /**
   * Each cycle restarts at `base · restartWeights[i]`; one weight per period.
   * @default {[1]}
   */
  restartWeights?: readonly number[];
  /**
   * The minimum value. Give exactly one of `etaMin` and `etaMinRatio`.
   * @default {undefined}
   */
  etaMin?: number;
  /**
   * The minimum as a ratio of each group's initial value.
   * @default {undefined}
   */
  etaMinRatio?: number;
}

/** Options of {@linkcode CosineRestartParamScheduler}. */
export interface CosineRestartParamSchedulerOptions extends CosineRestartOptions, ParamNameOption {}

/**
 * Cosine annealing with restarts. Port of mmengine `CosineRestartParamScheduler`.
 *
 * ```text
 * i = the cycle holding s (first cumulative period > s); none → value unchanged
 * t = s − start of cycle i
 * t = 0:   base · restartWeights[i]
 * t > 0:   (1 + cos(π t / periods[i])) / (1 + cos(π (t − 1) / periods[i])) · (value − etaMin) + etaMin
 * ```
 *
 * @example Two cycles of 2 steps
 * ```ts
 * import { CosineRestartParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new CosineRestartParamScheduler({
 *   optimizer, paramName: "lr", periods: [2, 2], restartWeights: [1, 0.5], etaMin: 0,
 * });
 * s.step();
 * s.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.5);
 * ```
 */
export class CosineRestartParamScheduler extends _ParamScheduler {
  /** Cycle lengths. */
  periods: number[];
  /** The minimum, or `null`. */
  etaMin: number | null;
  /** The minimum as a ratio, or `null`. */
  etaMinRatio: number | null;
  /** Restart weights. */
  restartWeights: number[];
  /** Running sums of `periods`. */
  cumulativePeriods: number[];

  /**
   * Creates the scheduler and takes mmengine's first step.
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} Unless exactly one of `etaMin` and `etaMinRatio` is given, or if
   * `periods` and `restartWeights` differ in length (mmengine `AssertionError`), or another
   * option is out of range.
   */
  constructor(options: CosineRestartParamSchedulerOptions) {
    const owner = ownerOf(options, "CosineRestartParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "periods",
      "restartWeights",
      "etaMin",
      "etaMinRatio",
    ]);
    const etaMin = o.etaMin === undefined ? null : finite(owner, "etaMin", o.etaMin);
    const etaMinRatio = o.etaMinRatio === undefined
      ? null
      : finite(owner, "etaMinRatio", o.etaMinRatio);
    if ((etaMin === null) === (etaMinRatio === null)) {
      throw optionError(
        RangeError,
        owner,
        "etaMinRatio",
        etaMinRatio,
        `exactly one of \`etaMin\` and \`etaMinRatio\` must be given (mmengine raises ` +
          "AssertionError)",
      );
    }
    const periods = finiteArray(owner, "periods", o.periods);
    const restartWeights = finiteArray(owner, "restartWeights", o.restartWeights ?? [1]);
    if (periods.length !== restartWeights.length) {
      throw optionError(
        RangeError,
        owner,
        "restartWeights",
        restartWeights,
        `periods and restart_weights should have the same length: got ${periods.length} ` +
          `and ${restartWeights.length} (mmengine raises AssertionError)`,
      );
    }
    const cumulative: number[] = [];
    let sum = 0;
    for (const p of periods) cumulative.push(sum += p);
    super(owner, paramNameOf(o), o);
    this.periods = periods;
    this.etaMin = etaMin;
    this.etaMinRatio = etaMinRatio;
    this.restartWeights = restartWeights;
    this.cumulativePeriods = cumulative;
    this.initialStep();
  }

  /**
   * mmengine's `build_iter_from_epoch`: each period `· epochLength`, `begin` and `end` scaled
   * (`int()`), `byEpoch: false`.
   *
   * @throws {RangeError} If `byEpoch` is `false` or `epochLength` is not > 0 (mmengine
   * `AssertionError`), and as the constructor.
   */
  static buildIterFromEpoch<O extends CosineRestartOptions, T>(
    this: SchedulerClass<O, T>,
    options: O & EpochLengthOption,
  ): T {
    const owner = this.name;
    // mmengine scales `periods` before checking `byEpoch`; the order of the checks is the same.
    array(owner, "periods", (options as { periods?: unknown } | null)?.periods);
    return new this(iterOptions(owner, options, (o, L) => {
      o.periods = finiteArray(owner, "periods", o.periods).map((p) => p * L);
    }));
  }

  /**
   * mmengine's `get_position_from_periods`: the index of the first cumulative period greater
   * than `iteration`, or `null`.
   */
  static getPositionFromPeriods(
    iteration: number,
    cumulativePeriods: readonly number[],
  ): number | null {
    for (let i = 0; i < cumulativePeriods.length; i++) {
      if (iteration < cumulativePeriods[i]!) return i;
    }
    return null;
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    const idx = CosineRestartParamScheduler.getPositionFromPeriods(
      this.lastStep,
      this.cumulativePeriods,
    );
    if (idx === null) return this.current();
    const weight = this.restartWeights[idx]!;
    const nearestRestart = idx === 0 ? 0 : this.cumulativePeriods[idx - 1]!;
    const period = this.periods[idx]!;
    const step = this.lastStep - nearestRestart;
    const owner = this.owner;
    return this.optimizer.paramGroups.map((group, i) => {
      const base = this.baseValues[i]!;
      const etaMax = base * weight;
      const etaMin = this.etaMinRatio === null ? this.etaMin! : base * this.etaMinRatio;
      if (step === 0) return etaMax;
      return trueDiv(
            owner,
            1 + libm.cos(Math.PI * step / period),
            1 + libm.cos(Math.PI * (step - 1) / period),
            "mmengine",
          ) * ((group[this.paramName] as number) - etaMin) + etaMin;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// ReduceOnPlateau
// ---------------------------------------------------------------------------------------------

/** Options of `ReduceOnPlateauParamScheduler` (and `ReduceOnPlateauLR`, `…Momentum`). */
export interface ReduceOnPlateauOptions extends ParamSchedulerBaseOptions {
  /**
   * The metric (a key of the `metrics` given to `step`) to watch.
   * @default {"loss"}
   */
  monitor?: string;
  /**
   * `"less"`: reduce when the metric stops decreasing; `"greater"`: when it stops increasing
   * (torch's `mode`).
   * @default {"less"}
   */
  rule?: "less" | "greater";
  /**
   * The reduction: `new = old · factor`; must be < 1.
   * @default {0.1}
   */
  factor?: number;
  /**
   * Epochs without improvement tolerated before reducing.
   * @default {10}
   */
  patience?: number;
  /**
   * How much better counts as an improvement (>= 0).
   * @default {1e-4}
   */
  threshold?: number;
  /**
   * `"rel"` or `"abs"` threshold.
   * @default {"rel"}
   */
  thresholdRule?: "rel" | "abs";
  /**
   * Epochs to wait after a reduction.
   * @default {0}
   */
  cooldown?: number;
  /**
   * Lower bound, one for every group or one per real group of the optimizer.
   * @default {0}
   */
  minValue?: number | readonly number[];
  /**
   * A reduction smaller than this is ignored.
   * @default {1e-8}
   */
  eps?: number;
}

/** Options of {@linkcode ReduceOnPlateauParamScheduler}. */
export interface ReduceOnPlateauParamSchedulerOptions
  extends ReduceOnPlateauOptions, ParamNameOption {}

/**
 * Reduces the parameter when a validation metric stops improving. Port of mmengine
 * `ReduceOnPlateauParamScheduler` (by epoch only).
 *
 * ```text
 * step():         _globalStep ← _globalStep + 1          (the runner, after each epoch)
 * step(metrics):  inside [begin, end): lastStep += 1; track metrics[monitor]
 *                 bad epochs > patience → value ← max(value · factor, minValue) if the drop > eps
 * ```
 *
 * Unlike the other classes it takes no step at construction and starts `_globalStep` at 0. A
 * `minValue` list has one value per real group; with an {@linkcode OptimWrapper} that has a
 * pseudo-group, the last value is repeated for it, as mmengine does.
 *
 * @example
 * ```ts
 * import { ReduceOnPlateauParamScheduler } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new ReduceOnPlateauParamScheduler({ optimizer, paramName: "lr", patience: 0 });
 * s.step({ loss: 1 });
 * s.step({ loss: 1 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * ```
 */
export class ReduceOnPlateauParamScheduler extends _ParamScheduler {
  /** mmengine's class flag: the runner steps it after validation, with the metrics. */
  static readonly needValArgs: true = true;
  /** The reduction factor. */
  factor: number;
  /** The lower bounds, one per group of `optimizer.paramGroups`. */
  minValues: number[];
  /** Patience. */
  patience: number;
  /** Cooldown length. */
  cooldown: number;
  /** Cooldown left. */
  cooldownCounter = 0;
  /** `INF` or `-INF`. */
  ruleWorse = 0;
  /** Best metric so far. */
  best = 0;
  /** Epochs without improvement. */
  numBadEpochs = 0;
  /** Minimal reduction. */
  eps: number;
  /** Metric key. */
  monitor: string;
  /** `"less"` or `"greater"`. */
  rule: "less" | "greater";
  /** The threshold. */
  threshold: number;
  /** `"rel"` or `"abs"`. */
  thresholdRule: "rel" | "abs";

  /**
   * Creates the scheduler (no first step).
   *
   * @throws {TypeError} If an option has the wrong type or is unknown.
   * @throws {RangeError} If `byEpoch` is `false` (mmengine `AssertionError`), `factor >= 1`,
   * `threshold < 0`, `rule` or `thresholdRule` is unknown, `minValue` has the wrong length
   * (mmengine `ValueError`), or another option is out of range.
   */
  constructor(options: ReduceOnPlateauParamSchedulerOptions) {
    const owner = ownerOf(options, "ReduceOnPlateauParamScheduler");
    const o = requireOptions(owner, options, [
      ...PARAM_SCHEDULER_BASE_KEYS,
      ...paramNameKey(options),
      "monitor",
      "rule",
      "factor",
      "patience",
      "threshold",
      "thresholdRule",
      "cooldown",
      "minValue",
      "eps",
    ]);
    super(owner, paramNameOf(o), o, "plateau");
    const factor = finite(owner, "factor", o.factor ?? 0.1);
    if (factor >= 1.0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `Factor should be < 1.0: got ${factor} (mmengine raises ValueError)`,
      );
    }
    this.factor = factor;
    const raw = this.optimizer instanceof OptimWrapper ? this.optimizer.optimizer : this.optimizer;
    const minValue = o.minValue ?? 0;
    if (Array.isArray(minValue)) {
      if (minValue.length !== raw.paramGroups.length) {
        throw optionError(
          RangeError,
          owner,
          "minValue",
          minValue,
          `expected ${raw.paramGroups.length} min_lrs, got ${minValue.length} ` +
            "(mmengine raises ValueError)",
        );
      }
      this.minValues = minValue.map((v, i) => finite(owner, `minValue[${i}]`, v));
      if (this.optimizer instanceof OptimWrapper && this.optimizer.baseParamSettings !== null) {
        this.minValues.push(this.minValues[this.minValues.length - 1]!);
      }
    } else {
      this.minValues = new Array<number>(this.optimizer.paramGroups.length).fill(
        finite(owner, "minValue", minValue),
      );
    }
    this.patience = finite(owner, "patience", o.patience ?? 10);
    this.cooldown = finite(owner, "cooldown", o.cooldown ?? 0);
    this.eps = finite(owner, "eps", o.eps ?? 1e-8);
    if (typeof (o.monitor ?? "loss") !== "string") {
      throw optionError(
        TypeError,
        owner,
        "monitor",
        o.monitor,
        `\`monitor\` must be a string: got ${show(o.monitor)}`,
      );
    }
    this.monitor = o.monitor ?? "loss";
    const threshold = finite(owner, "threshold", o.threshold ?? 1e-4);
    if (threshold < 0) {
      throw optionError(
        RangeError,
        owner,
        "threshold",
        threshold,
        `threshold ${threshold} should be >= 0 (mmengine raises ValueError)`,
      );
    }
    this.rule = oneOf(
      owner,
      "rule",
      o.rule ?? "less",
      ["less", "greater"] as const,
      " (mmengine raises ValueError)",
    );
    this.thresholdRule = oneOf(
      owner,
      "thresholdRule",
      o.thresholdRule ?? "rel",
      ["rel", "abs"] as const,
      " (mmengine raises ValueError)",
    );
    this.threshold = threshold;
    this.ruleWorse = this.rule === "less" ? INF : -INF;
    this.best = this.ruleWorse;
    this.cooldownCounter = 0;
    this.numBadEpochs = 0;
    this.recordLastValue();
  }

  /**
   * Without metrics, counts a training epoch (`_globalStep += 1`). With metrics, inside
   * `[begin, end)`, tracks `metrics[monitor]` and reduces the parameter after `patience` bad
   * epochs.
   *
   * @param metrics Validation results by name.
   * @throws {TypeError} If `metrics` is not an object (mmengine `TypeError`) or lacks the
   * monitored key (mmengine `KeyError`).
   */
  override step(metrics?: Record<string, number>): void {
    if (metrics === undefined || metrics === null) {
      this._globalStep += 1;
      return;
    }
    const owner = this.owner;
    if (typeof metrics !== "object" || Array.isArray(metrics)) {
      throw optionError(
        TypeError,
        owner,
        "metrics",
        metrics,
        `metrics type should be dict, but got ${show(metrics)}`,
      );
    }
    if (this.begin <= this._globalStep && this._globalStep < this.end) {
      this.lastStep += 1;
      const metric = metrics[this.monitor];
      if (metric === undefined || metric === null) {
        throw optionError(
          TypeError,
          owner,
          "monitor",
          this.monitor,
          `Excepted key in ${show(Object.keys(metrics))}, but got key ${this.monitor} ` +
            "is not in dict (mmengine raises KeyError)",
        );
      }
      finite(owner, `metrics.${this.monitor}`, metric);
      if (this.isBetter(metric, this.best)) {
        this.best = metric;
        this.numBadEpochs = 0;
      } else this.numBadEpochs += 1;
      if (this.cooldownCounter > 0) {
        this.cooldownCounter -= 1;
        this.numBadEpochs = 0;
      }
      if (this.numBadEpochs > this.patience) {
        this.writeValues(this.getValue(), (old, value) => old - value > this.eps);
        this.cooldownCounter = this.cooldown;
        this.numBadEpochs = 0;
      }
    }
    this.recordLastValue();
  }

  /** Prints an update in the ReduceOnPlateau format ("… in epoch N."). */
  protected override printValue(group: number, value: number): void {
    if (this.verbose) {
      console.log(
        `Adjusting parameter value of group ${group} to ${formatExp4(value)} in ${
          this.byEpoch ? "epoch" : "iter"
        } ${this.lastStep}.`,
      );
    }
  }

  /** The value of each group at step `lastStep` (mmengine's `_get_value`; see the class doc). */
  protected getValue(): number[] {
    return this.current().map((v, i) => pyMax(v * this.factor, this.minValues[i]!));
  }

  /** mmengine's `_is_better`. */
  private isBetter(a: number, best: number): boolean {
    if (this.rule === "less" && this.thresholdRule === "rel") {
      return a < best * (1 - this.threshold);
    }
    if (this.rule === "less") return a < best - this.threshold;
    if (this.thresholdRule === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }
}

/** The option keys a class accepts for the parameter name: none when a subclass fixes it. */
function paramNameKey(o: object | null | undefined): ["paramName"] | [] {
  return typeof o === "object" && o !== null && (o as { [FIXED]?: string })[FIXED] !== undefined
    ? []
    : ["paramName"];
}

/** The parameter name: fixed by the class (the LR / Momentum subclasses) or the option. */
function paramNameOf(o: object): string {
  return (o as { [FIXED]?: string })[FIXED] ?? (o as { paramName: string }).paramName;
}
