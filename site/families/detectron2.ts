/**
 * detectron2: a config's `SOLVER` keys on a form (the page's default view: `get_cfg()`'s
 * schedule), a YAML config pasted or uploaded with its `_BASE_` files, and the legacy
 * `WarmupMultiStepLR` / `WarmupCosineLR` / DeepLab's `WarmupPolyLR` classes.
 *
 * The form's keys are read by detectron2's own `merge_from_list` (`--opts`): a value is typed as
 * detectron2 types it (`0.02`, `(60000, 80000)`, `True`), and a wrong one gets detectron2's
 * message.
 *
 * @module
 */

import * as detectron2 from "../../schedules/detectron2/mod.ts";
import { LR_SCHEDULER_NAMES } from "../../schedules/detectron2/build.ts";
import { CfgNode, DEEPLAB_CONFIG } from "../../config/cfg_node.ts";
import { parseConfig } from "../../config/yaml.ts";
import { detectron2View } from "../../views/detectron2.ts";
import type { FieldSpec, SiteSchema } from "../schema.ts";
import { type OptionProblem, optionProblem } from "../../schedules/errors.ts";
import {
  type Family,
  type Field,
  FieldError,
  fieldHolding,
  pageField,
  pythonCall,
  type ScheduleDef,
  type ScheduleInput,
  type SiteCurve,
  siteCurve,
  sliderFor,
  viewFieldError,
} from "./family.ts";
import { lrSchedulerRunner } from "./runners.ts";

/** The `SOLVER` keys the learning-rate schedule depends on, in the form's order. */
export const SCHEDULE_KEYS: readonly string[] = [
  "LR_SCHEDULER_NAME",
  "BASE_LR",
  "MAX_ITER",
  "STEPS",
  "GAMMA",
  "WARMUP_ITERS",
  "WARMUP_FACTOR",
  "WARMUP_METHOD",
  "RESCALE_INTERVAL",
  "BASE_LR_END",
  "NUM_DECAYS",
  "POLY_LR_POWER",
  "POLY_LR_CONSTANT_ENDING",
  "BIAS_LR_FACTOR",
  "IMS_PER_BATCH",
  "REFERENCE_WORLD_SIZE",
];

const CHOICES: Readonly<Record<string, readonly string[]>> = {
  LR_SCHEDULER_NAME: LR_SCHEDULER_NAMES,
  WARMUP_METHOD: ["linear", "constant"],
  RESCALE_INTERVAL: ["True", "False"],
};

/** A `SOLVER` key as a field (`SOLVER.BASE_LR`), its default from the docs. */
function keyField(spec: FieldSpec): Field {
  const choices = CHOICES[spec.name];
  // Python's repr tells int from float: `40000`, `0.1`.
  const float = spec.default !== undefined && /[.e]/.test(spec.default);
  const slider = choices ? undefined : sliderFor(spec, undefined, !float);
  // The form's values go through detectron2's --opts, which reads Python: True, not true.
  const dflt = spec.default === "true" ? "True" : spec.default === "false" ? "False" : spec.default;
  return {
    name: `SOLVER.${spec.name}`,
    label: spec.name,
    doc: spec.doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    type: spec.type,
    control: choices ? "select" : "text",
    ...(choices ? { choices: ["", ...choices] } : {}),
    required: false,
    page: false,
    ...(slider ? { slider: { ...slider, ...(float ? { float: true } : {}) } } : {}),
  };
}

const WORKERS = pageField(
  "workers",
  "detectron2's `DefaultTrainer.auto_scale_workers(cfg, workers)`: rescales the batch, the learning rate and the schedule from `SOLVER.REFERENCE_WORLD_SIZE` workers (empty: not rescaled).",
  "",
);

/**
 * `--opts` text split as a shell would (`SOLVER.STEPS "(1, 2)"`), keeping brackets together
 * (`SOLVER.STEPS (1, 2)`).
 */
export function splitOpts(text: string): string[] {
  const out: string[] = [];
  let cur = "";
  let depth = 0;
  let quote = "";
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = "";
      else cur += ch;
      continue;
    }
    if ((ch === '"' || ch === "'") && depth === 0) {
      quote = ch;
      has = true;
      continue;
    }
    if ("([{".includes(ch)) depth++;
    if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
    if (/\s/.test(ch) && depth === 0) {
      if (has || cur) out.push(cur);
      cur = "";
      has = false;
      continue;
    }
    cur += ch;
    has = true;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** The page's `workers` field: a positive integer, or empty (not rescaled). */
function workersOf(text: string | undefined): number | undefined {
  const t = (text ?? "").trim();
  if (t === "") return undefined;
  const n = Number(t);
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(n) || n < 1) {
    throw new FieldError(
      `\`workers\` must be a positive integer: got ${JSON.stringify(t)}`,
      "workers",
    );
  }
  return n;
}

/**
 * Runs `f`, turning its error into a FieldError about the field its data names (owner, option:
 * {@linkcode optionProblem}; never its message), else `fallback`.
 */
function located<T>(
  fieldOf: (problem: OptionProblem) => string | undefined,
  fallback: string | undefined,
  f: () => T,
): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FieldError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const problem = optionProblem(e);
    throw new FieldError(message, (problem && fieldOf(problem)) ?? fallback);
  }
}

/**
 * The form field of a config key's error (`cfg.SOLVER.BASE_LR` → `SOLVER.BASE_LR`; an element,
 * `cfg.SOLVER.STEPS[1]`, → `SOLVER.STEPS`).
 */
function fieldOfKey(names: readonly string[]): (problem: OptionProblem) => string | undefined {
  return (problem) =>
    problem.option.startsWith("cfg.")
      ? fieldHolding(names, problem.option.slice("cfg.".length))
      : undefined;
}

/** The `SOLVER` keys' form: detectron2's `get_cfg()` with `--opts` overrides. */
function configSource(schema: SiteSchema): ScheduleDef {
  const solver = schema.families.detectron2?.interfaces.SolverConfig ?? [];
  const fields = [
    ...SCHEDULE_KEYS.map((k) => solver.find((f) => f.name === k)).filter((f) => f !== undefined)
      .map(keyField),
    WORKERS,
  ];
  const names = fields.map((f) => f.name);
  return {
    id: "detectron2/config",
    family: "detectron2",
    name: "config",
    summary:
      "detectron2's `get_cfg()` with these SOLVER keys changed, as `--opts KEY VALUE` changes them; `build_lr_scheduler` and the trainer's stepping.",
    fields,
    build(input: ScheduleInput): SiteCurve {
      const opts: string[] = [];
      for (const f of fields) {
        const text = (input.values[f.name] ?? "").trim();
        if (!f.page && text !== "") opts.push(f.name, text);
      }
      const deeplab = opts.some((o, i) =>
        i % 2 === 0 && /POLY_LR/.test(o) ||
        i % 2 === 1 && opts[i - 1] === "SOLVER.LR_SCHEDULER_NAME" && /WarmupPolyLR/.test(o)
      );
      const numWorkers = workersOf(input.values.workers);
      // The form's values are shown beside their fields: not called "--opts".
      const node = located(
        fieldOfKey(names),
        undefined,
        () =>
          CfgNode.getCfg({ extensions: deeplab ? [DEEPLAB_CONFIG] : [] }).mergeFromList(opts, {
            source: "",
          }),
      );
      const cfg = located(fieldOfKey(names), undefined, () => node.toConfig());
      try {
        const view = detectron2View(cfg, {
          path: "get_cfg()",
          unplaced: null,
          ...(numWorkers !== undefined ? { numWorkers } : {}),
        });
        return siteCurve(view);
      } catch (e) {
        throw viewFieldError(e, (key) => fieldHolding(names, key), "workers");
      }
    },
  };
}

/** A YAML config, pasted or uploaded, with its `_BASE_` files. */
function yamlSource(): ScheduleDef {
  const text = (name: string, doc: string, dflt?: string, example?: string): Field => ({
    name,
    doc,
    ...(dflt !== undefined ? { default: dflt } : {}),
    ...(example !== undefined ? { example } : {}),
    type: { repr: "string", accepts: ["string"], literals: [] },
    control: "text",
    required: false,
    page: false,
  });
  const fields: Field[] = [
    {
      ...text(
        "yaml",
        "The config's YAML (paste it, or drop the file here). Its `_BASE_` files: add them below.",
        undefined,
        "SOLVER:\n  IMS_PER_BATCH: 16\n  BASE_LR: 0.02\n  STEPS: (60000, 80000)\n  MAX_ITER: 90000\n",
      ),
      control: "textarea",
    },
    {
      ...text(
        "bases",
        "The `_BASE_` files the config names (and theirs), matched by file name.",
      ),
      label: "_BASE_ files",
      control: "files",
    },
    text("file", "The config's file name: `_BASE_` paths are relative to it.", "config.yaml"),
    text(
      "opts",
      "detectron2's `--opts KEY VALUE …`, applied after the file (`SOLVER.BASE_LR 0.01`).",
      "",
    ),
    {
      ...text(
        "project",
        "`auto` adds DeepLab's keys (`add_deeplab_config`) when the config uses them or `WarmupPolyLR`.",
        "auto",
      ),
      control: "select",
      choices: ["", "auto", "detectron2", "deeplab"],
    },
    WORKERS,
  ];
  return {
    id: "detectron2/yaml",
    family: "detectron2",
    name: "yaml",
    legend: (values) =>
      [
        (values.file ?? "").trim() || "config.yaml",
        (values.opts ?? "").trim(),
        (values.workers ?? "").trim() ? `on ${values.workers!.trim()} workers` : "",
      ].filter((x) => x).join(" "),
    summary:
      "A detectron2 YAML config, loaded as detectron2 loads it: `_BASE_` chains, `get_cfg()`'s defaults, its type checks and version upgrades.",
    fields,
    build(input: ScheduleInput): SiteCurve {
      const fileName = (input.values.file ?? "").trim() || "config.yaml";
      const files = input.files;
      const readFile = (path: string) => {
        const exact = files[path];
        if (exact !== undefined) return exact;
        const base = path.replace(/^.*[\\/]/, "");
        const byName = Object.entries(files).find(([k]) => k.replace(/^.*[\\/]/, "") === base);
        if (byName) return byName[1];
        throw new Error(
          `${path} was not added: add it with "_BASE_ files" (${Object.keys(files).length} added)`,
        );
      };
      const notes: string[] = [];
      // --opts errors beside the opts field; the config's own (and the schedule's) beside the YAML.
      const optsField = (problem: OptionProblem) =>
        problem.owner === "mergeFromList" ? "opts" : undefined;
      return located(optsField, "yaml", () => {
        const project = (input.values.project ?? "").trim() || "auto";
        if (!["auto", "detectron2", "deeplab"].includes(project)) {
          throw new FieldError(`\`project\` must be auto, detectron2 or deeplab`, "project");
        }
        let opts: string[];
        try {
          opts = splitOpts(input.values.opts ?? "");
          if (opts.length % 2 !== 0) {
            throw new Error(`--opts: a KEY without a VALUE: ${opts[opts.length - 1]}`);
          }
        } catch (e) {
          throw new FieldError((e as Error).message, "opts");
        }
        const loaded = parseConfig(input.values.yaml ?? "", {
          fileName,
          readFile,
          project: project as "auto" | "detectron2" | "deeplab",
          opts,
          onWarning: (w) => {
            if (!/has no VERSION/.test(w)) notes.push(w);
          },
        });
        const numWorkers = workersOf(input.values.workers);
        const view = detectron2View(loaded.cfg, {
          path: fileName,
          node: loaded.node,
          ...(numWorkers !== undefined ? { numWorkers } : {}),
        });
        const curve = siteCurve(view);
        curve.notes.unshift(...notes);
        return curve;
      });
    },
  };
}

/** The detectron2 family. */
export const DETECTRON2: Family = {
  id: "detectron2",
  title: "detectron2",
  upstream: "detectron2.solver (detectron2 02b5c4e)",
  docs: "schedules/detectron2/mod.ts",
  filter: {
    is: ["LRScheduler"],
    supplied: ["optimizer"],
    exclude: {
      LRMultiplier:
        "its `multiplier` is a scheduler: the `config` and `yaml` schedules build it, as `build_lr_scheduler` does",
    },
  },
  hidden: ["lastEpoch"],
  interfaces: ["SolverConfig"],
  exports: detectron2,
  runner: lrSchedulerRunner({ lr: "0.02", steps: "1000", xLabel: "iteration" }),
  examples: {
    WarmupMultiStepLR: { milestones: "600, 800", warmupIters: "100" },
    WarmupCosineLR: { maxIters: "1000", warmupIters: "100" },
    WarmupPolyLR: { maxIters: "1000", warmupIters: "100" },
  },
  python: (name, options) =>
    pythonCall(
      name === "WarmupPolyLR"
        ? "detectron2.projects.deeplab.lr_scheduler.WarmupPolyLR"
        : `detectron2.solver.lr_scheduler.${name}`,
      ["optimizer"],
      options,
    ),
  sources: (schema) => [configSource(schema), yamlSource()],
  first: "config",
};
