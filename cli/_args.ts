/**
 * What every command shares: where output goes ({@linkcode Context}), usage errors, argument
 * parsing with the source kinds' flags and options (`cli/sources.ts`), and opening the
 * schedules named on the command line as views — in command-line order, each kind's options
 * given once for all its files or once per file.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { readSettingsText } from "./_read.ts";
import { negativeRateWarning } from "./_negative.ts";
import {
  type ByteSink,
  callbackSink,
  CliError,
  fileSink,
  type StdoutSink,
  stdoutSink,
} from "./_output.ts";
import { type OpenContext, type ScheduleView, type SourceKind, SOURCES } from "./sources.ts";

export type { ScheduleView };

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

/** The I/O of one run: the caller's callbacks, or the process's streams with backpressure. */
export interface Context {
  io: CliIo;
  /** Makes the stdout sink for streamed output. */
  stdout: () => { sink: ByteSink; copy: boolean };
  /** The process's stdout, when the run writes there: `main` waits for it to finish. */
  processStdout?: StdoutSink;
}

/** A usage mistake: reported with a pointer to the command's help. */
export class UsageError extends CliError {
  constructor(command: string, message: string) {
    super(`${message} (see lrspec ${command === "" ? "" : `${command} `}--help)`);
  }
}

/** A `parseArgs` option. */
export type OptionSpec = { type: "string" | "boolean"; multiple?: boolean; short?: string };

const OPTS_MARKERS = ["--opts", "--opts-a", "--opts-b"];

/** A schedule named on the command line: its kind and its file. */
export interface SourceSpec {
  kind: SourceKind;
  path: string;
}

/** A parsed command line. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** The schedules, in command-line order. */
  sources: SourceSpec[];
  /** `--opts` (both sides), `--opts-a`, `--opts-b`. */
  opts: { both: string[]; a: string[]; b: string[] };
  help: boolean;
}

/** The `parseArgs` options of the source kinds, as `command` takes them. */
export function sourceOptions(command: string): Record<string, OptionSpec> {
  const out: Record<string, OptionSpec> = {};
  for (const kind of SOURCES) {
    if (kind.flag !== undefined) out[kind.flag] = { type: "string", multiple: true };
    for (const o of kind.options) {
      if (o.commands !== undefined && !o.commands.includes(command)) continue;
      const multiple = o.perFile === true || (o.repeatIn?.includes(command) ?? false);
      const prev = out[o.name];
      out[o.name] = { type: o.type, ...(multiple || prev?.multiple ? { multiple: true } : {}) };
    }
  }
  return out;
}

/**
 * node:util's parseArgs, with two habits of people's command lines added before it runs: a
 * negative number after an option that takes a value is that value (`--num-workers -2`), and
 * everything after `--opts` (or `--opts-a`, `--opts-b`) is overrides, as detectron2 reads them.
 * Positionals and source flags (`--hf FILE`) become {@linkcode SourceSpec}s in order.
 */
export function parse(
  command: string,
  argv: string[],
  options: Record<string, OptionSpec>,
): Parsed {
  const opts = { both: [] as string[], a: [] as string[], b: [] as string[] };
  const at = argv.findIndex((a) => OPTS_MARKERS.includes(a));
  const args = at < 0 ? argv : argv.slice(0, at);
  if (at >= 0) {
    let into = opts.both;
    for (const a of argv.slice(at)) {
      if (a === "--opts") into = opts.both;
      else if (a === "--opts-a" && command === "diff") into = opts.a;
      else if (a === "--opts-b" && command === "diff") into = opts.b;
      else if (OPTS_MARKERS.includes(a)) throw new UsageError(command, `${a} is for diff only`);
      else into.push(a);
    }
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith("--") ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (
      name !== undefined && options[name]?.type === "string" && next !== undefined &&
      (/^-(?:\d|\.\d|inf|nan)/i.test(next) || (next.startsWith("-") && /\s/.test(next)))
    ) {
      joined.push(`${a}=${next}`);
      i++;
    } else joined.push(a);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: joined,
      allowPositionals: true,
      tokens: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    const message = error instanceof Error
      ? error.message.split(". To specify")[0]!
      : String(error);
    throw new UsageError(command, message);
  }
  const values = parsed.values as Parsed["values"];
  const sources: SourceSpec[] = [];
  const positional = SOURCES.find((k) => k.flag === undefined);
  for (const token of parsed.tokens ?? []) {
    if (token.kind === "positional" && positional) {
      sources.push({ kind: positional, path: token.value });
    } else if (token.kind === "option") {
      const kind = SOURCES.find((k) => k.flag !== undefined && k.flag === token.name);
      if (kind) sources.push({ kind, path: token.value ?? "" });
    }
  }
  pairHfWithDeepSpeed(values, sources);
  return { values, positionals: parsed.positionals, sources, opts, help: values.help === true };
}

/**
 * `--hf args.json --deepspeed ds_config.json` is one run: the DeepSpeed config under that
 * Trainer. With exactly one of each (and no `--hf-args`), the `--hf` file becomes the
 * `--deepspeed` source's `--hf-args`.
 */
function pairHfWithDeepSpeed(values: Parsed["values"], sources: SourceSpec[]): void {
  const hf = sources.filter((s) => s.kind.id === "hf");
  const ds = sources.filter((s) => s.kind.id === "deepspeed");
  if (hf.length !== 1 || ds.length !== 1 || values["hf-args"] !== undefined) return;
  values["hf-args"] = [hf[0]!.path];
  sources.splice(sources.indexOf(hf[0]!), 1);
}

/** A positive integer option, or a usage error. */
export function positiveInt(command: string, name: string, text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(command, `--${name} must be a positive integer: got ${JSON.stringify(s)}`);
  }
  return n;
}

/** Writes `lrspec: note: …` on stderr. */
export function note(io: CliIo, text: string): void {
  io.stderr(`lrspec: note: ${text}\n`);
}

/** `a`, `a and b`, `a, b and c`. */
function list(items: readonly string[]): string {
  return items.length <= 1
    ? items.join("")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A settings file's text, or undefined when it cannot be read (its kind's `open` says why). */
function peek(path: string): string | undefined {
  try {
    return readSettingsText(path);
  } catch {
    return undefined;
  }
}

/** "PATH looks like … : use --flag", when the file is another kind's and not this one's. */
function wrongKind(spec: SourceSpec): string | undefined {
  const text = peek(spec.path);
  if (text === undefined) return undefined;
  if (spec.kind.recognize?.(text, spec.path) === true) return undefined;
  const other = SOURCES.find((k) => k !== spec.kind && k.recognize?.(text, spec.path) === true);
  if (other === undefined) return undefined;
  const how = other.flag === undefined
    ? `give it without a flag`
    : `use --${other.flag} ${spec.path}`;
  return `${spec.path}: this looks like ${other.what}, not ${spec.kind.what}: ${how}`;
}

/** Extra arguments of {@linkcode openSources}. */
export interface OpenExtra {
  /** The legend entry of each schedule, in order (`plot --label`). */
  labels?: readonly string[];
}

/**
 * Opens every schedule named on the command line, in order, through its kind's `open`; notes
 * go to stderr, and a warning when a schedule's learning rate goes negative (`cli/_negative.ts`). Checks first that every source option given has a file of a kind that takes it,
 * and that per-file options are given once or once per file.
 */
export function openSources(
  command: string,
  ctx: Context,
  p: Parsed,
  opts: (index: number) => string[],
  extra: OpenExtra = {},
): ScheduleView[] {
  const v = p.values;
  const specs = p.sources;
  const used = new Set(specs.map((s) => s.kind));
  const usage = (message: string) => new UsageError(command, message);
  const declared = new Map<string, SourceKind[]>();
  for (const kind of SOURCES) {
    for (const o of kind.options) {
      if (o.commands !== undefined && !o.commands.includes(command)) continue;
      declared.set(o.name, [...(declared.get(o.name) ?? []), kind]);
    }
  }
  for (const [name, kinds] of declared) {
    if (v[name] === undefined || kinds.some((k) => used.has(k))) continue;
    const option = kinds[0]!.options.find((o) => o.name === name)!;
    const others = option.instead === undefined
      ? []
      : SOURCES.filter((k) =>
        k.flag !== undefined && k.options.some((o) => o.name === option.instead)
      );
    throw usage(
      `--${name} is for ${list(kinds.map((k) => k.files))}`.replace(
        / files and (--\w+) files$/,
        " and $1 files",
      ) +
        (others.length === 0
          ? ""
          : `; ${list(others.map((k) => `--${k.flag}`))} runs take --${option.instead}`),
    );
  }
  if (
    p.opts.both.length + p.opts.a.length + p.opts.b.length > 0 && ![...used].some((k) => k.opts)
  ) {
    throw usage(`--opts is for ${list(SOURCES.filter((k) => k.opts).map((k) => k.files))}`);
  }
  /** Per-file options: the value for each spec (by index). */
  const perFile = new Map<string, (string | undefined)[]>();
  for (const [name, kinds] of declared) {
    const option = kinds[0]!.options.find((o) => o.name === name)!;
    if (option.perFile !== true) continue;
    const mine = specs.map((s, i) => (kinds.includes(s.kind) ? i : -1)).filter((i) => i >= 0);
    const given = (v[name] as string[] | undefined) ?? [];
    const out: (string | undefined)[] = new Array(specs.length).fill(undefined);
    if (given.length > 1 && given.length !== mine.length) {
      const files = list(kinds.map((k) => k.files)).replace(
        / files and (--\w+) files$/,
        " and $1 files",
      );
      throw usage(
        `--${name} given ${given.length} times for ${mine.length} ${files} (once for all, or ` +
          `once per file in order)`,
      );
    }
    mine.forEach((i, k) => (out[i] = given.length === 1 ? given[0] : given[k]));
    perFile.set(name, out);
  }
  const views: ScheduleView[] = [];
  specs.forEach((spec, i) => {
    const context: OpenContext = {
      command,
      value: (name) => {
        const per = perFile.get(name);
        if (per) return per[i];
        const x = v[name];
        if (Array.isArray(x)) return x.length ? String(x[x.length - 1]) : undefined;
        return typeof x === "string" ? x : undefined;
      },
      flag: (name) => v[name] === true,
      values: (name) => {
        const x = v[name];
        return Array.isArray(x) ? x.map(String) : typeof x === "string" ? [x] : [];
      },
      opts: opts(i),
      label: extra.labels?.[i],
      note: (text) => note(ctx.io, text),
      usage,
    };
    const wrong = wrongKind(spec);
    if (wrong !== undefined) throw new CliError(wrong);
    for (const view of spec.kind.open(spec.path, context)) {
      for (const n of view.notes) note(ctx.io, n);
      const negative = negativeRateWarning(view);
      if (negative !== undefined) ctx.io.stderr(`lrspec: warning: ${negative}\n`);
      views.push(view);
    }
  });
  return views;
}

/** Writes text to `--out` (or stdout). */
export function output(text: string, out: string | undefined, ctx: Context): void {
  if (out === undefined) {
    ctx.io.stdout(text);
    return;
  }
  const sink = fileSink(out);
  sink.write(new TextEncoder().encode(text));
  sink.close();
}

/** The context of the process: its stdout with backpressure, its stderr. */
let processStdout: StdoutSink | undefined;

/** The I/O of the process. */
export function processContext(write: (s: string) => void, isTTY: boolean): Context {
  processStdout ??= stdoutSink();
  const sink = processStdout;
  return {
    io: {
      stdout: (s) => void sink.write(new TextEncoder().encode(s)),
      stderr: write,
      stderrIsTTY: isTTY,
    },
    stdout: () => ({ sink, copy: true }),
    processStdout: sink,
  };
}

/** The I/O of a caller's callbacks. */
export function callbackContext(io: CliIo): Context {
  return { io, stdout: () => ({ sink: callbackSink(io.stdout), copy: false }) };
}

/** A subcommand: its name, its `--help`, what it does. */
export interface Command {
  /** `curve`, `plot`, … */
  name: string;
  /**
   * Its `--help` text, describing `sources` (default: the registry's, `cli/sources.ts`): what
   * it says of each family comes from there.
   */
  help(sources?: readonly SourceKind[]): string;
  /** Runs it; the exit status. */
  run(argv: string[], ctx: Context): number | Promise<number>;
}

/** Prints a command's help; exit status 0. */
export function printHelp(command: Command, ctx: Context): number {
  ctx.io.stdout(command.help() + "\n");
  return 0;
}
