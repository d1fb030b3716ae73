/**
 * The cost of the exact libm: one call of each of lrspec's glibc functions against the runtime's
 * own (`Math.cos`, `**`, …) measured together (mitata; ratios from one run), and the rows per
 * second of a 10^6-step cosine curve (`sample()`) with each libm.
 *
 * ```sh
 * deno run -A bench/libm.ts     bun bench/libm.ts     node --import tsx bench/libm.ts
 * ```
 *
 * @module
 */

import { bench, do_not_optimize, group, run, summary } from "mitata";
import process from "node:process";
import { CosineParamScheduler, sample, setLibm } from "../mod.ts";
import { GLIBC_LIBM, RUNTIME_LIBM } from "../schedules/math.ts";
import { fma } from "../schedules/libm/mod.ts";

const N = 1024;
const arg = (lo: number, hi: number) =>
  Float64Array.from({ length: N }, (_, i) => lo + (hi - lo) * ((i * 0.6180339887498949) % 1));
const ANGLES = arg(0, Math.PI);
const WHERES = arg(0, 1);
const SMALL = arg(-4, 4);

type Unary = (x: number) => number;
const pairs: [string, Unary, Unary, Float64Array][] = [
  ["cos", Math.cos, GLIBC_LIBM.cos, ANGLES],
  ["sin", Math.sin, GLIBC_LIBM.sin, ANGLES],
  ["exp", Math.exp, GLIBC_LIBM.exp, SMALL],
  ["log", Math.log, GLIBC_LIBM.log, arg(1e-3, 100)],
  ["tanh", Math.tanh, GLIBC_LIBM.tanh, SMALL],
  ["log1p", Math.log1p, GLIBC_LIBM.log1p, WHERES],
];
for (const [name, native, exact, xs] of pairs) {
  group(name, () => {
    summary(() => {
      bench(`Math.${name}`, function* () {
        let i = 0;
        yield () => do_not_optimize(native(xs[i++ & (N - 1)]!));
      }).baseline(true);
      bench(`lrspec ${name}`, function* () {
        let i = 0;
        yield () => do_not_optimize(exact(xs[i++ & (N - 1)]!));
      });
    });
  });
}
group("pow", () => {
  summary(() => {
    bench("x ** y (runtime, as RUNTIME_LIBM.pow)", function* () {
      let i = 0;
      yield () => {
        const j = i++ & (N - 1);
        return do_not_optimize(RUNTIME_LIBM.pow(1 - WHERES[j]!, 0.9 + WHERES[(j + 7) & (N - 1)]!));
      };
    }).baseline(true);
    bench("lrspec pow", function* () {
      let i = 0;
      yield () => {
        const j = i++ & (N - 1);
        return do_not_optimize(GLIBC_LIBM.pow(1 - WHERES[j]!, 0.9 + WHERES[(j + 7) & (N - 1)]!));
      };
    });
  });
});
group("fma", () => {
  summary(() => {
    bench("a * b + c", function* () {
      let i = 0;
      yield () => {
        const j = i++ & (N - 1);
        return do_not_optimize(ANGLES[j]! * SMALL[j]! + WHERES[j]!);
      };
    }).baseline(true);
    bench("fma(a, b, c)", function* () {
      let i = 0;
      yield () => {
        const j = i++ & (N - 1);
        return do_not_optimize(fma(ANGLES[j]!, SMALL[j]!, WHERES[j]!));
      };
    });
  });
});

if (!process.argv.includes("--min-only")) {
  await run({ format: process.env.BENCH_JSON ? "json" : "mitata" });
}

// The same pairs timed as the minimum of 15 runs of a 2·10^5-call loop: on a loaded machine the
// minimum is what a run without preemption costs, where mitata's means and even p75 are not.
function minNsPerCall(f: (x: number) => number, xs: Float64Array): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < 15; r++) {
    const t0 = performance.now();
    for (let k = 0; k < 200; k++) for (let i = 0; i < N; i++) sink += f(xs[i]!);
    best = Math.min(best, (performance.now() - t0) * 1e6 / (200 * N));
  }
  do_not_optimize(sink);
  return best;
}
const powPairs = (f: (x: number, y: number) => number) => (x: number) => f(1 - x, 0.9 + x / 4);
const rows: [string, number, number][] = [];
for (const [name, native, exact, xs] of pairs) {
  rows.push([name, minNsPerCall(native, xs), minNsPerCall(exact, xs)]);
}
rows.push([
  "pow",
  minNsPerCall(powPairs(RUNTIME_LIBM.pow), WHERES),
  minNsPerCall(powPairs(GLIBC_LIBM.pow), WHERES),
]);
console.log("\nfunction  runtime ns  lrspec ns  ratio   (minimum of 15 loops of 204,800 calls)");
for (const [name, a, b] of rows) {
  console.log(
    `${name.padEnd(8)}  ${a.toFixed(1).padStart(10)}  ${b.toFixed(1).padStart(9)}  ${
      (b / a).toFixed(1).padStart(5)
    }`,
  );
}

// A 10^6-step cosine curve (fvcore's CosineParamScheduler through sample()), rows per second.
const cosine = new CosineParamScheduler({ startValue: 0.1, endValue: 0 });
const out = new Float64Array(1_000_000);
for (const name of ["glibc", "runtime"] as const) {
  setLibm(name);
  sample(cosine, { numUpdates: out.length, out });
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    sample(cosine, { numUpdates: out.length, out });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[2]!;
  console.log(
    `cosine curve, 10^6 rows, ${name} libm: ${ms.toFixed(1)} ms (median of 5), ${
      (out.length / ms * 1000 / 1e6).toFixed(1)
    } M rows/s`,
  );
}
setLibm("glibc");
