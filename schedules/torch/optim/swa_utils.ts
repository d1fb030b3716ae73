/**
 * Port of the learning-rate part of PyTorch's `torch/optim/swa_utils.py` (torch 1.13, 2.11 and
 * 2.13): {@linkcode SWALR}, and {@linkcode swaLrs}, the switch from a scheduler to `SWALR` that
 * every SWA recipe writes (`if epoch > swa_start: swa_scheduler.step() else: scheduler.step()`).
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { libm } from "../../math.ts";
import { finite, integer, oneOf, requireOptions, show } from "../../_internal/validate.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";
import { copyState } from "../../_internal/state.ts";
import type { StateDict } from "../../optimizer.ts";
import { BASE_KEYS, requireTorch } from "./_helpers.ts";
import { LRScheduler, type LRSchedulerOptions, type TorchVersion } from "./lr_scheduler.ts";
import type { AnnealStrategy } from "./lr_scheduler_cyclic.ts";

const ANNEAL_STRATEGIES: readonly AnnealStrategy[] = ["cos", "linear"];

/** Options of {@linkcode SWALR} (torch's keyword arguments in camelCase). */
export interface SWALROptions extends LRSchedulerOptions {
  /**
   * The learning rate to anneal to (torch's `swa_lr`): one for every group, or one per group.
   * Written into each group as `swaLr` (torch's `group["swa_lr"]`).
   */
  swaLr: number | readonly number[];
  /**
   * The number of epochs of the annealing phase (torch's `anneal_epochs`): an integer >= 0.
   * @default {10}
   */
  annealEpochs?: number;
  /**
   * The annealing shape (torch's `anneal_strategy`): `"cos"` or `"linear"`.
   * @default {"cos"}
   */
  annealStrategy?: AnnealStrategy;
}

/**
 * Anneals each group's learning rate to a fixed `swaLr` over `annealEpochs` of its own steps, then
 * holds it: the scheduler of Stochastic Weight Averaging. Port of torch
 * `torch.optim.swa_utils.SWALR` (torch 1.13, 2.11 and 2.13).
 *
 * ```text
 * step  = stepCount − 1   (0 at the initial step; with annealEpochs = 0: max(1, step))
 * E     = max(1, annealEpochs)
 * prevα = anneal(max(0, min(1, (step − 1) / E)))
 * α     = anneal(max(0, min(1, step / E)))
 * start = prevα = 1 ? swaLr_g : (lr_g − prevα · swaLr_g) / (1 − prevα)  (_get_initial_lr)
 * lr_g  ← swaLr_g · α + start · (1 − α)
 * anneal: "cos" (1 − cos(π·t)) / 2   (_cosine_anneal);  "linear" t   (_linear_anneal)
 * ```
 *
 * The schedule is recursive in torch's own way: each step reconstructs the rate the annealing
 * started from (`_get_initial_lr`) out of the group's *current* `lr`, so `SWALR` anneals from
 * whatever rate the optimizer has when it takes over — the rate another scheduler left (see
 * {@linkcode swaLrs}) — and follows changes made from outside. It counts its own steps
 * (`_stepCount`), not `lastEpoch`: `step(epoch)` sets `lastEpoch` and changes nothing else, and
 * `SequentialLR`'s restart (`_update_lr(0)` in torch 2.x) does not advance it. The initial step
 * leaves the rates as they are (α = 0). `cos` is the runtime's; the conformance suites prove each
 * value against glibc's.
 *
 * Releases: torch 1.13 raises "anneal_strategy must by one of …" and its own list-length message,
 * and its state dict holds `anneal_func` (the static method, pickled by name); torch 2.11 and 2.13
 * (PR #163122) save `_anneal_strategy` instead and rebuild the function when loading. lrspec's
 * state has `_annealStrategy` with torch 2.11 and 2.13 and, as for every function, nothing for
 * torch 1.13's `anneal_func` (loading keeps the constructed strategy, which is what torch loads
 * unless the checkpoint came from a scheduler built with the other one).
 *
 * Deliberate differences: torch writes `swa_lr` into the groups before it checks
 * `anneal_strategy` and `anneal_epochs`, lrspec checks every option first and writes nothing when
 * one is wrong; `annealEpochs` must be a number (Python also takes `True` as 1).
 *
 * @example The SWA recipe of torch's documentation: cosine annealing, then SWALR from epoch 161
 * ```ts
 * import { CosineAnnealingLR, type Optimizer, SWALR } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer: Optimizer = { paramGroups: [{ lr: 0.1, momentum: 0.9 }] };
 * const scheduler = new CosineAnnealingLR({ optimizer, TMax: 300 });
 * const swaScheduler = new SWALR({ optimizer, swaLr: 0.05, annealEpochs: 5 });
 * const swaStart = 160;
 * for (let epoch = 0; epoch < 300; epoch++) {
 *   // train(...)
 *   if (epoch > swaStart) swaScheduler.step();
 *   else scheduler.step();
 * }
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.05); // annealed to swa_lr in 5 steps, then held
 * assert.equal(optimizer.paramGroups[0]!.swaLr, 0.05);
 * ```
 */
export class SWALR extends LRScheduler {
  /** The number of epochs of the annealing phase (torch's `anneal_epochs`). */
  annealEpochs: number;
  /** The annealing shape (torch 2's `_anneal_strategy`). */
  protected _annealStrategy: AnnealStrategy;

  /**
   * Creates the scheduler, validating every option once, writes `swaLr` into the groups and takes
   * torch's initial step (which keeps the rates).
   *
   * @param options `{ optimizer, swaLr, annealEpochs?, annealStrategy?, lastEpoch?, verbose?, torch? }`.
   * @throws {RangeError} If `swaLr` is not finite or its list has not one value per group, if
   * `annealStrategy` is not `"cos"` or `"linear"` or `annealEpochs` is not an integer >= 0 (torch
   * `ValueError` each), or if `lastEpoch` or `torch` is out of range.
   * @throws {TypeError} If an option has the wrong type or is missing, the optimizer is malformed,
   * `initialLr` is missing when resuming (torch `KeyError`) or `verbose` is given with torch 2.
   */
  constructor(options: SWALROptions) {
    const owner = "SWALR";
    const o = requireOptions(owner, options, [
      ...BASE_KEYS,
      "swaLr",
      "annealEpochs",
      "annealStrategy",
    ]);
    const torch = requireTorch(owner, o);
    const groups = requireOptimizer(owner, o.optimizer).paramGroups;
    const swaLrs = formatSwaLr(owner, o.swaLr, groups.length, torch);
    const annealStrategy = oneOf(
      owner,
      "annealStrategy",
      o.annealStrategy ?? "cos",
      ANNEAL_STRATEGIES,
      torch === "1.13"
        ? " (torch ValueError: anneal_strategy must by one of 'cos' or 'linear')"
        : " (torch ValueError: anneal_strategy must be one of 'cos' or 'linear')",
    );
    const annealEpochs = integer(
      owner,
      "annealEpochs",
      o.annealEpochs ?? 10,
      "an integer >= 0 (torch ValueError: anneal_epochs must be equal or greater than 0)",
      (x) => x >= 0,
    );
    groups.forEach((group, i) => {
      group.swaLr = swaLrs[i]!;
    });
    super(owner, o);
    this._annealStrategy = annealStrategy;
    this.annealEpochs = annealEpochs;
    this.initialStep();
  }

  /** The annealing shape: `"cos"` or `"linear"`. */
  get annealStrategy(): AnnealStrategy {
    return this._annealStrategy;
  }

  /** torch's `SWALR._linear_anneal`: `t`. */
  static _linearAnneal(t: number): number {
    return t;
  }

  /** torch's `SWALR._cosine_anneal`: `(1 − cos(π·t)) / 2`, with the runtime's `cos`. */
  static _cosineAnneal(t: number): number {
    return (1 - libm.cos(Math.PI * t)) / 2;
  }

  /**
   * torch's `SWALR._get_initial_lr`: the rate the annealing started from, given the current
   * rate `lr` reached with weight `alpha`: `swaLr` when `alpha` is 1, else
   * `(lr − alpha · swaLr) / (1 − alpha)`.
   */
  static _getInitialLr(lr: number, swaLr: number, alpha: number): number {
    if (alpha === 1) return swaLr;
    return (lr - alpha * swaLr) / (1 - alpha);
  }

  /** torch's `anneal_func`: {@linkcode SWALR._cosineAnneal} or {@linkcode SWALR._linearAnneal}. */
  annealFunc(t: number): number {
    return this._annealStrategy === "cos" ? SWALR._cosineAnneal(t) : SWALR._linearAnneal(t);
  }

  /** The annealed rates: see the class documentation. */
  getLr(): number[] {
    const owner = "SWALR";
    const groups = this.optimizer.paramGroups;
    let step = this._stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const E = Math.max(1, this.annealEpochs);
    const prevAlpha = this.annealFunc(Math.max(0, Math.min(1, (step - 1) / E)));
    const prevLrs = groups.map((g, i) =>
      SWALR._getInitialLr(g.lr, swaLrOf(owner, g, i), prevAlpha)
    );
    const alpha = this.annealFunc(Math.max(0, Math.min(1, step / E)));
    return groups.map((g, i) => swaLrOf(owner, g, i) * alpha + prevLrs[i]! * (1 - alpha));
  }

  /**
   * torch's state: the base scheduler's, `annealEpochs` and, with torch 2.11 and 2.13,
   * `_annealStrategy` (torch 1.13 saves the function `anneal_func` instead, which lrspec leaves
   * out, as it does every function).
   */
  override stateDict(): StateDict {
    const state = super.stateDict();
    if (this.torch === "1.13") delete state._annealStrategy;
    return state;
  }

  /**
   * Restores a state from {@linkcode SWALR.stateDict}; with torch 2.11 and 2.13 the saved
   * `_annealStrategy` sets the annealing shape, as torch's `_set_anneal_func` does.
   *
   * @throws {TypeError} If the state has a key this scheduler's state lacks, or a wrong value.
   */
  override loadStateDict(state: StateDict): void {
    const owner = "SWALR";
    const copy = copyState(state) as StateDict;
    if (this.torch !== "1.13" && copy._annealStrategy !== undefined) {
      copy._annealStrategy = oneOf(
        owner,
        "state._annealStrategy",
        copy._annealStrategy,
        ANNEAL_STRATEGIES,
      );
    }
    if (copy.annealEpochs !== undefined) {
      copy.annealEpochs = integer(
        owner,
        "state.annealEpochs",
        copy.annealEpochs,
        "an integer >= 0",
        (x) => x >= 0,
      );
    }
    super.loadStateDict(copy);
  }
}

/** torch's formatting of `swa_lr`: one value for every group, or a list of one per group. */
function formatSwaLr(owner: string, value: unknown, groups: number, torch: TorchVersion): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new RangeError(
        torch === "1.13"
          ? `${owner}: swa_lr must have the same length as optimizer.param_groups: swa_lr has ` +
            `${value.length}, optimizer.param_groups has ${groups} (torch ValueError)`
          : `${owner}: swa_lr must have the same length as optimizer.param_groups. swa_lr has ` +
            `${value.length} values, param_groups has ${groups}. (torch ValueError)`,
        { cause: { owner: owner, option: "swaLr", value: value } },
      );
    }
    return value.map((v, i) => finite(owner, `swaLr[${i}]`, v));
  }
  return new Array<number>(groups).fill(finite(owner, "swaLr", value));
}

/** A group's `swaLr` (torch `KeyError` for a group added after the scheduler was built). */
function swaLrOf(owner: string, group: Record<string, unknown>, index: number): number {
  const value = group.swaLr;
  if (typeof value !== "number") {
    throw optionError(
      TypeError,
      owner,
      `optimizer.paramGroups[${index}].swaLr`,
      value,
      `\`paramGroups[${index}].swaLr\` must be a number: got ${show(value)}` +
        (value === undefined ? " (torch raises KeyError)" : ""),
    );
  }
  return value;
}

/** Options of {@linkcode swaLrs}: the objects of an SWA recipe. */
export interface SwaLrsOptions {
  /** The scheduler in charge until `swaStart` (the recipe's `scheduler`), on the same optimizer. */
  scheduler: LRScheduler;
  /** The {@linkcode SWALR} that takes over after `swaStart` (the recipe's `swa_scheduler`). */
  swaScheduler: SWALR;
  /**
   * The last epoch whose end steps `scheduler` (the recipe's `swa_start`): the end of epoch `i`
   * steps `swaScheduler` when `i > swaStart`, else `scheduler`. An integer >= -1.
   */
  swaStart: number;
  /** The number of epochs (loop iterations): an integer >= 0. */
  epochs: number;
}

/**
 * Runs the SWA switch of torch's recipe (`torch.optim.swa_utils` documentation) and returns every
 * group's learning rate at each epoch: row `i` is the rate epoch `i` trains with (row 0: after
 * construction), row `epochs` the rate after the last step.
 *
 * ```text
 * for i in 0 … epochs − 1:   train with lr;  i > swaStart ? swaScheduler.step() : scheduler.step()
 * ```
 *
 * `swaScheduler` anneals from whatever rate `scheduler` left in the optimizer at its first step
 * (its construction's initial step keeps the rates; it counts its own steps). Both schedulers
 * must be on the same optimizer; they are stepped in place, like the recipe's.
 *
 * @example `CosineAnnealingLR(T_max=100)`, then `SWALR(swa_lr=0.05, anneal_epochs=3)` after epoch 75
 * ```ts
 * import { CosineAnnealingLR, SWALR, swaLrs } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const lrs = swaLrs({
 *   scheduler: new CosineAnnealingLR({ optimizer, TMax: 100 }),
 *   swaScheduler: new SWALR({ optimizer, swaLr: 0.05, annealStrategy: "linear", annealEpochs: 3 }),
 *   swaStart: 75,
 *   epochs: 100,
 * });
 * assert.equal(lrs.length, 101);
 * assert.ok(lrs[76]![0]! < 0.05); // the cosine's rate after 76 steps
 * assert.equal(lrs[79]![0], 0.05); // SWALR reached swa_lr three steps after taking over
 * assert.equal(lrs[100]![0], 0.05);
 * ```
 *
 * @throws {TypeError} If the schedulers are not an `LRScheduler` and a `SWALR` on the same
 * optimizer.
 * @throws {RangeError} If `swaStart` or `epochs` is out of range, or where a scheduler throws.
 */
export function swaLrs(options: SwaLrsOptions): number[][] {
  const owner = "swaLrs";
  const o = requireOptions(owner, options, ["scheduler", "swaScheduler", "swaStart", "epochs"]);
  if (!(o.scheduler instanceof LRScheduler)) {
    throw optionError(
      TypeError,
      owner,
      "scheduler",
      o.scheduler,
      `\`scheduler\` must be an LRScheduler: got ${show(o.scheduler)}`,
    );
  }
  if (!(o.swaScheduler instanceof SWALR)) {
    throw optionError(
      TypeError,
      owner,
      "swaScheduler",
      o.swaScheduler,
      `\`swaScheduler\` must be a SWALR: got ${show(o.swaScheduler)}`,
    );
  }
  if (o.swaScheduler.optimizer !== o.scheduler.optimizer) {
    throw optionError(
      TypeError,
      owner,
      "swaScheduler",
      o.swaScheduler,
      `\`scheduler\` and \`swaScheduler\` must share one optimizer`,
    );
  }
  const swaStart = integer(owner, "swaStart", o.swaStart, "an integer >= -1", (x) => x >= -1);
  const epochs = integer(owner, "epochs", o.epochs, "an integer >= 0", (x) => x >= 0);
  const groups = o.scheduler.optimizer.paramGroups;
  const rows = [groups.map((g) => g.lr)];
  for (let i = 0; i < epochs; i++) {
    if (i > swaStart) o.swaScheduler.step();
    else o.scheduler.step();
    rows.push(groups.map((g) => g.lr));
  }
  return rows;
}
