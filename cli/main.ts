/**
 * `lrspec`: detectron2 configs, Hugging Face `TrainingArguments` files and timm `args.yaml`s in,
 * learning-rate curves and pictures out.
 *
 * ```sh
 * lrspec curve CONFIG.yaml [--num-workers N] [--opts KEY VALUE …]   # CSV iter,lr[,lr_bias]
 * lrspec curve --hf training_args.json --dataset-size N              # CSV step,lr (global_step)
 * lrspec curve --timm args.yaml [--updates-per-epoch N]               # CSV epoch,lr (update,lr)
 * lrspec plot CONFIG.yaml [CONFIG2.yaml …] [--log] [--out FILE.svg]    # SVG chart
 * lrspec explain CONFIG.yaml                                           # the schedule in words
 * lrspec diff A.yaml B.yaml [--opts-b KEY VALUE …]                      # where two curves differ
 * lrspec verify --golden GOLDEN.csv --candidate MINE.csv               # bit for bit
 * lrspec accumulate CONFIG.yaml --num-workers N --micro-batch M        # gradient accumulation
 * lrspec golden-script > golden.py                                     # detectron2's curve, in Python
 * ```
 *
 * Every command takes `--help`. Runs on Deno (`deno run --allow-read --allow-write --allow-env
 * jsr:@lrspec/lrspec/cli …`, or `deno task lr …` in a checkout), Node (`npx lrspec …`) and Bun.
 * Curves of any length stream in constant memory; charts and diffs cost what the schedule's
 * change points cost. Importing this module does not run it; {@linkcode main} does.
 *
 * Where a schedule comes from (a detectron2 YAML config, `--hf FILE`, `--timm FILE`) is kept
 * apart from what the commands do with it: see `cli/source.ts` for the interface a family
 * implements.
 *
 * @example Run the CLI from code
 * ```ts
 * import { main } from "@lrspec/lrspec/cli";
 * import assert from "node:assert/strict";
 *
 * const out: string[] = [];
 * const code = await main(
 *   ["explain", "fixtures/detectron2-configs/configs/COCO-Detection/faster_rcnn_R_50_FPN_3x.yaml"],
 *   { stdout: (s) => out.push(s), stderr: () => {} },
 * );
 * assert.equal(code, 0);
 * assert.match(out.join(""), /^linear warmup over 1000 iterations from 2e-05 to 0\.02/);
 * ```
 *
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { gradientAccumulation } from "../schedules/detectron2/accumulation.ts";
import { autoScaleWorkers } from "../schedules/detectron2/config.ts";
import { diffRuns } from "../curve/diff.ts";
import { formatLr } from "../curve/explain.ts";
import { curveEnvelope } from "../plot/envelope.ts";
import { formatIteration, type PlotMark, type PlotSeries, plotSvg } from "../plot/svg.ts";
import { formatVerifyReport, verifyTables } from "../verify/verify.ts";
import { streamTable } from "../verify/csv.ts";
import { readTextPieces } from "./_read.ts";
import {
  detectron2ConfigSource,
  type Detectron2Source,
  openDetectron2Source,
} from "./detectron2.ts";
import { openHfSource } from "./hf.ts";
import { openTimmSource } from "./timm.ts";
import type { ScheduleSource } from "./source.ts";
import { ByteWriter, callbackSink, CliError, fileSink, stdoutSink } from "./_output.ts";
import { writeCurveCsv } from "./_csv.ts";
import { grouped, ordinal, parseCount } from "./_text.ts";
import { GOLDEN_SCRIPT } from "./_golden_script.ts";
import { VERSION } from "../version.ts";

export { loadConfigFile, type LoadConfigFileOptions, resolveBaseFile } from "./files.ts";

export { VERSION };

const CONFIG_HELP = `config options:
  --num-workers N        rescale with detectron2's auto_scale_workers (REFERENCE_WORLD_SIZE)
  --project P            auto (default), detectron2 or deeplab (adds add_deeplab_config's keys)
  --allow-new-keys       accept keys that detectron2's defaults lack (yacs new_allowed)
  --verbose              show detectron2's notes about files without VERSION
  --torch 1.13|2.11|2.13 the torch release the scheduler follows (default 2.13)
  --python 3.11|3.12     the Python whose sum() fvcore's composite uses (default 3.12)
  --opts KEY VALUE ...   detectron2's overrides (merge_from_list); the rest of the line`;

const SOURCES_HELP = `other schedules (anywhere a CONFIG.yaml goes; in command-line order):
  --hf FILE              a Hugging Face TrainingArguments file (transformers 5.17's Trainer):
                         JSON (to_json_string(), or a script's config), or YAML read as PyYAML
                         reads it (1e-5 is a string there: write 1.0e-5); one row per optimizer
                         step, numbered as the Trainer's global_step 1..max_steps
  --dataset-size N       len(train_dataset), what the Trainer logs as "Num examples" (needed
                         unless the file sets max_steps)
  --num-processes P      data-parallel processes: accelerate --num_processes, torchrun's world
                         size (default 1); for --timm, the world size of the lr_base rule
  --allow-new-keys       --hf: skip keys that are not TrainingArguments fields (a script's
                         model and data keys), as HfArgumentParser(allow_extra_keys=True)
  --timm FILE            a timm train.py args.yaml (read as train.py --config reads it): one row
                         per epoch, or per optimizer update with sched_on_updates
  --updates-per-epoch N  --timm with sched_on_updates: the N of train.py's log "Train: 0 [0/N]"
  --dataset-size, --num-processes, --updates-per-epoch: once for every file, or once per file`;

const HELP: Record<string, string> = {
  curve:
    `usage: lrspec curve (CONFIG.yaml | --hf FILE --dataset-size N | --timm args.yaml) [--out FILE]

CSV of the learning rate of every row, written as it is computed: the first line at once, in
constant memory, at any length. Progress goes to stderr when it is a terminal.

  CONFIG.yaml            iter,lr[,lr_bias] for iterations 0..MAX_ITER (an error column when
                         detectron2 raises at some iteration)
  --hf FILE              step,lr for the Trainer's optimizer steps 1..max_steps: step N trains
                         with that rate, which the Trainer logs as learning_rate at step N
  --timm args.yaml       epoch,lr for epochs 0..N-1 (update,lr with sched_on_updates): the rate
                         each epoch (update) trains with

  --out FILE             write the CSV there instead of stdout
  --past-end             add iteration MAX_ITER+1 (one step past training, as the fixtures do)

${SOURCES_HELP}

${CONFIG_HELP}`,
  plot:
    `usage: lrspec plot CONFIG.yaml [CONFIG2.yaml ...] [--hf FILE ...] [--timm FILE ...] [options]

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

${SOURCES_HELP}

${CONFIG_HELP}`,
  explain: `usage: lrspec explain (CONFIG.yaml | --hf FILE --dataset-size N | --timm args.yaml)

The schedule in words. A config: the learning rate at each change (every number exact, as
Python's repr writes it), the bias group, the batch. --hf: the Trainer's arithmetic (batches per
process, gradient accumulation, epochs or max_steps, the warmup ratio rounded up) and the rate at
its steps. --timm: the lr_base rule, warmup, decay, noise and cooldown, the rate at its epochs.


${SOURCES_HELP}

${CONFIG_HELP}`,
  diff: `usage: lrspec diff A B [options] [--opts-a KEY VALUE ...] [--opts-b KEY VALUE ...]

Where the two curves differ and by how much (differences of a few ULPs summarized as rounding).
Exit status 1 if they differ. A and B are two schedules: configs (A.yaml B.yaml, which may be the
same file with different overrides), --hf FILE or --timm FILE, in any mix (rows are compared in
order: a Trainer's step 1 is a config's iteration 0, the first of each run).

  --opts-a KEY VALUE ... overrides for A only (up to the next --opts-b or --opts)
  --opts-b KEY VALUE ... overrides for B only

${SOURCES_HELP}

${CONFIG_HELP} (both sides)`,
  verify:
    `usage: lrspec verify --golden GOLDEN.csv --candidate MINE.csv [--max-ulp N] [--allow-subset]

The conformance verify mode: compares the candidate with the golden curve value by value, bit for
bit, and names the first and the largest divergence with their ULP distances. Exit status 1 on a
mismatch, on a golden file without rows, and on candidate rows the golden file lacks (a golden
file cut short must not pass). Files of any length are read in pieces, in bounded memory when
both list their rows in the same order.

  --golden FILE          the reference (from golden-script, or the fixtures)
  --candidate FILE       the curve to check (iter,lr... rows, best in the golden file's order)
  --max-ulp N            accept differences up to N ULPs (cos/pow only; default 0)
  --allow-subset         check only the golden file's rows; extra candidate rows are ignored`,
  accumulate:
    `usage: lrspec accumulate CONFIG.yaml --num-workers N --micro-batch M [--plot FILE.svg] [config options]

Gradient accumulation: how many micro-batches of M images on N workers make one optimizer step
of IMS_PER_BATCH images, and what to change in the training loop.

  --num-workers N        the workers (GPUs) you train on
  --micro-batch M        images per worker per micro-batch
  --plot FILE            also draw the schedule in images seen, right and wrong
${CONFIG_HELP.replace(/\n {2}--num-workers[^\n]*/, "")}`,
  "golden-script": `usage: lrspec golden-script [> golden.py]

Prints a Python script that runs detectron2's own get_cfg(), merge_from_file, build_optimizer and
build_lr_scheduler and writes the curve as lrspec curve does. Run it where detectron2 is installed:

  python3 golden.py CONFIG.yaml [--num-workers N] [--deeplab] [--opts KEY VALUE ...] > golden.csv
  lrspec verify --golden golden.csv --candidate mine.csv`,
};

const USAGE = `usage: lrspec <command> [options]     (lrspec <command> --help for one command)

commands (a schedule is a detectron2 CONFIG.yaml, --hf FILE or --timm FILE):
  curve CONFIG.yaml          CSV iter,lr[,lr_bias] for iterations 0..MAX_ITER, streamed
  curve --hf FILE --dataset-size N
                             CSV step,lr for the Trainer's optimizer steps 1..max_steps
  curve --timm args.yaml     CSV epoch,lr (update,lr with sched_on_updates)
  plot CONFIG.yaml [...]     SVG chart of one or more schedules (stdout, or --out FILE)
  explain CONFIG.yaml        the schedule in words
  diff A.yaml B.yaml         where the two curves differ and by how much (exit 1 if they do)
  verify --golden G.csv --candidate C.csv [--max-ulp N] [--allow-subset]
                             compare a curve with a golden one, bit for bit (exit 1 on mismatch)
  accumulate CONFIG.yaml --num-workers N --micro-batch M [--plot FILE.svg]
                             gradient accumulation: micro-batches per optimizer step
  golden-script              print a Python script that writes detectron2's own curve
                             (python3 golden.py CONFIG.yaml [--num-workers N] [--deeplab] [--opts ...])

${CONFIG_HELP}
  (curve, plot, explain, diff, accumulate)

${SOURCES_HELP}
  (curve, plot, explain, diff)

curve:       --out FILE, --past-end
plot:        --out FILE, --log, --range A:B, --x iteration|images, --no-marks, --no-inset,
             --title TEXT, --subtitle TEXT, --label TEXT (repeat), --width PX, --height PX,
             --num-workers N (repeat: one curve each)
diff:        --opts-a KEY VALUE ..., --opts-b KEY VALUE ... (one side's overrides)
verify:      --golden FILE, --candidate FILE, --max-ulp N, --allow-subset
accumulate:  --num-workers N, --micro-batch M, --plot FILE
every command: --help, -h

exit status: 0 ok, 1 curves differ / verification failed, 2 bad input (one line on stderr)`;

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
interface Context {
  io: CliIo;
  /** Makes the stdout sink for streamed output. */
  stdout: () => { sink: ReturnType<typeof stdoutSink>; copy: boolean };
}

/** A usage mistake: reported with a pointer to the command's help. */
class UsageError extends CliError {
  constructor(command: string, message: string) {
    super(`${message} (see lrspec ${command === "" ? "" : `${command} `}--help)`);
  }
}

/** Differences up to this many ULPs are reported as rounding. */
const ROUNDING_ULPS = 4;

type OptionSpec = { type: "string" | "boolean"; multiple?: boolean; short?: string };

const CONFIG_OPTIONS: Record<string, OptionSpec> = {
  "num-workers": { type: "string" },
  project: { type: "string" },
  "allow-new-keys": { type: "boolean" },
  verbose: { type: "boolean" },
  torch: { type: "string" },
  python: { type: "string" },
};

/** The options that name schedules of other families, and what those need. */
const SOURCE_OPTIONS: Record<string, OptionSpec> = {
  hf: { type: "string", multiple: true },
  timm: { type: "string", multiple: true },
  "dataset-size": { type: "string", multiple: true },
  "num-processes": { type: "string", multiple: true },
  "updates-per-epoch": { type: "string", multiple: true },
};

const OPTS_MARKERS = ["--opts", "--opts-a", "--opts-b"];

/** A schedule named on the command line: a detectron2 config, `--hf FILE` or `--timm FILE`. */
interface SourceSpec {
  kind: "config" | "hf" | "timm";
  path: string;
}

interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
  /** The schedules, in command-line order. */
  sources: SourceSpec[];
  /** `--opts` (both sides), `--opts-a`, `--opts-b`. */
  opts: { both: string[]; a: string[]; b: string[] };
  help: boolean;
}

/**
 * node:util's parseArgs, with two habits of people's command lines added before it runs: a
 * negative number after an option that takes a value is that value (`--num-workers -2`), and
 * everything after `--opts` (or `--opts-a`, `--opts-b`) is overrides, as detectron2 reads them.
 */
function parse(command: string, argv: string[], options: Record<string, OptionSpec>): Parsed {
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
      /^-(?:\d|\.\d|inf|nan)/i.test(next)
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
  for (const token of parsed.tokens ?? []) {
    if (token.kind === "positional") sources.push({ kind: "config", path: token.value });
    else if (token.kind === "option") {
      const name: string = token.name;
      if (name === "hf" || name === "timm") sources.push({ kind: name, path: token.value ?? "" });
    }
  }
  return { values, positionals: parsed.positionals, sources, opts, help: values.help === true };
}

function positiveInt(command: string, name: string, text: unknown): number | undefined {
  if (text === undefined) return undefined;
  const s = String(text);
  const n = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(command, `--${name} must be a positive integer: got ${JSON.stringify(s)}`);
  }
  return n;
}

function note(io: CliIo, text: string): void {
  io.stderr(`lrspec: note: ${text}\n`);
}

/** Opens the detectron2 configs named on the command line, once per worker count. */
function openConfigs(
  command: string,
  ctx: Context,
  paths: string[],
  values: Parsed["values"],
  opts: string[],
  extra: { pastEnd?: number; labels?: string[]; workers?: (string | undefined)[] } = {},
): Detectron2Source[] {
  const project = (values.project as string | undefined) ?? "auto";
  if (!["auto", "detectron2", "deeplab"].includes(project)) {
    throw new UsageError(
      command,
      `--project must be auto, detectron2 or deeplab: got ${JSON.stringify(project)}`,
    );
  }
  const torch = (values.torch as string | undefined) ?? "2.13";
  const python = (values.python as string | undefined) ?? "3.12";
  if (torch !== "1.13" && torch !== "2.11" && torch !== "2.13") {
    throw new UsageError(
      command,
      `--torch must be 1.13, 2.11 or 2.13: got ${JSON.stringify(torch)}`,
    );
  }
  if (python !== "3.11" && python !== "3.12") {
    throw new UsageError(command, `--python must be 3.11 or 3.12: got ${JSON.stringify(python)}`);
  }
  const workers = extra.workers ?? [values["num-workers"] as string | undefined];
  const counts = workers.map((w) => positiveInt(command, "num-workers", w));
  const sources: Detectron2Source[] = [];
  paths.forEach((path, i) => {
    for (const numWorkers of counts) {
      const source = openDetectron2Source(path, {
        project: project as "auto" | "detectron2" | "deeplab",
        opts,
        allowNewKeys: values["allow-new-keys"] === true,
        numWorkers,
        pastEnd: extra.pastEnd ?? 0,
        labelWorkers: counts.length > 1,
        label: extra.labels?.[i],
        note: (text) => note(ctx.io, text),
        verbose: values.verbose === true,
        releases: { torch, python },
      });
      for (const n of source.notes) note(ctx.io, n);
      sources.push(source);
    }
  });
  return sources;
}

/** The values of an option given once (for every file of its family) or once per file. */
function perFile(
  command: string,
  values: Parsed["values"],
  name: string,
  files: number,
  family: string,
): (string | undefined)[] {
  const given = (values[name] as string[] | undefined) ?? [];
  if (given.length === 0) return new Array<undefined>(files).fill(undefined);
  if (files === 0) throw new UsageError(command, `--${name} is for ${family} files`);
  if (given.length === 1) return new Array<string>(files).fill(given[0]!);
  if (given.length !== files) {
    throw new UsageError(
      command,
      `--${name} given ${given.length} times for ${files} ${family} files (once for all, or ` +
        `once per file in order)`,
    );
  }
  return given;
}

/** A count as people write it (5691, 67k, 1.2M), or a usage error. */
function countOption(command: string, name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = parseCount(text);
  if (n === undefined) {
    throw new UsageError(command, `--${name} must be a whole number: got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Options that only detectron2 configs take. */
const DETECTRON2_ONLY = ["num-workers", "project", "torch", "python", "verbose", "past-end"];

/**
 * Opens every schedule named on the command line, in order: detectron2 configs (once per
 * `--num-workers`), `--hf` and `--timm` files with their options.
 */
function openSources(
  command: string,
  ctx: Context,
  p: Parsed,
  opts: (index: number) => string[],
  extra: { pastEnd?: number; labels?: string[]; workers?: (string | undefined)[] } = {},
): ScheduleSource[] {
  const v = p.values;
  const specs = p.sources;
  const hf = specs.filter((s) => s.kind === "hf").length;
  const timm = specs.filter((s) => s.kind === "timm").length;
  if (specs.length === hf + timm) {
    for (const name of DETECTRON2_ONLY) {
      if (v[name] !== undefined) {
        throw new UsageError(
          command,
          `--${name} is for detectron2 configs` +
            (name === "num-workers" ? "; --hf and --timm runs take --num-processes" : ""),
        );
      }
    }
    if (p.opts.both.length + p.opts.a.length + p.opts.b.length > 0) {
      throw new UsageError(command, "--opts is for detectron2 configs");
    }
  }
  const sizes = perFile(command, v, "dataset-size", hf, "--hf");
  const updates = perFile(command, v, "updates-per-epoch", timm, "--timm");
  const processes = perFile(command, v, "num-processes", hf + timm, "--hf and --timm");
  const sources: ScheduleSource[] = [];
  let h = 0;
  let t = 0;
  specs.forEach((spec, i) => {
    const label = extra.labels?.[i];
    if (spec.kind === "config") {
      sources.push(
        ...openConfigs(command, ctx, [spec.path], v, opts(i), {
          ...extra,
          ...(label !== undefined ? { labels: [label] } : { labels: [] }),
        }),
      );
      return;
    }
    const numProcesses = positiveInt(command, "num-processes", processes[h + t]) ?? 1;
    const source = spec.kind === "hf"
      ? openHfSource(spec.path, {
        datasetSize: countOption(command, "dataset-size", sizes[h++]),
        numProcesses,
        allowExtraKeys: v["allow-new-keys"] === true,
        label,
      })
      : openTimmSource(spec.path, {
        updatesPerEpoch: positiveInt(command, "updates-per-epoch", updates[t++]),
        numProcesses,
        label,
      });
    for (const n of source.notes) note(ctx.io, n);
    sources.push(source);
  });
  return sources;
}

/** Writes text to `--out` (or stdout). */
function output(text: string, out: string | undefined, ctx: Context): void {
  if (out === undefined) {
    ctx.io.stdout(text);
    return;
  }
  const sink = fileSink(out);
  sink.write(new TextEncoder().encode(text));
  sink.close();
}

async function curveCommand(argv: string[], ctx: Context): Promise<number> {
  const command = "curve";
  const p = parse(command, argv, {
    ...CONFIG_OPTIONS,
    ...SOURCE_OPTIONS,
    out: { type: "string" },
    "past-end": { type: "boolean" },
  });
  if (p.help) return help(command, ctx);
  if (p.sources.length !== 1) {
    throw new UsageError(
      command,
      "curve takes one schedule: CONFIG.yaml, --hf FILE or --timm FILE",
    );
  }
  const [source] = openSources(command, ctx, p, () => p.opts.both, {
    pastEnd: p.values["past-end"] ? 1 : 0,
  });
  const out = p.values.out as string | undefined;
  const target = out === undefined ? ctx.stdout() : { sink: fileSink(out), copy: false };
  const writer = new ByteWriter(target.sink, 1 << 20, target.copy);
  const io = ctx.io;
  const total = source!.rows;
  let shown = -Infinity;
  const show = (rows: number) => {
    const pct = Math.floor((100 * rows) / total);
    io.stderr(`\r${source!.path}: ${grouped(rows)}/${grouped(total)} rows (${pct}%)`);
  };
  const progress = io.stderrIsTTY === true && total >= 100_000;
  await writeCurveCsv(source!, writer, {
    indexColumn: source!.indexColumn,
    firstIndex: source!.firstIndex,
    ...(progress
      ? {
        onProgress: (rows: number) => {
          const now = Date.now();
          if (now - shown < 100) return;
          shown = now;
          show(rows);
        },
      }
      : {}),
  });
  await writer.close();
  if (progress) {
    if (!writer.gone) show(total);
    io.stderr("\r\x1b[K");
  }
  return 0;
}

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

function plotCommand(argv: string[], ctx: Context): number {
  const command = "plot";
  const p = parse(command, argv, {
    ...CONFIG_OPTIONS,
    ...SOURCE_OPTIONS,
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
    "num-workers": { type: "string", multiple: true },
  });
  if (p.help) return help(command, ctx);
  const v = p.values;
  if (p.sources.length === 0) {
    throw new UsageError(command, "plot takes one or more CONFIG.yaml, --hf FILE, --timm FILE");
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
    workers: (v["num-workers"] as string[] | undefined) ?? [undefined],
  });
  const unknown = x === "images" && sources.find((s) => s.imagesPerIteration === undefined);
  if (unknown) {
    throw new UsageError(
      command,
      `--x images: ${unknown.path} does not say how many images (examples) a ${unknown.unit} has`,
    );
  }
  const scaleOf = (s: ScheduleSource) => (x === "images" ? s.imagesPerIteration ?? 1 : 1);
  /** Where a source's row is drawn: its number (`global_step` from 1), × images per row. */
  const xOf = (s: ScheduleSource, row: number) => (row + s.firstIndex) * scaleOf(s);
  /** The rows [from, to) of a source drawn within x ∈ [a, b]. */
  const iterations = (s: ScheduleSource, a: number, b: number): [number, number] => {
    const k = scaleOf(s);
    return [
      Math.max(0, Math.ceil(a / k) - s.firstIndex),
      Math.min(s.rows, Math.floor(b / k) + 1 - s.firstIndex),
    ];
  };
  const draw = (a: number, b: number, buckets: number) => {
    const series: PlotSeries[] = [];
    const identities: string[] = [];
    for (const s of sources) {
      const [from, to] = iterations(s, a, b);
      s.columns.forEach((column, c) => {
        const k = scaleOf(s);
        const points = from < to
          ? curveEnvelope(s, { column: c, from, to, buckets })
          : { x: [], y: [] };
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
    if (v["no-marks"] !== true) {
      for (const m of s.marks) {
        if (m.iteration < from || m.iteration >= to) continue;
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
  const units = [...new Set(sources.map((s) => s.unit))];
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
    [one ? sources[0]!.summary : "", rangeNote].filter(Boolean).join(" · ");
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
  output(svg, v.out as string | undefined, ctx);
  return 0;
}

function explainCommand(argv: string[], ctx: Context): number {
  const command = "explain";
  const p = parse(command, argv, { ...CONFIG_OPTIONS, ...SOURCE_OPTIONS });
  if (p.help) return help(command, ctx);
  if (p.sources.length !== 1) {
    throw new UsageError(
      command,
      "explain takes one schedule: CONFIG.yaml, --hf FILE or --timm FILE",
    );
  }
  const [source] = openSources(command, ctx, p, () => p.opts.both);
  ctx.io.stdout(source!.explain() + "\n");
  return 0;
}

/** `unit N` or `units A–B` as a source numbers its rows (`step 34`, `iterations 0–999`). */
function rowRange(s: ScheduleSource, from: number, to: number): string {
  const [a, b] = [from + s.firstIndex, to + s.firstIndex];
  return a === b ? `${s.unit} ${a}` : `${s.unit}s ${a}–${b}`;
}

function diffCommand(argv: string[], ctx: Context): number {
  const command = "diff";
  const p = parse(command, argv, { ...CONFIG_OPTIONS, ...SOURCE_OPTIONS });
  if (p.help) return help(command, ctx);
  if (p.sources.length !== 2) {
    throw new UsageError(
      command,
      "diff takes two schedules: A.yaml B.yaml (or --hf FILE, --timm FILE for either)",
    );
  }
  const sideOpts = (i: number) => [...p.opts.both, ...(i === 0 ? p.opts.a : p.opts.b)];
  const [a, b] = openSources(command, ctx, p, sideOpts) as [ScheduleSource, ScheduleSource];
  const d = diffRuns(a, b);
  // Differences of a few ULPs are floating-point rounding (the same formula evaluated at another
  // progress, e.g. warmup over another MAX_ITER): summarized, not listed.
  const rounding = d.differences.filter((r) => r.maxUlp <= ROUNDING_ULPS);
  const real = d.differences.filter((r) => r.maxUlp > ROUNDING_ULPS);
  const count = (runs: typeof real) => runs.reduce((n, r) => n + r.to - r.from + 1, 0);
  const sameRows = a.unit === b.unit && a.firstIndex === b.firstIndex;
  /** Rows as A numbers them, and as B does when B numbers them otherwise. */
  const rows = (from: number, to: number) =>
    rowRange(a, from, to) + (sameRows ? "" : ` (B: ${rowRange(b, from, to)})`);
  const side = (s: ScheduleSource, i: number) => {
    const o = s.indexColumn === "iter" ? sideOpts(i) : [];
    return `${s.path}${o.length ? ` --opts ${o.join(" ")}` : ""}: ${s.summary}`;
  };
  const lines = [
    `A  ${side(a, 0)}`,
    `B  ${side(b, 1)}`,
    ...(sameRows ? [] : [
      `rows compared in order: A's ${a.unit} ${a.firstIndex} is B's ${b.unit} ${b.firstIndex} ` +
      `(the first of each run)`,
    ]),
    `${d.compared} ${sameRows ? `${a.unit}s` : "rows"} in both: ${d.identical} bit-identical, ` +
    `${count(real)} different` +
    (rounding.length
      ? `, ${count(rounding)} by rounding only (≤ ${
        Math.max(...rounding.map((r) => r.maxUlp))
      } ULP, ${rows(rounding[0]!.from, rounding[rounding.length - 1]!.to)})`
      : ""),
  ];
  const shown = real.slice(0, 40);
  for (const r of shown) {
    const val = (v: [number, number]) =>
      v[0] === v[1] ? formatLr(v[0]) : `${formatLr(v[0])}…${formatLr(v[1])}`;
    const ratio = r.a[0] === r.a[1] && r.b[0] === r.b[1] && r.a[0] !== 0
      ? ` (B/A = ${formatLr(r.b[0] / r.a[0])})`
      : ` (max |A−B| ${formatLr(r.maxAbs)}, ${formatLr(100 * r.maxRel)}%)`;
    lines.push(
      `  ${rows(r.from, r.to)}${r.column === "lr" ? "" : ` [${r.column}]`}: A ${val(r.a)}, B ${
        val(r.b)
      }${ratio}`,
    );
  }
  if (real.length > shown.length) lines.push(`  … ${real.length - shown.length} more runs`);
  if (d.iterationsOnlyInA) {
    lines.push(`  only A has ${rowRange(a, ...d.iterationsOnlyInA)}`);
  }
  if (d.iterationsOnlyInB) {
    lines.push(`  only B has ${rowRange(b, ...d.iterationsOnlyInB)}`);
  }
  if (d.onlyInA.length) lines.push(`  only A has columns ${d.onlyInA.join(", ")}`);
  if (d.onlyInB.length) lines.push(`  only B has columns ${d.onlyInB.join(", ")}`);
  const same = d.differences.length === 0 && !d.iterationsOnlyInA && !d.iterationsOnlyInB &&
    !d.onlyInA.length && !d.onlyInB.length;
  lines.push(same ? "the curves are identical" : "the curves differ");
  ctx.io.stdout(lines.join("\n") + "\n");
  return same ? 0 : 1;
}

function verifyCommand(argv: string[], ctx: Context): number {
  const command = "verify";
  const p = parse(command, argv, {
    golden: { type: "string" },
    candidate: { type: "string" },
    "max-ulp": { type: "string" },
    "allow-subset": { type: "boolean" },
  });
  if (p.help) return help(command, ctx);
  const golden = p.values.golden as string | undefined;
  const candidate = p.values.candidate as string | undefined;
  if (p.positionals.length || !golden || !candidate) {
    throw new UsageError(command, "verify needs --golden FILE and --candidate FILE");
  }
  const text = (p.values["max-ulp"] as string | undefined) ?? "0";
  const maxUlp = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(maxUlp)) {
    throw new UsageError(
      command,
      `--max-ulp must be a non-negative integer: got ${JSON.stringify(text)}`,
    );
  }
  // Both files are read in pieces and compared as they arrive: bounded memory at any length.
  const report = verifyTables(
    streamTable(readTextPieces(golden), golden),
    streamTable(readTextPieces(candidate), candidate),
    { maxUlp, allowSubset: p.values["allow-subset"] === true },
  );
  ctx.io.stdout(formatVerifyReport(report, maxUlp) + "\n");
  return report.ok ? 0 : 1;
}

function accumulateCommand(argv: string[], ctx: Context): number {
  const command = "accumulate";
  const p = parse(command, argv, {
    ...CONFIG_OPTIONS,
    ...SOURCE_OPTIONS,
    "micro-batch": { type: "string" },
    plot: { type: "string" },
  });
  if (p.help) return help(command, ctx);
  if (p.sources.some((s) => s.kind !== "config")) {
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
  const [source] = openConfigs(
    command,
    ctx,
    [path],
    { ...p.values, "num-workers": undefined },
    p.opts.both,
  );
  const cfg = source!.cfg;
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
    const planned = detectron2ConfigSource(plan.cfg, { path, label: "" });
    const perMicro = workers * micro;
    const line = (src: ScheduleSource, scale: number, label: string, dash?: string) => {
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
      const src = detectron2ConfigSource(scaled, { path, label: "" });
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

function help(command: string, ctx: Context): number {
  ctx.io.stdout(HELP[command] + "\n");
  return 0;
}

/** Where stdout goes when the CLI runs as a program: the process's, with backpressure. */
let processStdout: ReturnType<typeof stdoutSink> | undefined;

function processContext(): Context {
  processStdout ??= stdoutSink();
  const sink = processStdout;
  return {
    io: {
      stdout: (s) => void sink.write(new TextEncoder().encode(s)),
      stderr: (s) => process.stderr.write(s),
      stderrIsTTY: process.stderr.isTTY === true,
    },
    stdout: () => ({ sink, copy: true }),
  };
}

function callbackContext(io: CliIo): Context {
  return { io, stdout: () => ({ sink: callbackSink(io.stdout), copy: false }) };
}

const FS_WHY: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "is a directory",
  ENOTDIR: "a part of the path is not a directory",
};

function errorLine(error: unknown): string | undefined {
  if (error instanceof CliError) return error.message;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code;
  if (code !== undefined && code in FS_WHY) {
    const path = (error as { path?: string }).path;
    return `cannot read ${path ?? "a file"}: ${FS_WHY[code]}`;
  }
  if (
    error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError ||
    (error.constructor === Error && error.message)
  ) {
    // All of ours are one line.
    return error.message.split("\n")[0];
  }
  return undefined;
}

/**
 * Runs the CLI.
 *
 * @param argv The arguments after the program name (`["curve", "x.yaml"]`).
 * @param io Where output goes (default: the process's stdout and stderr, with backpressure; a
 * reader that closes the pipe ends the output quietly).
 * @returns The exit status: 0 ok, 1 a difference (diff, verify), 2 bad input.
 */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const ctx = io === undefined ? processContext() : callbackContext(io);
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "curve":
        return await curveCommand(rest, ctx);
      case "plot":
        return plotCommand(rest, ctx);
      case "explain":
        return explainCommand(rest, ctx);
      case "diff":
        return diffCommand(rest, ctx);
      case "verify":
        return verifyCommand(rest, ctx);
      case "accumulate":
        return accumulateCommand(rest, ctx);
      case "golden-script":
        if (parse(command, rest, {}).help) return help(command, ctx);
        ctx.io.stdout(GOLDEN_SCRIPT);
        return 0;
      case "--version":
      case "version":
        ctx.io.stdout(`lrspec ${VERSION}\n`);
        return 0;
      case "help":
        if (rest[0] !== undefined && rest[0] in HELP) return help(rest[0], ctx);
        ctx.io.stdout(USAGE + "\n");
        return 0;
      case undefined:
      case "--help":
      case "-h":
        ctx.io.stdout(USAGE + "\n");
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError("", `unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    const line = errorLine(error);
    if (line === undefined) throw error;
    ctx.io.stderr(`lrspec: error: ${line}\n`);
    return 2;
  }
}

if ((import.meta as { main?: boolean }).main) {
  process.exitCode = await main(process.argv.slice(2));
}
