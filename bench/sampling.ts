/**
 * Section 3 — close to the limit: sampling a whole 90k-iteration curve with `sample()` /
 * `sampleLr()`, and stepping it with `ScheduleCursor`, against the memory-bound fill and the
 * `Math.cos` calls a cosine curve needs.
 *
 * @module
 */

import {
  buildLrScheduler,
  CosineParamScheduler,
  type ParamSchedulerLike,
  sample,
  sampleLr,
  ScheduleCursor,
  WarmupParamScheduler,
} from "../mod.ts";
import { addTarget, type Context, type GroupSpec, measureGroup, rowOf } from "./_harness.ts";
import { call, loop } from "./_bodies.ts";
import { libm } from "../schedules/math.ts";
import { baselines, cfg1x, multistep1x, optimizerWith, warmup1x } from "./percall.ts";

const N = 90_000;

function sampler() {
  return (x: ParamSchedulerLike, buf: Float64Array) => sample(x, { numUpdates: N, out: buf });
}

/** Steps a fresh cursor through all N iterations, storing each value. */
function cursorNext() {
  return (x: ParamSchedulerLike, buf: Float64Array) => {
    const c = new ScheduleCursor(x, { numUpdates: N });
    for (let i = 0; i < N; i++) buf[i] = c.next();
    return buf;
  };
}

/** Steps through all N iterations run by run (`runAt`), storing each value. */
function cursorRuns() {
  return (x: ParamSchedulerLike, buf: Float64Array) => {
    const c = new ScheduleCursor(x, { numUpdates: N });
    for (let i = 0; i < N;) {
      const run = c.runAt(i);
      const end = Math.min(run.end, N);
      if (run.constant) {
        const v = run.value;
        for (; i < end; i++) buf[i] = v;
      } else {
        for (; i < end; i++) buf[i] = c.valueAt(i);
      }
    }
    return buf;
  };
}

/** The naive loop: `at(i / N)` for every iteration (compiled per use: its own type feedback). */
function perStepAt(): (x: ParamSchedulerLike, buf: Float64Array) => Float64Array {
  return new Function(
    "N",
    `return (x, buf) => { for (let i = 0; i < N; i++) buf[i] = x.at(i / N); return buf; };`,
  )(N);
}

/** The two groups of section 3: sampling, then stepping. */
export function samplingGroups(): GroupSpec[] {
  const section = "sampling";
  const ms = multistep1x();
  const cosine = new CosineParamScheduler({ startValue: 1, endValue: 0 });
  const warmCos = new WarmupParamScheduler({
    scheduler: new CosineParamScheduler({ startValue: 1, endValue: 0 }),
    warmupFactor: 0.001,
    warmupLength: 1000 / N,
  });
  const d2 = buildLrScheduler(cfg1x("WarmupMultiStepLR"), optimizerWith(1));
  const loops = [
    ...baselines(),
    {
      name: "Float64Array.fill (90k)",
      baseline: "fill",
      perValue: N,
      body: loop(N, "x", 0.5, "buf.fill(x); return;"),
    },
    {
      name: "Math.cos(π·i/n) loop (90k)",
      baseline: "cosLoop",
      perValue: N,
      body: loop(N, "Math.cos(Math.PI * (i / n))", 0),
    },
    {
      // The cos the schedules call: lrspec's exact glibc cos by default (setLibm).
      name: "libm.cos(π·i/n) loop (90k)",
      perValue: N,
      body: loop(N, "x(Math.PI * (i / n))", libm.cos),
    },
  ];
  const samples: GroupSpec = {
    section,
    title: "sampling a 90k-iteration curve into a Float64Array",
    unit: "per value",
    benches: [
      ...loops,
      { name: "sample(multistep 1x)", perValue: N, body: call(sampler(), ms, N) },
      {
        name: "sample(warmup + multistep, detectron2 1x)",
        perValue: N,
        body: call(sampler(), warmup1x(), N),
      },
      {
        name: "sampleLr(buildLrScheduler 1x)",
        perValue: N,
        body: call((s: typeof d2, b: Float64Array) => sampleLr(s, { out: b }), d2, N),
      },
      { name: "sample(cosine)", perValue: N, body: call(sampler(), cosine, N) },
      { name: "sample(warmup + cosine)", perValue: N, body: call(sampler(), warmCos, N) },
      { name: "at(i / n) loop, multistep 1x", perValue: N, body: call(perStepAt(), ms, N) },
      { name: "at(i / n) loop, cosine", perValue: N, body: call(perStepAt(), cosine, N) },
    ],
  };
  const steps: GroupSpec = {
    section,
    title: "stepping a 90k-iteration schedule",
    unit: "per step",
    benches: [
      ...loops.filter((b) => b.baseline !== "fill"),
      { name: "ScheduleCursor.next(), multistep 1x", perValue: N, body: call(cursorNext(), ms, N) },
      {
        name: "ScheduleCursor runs (runAt), multistep 1x",
        perValue: N,
        body: call(cursorRuns(), ms, N),
      },
      {
        name: "ScheduleCursor.next(), warmup + multistep",
        perValue: N,
        body: call(cursorNext(), warmup1x(), N),
      },
      { name: "ScheduleCursor.next(), cosine", perValue: N, body: call(cursorNext(), cosine, N) },
      { name: "at(i / n) loop, multistep 1x", perValue: N, body: call(perStepAt(), ms, N) },
    ],
  };
  return [samples, steps];
}

/** Runs section 3. */
export async function runSampling(ctx: Context): Promise<void> {
  const [samplesSpec, stepsSpec] = samplingGroups();
  const samples = await measureGroup(ctx, samplesSpec!);
  const steps = await measureGroup(ctx, stepsSpec!);
  const value = (g: typeof samples, name: string) => rowOf(g, name)?.avgNs;
  const ms1x = value(samples, "sample(multistep 1x)");
  if (ms1x !== undefined) {
    addTarget(ctx, {
      id: "T3-sample-multistep",
      description: "sample() of a 90k-step multistep curve, values per second",
      measured: 1e9 / ms1x,
      bound: 5e9,
      op: ">=",
      note: `Float64Array.fill alone: ${
        (1e9 / value(samples, "Float64Array.fill (90k)")!).toExponential(2)
      }/s`,
    });
  }
  const cosSample = value(samples, "sample(cosine)");
  // Since the exact libm became the default, the cos calls a cosine curve needs are libm.cos's.
  const cosLoop = value(samples, "libm.cos(π·i/n) loop (90k)");
  if (cosSample !== undefined && cosLoop !== undefined) {
    addTarget(ctx, {
      id: "T3-sample-cosine",
      description: "sample() of a 90k-step cosine curve ÷ the 90k libm.cos calls it needs",
      measured: cosSample / cosLoop,
      bound: 1.2,
      op: "<=",
    });
  }
  const next = rowOf(steps, "ScheduleCursor.next(), multistep 1x");
  const runs = rowOf(steps, "ScheduleCursor runs (runAt), multistep 1x");
  const cosPerCall = steps?.baselines.cosLoop;
  if (next !== undefined && cosPerCall !== undefined) {
    addTarget(ctx, {
      id: "T3-step-multistep",
      description: "per-step cost of ScheduleCursor.next() on multistep ÷ one Math.cos call",
      measured: next.avgNs / cosPerCall,
      bound: 0.2,
      op: "<=",
      note:
        `Math.cos call ${cosPerCall.toFixed(2)} ns (in a loop), next() ${
          next.avgNs.toFixed(2)
        } ns` +
        (runs ? `; stepping run by run (runAt): ${(runs.avgNs / cosPerCall).toFixed(3)}×` : ""),
    });
  }
  if (runs !== undefined && cosPerCall !== undefined) {
    addTarget(ctx, {
      id: "T3-step-multistep-runs",
      description: "per-step cost of stepping multistep run by run (runAt) ÷ one Math.cos call",
      measured: runs.avgNs / cosPerCall,
      bound: 0.2,
      op: "<=",
    });
  }
}
