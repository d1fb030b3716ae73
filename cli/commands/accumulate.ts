/**
 * `lrspec accumulate`: gradient accumulation for a detectron2 config.
 *
 * @module
 */

import {
  type Command,
  type Context,
  note,
  output,
  parse,
  positiveInt,
  printHelp,
  type ScheduleView,
  sourceOptions,
  UsageError,
} from "../_args.ts";
import { configHelp } from "../_help.ts";
import { gradientAccumulation } from "../../schedules/detectron2/accumulation.ts";
import { autoScaleWorkers } from "../../schedules/detectron2/config.ts";
import { formatLr } from "../../curve/format.ts";
import { curveEnvelope } from "../../plot/envelope.ts";
import { formatIteration, type PlotSeries, plotSvg } from "../../plot/svg.ts";
import { detectron2View } from "../../views/detectron2.ts";
import { detectron2Options, openDetectron2 } from "../detectron2.ts";
import { ordinal } from "../_text.ts";

const COMMAND_NAME = "accumulate";

function run(argv: string[], ctx: Context): number {
  const command = "accumulate";
  const p = parse(command, argv, {
    ...sourceOptions(command),
    "micro-batch": { type: "string" },
    plot: { type: "string" },
  });
  if (p.help) return printHelp(COMMAND, ctx);
  if (p.sources.some((s) => s.kind.id !== "detectron2")) {
    throw new UsageError(
      command,
      "accumulate is for detectron2 configs (a Trainer's gradient_accumulation_steps is in its " +
        "file: lrspec explain --hf FILE shows the arithmetic)",
    );
  }
  if (p.positionals.length !== 1) throw new UsageError(command, "accumulate takes one CONFIG.yaml");
  const workers = positiveInt(command, "num-workers", p.values["num-workers"]);
  const micro = positiveInt(command, "micro-batch", p.values["micro-batch"]);
  if (workers === undefined || micro === undefined) {
    throw new UsageError(command, "accumulate needs --num-workers N and --micro-batch M");
  }
  const path = p.positionals[0]!;
  const source = openDetectron2(path, {
    ...detectron2Options({
      command,
      value: (name) => {
        const x = p.values[name];
        return typeof x === "string" ? x : undefined;
      },
      flag: (name) => p.values[name] === true,
      values: () => [],
      opts: p.opts.both,
      label: undefined,
      note: (text) => note(ctx.io, text),
      usage: (message) => new UsageError(command, message),
    }),
    numWorkers: undefined,
    labelWorkers: false,
    label: undefined,
  });
  for (const n of source.notes) note(ctx.io, n);
  const cfg = source.cfg;
  const plan = gradientAccumulation(cfg, { numWorkers: workers, microBatch: micro });
  const s = cfg.SOLVER;
  const k = plan.accumulationSteps;
  const lines = [
    `${path}: IMS_PER_BATCH ${s.IMS_PER_BATCH} images per optimizer step, MAX_ITER ${s.MAX_ITER} steps`,
    `on ${workers} worker(s) × ${micro} image(s) per micro-batch: accumulate gradients over ` +
    `K = ${s.IMS_PER_BATCH} / (${workers} × ${micro}) = ${k} micro-batch${k === 1 ? "" : "es"}`,
    `run ${plan.microSteps} micro-batches per worker; after every ${
      k === 1 ? "micro-batch" : ordinal(k)
    }: optimizer.step(), zero_grad(), scheduler.step()`,
    `the schedule is the config's (BASE_LR ${formatLr(s.BASE_LR)}, STEPS (${
      (s.STEPS as number[]).join(", ")
    }), WARMUP_ITERS ${s.WARMUP_ITERS}), counted in optimizer steps` +
    (s.REFERENCE_WORLD_SIZE !== 0
      ? `; set SOLVER.REFERENCE_WORLD_SIZE ${workers} so detectron2's auto_scale_workers keeps it`
      : ""),
    k === 1
      ? "iteration i of the curve is micro-batch i"
      : `iteration i of the curve is micro-batches ${k}·i … ${k}·i+${k - 1}`,
  ];
  const plotPath = p.values.plot as string | undefined;
  if (plotPath !== undefined) {
    const planned = detectron2View(plan.cfg, { path, label: "" });
    const perMicro = workers * micro;
    const line = (src: ScheduleView, scale: number, label: string, dash?: string) => {
      const pts = curveEnvelope(src, { buckets: 1600 });
      return {
        label,
        x: pts.x.map((i) => i * scale),
        y: pts.y,
        ...(dash ? { dash } : {}),
      };
    };
    const right: PlotSeries = line(
      planned,
      k * perMicro,
      `accumulate K=${k}: scheduler.step() every ${k === 1 ? "" : `${k} `}micro-batch${
        k === 1 ? "" : "es"
      }`,
    );
    right.marks = planned.marks.map((m) => ({
      x: m.iteration * k * perMicro,
      label: m.what === "warmup"
        ? `warmup ${m.iteration}`
        : `${m.what} at ${formatIteration(m.iteration)}`,
    }));
    const series: PlotSeries[] = [
      right,
      line(
        planned,
        perMicro,
        `wrong: scheduler.step() every micro-batch (ends after 1/${k})`,
        "5 3",
      ),
    ];
    if (s.REFERENCE_WORLD_SIZE !== 0 && s.REFERENCE_WORLD_SIZE !== workers) {
      const scaled = autoScaleWorkers(cfg, workers);
      const src = detectron2View(scaled, { path, label: "" });
      series.push(
        line(
          src,
          scaled.SOLVER.IMS_PER_BATCH,
          `instead: auto_scale_workers to ${workers} (batch ${scaled.SOLVER.IMS_PER_BATCH}, ` +
            `BASE_LR ${formatLr(scaled.SOLVER.BASE_LR)})`,
          "2 2",
        ),
      );
    }
    const svg = plotSvg(series, {
      title: `Gradient accumulation on ${workers} GPU${workers > 1 ? "s" : ""} × ${micro} ` +
        `image${micro > 1 ? "s" : ""}: ${path.replace(/^.*\//, "").replace(/\.ya?ml$/, "")}`,
      subtitle: `IMS_PER_BATCH ${s.IMS_PER_BATCH} = ${workers} × ${micro} × K, K = ${k}`,
      xLabel: "images seen",
    });
    output(svg, plotPath, ctx);
  }
  ctx.io.stdout(lines.join("\n") + "\n");
  return 0;
}

/** `lrspec accumulate`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: (sources) =>
    `usage: lrspec accumulate CONFIG.yaml --num-workers N --micro-batch M [--plot FILE.svg]
                          [config options]

Gradient accumulation: how many micro-batches of M images on N workers make one optimizer step
of IMS_PER_BATCH images, and what to change in the training loop.

  --num-workers N        the workers (GPUs) you train on
  --micro-batch M        images per worker per micro-batch
  --plot FILE            also draw the schedule in images seen, right and wrong
${configHelp(COMMAND_NAME, sources).replace(/\n {2}--num-workers[^\n]*/, "")}`,
  run,
};
