/**
 * The Python side of the "against upstream" sections (detectron2, hf, timm): the interpreter, a
 * benchmark script run on it, and the speed-up of lrspec over each operation it timed.
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { type Context, formatNs, type GroupResult, rowOf } from "./_harness.ts";

/** The upstream checkouts this project unpacks for the fixtures (see /work/shared notes). */
const DEFAULT_UPSTREAM = "/tmp/upstream";

/** The interpreter and PYTHONPATH to use, from the environment or the defaults. */
export function pythonSetup(): { python: string; pythonPath: string | undefined } {
  const env = process.env;
  const python = env.LRSPEC_PYTHON ??
    (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");
  let pythonPath = env.LRSPEC_PYTHONPATH ?? env.PYTHONPATH;
  if (pythonPath === undefined && existsSync(`${DEFAULT_UPSTREAM}/detectron2`)) {
    pythonPath = ["detectron2", "fvcore", "yacs", "iopath", "stubs", "detectron2/projects/DeepLab"]
      .map((d) => `${DEFAULT_UPSTREAM}/${d}`)
      .join(":");
  }
  return { python, pythonPath };
}

/** What an operation timed in Python took. */
export interface PythonFigure {
  /** The operation, as the script describes it. */
  what: string;
  /** Median per call, ns. */
  medianNs: number;
  /** Fastest per call, ns. */
  minNs: number;
  /** Median per call without Python's own loop overhead, ns, when the script measured it. */
  netMedianNs?: number;
}

/** A Python benchmark script's report (its last line of output, as JSON). */
export interface PythonReport {
  /** Set when the script could not run its benchmarks. */
  skipped?: string;
  /** Python version. */
  python?: string;
  /** torch version. */
  torch?: string;
  /** detectron2 version. */
  detectron2?: string;
  /** transformers version. */
  transformers?: string;
  /** timm version. */
  timm?: string;
  /** Figures by key. */
  results?: Record<string, PythonFigure>;
}

/**
 * Runs `bench/<script>` (with `--long` for the long mode) on `python`, with `PYTHONPATH` set to
 * `pythonPath` when given; never throws (a failure becomes `skipped`).
 */
export function runPythonBench(
  python: string,
  script: string,
  long: boolean,
  pythonPath?: string,
): PythonReport {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const result = spawnSync(python, [path, ...(long ? ["--long"] : [])], {
    encoding: "utf8",
    env: { ...process.env, ...(pythonPath === undefined ? {} : { PYTHONPATH: pythonPath }) },
    timeout: 600_000,
  });
  if (result.error) return { skipped: `cannot run ${python}: ${result.error.message}` };
  const line = (result.stdout ?? "").trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as PythonReport;
  } catch {
    return {
      skipped: `${python} ${path} failed (exit ${result.status}): ${
        (result.stderr ?? "").trim().split("\n").slice(-3).join(" | ")
      }`,
    };
  }
}

/**
 * The speed-up of lrspec over each Python figure — `[script key, lrspec row, …]` pairs, Python's
 * median ÷ lrspec's mean — logged one line each (`what` padded to `width`) and returned by key.
 * A figure with no lrspec row is logged and recorded with `lrspec: null`.
 */
export function speedups(
  ctx: Context,
  g: GroupResult | undefined,
  py: PythonReport,
  pairs: readonly (readonly [string, string, ...unknown[]])[],
  width: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, ours] of pairs) {
    const p = py.results?.[key];
    const r = rowOf(g, ours);
    if (p === undefined) continue;
    if (r === undefined) {
      ctx.log(
        `  ${p.what.padEnd(width)} ${
          formatNs(p.medianNs).padStart(10)
        }   (no lrspec counterpart in this build)`,
      );
      out[key] = { python: p, lrspec: null };
      continue;
    }
    const ratio = p.medianNs / r.avgNs;
    const net = p.netMedianNs === undefined ? undefined : p.netMedianNs / r.avgNs;
    out[key] = {
      python: p,
      lrspecNs: r.avgNs,
      speedup: ratio,
      ...(net ? { speedupNet: net } : {}),
    };
    ctx.log(
      `  ${p.what.padEnd(width)} ${formatNs(p.medianNs).padStart(10)} vs ${
        formatNs(r.avgNs).padStart(9)
      }` +
        `  ${ratio.toFixed(0).padStart(5)}×` +
        (net ? `  (${net.toFixed(0)}× without Python's loop overhead)` : ""),
    );
  }
  return out;
}
