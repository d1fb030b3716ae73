/**
 * Port of timm's scheduler base class (`timm/scheduler/scheduler.py`, timm 1.0.29):
 * {@linkcode Scheduler}, with timm's stepping protocol, per-group `lr_scale` and seeded noise.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import { TorchGenerator } from "../torch/generator.ts";
import {
  boolean,
  finite,
  finiteArgument,
  finiteArray,
  oneOf,
  show,
} from "../_internal/validate.ts";
import type { Optimizer, ParamGroup, StateDict } from "../optimizer.ts";
import { checkStateGroups, checkStateValues, copyState } from "../_internal/state.ts";

/** How timm draws noise: a resampled standard normal, or a uniform. */
export type NoiseType = "normal" | "uniform";

const NOISE_TYPES: readonly NoiseType[] = ["normal", "uniform"];

/** The noise range of a timm scheduler: `[start, end)`, from `start` on, or none. */
export type NoiseRange = number | readonly number[] | null;

/** timm's noise keywords, shared by every scheduler. */
export interface NoiseOptions {
  /**
   * Where noise applies: `[start, end]` (noise for `start <= t < end`), a number (noise for
   * `t >= start`) or `null` (none).
   * @default {null}
   */
  noiseRangeT?: NoiseRange;
  /**
   * The noise limit (a fraction of the rate): normal noise is redrawn until
   * `|noise| < noisePct`, uniform noise lies in `[-noisePct, noisePct)`.
   * @default {0.67}
   */
  noisePct?: number;
  /**
   * Stored, as in timm, and not used by any noise draw (timm's normal noise has unit standard
   * deviation).
   * @default {1.0}
   */
  noiseStd?: number;
  /**
   * The seed: the noise at `t` is drawn from `torch.Generator().manual_seed(noiseSeed + t)`. A
   * `bigint` allows seeds beyond 2^53. `null` means 42, as in timm.
   * @default {42}
   */
  noiseSeed?: number | bigint | null;
}

/** The options the learning-rate schedulers (all but the plateau one) take from the base class. */
export interface TimmSchedulerOptions extends NoiseOptions {
  /** The optimizer whose groups' `lr` is scheduled, updated in place. */
  optimizer: Optimizer;
  /**
   * Whether `t` counts epochs (`step(epoch)` updates the groups) or updates
   * (`stepUpdate(numUpdates)` does); the other call does nothing.
   * @default {true}
   */
  tInEpochs?: boolean;
  /**
   * `true`: record each group's current value as its initial value (`initialLr`, unless one is
   * already there); `false`: every group must already have one (a resumed optimizer).
   * @default {true}
   */
  initialize?: boolean;
}

/** timm's warmup keywords: a linear ramp from `warmupLrInit` over `warmupT`. */
export interface WarmupOptions {
  /**
   * Warmup length: for `t < warmupT` the rate rises linearly from `warmupLrInit`.
   * @default {0}
   */
  warmupT?: number;
  /**
   * The rate at `t = 0` of the warmup.
   * @default {0}
   */
  warmupLrInit?: number;
}

/** Options of the {@linkcode Scheduler} base class (timm's `Scheduler.__init__` keywords). */
export interface SchedulerOptions extends TimmSchedulerOptions {
  /**
   * The group key that is scheduled (timm's `param_group_field`, camelCase: `"lr"`). Its
   * initial value is kept under `initial` + the key capitalised (`initialLr`).
   */
  paramGroupField: string;
  /**
   * `"normal"`: a standard normal, redrawn until `|noise| < noisePct`; `"uniform"`: uniform in
   * `[-noisePct, noisePct)`.
   * @default {"normal"}
   */
  noiseType?: NoiseType;
}

function initialKey(field: string): string {
  return `initial${field.charAt(0).toUpperCase()}${field.slice(1)}`;
}

function groupNumber(owner: string, group: ParamGroup, i: number, key: string): number {
  if (!(key in group)) {
    throw optionError(
      TypeError,
      owner,
      `optimizer.paramGroups[${i}].${key}`,
      group[key],
      `${key} missing from optimizer.paramGroups[${i}] (timm raises KeyError)`,
    );
  }
  return finite(owner, `optimizer.paramGroups[${i}].${key}`, group[key]);
}

function noiseRange(owner: string, value: unknown): number | number[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) {
    if (value.length < 2) {
      throw optionError(
        RangeError,
        owner,
        "noiseRangeT",
        value,
        `\`noiseRangeT\` must have two entries [start, end]: got ${
          show(value)
        } (timm raises IndexError at the first step)`,
      );
    }
    return value.map((x, i) => finite(owner, `noiseRangeT[${i}]`, x));
  }
  return finite(owner, "noiseRangeT", value);
}

/**
 * The most draws a normal noise may expect to need per step: 10^6. timm redraws a standard normal
 * until `|noise| < noise_pct`, which takes `1 / P(|N| < noise_pct)` draws on average, about
 * `1.25 / noise_pct` for a small limit: `noise_pct = 1e-300` never finishes.
 */
export const MAX_EXPECTED_NOISE_DRAWS = 1e6;

/** The hard cap on the draws of one normal noise (never reached when the expectation holds). */
const MAX_NOISE_DRAWS = 1e8;

/**
 * Refuses a normal noise range whose limit timm would redraw for forever (`noisePct <= 0`) or
 * for more than {@linkcode MAX_EXPECTED_NOISE_DRAWS} draws on average.
 */
function checkNormalNoise(
  owner: string,
  range: number | number[] | null,
  noiseType: NoiseType,
  noisePct: number,
): void {
  if (range === null || noiseType !== "normal") return;
  if (!(noisePct > 0)) {
    throw optionError(
      RangeError,
      owner,
      "noisePct",
      noisePct,
      `\`noisePct\` must be > 0 for normal noise: got ${show(noisePct)} (timm redraws forever)`,
    );
  }
  // P(|N| < p) >= p·sqrt(2/π)·exp(-p²/2), so this bounds the expected number of draws.
  const expected = 1 / (noisePct * Math.sqrt(2 / Math.PI) * Math.exp(-noisePct * noisePct / 2));
  if (expected > MAX_EXPECTED_NOISE_DRAWS) {
    throw optionError(
      RangeError,
      owner,
      "noisePct",
      noisePct,
      `\`noisePct\` ${show(noisePct)} is too small for normal noise: timm would ` +
        `redraw about ${expected.toExponential(1)} times per step (lrspec allows ` +
        `${MAX_EXPECTED_NOISE_DRAWS}); use a limit of at least 1.26e-6`,
    );
  }
}

function noiseSeed(owner: string, value: unknown): number | bigint {
  if (value === null) return 42;
  if (typeof value === "bigint") return value;
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw optionError(
      TypeError,
      owner,
      "noiseSeed",
      value,
      `\`noiseSeed\` must be an integer: got ${show(value)}`,
    );
  }
  return value;
}

/**
 * Base class of timm's schedulers. Unlike torch's, a timm scheduler keeps no step counter: the
 * training loop passes `t` itself, to {@linkcode Scheduler.step} at the end of each epoch and
 * to {@linkcode Scheduler.stepUpdate} after each optimizer update; `tInEpochs` decides which of
 * the two updates the groups.
 *
 * ```text
 * construction:   initial_g ← value_g (kept if already set);  baseValues = initial;
 *                 value_g ← baseValues_g · lrScale_g
 * step(t) / stepUpdate(t), when t counts that kind of step:
 *                 values = getLr(t)
 *                 noise applies at t (start <= t < end, or t >= start):
 *                   g = TorchGenerator().manualSeed(noiseSeed + t)
 *                   noise = normal:  g.randn() until |noise| < noisePct
 *                           uniform: 2 · (g.rand() − 0.5) · noisePct
 *                   values_g ← values_g + values_g · noise
 *                 value_g ← values_g · lrScale_g   (lrScale_g only where the group has one)
 * ```
 *
 * Subclasses implement {@linkcode Scheduler.getLr} (timm's `_get_lr`). The noise is torch's
 * `float32` draw, reproduced bit for bit by {@linkcode TorchGenerator}.
 *
 * Port of timm `Scheduler` (timm 1.0.29). Deliberate differences: options are validated before
 * the optimizer is touched (timm has already set `initial_lr` and the rates when a subclass's
 * assertion fails); `noiseType` must be `"normal"` or `"uniform"` (timm treats any other string
 * as uniform); a `noiseRangeT` list needs two entries (timm raises `IndexError` at the first
 * step); a normal noise range with `noisePct <= 0` is refused (timm loops forever); a value that
 * would not be a finite real number throws instead of being written; `loadStateDict` accepts
 * only keys this scheduler has (timm's `__dict__.update` takes any).
 *
 * @example A custom timm scheduler: halve the rate every 10 epochs
 * ```ts
 * import { Scheduler } from "@lrspec/lrspec/timm";
 * import type { Optimizer } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * class HalvingScheduler extends Scheduler {
 *   constructor(optimizer: Optimizer) {
 *     super("HalvingScheduler", { optimizer, paramGroupField: "lr" });
 *   }
 *   getLr(t: number): number[] {
 *     return this.baseValues.map((v) => v * 0.5 ** Math.floor(t / 10));
 *   }
 * }
 * const optimizer = { paramGroups: [{ lr: 0.1 }, { lr: 0.1, lrScale: 0.5 }] };
 * const scheduler = new HalvingScheduler(optimizer);
 * scheduler.step(10);
 * assert.deepEqual(optimizer.paramGroups.map((g) => g.lr), [0.05, 0.025]);
 * scheduler.stepUpdate(100); // t counts epochs: updates change nothing
 * assert.equal(optimizer.paramGroups[0]!.lr, 0.05);
 * ```
 */
export abstract class Scheduler {
  readonly #owner: string;

  /**
   * The class's upstream name (`CosineLRScheduler`), as its errors name it: explicit, so that it
   * survives a minifier (which renames `constructor.name`).
   */
  get owner(): string {
    return this.#owner;
  }

  /** The optimizer whose groups are scheduled. Not part of the state dict. */
  readonly optimizer: Optimizer;
  /** The scheduled group key (timm's `param_group_field`). */
  paramGroupField: string;
  /** The key of each group's initial value (timm's `_initial_param_group_field`). */
  protected _initialParamGroupField: string;
  /** Each group's initial value (timm's `base_values`). */
  baseValues: number[];
  /** The metric passed to the last step (timm's `metric`). */
  metric: number | null;
  /** Whether `t` counts epochs (`step`) or updates (`stepUpdate`). */
  tInEpochs: boolean;
  /** Where noise applies. */
  noiseRangeT: number | number[] | null;
  /** The noise limit. */
  noisePct: number;
  /** `"normal"` or `"uniform"`. */
  noiseType: NoiseType;
  /** Stored and unused, as in timm. */
  noiseStd: number;
  /** The noise seed; the noise at `t` uses `noiseSeed + t`. */
  noiseSeed: number | bigint;

  /**
   * Validates the shared options, records each group's initial value and writes the base
   * values (times each group's `lrScale`) into the groups, as timm's `Scheduler.__init__`.
   * Subclasses validate their own options before calling it.
   *
   * @param owner The class name used in error messages.
   * @param options The shared options.
   * @throws {TypeError} If the optimizer is malformed, a group lacks the field (or, with
   * `initialize: false`, its initial value; timm raises `KeyError`), or an option has the
   * wrong type.
   * @throws {RangeError} If a number is not finite, `noiseType` is unknown, `noiseRangeT` has
   * fewer than two entries, or a normal noise range has `noisePct <= 0`.
   */
  protected constructor(owner: string, options: SchedulerOptions) {
    this.#owner = owner;
    const o = options;
    const optimizer = o.optimizer;
    const groups = (optimizer as { paramGroups?: unknown } | null | undefined)?.paramGroups;
    if (typeof optimizer !== "object" || optimizer === null || !Array.isArray(groups)) {
      throw optionError(
        TypeError,
        owner,
        "optimizer",
        optimizer,
        `\`optimizer\` must be an object with a \`paramGroups\` array: got ${show(optimizer)}`,
      );
    }
    const field = o.paramGroupField;
    if (typeof field !== "string" || field === "") {
      throw optionError(
        TypeError,
        owner,
        "paramGroupField",
        field,
        `\`paramGroupField\` must be a key: got ${show(field)}`,
      );
    }
    const initialField = initialKey(field);
    const initialize = boolean(owner, "initialize", o.initialize ?? true);
    const tInEpochs = boolean(owner, "tInEpochs", o.tInEpochs ?? true);
    const range = noiseRange(owner, o.noiseRangeT ?? null);
    const noiseType = oneOf(owner, "noiseType", o.noiseType ?? "normal", NOISE_TYPES);
    const noisePct = finite(owner, "noisePct", o.noisePct ?? 0.67);
    const noiseStd = finite(owner, "noiseStd", o.noiseStd ?? 1.0);
    const seed = noiseSeed(owner, o.noiseSeed ?? null);
    checkNormalNoise(owner, range, noiseType, noisePct);
    (groups as unknown[]).forEach((group, i) => {
      if (typeof group !== "object" || group === null) {
        throw optionError(
          TypeError,
          owner,
          `optimizer.paramGroups[${i}]`,
          group,
          `\`optimizer.paramGroups[${i}]\` must be an object: got ${show(group)}`,
        );
      }
      const g = group as ParamGroup;
      if (initialize) {
        groupNumber(owner, g, i, field);
        if (initialField in g) groupNumber(owner, g, i, initialField);
      } else {
        groupNumber(owner, g, i, initialField);
      }
      if ("lrScale" in g) finite(owner, `optimizer.paramGroups[${i}].lrScale`, g.lrScale);
    });
    this.optimizer = optimizer as Optimizer;
    const paramGroups = this.optimizer.paramGroups;
    if (initialize) {
      for (const g of paramGroups) if (!(initialField in g)) g[initialField] = g[field];
    }
    this.paramGroupField = field;
    this._initialParamGroupField = initialField;
    this.baseValues = paramGroups.map((g) => g[initialField] as number);
    this.metric = null;
    this.tInEpochs = tInEpochs;
    this.noiseRangeT = range;
    this.noisePct = noisePct;
    this.noiseType = noiseType;
    this.noiseStd = noiseStd;
    this.noiseSeed = seed;
    this.updateGroups(this.baseValues);
  }

  /**
   * Every attribute except the optimizer, copied (timm's `state_dict`). Plain data; a `bigint`
   * `noiseSeed` stays a `bigint`.
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
   * Restores attributes from {@linkcode Scheduler.stateDict} (timm's `__dict__.update`).
   *
   * @throws {TypeError} If `state` is not an object or names an attribute this scheduler lacks.
   */
  loadStateDict(state: StateDict): void {
    const owner = this.#owner;
    if (typeof state !== "object" || state === null || Array.isArray(state)) {
      throw optionError(
        TypeError,
        owner,
        "state",
        state,
        `state must be an object: got ${show(state)}`,
      );
    }
    for (const key of Object.keys(state)) {
      if (key === "optimizer" || !Object.prototype.hasOwnProperty.call(this, key)) {
        throw optionError(
          TypeError,
          owner,
          `state.${key}`,
          state[key],
          `unknown state key \`${key}\``,
        );
      }
    }
    checkStateValues(owner, this.stateDict(), state, {
      optional: ["noiseRangeT", "metric", "restoreLr"],
      finite: true,
    });
    // What the constructor checks, checked again on the state as it will be.
    const next = { ...this.stateDict(), ...copyState(state) } as unknown as this;
    const range = noiseRange(owner, next.noiseRangeT);
    const noiseType = oneOf(owner, "noiseType", next.noiseType, NOISE_TYPES);
    const noisePct = finite(owner, "noisePct", next.noisePct);
    finite(owner, "noiseStd", next.noiseStd);
    noiseSeed(owner, next.noiseSeed);
    checkNormalNoise(owner, range, noiseType, noisePct);
    boolean(owner, "tInEpochs", next.tInEpochs);
    finiteArray(owner, "state `baseValues`", next.baseValues);
    if (next.metric !== null) finite(owner, "state `metric`", next.metric);
    checkStateGroups(
      owner,
      next as unknown as Record<string, unknown>,
      ["baseValues"],
      this.optimizer.paramGroups.length,
    );
    Object.assign(this, copyState(state));
  }

  /**
   * The scheduled values at `t`, one per group, before noise and `lrScale` (timm's `_get_lr`).
   *
   * @param t The epoch or update count.
   */
  abstract getLr(t: number): number[];

  /** timm's `_get_values`: {@linkcode Scheduler.getLr} when `t` counts this kind of step. */
  protected getValues(t: number, onEpoch: boolean): number[] | null {
    const proceed = (onEpoch && this.tInEpochs) || (!onEpoch && !this.tInEpochs);
    if (!proceed) return null;
    return this.getLr(t);
  }

  /**
   * Called at the end of each epoch with the next epoch's index (timm's `step(epoch, metric)`):
   * updates the groups when `tInEpochs`.
   *
   * @param epoch The epoch whose values to set.
   * @param metric The monitored metric (used by {@linkcode PlateauLRScheduler}).
   * @throws {RangeError} If `epoch` is not finite, or where timm raises computing the values.
   */
  step(epoch: number, metric: number | null = null): void {
    if (typeof epoch !== "number" || epoch - epoch !== 0) {
      finiteArgument(this.#owner, "epoch", epoch);
    }
    this.metric = metric;
    const values = this.getValues(epoch, true);
    if (values !== null) this.updateGroups(this.addNoise(values, epoch));
  }

  /**
   * Called after each optimizer update with the number of updates so far (timm's
   * `step_update(num_updates, metric)`): updates the groups unless `tInEpochs`.
   *
   * @param numUpdates The update count whose values to set.
   * @param metric The monitored metric.
   * @throws {RangeError} If `numUpdates` is not finite, or where timm raises computing the
   * values.
   */
  stepUpdate(numUpdates: number, metric: number | null = null): void {
    if (typeof numUpdates !== "number" || numUpdates - numUpdates !== 0) {
      finiteArgument(this.#owner, "numUpdates", numUpdates);
    }
    this.metric = metric;
    const values = this.getValues(numUpdates, false);
    if (values !== null) this.updateGroups(this.addNoise(values, numUpdates));
  }

  /**
   * Writes values into the groups (one value for all groups, or one per group as far as both
   * go, like Python's `zip`), times each group's `lrScale` where it has one (timm's
   * `update_groups`).
   *
   * @throws {RangeError} If a value to write is not a finite number.
   */
  updateGroups(values: number | readonly number[]): void {
    const groups = this.optimizer.paramGroups;
    const list = typeof values === "number"
      ? new Array<number>(groups.length).fill(values)
      : values;
    const n = Math.min(groups.length, list.length);
    for (let i = 0; i < n; i++) {
      const group = groups[i]!;
      const value = "lrScale" in group ? list[i]! * (group.lrScale as number) : list[i]!;
      if (!Number.isFinite(value)) {
        throw optionError(
          RangeError,
          this.#owner,
          `optimizer.paramGroups[${i}].${this.paramGroupField}`,
          value,
          `the ${this.paramGroupField} of group ${i} would be ${
            show(value)
          } (timm would write it; lrspec refuses)`,
        );
      }
    }
    const field = this.paramGroupField;
    for (let i = 0; i < n; i++) {
      const group = groups[i]!;
      group[field] = "lrScale" in group ? list[i]! * (group.lrScale as number) : list[i]!;
    }
  }

  /** timm's `_add_noise`: `v + v · noise` for every value, where noise applies at `t`. */
  protected addNoise(lrs: number[], t: number): number[] {
    if (this.isApplyNoise(t)) {
      const noise = this.calculateNoise(t);
      return lrs.map((v) => v + v * noise);
    }
    return lrs;
  }

  /** Whether `t` is in the noise range (timm's `_is_apply_noise`). */
  isApplyNoise(t: number): boolean {
    const range = this.noiseRangeT;
    if (range === null) return false;
    if (Array.isArray(range)) return range[0]! <= t && t < range[1]!;
    return t >= (range as number);
  }

  /**
   * The noise at `t` (timm's `_calculate_noise`): drawn from a fresh torch generator seeded
   * with `noiseSeed + t`.
   *
   * @throws {TypeError} If `t` is not an integer (torch's `manual_seed` takes an integer).
   * @throws {RangeError} If `noiseSeed + t` is outside torch's seed range.
   */
  calculateNoise(t: number): number {
    if (!Number.isInteger(t)) {
      throw optionError(
        TypeError,
        this.#owner,
        "t",
        t,
        `the noise seed ${String(this.noiseSeed)} + ${t} ` +
          `is not an integer (torch's manual_seed raises TypeError)`,
      );
    }
    const seed = typeof this.noiseSeed === "bigint" || !Number.isSafeInteger(this.noiseSeed + t)
      ? BigInt(this.noiseSeed) + BigInt(t)
      : this.noiseSeed + t;
    const g = new TorchGenerator().manualSeed(seed);
    if (this.noiseType === "normal") {
      for (let draws = 0; draws < MAX_NOISE_DRAWS; draws++) {
        // resampled until below the limit, as in timm
        const noise = g.randn();
        if (Math.abs(noise) < this.noisePct) return noise;
      }
      throw optionError(
        RangeError,
        this.#owner,
        "noisePct",
        this.noisePct,
        `no normal noise below \`noisePct\` ${
          show(this.noisePct)
        } in ${MAX_NOISE_DRAWS} draws at t = ${t}`,
      );
    }
    return 2 * (g.rand() - 0.5) * this.noisePct;
  }
}
