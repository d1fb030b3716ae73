/**
 * The CLI's detectron2 LazyConfig source: a positional `CONFIG.py` (detectron2's Python configs:
 * `configs/common/coco_schedule.py`, `new_baselines/*.py`, ViTDet) read in lrspec's Pyodide
 * sandbox as `LazyConfig.load` + `LazyConfig.apply_overrides` read it, and opened as the
 * LazyConfig view (`views/lazyconfig.ts`). `--opts KEY=VALUE …` are detectron2's overrides
 * (`lazyconfig_train_net.py … train.max_iter=1000`); `--detectron2 DIR` lets
 * `model_zoo.get_config(...)` read that checkout's `configs/`.
 *
 * @module
 */

import { lazyConfigView } from "../views/lazyconfig.ts";
import { readSettingsText } from "./_read.ts";
import type { ScheduleView } from "../views/view.ts";
import { loadPythonConfig, looksMmengine, pythonOverrides } from "./_python.ts";
import type { OpenContext } from "./source_kind.ts";

/**
 * Opens a detectron2 LazyConfig `.py` from disk as a view.
 *
 * @param path The config file.
 * @param context The command line: `--opts`, `--detectron2`, `--python`, `--past-end`, label.
 * @returns The view.
 * @throws {Error} With the file and line (a Python error in the config, the sandbox's refusal, a
 * time limit), or the key (`lr_multiplier`, `train.max_iter`, `optimizer.lr`).
 */
export function openLazyConfig(path: string, context: OpenContext): ScheduleView {
  if (context.value("num-workers") !== undefined) {
    throw context.usage(
      "--num-workers is for YAML configs (auto_scale_workers); lazyconfig_train_net.py does not " +
        "rescale a LazyConfig: set the values with --opts",
    );
  }
  // A regular file of bounded size, noted as an input of this run (no --out may replace it).
  const text = readSettingsText(path);
  if (looksMmengine(text)) {
    throw new Error(
      `${path} looks like an mmengine config (_base_, param_scheduler, optim_wrapper), not a ` +
        "detectron2 LazyConfig (lr_multiplier): use --mmengine " + path,
    );
  }
  const overrides = pythonOverrides(context.opts);
  const python = context.value("python") ?? "3.12";
  if (python !== "3.11" && python !== "3.12") {
    throw context.usage(`--python must be 3.11 or 3.12: got ${JSON.stringify(python)}`);
  }
  const detectron2Root = context.value("detectron2");
  const config = loadPythonConfig(path, {
    kind: "lazyconfig",
    overrides,
    ...(detectron2Root === undefined ? {} : { detectron2Root }),
  });
  return lazyConfigView(config, {
    path,
    python,
    overrides,
    pastEnd: context.flag("past-end") ? 1 : 0,
    ...(context.label === undefined ? {} : { label: context.label }),
  });
}
