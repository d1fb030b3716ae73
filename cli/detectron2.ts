/**
 * The CLI's detectron2 source: a YAML config (with its `_BASE_` files, `--opts`,
 * `--num-workers`, `--project`, `--torch`, `--python`) read from disk and opened as
 * detectron2 views (`views/detectron2.ts`), one per `--num-workers` value.
 *
 * @module
 */

import { type Detectron2View, detectron2View } from "../views/detectron2.ts";
import { loadConfigFile } from "./files.ts";
import { openLazyConfig } from "./lazyconfig.ts";
import type { OpenContext, SourceKind } from "./source_kind.ts";

/** How to open a detectron2 config from disk. */
export interface OpenDetectron2Options {
  /** `auto`, `detectron2` or `deeplab`. */
  project: "auto" | "detectron2" | "deeplab";
  /** detectron2's `--opts KEY VALUE …`. */
  opts: readonly string[];
  /** yacs' `new_allowed`. */
  allowNewKeys: boolean;
  /** `auto_scale_workers` to this many workers. */
  numWorkers: number | undefined;
  /** Rows past `MAX_ITER` (1: one step past training). */
  pastEnd: number;
  /** Whether the label names the worker count (several curves of one config). */
  labelWorkers: boolean;
  /** The legend entry instead of the file name. */
  label: string | undefined;
  /** Where notes go (`lrspec: note: …`), as they happen. */
  note: (text: string) => void;
  /** Show detectron2's "no VERSION" notes. */
  verbose: boolean;
  /** The torch and Python releases the scheduler follows (`--torch`, `--python`). */
  releases: { torch: "1.13" | "2.11" | "2.13"; python: "3.11" | "3.12" };
}

/**
 * Loads a detectron2 YAML config from disk as detectron2 does and opens it as a view.
 *
 * @param path The config file.
 * @param options How to load it.
 * @returns The view.
 * @throws {SyntaxError | TypeError | RangeError} With the file, the key and the line.
 */
export function openDetectron2(path: string, options: OpenDetectron2Options): Detectron2View {
  const loaded = loadConfigFile(path, {
    project: options.project,
    opts: options.opts,
    allowNewKeys: options.allowNewKeys,
    onWarning: (w) => {
      // detectron2's "no VERSION" notes are noise for most model-zoo files; shown on request.
      if (options.verbose || !/has no VERSION/.test(w)) options.note(w);
    },
  });
  return detectron2View(loaded.cfg, {
    path,
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(options.numWorkers !== undefined ? { numWorkers: options.numWorkers } : {}),
    labelWorkers: options.labelWorkers,
    pastEnd: options.pastEnd,
    node: loaded.node,
    releases: options.releases,
  });
}

function positive(context: OpenContext, name: string, text: string | undefined) {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0) {
    throw context.usage(`--${name} must be a positive integer: got ${JSON.stringify(text)}`);
  }
  return n;
}

/** The options `openDetectron2` takes from the command line, checked. */
export function detectron2Options(
  context: OpenContext,
): Omit<OpenDetectron2Options, "numWorkers" | "labelWorkers" | "label"> {
  const project = context.value("project") ?? "auto";
  if (!["auto", "detectron2", "deeplab"].includes(project)) {
    throw context.usage(
      `--project must be auto, detectron2 or deeplab: got ${JSON.stringify(project)}`,
    );
  }
  const torch = context.value("torch") ?? "2.13";
  const python = context.value("python") ?? "3.12";
  if (torch !== "1.13" && torch !== "2.11" && torch !== "2.13") {
    throw context.usage(`--torch must be 1.13, 2.11 or 2.13: got ${JSON.stringify(torch)}`);
  }
  if (python !== "3.11" && python !== "3.12") {
    throw context.usage(`--python must be 3.11 or 3.12: got ${JSON.stringify(python)}`);
  }
  return {
    project: project as OpenDetectron2Options["project"],
    opts: context.opts,
    allowNewKeys: context.flag("allow-new-keys"),
    pastEnd: context.flag("past-end") ? 1 : 0,
    note: context.note,
    verbose: context.flag("verbose"),
    releases: { torch, python },
  };
}

/** detectron2 YAML configs: the positional `CONFIG.yaml` of every command. */
export const DETECTRON2_SOURCE: SourceKind = {
  id: "detectron2",
  flag: undefined,
  what: "a detectron2 YAML config",
  opts: true,
  recognize: (text) => /^(?:_BASE_|SOLVER|MODEL|DATASETS|INPUT|VERSION)\s*:/m.test(text),
  files: "detectron2 configs",
  arg: "CONFIG.yaml",
  rows: "iter,lr[,lr_bias] for iterations 0..MAX_ITER, streamed",
  rowsMore: "the rate iteration i trains with; lr_bias, the biases' rate, when BIAS_LR_FACTOR is " +
    "not 1; an error column when detectron2 raises at some iteration. The same for a LazyConfig " +
    "CONFIG.py",
  explains: "the learning rate at each change, the bias group, the batch; a LazyConfig's " +
    "lr_multiplier the same way",
  help: "a detectron2 YAML config (its _BASE_ files read as detectron2 reads them), or a\n" +
    "LazyConfig CONFIG.py (read by CPython in a sandbox, as LazyConfig.load; --opts KEY=VALUE)",
  options: [
    {
      name: "num-workers",
      type: "string",
      repeatIn: ["plot"],
      help: "N  rescale with detectron2's auto_scale_workers (REFERENCE_WORLD_SIZE)",
      instead: "num-processes",
    },
    {
      name: "project",
      type: "string",
      help: "P  auto (default), detectron2 or deeplab (adds add_deeplab_config's keys)",
    },
    {
      name: "allow-new-keys",
      type: "boolean",
      help: "accept keys that detectron2's defaults lack (yacs new_allowed)",
    },
    {
      name: "verbose",
      type: "boolean",
      help: "show detectron2's notes about files without VERSION",
    },
    {
      name: "torch",
      type: "string",
      help: "1.13|2.11|2.13  the torch release the scheduler follows (default 2.13)",
    },
    {
      name: "python",
      type: "string",
      help: "3.11|3.12  the Python whose sum() fvcore's composite uses (default 3.12)",
    },
    {
      name: "detectron2",
      type: "string",
      help: "DIR  a detectron2 checkout: CONFIG.py's model_zoo.get_config reads its configs/",
    },
    {
      name: "past-end",
      type: "boolean",
      commands: ["curve"],
      help: "add iteration MAX_ITER+1 (one step past training, as the fixtures do)",
    },
  ],
  open(path, context) {
    if (/\.py$/i.test(path)) return [openLazyConfig(path, context)];
    const options = detectron2Options(context);
    const given = context.command === "plot" ? context.values("num-workers") : [];
    const workers = given.length > 0 ? given : [context.value("num-workers")];
    const counts = workers.map((w) => positive(context, "num-workers", w));
    return counts.map((numWorkers) =>
      openDetectron2(path, {
        ...options,
        numWorkers,
        labelWorkers: counts.length > 1,
        label: context.label,
      })
    );
  },
};
