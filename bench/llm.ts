/**
 * Section `llm` — against Megatron-LM and DeepSpeed themselves: runs `bench/llm_bench.py`
 * (Megatron-core's `OptimizerParamScheduler.step(increment)`, DeepSpeed's `WarmupLR`,
 * `WarmupDecayLR`, `WarmupCosineLR`, `OneCycle` `.step()`, from source) on this machine, measures
 * the same calls here in the same run, and reports the speed-up per step.
 *
 * The Python side needs a python3 with torch (`$LRSPEC_PYTHON`, else /work/venv's, else the
 * detectron2 section's interpreter) and the two sources: `$LRSPEC_MEGATRON` (default
 * `/tmp/megatron`) and `$LRSPEC_DEEPSPEED` (default `/tmp/deepspeed`), e.g. `git --git-dir=<mirror>
 * archive HEAD megatron | tar -x -C /tmp/megatron`; without them the section says so and is
 * skipped.
 *
 * @module
 */

import { existsSync } from "node:fs";
import process from "node:process";
import { OptimizerParamScheduler } from "../schedules/megatron/mod.ts";
import {
  OneCycle,
  type Optimizer,
  WarmupCosineLR,
  WarmupDecayLR,
  WarmupLR,
} from "../schedules/deepspeed/mod.ts";
import { type BenchSpec, type Context, measureGroup, selected } from "./_harness.ts";
import { stepCall } from "./_bodies.ts";
import { baselines } from "./percall.ts";
import { type PythonReport, pythonSetup, runPythonBench, speedups } from "./_python.ts";

/** The calls per rewind, as the Python side runs them. */
const CALLS = 10_000;

/** Runs the Python benchmark; never throws (a failure becomes `skipped`). */
export function runLlmPython(long: boolean): PythonReport {
  const python = process.env.LRSPEC_PYTHON ??
    (existsSync("/work/venv/bin/python") ? "/work/venv/bin/python" : pythonSetup().python);
  return runPythonBench(python, "llm_bench.py", long);
}

function adam(...groups: Record<string, number>[]): Optimizer {
  return {
    paramGroups: groups.map((g) => ({ lr: 0, betas: [0.9, 0.999], ...g })),
    defaults: { lr: 1e-3, betas: [0.9, 0.999] },
  };
}

/** `s.step(512)`, rewound to step 0 every `CALLS` calls, as the Python side does. */
function megatronStep(s: OptimizerParamScheduler): BenchSpec["body"] {
  return stepCall({
    scheduler: s,
    period: CALLS,
    rewind() {
      s.numSteps = 0;
    },
    stepSource: "s.step(512)",
  });
}

/** `s.step()`, rewound to batch −1 every `CALLS` calls. */
function deepspeedStep(s: { step(): void; lastBatchIteration: number }): BenchSpec["body"] {
  return stepCall({
    scheduler: s,
    period: CALLS,
    rewind() {
      s.lastBatchIteration = -1;
    },
  });
}

const BASE = {
  initLr: 0,
  maxLr: 3e-4,
  minLr: 3e-5,
  lrWarmupSteps: 512 * 500,
  lrDecaySteps: 512 * CALLS,
  startWd: 0.1,
  endWd: 0.1,
  wdIncrSteps: 512 * CALLS,
  wdIncrStyle: "constant",
} as const;

/** The pairs: Python key, lrspec benchmark. */
const PAIRS: [string, string, () => BenchSpec["body"]][] = [
  [
    "megatron_cosine_1",
    "OptimizerParamScheduler(cosine).step(512), 1 group",
    () =>
      megatronStep(
        new OptimizerParamScheduler({ optimizer: adam({}), lrDecayStyle: "cosine", ...BASE }),
      ),
  ],
  [
    "megatron_wsd_3",
    "OptimizerParamScheduler(WSD linear).step(512), Megatron's 3 groups",
    () =>
      megatronStep(
        new OptimizerParamScheduler({
          optimizer: adam(
            { maxLr: 3e-4, minLr: 3e-5, wdMult: 1 },
            { maxLr: 1e-4, minLr: 1e-6, wdMult: 1 },
            { maxLr: 3e-4, minLr: 3e-5, wdMult: 0 },
          ),
          lrDecayStyle: "WSD",
          wsdDecaySteps: (512 * CALLS) / 5,
          lrWsdDecayStyle: "linear",
          ...BASE,
        }),
      ),
  ],
  [
    "ds_warmuplr_1",
    "WarmupLR(log warmup).step(), 1 group",
    () => deepspeedStep(new WarmupLR({ optimizer: adam({ lr: 1e-3 }), warmupNumSteps: CALLS / 2 })),
  ],
  [
    "ds_warmupdecaylr_1",
    "WarmupDecayLR.step(), 1 group",
    () =>
      deepspeedStep(
        new WarmupDecayLR({
          optimizer: adam({ lr: 1e-3 }),
          totalNumSteps: CALLS,
          warmupNumSteps: CALLS / 10,
        }),
      ),
  ],
  [
    "ds_warmupcosinelr_1",
    "WarmupCosineLR.step(), 1 group",
    () =>
      deepspeedStep(
        new WarmupCosineLR({
          optimizer: adam({ lr: 1e-3 }),
          totalNumSteps: CALLS,
          warmupNumSteps: CALLS / 10,
        }),
      ),
  ],
  [
    "ds_onecycle_1",
    "OneCycle.step() (rate and betas), 1 group",
    () =>
      deepspeedStep(
        new OneCycle({
          optimizer: adam({ lr: 1e-3 }),
          cycleMinLr: 1e-4,
          cycleMaxLr: 1e-3,
          cycleFirstStepSize: CALLS / 2,
        }),
      ),
  ],
];

/** The lrspec side of the section: one benchmark per Python measurement. */
export function llmBenches(): BenchSpec[] {
  return PAIRS.map(([, name, body]) => ({ name, body: body() }));
}

/** Runs the llm section (Megatron-core and DeepSpeed). */
export async function runLlm(ctx: Context): Promise<void> {
  if (!selected(ctx, "llm megatron deepspeed python step()")) return;
  ctx.log("▸ Megatron-core's and DeepSpeed's schedulers on this machine …");
  const py = runLlmPython(ctx.long);
  if (py.skipped !== undefined) ctx.log(`  · Python side skipped: ${py.skipped}`);
  else ctx.log(`  python ${py.python}, torch ${py.torch}, Megatron-LM d98e8a6, DeepSpeed edaa722`);
  const g = await measureGroup(ctx, {
    section: "llm",
    title: "Megatron-core and DeepSpeed schedulers, one step as the training loops call it",
    unit: "per call",
    benches: [...baselines(), ...llmBenches()],
  });
  let ratios: Record<string, unknown> = {};
  if (py.skipped === undefined) {
    ctx.log("• speed-up over Megatron-LM / DeepSpeed (Python median ÷ lrspec mean, same run)");
    ratios = speedups(ctx, g, py, PAIRS, 70);
  }
  ctx.sections.llm = {
    python: py.skipped === undefined ? { ...py, results: undefined } : { skipped: py.skipped },
    speedups: ratios,
  };
}
