/**
 * A detectron2 schedule in words, computed from the schedule itself (so that detectron2's
 * quirks — `WHERE_EPSILON` moving a step, `STEPS` beyond `MAX_ITER` dropped — show up as they
 * happen).
 *
 * @module
 */

import { buildLrMultiplier } from "./build.ts";
import { pyFloatRepr } from "../python.ts";
import { type CurveSolverConfig, lrCurve, paramGroupLrs } from "./curve.ts";
import type { SolverConfig } from "./defaults.ts";

/** Python's shortest round-trip repr, without a trailing `.0` (`0.0123456789`, `2e-05`, `1`). */
function exact(x: number): string {
  return pyFloatRepr(x).replace(/\.0(?=$|e)/, "");
}

/** Lists longer than this are shortened (the first and last entries, and how many between). */
const LIST_LIMIT = 12;

/**
 * The entries of a long list that are written: all of them when `full` or when there are at most
 * {@linkcode LIST_LIMIT}; else the first eight and the last two around `… N more …`, so that a
 * schedule of 10⁵ milestones is described in a few lines, not megabytes. Of the `n` entries
 * `entry(0)`, …, `entry(n − 1)`, only those written are formatted (10⁶ milestones: ten strings,
 * not a million).
 */
function shortenBy(n: number, entry: (k: number) => string, full: boolean): string[] {
  if (full || n <= LIST_LIMIT) return Array.from({ length: n }, (_, k) => entry(k));
  const more = n - 10;
  const at = (ks: number[]) => ks.map(entry);
  return [...at([0, 1, 2, 3, 4, 5, 6, 7]), `… ${more} more …`, ...at([n - 2, n - 1])];
}

/** The entry of increasing `values` nearest to `x` (binary search), if within `slack`. */
function nearest(values: readonly number[], x: number, slack: number): number | undefined {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  let best: number | undefined;
  for (const v of [values[lo - 1], values[lo]]) {
    if (v === undefined || Math.abs(v - x) > slack) continue;
    if (best === undefined || Math.abs(v - x) < Math.abs(best - x)) best = v;
  }
  return best;
}

function list(items: string[], full = true): string {
  return listBy(items.length, (k) => items[k]!, full);
}

/** {@linkcode list} of `n` entries formatted by `entry`, only those written. */
function listBy(n: number, entry: (k: number) => string, full: boolean): string {
  const shown = shortenBy(n, entry, full);
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}

/**
 * Iterations where a piecewise-constant multiplier changes, searched near the nominal ones: within
 * `WHERE_EPSILON`'s reach (10⁻⁶·MAX_ITER) of each, the windows merged where they overlap. With
 * `monotone` (the rate only falls, or only rises, from step to step: GAMMA > 0) a window whose two
 * ends agree holds no change, so each is bisected — O(steps · log window) evaluations instead of
 * one per iteration (10⁵ milestones of a 10⁹-iteration schedule: 2·10⁸ evaluations, minutes).
 */
function transitions(
  at: (iter: number) => number,
  nominal: number[],
  from: number,
  maxIter: number,
  monotone: boolean,
): number[] {
  const slack = Math.ceil(1e-6 * maxIter) + 2;
  // With RESCALE_INTERVAL the main schedule runs over [from, maxIter]: look there too. Both
  // lists ascend (STEPS is increasing), so their windows are merged as they come, in a flat
  // array of [lo, hi] pairs (10⁶ milestones: no 2·10⁶ small arrays to sort).
  const rescaled = (n: number) => Math.round(from + (n * (maxIter - from)) / maxIter);
  const merged: number[] = [];
  const add = (n: number) => {
    // A step between iterations (STEPS: (1000, 2000.5)) changes the rate at an iteration.
    const lo = Math.max(from + 1, Math.floor(n) - slack);
    const hi = Math.min(maxIter, Math.ceil(n) + slack);
    if (lo > hi) return;
    const k = merged.length;
    if (k > 0 && lo <= merged[k - 1]! + 1) merged[k - 1] = Math.max(merged[k - 1]!, hi);
    else merged.push(lo, hi);
  };
  let a = 0, b = 0;
  const ascending = nominal.every((n, k) => k === 0 || nominal[k - 1]! <= n);
  if (ascending) {
    // The two ascending lists, merged by their windows' starts (both lists' windows ascend).
    const loOf = (n: number) => Math.max(from + 1, Math.floor(n) - slack);
    while (a < nominal.length || b < nominal.length) {
      const x = a < nominal.length ? nominal[a]! : Infinity;
      const y = b < nominal.length ? rescaled(nominal[b]!) : Infinity;
      if (loOf(x) <= loOf(y)) (add(x), a++);
      else (add(y), b++);
    }
  } else {
    const all = [...nominal, ...nominal.map(rescaled)].sort((x, y) =>
      Math.max(from + 1, Math.floor(x) - slack) - Math.max(from + 1, Math.floor(y) - slack)
    );
    for (const n of all) add(n);
  }
  const found: number[] = [];
  // Changes in (lo, hi], knowing at(lo) and at(hi).
  const bisect = (lo: number, vlo: number, hi: number, vhi: number) => {
    if (vlo === vhi) return;
    if (hi - lo === 1) {
      found.push(hi);
      return;
    }
    const mid = lo + Math.floor((hi - lo) / 2);
    const vmid = at(mid);
    bisect(lo, vlo, mid, vmid);
    bisect(mid, vmid, hi, vhi);
  };
  for (let k = 0; k < merged.length; k += 2) {
    const lo = merged[k]!, hi = merged[k + 1]!;
    if (monotone) bisect(lo - 1, at(lo - 1), hi, at(hi));
    else {
      for (let i = lo; i <= hi; i++) if (at(i) !== at(i - 1)) found.push(i);
    }
  }
  return found;
}

/** Where a schedule changes, as {@linkcode scheduleEvents} finds it. */
export interface ScheduleEvents {
  /** `min(WARMUP_ITERS, MAX_ITER)`, or 0 without warmup (`WARMUP_ITERS` 0 or `WARMUP_FACTOR` 1). */
  warmupIters: number;
  /**
   * The first iteration at the end-of-warmup rate: `warmupIters`, or a few iterations earlier when
   * `WHERE_EPSILON` hands over early (schedules of ≥ 10⁶ iterations).
   */
  warmupEnd: number;
  /** The iterations where a step schedule multiplies the rate by `GAMMA`, as detectron2 runs them. */
  steps: number[];
  /** The learning rate (first group) at an iteration. */
  lrAt: (iteration: number) => number;
  /** What detectron2 warns while building the scheduler. */
  warnings: string[];
}

/**
 * The events of a schedule: the end of warmup and the iterations where a step schedule
 * (`WarmupMultiStepLR`, `WarmupStepWithFixedGammaLR`) changes — found on the schedule itself, so
 * `WHERE_EPSILON`'s early steps on ≥ 10⁶-iteration schedules show where they really happen.
 *
 * @param cfg A config with a `SOLVER` node.
 * @returns The events and the learning rate as a function of the iteration.
 * @throws {RangeError | TypeError} If the scheduler cannot be built.
 */
export function scheduleEvents(cfg: { SOLVER: CurveSolverConfig }): ScheduleEvents {
  const s = cfg.SOLVER;
  const maxIter = s.MAX_ITER;
  const baseLr = s.BASE_LR;
  const warmupIters = Math.min(s.WARMUP_ITERS, maxIter);
  const warnings: string[] = [];
  let lrAt: (iter: number) => number;
  if (s.LR_SCHEDULER_NAME === "WarmupPolyLR") {
    const iterations = [...new Set([0, warmupIters, maxIter])].sort((a, b) => a - b);
    const curve = lrCurve(cfg, { iterations });
    lrAt = (i) => curve.columns[0]!.values[iterations.indexOf(i)]!;
  } else {
    const multiplier = buildLrMultiplier(s, { onWarning: (w) => warnings.push(w) });
    lrAt = (i) => baseLr * multiplier.at(i / maxIter);
  }
  let steps: number[] = [];
  if (s.LR_SCHEDULER_NAME === "WarmupMultiStepLR") {
    steps = transitions(
      lrAt,
      (s.STEPS as number[]).filter((x) => x <= maxIter),
      warmupIters,
      maxIter,
      s.GAMMA > 0,
    );
  } else if (s.LR_SCHEDULER_NAME === "WarmupStepWithFixedGammaLR") {
    const n = s.NUM_DECAYS + 1;
    const nominal = Array.from(
      { length: s.NUM_DECAYS },
      (_, k) => Math.round(((k + 1) / n) * maxIter),
    );
    steps = transitions(lrAt, nominal, warmupIters, maxIter - 1, s.GAMMA > 0);
  }
  const hasWarmup = warmupIters > 0 && s.WARMUP_FACTOR !== 1;
  // Where warmup really hands over: WHERE_EPSILON moves it earlier on very long schedules.
  let warmupEnd = hasWarmup ? warmupIters : 0;
  if (hasWarmup && s.WARMUP_METHOD === "linear") {
    const peak = lrAt(warmupIters);
    while (warmupEnd > 1 && lrAt(warmupEnd - 1) === peak) warmupEnd--;
  }
  return { warmupIters: hasWarmup ? warmupIters : 0, warmupEnd, steps, lrAt, warnings };
}

/** Options of {@linkcode explainSchedule}. */
export interface ExplainScheduleOptions {
  /**
   * Every milestone and every change in full. By default lists of more than twelve entries show
   * the first eight and the last two, with how many lie between.
   * @default {false}
   */
  full?: boolean;
  /**
   * What {@linkcode scheduleEvents} returned for this very config (a front end that found them
   * already: 10⁶ milestones take seconds to find again); found here when omitted.
   * @default {undefined}
   */
  events?: ScheduleEvents;
}

/**
 * Describes the learning-rate schedule a config produces, as detectron2 would run it. Every
 * number is written at its shortest round-trip form (Python's `repr`: `0.0123456789`, `2e-05`),
 * so it reads back as the very double the schedule uses.
 *
 * The first line is the schedule in one sentence; the following lines give the solver settings,
 * the learning rate at each change, the bias group (when `BIAS_LR_FACTOR != 1`) and the batch.
 *
 * @param cfg A config with a `SOLVER` node.
 * @param options `full`: every milestone, however many.
 * @returns Lines of text, without a trailing newline.
 * @throws {RangeError | TypeError} If detectron2 would fail to build the scheduler (the message
 * says why, as {@linkcode buildLrScheduler}).
 *
 * @example detectron2's COCO 3x schedule
 * ```ts
 * import { explainSchedule, getCfg } from "@lrspec/lrspec";
 * import assert from "node:assert/strict";
 *
 * const cfg = getCfg();
 * Object.assign(cfg.SOLVER, { BASE_LR: 0.02, STEPS: [210000, 250000], MAX_ITER: 270000 });
 * assert.equal(
 *   explainSchedule(cfg).split("\n")[0],
 *   "linear warmup over 1000 iterations from 2e-05 to 0.02, ×0.1 at 210000 and 250000, ends at 270000",
 * );
 * ```
 */
export function explainSchedule(
  cfg: {
    SOLVER:
      & CurveSolverConfig
      & Partial<Pick<SolverConfig, "IMS_PER_BATCH" | "REFERENCE_WORLD_SIZE">>;
  },
  options: ExplainScheduleOptions = {},
): string {
  const full = options.full ?? false;
  const s = cfg.SOLVER;
  const maxIter = s.MAX_ITER;
  const baseLr = s.BASE_LR;
  const name = s.LR_SCHEDULER_NAME;
  const warmupIters = Math.min(s.WARMUP_ITERS, maxIter);
  const lines: string[] = [];
  const details: string[] = [];
  const sentence: string[] = [];
  const { warmupEnd, steps: changes, lrAt, warnings } = options.events ?? scheduleEvents(cfg);
  const early = warmupEnd > 0 && warmupEnd < warmupIters
    ? ` (reached at ${warmupEnd}: detectron2's WHERE_EPSILON)`
    : "";
  // Warmup.
  const hasWarmup = warmupEnd > 0;
  const start = lrAt(0);
  const peak = lrAt(warmupIters);
  if (hasWarmup) {
    sentence.push(
      s.WARMUP_METHOD === "constant"
        ? `constant warmup at ${exact(start)} for ${warmupIters} iterations, then ${exact(peak)}`
        : `linear warmup over ${warmupIters} iterations from ${exact(start)} to ${
          exact(peak)
        }${early}`,
    );
  } else sentence.push(`starts at ${exact(start)}`);
  // The main schedule.
  if (name === "WarmupMultiStepLR") {
    const steps = (s.STEPS as number[]).filter((x) => x <= maxIter);
    const slack = Math.ceil(1e-6 * maxIter) + 2;
    const shown = (k: number) => {
      const c = changes[k]!;
      // The milestone nearest to the change (STEPS is increasing), if it is near enough: with
      // dense milestones the one at c itself, not a neighbour within the slack.
      const nominal = nearest(steps, c, slack);
      if (nominal === undefined || nominal === c) return String(c);
      return Number.isInteger(nominal)
        ? `${c} (STEPS says ${nominal}: detectron2's WHERE_EPSILON)`
        : `${c} (STEPS says ${nominal}: the first iteration at or past it)`;
    };
    if (changes.length > 0) {
      sentence.push(`×${exact(s.GAMMA)} at ${listBy(changes.length, shown, full)}`);
    } else sentence.push("then constant");
    const written = s.STEPS as number[];
    details.push(
      `WarmupMultiStepLR · BASE_LR ${exact(baseLr)} · GAMMA ${exact(s.GAMMA)} · STEPS (${
        shortenBy(written.length, (k) => String(written[k]), full).join(", ")
      }) · MAX_ITER ${maxIter}`,
    );
  } else if (name === "WarmupCosineLR") {
    sentence.push(`cosine decay to ${exact(lrAt(maxIter))}`);
    details.push(
      `WarmupCosineLR · BASE_LR ${exact(baseLr)} · BASE_LR_END ${
        exact(s.BASE_LR_END)
      } · MAX_ITER ${maxIter}`,
    );
  } else if (name === "WarmupStepWithFixedGammaLR") {
    sentence.push(
      `×${exact(s.GAMMA)} at ${list(changes.map(String), full)} (${s.NUM_DECAYS} decays)`,
    );
    details.push(
      `WarmupStepWithFixedGammaLR · BASE_LR ${exact(baseLr)} · GAMMA ${
        exact(s.GAMMA)
      } · NUM_DECAYS ${s.NUM_DECAYS} · MAX_ITER ${maxIter}`,
      `detectron2 raises at the last step of training (iteration ${maxIter} has no learning rate)`,
    );
  } else if (name === "WarmupPolyLR") {
    const ending = s.POLY_LR_CONSTANT_ENDING;
    sentence.push(
      `polynomial decay (power ${exact(s.POLY_LR_POWER)}) to ${exact(lrAt(maxIter))}` +
        (ending > 0 ? `, floored at ${exact(baseLr * ending)}` : ""),
    );
    details.push(
      `WarmupPolyLR (DeepLab) · BASE_LR ${exact(baseLr)} · POLY_LR_POWER ${
        exact(s.POLY_LR_POWER)
      } · ` +
        `POLY_LR_CONSTANT_ENDING ${exact(ending)} · MAX_ITER ${maxIter}`,
    );
  }
  sentence.push(`ends at ${maxIter}`);
  lines.push(sentence.join(", "));
  details.push(
    `warmup: ${s.WARMUP_METHOD}, WARMUP_FACTOR ${
      exact(s.WARMUP_FACTOR)
    }, WARMUP_ITERS ${s.WARMUP_ITERS}` +
      (s.RESCALE_INTERVAL ? ", RESCALE_INTERVAL (the main schedule restarts after warmup)" : ""),
  );
  if (changes.length > 0) {
    details.push(
      `learning rate: ${exact(start)}${hasWarmup ? ` → ${exact(peak)} (${warmupIters})` : ""}${
        shortenBy(changes.length, (k) => `${exact(lrAt(changes[k]!))} (${changes[k]})`, full)
          .map((c) => ` → ${c}`).join("")
      }`,
    );
  }
  const groups = paramGroupLrs(cfg);
  if (groups.length > 1) {
    details.push(
      `bias parameters: ×${exact(s.BIAS_LR_FACTOR)} (BIAS_LR_FACTOR): ${
        exact(groups[1]!.lr)
      } at the peak`,
    );
  }
  if (s.IMS_PER_BATCH !== undefined) {
    const ref = s.REFERENCE_WORLD_SIZE ?? 0;
    details.push(
      `${s.IMS_PER_BATCH} images per iteration (IMS_PER_BATCH); REFERENCE_WORLD_SIZE ${ref}` +
        (ref === 0 ? ": --num-workers does not rescale it" : `: written for ${ref} workers`),
    );
  }
  for (const w of new Set(warnings)) details.push(`detectron2 warns: ${w}`);
  return [...lines, ...details.map((d) => `  ${d}`)].join("\n");
}
