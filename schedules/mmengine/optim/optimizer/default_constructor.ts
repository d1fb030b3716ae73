/**
 * Port of the learning-rate part of mmengine's
 * `mmengine/optim/optimizer/default_constructor.py` (`DefaultOptimWrapperConstructor`, mmengine
 * commit 2543429): the parameter groups an `optim_wrapper` config gives a model, with
 * `paramwise_cfg`'s `custom_keys` `lr_mult` and `bias_lr_mult`, wrapped in an
 * {@linkcode OptimWrapper}.
 *
 * @module
 */

import { optionError } from "../../../errors.ts";
import { finite, show } from "../../../_internal/validate.ts";
import type { Optimizer, ParamGroup } from "../../../optimizer.ts";
import { OptimWrapper } from "./optimizer_wrapper.ts";

/** torch's optimizers: the defaults lrspec needs (their `lr` default, and momentum or betas). */
const TORCH_OPTIMIZERS: Readonly<
  Record<
    string,
    { lr: number | null; momentum?: number; betas?: [number, number]; weightDecay?: number }
  >
> = {
  SGD: { lr: null, momentum: 0, weightDecay: 0 },
  Adam: { lr: 1e-3, betas: [0.9, 0.999], weightDecay: 0 },
  AdamW: { lr: 1e-3, betas: [0.9, 0.999], weightDecay: 1e-2 },
  Adamax: { lr: 2e-3, betas: [0.9, 0.999], weightDecay: 0 },
  NAdam: { lr: 2e-3, betas: [0.9, 0.999], weightDecay: 0 },
  RAdam: { lr: 1e-3, betas: [0.9, 0.999], weightDecay: 0 },
  SparseAdam: { lr: 1e-3, betas: [0.9, 0.999] },
  RMSprop: { lr: 1e-2, momentum: 0, weightDecay: 0 },
  Adagrad: { lr: 1e-2, weightDecay: 0 },
  Adadelta: { lr: 1.0, weightDecay: 0 },
  ASGD: { lr: 1e-2, weightDecay: 0 },
  Rprop: { lr: 1e-2 },
  LBFGS: { lr: 1 },
};

/** The optimizer types lrspec knows the defaults of (torch's `torch.optim` classes). */
export const OPTIMIZER_TYPES: readonly string[] = Object.keys(TORCH_OPTIMIZERS);

/** Options of {@linkcode buildOptimWrapper}. */
export interface BuildOptimWrapperOptions {
  /**
   * The model's parameter names, in `named_parameters()` order (`backbone.conv1.weight`, …): the
   * names `custom_keys` match against. Each becomes one group when `paramwise_cfg` is set.
   * @default {["weight", "bias", ...each custom key + ".weight"]} with `paramwise_cfg`, else
   * `["weight"]`
   */
  paramNames?: readonly string[];
}

function record(owner: string, name: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw optionError(
      TypeError,
      owner,
      name,
      value,
      `\`${name}\` must be a dict: got ${show(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * mmengine's `base_lr = optimizer_cfg.get('lr', None)`, which a multiplier multiplies: without
 * `lr` in the config Python computes `None * lr_mult` (TypeError), even where torch's optimizer
 * has a default learning rate.
 */
function configLr(owner: string, optimizerCfg: Record<string, unknown>): number {
  if (optimizerCfg.lr === undefined || optimizerCfg.lr === null) {
    throw optionError(
      TypeError,
      owner,
      "optim_wrapper.optimizer.lr",
      optimizerCfg.lr,
      `an lr multiplier needs optim_wrapper.optimizer.lr (mmengine multiplies None: ` +
        "TypeError)",
    );
  }
  return finite(owner, "optim_wrapper.optimizer.lr", optimizerCfg.lr);
}

/**
 * mmengine's `DefaultOptimWrapperConstructor._validate_cfg`: `custom_keys` must be a dict, and a
 * `decay_mult` (in a custom key, or `bias_decay_mult` / `norm_decay_mult` / `dwconv_decay_mult`)
 * needs the optimizer's `weight_decay`.
 */
function validateCfg(owner: string, paramwise: Record<string, unknown>, baseWd: unknown): void {
  record(owner, "optim_wrapper.paramwise_cfg", paramwise);
  if ("custom_keys" in paramwise) {
    const keys = paramwise.custom_keys;
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
      throw optionError(
        TypeError,
        owner,
        "optim_wrapper.paramwise_cfg.custom_keys",
        keys,
        `If specified, custom_keys must be a dict, but got ${show(keys)} (mmengine ` +
          "raises TypeError)",
      );
    }
    if (baseWd === null) {
      for (const [key, value] of Object.entries(keys)) {
        if (typeof value === "object" && value !== null && "decay_mult" in value) {
          throw optionError(
            RangeError,
            owner,
            `optim_wrapper.paramwise_cfg.custom_keys.${key}`,
            value,
            `base_wd should not be None: custom_keys[${
              show(key)
            }] has decay_mult but optim_wrapper.optimizer has no weight_decay (mmengine raises ` +
              "ValueError)",
          );
        }
      }
    }
  }
  if (
    baseWd === null &&
    ["bias_decay_mult", "norm_decay_mult", "dwconv_decay_mult"].some((k) => k in paramwise)
  ) {
    throw optionError(
      RangeError,
      owner,
      "optim_wrapper.paramwise_cfg",
      paramwise,
      `base_wd should not be None: a *_decay_mult needs optim_wrapper.optimizer's ` +
        "weight_decay (mmengine raises ValueError)",
    );
  }
}

/** The default parameter names for a config (see {@linkcode BuildOptimWrapperOptions}). */
export function defaultParamNames(optimWrapperCfg: Record<string, unknown>): string[] {
  const paramwise = optimWrapperCfg.paramwise_cfg as Record<string, unknown> | undefined | null;
  if (!paramwise || Object.keys(paramwise).length === 0) return ["weight"];
  const keys = Object.keys((paramwise.custom_keys ?? {}) as Record<string, unknown>);
  return ["weight", "bias", ...keys.map((k) => `${k}.weight`)];
}

/**
 * Builds the {@linkcode OptimWrapper} of an mmengine `optim_wrapper` config for a model with the
 * given parameter names, as `DefaultOptimWrapperConstructor` does, keeping what the schedule
 * needs: each group's `lr` (and `momentum` / `betas` and `weightDecay` from the optimizer's
 * defaults, `weight_decay · decay_mult` for a custom key).
 *
 * ```text
 * no paramwise_cfg:  one group, lr = optimizer.lr
 * paramwise_cfg:     one group per parameter, in order:
 *                    the first custom key (longest first, then alphabetical) contained in
 *                    "<module path>.<name>"  → lr = optimizer.lr · lr_mult (default 1.0)
 *                    otherwise a `bias` with bias_lr_mult set → lr = optimizer.lr · bias_lr_mult
 *                    otherwise lr = optimizer.lr
 * ```
 *
 * The OptimWrapper adds its pseudo-group when there is more than one group. Not ported: the
 * norm-layer, depth-wise and DCN rules (`dcn_offset_lr_mult` needs mmcv's deformable
 * convolutions; the other rules change weight decay only), `bypass_duplicate`, frozen
 * parameters, custom `constructor`s and several optimizers (`OptimWrapperDict`).
 *
 * @param optimWrapperCfg The `optim_wrapper` dict of an mmengine config (snake_case keys).
 * @param options `{ paramNames? }`.
 * @returns The wrapper; its optimizer's `defaults` hold `lr`, `momentum` or `betas`, and
 * `weightDecay` (the config's, or torch's default).
 * @throws {TypeError} If the config is malformed, names an unsupported `constructor`, or has no
 * `optimizer.lr` for SGD (torch raises TypeError).
 * @throws {RangeError} If a multiplier is not finite, or a `decay_mult` is given without the
 * optimizer's `weight_decay` (mmengine `ValueError`).
 *
 * @example DINO's `paramwise_cfg=dict(custom_keys={'backbone': dict(lr_mult=0.1)})`
 * ```ts
 * import { buildOptimWrapper } from "@lrspec/lrspec/mmengine";
 * import assert from "node:assert/strict";
 *
 * const wrapper = buildOptimWrapper({
 *   type: "OptimWrapper",
 *   optimizer: { type: "AdamW", lr: 0.0001, weight_decay: 0.0001 },
 *   paramwise_cfg: { custom_keys: { backbone: { lr_mult: 0.1 } } },
 * }, { paramNames: ["backbone.conv1.weight", "neck.weight"] });
 * assert.deepEqual(wrapper.paramGroups.map((g) => g.lr), [0.0001 * 0.1, 0.0001, 0.0001]);
 * ```
 */
export function buildOptimWrapper(
  optimWrapperCfg: Record<string, unknown>,
  options: BuildOptimWrapperOptions = {},
): OptimWrapper {
  const owner = "buildOptimWrapper";
  const cfg = record(owner, "optim_wrapper", optimWrapperCfg);
  const constructorName: unknown = Object.hasOwn(cfg, "constructor")
    ? cfg["constructor"]
    : undefined;
  if (constructorName !== undefined && constructorName !== "DefaultOptimWrapperConstructor") {
    throw optionError(
      TypeError,
      owner,
      "optim_wrapper.constructor",
      constructorName,
      `optim_wrapper.constructor ${
        show(constructorName)
      } is not supported (lrspec ports DefaultOptimWrapperConstructor)`,
    );
  }
  const wrapperType = cfg.type ?? "OptimWrapper";
  if (wrapperType !== "OptimWrapper" && wrapperType !== "AmpOptimWrapper") {
    throw optionError(
      TypeError,
      owner,
      "optim_wrapper.type",
      wrapperType,
      `optim_wrapper.type ${show(wrapperType)} is not supported (OptimWrapper, ` +
        "AmpOptimWrapper)",
    );
  }
  const optimizerCfg = record(owner, "optim_wrapper.optimizer", cfg.optimizer);
  const type = String(optimizerCfg.type ?? "");
  const known = TORCH_OPTIMIZERS[type.replace(/^[A-Za-z_]+\./, "")];
  const defaultsLr = optimizerCfg.lr ?? known?.lr ?? undefined;
  if (defaultsLr === undefined || defaultsLr === null) {
    throw optionError(
      TypeError,
      owner,
      "optim_wrapper.optimizer.lr",
      optimizerCfg.lr,
      `optim_wrapper.optimizer.lr is required for ${show(type)} (torch raises TypeError)`,
    );
  }
  const baseLr = finite(owner, "optim_wrapper.optimizer.lr", defaultsLr);
  const defaults: Record<string, unknown> = { lr: baseLr };
  if (known?.momentum !== undefined) {
    defaults.momentum = finite(
      owner,
      "optim_wrapper.optimizer.momentum",
      optimizerCfg.momentum ?? known.momentum,
    );
  }
  if (known?.betas !== undefined) {
    const betas = optimizerCfg.betas ?? known.betas;
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw optionError(
        TypeError,
        owner,
        "optim_wrapper.optimizer.betas",
        betas,
        `optim_wrapper.optimizer.betas must be a pair: got ${show(betas)}`,
      );
    }
    defaults.betas = betas.map((b, i) => finite(owner, `optim_wrapper.optimizer.betas[${i}]`, b));
  }
  const baseWd = optimizerCfg.weight_decay ?? null;
  if (baseWd !== null || known?.weightDecay !== undefined) {
    defaults.weightDecay = finite(
      owner,
      "optim_wrapper.optimizer.weight_decay",
      baseWd ?? known!.weightDecay,
    );
  }
  const paramwise = (cfg.paramwise_cfg ?? null) as Record<string, unknown> | null;
  if (paramwise !== null) validateCfg(owner, paramwise, baseWd);
  const names = options.paramNames ?? defaultParamNames(cfg);
  const groupsSpec: Record<string, unknown>[] = [];
  if (paramwise === null || Object.keys(paramwise).length === 0) {
    groupsSpec.push({});
  } else {
    record(owner, "optim_wrapper.paramwise_cfg", paramwise);
    const customKeys = record(
      owner,
      "optim_wrapper.paramwise_cfg.custom_keys",
      paramwise.custom_keys ?? {},
    );
    // sorted(sorted(keys), key=len, reverse=True): alphabetical, then longest first (stable).
    const sortedKeys = Object.keys(customKeys).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .sort((a, b) => b.length - a.length);
    const biasLrMult = paramwise.bias_lr_mult ?? null;
    for (const name of names) {
      const dot = name.lastIndexOf(".");
      const prefix = dot < 0 ? "" : name.slice(0, dot);
      const leaf = name.slice(dot + 1);
      const group: Record<string, unknown> = {};
      const key = sortedKeys.find((k) => `${prefix}.${leaf}`.includes(k));
      if (key !== undefined) {
        const custom = record(owner, `paramwise_cfg.custom_keys[${show(key)}]`, customKeys[key]);
        const lrMult = finite(owner, `custom_keys[${show(key)}].lr_mult`, custom.lr_mult ?? 1.0);
        group.lr = configLr(owner, optimizerCfg) * lrMult;
        if (baseWd !== null) {
          group.weightDecay = finite(owner, "optim_wrapper.optimizer.weight_decay", baseWd) *
            finite(owner, `custom_keys[${show(key)}].decay_mult`, custom.decay_mult ?? 1.0);
        }
      } else if (leaf === "bias" && biasLrMult !== null) {
        group.lr = configLr(owner, optimizerCfg) *
          finite(owner, "paramwise_cfg.bias_lr_mult", biasLrMult);
      }
      groupsSpec.push(group);
    }
  }
  const optimizer: Optimizer = {
    paramGroups: groupsSpec.map((g) => ({ ...structuredClone(defaults), ...g }) as ParamGroup),
    defaults: defaults as Optimizer["defaults"] & object,
  };
  return new OptimWrapper({ optimizer });
}
