/**
 * PyTorch's learning-rate scheduler protocol (`torch/optim/lr_scheduler.py`, torch 1.13):
 * the base class {@linkcode LRScheduler} and the optimizer shape it drives.
 *
 * An optimizer here is any object with `paramGroups: { lr, … }[]` — torch's `param_groups`
 * with camelCase keys (`initial_lr` → `initialLr`). Schedulers write `lr` in place, exactly when
 * torch does: once at construction (torch's initial step) and on every `step()`.
 *
 * @module
 */

import { finite, finiteWhere, integer, show } from "./_validate.ts";

/**
 * One parameter group of an optimizer: torch's `param_groups[i]` with camelCase keys. Only `lr`
 * is required; schedulers add `initialLr` and may read or write others (`momentum`, `betas`).
 */
export interface ParamGroup {
  /** The current learning rate, written by the scheduler. */
  lr: number;
  /** The learning rate at the time the first scheduler was attached (torch's `initial_lr`). */
  initialLr?: number;
  /** Any other per-group option. */
  [option: string]: unknown;
}

/** The part of an optimizer that a learning-rate scheduler drives. */
export interface Optimizer {
  /** The parameter groups, modified in place. */
  paramGroups: ParamGroup[];
}

/** A scheduler's resumable state: plain data, safe to `JSON.stringify`. */
export type StateDict = Record<string, unknown>;

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
   * Print each learning-rate update, as torch's `verbose=True` does.
   * @default {false}
   */
  verbose?: boolean;
}

/** Validates an optimizer: an object whose `paramGroups` is a non-empty array of groups. */
export function requireOptimizer(owner: string, value: unknown): Optimizer {
  const groups = (value as { paramGroups?: unknown } | null | undefined)?.paramGroups;
  if (typeof value !== "object" || value === null || !Array.isArray(groups)) {
    throw new TypeError(
      `${owner}: \`optimizer\` must be an object with a \`paramGroups\` array: got ${show(value)}`,
    );
  }
  if (groups.length === 0) {
    throw new RangeError(`${owner}: \`optimizer.paramGroups\` must not be empty`);
  }
  groups.forEach((group: unknown, i) => {
    if (typeof group !== "object" || group === null) {
      throw new TypeError(
        `${owner}: \`optimizer.paramGroups[${i}]\` must be an object: got ${show(group)}`,
      );
    }
    finiteWhere(
      owner,
      `optimizer.paramGroups[${i}].lr`,
      (group as ParamGroup).lr,
      ">= 0",
      (x) => x >= 0,
    );
  });
  return value as Optimizer;
}

/** Python's `'{:.4e}'.format(x)`. */
function formatE4(x: number): string {
  const [mantissa, exponent] = x.toExponential(4).split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, "").padStart(2, "0")}`;
}

/**
 * Base class of the torch-style schedulers, a port of torch's `LRScheduler` (`_LRScheduler` in
 * torch 1.13).
 *
 * Construction records `initialLr` in every parameter group (when `lastEpoch` is -1), sets
 * {@linkcode LRScheduler.baseLrs} from them and performs torch's initial step, which moves
 * `lastEpoch` from -1 to 0 and writes the first learning rate into the groups. Subclasses
 * implement {@linkcode LRScheduler.getLr} (torch's chainable `get_lr`) and call
 * {@linkcode LRScheduler.initialStep} at the end of their constructor.
 *
 * Not ported: torch's wrapping of `optimizer.step` to warn about call order.
 */
export abstract class LRScheduler {
  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** Each group's `initialLr`, in group order. */
  baseLrs: number[];
  /** Index of the last step taken: 0 after construction, `k` after `k` calls to `step()`. */
  lastEpoch: number;
  /** Whether each update is printed. */
  verbose: boolean;
  /** Number of `step()` calls, the initial step included (torch's `_step_count`). */
  protected _stepCount = 0;
  /** The learning rates written by the last step (torch's `_last_lr`). */
  protected _lastLr: number[] = [];

  /**
   * Creates the scheduler, validating every option once.
   *
   * @param owner The class name used in error messages.
   * @param options The shared options; `lastEpoch` defaults to -1.
   * @throws {TypeError} If the optimizer is malformed, or `initialLr` is missing from a group
   * when resuming (torch raises `KeyError`).
   * @throws {RangeError} If `lastEpoch` is not an integer >= -1.
   */
  protected constructor(owner: string, options: LRSchedulerOptions) {
    this.optimizer = requireOptimizer(owner, options.optimizer);
    const lastEpoch = options.lastEpoch ?? -1;
    integer(owner, "lastEpoch", lastEpoch, "an integer >= -1", (x) => x >= -1);
    this.verbose = options.verbose ?? false;
    if (typeof this.verbose !== "boolean") {
      throw new TypeError(`${owner}: \`verbose\` must be a boolean: got ${show(this.verbose)}`);
    }
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const group of groups) {
        if (!("initialLr" in group) || group.initialLr === undefined) group.initialLr = group.lr;
      }
    } else {
      groups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw new TypeError(
            `${owner}: param 'initialLr' is not specified in paramGroups[${i}] when resuming ` +
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

  /** torch's `_initial_step()`: resets the step count and takes the first step. */
  protected initialStep(): void {
    this._stepCount = 0;
    this.step();
  }

  /**
   * The learning rate of each group for the step `lastEpoch`, computed the way torch's
   * `get_lr()` does (often from the groups' current `lr`: the "chainable" form).
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
   */
  step(epoch?: number): void {
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      integer(this.constructor.name, "epoch", epoch, "an integer >= 0", (x) => x >= 0);
      this.lastEpoch = epoch;
      values = this.getClosedFormLr() ?? this.getLr();
    }
    this.applyLrs(values, epoch);
  }

  /**
   * Writes `values` into the groups, as the end of torch's `step()` does. A non-finite value
   * (an overflow upstream would silently write) throws a RangeError instead.
   */
  protected applyLrs(values: readonly number[], epoch?: number): void {
    const groups = this.optimizer.paramGroups;
    for (let i = 0; i < groups.length; i++) {
      const lr = values[i]!;
      if (lr - lr !== 0) {
        throw new RangeError(
          `${this.constructor.name}: the learning rate of group ${i} at step ${this.lastEpoch} is ${lr} ` +
            `(overflow: upstream would write a non-finite learning rate)`,
        );
      }
      groups[i]!.lr = lr;
      if (this.verbose) this.printLr(i, lr, epoch);
    }
    const last = this._lastLr;
    last.length = groups.length;
    for (let i = 0; i < groups.length; i++) last[i] = groups[i]!.lr;
  }

  /** Prints an update in torch's `print_lr` format. */
  protected printLr(group: number, lr: number, epoch?: number): void {
    if (epoch === undefined) {
      console.log(`Adjusting learning rate of group ${group} to ${formatE4(lr)}.`);
    } else {
      console.log(
        `Epoch ${String(epoch).padStart(5, "0")}: adjusting learning rate of group ${group} to ${
          formatE4(lr)
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
   * which torch cannot serialise either). Arrays are copied.
   */
  stateDict(): StateDict {
    const state: StateDict = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === "optimizer" || typeof value === "function") continue;
      state[key] = copyState(value);
    }
    return state;
  }

  /**
   * Restores a state from {@linkcode LRScheduler.stateDict}. Like torch, it assigns the saved
   * attributes and does not touch the optimizer; unlike torch, it rejects keys this scheduler
   * does not have.
   *
   * @throws {TypeError} If `state` is not an object or has a key this scheduler lacks.
   */
  loadStateDict(state: StateDict): void {
    const owner = this.constructor.name;
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw new TypeError(`${owner}: state must be an object: got ${show(state)}`);
    }
    for (const key of Object.keys(state)) {
      if (key === "optimizer" || !Object.prototype.hasOwnProperty.call(this, key)) {
        throw new TypeError(`${owner}: unknown state key \`${key}\``);
      }
    }
    Object.assign(this, copyState(state));
  }
}

/** A deep copy of plain state (arrays and plain objects; other values as they are). */
function copyState<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyState) as T;
  if (
    typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype
  ) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copyState(v)])) as T;
  }
  return value;
}
