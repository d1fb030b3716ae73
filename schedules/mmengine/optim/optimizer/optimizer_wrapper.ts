/**
 * Port of the part of mmengine's `mmengine/optim/optimizer/optimizer_wrapper.py` (and
 * `base.py`) that parameter schedulers see: {@linkcode OptimWrapper}'s `param_groups` with the
 * extra pseudo-group `base_param_settings`, `defaults`, `get_lr()` and the state dict.
 *
 * @module
 */

import { optionError } from "../../../errors.ts";
import { requireOptimizer } from "../../../_internal/optimizer.ts";
import { copyState } from "../../../_internal/state.ts";
import type { Optimizer, OptimizerDefaults, ParamGroup } from "../../../optimizer.ts";

/** Options of {@linkcode OptimWrapper}. */
export interface OptimWrapperOptions {
  /**
   * The wrapped optimizer: torch's `param_groups` with camelCase keys and its `defaults`
   * (`defaults.lr` is the learning rate it was built with).
   */
  optimizer: Optimizer;
}

/**
 * mmengine's `OptimWrapper`, as its parameter schedulers see it. Port of `OptimWrapper.__init__`
 * (the `base_param_settings` part), `param_groups`, `defaults` and `get_lr` (mmengine commit
 * 2543429).
 *
 * ```text
 * baseParamSettings = { ...optimizer.defaults }   when the optimizer has more than one group
 *                   = null                        otherwise
 * paramGroups       = optimizer.paramGroups + [baseParamSettings]   (a new array each time)
 * ```
 *
 * The pseudo-group (torch's `{'params': tensor([0.]), **defaults}`, here without `params`) is
 * scheduled like every other group, so it tracks "the base learning rate": the schedule applied
 * to `defaults.lr`, unaffected by `paramwise_cfg` multipliers. mmengine logs it as `base_lr`.
 * `Runner.scale_lr` does not scale it (it scales `optimizer.paramGroups` only).
 *
 * @example Two groups: the schedulers see three
 * ```ts
 * import { OptimWrapper } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const wrapper = new OptimWrapper({
 *   optimizer: {
 *     paramGroups: [{ lr: 0.01 }, { lr: 0.001 }],
 *     defaults: { lr: 0.01, momentum: 0.9 },
 *   },
 * });
 * assert.equal(wrapper.paramGroups.length, 3);
 * assert.deepEqual(wrapper.getLr(), { baseLr: [0.01], lr: [0.01, 0.001] });
 * ```
 */
export class OptimWrapper implements Optimizer {
  /** The wrapped optimizer. */
  readonly optimizer: Optimizer;
  /** The extra pseudo-group (mmengine's `base_param_settings`), or `null` with one group. */
  baseParamSettings: ParamGroup | null;

  /**
   * Wraps an optimizer.
   *
   * @param options `{ optimizer }`.
   * @throws {TypeError} If the optimizer is malformed, or has several groups and no
   * `defaults.lr` (torch optimizers always have one).
   * @throws {RangeError} If it has no groups or a learning rate is negative or not finite.
   */
  constructor(options: OptimWrapperOptions) {
    const optimizer = requireOptimizer("OptimWrapper", options?.optimizer);
    this.optimizer = optimizer;
    if (optimizer.paramGroups.length > 1) {
      const defaults = optimizer.defaults;
      if (defaults === undefined || typeof defaults.lr !== "number") {
        throw optionError(
          TypeError,
          "OptimWrapper",
          "optimizer.defaults.lr",
          defaults?.lr,
          "an optimizer with several groups needs `defaults.lr` (torch's " +
            "optimizer.defaults) for mmengine's base_param_settings",
        );
      }
      this.baseParamSettings = { ...copyState(defaults), lr: defaults.lr };
    } else {
      this.baseParamSettings = null;
    }
  }

  /** The optimizer's groups, then the pseudo-group when there is one (a new array each call). */
  get paramGroups(): ParamGroup[] {
    const groups = this.optimizer.paramGroups;
    return this.baseParamSettings === null ? groups : [...groups, this.baseParamSettings];
  }

  /** The optimizer's defaults (`{}` when it has none). */
  get defaults(): OptimizerDefaults {
    return this.optimizer.defaults ?? {};
  }

  /**
   * mmengine's `get_lr()`: `{ baseLr: [pseudo-group lr] }` (when there is a pseudo-group) and
   * `{ lr: [each real group's lr] }`.
   */
  getLr(): { baseLr?: number[]; lr: number[] } {
    const lr = this.optimizer.paramGroups.map((g) => g.lr);
    return this.baseParamSettings === null ? { lr } : { baseLr: [this.baseParamSettings.lr], lr };
  }

  /**
   * The state a checkpoint keeps: the optimizer's groups and the pseudo-group (mmengine's
   * `state_dict()` adds `base_param_settings` to torch's).
   */
  stateDict(): { paramGroups: ParamGroup[]; baseParamSettings: ParamGroup | null } {
    return {
      paramGroups: copyState(this.optimizer.paramGroups),
      baseParamSettings: copyState(this.baseParamSettings),
    };
  }

  /** Restores {@linkcode OptimWrapper.stateDict}: each group's keys, and the pseudo-group. */
  loadStateDict(state: { paramGroups: ParamGroup[]; baseParamSettings: ParamGroup | null }): void {
    const groups = this.optimizer.paramGroups;
    if (!Array.isArray(state?.paramGroups) || state.paramGroups.length !== groups.length) {
      throw optionError(
        RangeError,
        "OptimWrapper",
        "state.paramGroups",
        state?.paramGroups,
        "loaded state dict has a different number of parameter groups (torch " +
          "raises ValueError)",
      );
    }
    state.paramGroups.forEach((g, i) => Object.assign(groups[i]!, copyState(g)));
    if (state.baseParamSettings !== null && state.baseParamSettings !== undefined) {
      this.baseParamSettings = copyState(state.baseParamSettings);
    }
  }
}
