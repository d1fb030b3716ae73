/**
 * Section 2 — against upstream itself: runs `bench/detectron2_bench.py` (detectron2's
 * `build_lr_scheduler(...).step()`, fvcore's `__call__`, torch's `StepLR.step()`) on this machine,
 * measures the same operations here in the same run, and reports the speed-up ratios.
 *
 * The Python side needs python3 with torch and the upstream sources on `PYTHONPATH`; without
 * them the section says so and is skipped.
 *
 * @module
 */

import * as lrspec from "../mod.ts";
import { buildLrScheduler, CosineParamScheduler, type LRScheduler } from "../mod.ts";
import { addTarget, type Context, measureGroup, selected } from "./_harness.ts";
import { atCall, stepCall } from "./_bodies.ts";
import { baselines, cfg1x, multistep1x, optimizerWith, stepper, warmup1x } from "./percall.ts";
import { pythonSetup, runPythonBench, speedups } from "./_python.ts";

/** Runs section 2. */
export async function runDetectron2(ctx: Context): Promise<void> {
  if (!selected(ctx, "python detectron2 fvcore torch upstream step() at(where)")) return;
  ctx.log("▸ upstream Python (detectron2, fvcore, torch) on this machine …");
  const { python, pythonPath } = pythonSetup();
  const py = runPythonBench(python, "detectron2_bench.py", ctx.long, pythonPath);
  if (py.skipped !== undefined) {
    ctx.log(`  · skipped: ${py.skipped}`);
    ctx.sections.detectron2 = { skipped: py.skipped };
    addTarget(ctx, {
      id: "T2-detectron2-step",
      description: "speed-up over detectron2's build_lr_scheduler(...).step(), 4 groups",
      measured: null,
      bound: 300,
      op: ">=",
      note: `Python side skipped: ${py.skipped}`,
    });
    return;
  }
  ctx.log(`  python ${py.python}, torch ${py.torch}, detectron2 ${py.detectron2}`);
  const lib = lrspec as unknown as Record<string, unknown>;
  const StepLR = lib.StepLR as (new (o: unknown) => LRScheduler) | undefined;
  let stepLR: LRScheduler | undefined;
  try {
    stepLR = StepLR && new StepLR({ optimizer: optimizerWith(1), stepSize: 30000, gamma: 0.1 });
  } catch {
    stepLR = undefined;
  }
  const g = await measureGroup(ctx, {
    section: "detectron2",
    title: "the operations timed in Python, here",
    unit: "per call",
    benches: [
      ...baselines(),
      {
        name: "buildLrScheduler(1x multistep, 4 groups).step()",
        body: stepCall(
          stepper(buildLrScheduler(cfg1x("WarmupMultiStepLR"), optimizerWith(4)), 90_000),
        ),
      },
      {
        name: "buildLrScheduler(1x multistep, 1 group).step()",
        body: stepCall(
          stepper(buildLrScheduler(cfg1x("WarmupMultiStepLR"), optimizerWith(1)), 90_000),
        ),
      },
      {
        name: "buildLrScheduler(cosine, 4 groups).step()",
        body: stepCall(
          stepper(buildLrScheduler(cfg1x("WarmupCosineLR"), optimizerWith(4)), 90_000),
        ),
      },
      { name: "MultiStepParamScheduler(1x).at(where)", body: atCall(multistep1x()) },
      {
        name: "CosineParamScheduler(1, 0).at(where)",
        body: atCall(new CosineParamScheduler({ startValue: 1, endValue: 0 })),
      },
      { name: "WarmupParamScheduler(1x).at(where)", body: atCall(warmup1x()) },
      ...(stepLR
        ? [{ name: "StepLR.step(), 1 group", body: stepCall(stepper(stepLR, 89_999)) }]
        : []),
    ],
  });
  const pairs: [string, string][] = [
    ["detectron2_step_multistep_4groups", "buildLrScheduler(1x multistep, 4 groups).step()"],
    ["detectron2_step_multistep_1group", "buildLrScheduler(1x multistep, 1 group).step()"],
    ["detectron2_step_cosine_4groups", "buildLrScheduler(cosine, 4 groups).step()"],
    ["fvcore_call_multistep", "MultiStepParamScheduler(1x).at(where)"],
    ["fvcore_call_cosine", "CosineParamScheduler(1, 0).at(where)"],
    ["fvcore_call_warmup_multistep", "WarmupParamScheduler(1x).at(where)"],
    ["torch_steplr_step", "StepLR.step(), 1 group"],
  ];
  ctx.log("• speed-up over upstream Python (Python median ÷ lrspec mean, same machine, same run)");
  const ratios = speedups(ctx, g, py, pairs, 72);

  ctx.sections.detectron2 = { python: { ...py, results: undefined }, speedups: ratios };
  const main = ratios.detectron2_step_multistep_4groups as { speedup?: number } | undefined;
  addTarget(ctx, {
    id: "T2-detectron2-step",
    description: "speed-up over detectron2's build_lr_scheduler(1x, 4 groups).step()",
    measured: main?.speedup ?? null,
    bound: 300,
    op: ">=",
  });
}
