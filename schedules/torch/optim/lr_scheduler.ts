/**
 * Port of PyTorch's `torch/optim/lr_scheduler.py` (torch 1.13, 2.11 and 2.13): the base class
 * {@linkcode LRScheduler} and the multiplicative schedulers {@linkcode LambdaLR},
 * {@linkcode MultiplicativeLR}, {@linkcode StepLR}, {@linkcode MultiStepLR},
 * {@linkcode ConstantLR}, {@linkcode LinearLR}, {@linkcode ExponentialLR} and
 * {@linkcode PolynomialLR}.
 *
 * An optimizer here is any object with `paramGroups: { lr, … }[]` — torch's `param_groups`
 * with camelCase keys (`initial_lr` → `initialLr`). Schedulers write `lr` in place, exactly when
 * torch does: once at construction (torch's initial step) and on every `step()`.
 *
 * Like torch, most schedulers are *recursive* ("chainable"): each `step()` multiplies the
 * group's current `lr`, so `0.1 · 0.1 · 0.1` is what you get after three decays, not
 * `0.1 · 0.01`. The closed forms torch keeps for the deprecated `step(epoch)` are ported too and
 * used only there.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { bisectRight, floatPow, formatExp4, trueDiv } from "../../_internal/python.ts";
import {
  attributeState,
  BASE_KEYS,
  callFactor,
  type EpochFunction,
  formatEpoch,
  functionState,
  requireLambdas,
  requireStateKeys,
  requireTorch,
} from "./_helpers.ts";
import { array, finite, integer, requireOptions, show } from "../../_internal/validate.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";
import { checkStateGroups, checkStateValues, copyState } from "../../_internal/state.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";

/**
 * The torch release whose `torch.optim.lr_scheduler` a scheduler reproduces: `"1.13"` or
 * `"2.11"`. See the README's table of what changed between them.
 */
export type TorchVersion = "1.13" | "2.11" | "2.13";

/** Options shared by every torch-style scheduler. */
export interface LRSchedulerOptions {
  /** The optimizer whose parameter groups are scheduled. */
  optimizer: Optimizer;
  /**
   * The index of the last epoch (iteration). `-1` starts a new schedule and records each
   * group's `initialLr`; any other value resumes and requires `initialLr` in every group.
   * @default {-1}
   */
  lastEpoch?: number;
  /**
   * torch 1.13 only: print each learning-rate update, as torch's `verbose=True` does. torch 2.7
   * removed the parameter, so with `torch: "2.11"` or `"2.13"` passing it throws a `TypeError`.
   * @default {false}
   */
  verbose?: boolean;
  /**
   * The torch release to reproduce: its values, errors and state-dict keys.
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/** Python's `a // b` for integers. */
function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/**
 * Base class of the torch-style schedulers, a port of torch's `LRScheduler` (`_LRScheduler` in
 * torch 1.13), for torch 1.13, 2.11 and 2.13 (`torch` option, default `"2.13"`).
 *
 * ```text
 * construction: initialLr_g ← lr_g (lastEpoch = -1; kept if already set), baseLrs = initialLr
 *               initial step: lastEpoch ← lastEpoch + 1, lr_g ← getLr()[g]
 *               (torch 2.11 and 2.13: with _isInitial = true during that step)
 * step():       lastEpoch ← lastEpoch + 1,  lr_g ← getLr()[g]          (chainable form)
 * step(epoch):  lastEpoch ← epoch,          lr_g ← closed form, or getLr() where there is none
 * ```
 *
 * Subclasses implement {@linkcode LRScheduler.getLr} (torch's chainable `get_lr`) and call
 * {@linkcode LRScheduler.initialStep} at the end of their constructor.
 *
 * torch 2.11 and 2.13 (`_initial_mode`, PR #149312) mark the constructor's step with `_isInitial`, so
 * that `ExponentialLR`, `LinearLR`, `PolynomialLR`, `CosineAnnealingLR` and `MultiplicativeLR`
 * built with `lastEpoch >= 0` keep the resumed rate instead of applying one more factor; its
 * state dict has `_isInitial` and no `verbose` (removed in torch 2.7, PR #147301); it writes the
 * rates with `zip(…, strict=True)` (torch 2.10), so a step whose rates do not match the groups
 * one to one throws. torch 1.13's state dict has `verbose` and no `_isInitial`.
 *
 * Deliberate differences from torch: `step(epoch)` requires an integer `epoch >= 0`; a learning
 * rate that would be NaN or infinite (torch writes it) throws a `RangeError` instead; torch's
 * warnings about call order and its wrapping of `optimizer.step` are not ported.
 *
 * @example A custom chainable scheduler: halve the learning rate every step
 * ```ts
 * import { LRScheduler, type Optimizer } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * class HalvingLR extends LRScheduler {
 *   constructor(optimizer: Optimizer) {
 *     super("HalvingLR", { optimizer });
 *     this.initialStep();
 *   }
 *   getLr(): number[] {
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * 0.5));
 *   }
 * }
 * const optimizer: Optimizer = { paramGroups: [{ lr: 1 }] };
 * const s = new HalvingLR(optimizer);
 * s.step();
 * s.step();
 * assert.deepEqual(s.getLastLr(), [0.25]);
 * assert.equal(optimizer.paramGroups[0]!.initialLr, 1);
 * assert.equal(s.torch, "2.13");
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** Each group's `initialLr`, in group order (torch's `base_lrs`). */
  baseLrs: number[];
  /** Index of the last step taken: 0 after construction, `k` after `k` calls to `step()`. */
  lastEpoch: number;
  /** Whether each update is printed (torch 1.13 only; always `false` with torch 2.11 and 2.13). */
  verbose: boolean;
  /** Number of `step()` calls, the initial step included (torch's `_step_count`). */
  protected _stepCount = 0;
  /** torch 2.11's and 2.13's `_is_initial`: `true` only during the constructor's step. */
  protected _isInitial = false;
  /** torch's `_get_lr_called_within_step`: `false` between calls, as torch saves it. */
  protected _getLrCalledWithinStep = false;
  /** The learning rates written by the last step (torch's `_last_lr`). */
  protected _lastLr: number[] = [];
  readonly #torch: TorchVersion;
  readonly #owner: string;

  /**
   * Creates the scheduler, validating the shared options once. Does not take the initial step:
   * subclasses call {@linkcode LRScheduler.initialStep} once their own fields are set.
   *
   * @param owner The class name used in error messages.
   * @param options The shared options; `lastEpoch` defaults to -1, `torch` to `"2.13"`.
   * @param init `"attach"` only attaches the optimizer (no `initialLr`, `baseLrs` empty,
   * `lastEpoch` 0), as torch's composite schedulers and torch 2's `ReduceLROnPlateau` do without
   * calling the base constructor.
   * @throws {TypeError} If the optimizer is malformed, `initialLr` is missing from a group when
   * resuming (torch raises `KeyError`), or `verbose` is given with torch 2.11 and 2.13.
   * @throws {RangeError} If `lastEpoch` is not an integer >= -1 or `torch` is unknown.
   */
  protected constructor(
    owner: string,
    options: LRSchedulerOptions,
    init: "initialLr" | "attach" = "initialLr",
  ) {
    this.#owner = owner;
    this.#torch = requireTorch(owner, options);
    this.optimizer = requireOptimizer(owner, options.optimizer);
    this.verbose = options.verbose ?? false;
    if (typeof this.verbose !== "boolean") {
      throw optionError(
        TypeError,
        owner,
        "verbose",
        this.verbose,
        `\`verbose\` must be a boolean: got ${show(this.verbose)}`,
      );
    }
    if (init === "attach") {
      this.baseLrs = [];
      this.lastEpoch = 0;
      return;
    }
    const lastEpoch = options.lastEpoch ?? -1;
    integer(owner, "lastEpoch", lastEpoch, "an integer >= -1", (x) => x >= -1);
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const group of groups) {
        if (!("initialLr" in group) || group.initialLr === undefined) group.initialLr = group.lr;
      }
    } else {
      groups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw optionError(
            TypeError,
            owner,
            `optimizer.paramGroups[${i}].initialLr`,
            group.initialLr,
            `param 'initialLr' is not specified in paramGroups[${i}] when resuming ` +
              `(lastEpoch=${lastEpoch}); torch raises KeyError`,
          );
        }
      });
    }
    this.baseLrs = groups.map((group, i) =>
      finite(owner, `optimizer.paramGroups[${i}].initialLr`, group.initialLr)
    );
    this.lastEpoch = lastEpoch;
  }

  /**
   * The class's upstream name (`StepLR`), as its errors name it: explicit, so that it survives a
   * minifier (which renames `constructor.name`).
   */
  get owner(): string {
    return this.#owner;
  }

  /** The torch release this scheduler reproduces. */
  get torch(): TorchVersion {
    return this.#torch;
  }

  /**
   * torch's `_initial_step()`: resets the step count and takes the first step (torch 2.11 and 2.13: with
   * `_isInitial` set during it). Called at the end of every constructor, and by
   * {@linkcode SequentialLR} on its first scheduler.
   */
  initialStep(): void {
    this._stepCount = 0;
    if (this.#torch === "1.13") {
      this.step();
      return;
    }
    this._isInitial = true;
    try {
      this.step();
    } finally {
      this._isInitial = false;
    }
  }

  /**
   * The learning rate of each group for the step `lastEpoch`, computed the way torch's
   * `get_lr()` does (often from the groups' current `lr`: the "chainable" form). Some
   * schedulers update other group keys here (momentum), as torch does.
   */
  abstract getLr(): number[];

  /**
   * The closed form torch uses when `step(epoch)` is given an epoch, for the schedulers that
   * have one (`_get_closed_form_lr`); `undefined` elsewhere.
   */
  protected getClosedFormLr(): number[] | undefined {
    return undefined;
  }

  /**
   * Advances the schedule by one step and writes the new learning rates into the optimizer.
   *
   * @param epoch Deprecated in torch: jump to this epoch, using the closed form where the class
   * has one and `getLr()` otherwise.
   * @throws {RangeError} If `epoch` is not an integer >= 0, or where torch raises while
   * computing the new rates.
   */
  step(epoch?: number): void {
    if (epoch !== undefined) {
      integer(this.#owner, "epoch", epoch, "an integer >= 0", (x) => x >= 0);
    }
    this._stepCount += 1;
    this.updateLr(epoch);
  }

  /**
   * The second half of {@linkcode LRScheduler.step}, which does not count the step: torch 2's
   * `_update_lr`, which torch 2.11's and 2.13's `SequentialLR` calls as `_update_lr(0)` to restart a
   * scheduler at its milestone.
   *
   * @param epoch As in {@linkcode LRScheduler.step}.
   * @throws {RangeError} Where torch raises while computing the new rates.
   */
  updateLr(epoch?: number): void {
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.getClosedFormLr() ?? this.getLr();
    }
    this.applyLrs(values, epoch);
  }

  /**
   * Writes `values` into the groups and records them as the last learning rates, as the end of
   * torch's `step()` does: torch 1.13 zips as far as both go; torch 2.11 and 2.13 zip with `strict=True`.
   *
   * @throws {RangeError} If a value is NaN or infinite (torch would write it), or, with torch
   * 2.11, if there are not exactly as many values as groups (torch `ValueError`).
   */
  protected applyLrs(values: readonly number[], epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    if (this.#torch !== "1.13" && values.length !== groups.length) {
      throw optionError(
        RangeError,
        this.#owner,
        "values",
        values,
        `zip() argument 2 is ${
          values.length < groups.length ? "shorter" : "longer"
        } than argument 1: ${values.length} learning rates for ${groups.length} groups (torch ` +
          "2.11 raises ValueError)",
      );
    }
    const n = Math.min(groups.length, values.length);
    for (let i = 0; i < n; i++) {
      const lr = values[i]!;
      if (!Number.isFinite(lr)) {
        throw optionError(
          RangeError,
          this.#owner,
          `optimizer.paramGroups[${i}].lr`,
          lr,
          `the learning rate of group ${i} would be ${
            show(lr)
          } (torch would write it; lrspec refuses)`,
        );
      }
    }
    if (this.verbose) {
      for (let i = 0; i < n; i++) {
        groups[i]!.lr = values[i]!;
        this.printLr(i, values[i]!, epoch);
      }
    } else {
      for (let i = 0; i < n; i++) groups[i]!.lr = values[i]!;
    }
    const last = this._lastLr;
    if (last.length !== groups.length) last.length = groups.length;
    for (let i = 0; i < groups.length; i++) last[i] = groups[i]!.lr;
  }

  /** Prints an update in torch 1.13's `print_lr` format. */
  protected printLr(group: number, lr: number, epoch?: number): void {
    if (epoch === undefined) {
      console.log(`Adjusting learning rate of group ${group} to ${formatExp4(lr)}.`);
    } else {
      console.log(
        `Epoch ${formatEpoch(epoch)}: adjusting learning rate of group ${group} to ${
          formatExp4(lr)
        }.`,
      );
    }
  }

  /** The learning rates written by the last step (a copy). */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /**
   * The scheduler's state: like torch, every attribute except the optimizer (and functions,
   * which torch cannot serialise either), with that release's keys (`verbose` in 1.13,
   * `_isInitial` in 2.11). Arrays and plain objects are copied.
   */
  stateDict(): StateDict {
    const state = attributeState(this);
    if (this.#torch === "1.13") delete state._isInitial;
    else delete state.verbose;
    return state;
  }

  /**
   * Restores a state from {@linkcode LRScheduler.stateDict}. Like torch, it assigns the saved
   * attributes and does not touch the optimizer (restore its groups as well, as torch users
   * restore the optimizer's state dict); unlike torch, it rejects keys this scheduler's state
   * does not have.
   *
   * @throws {TypeError} If `state` is not an object, has a key this scheduler's state lacks, or
   * a value of another kind than the one it replaces (`_lastLr: null`, `baseLrs: "garbage"`).
   * @throws {RangeError} For a NaN, or a list of rates that does not match the groups.
   */
  loadStateDict(state: StateDict): void {
    const current = this.stateDict();
    const owner = this.#owner;
    const checked = requireStateKeys(owner, Object.keys(current), state);
    checkStateValues(owner, current, checked);
    checkStateGroups(owner, checked, ["baseLrs", "_lastLr"], this.optimizer.paramGroups.length);
    Object.assign(this, copyState(checked));
  }
}

// ---------------------------------------------------------------------------------------------
// LambdaLR, MultiplicativeLR
// ---------------------------------------------------------------------------------------------

/** A learning-rate factor as a function of the epoch (torch's `lr_lambda`). */
export type LrLambda = (epoch: number) => number;

/** Options of {@linkcode LambdaLR} and {@linkcode MultiplicativeLR}. */
export interface LambdaLROptions extends LRSchedulerOptions {
  /** One function of the epoch for every group, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
}

/** The state of each `lrLambda`, as torch saves it: `null` unless the function has own fields. */
function lambdaStates(lambdas: readonly EpochFunction[]): (Record<string, unknown> | null)[] {
  return lambdas.map(functionState);
}

function restoreLambdas(lambdas: readonly EpochFunction[], saved: unknown, owner: string): void {
  if (saved === undefined) return;
  if (!Array.isArray(saved)) {
    throw optionError(
      TypeError,
      owner,
      "state.lrLambdas",
      saved,
      `state \`lrLambdas\` must be an array: got ${show(saved)}`,
    );
  }
  saved.forEach((entry, i) => {
    if (entry !== null && entry !== undefined && lambdas[i] !== undefined) {
      Object.assign(lambdas[i]!, entry);
    }
  });
}

/**
 * Sets each group's learning rate to its initial learning rate times a function of the epoch.
 * Port of torch `LambdaLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(e) = initialLr_g · lrLambda_g(e)
 * ```
 *
 * Not chainable (it ignores the group's current `lr`) and without a closed form: `step(epoch)`
 * evaluates the same formula at `epoch`. The state dict holds `null` for each plain function
 * and the own fields of a function that has some (torch saves the `__dict__` of callable
 * objects). lrspec throws if a function returns something other than a finite number.
 *
 * @example torch's docstring example: two groups, two lambdas
 * ```ts
 * import { LambdaLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.2 }] };
 * const scheduler = new LambdaLR({
 *   optimizer,
 *   lrLambda: [(epoch) => Math.floor(epoch / 30), (epoch) => 0.95 ** epoch],
 * });
 * for (let epoch = 0; epoch < 30; epoch++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.1);
 * assert.equal(optimizer.paramGroups[1]!.lr, 0.2 * 0.95 ** 30);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The function of each group. */
  lrLambdas: LrLambda[];

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, lrLambda, lastEpoch?, verbose? }`.
   * @throws {RangeError} If a list of functions does not have one per group (torch
   * `ValueError`), or `lastEpoch` is out of range.
   * @throws {TypeError} If `lrLambda` is not a function or a list of functions, the optimizer is
   * malformed or `initialLr` is missing when resuming.
   */
  constructor(options: LambdaLROptions) {
    const owner = "LambdaLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "lrLambda"]);
    requireTorch(owner, o);
    const optimizer = requireOptimizer(owner, o.optimizer);
    const lrLambdas = requireLambdas(owner, o.lrLambda, optimizer.paramGroups.length);
    super(owner, o);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  /** `initialLr · lrLambda(lastEpoch)` for each group. */
  getLr(): number[] {
    const e = this.lastEpoch;
    return this.baseLrs.map((baseLr, i) =>
      baseLr * callFactor("LambdaLR", "lrLambda", this.lrLambdas[i]!, e)
    );
  }

  /** The state, with `lrLambdas` saved as torch saves them. */
  override stateDict(): StateDict {
    const state = super.stateDict();
    state.lrLambdas = lambdaStates(this.lrLambdas);
    return state;
  }

  /**
   * Restores a state; `lrLambdas` entries update the fields of this scheduler's functions.
   * @throws {TypeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const { lrLambdas, ...rest } = state;
    super.loadStateDict(rest);
    restoreLambdas(this.lrLambdas, lrLambdas, "LambdaLR");
  }
}

/**
 * Multiplies each group's learning rate by a function of the epoch at every step. Port of torch
 * `MultiplicativeLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * initial step:  lr_g unchanged
 * lr_g(e) = lr_g(e − 1) · lrLambda_g(e)   (torch 1.13: only for e > 0)
 * ```
 *
 * Chainable, without a closed form: `step(epoch)` multiplies by `lrLambda(epoch)` once. The state
 * dict saves functions as {@linkcode LambdaLR} does. torch 1.13 skips the factor whenever
 * `e <= 0`; torch 2.11 and 2.13 (PR #149312) only at the initial step, so a `SequentialLR` restarting it
 * at a milestone (epoch 0) applies `lrLambda(0)`, and one built with `lastEpoch >= 0` does not
 * apply a factor at construction.
 *
 * @example Decay by 0.95 every epoch
 * ```ts
 * import { MultiplicativeLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = new MultiplicativeLR({ optimizer, lrLambda: () => 0.95 });
 * scheduler.step();
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 1 * 0.95 * 0.95);
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** The function of each group. */
  lrLambdas: LrLambda[];

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, lrLambda, lastEpoch?, verbose? }`.
   * @throws {RangeError} If a list of functions does not have one per group (torch
   * `ValueError`), or `lastEpoch` is out of range.
   * @throws {TypeError} If `lrLambda` is not a function or a list of functions, the optimizer is
   * malformed or `initialLr` is missing when resuming.
   */
  constructor(options: LambdaLROptions) {
    const owner = "MultiplicativeLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "lrLambda"]);
    requireTorch(owner, o);
    const optimizer = requireOptimizer(owner, o.optimizer);
    const lrLambdas = requireLambdas(owner, o.lrLambda, optimizer.paramGroups.length);
    super(owner, o);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  /**
   * `lr · lrLambda(lastEpoch)` for each group, except `lr` unchanged at the initial step (torch
   * 2.11: `_isInitial`) or, with torch 1.13, whenever `lastEpoch <= 0`.
   */
  getLr(): number[] {
    const e = this.lastEpoch;
    const groups = this.optimizer.paramGroups;
    if (this.torch === "1.13" ? e > 0 : !this._isInitial) {
      return this.lrLambdas.slice(0, groups.length).map((f, i) =>
        groups[i]!.lr * callFactor("MultiplicativeLR", "lrLambda", f, e)
      );
    }
    return groups.map((g) => g.lr);
  }

  /** The state, with `lrLambdas` saved as torch saves them. */
  override stateDict(): StateDict {
    const state = super.stateDict();
    state.lrLambdas = lambdaStates(this.lrLambdas);
    return state;
  }

  /**
   * Restores a state; `lrLambdas` entries update the fields of this scheduler's functions.
   * @throws {TypeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const { lrLambdas, ...rest } = state;
    super.loadStateDict(rest);
    restoreLambdas(this.lrLambdas, lrLambdas, "MultiplicativeLR");
  }
}

// ---------------------------------------------------------------------------------------------
// StepLR, MultiStepLR, ExponentialLR
// ---------------------------------------------------------------------------------------------

/** Options of {@linkcode StepLR}. */
export interface StepLROptions extends LRSchedulerOptions {
  /** Period of the decay, in epochs: a positive integer. */
  stepSize: number;
  /**
   * Multiplicative factor of the decay.
   * @default {0.1}
   */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs. Port of torch
 * `StepLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(e) = lr_g(e − 1) · gamma   if e > 0 and e mod stepSize = 0
 *         = lr_g(e − 1)           otherwise
 * closed form (step(epoch)): initialLr_g · gamma ** ⌊e / stepSize⌋
 * ```
 *
 * Recursive, like torch: after three decays of 0.1 the rate is `lr · 0.1 · 0.1 · 0.1`, which is
 * not `lr · 0.001` in floating point. lrspec requires `stepSize` to be a positive integer (torch
 * fails with `ZeroDivisionError` at the first step for 0).
 *
 * @example The seed recipe: `StepLR(optimizer, step_size=10, gamma=0.1)`
 * ```ts
 * import { StepLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const scheduler = new StepLR({ optimizer, stepSize: 10, gamma: 0.1 });
 * const lrs: number[] = [];
 * for (let epoch = 0; epoch < 31; epoch++) {
 *   lrs.push(optimizer.paramGroups[0]!.lr); // train epoch `epoch` with this
 *   scheduler.step();
 * }
 * assert.equal(lrs[9], 0.1);
 * assert.equal(lrs[10], 0.1 * 0.1);
 * assert.equal(lrs[30], 0.1 * 0.1 * 0.1 * 0.1); // 1.0000000000000003e-5, as torch
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay. */
  stepSize: number;
  /** The decay factor. */
  gamma: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, stepSize, gamma?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `stepSize` is not a positive integer, `gamma` is not finite or
   * `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed or
   * `initialLr` is missing when resuming.
   */
  constructor(options: StepLROptions) {
    const owner = "StepLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "stepSize", "gamma"]);
    requireTorch(owner, o);
    const stepSize = integer(owner, "stepSize", o.stepSize, "a positive integer", (x) => x > 0);
    const gamma = finite(owner, "gamma", o.gamma ?? 0.1);
    super(owner, o);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  /** `lr · gamma` at every multiple of `stepSize` (except epoch 0), else `lr`. */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) {
      return groups.map((g) => g.lr);
    }
    return groups.map((g) => g.lr * this.gamma);
  }

  /** `initialLr · gamma ** ⌊lastEpoch / stepSize⌋`. */
  protected override getClosedFormLr(): number[] {
    const k = floorDiv(this.lastEpoch, this.stepSize);
    return this.baseLrs.map((baseLr) => baseLr * floatPow("StepLR", this.gamma, k));
  }
}

/** Options of {@linkcode MultiStepLR}. */
export interface MultiStepLROptions extends LRSchedulerOptions {
  /** Epochs at which the rate is multiplied by `gamma`; a repeated epoch applies it repeatedly. */
  milestones: readonly number[];
  /**
   * Multiplicative factor of the decay.
   * @default {0.1}
   */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` at each milestone. Port of torch
 * `MultiStepLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(e) = lr_g(e − 1) · gamma ** count(e)   if e is a milestone (count: its multiplicity)
 *         = lr_g(e − 1)                       otherwise
 * closed form (step(epoch)): initialLr_g · gamma ** bisect_right(sorted milestones, e)
 * ```
 *
 * Like torch, milestones are kept in a counter ({@linkcode MultiStepLR.milestones}, milestone →
 * multiplicity), so a repeated milestone applies `gamma ** 2` at once, the order does not
 * matter, and a milestone at 0 decays at the initial step.
 *
 * @example A repeated milestone
 * ```ts
 * import { MultiStepLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = new MultiStepLR({ optimizer, milestones: [2, 2], gamma: 0.5 });
 * scheduler.step();
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.25);
 * assert.deepEqual(scheduler.milestones, { "2": 2 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** torch's `Counter(milestones)`: each milestone (as a string key) and its multiplicity. */
  milestones: Record<string, number>;
  /** The decay factor. */
  gamma: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, milestones, gamma?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If a milestone is not an integer, `gamma` is not finite or `lastEpoch`
   * is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed or
   * `initialLr` is missing when resuming.
   */
  constructor(options: MultiStepLROptions) {
    const owner = "MultiStepLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "milestones", "gamma"]);
    requireTorch(owner, o);
    const counter: Record<string, number> = {};
    array(owner, "milestones", o.milestones).forEach((m, i) => {
      const k = String(integer(owner, `milestones[${i}]`, m, "an integer"));
      counter[k] = (counter[k] ?? 0) + 1;
    });
    const gamma = finite(owner, "gamma", o.gamma ?? 0.1);
    super(owner, o);
    this.milestones = counter;
    this.gamma = gamma;
    this.initialStep();
  }

  /** `lr · gamma ** count(lastEpoch)` at a milestone, else `lr`. */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const key = String(this.lastEpoch);
    if (!Object.prototype.hasOwnProperty.call(this.milestones, key)) {
      return groups.map((g) => g.lr);
    }
    const count = this.milestones[key]!;
    return groups.map((g) => g.lr * floatPow("MultiStepLR", this.gamma, count));
  }

  /** `initialLr · gamma ** bisect_right(sorted milestones, lastEpoch)`. */
  protected override getClosedFormLr(): number[] {
    const elements: number[] = [];
    for (const [m, count] of Object.entries(this.milestones)) {
      for (let i = 0; i < count; i++) elements.push(Number(m));
    }
    elements.sort((a, b) => a - b);
    const k = bisectRight(elements, this.lastEpoch);
    return this.baseLrs.map((baseLr) => baseLr * floatPow("MultiStepLR", this.gamma, k));
  }
}

/** Options of {@linkcode ExponentialLR}. */
export interface ExponentialLROptions extends LRSchedulerOptions {
  /** Multiplicative factor of the decay, applied every epoch. */
  gamma: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch. Port of torch `ExponentialLR`
 * (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * initial step: lr_g unchanged;  lr_g(e) = lr_g(e − 1) · gamma
 * closed form (step(epoch)): initialLr_g · gamma ** e
 * ```
 *
 * torch 1.13 keeps the rate whenever `e = 0` — also at the initial step of a scheduler built with
 * `lastEpoch >= 0`, which therefore multiplies the resumed rate once more; torch 2.11 and 2.13 (PR #149312,
 * issue #102261) keeps it exactly at the initial step, and multiplies at `e = 0` otherwise (a
 * `SequentialLR` milestone at 0).
 *
 * @example
 * ```ts
 * import { ExponentialLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = new ExponentialLR({ optimizer, gamma: 0.9 });
 * scheduler.step();
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.9 * 0.9);
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** The decay factor. */
  gamma: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, gamma, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `gamma` is not finite or `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type or is missing, the optimizer is
   * malformed or `initialLr` is missing when resuming.
   */
  constructor(options: ExponentialLROptions) {
    const owner = "ExponentialLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "gamma"]);
    requireTorch(owner, o);
    const gamma = finite(owner, "gamma", o.gamma);
    super(owner, o);
    this.gamma = gamma;
    this.initialStep();
  }

  /** `lr · gamma`; `lr` at the initial step (torch 2.11 and 2.13) or at epoch 0 (torch 1.13). */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.torch === "1.13" ? this.lastEpoch === 0 : this._isInitial) {
      return groups.map((g) => g.lr);
    }
    return groups.map((g) => g.lr * this.gamma);
  }

  /** `initialLr · gamma ** lastEpoch`. */
  protected override getClosedFormLr(): number[] {
    return this.baseLrs.map((baseLr) =>
      baseLr * floatPow("ExponentialLR", this.gamma, this.lastEpoch)
    );
  }
}

// ---------------------------------------------------------------------------------------------
// ConstantLR, LinearLR, PolynomialLR
// ---------------------------------------------------------------------------------------------

/** Options of {@linkcode ConstantLR}. */
export interface ConstantLROptions extends LRSchedulerOptions {
  /**
   * The factor applied until `totalIters`, in [0, 1].
   * @default {1 / 3}
   */
  factor?: number;
  /**
   * The number of epochs the factor applies: a non-negative integer.
   * @default {5}
   */
  totalIters?: number;
}

/**
 * Multiplies each group's learning rate by a constant factor until `totalIters`. Port of torch
 * `ConstantLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(0) = lr_g · factor
 * lr_g(e) = lr_g(e − 1) · (1.0 / factor)   if e = totalIters (e > 0)
 *         = lr_g(e − 1)                    otherwise
 * closed form (step(epoch)): initialLr_g · (factor + [e >= totalIters] · (1 − factor))
 * ```
 *
 * Recursive, like torch: the rate is restored by multiplying by `1.0 / factor`, which need not
 * give back the initial rate exactly. `factor = 0` makes torch raise `ZeroDivisionError` at
 * `totalIters`; lrspec throws a `RangeError` there.
 *
 * @example
 * ```ts
 * import { ConstantLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.05 }] };
 * const scheduler = new ConstantLR({ optimizer, factor: 0.5, totalIters: 4 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.025);
 * for (let i = 0; i < 4; i++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.05);
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor applied until `totalIters`. */
  factor: number;
  /** The number of epochs the factor applies. */
  totalIters: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, factor?, totalIters?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `factor` is outside [0, 1] (torch `ValueError`), `totalIters` is not
   * a non-negative integer or `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed or
   * `initialLr` is missing when resuming.
   */
  constructor(options: ConstantLROptions) {
    const owner = "ConstantLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "factor", "totalIters"]);
    requireTorch(owner, o);
    const factor = finite(owner, "factor", o.factor ?? 1.0 / 3);
    if (factor > 1.0 || factor < 0) {
      throw optionError(
        RangeError,
        owner,
        "factor",
        factor,
        `Constant multiplicative factor expected to be between 0 and 1: got ${show(factor)}`,
      );
    }
    const totalIters = integer(
      owner,
      "totalIters",
      o.totalIters ?? 5,
      "an integer >= 0",
      (x) => x >= 0,
    );
    super(owner, o);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** `lr · factor` at epoch 0, `lr · (1.0 / factor)` at `totalIters`, else `lr`. */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    if (e === 0) return groups.map((g) => g.lr * this.factor);
    if (e > this.totalIters || e !== this.totalIters) return groups.map((g) => g.lr);
    const restore = trueDiv("ConstantLR", 1.0, this.factor);
    return groups.map((g) => g.lr * restore);
  }

  /** `initialLr · (factor + [lastEpoch >= totalIters] · (1 − factor))`. */
  protected override getClosedFormLr(): number[] {
    const reached = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((baseLr) => baseLr * (this.factor + reached * (1 - this.factor)));
  }
}

/** Options of {@linkcode LinearLR}. */
export interface LinearLROptions extends LRSchedulerOptions {
  /**
   * The factor at epoch 0, in [0, 1].
   * @default {1 / 3}
   */
  startFactor?: number;
  /**
   * The factor reached at `totalIters`, in [0, 1].
   * @default {1}
   */
  endFactor?: number;
  /**
   * The number of epochs over which the factor changes: a non-negative integer.
   * @default {5}
   */
  totalIters?: number;
}

/**
 * Changes each group's learning rate linearly from `startFactor · lr` to `endFactor · lr` over
 * `totalIters` epochs. Port of torch `LinearLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(0) = lr_g · startFactor
 * lr_g(e) = lr_g(e − 1) · (1 + (end − start) / (totalIters · start + (e − 1) · (end − start)))
 *                                                                         for 0 < e <= totalIters
 *         = lr_g(e − 1)                                                   for e > totalIters
 * closed form (step(epoch)): initialLr_g · (start + (end − start) · min(totalIters, e) / totalIters)
 * ```
 *
 * Recursive, like torch. torch 1.13 accepts `startFactor = 0` and then raises
 * `ZeroDivisionError` at the first step (lrspec throws a `RangeError` there); torch 2.11 and 2.13 reject
 * it at construction (`ValueError`, PR #86695), and so does lrspec. torch 2.11 and 2.13 also keep the
 * resumed rate at the initial step of a scheduler built with `lastEpoch >= 0` (PR #149312),
 * where torch 1.13 applies the factor of that epoch.
 *
 * @example torch's docstring example
 * ```ts
 * import { LinearLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.05 }] };
 * const scheduler = new LinearLR({ optimizer, startFactor: 0.5, totalIters: 4 });
 * const lrs = [optimizer.paramGroups[0]!.lr];
 * for (let i = 0; i < 4; i++) {
 *   scheduler.step();
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 * }
 * assert.deepEqual(lrs, [0.025, 0.03125, 0.0375, 0.043750000000000004, 0.05]);
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  startFactor: number;
  /** The factor at `totalIters`. */
  endFactor: number;
  /** The number of epochs over which the factor changes. */
  totalIters: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, startFactor?, endFactor?, totalIters?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If a factor is outside [0, 1] (torch `ValueError`), `totalIters` is
   * not a non-negative integer or `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed or
   * `initialLr` is missing when resuming.
   */
  constructor(options: LinearLROptions) {
    const owner = "LinearLR";
    const o = requireOptions(owner, options, [
      ...BASE_KEYS,
      "startFactor",
      "endFactor",
      "totalIters",
    ]);
    const torch = requireTorch(owner, o);
    const startFactor = finite(owner, "startFactor", o.startFactor ?? 1.0 / 3);
    if (torch === "1.13" && (startFactor > 1.0 || startFactor < 0)) {
      throw optionError(
        RangeError,
        owner,
        "startFactor",
        startFactor,
        `Starting multiplicative factor expected to be between 0 and 1: got ${show(startFactor)}`,
      );
    }
    if (torch !== "1.13" && (startFactor > 1.0 || startFactor <= 0)) {
      throw optionError(
        RangeError,
        owner,
        "startFactor",
        startFactor,
        `Starting multiplicative factor expected to be greater than 0 and less or ` +
          `equal to 1: got ${show(startFactor)} (torch 2.11 and 2.13 ValueError; PR #86695)`,
      );
    }
    const endFactor = finite(owner, "endFactor", o.endFactor ?? 1.0);
    if (endFactor > 1.0 || endFactor < 0) {
      throw optionError(
        RangeError,
        owner,
        "endFactor",
        endFactor,
        `Ending multiplicative factor expected to be between 0 and 1: got ${show(endFactor)}`,
      );
    }
    const totalIters = integer(
      owner,
      "totalIters",
      o.totalIters ?? 5,
      "an integer >= 0",
      (x) => x >= 0,
    );
    super(owner, o);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** The chainable update: see the class documentation. */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    if (e === 0) return groups.map((g) => g.lr * this.startFactor);
    if ((this.torch !== "1.13" && this._isInitial) || e > this.totalIters) {
      return groups.map((g) => g.lr);
    }
    const start = this.startFactor, end = this.endFactor;
    const factor = 1.0 +
      trueDiv("LinearLR", end - start, this.totalIters * start + (e - 1) * (end - start));
    return groups.map((g) => g.lr * factor);
  }

  /** `initialLr · (start + (end − start) · min(totalIters, lastEpoch) / totalIters)`. */
  protected override getClosedFormLr(): number[] {
    const start = this.startFactor, end = this.endFactor;
    const t = this.totalIters;
    const progress = trueDiv(
      "LinearLR",
      (end - start) * Math.min(t, this.lastEpoch),
      t,
    );
    return this.baseLrs.map((baseLr) => baseLr * (start + progress));
  }
}

/** Options of {@linkcode PolynomialLR}. */
export interface PolynomialLROptions extends LRSchedulerOptions {
  /**
   * The number of epochs of the decay: a non-negative integer.
   * @default {5}
   */
  totalIters?: number;
  /**
   * The power of the polynomial.
   * @default {1}
   */
  power?: number;
}

/**
 * Decays each group's learning rate polynomially to 0 over `totalIters` epochs. Port of torch
 * `PolynomialLR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * lr_g(e) = lr_g(e − 1) · ((1.0 − e / T) / (1.0 − (e − 1) / T)) ** power   for e <= T
 *         = lr_g(e − 1)             at the initial step (torch 1.13: at e = 0) or for e > T
 * closed form (step(epoch)): initialLr_g · (1.0 − min(T, e) / T) ** power
 * ```
 *
 * Recursive, like torch: each step multiplies by a ratio raised to `power` (Python's `**`, i.e.
 * libm `pow`). The rate is kept at `e = 0` in torch 1.13 and at the initial step in torch 2.11 and 2.13
 * (PR #149312): they differ for a scheduler built with `lastEpoch >= 0` and at a `SequentialLR`
 * milestone at 0. A negative `power` makes torch raise `ZeroDivisionError` (`0.0 ** negative`) at
 * `e = T`; lrspec throws a `RangeError` there.
 *
 * @example torch's docstring example
 * ```ts
 * import { PolynomialLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.001 }] };
 * const scheduler = new PolynomialLR({ optimizer, totalIters: 4, power: 1 });
 * scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.001 * (0.75 / 1) ** 1);
 * for (let i = 0; i < 3; i++) scheduler.step();
 * assert.equal(optimizer.paramGroups[0]!.lr, 0);
 * ```
 */
export class PolynomialLR extends LRScheduler {
  /** The number of epochs of the decay. */
  totalIters: number;
  /** The power of the polynomial. */
  power: number;

  /**
   * Creates the scheduler, validating every option once, and takes torch's initial step.
   *
   * @param options `{ optimizer, totalIters?, power?, lastEpoch?, verbose? }`.
   * @throws {RangeError} If `totalIters` is not a non-negative integer, `power` is not finite or
   * `lastEpoch` is out of range.
   * @throws {TypeError} If an option has the wrong type, the optimizer is malformed or
   * `initialLr` is missing when resuming.
   */
  constructor(options: PolynomialLROptions) {
    const owner = "PolynomialLR";
    const o = requireOptions(owner, options, [...BASE_KEYS, "totalIters", "power"]);
    requireTorch(owner, o);
    const totalIters = integer(
      owner,
      "totalIters",
      o.totalIters ?? 5,
      "an integer >= 0",
      (x) => x >= 0,
    );
    const power = finite(owner, "power", o.power ?? 1.0);
    super(owner, o);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  /** The chainable update: see the class documentation. */
  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    const t = this.totalIters;
    if ((this.torch === "1.13" ? e === 0 : this._isInitial) || e > t) {
      return groups.map((g) => g.lr);
    }
    const ratio = trueDiv("PolynomialLR", 1.0 - e / t, 1.0 - (e - 1) / t);
    const decayFactor = floatPow("PolynomialLR", ratio, this.power);
    return groups.map((g) => g.lr * decayFactor);
  }

  /** `initialLr · (1.0 − min(totalIters, lastEpoch) / totalIters) ** power`. */
  protected override getClosedFormLr(): number[] {
    const t = this.totalIters;
    const base = 1.0 - trueDiv("PolynomialLR", Math.min(t, this.lastEpoch), t);
    return this.baseLrs.map((baseLr) => baseLr * floatPow("PolynomialLR", base, this.power));
  }
}
