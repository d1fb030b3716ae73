/**
 * The learning-rate schedule timm's `train.py` runs for a given `args.yaml` (timm 1.0.29):
 * {@linkcode timmTrainSchedule} and {@linkcode explainTimmSchedule}. The caller reads the YAML;
 * everything else — the `lr_base` rule, the optimizer's groups, `create_scheduler_v2`, the
 * training loop's calls — happens here.
 *
 * @module
 */

import { optionError } from "../errors.ts";
import {
  boolean,
  finite,
  finiteArray,
  integer,
  requireOptions,
  show,
} from "../_internal/validate.ts";
import type { Optimizer, ParamGroup } from "../optimizer.ts";
import { floatPow, trueDiv } from "../_internal/python.ts";
import {
  createSchedulerV2,
  type SchedulerKwargs,
  schedulerKwargs,
  type TimmArgs,
  type TimmScheduler,
} from "./scheduler_factory.ts";

/**
 * `train.py`'s argparse defaults for the keys the schedule depends on (timm 1.0.29 `train.py`,
 * the `parser.add_argument` calls). An `args.yaml` written by `train.py` has every key; these
 * fill in a hand-written, partial one.
 */
export const TRAIN_PY_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  sched: "cosine",
  sched_on_updates: false,
  lr: null,
  lr_base: 0.1,
  lr_base_size: 256,
  lr_base_scale: "",
  lr_noise: null,
  lr_noise_pct: 0.67,
  lr_noise_std: 1.0,
  lr_cycle_mul: 1.0,
  lr_cycle_decay: 0.5,
  lr_cycle_limit: 1,
  lr_k_decay: 1.0,
  warmup_lr: 1e-5,
  min_lr: 0,
  epochs: 300,
  start_epoch: null,
  decay_milestones: [90, 180, 270],
  decay_epochs: 90,
  warmup_epochs: 5,
  warmup_prefix: false,
  cooldown_epochs: 0,
  patience_epochs: 10,
  decay_rate: 0.1,
  seed: 42,
  batch_size: 128,
  grad_accum_steps: 1,
  opt: "sgd",
  weight_decay: 2e-5,
  layer_decay: null,
  eval_metric: "top1",
  val_interval: 1,
});

/** Options of {@linkcode timmTrainSchedule}: what `args.yaml` does not record. */
export interface TimmTrainOptions {
  /**
   * Optimizer updates per epoch: `train.py`'s `(len(loader_train) + grad_accum_steps − 1) //
   * grad_accum_steps`. Required when the args step per update (`sched_on_updates`).
   * @default {0}
   */
  updatesPerEpoch?: number;
  /**
   * Number of training processes (GPUs), which multiplies the batch in the `lr_base` rule.
   * `args.yaml` does not record it.
   * @default {1}
   */
  worldSize?: number;
  /**
   * Each parameter group's `lr_scale` (layer-wise decay: `layer_decay ** (layers − depth)`,
   * which depends on the model). Without it, the groups have no `lr_scale`.
   * @default {undefined}
   */
  lrScales?: readonly number[];
  /**
   * The evaluation metric after each epoch (`metrics[e]` is passed to `step(e + 1, metric)`
   * on the epochs `train.py` evaluates, every `val_interval`-th and the last): what the
   * plateau schedule reduces on. Missing or `null` entries pass no metric.
   * @default {[]}
   */
  metrics?: readonly (number | null)[];
  /**
   * Whether a smaller metric is better (`train.py`: `eval_metric == 'loss'`, or `'loss'`
   * when there is no evaluation set).
   * @default {args.eval_metric === "loss"}
   */
  decreasingMetric?: boolean;
}

/** How `train.py` arrived at the learning rate. */
export interface TimmLrRule {
  /** `args.lr` when it was set; `null` when the `lr_base` rule computed it. */
  lr: number | null;
  /** `lr_base`. */
  lrBase: number;
  /** `batch_size · world_size · grad_accum_steps`. */
  globalBatchSize: number;
  /** `lr_base_size`. */
  lrBaseSize: number;
  /** `"linear"` or `"sqrt"` (chosen from the optimizer's name when `lr_base_scale` is empty). */
  lrBaseScale: string;
}

/** The schedule timm's `train.py` runs, with the rate of every epoch (or update). */
export interface TimmTrainSchedule {
  /** The learning rate the optimizer is created with. */
  lr: number;
  /** How it was computed. */
  lrRule: TimmLrRule;
  /** The keywords `create_scheduler_v2` received (`scheduler_kwargs(args)`). */
  kwargs: SchedulerKwargs;
  /** The updates per epoch `create_scheduler_v2` received. */
  updatesPerEpoch: number;
  /** The optimizer's groups as created, before the scheduler touched them. */
  groups: ParamGroup[];
  /** The scheduler after the whole run (`null` for an unknown `sched`, as timm). */
  scheduler: TimmScheduler | null;
  /** `create_scheduler_v2`'s epoch count: the loop runs epochs `startEpoch … numEpochs − 1`. */
  numEpochs: number;
  /** The first epoch (`args.start_epoch`, or 0). */
  startEpoch: number;
  /** `"epoch"`: one point per epoch; `"update"`: one per optimizer update (`sched_on_updates`). */
  unit: "epoch" | "update";
  /** Each point's epoch. */
  epoch: Float64Array;
  /** Each point's position: the epoch, or the global update index `epoch · updatesPerEpoch + u`. */
  t: Float64Array;
  /** Each group's learning rate at each point: what that epoch (update) trains with. */
  lrs: Float64Array[];
}

function argNumber(args: TimmArgs, key: string): number {
  return finite("timmTrainSchedule", `args.${key}`, args[key]);
}

/**
 * The most rows (epochs, or updates when the schedule steps per update) {@linkcode timmTrainSchedule}
 * computes: 2·10^7, three arrays of doubles each (under half a gigabyte). timm's longest recipes
 * are around 10^6 updates.
 */
export const MAX_TIMM_ROWS = 20_000_000;

/**
 * timm `train.py`'s learning rate: `args.lr`, or when it is unset (or 0) the `lr_base` rule
 * (timm `train.py` at commit aa4b585, lines 837–845; timm 1.0.28 lines 596–604):
 *
 * ```text
 * global_batch_size = batch_size · world_size · grad_accum_steps
 * batch_ratio = global_batch_size / lr_base_size
 * lr_base_scale empty: "sqrt" if "ada" or "lamb" is in opt.lower(), else "linear"
 * "sqrt": batch_ratio = batch_ratio ** 0.5
 * lr = lr_base · batch_ratio
 * ```
 */
function lrRule(args: TimmArgs, worldSize: number): { lr: number; rule: TimmLrRule } {
  const owner = "timmTrainSchedule";
  const given = args.lr;
  const lrBase = argNumber(args, "lr_base");
  const lrBaseSize = argNumber(args, "lr_base_size");
  const globalBatchSize = argNumber(args, "batch_size") * worldSize *
    argNumber(args, "grad_accum_steps");
  const scaleArg = args.lr_base_scale ?? "";
  if (typeof scaleArg !== "string") {
    throw optionError(
      TypeError,
      owner,
      "args.lr_base_scale",
      scaleArg,
      `\`args.lr_base_scale\` must be a string: got ${show(scaleArg)}`,
    );
  }
  let scale: string = scaleArg;
  if (given !== null && given !== undefined && given !== 0) {
    const lr = finite(owner, "args.lr", given);
    return { lr, rule: { lr, lrBase, globalBatchSize, lrBaseSize, lrBaseScale: scale } };
  }
  let batchRatio = trueDiv(owner, globalBatchSize, lrBaseSize, "timm", "args.lr_base_size");
  if (!scale) {
    const opt = args.opt;
    if (typeof opt !== "string") {
      throw optionError(
        TypeError,
        owner,
        "args.opt",
        opt,
        `\`args.opt\` must be a string: got ${show(opt)}`,
      );
    }
    const on = opt.toLowerCase();
    scale = ["ada", "lamb"].some((o) => on.includes(o)) ? "sqrt" : "linear";
  }
  if (scale === "sqrt") batchRatio = floatPow(owner, batchRatio, 0.5, "timm");
  return {
    lr: lrBase * batchRatio,
    rule: { lr: null, lrBase, globalBatchSize, lrBaseSize, lrBaseScale: scale },
  };
}

/**
 * The parameter groups `create_optimizer_v2` makes, as far as the schedule sees them: with
 * `lrScales`, one group per scale (layer decay); else with a weight decay two groups (no decay,
 * then decay: timm's `param_groups_weight_decay`, for a model with both kinds of parameters);
 * else one. Each starts at `lr`.
 */
function optimizerGroups(args: TimmArgs, lr: number, lrScales?: readonly number[]): ParamGroup[] {
  const weightDecay = argNumber(args, "weight_decay");
  if (lrScales !== undefined) {
    if (Array.isArray(lrScales) && lrScales.length === 0) {
      // No parameter group: torch's Optimizer raises before any scheduler exists.
      throw optionError(
        RangeError,
        "timmTrainSchedule",
        "lrScales",
        lrScales,
        "`lrScales` must name at least one parameter group (torch's ValueError: optimizer got " +
          "an empty parameter list): got []",
      );
    }
    return finiteArray("timmTrainSchedule", "lrScales", lrScales).map((s) => ({
      lr,
      lrScale: s,
      weightDecay,
    }));
  }
  if (weightDecay) return [{ lr, weightDecay: 0 }, { lr, weightDecay }];
  return [{ lr, weightDecay: 0 }];
}

/**
 * The schedule timm's `train.py` runs for an `args.yaml`: the learning rate (`args.lr`, or the
 * `lr_base` rule), the optimizer's groups, `create_scheduler_v2(optimizer,
 * **scheduler_kwargs(args), updates_per_epoch)`, and the training loop's scheduler calls, with
 * the rate every epoch (or, with `sched_on_updates`, every update) trains with:
 *
 * ```text
 * start_epoch > 0:  step_update(start_epoch · updates_per_epoch) or step(start_epoch)
 * for epoch in start_epoch … num_epochs − 1:
 *     for each update u:  train with lr;  step_update(epoch · updates_per_epoch + u + 1)
 *     step(epoch + 1, metric)      (metric only on the epochs train.py evaluates)
 * ```
 *
 * Port of the schedule-related parts of timm `train.py` (timm 1.0.29; the calls are the same
 * in 1.0.28). `step_update` calls are made only when the schedule counts updates (they do
 * nothing otherwise). Model-dependent facts are options: the updates per epoch (the data
 * loader's length), the process count, layer-decay scales, the metrics.
 *
 * @param args A parsed `args.yaml` (timm's snake_case keys); missing keys take `train.py`'s
 * defaults ({@linkcode TRAIN_PY_DEFAULTS}).
 * @param options What `args.yaml` does not record.
 * @returns The rate, the scheduler and the curve.
 * @throws {RangeError} As `create_scheduler_v2` (`updates_per_epoch must be set to number of
 * dataloader batches` when stepping per update without `updatesPerEpoch`), or for a value out
 * of range.
 * @throws {TypeError} For a value of the wrong type.
 *
 * @example `args.yaml` of `train.py --sched cosine --epochs 100 --warmup-epochs 5 -b 256`
 * ```ts
 * import { timmTrainSchedule } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const args = { sched: "cosine", epochs: 100, warmup_epochs: 5, batch_size: 256, lr: null };
 * const s = timmTrainSchedule(args);
 * assert.equal(s.lr, 0.1); // lr_base 0.1 × 256 / 256
 * assert.equal(s.numEpochs, 100);
 * assert.equal(s.lrs[0]![0], 1e-5); // epoch 0: warmup_lr
 * assert.equal(s.lrs[0]![5], 0.5 * 0.1 * (1 + Math.cos(Math.PI * 5 / 100)));
 * ```
 */
export function timmTrainSchedule(
  args: TimmArgs,
  options: TimmTrainOptions = {},
): TimmTrainSchedule {
  const owner = "timmTrainSchedule";
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw optionError(
      TypeError,
      owner,
      "args",
      args,
      `\`args\` must be an object: got ${show(args)}`,
    );
  }
  const o = requireOptions(owner, options, [
    "updatesPerEpoch",
    "worldSize",
    "lrScales",
    "metrics",
    "decreasingMetric",
  ]);
  const a: TimmArgs = { ...TRAIN_PY_DEFAULTS, ...args };
  const updatesPerEpoch = integer(
    owner,
    "updatesPerEpoch",
    o.updatesPerEpoch ?? 0,
    "an integer >= 0",
    (x) => x >= 0,
  );
  const worldSize = integer(owner, "worldSize", o.worldSize ?? 1, "an integer >= 1", (x) => x >= 1);
  const decreasing = boolean(
    owner,
    "decreasingMetric",
    o.decreasingMetric ?? a.eval_metric === "loss",
  );
  const metrics = o.metrics ?? [];
  if (!Array.isArray(metrics)) {
    throw optionError(
      TypeError,
      owner,
      "metrics",
      metrics,
      `\`metrics\` must be an array: got ${show(metrics)}`,
    );
  }
  const { lr, rule } = lrRule(a, worldSize);
  if (lr < 0) {
    // create_optimizer_v2 builds a torch optimizer, which refuses it; the schedule would scale a
    // negative rate (and a very negative one overflows).
    const key = rule.lr === null ? "args.lr_base" : "args.lr";
    throw optionError(
      RangeError,
      owner,
      key,
      lr,
      `\`${key}\` gives a negative learning rate: ${show(lr)} ` +
        `(torch's optimizers raise ValueError: Invalid learning rate: ${show(lr)})`,
    );
  }
  const groups = optimizerGroups(a, lr, o.lrScales);
  const optimizer: Optimizer = { paramGroups: groups.map((g) => ({ ...g })) };
  const kwargs = schedulerKwargs(a, decreasing);
  const [scheduler, numEpochs] = createSchedulerV2({ optimizer, ...kwargs, updatesPerEpoch });
  const startEpoch = a.start_epoch === null || a.start_epoch === undefined
    ? 0
    : integer(owner, "args.start_epoch", a.start_epoch, "an integer >= 0", (x) => x >= 0);
  const valInterval = integer(
    owner,
    "args.val_interval",
    a.val_interval,
    "an integer >= 1",
    (x) => x >= 1,
  );
  const perUpdate = !(kwargs.stepOnEpochs ?? true);
  if (scheduler !== null && startEpoch > 0) {
    if (perUpdate) scheduler.stepUpdate(startEpoch * updatesPerEpoch);
    else scheduler.step(startEpoch);
  }
  const epochs = Math.max(0, numEpochs - startEpoch);
  const per = perUpdate ? updatesPerEpoch : 1;
  const n = epochs * per;
  if (n > MAX_TIMM_ROWS) {
    throw optionError(
      RangeError,
      owner,
      "args.epochs",
      a.epochs,
      `${epochs} epochs${perUpdate ? ` of ${updatesPerEpoch} updates` : ""} make ` +
        `${n} rows (\`args.epochs\` + \`args.cooldown_epochs\`); lrspec computes timm's ` +
        `schedule row by row in memory, up to ${MAX_TIMM_ROWS} rows`,
    );
  }
  const epochAt = new Float64Array(n);
  const tAt = new Float64Array(n);
  const lrs = optimizer.paramGroups.map(() => new Float64Array(n));
  let k = 0;
  for (let epoch = startEpoch; epoch < numEpochs; epoch++) {
    for (let u = 0; u < per; u++, k++) {
      epochAt[k] = epoch;
      tAt[k] = perUpdate ? epoch * updatesPerEpoch + u : epoch;
      optimizer.paramGroups.forEach((g, i) => (lrs[i]![k] = g.lr));
      if (perUpdate) scheduler?.stepUpdate(epoch * updatesPerEpoch + u + 1);
    }
    const epochP1 = epoch + 1;
    const evaluates = epochP1 % valInterval === 0 || epochP1 === numEpochs;
    const metric = evaluates ? metrics[epoch] ?? null : null;
    if (metric !== null) finite(owner, `metrics[${epoch}]`, metric);
    scheduler?.step(epochP1, metric);
  }
  return {
    lr,
    lrRule: rule,
    kwargs,
    updatesPerEpoch,
    groups,
    scheduler,
    numEpochs,
    startEpoch,
    unit: perUpdate ? "update" : "epoch",
    epoch: epochAt,
    t: tAt,
    lrs,
  };
}

/** A number as Python prints it (`1e-05`, `0.1`), to six significant digits. */
function g(x: number): string {
  const v = Number(x.toPrecision(6));
  const a = Math.abs(v);
  if (v !== 0 && (a < 1e-4 || a >= 1e16)) {
    const [m, e] = v.toExponential().split("e") as [string, string];
    const n = Number(e);
    return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return String(v);
}

/**
 * The schedule of {@linkcode timmTrainSchedule} in words: the learning rate and where it came
 * from, the scheduler and its options, the warmup, noise and cooldown, the epochs, and the
 * rate at the changes that matter.
 *
 * @example
 * ```ts
 * import { explainTimmSchedule, timmTrainSchedule } from "@lrspec/lrspec/timm";
 * import assert from "node:assert/strict";
 *
 * const text = explainTimmSchedule(timmTrainSchedule({ sched: "step", epochs: 90, lr: 0.4 }));
 * assert.match(text, /^timm step schedule: lr 0\.4 \(args\.lr\)/);
 * ```
 */
export function explainTimmSchedule(s: TimmTrainSchedule): string {
  const k = s.kwargs;
  const lines: string[] = [];
  const r = s.lrRule;
  const source = r.lr !== null
    ? "args.lr"
    : `lr_base ${g(r.lrBase)} × ${r.lrBaseScale === "sqrt" ? "sqrt" : ""}(global batch ${
      g(r.globalBatchSize)
    } / lr_base_size ${g(r.lrBaseSize)}), ${r.lrBaseScale} scaling`;
  lines.push(`timm ${k.sched} schedule: lr ${g(s.lr)} (${source})`);
  if (s.scheduler === null) {
    lines.push(
      `  create_scheduler_v2 knows no sched "${k.sched}": no scheduler, the rate stays ${g(s.lr)}`,
    );
  }
  const unit = s.unit === "update" ? `update (${s.updatesPerEpoch} per epoch)` : "epoch";
  const warm = k.warmupEpochs ?? 0;
  if (warm > 0 && s.scheduler !== null) {
    lines.push(
      `  warmup: ${g(warm)} epochs from warmup_lr ${g(k.warmupLr ?? 1e-5)}, linear${
        k.warmupPrefix ? ", before the schedule (warmup_prefix)" : ", within the schedule"
      }`,
    );
  }
  const sched = k.sched;
  if (sched === "cosine" || sched === "tanh" || sched === "poly") {
    const what = sched === "poly" ? `polynomial (power ${g(k.decayRate ?? 0.1)})` : sched;
    lines.push(
      `  ${what} decay to min_lr ${g(k.minLr ?? 0)} over ${g(k.numEpochs ?? 300)} epochs${
        (k.cycleLimit ?? 1) > 1
          ? `, ${k.cycleLimit} cycles (length × ${g(k.cycleMul ?? 1)}, peak × ${
            g(k.cycleDecay ?? 0.1)
          })`
          : ""
      }${(k.kDecay ?? 1) !== 1 ? `, k-decay ${g(k.kDecay!)}` : ""}${
        (k.cooldownEpochs ?? 0) > 0
          ? `, then ${g(k.cooldownEpochs!)} cooldown epochs at min_lr`
          : ""
      }`,
    );
  } else if (sched === "step") {
    lines.push(`  × ${g(k.decayRate ?? 0.1)} every ${g(k.decayEpochs ?? 90)} epochs`);
  } else if (sched === "multistep") {
    const ms = (k.decayMilestones ?? []).map((m) => g(m - 1));
    lines.push(
      `  × ${g(k.decayRate ?? 0.1)} at milestones ${(k.decayMilestones ?? []).join(", ")} ` +
        `(timm decays one step early: from epoch ${ms.join(", ")})`,
    );
  } else if (sched === "plateau") {
    lines.push(
      `  × ${g(k.decayRate ?? 0.1)} when the ${
        k.plateauMode === "min" ? "decreasing" : "increasing"
      } ` +
        `metric has not improved for ${k.patienceEpochs} epochs (only on the metrics given)`,
    );
  }
  if (k.noise !== null && k.noise !== undefined) {
    lines.push(
      `  noise: ±${g(k.noisePct ?? 0.67)} of the rate (torch normal draws, seed ${
        String(k.noiseSeed)
      } + t) over ${Array.isArray(k.noise) ? k.noise.join("–") : `${k.noise}–`} of the schedule`,
    );
  }
  lines.push(
    `  stepped per ${unit}; ${s.numEpochs} epochs${
      s.startEpoch > 0 ? ` (from epoch ${s.startEpoch})` : ""
    }; ${s.groups.length} parameter group(s)${
      s.groups.some((gr) => gr.lrScale !== undefined) ? " with lr_scale" : ""
    }`,
  );
  const lr0 = s.lrs[0];
  if (lr0 !== undefined && lr0.length > 0) {
    let max = 0;
    for (let i = 1; i < lr0.length; i++) if (lr0[i]! > lr0[max]!) max = i;
    lines.push(
      `  rate: ${g(lr0[0]!)} at ${s.unit} ${s.t[0]}, peak ${g(lr0[max]!)} at ${s.unit} ${
        s.t[max]
      }, last ${g(lr0[lr0.length - 1]!)} at ${s.unit} ${s.t[lr0.length - 1]}`,
    );
  }
  return lines.join("\n");
}
