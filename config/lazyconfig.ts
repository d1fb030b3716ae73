/**
 * detectron2 LazyConfig schedules: the `lr_multiplier` of a loaded `.py` config (a tree of
 * `{_target_, ...kwargs}` dicts, as `LazyConfig.load` returns it) turned into lrspec's ports of
 * fvcore's and detectron2's schedulers, the way detectron2's `instantiate(cfg.lr_multiplier)`
 * builds the real ones; and the training learning rate `tools/lazyconfig_train_net.py` gets
 * from it (`hooks.LRScheduler` wraps the multiplier in `LRMultiplier` with
 * `max_iter = cfg.train.max_iter` over an optimizer at `cfg.optimizer.lr`).
 *
 * @module
 */

import {
  CompositeParamScheduler,
  ConstantParamScheduler,
  CosineParamScheduler,
  ExponentialParamScheduler,
  LinearParamScheduler,
  MultiStepParamScheduler,
  type ParamSchedulerLike,
  PolynomialDecayParamScheduler,
  type PythonVersion,
  StepParamScheduler,
  StepWithFixedGammaParamScheduler,
} from "../schedules/fvcore/param_scheduler.ts";
import { WarmupParamScheduler } from "../schedules/detectron2/lr_scheduler.ts";
import { optionProblem } from "../schedules/errors.ts";
import { snakeCase } from "../schedules/names.ts";

/**
 * What a config error is about, as data (`error.cause`, an `OptionProblem`): `instantiate` (as
 * detectron2 calls it), the config key as written (`lr_multiplier.scheduler.milestones`) and
 * its value.
 */
function about(key: string, value: unknown): { cause: unknown } {
  return { cause: { owner: "instantiate", option: key, value } };
}

export type { ParamSchedulerLike, PythonVersion };

/** Options of {@linkcode instantiateParamScheduler} and {@linkcode lazyConfigSchedule}. */
export interface InstantiateOptions {
  /**
   * The Python whose `sum()` a `CompositeParamScheduler` follows (see the fvcore port).
   * @default {"3.12"}
   */
  python?: PythonVersion;
}

/** Where a `_target_` may come from (detectron2 re-exports fvcore's schedulers). */
const MODULES = [
  "fvcore.common.param_scheduler",
  "detectron2.solver",
  "detectron2.solver.lr_scheduler",
] as const;

/** The schedulers detectron2's LazyConfigs name, by class name. */
export const LAZYCONFIG_SCHEDULERS: readonly string[] = [
  "ConstantParamScheduler",
  "CosineParamScheduler",
  "ExponentialParamScheduler",
  "LinearParamScheduler",
  "MultiStepParamScheduler",
  "PolynomialDecayParamScheduler",
  "StepParamScheduler",
  "StepWithFixedGammaParamScheduler",
  "CompositeParamScheduler",
  "WarmupParamScheduler",
];

/** `num_updates` → `numUpdates`. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (isRecord(x) && typeof x.$python === "string") return x.$python;
  return JSON.stringify(x) ?? String(x);
}

/**
 * Builds the scheduler a `{_target_, ...kwargs}` node describes, as detectron2's `instantiate`
 * would: keyword arguments in snake_case become the port's camelCase options, nested nodes
 * (`scheduler`, `schedulers`) are built first.
 *
 * @param node The node (e.g. `config.lr_multiplier`).
 * @param path The node's key path, for messages.
 * @param options The Python release for `CompositeParamScheduler`'s `sum()`.
 * @returns The scheduler.
 * @throws {TypeError} If the node is not a `_target_` dict of a known scheduler, or an argument
 * is unknown or of the wrong type (the message names the key path); `RangeError` as the port's
 * constructor.
 *
 * @example
 * ```ts
 * import { instantiateParamScheduler } from "./lazyconfig.ts";
 * import assert from "node:assert/strict";
 *
 * const s = instantiateParamScheduler({
 *   _target_: "fvcore.common.param_scheduler.CosineParamScheduler",
 *   start_value: 1,
 *   end_value: 0,
 * });
 * assert.equal(s.at(0.5), 0.5);
 * ```
 */
export function instantiateParamScheduler(
  node: unknown,
  path = "lr_multiplier",
  options: InstantiateOptions = {},
): ParamSchedulerLike {
  if (!isRecord(node) || typeof node._target_ !== "string") {
    throw new TypeError(
      `${path} must be a LazyCall of a scheduler (a dict with \`_target_\`): got ${describe(node)}`,
      about(path, node),
    );
  }
  const target = node._target_;
  const dot = target.lastIndexOf(".");
  const module = target.slice(0, dot);
  const name = target.slice(dot + 1);
  if (!(MODULES as readonly string[]).includes(module) || !LAZYCONFIG_SCHEDULERS.includes(name)) {
    throw new TypeError(
      `${path}._target_: \`${target}\` is not a scheduler lrspec knows ` +
        `(fvcore.common.param_scheduler / detectron2.solver: ${LAZYCONFIG_SCHEDULERS.join(", ")})`,
      about(`${path}._target_`, target),
    );
  }
  const kwargs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "_target_") continue;
    if (isRecord(value) && "$python" in value) {
      throw new TypeError(
        `${path}.${key}: a Python object lrspec cannot use: ${value.$python}`,
        about(`${path}.${key}`, value.$python),
      );
    }
    kwargs[camel(key)] = value;
  }
  const wrap = <T>(build: () => T): T => {
    try {
      return build();
    } catch (error) {
      if (error instanceof Error) {
        // The scheduler's option, as the config's key (`lr_multiplier.scheduler.milestones`).
        const problem = optionProblem(error);
        const Ctor = error.constructor as new (message: string, options?: ErrorOptions) => Error;
        throw new Ctor(
          `${path}: ${error.message}`,
          problem === undefined
            ? {}
            : about(`${path}.${snakeCase(problem.option.replace(/\[\d+\]$/, ""))}`, problem.value),
        );
      }
      throw error;
    }
  };
  const python = options.python === undefined ? {} : { python: options.python };
  switch (name) {
    case "WarmupParamScheduler": {
      const scheduler = instantiateParamScheduler(
        node.scheduler,
        `${path}.scheduler`,
        options,
      );
      return wrap(() => new WarmupParamScheduler({ ...kwargs, scheduler, ...python } as never));
    }
    case "CompositeParamScheduler": {
      const list = node.schedulers;
      if (!Array.isArray(list)) {
        throw new TypeError(
          `${path}.schedulers must be a list: got ${describe(list)}`,
          about(`${path}.schedulers`, list),
        );
      }
      const schedulers = list.map((s, i) =>
        instantiateParamScheduler(s, `${path}.schedulers[${i}]`, options)
      );
      return wrap(() => new CompositeParamScheduler({ ...kwargs, schedulers, ...python } as never));
    }
    case "ConstantParamScheduler":
      return wrap(() => new ConstantParamScheduler(kwargs as never));
    case "CosineParamScheduler":
      return wrap(() => new CosineParamScheduler(kwargs as never));
    case "ExponentialParamScheduler":
      return wrap(() => new ExponentialParamScheduler(kwargs as never));
    case "LinearParamScheduler":
      return wrap(() => new LinearParamScheduler(kwargs as never));
    case "MultiStepParamScheduler":
      return wrap(() => new MultiStepParamScheduler(kwargs as never));
    case "PolynomialDecayParamScheduler":
      return wrap(() => new PolynomialDecayParamScheduler(kwargs as never));
    case "StepParamScheduler":
      return wrap(() => new StepParamScheduler(kwargs as never));
    default:
      return wrap(() => new StepWithFixedGammaParamScheduler(kwargs as never));
  }
}

/** What a LazyConfig's training schedule is made of. */
export interface LazyConfigSchedule {
  /** The multiplier (`instantiate(cfg.lr_multiplier)`). */
  multiplier: ParamSchedulerLike;
  /** `cfg.train.max_iter`. */
  maxIter: number;
  /** `cfg.optimizer.lr`: the rate the multiplier scales. */
  lr: number;
  /** `cfg.lr_multiplier._target_`. */
  target: string;
  /** `cfg.optimizer._target_`, when it names one (`torch.optim.SGD`). */
  optimizer: string | undefined;
  /**
   * Whether `cfg.optimizer.params.lr_factor_func` is set (ViTDet's layer-wise decay): groups
   * then train at `lr · factor`, which depends on the model's parameter names.
   */
  lrFactorFunc: string | undefined;
}

/**
 * The schedule of a loaded LazyConfig: `lr_multiplier`, `train.max_iter` and `optimizer.lr`,
 * validated. The rate iteration `i` trains with is `lr · multiplier.at(i / maxIter)` (detectron2's
 * `LRMultiplier`, as the `LRScheduler` hook builds it).
 *
 * @param config The config (`LazyConfig.load`'s dict as JSON-like data).
 * @param options The Python release for `CompositeParamScheduler`'s `sum()`.
 * @returns The multiplier, `maxIter`, `lr` and what the config names.
 * @throws {TypeError} If a key is missing or has the wrong type (the message names it); as
 * {@linkcode instantiateParamScheduler}.
 *
 * @example
 * ```ts
 * import { lazyConfigSchedule } from "./lazyconfig.ts";
 * import assert from "node:assert/strict";
 *
 * const { multiplier, maxIter, lr } = lazyConfigSchedule({
 *   lr_multiplier: {
 *     _target_: "fvcore.common.param_scheduler.MultiStepParamScheduler",
 *     values: [1, 0.1],
 *     milestones: [60],
 *     num_updates: 90,
 *   },
 *   train: { max_iter: 90 },
 *   optimizer: { _target_: "torch.optim.SGD", lr: 0.02 },
 * });
 * assert.equal(lr * multiplier.at(60 / maxIter), 0.002);
 * ```
 */
export function lazyConfigSchedule(
  config: Record<string, unknown>,
  options: InstantiateOptions = {},
): LazyConfigSchedule {
  if (!("lr_multiplier" in config)) {
    throw new TypeError(
      "the config defines no `lr_multiplier` (detectron2's LazyConfig schedule)",
      about("lr_multiplier", undefined),
    );
  }
  const multiplier = instantiateParamScheduler(config.lr_multiplier, "lr_multiplier", options);
  const train = config.train;
  const maxIter = isRecord(train) ? train.max_iter : undefined;
  if (typeof maxIter !== "number" || !Number.isSafeInteger(maxIter) || maxIter <= 0) {
    throw new TypeError(
      `train.max_iter must be a positive integer: got ${
        isRecord(train) && "max_iter" in train ? describe(train.max_iter) : "nothing"
      }`,
      about("train.max_iter", maxIter),
    );
  }
  const optimizer = config.optimizer;
  const lr = isRecord(optimizer) ? optimizer.lr : undefined;
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
    throw new TypeError(
      `optimizer.lr must be a finite number >= 0: got ${
        isRecord(optimizer) && "lr" in optimizer ? describe(optimizer.lr) : "nothing"
      }`,
      about("optimizer.lr", lr),
    );
  }
  const params = isRecord(optimizer) ? optimizer.params : undefined;
  const factor = isRecord(params) ? params.lr_factor_func : undefined;
  return {
    multiplier,
    maxIter,
    lr,
    target: (config.lr_multiplier as { _target_: string })._target_,
    optimizer: isRecord(optimizer) && typeof optimizer._target_ === "string"
      ? optimizer._target_
      : undefined,
    lrFactorFunc: factor === undefined || factor === null
      ? undefined
      : typeof factor === "string"
      ? factor
      : describe(factor),
  };
}
