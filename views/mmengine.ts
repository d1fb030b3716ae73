/**
 * The mmengine family's view (`--mmengine FILE`): an mmengine config (MMDetection's, …) as a
 * {@linkcode ScheduleView} — the learning rate of every training iteration as mmengine's
 * `Runner.train()` computes it ({@linkcode Runner}: the train loop, the optim wrapper with its
 * `paramwise_cfg` groups, `auto_scale_lr`, the parameter schedulers stepped as
 * `ParamSchedulerHook` steps them).
 *
 * The config is mmengine's merged config as JSON-like data (`Config.fromfile(...)` read by
 * lrspec's Python sandbox, or a dumped dict). An mmengine config does not say how many iterations
 * an epoch has: that is `len(train_dataloader)`, given as `epochLength` or computed from the
 * dataset's size, the number of GPUs and the config's `batch_size` / `drop_last`.
 *
 * @module
 */

import { formatLr, grouped } from "../curve/format.ts";
import { steppedRuns } from "../curve/runs.ts";
import {
  type _ParamScheduler,
  buildTrainLoop,
  dataloaderLength,
  defaultParamNames,
  Runner,
  type RunnerOptions,
} from "../schedules/mmengine/mod.ts";
import { optionProblem, placed, type ScheduleView, type ViewMark } from "./view.ts";

/** Options of {@linkcode mmengineView}. */
export interface MmengineViewOptions {
  /** The config's file name (messages). */
  path: string;
  /**
   * `len(train_dataloader)` on each GPU. Give it, or `datasetSize`.
   * @default {undefined}
   */
  epochLength?: number | undefined;
  /**
   * The number of training samples: with `numGpus` and the config's `train_dataloader`
   * (`batch_size`, `drop_last`, `sampler`) it gives `len(train_dataloader)`.
   * @default {undefined}
   */
  datasetSize?: number | undefined;
  /**
   * GPUs (processes): the world size of `auto_scale_lr` and of the sampler.
   * @default {1}
   */
  numGpus?: number | undefined;
  /**
   * `tools/train.py --auto-scale-lr`.
   * @default {false}
   */
  autoScaleLr?: boolean | undefined;
  /**
   * The model's parameter names (`custom_keys` match against them).
   * @default {one parameter per custom key, plus `weight` and `bias`}
   */
  paramNames?: readonly string[] | undefined;
  /**
   * The legend entry.
   * @default {the file's name}
   */
  label?: string | undefined;
}

/** An mmengine config as a view, with the Runner options it was made from. */
export interface MmengineView extends ScheduleView {
  /** The options of {@linkcode Runner} the curve is computed with. */
  readonly runner: RunnerOptions;
}

function dict(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown>
    : undefined;
}

function schedulerList(cfg: Record<string, unknown>): Record<string, unknown>[] {
  const s = cfg.param_scheduler;
  if (s === undefined || s === null) return [];
  return (Array.isArray(s) ? s : [s]).map((x) => dict(x) ?? {});
}

function needsEpochLength(cfg: Record<string, unknown>, loopType: string): boolean {
  if (loopType === "EpochBasedTrainLoop") return true;
  return schedulerList(cfg).some((s) => s.convert_to_iter_based === true);
}

function fail(path: string, key: string, error: Error): Error {
  return placed(error, { file: path, key });
}

/** The column name of a group: `lr` for the first, `lr_<custom key>`, `lr_bias`, `base_lr`. */
function columnNames(
  cfg: Record<string, unknown>,
  paramNames: readonly string[],
  groupLrs: readonly number[],
  pseudo: boolean,
): { names: string[]; indices: number[] } {
  const wrapper = dict(cfg.optim_wrapper) ?? {};
  const paramwise = dict(wrapper.paramwise_cfg) ?? {};
  const keys = Object.keys(dict(paramwise.custom_keys) ?? {}).sort()
    .sort((a, b) => b.length - a.length);
  const real = pseudo ? groupLrs.length - 1 : groupLrs.length;
  const names: string[] = [];
  const indices: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < real; i++) {
    const lr = groupLrs[i]!;
    if (seen.has(lr)) continue;
    seen.set(lr, i);
    if (names.length === 0) names.push("lr");
    else {
      const name = paramNames[i] ?? `group${i}`;
      const dot = name.lastIndexOf(".");
      const full = `${dot < 0 ? "" : name.slice(0, dot)}.${name.slice(dot + 1)}`;
      const key = keys.find((k) => full.includes(k));
      const label = key ?? (name.endsWith("bias") ? "bias" : `group${i}`);
      names.push(`lr_${label.replace(/[^A-Za-z0-9_]+/g, "_")}`);
    }
    indices.push(i);
  }
  if (pseudo && groupLrs[groupLrs.length - 1] !== groupLrs[0]) {
    names.push("base_lr");
    indices.push(groupLrs.length - 1);
  }
  return { names, indices };
}

/** One scheduler config, in words. */
function describe(
  s: Record<string, unknown>,
  built: _ParamScheduler | undefined,
  loop: { maxEpochs: number; maxIters: number },
): string {
  const type = String(s.type ?? "?");
  const byEpoch = s.by_epoch ?? true;
  const params = Object.entries(s)
    .filter(([k]) => !["type", "by_epoch", "begin", "end", "convert_to_iter_based"].includes(k))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ");
  let range: string;
  if (built === undefined) range = "";
  else if (built.byEpoch) {
    range = `, epochs ${grouped(built.begin)}–${
      built.end >= 1e9 ? "∞" : grouped(built.end)
    } (stepped after each epoch)`;
  } else {
    const converted = s.convert_to_iter_based === true && byEpoch;
    range = `, iterations ${grouped(built.begin)}–${built.end >= 1e9 ? "∞" : grouped(built.end)}${
      converted ? " (converted from epochs: int(begin · len), int(end · len))" : ""
    }`;
  }
  const endNote = s.end === undefined && built !== undefined
    ? ` (end defaults to ${
      byEpoch ? `max_epochs = ${loop.maxEpochs}` : `max_iters = ${loop.maxIters}`
    })`
    : "";
  return `${type}(${params})${range}${endNote}`;
}

/**
 * The config's top-level key a Runner error is about, from its data (owner, option; never its
 * message): the optimizer wrapper, the lr scaling, the train loop, else the schedulers.
 */
function runnerKey(error: unknown): string {
  const problem = optionProblem(error);
  const option = problem?.option ?? "";
  if (option.startsWith("optim_wrapper") || problem?.owner === "OptimWrapper") {
    return "optim_wrapper";
  }
  if (option.startsWith("auto_scale_lr") || problem?.owner === "scaleLr") return "auto_scale_lr";
  if (option.startsWith("train_cfg") || problem?.owner === "build_train_loop") return "train_cfg";
  return "param_scheduler";
}

/**
 * An mmengine config as a {@linkcode ScheduleView}: one row per training iteration
 * (`iter,epoch,lr,…`; `iter,lr,…` in an `IterBasedTrainLoop`, whose `runner.epoch` stays 0), each
 * the rate that iteration's optimizer step uses; one column per distinct
 * parameter group (`lr`, `lr_backbone` for a `custom_keys` group with its own `lr_mult`,
 * `lr_bias`), and `base_lr` (the `OptimWrapper`'s pseudo-group, what mmengine logs as
 * `base_lr`) where it differs from `lr` (`auto_scale_lr` does not scale it).
 *
 * `explain()` lists the schedulers as the Runner builds them and flags the traps: a `by_epoch`
 * scheduler in an `IterBasedTrainLoop` (it never changes a training iteration's rate), a warmup
 * longer than the run, and `auto_scale_lr` present but not enabled.
 *
 * @param cfg The merged config (snake_case keys, `type` strings).
 * @param options The file's name, `len(train_dataloader)` or the dataset's size, the GPUs,
 * `--auto-scale-lr`.
 * @returns The view.
 * @throws {TypeError | RangeError} Where mmengine raises building the runner (with the key), or
 * when `len(train_dataloader)` is needed and neither `epochLength` nor `datasetSize` is given.
 */
export function mmengineView(
  cfg: Record<string, unknown>,
  options: MmengineViewOptions,
): MmengineView {
  const { path } = options;
  const numGpus = options.numGpus ?? 1;
  const trainCfg = dict(cfg.train_cfg);
  if (trainCfg === undefined) {
    throw fail(path, "train_cfg", new TypeError(`${path}: train_cfg: the config has no train_cfg`));
  }
  let loop;
  try {
    loop = buildTrainLoop(trainCfg, 1);
  } catch (error) {
    throw fail(path, "train_cfg", error as Error);
  }
  const dataloader = dict(cfg.train_dataloader) ?? {};
  let epochLength = options.epochLength;
  const notes: string[] = [];
  if (epochLength === undefined && options.datasetSize !== undefined) {
    const batchSize = dataloader.batch_size;
    if (typeof batchSize !== "number") {
      throw fail(
        path,
        "train_dataloader.batch_size",
        new TypeError(
          `${path}: train_dataloader.batch_size: --dataset-size needs the config's batch size ` +
            "(or give --epoch-length)",
        ),
      );
    }
    const sampler = dict(dataloader.sampler)?.type === "InfiniteSampler"
      ? "InfiniteSampler"
      : "DefaultSampler";
    epochLength = dataloaderLength({
      datasetSize: options.datasetSize,
      worldSize: numGpus,
      batchSize,
      dropLast: dataloader.drop_last === true,
      sampler,
    });
    notes.push(
      `${path}: len(train_dataloader) = ${grouped(epochLength)}: ${
        grouped(options.datasetSize)
      } samples over ${numGpus} GPU(s) (${sampler}), batch_size ${batchSize}${
        dataloader.drop_last === true ? ", drop_last" : ""
      }`,
    );
  }
  if (epochLength === undefined) {
    if (needsEpochLength(cfg, loop.type)) {
      throw fail(
        path,
        "train_dataloader",
        new TypeError(
          `${path}: the schedule needs len(train_dataloader): give --epoch-length L, or ` +
            "--dataset-size N (with --num-gpus G)",
        ),
      );
    }
    epochLength = 1;
  }
  const runnerOptions: RunnerOptions = {
    cfg,
    epochLength,
    worldSize: numGpus,
    autoScaleLr: options.autoScaleLr ?? false,
    ...(options.paramNames === undefined ? {} : { paramNames: options.paramNames }),
  };
  let runner: Runner;
  try {
    runner = new Runner(runnerOptions);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    throw fail(path, runnerKey(error), error);
  }
  const paramNames = options.paramNames ??
    defaultParamNames(dict(cfg.optim_wrapper) ?? {});
  const groupLrs = runner.optimWrapper.paramGroups.map((g) => g.lr);
  const pseudo = runner.optimWrapper.baseParamSettings !== null;
  const { names, indices } = columnNames(cfg, paramNames, groupLrs, pseudo);
  const rows = runner.trainLoop.maxIters;
  const runs = steppedRuns({
    columns: names,
    rows,
    start: () => {
      const it = new Runner(runnerOptions).train();
      let current = it.next();
      return {
        values(out) {
          const lrs = current.done ? undefined : current.value.lrs;
          indices.forEach((g, c) => (out[c] = lrs === undefined ? NaN : lrs[g]!));
        },
        step() {
          current = it.next();
        },
      };
    },
  });
  // The headline column's values, for marks (one pass; the runs recompute on demand).
  const head: number[] = [];
  {
    const it = new Runner(runnerOptions).train();
    try {
      for (const row of it) head.push(row.lrs[indices[0]!]!);
    } catch { /* the curve's error says where */ }
  }
  const schedulers = schedulerList(cfg);
  const built = runner.paramSchedulers;
  let warmupEnd = 0;
  built.forEach((s, i) => {
    const type = String(schedulers[i]?.type ?? "");
    if (/^(LinearLR|ConstantLR)$/.test(type) && !s.byEpoch && s.begin === 0 && s.end - 1 < rows) {
      warmupEnd = Math.max(warmupEnd, s.end - 1);
    }
  });
  const marks: ViewMark[] = warmupEnd > 0 ? [{ iteration: warmupEnd, what: "warmup" }] : [];
  for (let i = Math.max(1, warmupEnd + 1); i < head.length && marks.length < 16; i++) {
    const a = head[i - 1]!, b = head[i]!;
    if (b !== a && a !== 0 && Math.abs(b / a - 1) > 0.05) {
      const ratio = b / a;
      if (i > 1 && Math.abs(head[i - 1]! / head[i - 2]! - 1) > 1e-3) continue; // a smooth curve
      marks.push({ iteration: i, what: `×${formatLr(ratio)}` });
    }
  }
  // The traps.
  const traps: string[] = [];
  if (runner.trainLoop.type === "IterBasedTrainLoop") {
    built.forEach((s, i) => {
      if (s.byEpoch) {
        traps.push(
          `${path}: param_scheduler[${i}] ${String(schedulers[i]?.type)} is by_epoch in an ` +
            `IterBasedTrainLoop: mmengine steps it after each epoch, and this loop has one epoch ` +
            `that ends after the last iteration${
              s.end <= 1 ? ` (its end is ${s.end}: it never moves at all)` : ""
            } — it never changes a training iteration's rate. Set by_epoch=False (and begin/end in ` +
            "iterations), or convert_to_iter_based=True",
        );
      }
    });
  }
  built.forEach((s, i) => {
    const type = String(schedulers[i]?.type ?? "");
    if (!/^(LinearLR|ConstantLR|LinearMomentum|ConstantMomentum)$/.test(type)) return;
    const length = s.byEpoch ? runner.trainLoop.maxEpochs : rows;
    if (s.begin === 0 && s.end > length) {
      traps.push(
        `${path}: param_scheduler[${i}] ${type} (a warmup) ends at ${grouped(s.end)} ${
          s.byEpoch ? "epochs" : "iterations"
        }, after the run (${
          grouped(length)
        }): training stops before the warmup reaches the full rate`,
      );
    }
  });
  const autoScale = dict(cfg.auto_scale_lr);
  const bs = dataloader.batch_size;
  const base = autoScale?.base_batch_size;
  const total = typeof bs === "number" ? numGpus * bs : undefined;
  if (
    autoScale !== undefined && !autoScale.enable && !options.autoScaleLr &&
    (total === undefined || total !== base)
  ) {
    traps.push(
      `${path}: auto_scale_lr is present but not enabled: the learning rate is the config's ` +
        `whatever the batch size (base_batch_size ${String(base)}${
          total === undefined
            ? ""
            : `; you train with ${numGpus} GPU(s) × ${bs} = ${total}, ratio ${total / Number(base)}`
        }). tools/train.py --auto-scale-lr (lrspec: --auto-scale-lr) enables it`,
    );
  }
  const explain = () => {
    const lines: string[] = [];
    const l = runner.trainLoop;
    lines.push(
      `mmengine ${l.type}: ${
        l.type === "EpochBasedTrainLoop" ? `${grouped(l.maxEpochs)} epochs × ` : ""
      }${grouped(epochLength!)} iterations per epoch = ${grouped(rows)} iterations`,
    );
    const opt = dict(dict(cfg.optim_wrapper)?.optimizer) ?? {};
    lines.push(
      `  optimizer ${String(opt.type ?? "?")}, lr ${String(opt.lr ?? "(torch's default)")}` +
        (runner.lrScale === null
          ? ""
          : `; auto_scale_lr: × ${runner.lrScale} (${numGpus} GPU(s) × batch_size ${
            String(dataloader.batch_size)
          } over base_batch_size ${String(autoScale?.base_batch_size)}; the pseudo-group ` +
            "mmengine logs as base_lr is not scaled)"),
    );
    if (names.length > 1) {
      lines.push(
        `  groups: ${
          names.map((n, c) => `${n} starts at ${formatLr(groupLrs[indices[c]!]!)}`).join(", ")
        }`,
      );
    }
    lines.push(`  schedulers (stepped in this order; they multiply the current rate):`);
    schedulers.forEach((s, i) => {
      lines.push(`    ${i}. ${describe(s, built[i], l)}`);
    });
    if (schedulers.length === 0) lines.push("    none: the rate is constant");
    lines.push(
      "  one row per training iteration: the rate that iteration's optimizer step uses " +
        "(ParamSchedulerHook steps iteration schedulers after each iteration, epoch ones " +
        "after each epoch)",
    );
    for (const t of traps) lines.push(`  trap: ${t.slice(path.length + 2)}`);
    return lines.join("\n");
  };
  return {
    ...runs,
    runner: runnerOptions,
    family: "mmengine",
    path,
    label: options.label ?? path.replace(/^.*[\\/]/, "").replace(/\.py$/, ""),
    imagesPerIteration: typeof dataloader.batch_size === "number"
      ? dataloader.batch_size * numGpus
      : undefined,
    unit: "iteration",
    indexColumn: "iter",
    firstIndex: 0,
    // `iter,epoch,…`: the epoch as mmengine's runner.epoch counts it. An IterBasedTrainLoop has
    // one epoch (runner.epoch is 0 throughout): no column.
    ...(runner.trainLoop.type === "EpochBasedTrainLoop" ? { rowsPerEpoch: epochLength } : {}),
    marks,
    warmupEnd,
    identity: JSON.stringify([
      "mmengine",
      cfg,
      epochLength,
      numGpus,
      options.autoScaleLr ?? false,
      paramNames,
    ]),
    get summary() {
      return explain().split("\n")[0]!;
    },
    explain,
    notes: [...notes, ...traps],
  };
}
