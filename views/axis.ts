/**
 * One x axis for several views whose rows may count different things: iterations, optimizer
 * steps and updates (a row per optimizer step: detectron2's and Megatron's and mmengine's
 * iterations, the Trainer's and DeepSpeed's and Keras' and optax's steps, timm's updates), or
 * epochs (timm's per-epoch schedules). Curves of both kinds are never drawn against one count as
 * if an epoch were an iteration: a view that knows its epoch length (`rowsPerEpoch`: mmengine's
 * `EpochBasedTrainLoop`) is converted to epochs; one that does not is left off the axis, and the
 * axis says so.
 *
 * @module
 */

import type { ScheduleView } from "./view.ts";

/** What {@linkcode sharedAxis} reads of a view. */
export type AxisView = Pick<ScheduleView, "unit" | "rowsPerEpoch" | "label">;

/** Several views on one x axis. */
export interface SharedAxis {
  /** What x counts, in words (`iteration`, `iteration / step`, `epoch`). */
  unit: string;
  /**
   * Per view (in order): x of its row `r` is `(r + firstIndex) · scale`; 1 for a view drawn in
   * its own unit, `1 / rowsPerEpoch` for one converted to epochs; undefined for one that cannot
   * be drawn on this axis (or an absent view).
   */
  scales: (number | undefined)[];
  /** What was converted or left off, and why (`B: … drawn as epochs`), in view order. */
  notes: string[];
}

const EPOCH = "epoch";

/** `n` followed by `unit` in the plural (`500 iterations`). */
function count(n: number, unit: string): string {
  return `${n.toLocaleString("en")} ${unit}${n === 1 ? "" : "s"}`;
}

/**
 * The axis several views share: their common count when they count the same thing; epochs when
 * some count epochs and every other one knows how many of its rows an epoch has; otherwise the
 * count of the `reference` view, with the views counting the other thing left off (`scales`
 * undefined) and a note for each.
 *
 * @param views The views (undefined: a curve with no view, skipped).
 * @param reference The view whose count wins when the views cannot all be drawn (the one the
 * user is looking at); the first view when it has none.
 * @param names How notes name each view (its legend entry by default).
 * @returns The axis.
 *
 * @example
 * ```ts
 * import { sharedAxis } from "./axis.ts";
 * import assert from "node:assert/strict";
 *
 * const mmdet = { unit: "iteration", rowsPerEpoch: 500, label: "mmdet 1x" };
 * const timm = { unit: "epoch", label: "resnet50 a3" };
 * assert.deepEqual(sharedAxis([mmdet, timm]).scales, [1 / 500, 1]);
 * // Iterations with no epoch length: off an axis of the epochs the reference (1) counts.
 * const detectron2 = { unit: "iteration", label: "faster_rcnn_R_50_FPN_1x" };
 * assert.deepEqual(sharedAxis([detectron2, timm], 1).scales, [undefined, 1]);
 * ```
 */
export function sharedAxis(
  views: readonly (AxisView | undefined)[],
  reference = 0,
  names: readonly string[] = views.map((v) => v?.label ?? ""),
): SharedAxis {
  const present = views.flatMap((v, i) => (v ? [i] : []));
  const ref = views[reference] ? reference : present[0];
  const isEpochs = (v: AxisView) => v.unit === EPOCH;
  const epochs = present.filter((i) => isEpochs(views[i]!));
  const rows = present.filter((i) => !isEpochs(views[i]!));
  const units = (of: number[]) => [...new Set(of.map((i) => views[i]!.unit))].join(" / ");
  if (epochs.length === 0 || rows.length === 0) {
    return {
      unit: units(present) || "iteration",
      scales: views.map((v) => (v ? 1 : undefined)),
      notes: [],
    };
  }
  const knows = (i: number) => {
    const n = views[i]!.rowsPerEpoch;
    return n !== undefined && Number.isFinite(n) && n > 0;
  };
  const inEpochs = rows.every(knows) || isEpochs(views[ref!]!);
  const scales: (number | undefined)[] = views.map(() => undefined);
  const notes: string[] = [];
  const refView = views[ref!]!;
  for (const i of present) {
    const v = views[i]!;
    if (isEpochs(v) === inEpochs) scales[i] = 1;
    else if (inEpochs && knows(i)) {
      scales[i] = 1 / v.rowsPerEpoch!;
      notes.push(
        `${names[i]}: ${v.unit}s drawn as epochs (${count(v.rowsPerEpoch!, v.unit)} an epoch)`,
      );
    } else {
      notes.push(
        inEpochs
          ? `${names[i]} not drawn: it counts ${v.unit}s and does not say how many an epoch ` +
            `has; the axis counts epochs (as ${names[ref!]})`
          : `${names[i]} not drawn: it counts epochs; the axis counts ${refView.unit}s (as ` +
            `${names[ref!]}), and not every curve says how many ${refView.unit}s an epoch has`,
      );
    }
  }
  return {
    unit: inEpochs ? EPOCH : units(present.filter((i) => scales[i] !== undefined)),
    scales,
    notes,
  };
}
