/**
 * Chart series for detectron2 curves: the curve of a config, with its warmup end and steps
 * marked (`plotSvg` draws them).
 *
 * @module
 */

import { optionError } from "../errors.ts";
import type { LrCurve } from "../../curve/curve.ts";
import { formatLr } from "../../curve/format.ts";
import { formatIteration, type PlotMark, type PlotSeries } from "../../plot/svg.ts";
import type { CurveSolverConfig } from "./curve.ts";
import type { SolverConfig } from "./defaults.ts";
import { scheduleEvents } from "./explain.ts";

/** Options of {@linkcode curvePlotSeries}. */
export interface CurvePlotSeriesOptions {
  /** The legend entry. */
  label: string;
  /**
   * Which column of the curve (`lr`, `lr_bias`).
   * @default {"lr"}
   */
  column?: string;
  /**
   * The x axis: iterations, or images seen (`iteration × IMS_PER_BATCH`).
   * @default {"iteration"}
   */
  x?: "iteration" | "images";
  /**
   * Mark the warmup end and the steps.
   * @default {true}
   */
  marks?: boolean;
  /**
   * The line color.
   * @default {the palette's}
   */
  color?: string;
  /**
   * An SVG dash pattern.
   * @default {undefined}
   */
  dash?: string;
}

/**
 * A chart series for a config's curve, with its warmup end (`warmup 1000`) and steps
 * (`×0.1 at 60k`) as marks.
 *
 * @param curve The curve (from {@linkcode lrCurve}).
 * @param cfg The config it was computed from.
 * @param options Label, column, x axis.
 * @returns The series for {@linkcode plotSvg}.
 * @throws {RangeError} If the curve has no such column.
 */
export function curvePlotSeries(
  curve: LrCurve,
  cfg: { SOLVER: CurveSolverConfig & Pick<SolverConfig, "IMS_PER_BATCH"> },
  options: CurvePlotSeriesOptions,
): PlotSeries {
  const name = options.column ?? "lr";
  const column = curve.columns.find((c) => c.name === name);
  if (!column) {
    throw optionError(
      RangeError,
      "curvePlotSeries",
      "column",
      name,
      `no column ${JSON.stringify(name)} (have ${curve.columns.map((c) => c.name).join(", ")})`,
    );
  }
  const scale = options.x === "images" ? cfg.SOLVER.IMS_PER_BATCH : 1;
  const marks: PlotMark[] = [];
  if (options.marks ?? true) {
    const events = scheduleEvents(cfg);
    if (events.warmupEnd > 0) {
      marks.push({ x: events.warmupEnd * scale, label: `warmup ${events.warmupEnd}` });
    }
    for (const step of events.steps) {
      marks.push({
        x: step * scale,
        label: `×${formatLr(cfg.SOLVER.GAMMA)} at ${formatIteration(step)}`,
      });
    }
  }
  return {
    label: options.label,
    x: scale === 1 ? curve.iterations : curve.iterations.map((i) => i * scale),
    y: column.values,
    marks,
    ...(options.color ? { color: options.color } : {}),
    ...(options.dash ? { dash: options.dash } : {}),
  };
}
