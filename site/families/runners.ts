/**
 * How the page runs a schedule, by its protocol: torch's `LRScheduler` (stepped on an
 * optimizer), fvcore's `ParamScheduler` (`at(where)`), or a function of the step (optax). Each
 * builds the curve with the library and nothing else.
 *
 * @module
 */

import { paramSchedulerRuns } from "../../curve/runs.ts";
import { curveView } from "../../views/view.ts";
import { steppedValues } from "../curves.ts";
import type { ParamSchedulerLike } from "../../schedules/fvcore/param_scheduler.ts";
import { countSetting, type Field, numberSetting, pageField, type Runner } from "./family.ts";

/** The largest curve the page steps through (torch-style schedulers cost O(steps)). */
export const MAX_STEPPED = 5_000_000;

/**
 * The optimizer the page gives a torch-style scheduler: `SGD(params, lr=lr, momentum=0.9)`, one
 * parameter group, with torch's `defaults` (Hugging Face's polynomial and min-lr schedules read
 * `defaults["lr"]`).
 */
export function sgd(lr: number): {
  paramGroups: { lr: number; momentum: number }[];
  defaults: { lr: number; momentum: number };
} {
  return { paramGroups: [{ lr, momentum: 0.9 }], defaults: { lr, momentum: 0.9 } };
}

/** The page setting `lr`: the learning rate of the optimizer a scheduler is made on. */
export function lrField(dflt: string): Field {
  return pageField(
    "lr",
    "The optimizer's learning rate: the scheduler is made on `SGD(params, lr=lr, momentum=0.9)` with one parameter group.",
    dflt,
  );
}

/**
 * torch's protocol: the scheduler is made on `sgd(lr)` and stepped `steps` times; row `i` is the
 * learning rate after `i` calls of `step()` (row 0: after construction, torch's initial step).
 *
 * @param options The page settings' defaults and what the x axis counts.
 * @returns The runner.
 */
export function lrSchedulerRunner(
  options: { lr: string; steps: string; xLabel?: string },
): Runner {
  return {
    page: [
      lrField(options.lr),
      pageField(
        "steps",
        "How many `scheduler.step()` calls to draw (row i: the learning rate after i calls).",
        options.steps,
      ),
    ],
    supplies: { optimizer: "lr" },
    view(make, opts, page, schedule) {
      const lr = numberSetting(page, "lr");
      const steps = countSetting(page, "steps", MAX_STEPPED);
      const fresh = () => {
        const optimizer = sgd(lr);
        const scheduler = make({ ...opts, optimizer }) as { step(): void };
        return { optimizer, scheduler };
      };
      const runs = steppedValues({
        column: "lr",
        rows: steps + 1,
        start: () => {
          const { optimizer, scheduler } = fresh();
          return {
            values: (out) => (out[0] = optimizer.paramGroups[0]!.lr),
            step: () => scheduler.step(),
          };
        },
      });
      return curveView(runs, { ...schedule, unit: options.xLabel ?? "step" });
    },
  };
}

/**
 * fvcore's protocol: row `i` is `scale · scheduler.at(i / iterations)` for
 * `i = 0 … iterations − 1` (`where` from 0 to just under 1, as `sample` covers a run).
 *
 * @returns The runner.
 */
export function paramSchedulerRunner(): Runner {
  return {
    page: [
      pageField(
        "iterations",
        "The iterations `where` ∈ [0, 1) spans: row i is `at(i / iterations)`.",
        "1000",
      ),
      pageField(
        "scale",
        "A base learning rate the values are multiplied by (1: the multiplier itself).",
        "1",
      ),
    ],
    view(make, opts, page, schedule) {
      const iterations = countSetting(page, "iterations", Number.MAX_SAFE_INTEGER);
      const scale = numberSetting(page, "scale");
      const scheduler = make(opts) as ParamSchedulerLike;
      const runs = paramSchedulerRuns(scheduler, {
        numUpdates: iterations,
        column: "value",
        ...(scale === 1 ? {} : { scale }),
      });
      return curveView(runs, { ...schedule, unit: "iteration" });
    },
  };
}

/**
 * A schedule that is a function of the step count (optax's `schedule(count)`): row `i` is
 * `schedule(i)` for `i = 0 … steps`.
 *
 * @param options The page settings' defaults.
 * @returns The runner.
 */
export function stepFunctionRunner(options: { steps: string }): Runner {
  return {
    page: [pageField("steps", "The last step count drawn (rows 0 … steps).", options.steps)],
    view(make, opts, page, id) {
      const steps = countSetting(page, "steps", MAX_STEPPED);
      const schedule = make(opts) as (count: number) => number;
      const runs = steppedValues({
        column: "lr",
        rows: steps + 1,
        start: () => {
          // The value is computed by step(), so the first raising step is found as torch's are.
          let count = 0;
          let value = schedule(0);
          return {
            values: (out) => (out[0] = value),
            step: () => void (value = schedule(++count)),
          };
        },
      });
      return curveView(runs, { ...id, unit: "step" });
    },
  };
}
