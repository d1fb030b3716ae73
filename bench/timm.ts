/**
 * Section `timm` — against timm itself: runs `bench/timm_bench.py` (timm's schedulers'
 * `step(epoch)`, `step_update(n)`, the plateau scheduler, noise, torch's generator) on this
 * machine, measures the same calls here in the same run, and reports the speed-ups.
 *
 * The Python side needs python3 with torch and timm (installed, or its source on PYTHONPATH,
 * `$LRSPEC_TIMM_PYTHONPATH`, or `/tmp/timm`); without them the section says so and is skipped.
 *
 * @module
 */

import { existsSync } from "node:fs";
import process from "node:process";
import {
  CosineLRScheduler,
  MultiStepLRScheduler,
  type Optimizer,
  PlateauLRScheduler,
  PolyLRScheduler,
  type Scheduler,
  StepLRScheduler,
  TanhLRScheduler,
  TorchGenerator,
} from "../mod.ts";
import { type BenchSpec, type Context, measureGroup, selected } from "./_harness.ts";
import { stepCall } from "./_bodies.ts";
import { baselines } from "./percall.ts";
import { type PythonReport, pythonSetup, runPythonBench, speedups } from "./_python.ts";

/** Where the timm source checkout is unpacked for the fixtures (`fixtures/README.md`). */
const DEFAULT_TIMM = "/tmp/timm";

/** Runs the Python benchmark; never throws (a failure becomes `skipped`). */
export function runTimmPython(long: boolean): PythonReport {
  const { python } = pythonSetup();
  const env = process.env;
  const path = env.LRSPEC_TIMM_PYTHONPATH ?? env.PYTHONPATH ??
    (existsSync(`${DEFAULT_TIMM}/timm/scheduler`) ? DEFAULT_TIMM : undefined);
  return runPythonBench(python, "timm_bench.py", long, path);
}

function groups(n: number): Optimizer {
  return { paramGroups: Array.from({ length: n }, () => ({ lr: 0.1, momentum: 0.9 })) };
}

/**
 * `s.step(t)` (or `s.stepUpdate(t)`, or `s.step(t, metric)`) with `t` spread over the schedule
 * exactly as the Python side spreads it (`t · 7919 mod period`).
 */
function timmStep(
  s: Scheduler,
  period: number,
  call: "step" | "stepUpdate" | "plateau" = "step",
): BenchSpec["body"] {
  const ts = new Float64Array(4096).map((_, i) => (i * 7919) % period);
  const source = call === "plateau"
    ? "s.step(extra.ts[extra.i], 0.5 + (extra.ts[extra.i] % 7) * 0.01); extra.i = (extra.i + 1) & 4095"
    : `s.${call}(extra.ts[extra.i]); extra.i = (extra.i + 1) & 4095`;
  return stepCall({
    scheduler: s,
    period: 1 << 30,
    rewind() {},
    stepSource: source,
    extra: { ts, i: 0 },
  });
}

/** torch's generator as timm's noise uses it: a fresh one, seeded, one normal. */
function generatorCall(): BenchSpec["body"] {
  return stepCall({
    scheduler: null,
    period: 1 << 30,
    rewind() {},
    stepSource:
      "extra.out = new extra.TorchGenerator().manualSeed(42 + (extra.i++ & 4095)).randn()",
    extra: { TorchGenerator, i: 0, out: 0 },
  });
}

const COSINE = { tInitial: 300, warmupT: 5, warmupLrInit: 1e-5 };

/** The pairs: Python key, lrspec benchmark. */
const PAIRS: [string, string, () => BenchSpec["body"]][] = [
  [
    "cosine_step_1",
    "CosineLRScheduler.step(epoch), 1 group",
    () => timmStep(new CosineLRScheduler({ optimizer: groups(1), ...COSINE }), 310),
  ],
  [
    "cosine_step_4",
    "CosineLRScheduler.step(epoch), 4 groups",
    () => timmStep(new CosineLRScheduler({ optimizer: groups(4), ...COSINE }), 310),
  ],
  [
    "cosine_step_update_1",
    "CosineLRScheduler.stepUpdate(n), per update, 1 group",
    () =>
      timmStep(
        new CosineLRScheduler({
          optimizer: groups(1),
          tInitial: 1_500_000,
          warmupT: 25_000,
          tInEpochs: false,
        }),
        1_500_000,
        "stepUpdate",
      ),
  ],
  [
    "tanh_step_1",
    "TanhLRScheduler.step(epoch), 1 group",
    () => timmStep(new TanhLRScheduler({ optimizer: groups(1), tInitial: 300 }), 300),
  ],
  [
    "poly_step_1",
    "PolyLRScheduler.step(epoch), 1 group",
    () => timmStep(new PolyLRScheduler({ optimizer: groups(1), tInitial: 300, power: 2 }), 300),
  ],
  [
    "step_step_1",
    "StepLRScheduler.step(epoch), 1 group",
    () => timmStep(new StepLRScheduler({ optimizer: groups(1), decayT: 30, decayRate: 0.1 }), 300),
  ],
  [
    "multistep_step_1",
    "MultiStepLRScheduler.step(epoch), 1 group",
    () =>
      timmStep(
        new MultiStepLRScheduler({ optimizer: groups(1), decayT: [90, 180, 270], decayRate: 0.1 }),
        300,
      ),
  ],
  [
    "plateau_step_1",
    "PlateauLRScheduler.step(epoch, metric), 1 group",
    () => timmStep(new PlateauLRScheduler({ optimizer: groups(1), patienceT: 5 }), 300, "plateau"),
  ],
  [
    "cosine_noise_step_1",
    "CosineLRScheduler.step(epoch) with noise, 1 group",
    () => timmStep(new CosineLRScheduler({ optimizer: groups(1), noiseRangeT: 0, ...COSINE }), 310),
  ],
  [
    "torch_generator_randn",
    "new TorchGenerator().manualSeed(s).randn()",
    generatorCall,
  ],
];

/** The lrspec side of the section: one benchmark per Python measurement. */
export function timmBenches(): BenchSpec[] {
  return PAIRS.map(([, name, body]) => ({ name, body: body() }));
}

/** Runs the timm section. */
export async function runTimm(ctx: Context): Promise<void> {
  if (!selected(ctx, "timm python step() stepUpdate noise TorchGenerator")) return;
  ctx.log("▸ timm's schedulers on this machine …");
  const py = runTimmPython(ctx.long);
  if (py.skipped !== undefined) ctx.log(`  · Python side skipped: ${py.skipped}`);
  else ctx.log(`  python ${py.python}, torch ${py.torch}, timm ${py.timm}`);
  const g = await measureGroup(ctx, {
    section: "timm",
    title: "timm schedulers, as timm's train.py calls them",
    unit: "per call",
    benches: [...baselines(), ...timmBenches()],
  });
  let ratios: Record<string, unknown> = {};
  if (py.skipped === undefined) {
    ctx.log("• speed-up over timm (Python median ÷ lrspec mean, same machine, same run)");
    ratios = speedups(ctx, g, py, PAIRS, 80);
  }
  ctx.sections.timm = {
    python: py.skipped === undefined ? { ...py, results: undefined } : { skipped: py.skipped },
    speedups: ratios,
  };
}
