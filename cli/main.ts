/**
 * `lrspec`: detectron2 configs in, learning-rate curves and pictures out.
 *
 * ```sh
 * lrspec curve CONFIG.yaml [--num-workers N] [--opts KEY VALUE …]   # CSV iter,lr[,lr_bias]
 * lrspec plot CONFIG.yaml [CONFIG2.yaml …] [--log] [--out FILE.svg]    # SVG chart
 * lrspec explain CONFIG.yaml                                           # the schedule in words
 * lrspec diff A.yaml B.yaml                                            # where two curves differ
 * lrspec verify --golden GOLDEN.csv --candidate MINE.csv               # bit for bit
 * lrspec accumulate CONFIG.yaml --num-workers N --micro-batch M        # gradient accumulation
 * lrspec golden-script > golden.py                                     # detectron2's curve, in Python
 * ```
 *
 * Runs on Deno (`deno run --allow-read --allow-env jsr:@lrspec/lrspec/cli …`, or
 * `deno task lr …` in a checkout), Node (`npx lrspec …`) and Bun. Importing this module does not
 * run it; {@linkcode main} does.
 *
 * @example Run the CLI from code
 * ```ts
 * import { main } from "@lrspec/lrspec/cli";
 * import assert from "node:assert/strict";
 *
 * const out: string[] = [];
 * const code = await main(
 *   ["explain", "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml"],
 *   { stdout: (s) => out.push(s), stderr: () => {} },
 * );
 * assert.equal(code, 0);
 * assert.match(out.join(""), /^linear warmup over 1000 iterations from 2e-05 to 0\.02/);
 * ```
 *
 * @module
 */

import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { parseArgs } from "node:util";
import { stringify } from "csv-stringify/sync";
import { autoScaleWorkers } from "../schedules/detectron2/config.ts";
import { gradientAccumulation } from "../schedules/detectron2/accumulation.ts";
import type { Detectron2Config } from "../schedules/detectron2/defaults.ts";
import { type LrCurve, lrCurve, type LrCurveOptions } from "../curve/curve.ts";
import { diffCurves } from "../curve/diff.ts";
import { explainSchedule, formatLr } from "../curve/explain.ts";
import { pyFloatRepr } from "../config/python.ts";
import { type PlotSeries, plotSvg } from "../plot/svg.ts";
import { curvePlotSeries } from "../plot/curves.ts";
import { formatVerifyReport, verifyCsv } from "../verify/verify.ts";
import { loadConfigFile } from "./files.ts";
import { GOLDEN_SCRIPT } from "./_golden_script.ts";
import { VERSION } from "../version.ts";

export { loadConfigFile, type LoadConfigFileOptions, resolveBaseFile } from "./files.ts";

export { VERSION };

const USAGE = `usage: lrspec <command> [options]

commands:
  curve CONFIG.yaml          CSV iter,lr[,lr_bias] for iterations 0..MAX_ITER
  plot CONFIG.yaml [...]     SVG chart of one or more configs (stdout, or --out FILE)
  explain CONFIG.yaml        the schedule in words
  diff A.yaml B.yaml         where the two curves differ and by how much (exit 1 if they do)
  verify --golden G.csv --candidate C.csv [--max-ulp N]
                             compare a curve with a golden one, bit for bit (exit 1 on mismatch)
  accumulate CONFIG.yaml --num-workers N --micro-batch M [--plot FILE.svg]
                             gradient accumulation: micro-batches per optimizer step
  golden-script              print a Python script that writes detectron2's own curve

config options (curve, plot, explain, diff, accumulate):
  --num-workers N            rescale with detectron2's auto_scale_workers (REFERENCE_WORLD_SIZE)
  --project P                auto (default), detectron2 or deeplab (adds add_deeplab_config's keys)
  --allow-new-keys           accept keys that detectron2's defaults lack (yacs new_allowed)
  --opts KEY VALUE ...       detectron2's overrides (merge_from_list); must come last
  --torch 1.13|2.11          the torch release the scheduler follows (default 2.11)
  --python 3.11|3.12         the Python whose sum() fvcore's composite uses (default 3.12)
plot options:
  --log                      logarithmic learning-rate axis
  --out FILE                 write the SVG there instead of stdout
  --title TEXT, --label TEXT (one per config), --width PX, --height PX, --x iteration|images
  --num-workers N            may be repeated: one curve per worker count
curve options:
  --out FILE                 write the CSV there instead of stdout
  --past-end                 add iteration MAX_ITER+1 (one step past training, as the fixtures do)

exit status: 0 ok, 1 curves differ / verification failed, 2 bad input (one line on stderr)`;

/** Where the CLI writes; defaults to the process's stdout and stderr. */
export interface CliIo {
  /** Receives standard output. */
  stdout: (text: string) => void;
  /** Receives standard error. */
  stderr: (text: string) => void;
  /**
   * Whether stderr is a terminal (progress is shown only then).
   * @default {false}
   */
  stderrIsTTY?: boolean;
}

class UsageError extends Error {}

/** Differences up to this many ULPs are reported as rounding. */
const ROUNDING_ULPS = 4;

const CONFIG_OPTIONS = {
  "num-workers": { type: "string" },
  project: { type: "string" },
  "allow-new-keys": { type: "boolean" },
  verbose: { type: "boolean" },
  torch: { type: "string" },
  python: { type: "string" },
} as const;

interface ConfigFlags {
  "num-workers"?: string | undefined;
  project?: string | undefined;
  "allow-new-keys"?: boolean | undefined;
  verbose?: boolean | undefined;
  torch?: string | undefined;
  python?: string | undefined;
}

/** `--torch` and `--python`: the releases `buildLrScheduler` follows (lrspec's defaults). */
function releasesOf(
  flags: Pick<ConfigFlags, "torch" | "python">,
): NonNullable<LrCurveOptions["releases"]> {
  const torch = flags.torch ?? "2.11";
  const python = flags.python ?? "3.12";
  if (torch !== "1.13" && torch !== "2.11") {
    throw new UsageError(`--torch must be 1.13 or 2.11: got ${JSON.stringify(torch)}`);
  }
  if (python !== "3.11" && python !== "3.12") {
    throw new UsageError(`--python must be 3.11 or 3.12: got ${JSON.stringify(python)}`);
  }
  return { torch, python };
}

/** Splits `--opts KEY VALUE …` (the rest of the line) from the other arguments. */
function splitOpts(args: string[]): { args: string[]; opts: string[] } {
  const i = args.indexOf("--opts");
  if (i < 0) return { args, opts: [] };
  return { args: args.slice(0, i), opts: args.slice(i + 1) };
}

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive integer: got ${JSON.stringify(text)}`);
  }
  return n;
}

interface Loaded {
  path: string;
  cfg: Detectron2Config;
}

function loadOne(path: string, flags: ConfigFlags, opts: string[], io: CliIo): Loaded {
  const project = flags.project ?? "auto";
  if (!["auto", "detectron2", "deeplab"].includes(project)) {
    throw new UsageError(
      `--project must be auto, detectron2 or deeplab: got ${JSON.stringify(project)}`,
    );
  }
  const warnings: string[] = [];
  const loaded = loadConfigFile(path, {
    project: project as "auto" | "detectron2" | "deeplab",
    opts,
    allowNewKeys: flags["allow-new-keys"] ?? false,
    onWarning: (w) => warnings.push(w),
  });
  // detectron2's "no VERSION" notes are noise for most model-zoo files; show them on request.
  for (const w of warnings) {
    if (flags.verbose || !/has no VERSION/.test(w)) io.stderr(`lrspec: note: ${w}\n`);
  }
  const workers = positiveInt("num-workers", flags["num-workers"]);
  let cfg = loaded.cfg;
  if (workers !== undefined) {
    if (cfg.SOLVER.REFERENCE_WORLD_SIZE === 0) {
      io.stderr(
        `lrspec: note: ${path}: SOLVER.REFERENCE_WORLD_SIZE is 0, so --num-workers changes nothing ` +
          `(set it with --opts SOLVER.REFERENCE_WORLD_SIZE 8)\n`,
      );
    }
    cfg = autoScaleWorkers(cfg, workers);
  }
  return { path, cfg };
}

function computeCurve(
  cfg: Detectron2Config,
  io: CliIo,
  label: string,
  extra = 0,
  releases: LrCurveOptions["releases"] = {},
): LrCurve {
  let lastShown = 0;
  const showProgress = io.stderrIsTTY === true && cfg.SOLVER.MAX_ITER >= 100000;
  const last = cfg.SOLVER.MAX_ITER + extra;
  const curve = lrCurve(cfg, {
    releases,
    ...(extra ? { iterations: Array.from({ length: last + 1 }, (_, i) => i) } : {}),
    ...(showProgress
      ? {
        onProgress: (done: number, total: number) => {
          const now = Date.now();
          if (now - lastShown < 100 && done < total) return;
          lastShown = now;
          const pct = total ? Math.floor((100 * done) / total) : 100;
          io.stderr(`\r${label}: iteration ${done}/${total} (${pct}%)`);
        },
      }
      : {}),
  });
  if (showProgress) io.stderr("\r\x1b[K");
  for (const w of new Set(curve.warnings)) io.stderr(`lrspec: note: detectron2 warns: ${w}\n`);
  return curve;
}

function output(text: string, out: string | undefined, io: CliIo): void {
  if (out) writeFileSync(out, text);
  else io.stdout(text);
}

function curveCommand(argv: string[], io: CliIo): number {
  const { args, opts } = splitOpts(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONFIG_OPTIONS, out: { type: "string" }, "past-end": { type: "boolean" } },
  });
  if (positionals.length !== 1) throw new UsageError("curve takes one CONFIG.yaml");
  const { cfg } = loadOne(positionals[0]!, values, opts, io);
  const curve = computeCurve(
    cfg,
    io,
    positionals[0]!,
    values["past-end"] ? 1 : 0,
    releasesOf(values),
  );
  const header = ["iter", ...curve.columns.map((c) => c.name), ...(curve.error ? ["error"] : [])];
  const rows: string[][] = [header];
  curve.iterations.forEach((it, i) => {
    const failed = curve.error !== undefined && it >= curve.error.iteration;
    rows.push([
      String(it),
      ...curve.columns.map((c) => (failed ? "" : pyFloatRepr(c.values[i]!))),
      ...(curve.error ? [failed ? curve.error.name : ""] : []),
    ]);
  });
  if (curve.error) {
    io.stderr(
      `lrspec: note: the scheduler raises at iteration ${curve.error.iteration}, as detectron2's ` +
        `does: ${curve.error.message}\n`,
    );
  }
  output(stringify(rows, { record_delimiter: "unix" }), values.out, io);
  return 0;
}

function plotCommand(argv: string[], io: CliIo): number {
  const { args, opts } = splitOpts(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONFIG_OPTIONS,
      out: { type: "string" },
      log: { type: "boolean" },
      title: { type: "string" },
      subtitle: { type: "string" },
      label: { type: "string", multiple: true },
      width: { type: "string" },
      height: { type: "string" },
      x: { type: "string" },
      "no-marks": { type: "boolean" },
      "num-workers": { type: "string", multiple: true },
    },
  });
  if (positionals.length === 0) throw new UsageError("plot takes one or more CONFIG.yaml");
  const workerCounts: (string | undefined)[] = values["num-workers"] ?? [undefined];
  const labels = values.label ?? [];
  if (labels.length > 0 && labels.length !== positionals.length) {
    throw new UsageError(`--label given ${labels.length} times for ${positionals.length} configs`);
  }
  const x = values.x ?? "iteration";
  if (x !== "iteration" && x !== "images") {
    throw new UsageError(`--x must be iteration or images: got ${JSON.stringify(x)}`);
  }
  const series: PlotSeries[] = [];
  const explained: string[] = [];
  positionals.forEach((path, i) =>
    workerCounts.forEach((workers) => {
      const { cfg } = loadOne(path, { ...values, "num-workers": workers }, opts, io);
      const curve = computeCurve(cfg, io, path, 0, releasesOf(values));
      const name = labels[i] ?? path.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
      const label = workers === undefined || workerCounts.length === 1
        ? name
        : `${name} on ${workers} workers (batch ${cfg.SOLVER.IMS_PER_BATCH}, BASE_LR ${
          formatLr(cfg.SOLVER.BASE_LR)
        })`;
      series.push(curvePlotSeries(curve, cfg, { label, x, marks: !values["no-marks"] }));
      for (const column of curve.columns.slice(1)) {
        series.push(
          curvePlotSeries(curve, cfg, {
            label: `${label} (${column.name})`,
            column: column.name,
            x,
            marks: false,
            dash: "6 3",
          }),
        );
      }
      explained.push(explainSchedule(cfg).split("\n")[0]!);
    })
  );
  const title = values.title ??
    (series.length === 1 ? series[0]!.label : `${positionals.length} learning-rate schedules`);
  const svg = plotSvg(series, {
    title,
    subtitle: values.subtitle ?? (explained.length === 1 ? explained[0]! : ""),
    logY: values.log ?? false,
    xLabel: x === "images" ? "images seen (iteration × IMS_PER_BATCH)" : "iteration",
    ...(values.width ? { width: positiveInt("width", values.width)! } : {}),
    ...(values.height ? { height: positiveInt("height", values.height)! } : {}),
  });
  output(svg, values.out, io);
  return 0;
}

function explainCommand(argv: string[], io: CliIo): number {
  const { args, opts } = splitOpts(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: CONFIG_OPTIONS,
  });
  if (positionals.length !== 1) throw new UsageError("explain takes one CONFIG.yaml");
  const { cfg } = loadOne(positionals[0]!, values, opts, io);
  io.stdout(explainSchedule(cfg) + "\n");
  return 0;
}

function diffCommand(argv: string[], io: CliIo): number {
  const { args, opts } = splitOpts(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: CONFIG_OPTIONS,
  });
  if (positionals.length !== 2) throw new UsageError("diff takes two configs: A.yaml B.yaml");
  const [a, b] = positionals.map((p) => loadOne(p, values, opts, io)) as [Loaded, Loaded];
  const ca = computeCurve(a.cfg, io, a.path, 0, releasesOf(values));
  const cb = computeCurve(b.cfg, io, b.path, 0, releasesOf(values));
  const d = diffCurves(ca, cb);
  // Differences of a few ULPs are floating-point rounding (the same formula evaluated at another
  // progress, e.g. warmup over another MAX_ITER): summarized, not listed.
  const rounding = d.differences.filter((r) => r.maxUlp <= ROUNDING_ULPS);
  const real = d.differences.filter((r) => r.maxUlp > ROUNDING_ULPS);
  const count = (runs: typeof real) => runs.reduce((n, r) => n + r.to - r.from + 1, 0);
  const lines = [
    `A  ${a.path}: ${explainSchedule(a.cfg).split("\n")[0]}`,
    `B  ${b.path}: ${explainSchedule(b.cfg).split("\n")[0]}`,
    `${d.compared} iterations in both: ${d.identical} bit-identical, ${count(real)} different` +
    (rounding.length
      ? `, ${count(rounding)} by rounding only (≤ ${
        Math.max(...rounding.map((r) => r.maxUlp))
      } ULP, iterations ${rounding[0]!.from}–${rounding[rounding.length - 1]!.to})`
      : ""),
  ];
  const shown = real.slice(0, 40);
  for (const r of shown) {
    const range = r.from === r.to ? `iteration ${r.from}` : `iterations ${r.from}–${r.to}`;
    const val = (v: [number, number]) =>
      v[0] === v[1] ? formatLr(v[0]) : `${formatLr(v[0])}…${formatLr(v[1])}`;
    const ratio = r.a[0] === r.a[1] && r.b[0] === r.b[1] && r.a[0] !== 0
      ? ` (B/A = ${formatLr(r.b[0] / r.a[0])})`
      : ` (max |A−B| ${formatLr(r.maxAbs)}, ${formatLr(100 * r.maxRel)}%)`;
    lines.push(
      `  ${range}${r.column === "lr" ? "" : ` [${r.column}]`}: A ${val(r.a)}, B ${
        val(r.b)
      }${ratio}`,
    );
  }
  if (real.length > shown.length) lines.push(`  … ${real.length - shown.length} more runs`);
  if (d.iterationsOnlyInA) lines.push(`  only A has iterations ${d.iterationsOnlyInA.join("–")}`);
  if (d.iterationsOnlyInB) lines.push(`  only B has iterations ${d.iterationsOnlyInB.join("–")}`);
  if (d.onlyInA.length) lines.push(`  only A has columns ${d.onlyInA.join(", ")}`);
  if (d.onlyInB.length) lines.push(`  only B has columns ${d.onlyInB.join(", ")}`);
  const same = d.differences.length === 0 && !d.iterationsOnlyInA && !d.iterationsOnlyInB &&
    !d.onlyInA.length && !d.onlyInB.length;
  lines.push(same ? "the curves are identical" : "the curves differ");
  io.stdout(lines.join("\n") + "\n");
  return same ? 0 : 1;
}

function verifyCommand(argv: string[], io: CliIo, readText: (p: string) => string): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      golden: { type: "string" },
      candidate: { type: "string" },
      "max-ulp": { type: "string", default: "0" },
    },
  });
  if (positionals.length || !values.golden || !values.candidate) {
    throw new UsageError("verify needs --golden FILE and --candidate FILE");
  }
  const maxUlp = Number(values["max-ulp"]);
  if (!/^\d+$/.test(values["max-ulp"]!) || !Number.isSafeInteger(maxUlp)) {
    throw new UsageError(`--max-ulp must be a non-negative integer: got ${values["max-ulp"]}`);
  }
  const report = verifyCsv(readText(values.golden), readText(values.candidate), {
    goldenName: values.golden,
    candidateName: values.candidate,
    maxUlp,
  });
  io.stdout(formatVerifyReport(report, maxUlp) + "\n");
  return report.ok ? 0 : 1;
}

function accumulateCommand(argv: string[], io: CliIo): number {
  const { args, opts } = splitOpts(argv);
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONFIG_OPTIONS,
      "micro-batch": { type: "string" },
      plot: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("accumulate takes one CONFIG.yaml");
  const workers = positiveInt("num-workers", values["num-workers"]);
  const micro = positiveInt("micro-batch", values["micro-batch"]);
  if (workers === undefined || micro === undefined) {
    throw new UsageError("accumulate needs --num-workers N and --micro-batch M");
  }
  const path = positionals[0]!;
  const { cfg } = loadOne(path, { ...values, "num-workers": undefined }, opts, io);
  const plan = gradientAccumulation(cfg, { numWorkers: workers, microBatch: micro });
  const s = cfg.SOLVER;
  const k = plan.accumulationSteps;
  const lines = [
    `${path}: IMS_PER_BATCH ${s.IMS_PER_BATCH} images per optimizer step, MAX_ITER ${s.MAX_ITER} steps`,
    `on ${workers} worker(s) × ${micro} image(s) per micro-batch: accumulate gradients over ` +
    `K = ${s.IMS_PER_BATCH} / (${workers} × ${micro}) = ${k} micro-batches`,
    `run ${plan.microSteps} micro-batches per worker; after every ${k}th: optimizer.step(), ` +
    `zero_grad(), scheduler.step()`,
    `the schedule is the config's (BASE_LR ${formatLr(s.BASE_LR)}, STEPS (${
      (s.STEPS as number[]).join(", ")
    }), WARMUP_ITERS ${s.WARMUP_ITERS}), counted in optimizer steps` +
    (s.REFERENCE_WORLD_SIZE !== 0
      ? `; set SOLVER.REFERENCE_WORLD_SIZE ${workers} so detectron2's auto_scale_workers keeps it`
      : ""),
    `iteration i of the curve is micro-batches ${k}·i … ${k}·i+${k - 1}`,
  ];
  io.stdout(lines.join("\n") + "\n");
  if (values.plot) {
    const curve = computeCurve(plan.cfg, io, path, 0, releasesOf(values));
    const lr = curve.columns[0]!.values;
    const imagesPerMicro = workers * micro;
    const series: PlotSeries[] = [
      {
        label: `accumulate K=${k}: scheduler.step() every ${k} micro-batches`,
        x: curve.iterations.map((i) => i * k * imagesPerMicro),
        y: lr,
        marks: curvePlotSeries(curve, plan.cfg, { label: "", x: "images" }).marks ?? [],
      },
      {
        label: `wrong: scheduler.step() every micro-batch (ends after 1/${k})`,
        x: curve.iterations.map((i) => i * imagesPerMicro),
        y: lr,
        dash: "5 3",
      },
    ];
    if (s.REFERENCE_WORLD_SIZE !== 0 && s.REFERENCE_WORLD_SIZE !== workers) {
      const scaled = autoScaleWorkers(cfg, workers);
      const sc = computeCurve(scaled, io, path, 0, releasesOf(values));
      series.push({
        label: `instead: auto_scale_workers to ${workers} (batch ${scaled.SOLVER.IMS_PER_BATCH}, ` +
          `BASE_LR ${formatLr(scaled.SOLVER.BASE_LR)})`,
        x: sc.iterations.map((i) => i * scaled.SOLVER.IMS_PER_BATCH),
        y: sc.columns[0]!.values,
        dash: "2 2",
      });
    }
    writeFileSync(
      values.plot,
      plotSvg(series, {
        title: `Gradient accumulation on ${workers} GPU${workers > 1 ? "s" : ""} × ${micro} ` +
          `image${micro > 1 ? "s" : ""}: ${path.replace(/^.*\//, "").replace(/\.ya?ml$/, "")}`,
        subtitle: `IMS_PER_BATCH ${s.IMS_PER_BATCH} = ${workers} × ${micro} × K, K = ${k}`,
        xLabel: "images seen",
      }),
    );
  }
  return 0;
}

/** A reader that closes the pipe early (`lrspec curve x.yaml | head`) ends the program quietly. */
function quietOnClosedPipe(error: unknown): void {
  if ((error as { code?: string } | null)?.code === "EPIPE") process.exit(0);
  throw error;
}

let stdoutGuarded = false;

function processIo(): CliIo {
  if (!stdoutGuarded) {
    process.stdout.on("error", quietOnClosedPipe);
    stdoutGuarded = true;
  }
  return {
    stdout: (s) => {
      try {
        process.stdout.write(s);
      } catch (error) {
        quietOnClosedPipe(error);
      }
    },
    stderr: (s) => process.stderr.write(s),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

function errorLine(error: unknown): string | undefined {
  if (error instanceof UsageError) return `${error.message} (see lrspec --help)`;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
    const path = (error as { path?: string }).path;
    const why =
      { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "is a directory" }[code];
    return `cannot read ${path ?? "a file"}: ${why}`;
  }
  if (
    error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError ||
    (error.constructor === Error && error.message)
  ) {
    // parseArgs' errors carry a code and a clear message; all ours are one line.
    return error.message.split("\n")[0];
  }
  return undefined;
}

/**
 * Runs the CLI.
 *
 * @param argv The arguments after the program name (`["curve", "x.yaml"]`).
 * @param io Where output goes (default: the process's stdout and stderr).
 * @returns The exit status: 0 ok, 1 a difference (diff, verify), 2 bad input.
 */
export function main(argv: string[], io?: CliIo): Promise<number> {
  return Promise.resolve(run(argv, io));
}

function run(argv: string[], io?: CliIo): number {
  const sink: CliIo = io ?? processIo();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "curve":
        return curveCommand(rest, sink);
      case "plot":
        return plotCommand(rest, sink);
      case "explain":
        return explainCommand(rest, sink);
      case "diff":
        return diffCommand(rest, sink);
      case "verify":
        return verifyCommand(rest, sink, (p) => readFileSync(p, "utf8"));
      case "accumulate":
        return accumulateCommand(rest, sink);
      case "golden-script":
        sink.stdout(GOLDEN_SCRIPT);
        return 0;
      case "--version":
      case "version":
        sink.stdout(`lrspec ${VERSION}\n`);
        return 0;
      case undefined:
      case "help":
      case "--help":
      case "-h":
        sink.stdout(USAGE + "\n");
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    const line = errorLine(error);
    if (line === undefined) throw error;
    sink.stderr(`lrspec: error: ${line}\n`);
    return 2;
  }
}

if ((import.meta as { main?: boolean }).main) {
  process.exitCode = await main(process.argv.slice(2));
}
