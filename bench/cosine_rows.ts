/**
 * Where a streamed cosine row's time goes (issue 26): the exact `cos` (its fast path and the
 * fully emulated kernels it replaces), Python's repr of the value (`writeRepr` straight into the
 * byte buffer, against `String(x)` and the former `reprFloat` + character copy), and a whole
 * `lrspec curve` run in this process (a 10^6-iteration WarmupCosineLR config to a file: the
 * schedule, `cos`, the rows, the writes; no start-up).
 *
 * ```sh
 * deno run -A bench/cosine_rows.ts     bun bench/cosine_rows.ts
 * node --import tsx bench/cosine_rows.ts
 * ```
 *
 * `--min-only` skips the mitata groups. The table is CPU time (`process.cpuUsage`) per row, the
 * minimum of 7 passes over the 10^6 arguments and values of a cosine schedule: the machine this
 * runs on is shared, and CPU time (unlike wall time) does not count the time others run.
 *
 * @module
 */

import { bench, do_not_optimize, group, run, summary } from "mitata";
import process from "node:process";
import { cos, cosExact } from "../glibc/s_sin.ts";
import { REPR_MAX_BYTES, writeRepr } from "../curve/repr_bytes.ts";
import { pyFloatRepr } from "../schedules/python.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../cli/main.ts";

const N = 1_000_000;
/** π·where for where = i/n of a 10^7-iteration schedule, 10^6 of them spread over it. */
const ANGLES = Float64Array.from({ length: N }, (_, i) => Math.PI * (Math.floor(i * 10) / 1e7));
/** detectron2's WarmupCosineLR values after warmup (BASE_LR 0.02, to 0). */
const VALUES = ANGLES.map((x) => 0.01 * (1 + cos(x)));

/** The former CSV cell: String(x) where it is Python's repr (reprFloat), copied char by char. */
function reprFloatCopy(x: number, buf: Uint8Array, pos: number): number {
  const a = x < 0 ? -x : x;
  let s: string;
  if (a >= 1e-4 && a < 1e16) {
    s = String(x);
    if (!(s.indexOf(".") >= 0 && s.indexOf("e") < 0)) s = pyFloatRepr(x);
  } else s = pyFloatRepr(x);
  for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
  return pos;
}

const buffer = new Uint8Array(1 << 20);
const fill = (write: (x: number, buf: Uint8Array, pos: number) => number) => (xs: Float64Array) => {
  let pos = 0;
  for (let i = 0; i < xs.length; i++) {
    if (pos > buffer.length - REPR_MAX_BYTES) pos = 0;
    pos = write(xs[i]!, buffer, pos);
  }
  return pos;
};
const sum = (f: (x: number) => number) => (xs: Float64Array) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += f(xs[i]!);
  return s;
};
const stringLengths = (xs: Float64Array) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += String(xs[i]!).length;
  return s;
};

/** `lrspec curve` in this process: a 10^6-iteration WarmupCosineLR config to a file. */
async function curveToFile(dir: string): Promise<void> {
  const config = join(dir, "cosine.yaml");
  writeFileSync(
    config,
    "SOLVER:\n  LR_SCHEDULER_NAME: WarmupCosineLR\n  BASE_LR: 0.02\n  MAX_ITER: 1000000\n",
  );
  const status = await main(["curve", config, "--out", join(dir, "cosine.csv")], {
    stdout: () => {},
    stderr: (text) => process.stderr.write(text),
  });
  if (status !== 0) throw new Error(`lrspec curve exited with ${status}`);
}

function cpuNsPerRow(f: (xs: Float64Array) => number, xs: Float64Array): number {
  let best = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = process.cpuUsage();
    do_not_optimize(f(xs));
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) * 1000 / N);
  }
  return best;
}

if (!process.argv.includes("--min-only")) {
  // 2^19 different values: V8 caches the strings of recently converted numbers, which would
  // flatter String(x) on a short array.
  const M = 1 << 19;
  group("cos of a cosine schedule's arguments", () => {
    summary(() => {
      bench("Math.cos", function* () {
        let i = 0;
        yield () => do_not_optimize(Math.cos(ANGLES[i++ & (M - 1)]!));
      }).baseline(true);
      bench("lrspec cos (fast path)", function* () {
        let i = 0;
        yield () => do_not_optimize(cos(ANGLES[i++ & (M - 1)]!));
      });
      bench("lrspec cosExact (fma emulated)", function* () {
        let i = 0;
        yield () => do_not_optimize(cosExact(ANGLES[i++ & (M - 1)]!));
      });
    });
  });
  group("Python's repr of a learning rate", () => {
    summary(() => {
      bench("String(x)", function* () {
        let i = 0;
        yield () => do_not_optimize(String(VALUES[i++ & (M - 1)]!));
      }).baseline(true);
      bench("writeRepr into a byte buffer", function* () {
        let i = 0;
        yield () => do_not_optimize(writeRepr(VALUES[i++ & (M - 1)]!, buffer, 0));
      });
      bench("reprFloat + copy (before)", function* () {
        let i = 0;
        yield () => do_not_optimize(reprFloatCopy(VALUES[i++ & (M - 1)]!, buffer, 0));
      });
    });
  });
  await run({ format: process.env.BENCH_JSON ? "json" : "mitata" });
}

const rows: [string, number][] = [
  ["cos, fast path", cpuNsPerRow(sum(cos), ANGLES)],
  ["cosExact (every fma emulated)", cpuNsPerRow(sum(cosExact), ANGLES)],
  ["Math.cos (the runtime's)", cpuNsPerRow(sum(Math.cos), ANGLES)],
  ["writeRepr into the buffer", cpuNsPerRow(fill(writeRepr), VALUES)],
  ["reprFloat + copy (before)", cpuNsPerRow(fill(reprFloatCopy), VALUES)],
  ["String(x) alone", cpuNsPerRow(stringLengths, VALUES)],
];
const dir = mkdtempSync(join(tmpdir(), "lrspec-cosine-rows-"));
try {
  let best = Infinity;
  for (let r = 0; r < 4; r++) {
    const t0 = process.cpuUsage();
    await curveToFile(dir);
    const t = process.cpuUsage(t0);
    best = Math.min(best, (t.user + t.system) * 1000 / (N + 1));
  }
  rows.push(["lrspec curve, whole run, in process", best]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log("\nper row (CPU ns, minimum of 7 passes over 10^6 values)");
for (const [name, ns] of rows) console.log(`${name.padEnd(38)} ${ns.toFixed(1).padStart(7)}`);
