/**
 * Port of timm's `timm/scheduler/scheduler_factory.py` (timm 1.0.29):
 * {@linkcode createSchedulerV2}, the factory timm's `train.py` uses, and
 * {@linkcode schedulerKwargs}, which reads its keywords from timm's `args`.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import {
  boolean,
  finite,
  finiteArray,
  integer,
  oneOf,
  requireOptions,
  show,
} from "../_internal/validate.ts";
import type { Optimizer } from "../optimizer.ts";
import { CosineLRScheduler } from "./cosine_lr.ts";
import { MultiStepLRScheduler } from "./multistep_lr.ts";
import { PlateauLRScheduler } from "./plateau_lr.ts";
import { PolyLRScheduler } from "./poly_lr.ts";
import { StepLRScheduler } from "./step_lr.ts";
import { TanhLRScheduler } from "./tanh_lr.ts";
import { floorDiv } from "../_internal/python.ts";

/** The schedule names `create_scheduler_v2` knows. */
export type SchedName = "cosine" | "tanh" | "step" | "multistep" | "plateau" | "poly";

/** The keywords of `create_scheduler_v2` besides the optimizer (camelCase). */
export interface SchedulerKwargs {
  /**
   * The schedule: `"cosine"`, `"tanh"`, `"step"`, `"multistep"`, `"plateau"` or `"poly"`. Any
   * other name creates no scheduler (timm returns `None`).
   * @default {"cosine"}
   */
  sched?: string;
  /**
   * Training length in epochs (the cycle length of cosine, tanh and poly).
   * @default {300}
   */
  numEpochs?: number;
  /**
   * The step schedule's decay interval, in epochs.
   * @default {90}
   */
  decayEpochs?: number;
  /**
   * The multistep schedule's milestones, in epochs.
   * @default {[90, 180, 270]}
   */
  decayMilestones?: readonly number[];
  /**
   * Epochs at `minLr` after the cycles (cosine, tanh, poly: added to the returned epochs).
   * @default {0}
   */
  cooldownEpochs?: number;
  /**
   * The plateau schedule's patience, in epochs.
   * @default {10}
   */
  patienceEpochs?: number;
  /**
   * The decay factor of step, multistep and plateau; the exponent of poly.
   * @default {0.1}
   */
  decayRate?: number;
  /**
   * The lowest rate.
   * @default {0}
   */
  minLr?: number;
  /**
   * The warmup's starting rate.
   * @default {1e-5}
   */
  warmupLr?: number;
  /**
   * Warmup length in epochs.
   * @default {0}
   */
  warmupEpochs?: number;
  /**
   * Whether the warmup comes before the schedule (and adds to the epochs).
   * @default {false}
   */
  warmupPrefix?: boolean;
  /**
   * Noise range as fractions of the schedule: `[start, end]`, `[start]`, a start, or `null`.
   * @default {null}
   */
  noise?: number | readonly number[] | null;
  /**
   * The noise limit.
   * @default {0.67}
   */
  noisePct?: number;
  /**
   * Stored and unused, as in timm.
   * @default {1.0}
   */
  noiseStd?: number;
  /**
   * The noise seed.
   * @default {42}
   */
  noiseSeed?: number | bigint;
  /**
   * Cycle length multiplier (cosine, tanh, poly).
   * @default {1.0}
   */
  cycleMul?: number;
  /**
   * Peak multiplier per cycle (cosine, tanh, poly).
   * @default {0.1}
   */
  cycleDecay?: number;
  /**
   * Number of cycles (cosine, tanh, poly).
   * @default {1}
   */
  cycleLimit?: number;
  /**
   * k-decay exponent (cosine, poly).
   * @default {1.0}
   */
  kDecay?: number;
  /**
   * The plateau schedule's mode: `"max"` for accuracy, `"min"` for a loss.
   * @default {"max"}
   */
  plateauMode?: "min" | "max";
  /**
   * `true`: step per epoch; `false`: per update (needs `updatesPerEpoch`).
   * @default {true}
   */
  stepOnEpochs?: boolean;
  /**
   * Optimizer updates per epoch (timm: the dataloader's batches over the accumulation steps).
   * @default {0}
   */
  updatesPerEpoch?: number;
}

/** Options of {@linkcode createSchedulerV2}: the optimizer and timm's keywords in camelCase. */
export interface CreateSchedulerV2Options extends SchedulerKwargs {
  /** The optimizer whose groups' `lr` is scheduled. */
  optimizer: Optimizer;
}

const KWARG_KEYS: readonly (keyof CreateSchedulerV2Options & string)[] = [
  "optimizer",
  "sched",
  "numEpochs",
  "decayEpochs",
  "decayMilestones",
  "cooldownEpochs",
  "patienceEpochs",
  "decayRate",
  "minLr",
  "warmupLr",
  "warmupEpochs",
  "warmupPrefix",
  "noise",
  "noisePct",
  "noiseStd",
  "noiseSeed",
  "cycleMul",
  "cycleDecay",
  "cycleLimit",
  "kDecay",
  "plateauMode",
  "stepOnEpochs",
  "updatesPerEpoch",
];

/** The schedulers `create_scheduler_v2` builds. */
export type TimmScheduler =
  | CosineLRScheduler
  | TanhLRScheduler
  | StepLRScheduler
  | MultiStepLRScheduler
  | PlateauLRScheduler
  | PolyLRScheduler;

/**
 * Creates the scheduler timm's `train.py` trains with, and the number of epochs to train.
 * Port of timm `scheduler_factory.create_scheduler_v2` (timm 1.0.29).
 *
 * ```text
 * stepOnEpochs = false:  tInitial, warmupT, decayT, milestones, cooldownT
 *                        are the epoch counts × updatesPerEpoch
 * noise range:           noise × tInitial (each entry of a list; a one-entry list is a start)
 * cosine, tanh, poly:    epochs = getCycleLength() + cooldownT   (÷ updatesPerEpoch, floored,
 *                        when stepping per update); warmupPrefix adds the warmup in it
 * step, multistep, plateau: epochs = numEpochs (+ warmupEpochs when warmupPrefix)
 * ```
 *
 * `poly` takes `decayRate` as its `power`; `plateau` uses `patienceEpochs`, cooldown 0 and no
 * `warmupPrefix`. An unknown `sched` gives `[null, numEpochs]`, as timm returns `None`.
 * timm's assertions become `RangeError`s with timm's messages.
 *
 * @param options The optimizer and timm's keywords in camelCase.
 * @returns `[scheduler, numEpochs]`.
 * @throws {RangeError} `updates_per_epoch must be set to number of dataloader batches` when
 * stepping per update without `updatesPerEpoch > 0`; `Plateau LR only supports step per
 * epoch.`; and the schedulers' own errors.
 * @throws {TypeError} If an option is unknown or has the wrong type.
 *
 * @example timm's defaults with `--epochs 100 --warmup-epochs 5 --cooldown-epochs 10`
 * ```ts
 * import { createSchedulerV2 } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const [scheduler, numEpochs] = createSchedulerV2({
 *   optimizer,
 *   sched: "cosine",
 *   numEpochs: 100,
 *   warmupEpochs: 5,
 *   cooldownEpochs: 10,
 * });
 * assert.equal(numEpochs, 110);
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-5);
 * scheduler!.step(100);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // cooldown at minLr
 * ```
 */
export function createSchedulerV2(
  options: CreateSchedulerV2Options,
): [TimmScheduler | null, number] {
  const owner = "createSchedulerV2";
  const o = requireOptions(owner, options, KWARG_KEYS);
  const optimizer = o.optimizer;
  const sched = o.sched ?? "cosine";
  if (typeof sched !== "string") {
    throw optionError(
      TypeError,
      owner,
      "sched",
      sched,
      `\`sched\` must be a string: got ${show(sched)}`,
    );
  }
  let numEpochs = finite(owner, "numEpochs", o.numEpochs ?? 300);
  const decayEpochs = finite(owner, "decayEpochs", o.decayEpochs ?? 90);
  let decayMilestones = finiteArray(owner, "decayMilestones", o.decayMilestones ?? [90, 180, 270]);
  const cooldownEpochs = finite(owner, "cooldownEpochs", o.cooldownEpochs ?? 0);
  const patienceEpochs = finite(owner, "patienceEpochs", o.patienceEpochs ?? 10);
  const decayRate = finite(owner, "decayRate", o.decayRate ?? 0.1);
  const minLr = finite(owner, "minLr", o.minLr ?? 0);
  const warmupLr = finite(owner, "warmupLr", o.warmupLr ?? 1e-5);
  const warmupEpochs = finite(owner, "warmupEpochs", o.warmupEpochs ?? 0);
  const warmupPrefix = boolean(owner, "warmupPrefix", o.warmupPrefix ?? false);
  const noise = o.noise ?? null;
  const noisePct = finite(owner, "noisePct", o.noisePct ?? 0.67);
  const noiseStd = finite(owner, "noiseStd", o.noiseStd ?? 1.0);
  const noiseSeed = o.noiseSeed ?? 42;
  const cycleMul = finite(owner, "cycleMul", o.cycleMul ?? 1.0);
  const cycleDecay = finite(owner, "cycleDecay", o.cycleDecay ?? 0.1);
  const cycleLimit = finite(owner, "cycleLimit", o.cycleLimit ?? 1);
  const kDecay = finite(owner, "kDecay", o.kDecay ?? 1.0);
  const plateauMode = oneOf(owner, "plateauMode", o.plateauMode ?? "max", ["min", "max"]);
  const stepOnEpochs = boolean(owner, "stepOnEpochs", o.stepOnEpochs ?? true);
  const updatesPerEpoch = finite(owner, "updatesPerEpoch", o.updatesPerEpoch ?? 0);

  let tInitial = numEpochs;
  let warmupT = warmupEpochs;
  let decayT = decayEpochs;
  let cooldownT = cooldownEpochs;

  if (!stepOnEpochs) {
    if (!(updatesPerEpoch > 0)) {
      throw optionError(
        RangeError,
        owner,
        "updatesPerEpoch",
        updatesPerEpoch,
        `updates_per_epoch must be set to number of dataloader batches ` +
          `(timm asserts): got updatesPerEpoch=${show(updatesPerEpoch)}`,
      );
    }
    tInitial = tInitial * updatesPerEpoch;
    warmupT = warmupT * updatesPerEpoch;
    decayT = decayT * updatesPerEpoch;
    decayMilestones = decayMilestones.map((d) => d * updatesPerEpoch);
    cooldownT = cooldownT * updatesPerEpoch;
  }

  const warmupArgs = { warmupLrInit: warmupLr, warmupT, warmupPrefix };

  let noiseRange: number | number[] | null;
  if (noise !== null) {
    if (Array.isArray(noise)) {
      const range = finiteArray(owner, "noise", noise).map((n) => n * tInitial);
      noiseRange = range.length === 1 ? range[0]! : range;
    } else {
      noiseRange = finite(owner, "noise", noise) * tInitial;
    }
  } else {
    noiseRange = null;
  }
  const noiseArgs = { noiseRangeT: noiseRange, noisePct, noiseStd, noiseSeed };
  const cycleArgs = { cycleMul, cycleDecay, cycleLimit };

  let lrScheduler: TimmScheduler | null = null;
  if (sched === "cosine") {
    lrScheduler = new CosineLRScheduler({
      optimizer,
      tInitial,
      lrMin: minLr,
      tInEpochs: stepOnEpochs,
      ...cycleArgs,
      ...warmupArgs,
      ...noiseArgs,
      kDecay,
    });
  } else if (sched === "tanh") {
    lrScheduler = new TanhLRScheduler({
      optimizer,
      tInitial,
      lrMin: minLr,
      tInEpochs: stepOnEpochs,
      ...cycleArgs,
      ...warmupArgs,
      ...noiseArgs,
    });
  } else if (sched === "step") {
    lrScheduler = new StepLRScheduler({
      optimizer,
      decayT,
      decayRate,
      tInEpochs: stepOnEpochs,
      ...warmupArgs,
      ...noiseArgs,
    });
  } else if (sched === "multistep") {
    lrScheduler = new MultiStepLRScheduler({
      optimizer,
      decayT: decayMilestones,
      decayRate,
      tInEpochs: stepOnEpochs,
      ...warmupArgs,
      ...noiseArgs,
    });
  } else if (sched === "plateau") {
    if (!stepOnEpochs) {
      throw optionError(
        RangeError,
        owner,
        "stepOnEpochs",
        stepOnEpochs,
        `Plateau LR only supports step per epoch. (timm asserts)`,
      );
    }
    lrScheduler = new PlateauLRScheduler({
      optimizer,
      decayRate,
      patienceT: patienceEpochs,
      cooldownT: 0,
      warmupLrInit: warmupLr,
      warmupT,
      lrMin: minLr,
      mode: plateauMode,
      ...noiseArgs,
    });
  } else if (sched === "poly") {
    lrScheduler = new PolyLRScheduler({
      optimizer,
      power: decayRate, // timm overloads `decay_rate` as the polynomial power
      tInitial,
      lrMin: minLr,
      tInEpochs: stepOnEpochs,
      kDecay,
      ...cycleArgs,
      ...warmupArgs,
      ...noiseArgs,
    });
  }

  if (
    lrScheduler instanceof CosineLRScheduler || lrScheduler instanceof TanhLRScheduler ||
    lrScheduler instanceof PolyLRScheduler
  ) {
    // cycle schedulers: the cycles (with the warmup when it is a prefix) and the cooldown
    const tWithCyclesAndCooldown = lrScheduler.getCycleLength() + cooldownT;
    numEpochs = stepOnEpochs
      ? tWithCyclesAndCooldown
      : floorDiv(owner, tWithCyclesAndCooldown, updatesPerEpoch, "timm", "updatesPerEpoch");
  } else if (warmupPrefix) {
    numEpochs += warmupEpochs;
  }
  return [lrScheduler, numEpochs];
}

/** The part of timm's `args` namespace (`args.yaml`) that {@linkcode schedulerKwargs} reads. */
export type TimmArgs = Readonly<Record<string, unknown>>;

function arg(args: TimmArgs, key: string, fallback: unknown): unknown {
  return Object.prototype.hasOwnProperty.call(args, key) ? args[key] : fallback;
}

/**
 * timm's `scheduler_kwargs(cfg, decreasing_metric)`: the keywords of
 * {@linkcode createSchedulerV2} read from timm's `args` (a parsed `args.yaml`, with timm's
 * snake_case keys), with timm's fallbacks for missing keys.
 *
 * ```text
 * sched ← sched (required)        numEpochs ← epochs (100)      decayEpochs ← decay_epochs (30)
 * decayMilestones ← decay_milestones ([30, 60])    warmupEpochs ← warmup_epochs (5)
 * cooldownEpochs ← cooldown_epochs (0)    patienceEpochs ← patience_epochs (10)
 * decayRate ← decay_rate (0.1)    minLr ← min_lr (0)    warmupLr ← warmup_lr (1e-5)
 * warmupPrefix ← warmup_prefix (false)    noise ← lr_noise (None)
 * noisePct ← lr_noise_pct (0.67)    noiseStd ← lr_noise_std (1)    noiseSeed ← seed (42)
 * cycleMul ← lr_cycle_mul (1)    cycleDecay ← lr_cycle_decay (0.1)
 * cycleLimit ← lr_cycle_limit (1)    kDecay ← lr_k_decay (1)
 * plateauMode ← "min" if decreasingMetric (or, when it is not given, if "loss" is in
 *               eval_metric ("top1")) else "max"
 * stepOnEpochs ← not sched_on_updates (false)
 * ```
 *
 * Port of timm `scheduler_factory.scheduler_kwargs` (timm 1.0.29). The values are passed on
 * checked for their types only; {@linkcode createSchedulerV2} validates the rest.
 *
 * @param args timm's arguments, with its snake_case keys (`lr_cycle_mul`, …).
 * @param decreasingMetric Whether a smaller metric is better; `null`: decided by `eval_metric`.
 * @returns The keywords, camelCase.
 * @throws {TypeError} If `args` is not an object, lacks `sched` (timm: `AttributeError`), or a
 * value has the wrong type (`epochs: "100"`).
 * @throws {RangeError} If a number is not finite or `seed` is not an integer.
 *
 * @example An `args.yaml` of timm's `train.py`
 * ```ts
 * import { createSchedulerV2, schedulerKwargs } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const args = { sched: "cosine", epochs: 300, warmup_epochs: 5, lr_cycle_decay: 0.5 };
 * const kwargs = schedulerKwargs(args);
 * assert.equal(kwargs.cycleDecay, 0.5);
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const [, numEpochs] = createSchedulerV2({ optimizer, ...kwargs });
 * assert.equal(numEpochs, 300);
 * ```
 */
export function schedulerKwargs(
  args: TimmArgs,
  decreasingMetric: boolean | null = null,
): SchedulerKwargs {
  const owner = "schedulerKwargs";
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw optionError(
      TypeError,
      owner,
      "args",
      args,
      `\`args\` must be an object: got ${show(args)}`,
    );
  }
  if (!Object.prototype.hasOwnProperty.call(args, "sched")) {
    throw optionError(
      TypeError,
      owner,
      "args.sched",
      undefined,
      `args has no attribute 'sched' (timm raises AttributeError)`,
    );
  }
  const evalMetric = arg(args, "eval_metric", "top1");
  let plateauMode: "min" | "max";
  if (decreasingMetric !== null) {
    plateauMode = boolean(owner, "decreasingMetric", decreasingMetric) ? "min" : "max";
  } else {
    if (typeof evalMetric !== "string") {
      throw optionError(
        TypeError,
        owner,
        "args.eval_metric",
        evalMetric,
        `\`eval_metric\` must be a string: got ${show(evalMetric)}`,
      );
    }
    plateauMode = evalMetric.includes("loss") ? "min" : "max";
  }
  const sched = args.sched;
  if (typeof sched !== "string") {
    throw optionError(
      TypeError,
      owner,
      "args.sched",
      sched,
      `\`sched\` must be a string: got ${show(sched)}`,
    );
  }
  const num = (key: string, fallback: number): number =>
    finite(owner, key, arg(args, key, fallback));
  const flag = (key: string, fallback: boolean): boolean =>
    boolean(owner, key, arg(args, key, fallback));
  const noise = arg(args, "lr_noise", null);
  const seed = arg(args, "seed", 42);
  return {
    sched,
    numEpochs: num("epochs", 100),
    decayEpochs: num("decay_epochs", 30),
    decayMilestones: finiteArray(
      owner,
      "decay_milestones",
      arg(args, "decay_milestones", [30, 60]),
    ),
    warmupEpochs: num("warmup_epochs", 5),
    cooldownEpochs: num("cooldown_epochs", 0),
    patienceEpochs: num("patience_epochs", 10),
    decayRate: num("decay_rate", 0.1),
    minLr: num("min_lr", 0),
    warmupLr: num("warmup_lr", 1e-5),
    warmupPrefix: flag("warmup_prefix", false),
    noise: noise === null
      ? null
      : Array.isArray(noise)
      ? finiteArray(owner, "lr_noise", noise)
      : finite(owner, "lr_noise", noise),
    noisePct: num("lr_noise_pct", 0.67),
    noiseStd: num("lr_noise_std", 1.0),
    noiseSeed: typeof seed === "bigint" ? seed : integer(owner, "seed", seed),
    cycleMul: num("lr_cycle_mul", 1.0),
    cycleDecay: num("lr_cycle_decay", 0.1),
    cycleLimit: num("lr_cycle_limit", 1),
    kDecay: num("lr_k_decay", 1.0),
    plateauMode,
    stepOnEpochs: !flag("sched_on_updates", false),
  };
}
