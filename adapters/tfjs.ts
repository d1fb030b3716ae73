/**
 * Drive TensorFlow.js optimizers with lrspec's schedulers.
 *
 * {@linkcode tfjsOptimizer} wraps a tfjs optimizer (`tf.train.sgd(…)`, `tf.train.adam(…)`, …) in
 * the `{ paramGroups }` shape that every lrspec scheduler drives; after each `scheduler.step()`,
 * {@linkcode TfjsOptimizerAdapter.sync} copies the group's learning rate (and momentum, for the
 * cycling schedules) into the tfjs optimizer — only when it changed, because a tfjs learning-rate
 * update of `SGDOptimizer` disposes and re-creates a tensor. {@linkcode tfjsLrCallback} does both
 * from `model.fit`.
 *
 * This module is duck-typed: it imports nothing from tfjs (any 4.x works), and the library keeps
 * no runtime dependency.
 *
 * ## What reaches tfjs, and the float32 rounding
 *
 * | tfjs optimizer | learning rate | momentum (`group.momentum` / `group.betas[0]`) |
 * | --- | --- | --- |
 * | `SGDOptimizer` | `setLearningRate(lr)`: a new float32 scalar `−lr` | — |
 * | `MomentumOptimizer` | `setLearningRate(lr)` | only with the `tf` option: tfjs keeps momentum in a scalar built once, so `setMomentum` alone has no effect; the adapter rebuilds that scalar |
 * | `AdamOptimizer`, `AdamaxOptimizer` | the `learningRate` field, read on every step | `beta1` field (torch cycles `betas[0]`), read on every step |
 * | `RMSPropOptimizer` | `learningRate` field | `momentum` field, read on every step |
 * | `AdagradOptimizer`, `AdadeltaOptimizer` | `learningRate` field | — |
 *
 * tfjs computes in float32: the learning rate that multiplies the gradients is
 * `Math.fround(lr)` (`0.05` trains as `0.05000000074505806`), see
 * {@linkcode tfjsEffectiveLr}. The parameter group keeps the exact double the scheduler wrote,
 * so the schedule itself — including torch's chainable schedulers that read the current `lr` —
 * stays bit-identical to upstream; only the value applied by tfjs is rounded.
 *
 * @example A custom training loop
 * ```ts
 * import { buildLrScheduler, getCfg } from "@lrspec/lrspec";
 * import { tfjsOptimizer } from "@lrspec/lrspec/tfjs";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for tf.train.sgd(0.02): the adapter only calls setLearningRate.
 * const applied: number[] = [];
 * const sgd = { learningRate: 0.02, setLearningRate(lr: number) { applied.push(lr); } };
 *
 * const cfg = getCfg();
 * cfg.SOLVER.BASE_LR = 0.02;
 * cfg.SOLVER.MAX_ITER = 100;
 * cfg.SOLVER.STEPS = [60, 80];
 * cfg.SOLVER.WARMUP_ITERS = 10;
 * const optimizer = tfjsOptimizer(sgd);
 * const scheduler = buildLrScheduler(cfg, optimizer);
 * optimizer.sync(); // iteration 0's learning rate
 * for (let iter = 0; iter < 100; iter++) {
 *   // … optimizer.optimizer.minimize(loss) …
 *   scheduler.step();
 *   optimizer.sync();
 * }
 * assert.equal(applied.length, 1 + 10 + 2); // warmup ramp, then the two milestones only
 * ```
 *
 * @module
 */

import type { Optimizer, ParamGroup } from "../schedules/optimizer.ts";

/**
 * A tfjs optimizer, as the adapter sees it. Every tfjs 4.x optimizer fits. The adapter reads
 * `getClassName()` and `getConfig().learningRate`, and writes the fields tfjs declares
 * `protected` (`learningRate`, `momentum`, `beta1`) directly — which is why they are not part of
 * this type: it must accept real tfjs optimizers. Any object with a numeric `learningRate` field
 * or a `setLearningRate` method works too.
 */
export interface TfjsOptimizerLike {
  /** tfjs's class name (`"SGD"`, `"Momentum"`, `"Adam"`, …). */
  getClassName?(): string;
  /** tfjs's serialisable configuration (its `learningRate` is the initial learning rate). */
  getConfig?(): Record<string, unknown>;
  /** SGD and Momentum: replaces the float32 scalar used in the update. */
  setLearningRate?(learningRate: number): void;
}

/** The fields of tfjs optimizers the adapter writes (protected in tfjs's typings). */
interface TfjsFields {
  learningRate?: number;
  setLearningRate?(learningRate: number): void;
  momentum?: number;
  setMomentum?(momentum: number): void;
  beta1?: number;
  beta2?: number;
  m?: TfjsTensorLike;
}

/** A disposable tfjs tensor, as far as the adapter is concerned. */
export interface TfjsTensorLike {
  /** Frees the tensor. */
  dispose(): void;
}

/** The two tfjs functions the adapter needs to rebuild `MomentumOptimizer`'s momentum scalar. */
export interface TfjsScalarFactory {
  /** `tf.scalar`. */
  scalar(value: number): TfjsTensorLike;
  /** `tf.keep`. */
  keep(tensor: TfjsTensorLike): TfjsTensorLike;
}

/** Options of {@linkcode tfjsOptimizer}. */
export interface TfjsOptimizerOptions {
  /**
   * The tfjs namespace (or `{ scalar, keep }`). Only needed to let a schedule cycle the momentum
   * of a `MomentumOptimizer`, whose update uses a scalar built once in its constructor; without
   * it, a `MomentumOptimizer`'s group has no `momentum` (so schedules that cycle momentum refuse
   * it, as torch does for an optimizer without momentum).
   */
  tf?: TfjsScalarFactory;
  /**
   * When to touch tfjs: `"float64"` updates it whenever the double changes; `"float32"` only
   * when `Math.fround` of it changes (tfjs computes with the float32 value either way, so this
   * saves tensor allocations on flat stretches; the optimizer's `learningRate` field then keeps
   * the last double pushed).
   * @default {"float64"}
   */
  compare?: "float64" | "float32";
}

/** The tfjs optimizer families, as tfjs's `getClassName()` names them. */
export type TfjsOptimizerKind =
  | "SGD"
  | "Momentum"
  | "Adam"
  | "Adamax"
  | "RMSProp"
  | "Adagrad"
  | "Adadelta"
  | "unknown";

const FIELD_LR = new Set(["Adam", "Adamax", "RMSProp", "Adagrad", "Adadelta"]);

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (value === null || typeof value !== "object") return String(value);
  return value.constructor?.name ?? "object";
}

/** The learning rate tfjs actually applies for a scheduled `lr`: its float32 rounding. */
export function tfjsEffectiveLr(lr: number): number {
  return Math.fround(lr);
}

/**
 * A tfjs optimizer seen as an lrspec {@linkcode Optimizer}: one parameter group whose `lr` (and
 * `momentum` or `betas`, where tfjs can honour them) schedulers write, and
 * {@linkcode TfjsOptimizerAdapter.sync} pushes into tfjs.
 */
export class TfjsOptimizerAdapter implements Optimizer {
  /** The wrapped tfjs optimizer. */
  readonly optimizer: TfjsOptimizerLike;
  /** Which tfjs optimizer it is. */
  readonly kind: TfjsOptimizerKind;
  /** One group, as a torch optimizer built on all the model's parameters has. */
  readonly paramGroups: ParamGroup[];
  /** How many times sync() changed tfjs's learning rate / momentum, and how often it ran. */
  readonly stats: { lrUpdates: number; momentumUpdates: number; syncs: number } = {
    lrUpdates: 0,
    momentumUpdates: 0,
    syncs: 0,
  };
  readonly #compare32: boolean;
  readonly #tf: TfjsScalarFactory | undefined;
  /** What tfjs holds now (the last values pushed or read at construction). */
  #lr: number;
  #momentum: number;

  /**
   * Wraps `optimizer`; see {@linkcode tfjsOptimizer}.
   *
   * @param optimizer A tfjs optimizer (or any object with `learningRate` or `setLearningRate`).
   * @param options `{ tf?, compare? }`.
   * @throws {TypeError} If `optimizer` has neither a numeric `learningRate` nor
   * `setLearningRate`, or an option is malformed.
   */
  constructor(optimizer: TfjsOptimizerLike, options: TfjsOptimizerOptions = {}) {
    const owner = "tfjsOptimizer";
    if (typeof optimizer !== "object" || optimizer === null) {
      throw new TypeError(
        `${owner}: \`optimizer\` must be a tfjs optimizer: got ${describe(optimizer)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${owner}: options must be an object: got ${describe(options)}`);
    }
    for (const key of Object.keys(options)) {
      if (key !== "tf" && key !== "compare") {
        throw new TypeError(`${owner}: unknown option \`${key}\`; expected \`tf\`, \`compare\``);
      }
    }
    const compare = options.compare ?? "float64";
    if (compare !== "float64" && compare !== "float32") {
      throw new RangeError(
        `${owner}: \`compare\` must be "float64" or "float32": got ${JSON.stringify(compare)}`,
      );
    }
    if (
      options.tf !== undefined &&
      (typeof options.tf?.scalar !== "function" || typeof options.tf?.keep !== "function")
    ) {
      throw new TypeError(`${owner}: \`tf\` must provide scalar() and keep()`);
    }
    const name = typeof optimizer.getClassName === "function" ? optimizer.getClassName() : "";
    const kind: TfjsOptimizerKind =
      (["SGD", "Momentum", "Adam", "Adamax", "RMSProp", "Adagrad", "Adadelta"] as const).find(
        (k) => k === name,
      ) ?? "unknown";
    const fields = optimizer as TfjsFields;
    const config = typeof optimizer.getConfig === "function" ? optimizer.getConfig() : {};
    const lr = typeof config.learningRate === "number" ? config.learningRate : fields.learningRate;
    if (typeof lr !== "number" || !Number.isFinite(lr)) {
      throw new TypeError(
        `${owner}: \`optimizer\` must have a finite numeric learningRate: got ${describe(lr)}`,
      );
    }
    if (typeof fields.setLearningRate !== "function" && !("learningRate" in fields)) {
      throw new TypeError(`${owner}: \`optimizer\` has neither setLearningRate() nor learningRate`);
    }
    this.optimizer = optimizer;
    this.kind = kind;
    this.#compare32 = compare === "float32";
    this.#tf = options.tf;
    this.#lr = lr;
    const group: ParamGroup = { lr };
    this.#momentum = NaN;
    if (kind === "RMSProp" && typeof fields.momentum === "number") {
      group.momentum = this.#momentum = fields.momentum;
    } else if ((kind === "Adam" || kind === "Adamax") && typeof fields.beta1 === "number") {
      this.#momentum = fields.beta1;
      group.betas = [fields.beta1, fields.beta2 ?? 0.999];
    } else if (
      kind === "Momentum" && options.tf !== undefined && typeof fields.momentum === "number"
    ) {
      group.momentum = this.#momentum = fields.momentum;
    }
    this.paramGroups = [group];
  }

  /** The learning rate tfjs applies now: `Math.fround` of the last value pushed. */
  get effectiveLr(): number {
    return Math.fround(this.#lr);
  }

  /**
   * Pushes the group's `lr` (and momentum / `betas[0]` where supported) into the tfjs optimizer
   * if they changed since the last push. Call it after each `scheduler.step()` — and once after
   * creating the scheduler, whose constructor writes iteration 0's learning rate.
   *
   * @returns Whether tfjs was touched.
   * @throws {TypeError} If the group's `lr` is not a finite number.
   */
  sync(): boolean {
    this.stats.syncs++;
    const group = this.paramGroups[0]!;
    const lr = group.lr;
    let touched = false;
    if (lr !== this.#lr && !(this.#compare32 && Math.fround(lr) === Math.fround(this.#lr))) {
      if (typeof lr !== "number" || lr - lr !== 0) {
        throw new TypeError(
          `tfjsOptimizer: paramGroups[0].lr must be a finite number: got ${describe(lr)}`,
        );
      }
      const o = this.optimizer as TfjsFields;
      if (FIELD_LR.has(this.kind) || typeof o.setLearningRate !== "function") o.learningRate = lr;
      else o.setLearningRate(lr);
      this.#lr = lr;
      this.stats.lrUpdates++;
      touched = true;
    }
    if (this.#momentum === this.#momentum) {
      const m = this.kind === "Adam" || this.kind === "Adamax"
        ? (group.betas as readonly number[] | undefined)?.[0]
        : group.momentum as number | undefined;
      if (typeof m === "number" && m !== this.#momentum) {
        this.#applyMomentum(m);
        this.#momentum = m;
        this.stats.momentumUpdates++;
        touched = true;
      }
    }
    return touched;
  }

  #applyMomentum(m: number): void {
    const o = this.optimizer as TfjsFields;
    if (this.kind === "Adam" || this.kind === "Adamax") {
      o.beta1 = m;
    } else if (this.kind === "RMSProp") {
      o.momentum = m;
    } else {
      // MomentumOptimizer: its update reads the scalar `m`, built once; rebuild it.
      const tf = this.#tf!;
      const old = o.m;
      o.m = tf.keep(tf.scalar(m));
      old?.dispose();
      if (typeof o.setMomentum === "function") o.setMomentum(m);
      else o.momentum = m;
    }
  }
}

/**
 * Wraps a tfjs optimizer so that lrspec schedulers can drive it: pass the result as the
 * scheduler's `optimizer`, and call `sync()` after each `step()` (or use
 * {@linkcode tfjsLrCallback} with `model.fit`).
 *
 * The wrapper has one parameter group `{ lr }` initialised from the optimizer's learning rate,
 * with `momentum` (RMSProp; Momentum when `tf` is given) or `betas` (Adam, Adamax) when tfjs can
 * apply them, so that schedules cycling momentum (torch's `OneCycleLR`, `CyclicLR`) reach tfjs.
 * See the module notes for what each tfjs optimizer honours and for the float32 rounding.
 *
 * @param optimizer A tfjs optimizer (`tf.train.sgd(0.1)`, `tf.train.adam()`, …).
 * @param options `{ tf?, compare? }`.
 * @returns The adapter: an lrspec optimizer.
 * @throws {TypeError | RangeError} As {@linkcode TfjsOptimizerAdapter}'s constructor.
 *
 * @example Adam's learning rate is a plain field
 * ```ts
 * import { CosineParamScheduler, LRMultiplier } from "@lrspec/lrspec";
 * import { tfjsOptimizer } from "@lrspec/lrspec/tfjs";
 * import assert from "node:assert/strict";
 *
 * // A stand-in for tf.train.adam(0.001): the adapter writes its learningRate field.
 * const adam = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, getClassName: () => "Adam" };
 * const optimizer = tfjsOptimizer(adam);
 * const scheduler = new LRMultiplier({
 *   optimizer,
 *   multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
 *   maxIter: 10,
 * });
 * for (let i = 0; i < 5; i++) scheduler.step();
 * optimizer.sync();
 * assert.equal(adam.learningRate, optimizer.paramGroups[0]!.lr); // 0.001 · cosine(0.5)
 * assert.equal(adam.learningRate, 0.0005);
 * ```
 */
export function tfjsOptimizer(
  optimizer: TfjsOptimizerLike,
  options: TfjsOptimizerOptions = {},
): TfjsOptimizerAdapter {
  return new TfjsOptimizerAdapter(optimizer, options);
}

/** Options of {@linkcode tfjsLrCallback}. */
export interface TfjsLrCallbackOptions {
  /**
   * Step the scheduler after every batch (detectron2's iterations) or every epoch (torch's
   * classic epoch-based schedules).
   * @default {"batch"}
   */
  per?: "batch" | "epoch";
}

/** The `model.fit` callback: tfjs's `CustomCallbackArgs` shape. */
export interface TfjsLrCallback {
  /** Pushes iteration 0's learning rate before the first batch. */
  onTrainBegin(): void;
  /** Steps and syncs after each batch (when `per` is `"batch"`). */
  onBatchEnd?(batch: number): void;
  /** Steps and syncs after each epoch (when `per` is `"epoch"`). */
  onEpochEnd?(epoch: number): void;
}

/**
 * A `model.fit` callback that steps `scheduler` after every batch (or epoch) and syncs the
 * learning rate into tfjs, so batch `i` trains with the learning rate of iteration `i` — as in
 * detectron2's trainer, which reads the LR before `scheduler.step()`.
 *
 * @param scheduler Anything with `step()`, attached to `adapter` (e.g. `buildLrScheduler(cfg,
 * adapter)`).
 * @param adapter The {@linkcode TfjsOptimizerAdapter} the model trains with (`model.compile({
 * optimizer: adapter.optimizer, … })`).
 * @param options `{ per? }`.
 * @returns `{ onTrainBegin, onBatchEnd }` (or `onEpochEnd`), for `model.fit(x, y, { callbacks:
 * [callback] })`.
 * @throws {TypeError} If `scheduler` has no `step()` or `adapter` is not an adapter.
 * @throws {RangeError} If `per` is not `"batch"` or `"epoch"`.
 *
 * @example
 * ```ts
 * import { CosineParamScheduler, LRMultiplier } from "@lrspec/lrspec";
 * import { tfjsLrCallback, tfjsOptimizer } from "@lrspec/lrspec/tfjs";
 * import assert from "node:assert/strict";
 *
 * const sgd = { learningRate: 0.1, setLearningRate(lr: number) { this.learningRate = lr; } };
 * const optimizer = tfjsOptimizer(sgd);
 * const scheduler = new LRMultiplier({
 *   optimizer,
 *   multiplier: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
 *   maxIter: 4,
 * });
 * const callback = tfjsLrCallback(scheduler, optimizer);
 * // model.fit(xs, ys, { epochs: 1, batchSize: 32, callbacks: [callback] }) calls:
 * callback.onTrainBegin();
 * for (let batch = 0; batch < 4; batch++) callback.onBatchEnd!(batch);
 * assert.equal(sgd.learningRate, 0);
 * ```
 */
export function tfjsLrCallback(
  scheduler: { step(): void },
  adapter: TfjsOptimizerAdapter,
  options: TfjsLrCallbackOptions = {},
): TfjsLrCallback {
  if (typeof scheduler?.step !== "function") {
    throw new TypeError(
      `tfjsLrCallback: \`scheduler\` must have a step() method: got ${describe(scheduler)}`,
    );
  }
  if (!(adapter instanceof TfjsOptimizerAdapter)) {
    throw new TypeError(
      `tfjsLrCallback: \`adapter\` must come from tfjsOptimizer(): got ${describe(adapter)}`,
    );
  }
  const per = options.per ?? "batch";
  if (per !== "batch" && per !== "epoch") {
    throw new RangeError(
      `tfjsLrCallback: \`per\` must be "batch" or "epoch": got ${JSON.stringify(per)}`,
    );
  }
  const advance = () => {
    scheduler.step();
    adapter.sync();
  };
  return per === "batch"
    ? { onTrainBegin: () => void adapter.sync(), onBatchEnd: advance }
    : { onTrainBegin: () => void adapter.sync(), onEpochEnd: advance };
}

/** A Keras schedule as {@linkcode kerasScheduleCallback} needs it: `call(step)`. */
export interface KerasScheduleLike {
  /** The learning rate at the optimizer's step (`schedule(iterations)` in Keras). */
  call(step: number): number;
}

/** Options of {@linkcode kerasScheduleCallback}. */
export interface KerasScheduleCallbackOptions {
  /**
   * The optimizer's `iterations` before the first batch (Keras keeps the counter across `fit`
   * calls and in checkpoints).
   * @default {0}
   */
  initialStep?: number;
}

/** The `model.fit` callback of {@linkcode kerasScheduleCallback}. */
export interface KerasScheduleCallback {
  /** Sets the learning rate of the batch about to run: `schedule.call(iterations)`. */
  onBatchBegin(batch: number): void;
  /** Counts the batch: `iterations += 1` (an int32 that wraps around, as Keras'). */
  onBatchEnd(batch: number): void;
  /** The optimizer's `iterations` now. */
  readonly iterations: number;
}

/**
 * A `model.fit` callback that drives a tfjs optimizer with a Keras schedule
 * (`@lrspec/lrspec/keras`) the way a Keras optimizer reads it: batch `i` trains with
 * `schedule(iterations)`, `iterations` counting the batches applied so far (from
 * `initialStep`). The learning rate is Keras' float32 value, so tfjs applies exactly it.
 *
 * @param schedule A Keras schedule (`new CosineDecay({…})`, `deserialize(json)`).
 * @param adapter The {@linkcode TfjsOptimizerAdapter} of the optimizer the model trains with.
 * @param options `{ initialStep? }`.
 * @returns `{ onBatchBegin, onBatchEnd }` for `model.fit(x, y, { callbacks: [callback] })`.
 * @throws {TypeError} If `schedule` has no `call()` or `adapter` is not an adapter.
 * @throws {RangeError} If `initialStep` is not an int32.
 *
 * @example
 * ```ts
 * import { CosineDecay } from "@lrspec/lrspec/keras";
 * import { kerasScheduleCallback, tfjsOptimizer } from "@lrspec/lrspec/tfjs";
 * import assert from "node:assert/strict";
 *
 * const sgd = { learningRate: 0.1, setLearningRate(lr: number) { this.learningRate = lr; } };
 * const schedule = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 4 });
 * const callback = kerasScheduleCallback(schedule, tfjsOptimizer(sgd));
 * // model.fit(xs, ys, { callbacks: [callback] }) calls, per batch:
 * for (let batch = 0; batch < 3; batch++) {
 *   callback.onBatchBegin(batch);
 *   assert.equal(sgd.learningRate, schedule.call(batch));
 *   callback.onBatchEnd(batch);
 * }
 * ```
 */
export function kerasScheduleCallback(
  schedule: KerasScheduleLike,
  adapter: TfjsOptimizerAdapter,
  options: KerasScheduleCallbackOptions = {},
): KerasScheduleCallback {
  if (typeof schedule?.call !== "function") {
    throw new TypeError(
      `kerasScheduleCallback: \`schedule\` must have a call(step) method: got ${
        describe(schedule)
      }`,
    );
  }
  if (!(adapter instanceof TfjsOptimizerAdapter)) {
    throw new TypeError(
      `kerasScheduleCallback: \`adapter\` must come from tfjsOptimizer(): got ${describe(adapter)}`,
    );
  }
  const start = options.initialStep ?? 0;
  if (!Number.isInteger(start) || (start | 0) !== start) {
    throw new RangeError(
      `kerasScheduleCallback: \`initialStep\` must be an int32: got ${describe(start)}`,
    );
  }
  let iterations = start;
  return {
    onBatchBegin() {
      adapter.paramGroups[0]!.lr = schedule.call(iterations);
      adapter.sync();
    },
    onBatchEnd() {
      iterations = (iterations + 1) | 0;
    },
    get iterations() {
      return iterations;
    },
  };
}

/** Keras' LR callbacks as {@linkcode kerasCallbacks} drives them (duck-typed). */
export interface KerasLrCallbackLike {
  /** `LearningRateScheduler`: before each epoch. */
  onEpochBegin?(epoch: number, optimizer: { learningRate: number }): unknown;
  /** `ReduceLROnPlateau`: at the start of training. */
  onTrainBegin?(): void;
  /** `ReduceLROnPlateau`: after each epoch, with the epoch's logs. */
  onEpochEnd?(
    epoch: number,
    logs: Readonly<Record<string, number | undefined>>,
    optimizer: { learningRate: number },
  ): unknown;
}

/** The `model.fit` callback of {@linkcode kerasCallbacks}. */
export interface KerasLrCallbacks {
  /** Resets the callbacks (`on_train_begin`). */
  onTrainBegin(): void;
  /** Runs the callbacks' `on_epoch_begin`. */
  onEpochBegin(epoch: number): void;
  /** Runs the callbacks' `on_epoch_end` with tfjs's logs (`loss`, `val_loss`, `acc`, …). */
  onEpochEnd(epoch: number, logs?: Record<string, unknown>): void;
}

/**
 * A `model.fit` callback that runs Keras' `LearningRateScheduler` and `ReduceLROnPlateau`
 * (`@lrspec/lrspec/keras`) on a tfjs optimizer, per epoch as Keras' `fit` does. The callbacks
 * read and write the optimizer's learning rate as Keras' float32 variable: reads see
 * `Math.fround` of it, writes are rounded.
 *
 * tfjs names metrics its own way (`acc`, `val_acc`); monitor those names.
 *
 * @param adapter The {@linkcode TfjsOptimizerAdapter} of the optimizer the model trains with.
 * @param callbacks The Keras callbacks, run in order.
 * @returns `{ onTrainBegin, onEpochBegin, onEpochEnd }` for `model.fit`.
 * @throws {TypeError} If `adapter` is not an adapter.
 *
 * @example
 * ```ts
 * import { ReduceLROnPlateau } from "@lrspec/lrspec/keras";
 * import { kerasCallbacks, tfjsOptimizer } from "@lrspec/lrspec/tfjs";
 * import assert from "node:assert/strict";
 *
 * const sgd = { learningRate: 0.1, setLearningRate(lr: number) { this.learningRate = lr; } };
 * const callback = kerasCallbacks(tfjsOptimizer(sgd), [
 *   new ReduceLROnPlateau({ monitor: "loss", factor: 0.5, patience: 1 }),
 * ]);
 * callback.onTrainBegin();
 * for (const [epoch, loss] of [1, 1, 1].entries()) callback.onEpochEnd(epoch, { loss });
 * assert.equal(sgd.learningRate, Math.fround(Math.fround(Math.fround(0.1) * 0.5) * 0.5));
 * ```
 */
export function kerasCallbacks(
  adapter: TfjsOptimizerAdapter,
  callbacks: readonly KerasLrCallbackLike[],
): KerasLrCallbacks {
  if (!(adapter instanceof TfjsOptimizerAdapter)) {
    throw new TypeError(
      `kerasCallbacks: \`adapter\` must come from tfjsOptimizer(): got ${describe(adapter)}`,
    );
  }
  const group = adapter.paramGroups[0]!;
  const optimizer = {
    get learningRate(): number {
      return Math.fround(group.lr);
    },
    set learningRate(lr: number) {
      group.lr = Math.fround(lr);
      adapter.sync();
    },
  };
  const numbers = (logs: Record<string, unknown> = {}) =>
    Object.fromEntries(Object.entries(logs).filter(([, v]) => typeof v === "number")) as Record<
      string,
      number
    >;
  return {
    onTrainBegin() {
      for (const c of callbacks) c.onTrainBegin?.();
    },
    onEpochBegin(epoch) {
      for (const c of callbacks) c.onEpochBegin?.(epoch, optimizer);
    },
    onEpochEnd(epoch, logs) {
      for (const c of callbacks) c.onEpochEnd?.(epoch, numbers(logs), optimizer);
    },
  };
}
