/**
 * `lrspec plot`: an SVG chart of one or more schedules.
 *
 * @module
 */

import {
  type Command,
  type Context,
  note,
  openSources,
  output,
  parse,
  positiveInt,
  printHelp,
  type ScheduleView,
  sourceOptions,
  UsageError,
} from "../_args.ts";
import { configHelp, otherSourcesHelp, schedulesList, usageLine } from "../_help.ts";
import { parseCount } from "../_text.ts";
import { curveEnvelope, type CurvePoints } from "../../plot/envelope.ts";
import { grouped } from "../../curve/format.ts";
import { formatIteration, type PlotMark, type PlotSeries, plotSvg } from "../../plot/svg.ts";
import { sharedAxis } from "../../views/axis.ts";

const COMMAND_NAME = "plot";

/**
 * The most rows of computed, not provably monotone stretches a chart reads one by one; past it a
 * curve that can be read anywhere (DeepSpeed's, the Trainer's) is sampled, 8 rows per half pixel,
 * and a note says so.
 */
export const PLOT_EXACT_ROWS = 1 << 20;

/** `A:B`, `A:`, `:B` with counts as people write them (5k, 1.2M, 1e9). */
function parseRange(command: string, text: string): [number, number] {
  const m = /^([^:]*):([^:]*)$/.exec(text);
  const a = m && m[1] !== "" ? parseCount(m[1]!) : 0;
  const b = m && m[2] !== "" ? parseCount(m[2]!) : Number.MAX_SAFE_INTEGER;
  if (!m || a === undefined || b === undefined || !(a < b)) {
    throw new UsageError(
      command,
      `--range must be A:B with A < B (iterations, or images with --x images; 5k, 1.2M, 1e9): got ${
        JSON.stringify(text)
      }`,
    );
  }
  return [a, b];
}

/** `other` without the words it shares with `label` at its start (`… on 16 workers`). */
function shortened(other: string, label: string): string {
  let i = 0;
  while (i < other.length && other[i] === label[i]) i++;
  const cut = other.lastIndexOf(" ", i);
  return cut > 0 ? `…${other.slice(cut)}` : other;
}

/** Gives curves that coincide (provably: the same identity) interleaved dashes. */
function interleave(series: PlotSeries[], identities: string[]): void {
  const groups = new Map<string, number[]>();
  identities.forEach((id, i) => groups.set(id, [...(groups.get(id) ?? []), i]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const dash = 8;
    members.forEach((i, k) => {
      const s = series[i]!;
      s.dash = `${dash} ${dash * (members.length - 1)}`;
      s.dashOffset = -dash * k;
      if (k > 0) s.label += ` (identical to ${shortened(series[members[0]!]!.label, s.label)})`;
    });
  }
}

function run(argv: string[], ctx: Context): number {
  const command = "plot";
  const p = parse(command, argv, {
    ...sourceOptions(command),
    out: { type: "string" },
    log: { type: "boolean" },
    range: { type: "string" },
    title: { type: "string" },
    subtitle: { type: "string" },
    label: { type: "string", multiple: true },
    width: { type: "string" },
    height: { type: "string" },
    x: { type: "string" },
    "no-marks": { type: "boolean" },
    "no-inset": { type: "boolean" },
  });
  if (p.help) return printHelp(COMMAND, ctx);
  const v = p.values;
  if (p.sources.length === 0) {
    throw new UsageError(command, `plot takes one or more schedules: ${schedulesList()}`);
  }
  const labels = (v.label as string[] | undefined) ?? [];
  if (labels.length > 0 && labels.length !== p.sources.length) {
    throw new UsageError(
      command,
      `--label given ${labels.length} times for ${p.sources.length} schedules`,
    );
  }
  const x = (v.x as string | undefined) ?? "iteration";
  if (x !== "iteration" && x !== "images") {
    throw new UsageError(command, `--x must be iteration or images: got ${JSON.stringify(x)}`);
  }
  const width = positiveInt(command, "width", v.width) ?? 800;
  const height = positiveInt(command, "height", v.height) ?? 450;
  const range = v.range === undefined ? undefined : parseRange(command, v.range as string);
  const sources = openSources(command, ctx, p, () => p.opts.both, {
    labels,
  });
  const unknown = x === "images" && sources.find((s) => s.imagesPerIteration === undefined);
  if (unknown) {
    throw new UsageError(
      command,
      `--x images: ${unknown.path} does not say how many images (examples) a ${unknown.unit} has`,
    );
  }
  // Curves counting epochs and iterations share an axis only in epochs, when every other curve
  // knows its epoch length (mmengine's EpochBasedTrainLoop); never an epoch at an iteration's x.
  const axis = sharedAxis(sources, 0, sources.map((s) => s.path));
  if (x === "iteration" && axis.scales.includes(undefined)) {
    const of = (epochs: boolean) =>
      sources.filter((s) => (s.unit === "epoch") === epochs).map((s) => `${s.path} (${s.unit}s)`);
    throw new UsageError(
      command,
      `${of(true).join(", ")} and ${of(false).join(", ")} count different things, and not ` +
        "every curve says how many of its rows an epoch has (only an mmengine " +
        "EpochBasedTrainLoop config does): plot them separately",
    );
  }
  const scaleOf = (s: ScheduleView) =>
    x === "images" ? s.imagesPerIteration ?? 1 : axis.scales[sources.indexOf(s)] ?? 1;
  /** Where a source's row is drawn: its number (`global_step` from 1), × images per row. */
  const xOf = (s: ScheduleView, row: number) => (row + s.firstIndex) * scaleOf(s);
  /** The rows [from, to) of a source drawn within x ∈ [a, b]. */
  const iterations = (s: ScheduleView, a: number, b: number): [number, number] => {
    const k = scaleOf(s);
    return [
      Math.max(0, Math.ceil(a / k) - s.firstIndex),
      Math.min(s.rows, Math.floor(b / k) + 1 - s.firstIndex),
    ];
  };
  /** Sources drawn from samples, with the rows not read. */
  const sampled = new Map<ScheduleView, number>();
  const draw = (a: number, b: number, buckets: number) => {
    const series: PlotSeries[] = [];
    const identities: string[] = [];
    for (const s of sources) {
      const [from, to] = iterations(s, a, b);
      s.columns.forEach((column, c) => {
        const k = scaleOf(s);
        const points: CurvePoints = from < to
          ? curveEnvelope(s, { column: c, from, to, buckets, exactRows: PLOT_EXACT_ROWS })
          : { x: [], y: [] };
        if (points.sampled) sampled.set(s, Math.max(sampled.get(s) ?? 0, points.sampled));
        series.push({
          label: c === 0 ? s.label : `${s.label} (${column})`,
          x: k === 1 && s.firstIndex === 0 ? points.x : points.x.map((i) => xOf(s, i)),
          y: points.y,
          ...(c > 0 ? { dash: "6 3" } : {}),
        });
        identities.push(`${s.identity}|${column}|${k}`);
      });
    }
    return { series, identities };
  };
  const [a, b] = range ?? [0, Number.MAX_SAFE_INTEGER];
  const { series, identities } = draw(a, b, 2 * width);
  // Marks of the main curves, within the range.
  let i = 0;
  for (const s of sources) {
    const marks: PlotMark[] = [];
    const [from, to] = iterations(s, a, b);
    // More marks than quarter pixels (10⁶ milestones): the first of each quarter pixel stands for
    // the others there, which would draw the same line and find no room for their labels.
    const dense = s.marks.length > 4 * width;
    const quarter = (xOf(s, to - 1) - xOf(s, from)) / (4 * width) || 1;
    let lastQuarter = NaN;
    if (v["no-marks"] !== true) {
      for (const m of s.marks) {
        if (m.iteration < from || m.iteration >= to) continue;
        if (dense) {
          const q = Math.floor((xOf(s, m.iteration) - xOf(s, from)) / quarter);
          if (q === lastQuarter) continue;
          lastQuarter = q;
        }
        marks.push({
          x: xOf(s, m.iteration),
          // A warmup is labelled with its length (rows), a change with where it is.
          label: m.what === "warmup"
            ? `warmup ${m.iteration < 10000 ? m.iteration : formatIteration(m.iteration)}`
            : `${m.what} at ${formatIteration(m.iteration + s.firstIndex)}`,
        });
      }
    }
    series[i]!.marks = marks;
    i += s.columns.length;
  }
  interleave(series, identities);
  // A warmup under 2% of the run is invisible: an inset shows it.
  let inset;
  const warmup = Math.max(...sources.map((s) => (s.warmupEnd ? xOf(s, s.warmupEnd) : 0)));
  const extent = Math.max(...sources.map((s) => xOf(s, s.rows - 1)));
  const units = x === "iteration"
    ? axis.unit.split(" / ")
    : [...new Set(sources.map((s) => s.unit))];
  const images = sources.every((s) => s.unit === "iteration") ? "images" : "examples";
  const xWords = x === "images" ? images : units.map((u) => `${u}s`).join(" / ");
  if (range === undefined && v["no-inset"] !== true && warmup > 0 && warmup < 0.02 * extent) {
    const end = Math.ceil(warmup * 1.5);
    const zoom = draw(0, end, width);
    zoom.series.forEach((s, k) =>
      Object.assign(s, { dash: series[k]!.dash, dashOffset: series[k]!.dashOffset })
    );
    inset = {
      title: `warmup, ${xWords} 0–${formatIteration(end)}`,
      series: zoom.series,
    };
  }
  const one = sources.length === 1;
  const title = (v.title as string | undefined) ??
    (one ? sources[0]!.label : `${series.length} learning-rate curves`);
  const rangeNote = range === undefined
    ? ""
    : `${xWords} ${formatIteration(a)}–${
      b === Number.MAX_SAFE_INTEGER ? "end" : formatIteration(b)
    }`;
  const subtitle = (v.subtitle as string | undefined) ??
    [one ? sources[0]!.summary : "", rangeNote, ...(x === "iteration" ? axis.notes : [])]
      .filter(Boolean).join(" · ");
  const svg = plotSvg(series, {
    title,
    subtitle,
    logY: v.log === true,
    xLabel: x === "images"
      ? images === "images"
        ? "images seen (iteration × IMS_PER_BATCH)"
        : `${images} seen (${units.join(" / ")} × batch)`
      : units.map((u) => (u === "step" ? "optimizer step (global_step)" : u)).join(" / "),
    width,
    height,
    ...(inset ? { inset } : {}),
  });
  for (const [s, rows] of sampled) {
    note(
      ctx.io,
      `${s.path}: drawn from samples: ${grouped(s.rows)} ${s.unit}s computed one by one, more ` +
        `than ${grouped(PLOT_EXACT_ROWS)}; 8 read per half pixel, ${grouped(rows)} not read ` +
        `(a spike narrower than the gap between samples would not show)`,
    );
  }
  output(svg, v.out as string | undefined, ctx);
  return 0;
}

/** `lrspec plot`. */
export const COMMAND: Command = {
  name: COMMAND_NAME,
  help: (sources) =>
    `${usageLine(COMMAND_NAME, "... [options]", sources)}

An SVG chart: one curve per schedule (and per --num-workers), warmup end and steps marked, a legend
(curves that coincide are dashed and named "identical to ..."). A warmup shorter than 2% of the
run gets an inset.

  --out FILE             write the SVG there instead of stdout
  --log                  logarithmic learning-rate axis
  --range A:B            draw x from A to B only (5000, 5k, 1.2M, 1e9; A: or :B for open ends)
  --x iteration|images   the x axis: rows (iterations, steps, epochs; default), or images seen
                         (× IMS_PER_BATCH; examples with --hf: × the total batch)
  --no-marks             no warmup and step markers
  --no-inset             no inset on a short warmup
  --title TEXT           the title (default: the config, or how many curves are drawn)
  --subtitle TEXT        the line under it (default: the schedule in words, for one config)
  --label TEXT           the legend entry of each schedule, in order (repeat it)
  --width PX             the width (default 800)
  --height PX            the height (default 450)
  --num-workers N        may be repeated: one curve per worker count

${otherSourcesHelp(COMMAND_NAME, sources)}

${configHelp(COMMAND_NAME, sources)}`,
  run,
};
