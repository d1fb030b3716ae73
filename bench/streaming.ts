/**
 * The CLI at scale, as a user runs it: `lrspec curve` of a 10⁸-iteration multistep config
 * written to a file (rows/s of wall time and of CPU time, peak memory), `lrspec curve | head`,
 * and `plot`/`diff` of 10⁹-iteration configs — on Deno, Bun and Node, each run `--repeat` times
 * (median, min, max). Peak memory and CPU time come from `/usr/bin/time` when it exists.
 *
 * ```sh
 * deno task bench:streaming [--repeat 3] [--rows 100000000] [--runtimes deno,bun,node]
 * ```
 *
 * Prints a Markdown table (BENCH.md § Streaming) and the machine's load before and after.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TMP = `${ROOT}.tmp/bench-streaming`;
const TIME = "/usr/bin/time";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    repeat: { type: "string", default: "3" },
    rows: { type: "string", default: "100000000" },
    runtimes: { type: "string", default: "deno,bun,node" },
  },
});
const repeat = Number(values.repeat);
const maxIter = Number(values.rows);

const RUNTIMES: Record<string, string[]> = {
  deno: [
    `${ROOT}node_modules/.bin/deno`,
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "cli/main.ts",
  ],
  bun: [`${ROOT}node_modules/.bin/bun`, "cli/main.ts"],
  node: ["node", "bin/lrspec.mjs"],
};

mkdirSync(TMP, { recursive: true });
const config = (name: string, n: number, extra = "") => {
  const path = `${TMP}/${name}.yaml`;
  writeFileSync(
    path,
    `SOLVER:\n  BASE_LR: 0.02\n  STEPS: (${Math.round(n * 2 / 3)}, ${
      Math.round(n * 8 / 9)
    })\n  MAX_ITER: ${n}\n${extra}`,
  );
  return path;
};
const curveConfig = config("curve", maxIter);
const billion = config("billion", 1e9);
const billionB = config("billion-b", 1e9, "  GAMMA: 0.5\n");

interface Measure {
  wall: number;
  cpu: number | undefined;
  rssMb: number | undefined;
}

function measure(argv: string[], shell?: string): Measure {
  const timed = existsSync(TIME);
  const started = performance.now();
  const r = shell !== undefined
    ? spawnSync("bash", ["-c", shell], { cwd: ROOT, encoding: "utf8" })
    : spawnSync(timed ? TIME : argv[0]!, timed ? ["-f", "%U %S %M", ...argv] : argv.slice(1), {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0 && shell === undefined) {
    throw new Error(`${argv.join(" ")}: exit ${r.status}: ${r.stderr.slice(-500)}`);
  }
  const m = timed && shell === undefined ? /(\d+\.\d+) (\d+\.\d+) (\d+)\s*$/.exec(r.stderr) : null;
  return {
    wall,
    cpu: m ? Number(m[1]) + Number(m[2]) : undefined,
    rssMb: m ? Number(m[3]) / 1024 : undefined,
  };
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)]!;
  return `${fmt(med)} (${fmt(s[0]!)}–${fmt(s[s.length - 1]!)})`;
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

const rows = maxIter + 1;
const lines: string[] = [
  `| runtime | curve ${(maxIter / 1e6).toFixed(0)}M rows → file: wall s | M rows/s (wall) | ` +
  `M rows/s (CPU) | peak RSS MB | curve \\| head -2: s | plot 1e9: s, MB | diff 1e9: s |`,
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
];
process.stderr.write(`load average before: ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);
for (const name of values.runtimes!.split(",")) {
  const cmd = RUNTIMES[name]!;
  const curve: Measure[] = [];
  const head: Measure[] = [];
  const plot: Measure[] = [];
  const diff: Measure[] = [];
  for (let k = 0; k < repeat; k++) {
    const out = `${TMP}/curve-${name}.csv`;
    curve.push(measure([...cmd, "curve", curveConfig, "--out", out]));
    const bytes = statSync(out).size;
    rmSync(out);
    process.stderr.write(
      `${name}: curve ${fmt(curve[k]!.wall)} s, ${(bytes / 1e9).toFixed(2)} GB, ` +
        `cpu ${curve[k]!.cpu ?? "?"} s, ${fmt(curve[k]!.rssMb ?? 0)} MB\n`,
    );
    head.push(measure([], `${cmd.join(" ")} curve ${curveConfig} | head -2 > /dev/null`));
    plot.push(measure([...cmd, "plot", billion, "--out", `${TMP}/plot-${name}.svg`]));
    const d = spawnSync(cmd[0]!, [...cmd.slice(1), "diff", billion, billionB], { cwd: ROOT });
    if (d.status !== 1) throw new Error(`diff: exit ${d.status}: ${d.stderr}`);
    diff.push(measure([], `${cmd.join(" ")} diff ${billion} ${billionB} > /dev/null; true`));
  }
  const cpus = curve.map((m) => m.cpu).filter((x): x is number => x !== undefined);
  lines.push(
    `| ${name} | ${stats(curve.map((m) => m.wall))} | ${
      stats(curve.map((m) => rows / m.wall / 1e6))
    } | ${cpus.length ? stats(cpus.map((c) => rows / c / 1e6)) : "n/a"} | ${
      curve[0]!.rssMb === undefined ? "n/a" : fmt(Math.max(...curve.map((m) => m.rssMb!)))
    } | ${stats(head.map((m) => m.wall))} | ${stats(plot.map((m) => m.wall))}, ${
      plot[0]!.rssMb === undefined ? "n/a" : fmt(Math.max(...plot.map((m) => m.rssMb!)))
    } | ${stats(diff.map((m) => m.wall))} |`,
  );
}
process.stderr.write(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(" ")}\n`);
process.stdout.write(lines.join("\n") + "\n");
