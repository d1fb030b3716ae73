/**
 * Port of DeepSpeed's `deepspeed/runtime/lr_schedules.py` (DeepSpeed commit edaa722, version
 * 0.19.6 in development, after v0.19.5): {@linkcode WarmupLR}, {@linkcode WarmupDecayLR},
 * {@linkcode WarmupCosineLR}, {@linkcode OneCycle}, {@linkcode LRRangeTest}.
 *
 * What changed between DeepSpeed releases in this file (read from its git history):
 *
 * | release | change |
 * | --- | --- |
 * | v0.12.4 (#4688) | WarmupCosineLR's ratio fixes |
 * | v0.15.3 (#6597) | LRRangeTest, OneCycle, WarmupLR and WarmupCosineLR write the groups' lr at construction (before: only some did) |
 * | v0.17.2 (#7360) | WarmupLR: `warmup_max_lr` defaults to each group's lr (was 0.001) |
 * | v0.18.1 (#7633) | tensor learning rates |
 * | v0.19.0 (#7969) | WarmupCosineLR keeps each group's own lr (`org_lrs`) instead of group 0's for all |
 * | v0.19.3 (#8126, #8142) | `warmup_num_steps` must be a positive integer (ValueError); WarmupCosineLR's progress is clamped to [0, 1] and guarded against `total_num_steps == warmup_num_steps` |
 * | v0.19.4 (#8151, #8166, #8171, #8179) | WarmupCosineLR validates `warmup_type`; LRRangeTest and OneCycle reject zero step sizes; WarmupLR keeps per-group base lrs; OneCycle's stair counts take effect |
 * | after v0.19.5 (#8201) | OneCycle accepts per-group lists for `cycle_min_lr`, `cycle_max_lr`, `cycle_min_mom`, `cycle_max_mom` |
 *
 * @module
 */

import { optionError } from "../../errors.ts";
import { libm } from "../../math.ts";
import { boolean, finite, integer, requireOptions, show } from "../../_internal/validate.ts";
import { requireOptimizer } from "../../_internal/optimizer.ts";
import type { Optimizer, StateDict } from "../../optimizer.ts";

/** DeepSpeed's `VALID_LR_SCHEDULES`: the scheduler types of `lr_schedules.py`. */
export const VALID_LR_SCHEDULES = [
  "LRRangeTest",
  "OneCycle",
  "WarmupLR",
  "WarmupDecayLR",
  "WarmupCosineLR",
] as const;

/** The warmup shapes (`warmup_type`). */
export type WarmupType = "log" | "linear";

/** A number, or one per parameter group (upstream's "float or list"). */
export type PerGroup = number | readonly number[];

/** Python's `float % float` for a positive divisor (the result takes the divisor's sign). */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r === 0 ? 0 : r;
}

/**
 * `_format_param`: a scalar broadcast to every group, or a list of one value per group. `name`
 * is upstream's in its message (`cycle_min_lr`); `option` the option the value came from
 * (`cycleMinLr`), what the error's data names.
 */
function formatParam(
  owner: string,
  optimizer: Optimizer,
  value: unknown,
  name: string,
  option: string = name,
): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) {
      throw optionError(
        RangeError,
        owner,
        option,
        value,
        `expected ${n} value for ${name}, got ${value.length} (DeepSpeed's ValueError)`,
      );
    }
    return value.map((v, i) => finite(owner, `${option}[${i}]`, v));
  }
  return new Array<number>(n).fill(finite(owner, option, value));
}

/** `update_lr`: writes each group's lr and returns them. */
function updateLr(optimizer: Optimizer, lrs: readonly number[]): number[] {
  optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
  return optimizer.paramGroups.map((g) => g.lr);
}

/** The `warmup_num_steps` check of v0.19.3: a positive integer. */
function warmupNumSteps(owner: string, value: unknown): number {
  return integer(
    owner,
    "warmupNumSteps",
    value,
    "a positive integer (DeepSpeed's ValueError)",
    (x) => x > 0,
  );
}

function lastBatchIteration(owner: string, value: unknown): number {
  return integer(owner, "lastBatchIteration", value, "an integer");
}

/**
 * What every scheduler of `lr_schedules.py` shares (lrspec's base class; upstream repeats these
 * methods in each class): stepping by batch index, `get_last_lr`, the one-key state dict, and
 * the warnings DeepSpeed logs.
 */
export abstract class BatchScheduler {
  /** The optimizer whose groups the scheduler writes. */
  readonly optimizer: Optimizer;
  /** The index of the last batch; -1 before the first `step()`. */
  lastBatchIteration: number;
  /** What DeepSpeed's logger would have warned about, in order. */
  readonly warnings: string[] = [];
  /** The rates written last (`get_last_lr()`); undefined until written. */
  protected lastLr: number[] | undefined;
  readonly #owner: string;

  /** Validates the optimizer and `lastBatchIteration`. */
  protected constructor(owner: string, optimizer: Optimizer, last: number) {
    this.#owner = owner;
    this.optimizer = requireOptimizer(owner, optimizer);
    this.lastBatchIteration = lastBatchIteration(owner, last);
  }

  /** The rate of each group at `lastBatchIteration`. */
  abstract getLr(): number[];

  /**
   * The rates written last (DeepSpeed's `get_last_lr`).
   *
   * @throws {RangeError} Before any rate was written ("need to call step() first").
   */
  getLastLr(): number[] {
    if (this.lastLr === undefined) {
      throw optionError(
        RangeError,
        this.#owner,
        "getLastLr()",
        undefined,
        "need to call step() first (DeepSpeed asserts)",
      );
    }
    return [...this.lastLr];
  }

  /**
   * Moves to `batchIteration` (default: the next batch) and writes every group's rate.
   *
   * @throws {RangeError} If `batchIteration` is not an integer.
   */
  step(batchIteration?: number): void {
    this.lastBatchIteration = batchIteration === undefined
      ? this.lastBatchIteration + 1
      : lastBatchIteration(this.#owner, batchIteration);
    this.lastLr = updateLr(this.optimizer, this.getLr());
  }

  /** DeepSpeed's state: `{ lastBatchIteration }`. */
  stateDict(): StateDict {
    return { lastBatchIteration: this.lastBatchIteration };
  }

  /**
   * Restores `lastBatchIteration` (the groups are written at the next `step()`).
   *
   * @throws {TypeError} If the state has no `lastBatchIteration` (KeyError).
   */
  loadStateDict(state: StateDict): void {
    if (typeof state !== "object" || state === null || !("lastBatchIteration" in state)) {
      throw optionError(
        TypeError,
        this.#owner,
        "state.lastBatchIteration",
        undefined,
        `the state has no \`lastBatchIteration\` (KeyError)`,
      );
    }
    this.lastBatchIteration = lastBatchIteration(this.#owner, state.lastBatchIteration);
  }

  /** Records what DeepSpeed's logger warns. */
  protected warn(message: string): void {
    this.warnings.push(message);
  }
}

/** Options of {@linkcode LRRangeTest}: DeepSpeed's keyword names in camelCase. */
export interface LRRangeTestOptions {
  /** The optimizer. */
  optimizer: Optimizer;
  /**
   * The starting rate, or one per group.
   * @default {1e-3}
   */
  lrRangeTestMinLr?: PerGroup;
  /**
   * Batches per increase: a positive integer.
   * @default {2000}
   */
  lrRangeTestStepSize?: number;
  /**
   * The increase per interval.
   * @default {1.0}
   */
  lrRangeTestStepRate?: number;
  /**
   * Increase in whole intervals (a staircase) rather than continuously.
   * @default {false}
   */
  lrRangeTestStaircase?: boolean;
  /**
   * The last batch's index when resuming; -1 starts and writes the starting rates.
   * @default {-1}
   */
  lastBatchIteration?: number;
}

/**
 * The learning-rate range test: a rate that grows linearly with the batch index. Port of
 * DeepSpeed `LRRangeTest`.
 *
 * ```text
 * interval = (lastBatchIteration + 1) / stepSize   (floor() of it with staircase)
 * lr_g     = minLr_g · (1 + stepRate · interval)
 * ```
 *
 * @example
 * ```ts
 * import { LRRangeTest } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.1 }] };
 * const s = new LRRangeTest({ optimizer, lrRangeTestMinLr: 1e-4, lrRangeTestStepSize: 10 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-4);
 * s.step(); // batch 0
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-4 * (1 + 1.0 * (1 / 10)));
 * ```
 */
export class LRRangeTest extends BatchScheduler {
  /** Each group's starting rate. */
  minLr: number[];
  /** Batches per increase. */
  stepSize: number;
  /** Increase per interval. */
  stepRate: number;
  /** Whether the increase is a staircase. */
  staircase: boolean;

  /**
   * Creates the scheduler; with `lastBatchIteration` -1 it writes the first step's rates.
   *
   * @param options See {@linkcode LRRangeTestOptions}.
   * @throws {RangeError} For a list whose length is not the number of groups, a step size that
   * is not a positive integer (DeepSpeed's ValueErrors), or a non-finite number.
   * @throws {TypeError} For an unknown option or a wrong type.
   */
  constructor(options: LRRangeTestOptions) {
    const owner = "LRRangeTest";
    const o = requireOptions(owner, options, [
      "optimizer",
      "lrRangeTestMinLr",
      "lrRangeTestStepSize",
      "lrRangeTestStepRate",
      "lrRangeTestStaircase",
      "lastBatchIteration",
    ]);
    super(owner, o.optimizer, o.lastBatchIteration ?? -1);
    this.minLr = formatParam(owner, this.optimizer, o.lrRangeTestMinLr ?? 1e-3, "lrRangeTestMinLr");
    this.stepSize = integer(
      owner,
      "lrRangeTestStepSize",
      o.lrRangeTestStepSize ?? 2000,
      "a positive integer (DeepSpeed's ValueError)",
      (x) => x > 0,
    );
    this.stepRate = finite(owner, "lrRangeTestStepRate", o.lrRangeTestStepRate ?? 1.0);
    this.staircase = boolean(owner, "lrRangeTestStaircase", o.lrRangeTestStaircase ?? false);
    if (this.lastBatchIteration === -1) this.lastLr = updateLr(this.optimizer, this.minLr);
  }

  /** The rate of each group at `lastBatchIteration`. */
  getLr(): number[] {
    const x = (this.lastBatchIteration + 1) / this.stepSize;
    const interval = this.staircase ? Math.floor(x) : x;
    const increase = 1 + this.stepRate * interval;
    return this.minLr.map((lr) => lr * increase);
  }
}

/** Options of {@linkcode WarmupLR}: DeepSpeed's keyword names in camelCase. */
export interface WarmupLROptions {
  /** The optimizer. */
  optimizer: Optimizer;
  /**
   * The starting rate, or one per group.
   * @default {0.0}
   */
  warmupMinLr?: PerGroup;
  /**
   * The rate after warmup, or one per group; `null`: each group's current lr.
   * @default {null}
   */
  warmupMaxLr?: PerGroup | null;
  /**
   * Warmup length in batches: a positive integer, raised to at least 2.
   * @default {1000}
   */
  warmupNumSteps?: number;
  /**
   * `"log"` or `"linear"`; anything else is `"log"` with a warning.
   * @default {"log"}
   */
  warmupType?: string;
  /**
   * The last batch's index when resuming; -1 starts and writes the starting rates.
   * @default {-1}
   */
  lastBatchIteration?: number;
}

const WARMUP_KEYS: readonly (keyof WarmupLROptions & string)[] = [
  "optimizer",
  "warmupMinLr",
  "warmupMaxLr",
  "warmupNumSteps",
  "warmupType",
  "lastBatchIteration",
];

/**
 * Warmup from `warmupMinLr` to `warmupMaxLr`, then constant. Port of DeepSpeed `WarmupLR`.
 *
 * ```text
 * W = max(2, warmupNumSteps); i = lastBatchIteration
 * i < 0:   minLr (the value written at construction)
 * i < W:   γ = log(i + 1) · (1 / log(W))   ("log", the default)   or   i / W   ("linear")
 * else:    γ = 1
 * lr_g   = minLr_g + (maxLr_g − minLr_g) · γ
 * ```
 *
 * The log warmup's first two steps (i = −1 at construction, then i = 0) are both at `minLr`,
 * and it rises fastest at the start. `log` goes through lrspec's libm seam.
 *
 * @example DeepSpeed's default: a log-shaped warmup
 * ```ts
 * import { WarmupLR } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 1e-3 }] };
 * const s = new WarmupLR({ optimizer, warmupNumSteps: 100 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // the first update: warmupMinLr
 * s.step(); // batch 0
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // the second too: log(1) = 0
 * s.step(); // batch 1
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-3 * ((1 / Math.log(100)) * Math.log(2)));
 * ```
 */
export class WarmupLR extends BatchScheduler {
  /** Each group's starting rate. */
  minLrs: number[];
  /** Each group's rate after warmup. */
  maxLrs: number[];
  /** `maxLrs − minLrs`. */
  deltaLrs: number[];
  /** Warmup length, at least 2. */
  warmupNumSteps: number;
  /** The warmup shape. */
  warmupType: WarmupType;
  /** `1 / log(warmupNumSteps)`. */
  inverseLogWarmUp: number;

  /**
   * Creates the scheduler; with `lastBatchIteration` -1 it writes the first step's rates.
   *
   * @param options See {@linkcode WarmupLROptions}.
   * @throws {RangeError} For a `warmupNumSteps` that is not a positive integer, a list whose
   * length is not the number of groups (DeepSpeed's ValueErrors), or a non-finite number.
   * @throws {TypeError} For an unknown option or a wrong type.
   */
  constructor(options: WarmupLROptions) {
    const owner = "WarmupLR";
    const o = requireOptions(owner, options, WARMUP_KEYS);
    const steps = warmupNumSteps(owner, o.warmupNumSteps ?? 1000);
    super(owner, o.optimizer, o.lastBatchIteration ?? -1);
    const maxLr = o.warmupMaxLr ?? this.optimizer.paramGroups.map((g) => g.lr);
    this.minLrs = formatParam(owner, this.optimizer, o.warmupMinLr ?? 0.0, "minLr", "warmupMinLr");
    this.maxLrs = formatParam(owner, this.optimizer, maxLr, "maxLr", "warmupMaxLr");
    this.deltaLrs = this.maxLrs.map((big, i) => big - this.minLrs[i]!);
    this.warmupNumSteps = steps > 2 ? steps : 2;
    this.warmupType = this.#warmupType(o.warmupType);
    this.inverseLogWarmUp = 1.0 / libm.log(this.warmupNumSteps);
    if (this.lastBatchIteration === -1) this.lastLr = updateLr(this.optimizer, this.getLr());
  }

  #warmupType(value: unknown): WarmupType {
    const type = value ?? "log";
    if (typeof type !== "string") {
      throw optionError(
        TypeError,
        "WarmupLR",
        "warmupType",
        type,
        `\`warmupType\` must be a string: got ${show(type)}`,
      );
    }
    if (type === "log" || type === "linear") return type;
    this.warn(
      `Using unknown warmup_type: ${type}. The increasing function is set to default (log)`,
    );
    return "log";
  }

  /** The rate of each group at `lastBatchIteration`. */
  getLr(): number[] {
    if (this.lastBatchIteration < 0) {
      this.warn("Attempting to get learning rate from scheduler before it has started");
      return [...this.minLrs];
    }
    const gamma = this.getGamma();
    return this.minLrs.map((minLr, i) => minLr + this.deltaLrs[i]! * gamma);
  }

  /** The warmup fraction γ at `lastBatchIteration` (DeepSpeed's `_get_gamma`). */
  getGamma(): number {
    const i = this.lastBatchIteration;
    if (i < this.warmupNumSteps) {
      return this.warmupType === "log"
        ? this.inverseLogWarmUp * libm.log(i + 1)
        : i / this.warmupNumSteps;
    }
    return 1.0;
  }
}

/** Options of {@linkcode WarmupDecayLR}: DeepSpeed's keyword names in camelCase. */
export interface WarmupDecayLROptions extends WarmupLROptions {
  /** The batch at which the rate reaches 0. */
  totalNumSteps: number;
  /**
   * The rate after warmup, or one per group. Unlike {@linkcode WarmupLR}'s, DeepSpeed's
   * default here is 0.001, not the groups' lr.
   * @default {0.001}
   */
  warmupMaxLr?: PerGroup | null;
}

/**
 * {@linkcode WarmupLR}'s warmup, then a linear decay to 0 at `totalNumSteps`. Port of DeepSpeed
 * `WarmupDecayLR`.
 *
 * ```text
 * i >= W:  γ = max(0, (totalNumSteps − i) / max(1, totalNumSteps − W))
 * ```
 *
 * @example
 * ```ts
 * import { WarmupDecayLR } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 0.5 }] };
 * const s = new WarmupDecayLR({ optimizer, totalNumSteps: 100, warmupNumSteps: 10, warmupType: "linear" });
 * s.step(55);
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.001 * (45 / 90)); // warmupMaxLr defaults to 0.001
 * ```
 */
export class WarmupDecayLR extends WarmupLR {
  /** The batch at which the rate reaches 0. */
  totalNumSteps: number;

  /**
   * Creates the scheduler; with `lastBatchIteration` -1 it writes the first step's rates.
   *
   * @param options See {@linkcode WarmupDecayLROptions}.
   * @throws {RangeError} As {@linkcode WarmupLR}, or a non-finite `totalNumSteps`.
   * @throws {TypeError} For an unknown option or a wrong type.
   */
  constructor(options: WarmupDecayLROptions) {
    const owner = "WarmupDecayLR";
    const { totalNumSteps, ...rest } = requireOptions(owner, options, [
      ...WARMUP_KEYS,
      "totalNumSteps",
    ]);
    const total = finite(owner, "totalNumSteps", totalNumSteps);
    // The rates super() writes at batch -1 are the minimum ones: they do not read the total.
    super({ ...rest, warmupMaxLr: rest.warmupMaxLr ?? 0.001 });
    this.totalNumSteps = total;
    if (this.totalNumSteps < this.warmupNumSteps) {
      this.warn(
        `total_num_steps ${total} is less than warmup_num_steps ${rest.warmupNumSteps ?? 1000}`,
      );
    }
  }

  /** γ at `lastBatchIteration` (DeepSpeed's `_get_gamma`). */
  override getGamma(): number {
    const i = this.lastBatchIteration;
    if (i < this.warmupNumSteps) return super.getGamma();
    const span = this.totalNumSteps - this.warmupNumSteps;
    const g = (this.totalNumSteps - i) / (1.0 > span ? 1.0 : span);
    return g > 0.0 ? g : 0.0;
  }
}

/** Options of {@linkcode WarmupCosineLR}: DeepSpeed's keyword names in camelCase. */
export interface WarmupCosineLROptions {
  /** The optimizer: each group's lr at construction is its peak. */
  optimizer: Optimizer;
  /** The batch at which the cosine ends. */
  totalNumSteps: number;
  /**
   * The warmup's starting ratio of the peak.
   * @default {0.0}
   */
  warmupMinRatio?: number;
  /**
   * Warmup length in batches: a positive integer, raised to at least 2.
   * @default {1000}
   */
  warmupNumSteps?: number;
  /**
   * The cosine's final ratio of the peak.
   * @default {0.0001}
   */
  cosMinRatio?: number;
  /**
   * `"log"` or `"linear"`; anything else is `"log"` with a warning.
   * @default {"log"}
   */
  warmupType?: string;
  /**
   * The last batch's index when resuming; -1 starts and writes lr 0.
   * @default {-1}
   */
  lastBatchIteration?: number;
}

/**
 * A warmup of the ratio from `warmupMinRatio` to 1, then a cosine to `cosMinRatio`, times each
 * group's lr at construction. Port of DeepSpeed `WarmupCosineLR`.
 *
 * ```text
 * W = max(2, warmupNumSteps); i = lastBatchIteration; lr_g = orgLr_g · ratio
 * i < 0:   ratio = 0   (written at construction: the first update runs at lr 0)
 * i < W:   r = log(i + 1) / log(W)  ("log")  or  i / W  ("linear")
 *          ratio = warmupMinRatio + r · (1 − warmupMinRatio)
 * else:    p = min(1, (i − W + 1) / max(1, totalNumSteps − W))
 *          ratio = max(0, cosMinRatio + (1 − cosMinRatio) · (1 + cos(π · p)) / 2)
 * ```
 *
 * @example
 * ```ts
 * import { WarmupCosineLR } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * const optimizer = { paramGroups: [{ lr: 2e-4 }] };
 * new WarmupCosineLR({ optimizer, totalNumSteps: 1000, warmupNumSteps: 100 });
 * assert.equal(optimizer.paramGroups[0]!.lr, 0); // deepspeedai/DeepSpeed#5287
 * ```
 */
export class WarmupCosineLR extends BatchScheduler {
  /** The batch at which the cosine ends. */
  totalNumSteps: number;
  /** The cosine's final ratio. */
  cosMinRatio: number;
  /** The warmup shape. */
  warmupType: WarmupType;
  /** The warmup's starting ratio. */
  warmupMinRatio: number;
  /** Warmup length, at least 2. */
  warmupNumSteps: number;
  /** `1 / log(warmupNumSteps)`. */
  inverseLogWarmUp: number;
  /** Each group's lr at construction (the peak). */
  orgLrs: number[];

  /**
   * Creates the scheduler; with `lastBatchIteration` -1 it writes the first step's rates.
   *
   * @param options See {@linkcode WarmupCosineLROptions}.
   * @throws {RangeError} For a `warmupNumSteps` that is not a positive integer (DeepSpeed's
   * ValueError) or a non-finite number.
   * @throws {TypeError} For an unknown option or a wrong type.
   */
  constructor(options: WarmupCosineLROptions) {
    const owner = "WarmupCosineLR";
    const o = requireOptions(owner, options, [
      "optimizer",
      "totalNumSteps",
      "warmupMinRatio",
      "warmupNumSteps",
      "cosMinRatio",
      "warmupType",
      "lastBatchIteration",
    ]);
    const steps = warmupNumSteps(owner, o.warmupNumSteps ?? 1000);
    super(owner, o.optimizer, o.lastBatchIteration ?? -1);
    this.totalNumSteps = finite(owner, "totalNumSteps", o.totalNumSteps);
    this.cosMinRatio = finite(owner, "cosMinRatio", o.cosMinRatio ?? 0.0001);
    const type = o.warmupType ?? "log";
    if (typeof type !== "string") {
      throw optionError(
        TypeError,
        owner,
        "warmupType",
        type,
        `\`warmupType\` must be a string: got ${show(type)}`,
      );
    }
    if (type !== "log" && type !== "linear") {
      this.warn(
        `Using unknown warmup_type: ${type}. The increasing function is set to default (log)`,
      );
    }
    this.warmupType = type === "linear" ? "linear" : "log";
    this.warmupMinRatio = finite(owner, "warmupMinRatio", o.warmupMinRatio ?? 0.0);
    this.warmupNumSteps = steps > 2 ? steps : 2;
    this.inverseLogWarmUp = 1.0 / libm.log(this.warmupNumSteps);
    if (this.totalNumSteps < this.warmupNumSteps) {
      this.warn(`total_num_steps ${this.totalNumSteps} is less than warmup_num_steps ${steps}`);
    }
    this.orgLrs = this.optimizer.paramGroups.map((g) => g.lr);
    if (this.lastBatchIteration === -1) this.lastLr = updateLr(this.optimizer, this.getLr());
  }

  /** The ratio of the peak at `lastBatchIteration` (DeepSpeed's `get_lr_ratio`). */
  getLrRatio(): number {
    const i = this.lastBatchIteration;
    if (i < 0) {
      this.warn("Attempting to get learning rate from scheduler before it has started");
      return 0.0;
    }
    if (i < this.warmupNumSteps) {
      const r = this.warmupType === "log"
        ? this.inverseLogWarmUp * libm.log(i + 1)
        : i / this.warmupNumSteps;
      return this.warmupMinRatio + r * (1 - this.warmupMinRatio);
    }
    const realLastStep = i - this.warmupNumSteps + 1;
    const span = this.totalNumSteps - this.warmupNumSteps;
    const realTotalSteps = 1 > span ? 1 : span;
    const p = realLastStep / realTotalSteps;
    const progress = p < 1.0 ? p : 1.0;
    const ratioDelta = 1 - this.cosMinRatio;
    const cosine = (1 + libm.cos(Math.PI * progress)) / 2;
    const ratio = this.cosMinRatio + ratioDelta * cosine;
    return ratio > 0.0 ? ratio : 0.0;
  }

  /** The rate of each group at `lastBatchIteration`. */
  getLr(): number[] {
    if (this.lastBatchIteration < 0) {
      this.warn("Attempting to get learning rate from scheduler before it has started");
      return this.orgLrs.map(() => 0.0);
    }
    const ratio = this.getLrRatio();
    return this.orgLrs.map((lr) => lr * ratio);
  }
}

/** Options of {@linkcode OneCycle}: DeepSpeed's keyword names in camelCase. */
export interface OneCycleOptions {
  /** The optimizer. */
  optimizer: Optimizer;
  /** The cycle's low rate, or one per group. */
  cycleMinLr: PerGroup;
  /** The cycle's high rate, or one per group. */
  cycleMaxLr: PerGroup;
  /**
   * After the cycle: `lr = cycleMinLr / (1 + decayLrRate · k / decayStepSize)`.
   * @default {0.0}
   */
  decayLrRate?: number;
  /**
   * Batches of the rising half: > 0.
   * @default {2000}
   */
  cycleFirstStepSize?: number;
  /**
   * Batches of the falling half (`null`: `cycleFirstStepSize`): >= 0.
   * @default {null}
   */
  cycleSecondStepSize?: number | null;
  /**
   * Stairs in the rising half (0: continuous).
   * @default {0}
   */
  cycleFirstStairCount?: number;
  /**
   * Stairs in the falling half (`null`: `cycleFirstStairCount`).
   * @default {null}
   */
  cycleSecondStairCount?: number | null;
  /**
   * The decay's interval in batches (0: no decay after the cycle).
   * @default {0}
   */
  decayStepSize?: number;
  /**
   * Cycle `betas[0]` inversely to the rate — only when the optimizer's `defaults` have `betas`
   * (Adam-like); otherwise (SGD) it is disabled with a warning.
   * @default {true}
   */
  cycleMomentum?: boolean;
  /**
   * The low momentum (`betas[0]`), or one per group.
   * @default {0.8}
   */
  cycleMinMom?: PerGroup;
  /**
   * The high momentum, or one per group.
   * @default {0.9}
   */
  cycleMaxMom?: PerGroup;
  /**
   * After the cycle: `betas[0] = cycleMaxMom · (1 + decayMomRate · k / decayStepSize)`.
   * @default {0.0}
   */
  decayMomRate?: number;
  /**
   * The last batch's index when resuming; -1 starts and writes the low rate (and momentum).
   * @default {-1}
   */
  lastBatchIteration?: number;
}

/**
 * The 1cycle policy: the rate rises from `cycleMinLr` to `cycleMaxLr` over the first half
 * cycle and falls back over the second, optionally in stairs, then decays; with Adam-like
 * optimizers `betas[0]` moves the other way. Port of DeepSpeed `OneCycle`.
 *
 * ```text
 * b = lastBatchIteration + 1; T = first + second
 * cycle = floor(1 + b / T); x = 1 + b / T − cycle
 * x <= first / T:  s = x / (first / T)                 (stairs: firstStairCount)
 * else:            s = (x − 1) / (first / T − 1)       (stairs: secondStairCount)
 * stairs n > 0:    c = b mod T; s = floor(c <= first ? c·n/first : (T − c)·n/second) / n
 * b − 1 < T:       lr = minLr + (maxLr − minLr) · s;   betas = (maxMom − (maxMom − minMom) · s, 0.99)
 * after:           lr = minLr / (1 + decayLrRate · (b − T) / decayStepSize)   (minLr without decay)
 *                  betas = (maxMom · (1 + decayMomRate · (b − T) / decayStepSize), 0.99)
 * ```
 *
 * DeepSpeed writes `betas` as `(momentum, 0.99)`: the optimizer's own `beta2` is replaced by
 * 0.99. With an optimizer without `betas` in its defaults (SGD: `momentum`) momentum is not
 * cycled (a warning in {@linkcode BatchScheduler.warnings}).
 *
 * @example
 * ```ts
 * import { OneCycle } from "@lrspec/lrspec/deepspeed";
 * import assert from "node:assert/strict";
 *
 * import type { Optimizer } from "@lrspec/lrspec/deepspeed";
 *
 * const optimizer: Optimizer = {
 *   paramGroups: [{ lr: 1e-3 }],
 *   defaults: { lr: 1e-3, betas: [0.9, 0.999] },
 * };
 * const s = new OneCycle({ optimizer, cycleMinLr: 1e-4, cycleMaxLr: 1e-3, cycleFirstStepSize: 10 });
 * assert.deepEqual(optimizer.paramGroups[0]!.betas, [0.8, 0.99]);
 * s.step(9); // b = 10: the top of the cycle
 * assert.equal(optimizer.paramGroups[0]!.lr, 1e-4 + (1e-3 - 1e-4) * 1);
 * assert.deepEqual(optimizer.paramGroups[0]!.betas, [0.9 - (0.9 - 0.8) * 1, 0.99]);
 * ```
 */
export class OneCycle extends BatchScheduler {
  /** Batches in the cycle. */
  totalSize: number;
  /** The rising half's share of the cycle. */
  stepRatio: number;
  /** Batches of the rising half. */
  firstStepSize: number;
  /** Batches of the falling half. */
  secondStepSize: number;
  /** Stairs in the rising half. */
  firstStairCount: number;
  /** Stairs in the falling half. */
  secondStairCount: number;
  /** The decay's interval. */
  decayStepSize: number;
  /** Whether the rate stays at `cycleMinLr` after the cycle. */
  skipLrDecay: boolean;
  /** Whether the momentum stays at `cycleMaxMom` after the cycle. */
  skipMomDecay: boolean;
  /** Each group's low rate. */
  minLrs: number[];
  /** Each group's high rate. */
  maxLrs: number[];
  /** The rate's decay rate. */
  decayLrRate: number;
  /** Whether momentum is cycled (false when the optimizer has no `betas`). */
  cycleMomentum: boolean;
  /** The momentum's decay rate (set when momentum is cycled). */
  decayMomRate: number | undefined;
  /** Each group's low `betas`. */
  minMoms: [number, number][] | undefined;
  /** Each group's high `betas`. */
  maxMoms: [number, number][] | undefined;

  /**
   * Creates the scheduler; with `lastBatchIteration` -1 it writes the first step's rates.
   *
   * @param options See {@linkcode OneCycleOptions}.
   * @throws {RangeError} For `cycleFirstStepSize <= 0`, `cycleSecondStepSize < 0`, a list whose
   * length is not the number of groups (DeepSpeed's ValueErrors), or a non-finite number.
   * @throws {TypeError} For an unknown option or a wrong type.
   */
  constructor(options: OneCycleOptions) {
    const owner = "OneCycle";
    const o = requireOptions(owner, options, [
      "optimizer",
      "cycleMinLr",
      "cycleMaxLr",
      "decayLrRate",
      "cycleFirstStepSize",
      "cycleSecondStepSize",
      "cycleFirstStairCount",
      "cycleSecondStairCount",
      "decayStepSize",
      "cycleMomentum",
      "cycleMinMom",
      "cycleMaxMom",
      "decayMomRate",
      "lastBatchIteration",
    ]);
    const last = o.lastBatchIteration ?? -1;
    super(owner, o.optimizer, last);
    // _initialize_cycle
    const first = finite(owner, "cycleFirstStepSize", o.cycleFirstStepSize ?? 2000);
    const second = o.cycleSecondStepSize === undefined || o.cycleSecondStepSize === null
      ? first
      : finite(owner, "cycleSecondStepSize", o.cycleSecondStepSize);
    if (first <= 0) {
      throw optionError(
        RangeError,
        owner,
        "cycleFirstStepSize",
        first,
        `\`cycleFirstStepSize\` must be positive, got ${show(first)} (DeepSpeed's ValueError)`,
      );
    }
    if (second < 0) {
      throw optionError(
        RangeError,
        owner,
        "cycleSecondStepSize",
        second,
        `\`cycleSecondStepSize\` must be non-negative, got ${
          show(second)
        } (DeepSpeed's ValueError)`,
      );
    }
    this.totalSize = first + second;
    this.stepRatio = first / this.totalSize;
    this.firstStepSize = first;
    this.secondStepSize = second;
    this.firstStairCount = finite(owner, "cycleFirstStairCount", o.cycleFirstStairCount ?? 0);
    this.secondStairCount =
      o.cycleSecondStairCount === undefined || o.cycleSecondStairCount === null
        ? this.firstStairCount
        : finite(owner, "cycleSecondStairCount", o.cycleSecondStairCount);
    this.decayStepSize = finite(owner, "decayStepSize", o.decayStepSize ?? 0);
    this.skipLrDecay = this.decayStepSize === 0; // math.isclose(x, 0) is x == 0
    this.skipMomDecay = this.skipLrDecay;
    // _initialize_lr
    this.minLrs = formatParam(owner, this.optimizer, o.cycleMinLr, "cycle_min_lr", "cycleMinLr");
    this.maxLrs = formatParam(owner, this.optimizer, o.cycleMaxLr, "cycle_max_lr", "cycleMaxLr");
    if (last === -1) updateLr(this.optimizer, this.minLrs);
    this.decayLrRate = finite(owner, "decayLrRate", o.decayLrRate ?? 0.0);
    if (this.decayLrRate === 0) this.skipLrDecay = true;
    // _initialize_momentum
    this.cycleMomentum = boolean(owner, "cycleMomentum", o.cycleMomentum ?? true);
    this.decayMomRate = undefined;
    this.minMoms = undefined;
    this.maxMoms = undefined;
    if (this.cycleMomentum) {
      if (this.optimizer.defaults?.betas === undefined) {
        this.warn(
          "cycle_momentum is disabled because optimizer does not support momentum, no betas " +
            "attribute in defaults",
        );
        this.cycleMomentum = false;
      } else {
        this.decayMomRate = finite(owner, "decayMomRate", o.decayMomRate ?? 0.0);
        this.minMoms = formatParam(
          owner,
          this.optimizer,
          o.cycleMinMom ?? 0.8,
          "cycle_min_mom",
          "cycleMinMom",
        )
          .map((m) => [m, 0.99]);
        this.maxMoms = formatParam(
          owner,
          this.optimizer,
          o.cycleMaxMom ?? 0.9,
          "cycle_max_mom",
          "cycleMaxMom",
        )
          .map((m) => [m, 0.99]);
        if (last === -1) {
          this.optimizer.paramGroups.forEach((g, i) => (g.betas = [...this.minMoms![i]!]));
        }
        if (this.decayMomRate === 0) this.skipMomDecay = true;
      }
    }
  }

  /** The position in the cycle, 0 at the ends and 1 at the peak (`_get_scale_factor`). */
  getScaleFactor(): number {
    const b = this.lastBatchIteration + 1;
    const cycle = Math.floor(1 + b / this.totalSize);
    const x = 1 + b / this.totalSize - cycle;
    let scale: number, stairs: number;
    if (x <= this.stepRatio) {
      scale = x / this.stepRatio;
      stairs = this.firstStairCount;
    } else {
      scale = (x - 1) / (this.stepRatio - 1);
      stairs = this.secondStairCount;
    }
    if (stairs > 0) {
      const c = pyMod(b, this.totalSize);
      const position = c <= this.firstStepSize
        ? c * stairs / this.firstStepSize
        : (this.totalSize - c) * stairs / this.secondStepSize;
      scale = Math.floor(position) / stairs;
    }
    return scale;
  }

  /** The rate of each group at `lastBatchIteration`. */
  getLr(): number[] {
    if (this.lastBatchIteration < this.totalSize) {
      const s = this.getScaleFactor();
      return this.minLrs.map((min, i) => min + (this.maxLrs[i]! - min) * s);
    }
    if (this.skipLrDecay) return [...this.minLrs];
    const k = this.lastBatchIteration - this.totalSize + 1;
    const factor = 1 + this.decayLrRate * (k / this.decayStepSize);
    return this.minLrs.map((min) => min / factor);
  }

  /** Each group's `betas` at `lastBatchIteration`; `null` when momentum is not cycled. */
  getMom(): [number, number][] | null {
    if (!this.cycleMomentum) return null;
    if (this.lastBatchIteration < this.totalSize) {
      const s = this.getScaleFactor();
      return this.minMoms!.map(([min, beta1], i) => {
        const max = this.maxMoms![i]![0];
        return [max - (max - min) * s, beta1];
      });
    }
    if (this.skipMomDecay) return this.maxMoms!.map(([a, b]) => [a, b]);
    const k = this.lastBatchIteration - this.totalSize + 1;
    const factor = 1 + this.decayMomRate! * (k / this.decayStepSize);
    return this.maxMoms!.map(([beta0, beta1]) => [beta0 * factor, beta1]);
  }

  /**
   * Moves to `batchIteration` (default: the next batch), writes every group's rate and, when
   * momentum is cycled, its `betas`.
   *
   * @throws {RangeError} If `batchIteration` is not an integer.
   */
  override step(batchIteration?: number): void {
    super.step(batchIteration);
    const moms = this.getMom();
    if (moms !== null) this.optimizer.paramGroups.forEach((g, i) => (g.betas = moms[i]));
  }
}
