/**
 * What a schedule family is to the playground: where its docs are (the forms come from them),
 * which of its exports are schedules, and how to turn a schedule and its options into a curve —
 * always by calling the library. A family is one file in this folder and one line in `mod.ts`.
 *
 * @module
 */

import type { PythonUpload } from "../python_files.ts";
import type { CurveRuns } from "../../curve/runs.ts";
import { optionProblem, placeOf, type ScheduleView } from "../../views/view.ts";
import type { FieldSpec, FieldType, ScheduleFilter, ScheduleSpec, SiteSchema } from "../schema.ts";
import { fieldValue, pythonValue, snakeCase } from "../fields.ts";

/** A field of a form: a library option (from the docs) or a page setting. */
export interface Field {
  /** The name (the option's, or the page setting's); the key in the URL. */
  name: string;
  /** What it is (the option's doc comment). */
  doc: string;
  /** The label, when not the name (`BASE_LR` for `SOLVER.BASE_LR`). */
  label?: string;
  /** The documented default, shown when the field is empty. */
  default?: string;
  /** The documented type. */
  type: FieldType;
  /** The value a new form starts with (required options need one to draw anything). */
  example?: string;
  /** How it is entered (`files`: uploads, kept by name beside the values). */
  control: "text" | "select" | "textarea" | "files";
  /** The choices of a select (its values); the empty value means "the default". */
  choices?: string[];
  /** Whether a missing value is an error (a required option). */
  required: boolean;
  /** A page setting (how long to draw, the optimizer's learning rate), not a library option. */
  page: boolean;
  /** A slider's range (numbers only); `float`: its values keep a decimal point (`1.0`). */
  slider?: { min: number; max: number; step: number; float?: boolean };
}

/** What a schedule is built from: its fields' texts, and uploaded files by name. */
export interface ScheduleInput {
  /** Field name → text. */
  values: Readonly<Record<string, string>>;
  /** File name (a folder's relative path) → text (a config's `_BASE_` / `_base_` files). */
  files: Readonly<Record<string, string>>;
  /**
   * Reads a `.py` config in the Python sandbox (the page's worker): the config, its error, or
   * undefined while it is being read (the page builds again when it is done). Absent where no
   * sandbox runs.
   */
  python?: PythonResolver;
}

/** A `.py` config read in the sandbox: the merged config, or why it could not be read. */
export type PythonResult = { config: Record<string, unknown> } | { error: Error };

/** {@linkcode ScheduleInput.python}. */
export type PythonResolver = (upload: PythonUpload) => PythonResult | undefined;

/** A vertical mark on the chart. */
export interface CurveMark {
  /** The iteration. */
  iteration: number;
  /** What happens there (`warmup`, `×0.1`). */
  what: string;
}

/** A schedule's curve, built by the library, with what the page says about it. */
export interface SiteCurve {
  /** The family's view (`views/`): what `lrspec` shows of the same schedule. */
  view: ScheduleView;
  /** The values, as runs (constant stretches cost nothing to draw): the view's. */
  runs: CurveRuns;
  /** What the x axis counts (`iteration`, `step`, `epoch`). */
  xLabel: string;
  /** Marks (warmup end, steps). */
  marks: CurveMark[];
  /** The library's explanation, or the upstream call that makes the same schedule. */
  explain: string;
  /** The schedule's own warnings and notes. */
  notes: string[];
}

/**
 * The page's curve of a view: its runs, its unit on the x axis, its marks, its words.
 *
 * @param view The family's view.
 * @param call The upstream call that makes the same schedule, shown after the explanation.
 * @returns The curve.
 */
export function siteCurve(view: ScheduleView, call?: string): SiteCurve {
  const words = view.explain();
  return {
    view,
    runs: view,
    xLabel: view.unit,
    marks: view.marks.map((m) => ({ ...m })),
    explain: call === undefined ? words : words ? `${words}\n\n${call}` : call,
    notes: [...view.notes],
  };
}

/**
 * A view's error as a {@linkcode FieldError}: beside the field its place names (the file, when
 * `files` names the field it was pasted in; else the key as the form names it, through
 * `fieldOf`), else beside `fallback`.
 *
 * @param error What the view threw.
 * @param fieldOf The form's field for a key the view names (`SOLVER.BASE_LR`, `--dataset-size`).
 * @param fallback The field for the rest (the text area the file was pasted in).
 * @param files The form's fields by the file name the view was given for them, when the form
 * holds more than one file (`{ trainingArgs: "trainingArgs" }`: the Trainer's arguments beside a
 * `ds_config.json`).
 * @param options The form's fields by the library option they set (`{ worldSize: "worldSize" }`):
 * an error whose data (its own, or a cause's the view wrapped) names one of them, or an option
 * inside one (`lrScales[2]`), goes beside that field, before any place in a file.
 * @returns The error to show.
 */
export function viewFieldError(
  error: unknown,
  fieldOf: (key: string) => string | undefined,
  fallback: string | undefined,
  files: Readonly<Record<string, string>> = {},
  options: Readonly<Record<string, string>> = {},
): FieldError {
  if (error instanceof FieldError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // A page setting's error: the view wraps the library's (placed in the file) as its `cause`.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const option = optionProblem(e)?.option;
    const name = option === undefined
      ? undefined
      : Object.keys(options).find((o) => within(option, o));
    if (name !== undefined) return new FieldError(message, options[name]);
    e = (e as { cause?: unknown }).cause;
  }
  const place = placeOf(error);
  if (place !== undefined && Object.hasOwn(files, place.file)) {
    return new FieldError(message, files[place.file]);
  }
  const key = place?.key;
  return new FieldError(message, (key === undefined ? undefined : fieldOf(key)) ?? fallback);
}

/** An error about one field (or, without `field`, about the schedule as a whole). */
export class FieldError extends Error {
  /** The field it is about. */
  readonly field: string | undefined;
  /**
   * @param message The library's message.
   * @param field The field.
   */
  constructor(message: string, field?: string) {
    super(message);
    this.name = "FieldError";
    this.field = field;
  }
}

/** Whether the option path `option` is `name` or lies in it (`name[0]`, `name.peakValue`). */
function within(option: string, name: string): boolean {
  return option === name || option.startsWith(`${name}[`) || option.startsWith(`${name}.`);
}

/**
 * The field of `names` that holds a key a view or a config names: the key itself, else the
 * field it lies in (`SOLVER.STEPS[1]` → `SOLVER.STEPS`), else undefined.
 *
 * @param names The form's field names.
 * @param key The key.
 * @returns The field's name, or undefined.
 */
export function fieldHolding(names: readonly string[], key: string): string | undefined {
  return names.includes(key) ? key : names.find((name) => within(key, name));
}

/**
 * The field of `def`'s form an error belongs beside, from the error's data (never its message):
 * a {@linkcode FieldError}'s field; for a library error (`error.cause`: owner, option, value), the
 * field of that option — the option itself, or the form's option that holds it (`milestones`
 * for `milestones[1]`, `cosineKwargs` for `cosineKwargs[0].peakValue`) — or the page setting the
 * page made it from ({@linkcode ScheduleDef.supplies}: `lr` for
 * `optimizer.paramGroups[0].lr`). Undefined: the error is about the schedule as a whole (a value
 * the schedule derives, such as a non-finite rate at step 0), shown at the top of the form.
 *
 * @param def The schedule.
 * @param error What its build threw.
 * @returns The field's name, or undefined.
 */
export function errorField(def: ScheduleDef, error: unknown): string | undefined {
  if (error instanceof FieldError) return error.field;
  const option = optionProblem(error)?.option;
  if (option === undefined) return undefined;
  const field = def.fields.find((f) => f.name === option) ??
    def.fields.find((f) => !f.page && within(option, f.name));
  if (field !== undefined) return field.name;
  for (const [supplied, name] of Object.entries(def.supplies ?? {})) {
    if (within(option, supplied)) return name;
  }
  return undefined;
}

/** A schedule the page offers. */
export interface ScheduleDef {
  /** `family/name` (`torch/StepLR`), in the URL. */
  id: string;
  /** The family's id. */
  family: string;
  /** The schedule's name (`StepLR`, `config`). */
  name: string;
  /** One line about it (the first paragraph of its doc comment). */
  summary: string;
  /** The form. */
  fields: Field[];
  /**
   * One of a set of schedules the page offers as one (optax's `WrappedSchedule` around each of
   * optax's schedules): the Schedule list names the set once (`group`), and the form's first
   * field, `field`, picks the member (`choices`: the field's text → the member's id).
   */
  variant?: ScheduleVariant;
  /**
   * Options the page supplies, by the setting they are made from (`{ optimizer: "lr" }`: the
   * optimizer is made with the `lr` field's rate), so that an error about one of them
   * (`optimizer.paramGroups[0].lr`) is shown beside that field: {@linkcode errorField}.
   */
  supplies?: Readonly<Record<string, string>>;
  /** The legend's name for a curve of this schedule, when not its family and name. */
  legend?: (values: Readonly<Record<string, string>>) => string;
  /**
   * Builds the curve with the library.
   * @throws {FieldError | Error} The library's error (the page places it beside its field).
   */
  build(input: ScheduleInput): SiteCurve;
}

/** See {@linkcode ScheduleDef.variant}. */
export interface ScheduleVariant {
  /** The set's name in the Schedule list (`WrappedSchedule`). */
  group: string;
  /** The field that picks the member: its name (`scheduleFn`) and doc. */
  field: { name: string; doc: string };
  /** This member's text in that field (`linearSchedule`). */
  choice: string;
  /** Every member: its text in the field → its schedule's id. */
  choices: Readonly<Record<string, string>>;
}

/** How to run the schedules a family's docs list. */
export interface Runner {
  /** Page settings the form adds (`lr`, `steps`). */
  page: Field[];
  /** The options it supplies, by the page setting each is made from: {@linkcode ScheduleDef.supplies}. */
  supplies?: Readonly<Record<string, string>>;
  /**
   * The view of a schedule made by `make` from `options` (the form's library options), with the
   * page settings `page`.
   */
  view(
    make: (options: Record<string, unknown>) => unknown,
    options: Record<string, unknown>,
    page: Record<string, unknown>,
    schedule: { family: string; path: string },
  ): ScheduleView;
}

/** A family of schedules. */
export interface Family {
  /** Its id (`torch`), in the URL. */
  id: string;
  /** Its name on the page (`PyTorch`). */
  title: string;
  /** Which upstream, which version (`torch.optim.lr_scheduler, torch 1.13`). */
  upstream: string;
  /** The entry point whose `deno doc --json` lists its schedules and their options. */
  docs: string;
  /** Which documented exports are schedules; which options the page supplies. */
  filter: ScheduleFilter;
  /** Options not shown (`lastEpoch`, `verbose`: not part of a schedule's shape). */
  hidden?: readonly string[];
  /** Options interfaces the family's own sources read fields from (`SolverConfig`). */
  interfaces?: readonly string[];
  /** The module's exports, by name: where `make` finds each schedule. */
  exports: Readonly<Record<string, unknown>>;
  /** How to run a documented schedule. */
  runner?: Runner;
  /** Example values for a schedule's fields (its required options, the page settings). */
  examples?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** How the upstream call is written (`torch.optim.lr_scheduler.StepLR(optimizer, …)`). */
  python?: (name: string, options: Record<string, unknown>) => string;
  /** Schedules that are not one documented class or function (a config file, a form of keys). */
  sources?: (schema: SiteSchema) => ScheduleDef[];
  /** The schedule shown when the family is picked. */
  first?: string;
  /**
   * Options shown last, after the others (timm's noise keywords).
   * @default {[]}
   */
  lastFields?: readonly string[];
}

/**
 * A form's order: required options first, then the options interface's own, then those it
 * inherits (in declaration order), then the family's `lastFields`.
 */
function formOrder(spec: ScheduleSpec, last: readonly string[]): FieldSpec[] {
  const rank = (f: FieldSpec) =>
    last.includes(f.name)
      ? 3 + last.indexOf(f.name) / (last.length + 1)
      : !f.optional
      ? 0
      : f.owner === spec.options
      ? 1
      : 2;
  return spec.fields.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

/** A number field of the page's own (not a library option). */
export function pageField(
  name: string,
  doc: string,
  dflt: string,
  slider?: Field["slider"],
): Field {
  return {
    name,
    doc,
    default: dflt,
    type: { repr: "number", accepts: ["number"], literals: [] },
    control: "text",
    required: false,
    page: true,
    ...(slider ? { slider } : {}),
  };
}

/** A slider's range for a number field, around its example or default value. */
export function sliderFor(
  spec: FieldSpec,
  example?: string,
  integral?: boolean,
): Field["slider"] | undefined {
  if (!spec.type.accepts.includes("number") || spec.type.accepts.includes("array")) return;
  const base = Number(fieldValue(example ?? spec.default ?? "", spec.type));
  if (!Number.isFinite(base)) return;
  const whole = integral ?? (Number.isInteger(base) && Math.abs(base) >= 2);
  const max = base === 0 ? (whole ? 10 : 1) : Math.abs(base) * 2;
  const min = base < 0 ? -max : 0;
  return { min, max, step: whole ? 1 : max / 1000 };
}

/** A documented option as a form field. */
export function optionField(spec: FieldSpec, example?: string): Field {
  const { literals, accepts } = spec.type;
  const select = literals.length > 0 &&
    accepts.every((a) => a === "null" || a === "boolean");
  const choices = select
    ? [
      "",
      ...literals.map(String),
      ...(accepts.includes("boolean") ? ["true", "false"] : []),
      ...(accepts.includes("null") ? ["null"] : []),
    ]
    : spec.type.accepts.length === 1 && accepts[0] === "boolean"
    ? ["", "true", "false"]
    : undefined;
  const slider = choices ? undefined : sliderFor(spec, example);
  return {
    name: spec.name,
    doc: spec.doc,
    ...(spec.default !== undefined ? { default: spec.default } : {}),
    type: spec.type,
    ...(example !== undefined ? { example } : {}),
    control: choices ? "select" : "text",
    ...(choices ? { choices } : {}),
    required: !spec.optional,
    page: false,
    ...(slider ? { slider } : {}),
  };
}

/** The form's values as the library's options and the page's settings. */
export function readFields(
  fields: readonly Field[],
  values: Readonly<Record<string, string>>,
): { options: Record<string, unknown>; page: Record<string, unknown> } {
  const options: Record<string, unknown> = {};
  const page: Record<string, unknown> = {};
  for (const f of fields) {
    const text = values[f.name] ?? "";
    const value = fieldValue(text, f.type);
    const target = f.page ? page : options;
    if (value !== undefined) target[f.name] = value;
    else if (f.page && f.default !== undefined) target[f.name] = fieldValue(f.default, f.type);
  }
  return { options, page };
}

/** A page setting that must be a positive safe integer (how many steps to draw). */
export function countSetting(page: Record<string, unknown>, name: string, max = 2 ** 31): number {
  const v = page[name];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1 || v > max) {
    throw new FieldError(
      `\`${name}\` must be an integer from 1 to ${max}: got ${
        typeof v === "string" ? JSON.stringify(v) : String(v)
      }`,
      name,
    );
  }
  return v;
}

/** A page setting that must be a finite number. */
export function numberSetting(page: Record<string, unknown>, name: string): number {
  const v = page[name];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new FieldError(
      `\`${name}\` must be a finite number: got ${
        typeof v === "string" ? JSON.stringify(v) : String(v)
      }`,
      name,
    );
  }
  return v;
}

/** `module.Name(first, key=value, …)`: the upstream call, keyword names in snake_case. */
export function pythonCall(
  callee: string,
  positional: readonly string[],
  options: Record<string, unknown>,
): string {
  const args = [
    ...positional,
    ...Object.entries(options).map(([k, v]) => `${snakeCase(k)}=${pythonValue(v)}`),
  ];
  return `${callee}(${args.join(", ")})`;
}

/**
 * The schedules a family's docs list, as the page offers them: one form field per documented
 * option (less the supplied and hidden ones), then the runner's page settings.
 *
 * @param family The family.
 * @param schema The build's schema.
 * @returns Its schedules, documented ones first, then its own sources.
 */
export function familySchedules(family: Family, schema: SiteSchema): ScheduleDef[] {
  const fs = schema.families[family.id];
  if (fs === undefined) return [];
  const out: ScheduleDef[] = [];
  const runner = family.runner;
  if (runner) {
    for (const spec of fs.schedules) {
      const make = family.exports[spec.name];
      if (typeof make !== "function") continue;
      const examples = family.examples?.[spec.name] ?? {};
      const hidden = family.hidden ?? [];
      const fields = [
        ...formOrder(spec, family.lastFields ?? []).filter((f) => !hidden.includes(f.name)).map((
          f,
        ) => optionField(f, examples[f.name])),
        ...runner.page.map((p) => {
          const example = examples[p.name];
          return example === undefined ? p : { ...p, example };
        }),
      ];
      const create = spec.kind === "class"
        ? (o: Record<string, unknown>) => new (make as new (o: unknown) => unknown)(o)
        : (o: Record<string, unknown>) => (make as (o: unknown) => unknown)(o);
      out.push({
        id: `${family.id}/${spec.name}`,
        family: family.id,
        name: spec.name,
        summary: spec.summary,
        fields,
        ...(runner.supplies ? { supplies: runner.supplies } : {}),
        build(input) {
          const { options, page } = readFields(fields, input.values);
          const view = runner.view(create, options, page, {
            family: family.id,
            path: spec.name,
          });
          return siteCurve(view, family.python?.(spec.name, options));
        },
      });
    }
  }
  out.push(...(family.sources?.(schema) ?? []));
  return out;
}
