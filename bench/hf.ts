/**
 * Section `hf` — Hugging Face transformers' schedules against transformers itself: runs
 * `bench/hf_bench.py` (what `get_scheduler` returns, stepped, on this machine's torch), measures
 * the same schedules here through `getScheduler` in the same run, and reports the speed-ups.
 *
 * The Python side needs python3 with torch and transformers, or transformers' `optimization.py`
 * named by `LRSPEC_HF_OPTIMIZATION` (see `bench/hf_bench.py`); without them the section says so
 * and is skipped.
 *
 * @module
 */

import process from "node:process";
import { getScheduler, GreedyLR, type LambdaLR, type Optimizer } from "../mod.ts";
import { type Context, type GroupSpec, measureGroup, selected } from "./_harness.ts";
import { stepCall, type Stepper } from "./_bodies.ts";
import { baselines, stepper } from "./percall.ts";
import { type PythonReport, runPythonBench, speedups } from "./_python.ts";

const N = 90_000;
const W = 2_700;

function adamw(groups: number): Optimizer {
  return {
    paramGroups: Array.from({ length: groups }, (_, i) => ({ lr: 2e-5 * (i + 1) })),
    defaults: { lr: 2e-5 },
  };
}

function lambda(name: string, groups: number, kwargs: Record<string, unknown> = {}): Stepper {
  const s = getScheduler({
    name: name as "linear",
    optimizer: adamw(groups),
    numWarmupSteps: W,
    numTrainingSteps: N,
    schedulerSpecificKwargs: kwargs,
  }) as LambdaLR;
  return stepper(s, N - 1);
}

/** `GreedyLR.step(metric)` on the metrics the Python side uses, rewound by a fresh copy. */
function greedy(): Stepper {
  const metrics = Array.from(
    { length: 10_000 },
    (_, i) => 1.0 - 1e-4 * (i % 1000) + (i % 7 === 0 ? 0.01 : 0.0),
  );
  const optimizer = adamw(1);
  const s = new GreedyLR({ optimizer });
  const state = s.stateDict();
  return {
    scheduler: s,
    period: metrics.length,
    rewind() {
      s.loadStateDict(state);
    },
    stepSource: "s.step(extra[k])",
    extra: metrics,
  };
}

/** The lrspec benchmark names, by the Python side's keys. */
const PAIRS: [string, string, () => Stepper][] = [
  ["linear_1group", "getScheduler('linear').step(), 1 group", () => lambda("linear", 1)],
  ["linear_4groups", "getScheduler('linear').step(), 4 groups", () => lambda("linear", 4)],
  ["cosine_1group", "getScheduler('cosine').step(), 1 group", () => lambda("cosine", 1)],
  [
    "cosine_with_min_lr_1group",
    "getScheduler('cosine_with_min_lr', minLrRate 0.1).step()",
    () => lambda("cosine_with_min_lr", 1, { minLrRate: 0.1 }),
  ],
  [
    "polynomial_1group",
    "getScheduler('polynomial', power 2).step()",
    () => lambda("polynomial", 1, { power: 2.0 }),
  ],
  ["inverse_sqrt_1group", "getScheduler('inverse_sqrt').step()", () => lambda("inverse_sqrt", 1)],
  [
    "wsd_1group",
    "getScheduler('warmup_stable_decay', 1-sqrt decay).step()",
    () => lambda("warmup_stable_decay", 1, { numDecaySteps: 9_000, decayType: "1-sqrt" }),
  ],
  ["greedy_1group", "getScheduler('greedy').step(metric)", greedy],
];

/** Runs `bench/hf_bench.py` (no extra PYTHONPATH); never throws (a failure becomes `skipped`). */
export function runHfPython(long: boolean): PythonReport {
  return runPythonBench(process.env.LRSPEC_PYTHON ?? "/usr/bin/python3", "hf_bench.py", long);
}

/** The group measured here: the baselines and every schedule's `step()`. */
export function hfGroup(): GroupSpec {
  return {
    section: "hf",
    title: "Hugging Face schedules .step() (90k steps, 2.7k warmup)",
    unit: "per step",
    benches: [
      ...baselines(),
      ...PAIRS.map(([, name, make]) => ({ name, body: stepCall(make()) })),
    ],
  };
}

/** Runs the hf section: lrspec's steps, then transformers' in Python, and the ratios. */
export async function runHf(ctx: Context): Promise<void> {
  if (!selected(ctx, "hf transformers getScheduler step() GreedyLR")) return;
  const g = await measureGroup(ctx, hfGroup());
  ctx.log("▸ transformers' own schedules in Python on this machine …");
  const py = runHfPython(ctx.long);
  if (py.skipped !== undefined) {
    ctx.log(`  · skipped: ${py.skipped}`);
    ctx.sections.hf = { skipped: py.skipped };
    return;
  }
  ctx.log(`  python ${py.python}, torch ${py.torch}, ${py.transformers}`);
  ctx.log("• speed-up over transformers (Python median ÷ lrspec mean, same machine, same run)");
  const ratios = speedups(ctx, g, py, PAIRS, 82);
  ctx.sections.hf = { python: { ...py, results: undefined }, speedups: ratios };
}
