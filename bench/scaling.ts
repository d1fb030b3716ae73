/**
 * Section 4 — scaling curves with mitata's `.range()`: `MultiStepParamScheduler.at()` with 10 …
 * 10^6 milestones (expected O(log n)), `CompositeParamScheduler.at()` with 1 … 1,000 segments
 * (O(log n): binary search over segment ends) and `LRMultiplier.step()` with 1 … 10,000 param
 * groups (O(n)). The growth exponent is fitted on a log-log scale.
 *
 * @module
 */

import { do_not_optimize } from "mitata";
import {
  CompositeParamScheduler,
  LinearParamScheduler,
  LRMultiplier,
  MultiStepParamScheduler,
} from "../mod.ts";
import {
  addTarget,
  type BenchBody,
  type Context,
  cycler,
  fitGrowth,
  type GroupSpec,
  measureGroup,
  randoms,
} from "./_harness.ts";
import { baselines, multistep1x, optimizerWith } from "./percall.ts";

const WHERES = randoms(4096, 0, 1);

/** A multistep schedule with `n` milestones over `10 n` updates. */
function multistepWith(n: number): MultiStepParamScheduler {
  return new MultiStepParamScheduler({
    values: Array.from({ length: n + 1 }, (_, k) => 0.999 ** k),
    milestones: Array.from({ length: n }, (_, k) => 10 * (k + 1)),
    numUpdates: 10 * n + 10,
  });
}

/** A composite of `n` rescaled linear segments of equal length. */
function compositeWith(n: number): CompositeParamScheduler {
  return new CompositeParamScheduler({
    schedulers: Array.from(
      { length: n },
      (_, k) => new LinearParamScheduler({ startValue: k, endValue: k + 1 }),
    ),
    lengths: Array.from({ length: n }, () => 1 / n),
    intervalScaling: Array.from({ length: n }, () => "rescaled" as const),
  });
}

const multistepBody: BenchBody = function* (state) {
  const s = multistepWith(state.get("milestones") as number);
  const next = cycler(WHERES);
  yield {
    [0]() {
      return s;
    },
    [1]: next,
    bench(sch: MultiStepParamScheduler, where: number) {
      return do_not_optimize(sch.at(where));
    },
  };
};

const compositeBody: BenchBody = function* (state) {
  const s = compositeWith(state.get("segments") as number);
  const next = cycler(WHERES);
  yield {
    [0]() {
      return s;
    },
    [1]: next,
    bench(sch: CompositeParamScheduler, where: number) {
      return do_not_optimize(sch.at(where));
    },
  };
};

const groupsBody: BenchBody = function* (state) {
  const groups = state.get("groups") as number;
  const s = new LRMultiplier({
    optimizer: optimizerWith(groups),
    multiplier: multistep1x(),
    maxIter: 90_000,
  });
  let k = 0;
  yield {
    [0]() {
      return s;
    },
    bench(sch: LRMultiplier) {
      sch.step();
      if (++k === 90_000) {
        k = 0;
        sch.lastEpoch = 0;
      }
    },
  };
};

/** The three scans of section 4. */
export const SCANS = [
  {
    title: "MultiStepParamScheduler.at() vs number of milestones",
    name: "MultiStep.at(), $milestones milestones",
    arg: "milestones",
    start: 10,
    end: 1_000_000,
    body: multistepBody,
    expect: "O(log n)",
    id: "T4-multistep",
    bound: 0.25,
  },
  {
    title: "CompositeParamScheduler.at() vs number of segments",
    name: "Composite.at(), $segments segments",
    arg: "segments",
    start: 1,
    end: 1000,
    body: compositeBody,
    expect: "O(log n)",
    id: "T4-composite",
    bound: 0.25,
  },
  {
    title: "LRMultiplier.step() vs number of param groups",
    name: "LRMultiplier.step(), $groups groups",
    arg: "groups",
    start: 1,
    end: 10_000,
    body: groupsBody,
    expect: "O(n)",
    id: "T4-groups",
    bound: 1.15,
  },
] as const;

/** The mitata group of one scan. */
export function scanGroup(scan: (typeof SCANS)[number]): GroupSpec {
  return {
    section: "scaling",
    title: scan.title,
    unit: "per call",
    benches: [
      ...baselines(),
      {
        name: scan.name,
        body: scan.body,
        range: { arg: scan.arg, start: scan.start, end: scan.end, multiplier: 10 },
      },
    ],
  };
}

/** Runs section 4. */
export async function runScaling(ctx: Context): Promise<void> {
  const fits: Record<string, unknown> = {};
  for (const scan of SCANS) {
    const g = await measureGroup(ctx, scanGroup(scan));
    if (g === undefined) continue;
    const points = g.rows
      .filter((r) => r.args?.[scan.arg] !== undefined)
      .map((r) => ({ x: r.args![scan.arg] as number, y: r.avgNs }));
    const all = fitGrowth(points);
    // For O(n) the constant part dominates small n: fit the tail (n >= 100) for the exponent.
    const tail = fitGrowth(points.filter((p) => p.x >= 100));
    const fit = scan.expect === "O(n)" ? tail : all;
    fits[scan.arg] = { expect: scan.expect, all, tail, points };
    ctx.log(
      `  growth: time ∝ n^${fit.exponent.toFixed(3)}` +
        (scan.expect === "O(n)"
          ? ` (n ≥ 100); ${
            (points[points.length - 1]!.y / points[points.length - 1]!.x).toFixed(2)
          } ns per group at n = ${points[points.length - 1]!.x}`
          : `; +${all.perDoublingNs.toFixed(2)} ns per doubling of n`) +
        ` — expected ${scan.expect}`,
    );
    addTarget(ctx, {
      id: scan.id,
      description: `${scan.title}: fitted exponent b of time ∝ n^b (${scan.expect})`,
      measured: fit.exponent,
      bound: scan.bound,
      op: "<=",
      ...(scan.expect === "O(n)"
        ? { note: "exponent ≈ 1 is linear; <= 1.15 allows for cache effects" }
        : {
          note:
            "log n has a log-log slope of 0.1–0.2 over these decades (n^0.5 would be 0.5, n 1.0); <= 0.25",
        }),
    });
  }
  ctx.sections.scaling = fits;
}
