/**
 * Port of PyTorch's scheduler combinators (`torch/optim/lr_scheduler.py`, torch 1.13, 2.11 and 2.13):
 * {@linkcode SequentialLR} and {@linkcode ChainedScheduler}.
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { bisectRight } from "../../_internal/python.ts";
import { array, finiteArray, integer, requireOptions, show } from "../../_internal/validate.ts";
import { LRScheduler, type TorchVersion } from "./lr_scheduler.ts";
import { ReduceLROnPlateau } from "./lr_scheduler_plateau.ts";
import { requireTorch } from "./_helpers.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";

/**
 * Validates the children of a combinator: `LRScheduler`s of the combinator's torch release, not
 * `ReduceLROnPlateau`, all on `optimizer` (when given). torch 1.13 cannot nest combinators;
 * torch 2.11 and 2.13 can (PR #133450).
 */
function requireChildren(
  owner: string,
  value: unknown,
  optimizer: Optimizer | undefined,
  torch: TorchVersion,
): LRScheduler[] {
  if (!Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      "schedulers",
      value,
      `\`schedulers\` must be an array: got ${show(value)}`,
    );
  }
  if (torch !== "1.13" && value.length === 0) {
    throw optionError(
      RangeError,
      owner,
      "schedulers",
      value,
      `expects at least one scheduler, but got no scheduler (torch ValueError)`,
    );
  }
  value.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) {
      throw optionError(
        TypeError,
        owner,
        `schedulers[${i}]`,
        s,
        `\`schedulers[${i}]\` must be an LRScheduler: got ${show(s)}`,
      );
    }
    if (s instanceof ReduceLROnPlateau) {
      throw optionError(
        TypeError,
        owner,
        `schedulers[${i}]`,
        s,
        `does not support \`ReduceLROnPlateau\` scheduler as it requires additional ` +
          `kwargs to be specified when calling \`step\`, but got one at index ${i} (torch ${
            torch === "1.13" ? "fails calling its step()" : "ValueError"
          })`,
      );
    }
    if (s.torch !== torch) {
      throw optionError(
        TypeError,
        owner,
        `schedulers[${i}]`,
        s,
        `\`schedulers[${i}]\` (${s.owner}) reproduces torch ${s.torch}, but ` +
          `this ${owner} torch ${torch}: build every scheduler with the same \`torch\` option`,
      );
    }
    if (torch === "1.13" && (s instanceof SequentialLR || s instanceof ChainedScheduler)) {
      throw optionError(
        TypeError,
        owner,
        `schedulers[${i}]`,
        s,
        `\`schedulers[${i}]\` is a ${s.owner}, which cannot be nested ` +
          "here with torch 1.13 (torch fails with AttributeError or TypeError; torch 2.6 " +
          "allows it, PR #133450)",
      );
    }
    if (optimizer !== undefined && s.optimizer !== optimizer) {
      throw new TypeError(
        torch === "1.13"
          ? `${owner}: expects all schedulers to belong to the same optimizer, but got ` +
            `schedulers at index ${i} to be different than the optimizer passed in (torch ` +
            "ValueError)"
          : `${owner}: expects all schedulers to belong to the same optimizer, but got scheduler ` +
            `${s.owner} at index ${i} with another optimizer (torch ValueError)`,
        { cause: { owner: owner, option: `schedulers[${i}]`, value: s } },
      );
    }
  });
  return value.slice() as LRScheduler[];
}

/**
 * torch 2.11's and 2.13's `SequentialLR.recursive_undo`: rewinds `lastEpoch` by one in every scheduler that
 * is not a combinator, descending into combinators.
 */
function recursiveUndo(schedulers: readonly LRScheduler[]): void {
  for (const s of schedulers) {
    if (s instanceof SequentialLR || s instanceof ChainedScheduler) recursiveUndo(s.schedulers);
    else s.lastEpoch -= 1;
  }
}

function childStates(children: readonly LRScheduler[]): StateDict[] {
  return children.map((s) => s.stateDict());
}

function loadChildStates(owner: string, children: readonly LRScheduler[], saved: unknown): void {
  if (!Array.isArray(saved) || saved.length !== children.length) {
    throw optionError(
      TypeError,
      owner,
      "state._schedulers",
      saved,
      `state \`_schedulers\` must be an array of ${children.length} states: got ${show(saved)}`,
    );
  }
  children.forEach((s, i) => s.loadStateDict(saved[i] as StateDict));
}

/** Options of {@linkcode SequentialLR}. */
export interface SequentialLROptions {
  /** The optimizer all `schedulers` were built on. */
  optimizer: Optimizer;
  /** The schedulers, in the order they take over. */
  schedulers: readonly LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than `schedulers`. */
  milestones: readonly number[];
  /**
   * The index of the last epoch.
   * @default {-1}
   */
  lastEpoch?: number;
  /**
   * torch 1.13 only: does nothing, as in torch (torch 2.7 removed it: with `torch: "2.11"`
   * passing it throws a `TypeError`).
   * @default {false}
   */
  verbose?: boolean;
  /**
   * The torch release to reproduce; every scheduler in `schedulers` must have the same.
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/**
 * Runs schedulers one after another, switching at the milestones. Port of torch `SequentialLR`
 * (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * construction: lr_g ← initialLr_g; every scheduler's lastEpoch −= 1 (undoing its initial
 *               step; torch 2.11 and 2.13: recursively, inside nested combinators); schedulers[0]
 *               (torch 2.13: schedulers[bisect_right(milestones, 0)]) takes its initial step again
 * step():       lastEpoch += 1; i = bisect_right(milestones, lastEpoch)
 *               at lastEpoch = milestones[i − 1]: schedulers[i].step(0) (torch 1.13) or
 *                                                  schedulers[i].updateLr(0) (torch 2.11 and 2.13)
 *               else schedulers[i].step()
 * ```
 *
 * Exactly torch's mechanics, including their surprises: the next scheduler is restarted with
 * the deprecated `step(0)` — its closed form at epoch 0, which for recursive schedulers
 * overwrites the learning rate with `initialLr`-based values — and a milestone at 0 is never
 * reached (the scheduler after it starts with a plain `step()` and keeps the rate the previous
 * one left). {@linkcode SequentialLR.getLr} throws, as torch's inherited `get_lr` does.
 * `step(epoch)` throws a `TypeError` as torch's `step()` takes no epoch.
 *
 * torch 2.11 and 2.13 differ from 1.13: the restart at a milestone is `_update_lr(0)` (PR #149392),
 * which does not count a step and, for a scheduler without a closed form, evaluates `getLr()` at
 * epoch 0 — where torch 2.11's and 2.13's `MultiplicativeLR` applies its factor and 1.13's does not; with
 * the `_isInitial` rule of torch 2.11 and 2.13 (PR #149312) a scheduler after a milestone at 0 applies its
 * epoch-0 factor (`ExponentialLR` multiplies by `gamma` at once); combinators may be nested
 * (recursive undo, PR #133450; a nested combinator after the first throws at its milestone, as
 * torch's `_update_lr(0)` reaches the base `get_lr`); an empty `schedulers` or a
 * `ReduceLROnPlateau` child is rejected (PR #121633). torch 1.13 cannot nest combinators (it
 * fails with `AttributeError` or `TypeError`; lrspec throws a `TypeError` at construction). Every
 * child must reproduce the same torch release as the combinator.
 *
 * torch 2.13 differs from 2.11 in one place (issue #185872, PR #185986): the constructor's initial
 * step goes to the scheduler in charge at step 0, `schedulers[bisect_right(milestones, 0)]`, not
 * always to `schedulers[0]`; with a milestone at 0 the next scheduler starts at construction
 * (`ConstantLR(0.5)`, `ExponentialLR(0.9)`, milestones `[0]`: `[1, 0.9, 0.81, …]` where torch 2.11
 * gives `[0.5, 0.45, …]`).
 *
 * @example Constant warmup for two epochs, then exponential decay (torch's docstring example)
 * ```ts
 * import { ConstantLR, ExponentialLR, SequentialLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = new SequentialLR({
 *   optimizer,
 *   schedulers: [
 *     new ConstantLR({ optimizer, factor: 0.1, totalIters: 2 }),
 *     new ExponentialLR({ optimizer, gamma: 0.9 }),
 *   ],
 *   milestones: [2],
 * });
 * const lrs = [optimizer.paramGroups[0]!.lr];
 * for (let i = 0; i < 4; i++) {
 *   scheduler.step();
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 * }
 * assert.deepEqual(lrs, [0.1, 0.1, 1, 0.9, 0.81]);
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers (torch's `_schedulers`). */
  protected _schedulers: LRScheduler[];
  /** The milestones (torch's `_milestones`). */
  protected _milestones: number[];

  /**
   * Creates the combinator, validating every option once, and rewinds the schedulers as torch
   * does.
   *
   * @param options `{ optimizer, schedulers, milestones, lastEpoch?, verbose?, torch? }`.
   * @throws {TypeError} If a scheduler is not an `LRScheduler`, is a `ReduceLROnPlateau` or
   * (torch 1.13) a combinator, reproduces another torch release, or belongs to another optimizer
   * (torch `ValueError`), or an option has the wrong type.
   * @throws {RangeError} If there is not exactly one milestone fewer than schedulers (torch
   * `ValueError`), `schedulers` is empty (torch 2.11 and 2.13 `ValueError`) or a milestone is not an
   * integer.
   */
  constructor(options: SequentialLROptions) {
    const owner = "SequentialLR";
    const o = requireOptions(owner, options, [
      "optimizer",
      "schedulers",
      "milestones",
      "lastEpoch",
      "verbose",
      "torch",
    ]);
    const torch = requireTorch(owner, o);
    const optimizer = requireOptimizer(owner, o.optimizer);
    const schedulers = requireChildren(owner, o.schedulers, optimizer, torch);
    const milestones = array(owner, "milestones", o.milestones).map((m, i) =>
      integer(owner, `milestones[${i}]`, m, "an integer")
    );
    if (milestones.length !== schedulers.length - 1) {
      throw optionError(
        RangeError,
        owner,
        "milestones",
        milestones,
        `expects number of schedulers provided to be one more than the number of ` +
          `milestone points, but got number of schedulers ${schedulers.length} and the number ` +
          `of milestones to be equal to ${milestones.length} (torch ValueError)`,
      );
    }
    super(owner, o);
    this._schedulers = schedulers;
    this._milestones = milestones;
    this.lastEpoch = this.lastEpoch + 1;
    // Reset learning rates back to initial values.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr as number;
    // "Undo" the step performed by the other schedulers.
    if (torch === "1.13") {
      for (const scheduler of schedulers) scheduler.lastEpoch -= 1;
    } else {
      recursiveUndo(schedulers);
    }
    // Perform the initial step for only the first scheduler (torch 2.13: for only the scheduler
    // in charge at step 0, the one after every milestone at 0; issue #185872, PR #185986).
    const first = torch === "2.13" ? bisectRight(milestones, 0) : 0;
    schedulers[first]!.initialStep();
    this._lastLr = schedulers[first]!.getLastLr();
  }

  /** The schedulers, in order. */
  get schedulers(): readonly LRScheduler[] {
    return this._schedulers;
  }

  /** The milestones. */
  get milestones(): readonly number[] {
    return this._milestones;
  }

  /**
   * Advances by one epoch, stepping the scheduler in charge (restarting it with `step(0)` at
   * its milestone).
   *
   * @throws {TypeError} If an epoch is passed (torch's `SequentialLR.step` takes none).
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) {
      throw optionError(
        TypeError,
        "SequentialLR",
        "epoch",
        epoch,
        "step() takes no epoch argument (torch raises TypeError)",
      );
    }
    this.lastEpoch += 1;
    const idx = bisectRight(this._milestones, this.lastEpoch);
    const scheduler = this._schedulers[idx]!;
    if (idx > 0 && this._milestones[idx - 1] === this.lastEpoch) {
      if (this.torch === "1.13") scheduler.step(0);
      else scheduler.updateLr(0);
    } else {
      scheduler.step();
    }
    this._lastLr = scheduler.getLastLr();
  }

  /**
   * Not defined for a combinator.
   * @throws {TypeError} Always (torch raises `NotImplementedError`).
   */
  getLr(): number[] {
    throw optionError(
      TypeError,
      "SequentialLR",
      "getLr()",
      undefined,
      "getLr() is not implemented (torch NotImplementedError)",
    );
  }

  /** torch's state: `_milestones`, `lastEpoch`, `_lastLr` and each scheduler's state. */
  override stateDict(): StateDict {
    return {
      _milestones: this._milestones.slice(),
      lastEpoch: this.lastEpoch,
      _lastLr: this._lastLr.slice(),
      _schedulers: childStates(this._schedulers),
    };
  }

  /**
   * Restores a state from {@linkcode SequentialLR.stateDict}, the schedulers' included.
   * @throws {TypeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const owner = "SequentialLR";
    const o = requireOptions(owner + " state", state, [
      "_milestones",
      "lastEpoch",
      "_lastLr",
      "_schedulers",
    ]);
    if (o._schedulers !== undefined) loadChildStates(owner, this._schedulers, o._schedulers);
    if (o._milestones !== undefined) {
      this._milestones = finiteArray(owner, "state._milestones", o._milestones);
    }
    if (o.lastEpoch !== undefined) this.lastEpoch = integer(owner, "state.lastEpoch", o.lastEpoch);
    if (o._lastLr !== undefined) this._lastLr = finiteArray(owner, "state._lastLr", o._lastLr);
  }
}

/** Options of {@linkcode ChainedScheduler}. */
export interface ChainedSchedulerOptions {
  /** The schedulers, all on the same optimizer, stepped in this order. */
  schedulers: readonly LRScheduler[];
  /**
   * torch 2.11 and 2.13 only: the optimizer every scheduler must belong to (torch 1.13 has no such
   * argument and takes the first scheduler's: with `torch: "1.13"` passing it throws a
   * `TypeError`).
   * @default {schedulers[0].optimizer}
   */
  optimizer?: Optimizer;
  /**
   * The torch release to reproduce; every scheduler in `schedulers` must have the same.
   * @default {"2.13"}
   */
  torch?: TorchVersion;
}

/**
 * Steps several chainable schedulers together, so that their factors multiply. Port of torch
 * `ChainedScheduler` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * step(): for s of schedulers: s.step()
 * ```
 *
 * Construction takes no step (the schedulers took their own initial steps). torch's
 * `ChainedScheduler` has no `last_epoch`; here {@linkcode LRScheduler.lastEpoch} counts the
 * chain's steps. {@linkcode ChainedScheduler.getLr} throws, as torch's inherited `get_lr` does;
 * `step(epoch)` throws a `TypeError`, as torch's `step()` takes no epoch.
 *
 * torch 2.11 and 2.13 (PR #121633) takes an optional `optimizer` that every scheduler must belong to,
 * rejects an empty list and `ReduceLROnPlateau` (`ValueError`), and lets combinators be chained;
 * torch 1.13 has no `optimizer` argument (lrspec throws a `TypeError` for it, as Python does) and
 * cannot nest combinators. Every child must reproduce the same torch release as the chain.
 *
 * @example Constant warmup factor chained with an exponential decay (torch's docstring example;
 * its comment's values are off: the exponential decay starts one step later)
 * ```ts
 * import { ChainedScheduler, ConstantLR, ExponentialLR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1 }] };
 * const scheduler = new ChainedScheduler({
 *   schedulers: [
 *     new ConstantLR({ optimizer, factor: 0.1, totalIters: 2 }),
 *     new ExponentialLR({ optimizer, gamma: 0.9 }),
 *   ],
 * });
 * const lrs = [optimizer.paramGroups[0]!.lr];
 * for (let i = 0; i < 3; i++) {
 *   scheduler.step();
 *   lrs.push(optimizer.paramGroups[0]!.lr);
 * }
 * assert.deepEqual(lrs, [0.1, 0.09000000000000001, 0.8100000000000002, 0.7290000000000002]);
 * ```
 */
export class ChainedScheduler extends LRScheduler {
  /** The schedulers (torch's `_schedulers`). */
  protected _schedulers: LRScheduler[];

  /**
   * Creates the chain, validating every option once. Takes no step.
   *
   * @param options `{ schedulers, optimizer?, torch? }`.
   * @throws {TypeError} If a scheduler is not an `LRScheduler`, is a `ReduceLROnPlateau` or
   * (torch 1.13) a combinator, reproduces another torch release, or belongs to another optimizer
   * (torch `ValueError`); or `optimizer` is given with torch 1.13 (torch `TypeError`).
   * @throws {RangeError} If `schedulers` is empty (torch 1.13 `IndexError`, 2.11 `ValueError`).
   */
  constructor(options: ChainedSchedulerOptions) {
    const owner = "ChainedScheduler";
    const o = requireOptions(owner, options, ["schedulers", "optimizer", "torch"]);
    const torch = requireTorch(owner, o);
    if (torch === "1.13" && o.optimizer !== undefined) {
      throw optionError(
        TypeError,
        owner,
        "optimizer",
        o.optimizer,
        `unexpected option \`optimizer\`: torch 1.13's ChainedScheduler takes only the ` +
          "schedulers (torch raises TypeError; torch 2.11 and 2.13 accepts it)",
      );
    }
    const list: unknown = o.schedulers;
    if (Array.isArray(list) && list.length === 0) {
      throw optionError(
        RangeError,
        owner,
        "schedulers",
        list,
        `expects at least one scheduler to be chained, but got no scheduler (torch ${
          torch === "1.13" ? "IndexError" : "ValueError"
        })`,
      );
    }
    const first: unknown = Array.isArray(list) ? list[0] : undefined;
    const optimizer = o.optimizer === undefined
      ? (first instanceof LRScheduler ? first.optimizer : undefined)
      : requireOptimizer(owner, o.optimizer);
    const schedulers = requireChildren(owner, list, optimizer, torch);
    super(owner, { optimizer: optimizer ?? schedulers[0]!.optimizer, torch }, "attach");
    this._schedulers = schedulers;
    this._lastLr = schedulers[schedulers.length - 1]!.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The schedulers, in order. */
  get schedulers(): readonly LRScheduler[] {
    return this._schedulers;
  }

  /**
   * Steps every scheduler, in order.
   * @throws {TypeError} If an epoch is passed (torch's `ChainedScheduler.step` takes none).
   */
  override step(epoch?: number): void {
    if (epoch !== undefined) {
      throw optionError(
        TypeError,
        "ChainedScheduler",
        "epoch",
        epoch,
        "step() takes no epoch argument (torch raises TypeError)",
      );
    }
    for (const scheduler of this._schedulers) scheduler.step();
    this.lastEpoch += 1;
    const last = this._schedulers[this._schedulers.length - 1]!;
    this._lastLr = last.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * Not defined for a combinator.
   * @throws {TypeError} Always (torch raises `NotImplementedError`).
   */
  getLr(): number[] {
    throw optionError(
      TypeError,
      "ChainedScheduler",
      "getLr()",
      undefined,
      "getLr() is not implemented (torch NotImplementedError)",
    );
  }

  /** torch's state: `_lastLr` and each scheduler's state (plus lrspec's `lastEpoch`). */
  override stateDict(): StateDict {
    return {
      lastEpoch: this.lastEpoch,
      _lastLr: this._lastLr.slice(),
      _schedulers: childStates(this._schedulers),
    };
  }

  /**
   * Restores a state from {@linkcode ChainedScheduler.stateDict}, the schedulers' included.
   * @throws {TypeError} If the state is malformed.
   */
  override loadStateDict(state: StateDict): void {
    const owner = "ChainedScheduler";
    const o = requireOptions(owner + " state", state, ["lastEpoch", "_lastLr", "_schedulers"]);
    if (o._schedulers !== undefined) loadChildStates(owner, this._schedulers, o._schedulers);
    if (o.lastEpoch !== undefined) this.lastEpoch = integer(owner, "state.lastEpoch", o.lastEpoch);
    if (o._lastLr !== undefined) this._lastLr = finiteArray(owner, "state._lastLr", o._lastLr);
  }
}
