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
 * apart from what the commands do with it: every family is one entry of `cli/sources.ts`
 * (its flag, options, help and how it opens a file as a view, `views/view.ts`), and every
 * command is one file of `cli/commands/`.
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
import {
  callbackContext,
  type CliIo,
  type Command,
  type Context,
  parse,
  printHelp,
  processContext,
  UsageError,
} from "./_args.ts";
import { CliError, discardUnfinished, forgetInputs, unfinishedMark } from "./_output.ts";
import { GOLDEN_SCRIPT } from "./_golden_script.ts";
import { knownReadWhy } from "./_read.ts";
import { usage } from "./_usage.ts";
import { COMMAND as CURVE } from "./commands/curve.ts";
import { COMMAND as PLOT } from "./commands/plot.ts";
import { COMMAND as EXPLAIN } from "./commands/explain.ts";
import { COMMAND as DIFF } from "./commands/diff.ts";
import { COMMAND as VERIFY } from "./commands/verify.ts";
import { COMMAND as ACCUMULATE } from "./commands/accumulate.ts";
import { VERSION } from "../version.ts";
import { startPythonConfigLoader } from "../config/pyodide/load.ts";
import { statSync } from "node:fs";
import { optionProblem } from "../schedules/errors.ts";

export { loadConfigFile, type LoadConfigFileOptions, resolveBaseFile } from "./files.ts";
// The types loadConfigFile's signature names (`@lrspec/lrspec/config`'s), public from here too:
// `deno doc --lint cli/main.ts mod.ts` finds no private type (it found LoadConfigOptions and
// LoadedConfig); what they name in turn (CfgNode, Detectron2Config) is the root entry's.
export type {
  ConfigProject,
  LoadConfigOptions,
  LoadedConfig,
  LoadYamlWithBaseOptions,
  MergeFromFileOptions,
  ParseYamlOptions,
} from "../config/yaml.ts";

export { type CliIo, VERSION };

/** `lrspec golden-script`. */
const GOLDEN: Command = {
  name: "golden-script",
  help: () =>
    `usage: lrspec golden-script [> golden.py]

Prints a Python script that runs detectron2's own get_cfg(), merge_from_file, build_optimizer and
build_lr_scheduler and writes the curve as lrspec curve does. Run it where detectron2 is installed:

  python3 golden.py CONFIG.yaml [--num-workers N] [--deeplab] [--opts KEY VALUE ...] > golden.csv
  lrspec verify --golden golden.csv --candidate mine.csv`,
  run(argv, ctx) {
    if (parse("golden-script", argv, {}).help) return printHelp(GOLDEN, ctx);
    ctx.io.stdout(GOLDEN_SCRIPT);
    return 0;
  },
};

/** The subcommands, one file each (`cli/commands/`). */
const COMMANDS: readonly Command[] = [CURVE, PLOT, EXPLAIN, DIFF, VERIFY, ACCUMULATE, GOLDEN];

/**
 * What JavaScript engines say when code is wrong, not input: V8's (Deno, Node, Chromium) and
 * JavaScriptCore's (Bun) wordings for a stack overflow, a call or property access on the wrong
 * thing, an impossible allocation, BigInt misuse. lrspec's own errors name an owner or a file
 * instead (`StepLR: …`, `config.yaml:3: …`).
 */
const ENGINE_MESSAGE = new RegExp(
  [
    "^Maximum call stack size exceeded",
    "^Maximum BigInt size exceeded",
    "is not a function",
    "is not a constructor",
    "is not iterable",
    "is not defined$",
    "^Cannot read propert(?:y|ies) of",
    "^Cannot set propert(?:y|ies) of",
    "^Cannot (?:mix|convert) .*BigInt",
    "BigInt value",
    "^Do not know how to serialize a BigInt",
    "^Invalid (?:typed )?array length",
    "^Invalid string length",
    "^Array size is not a small enough positive integer",
    "^length larger than",
    "^Array length must be a positive integer",
    "^(?:undefined|null) is not an object",
    "^Out of memory",
    "^Reduce of empty array with no initial value",
    // lrspec's own invariants (`unreachable: …`): a bug when thrown.
    "^unreachable: ",
  ].join("|"),
);

/**
 * Whether an error is one lrspec raises on purpose, for input it refuses: the CLI's own, a
 * library option error (it carries its {@linkcode optionProblem}), or any other message that is
 * not an engine's complaint about code ({@linkcode ENGINE_MESSAGE}). An engine's complaint is a
 * bug in lrspec and is reported as an internal error, never as an answer.
 */
function deliberate(error: Error): boolean {
  if (error instanceof CliError) return true;
  // A library method called out of turn (`getLr()` of a combinator, `getLastLr()` before a
  // step): lrspec's own misuse of the API, whatever the input.
  const problem = optionProblem(error);
  if (problem !== undefined) return !problem.option.endsWith("()");
  return !ENGINE_MESSAGE.test(error.message);
}

function errorLine(error: unknown): string | undefined {
  if (error instanceof CliError) return error.message;
  if (!(error instanceof Error)) return undefined;
  const why = knownReadWhy(error);
  if (why !== undefined) {
    const path = (error as { path?: string }).path;
    return `cannot read ${path ?? "a file"}: ${why}`;
  }
  if (
    error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError ||
    (error.constructor === Error && error.message)
  ) {
    // All of ours are one line.
    const line = error.message.split("\n")[0];
    if (deliberate(error)) return line;
    return `internal error: ${error.name}: ${line} (a bug in lrspec ${VERSION}, not a ` +
      `problem with your input: please report it with the command and the files it read)`;
  }
  return undefined;
}

/**
 * Runs the CLI.
 *
 * @param argv The arguments after the program name (`["curve", "x.yaml"]`).
 * @param io Where output goes (default: the process's stdout and stderr, with backpressure; a
 * reader that closes the pipe ends the output quietly).
 * @returns The exit status: 0 ok, 1 a difference (diff, verify), 2 bad input or a failed write;
 * without `io`, 141 when the reader closed stdout. Files are replaced atomically (see
 * `cli/_output.ts`).
 */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const ctx = io === undefined
    ? processContext((s) => void process.stderr.write(s), process.stderr.isTTY === true)
    : callbackContext(io);
  forgetInputs();
  const mark = unfinishedMark();
  try {
    // A `.py` config is read by a Pyodide worker while this thread blocks (`loadSync`), and a
    // worker cannot start while the thread that would wait for it blocks (Deno hangs, Bun falls
    // back to a child process): start the interpreter first, as `deno task conformance` does.
    if (readsPython(argv)) {
      try {
        await startPythonConfigLoader();
      } catch (error) {
        // The interpreter did not start in its time, or its worker died: one line, as any error.
        const why = error instanceof Error ? error.message : String(error);
        return reportError(new CliError(`the Python interpreter for .py configs: ${why}`), ctx);
      }
    }
    let code = await run(argv, ctx);
    const stdout = ctx.processStdout;
    if (stdout !== undefined) {
      // Everything written must have gone out: a failed write is an error, a closed pipe is the
      // reader's choice (quiet, with the status of a Unix tool killed by SIGPIPE).
      try {
        await stdout.finish();
      } catch (error) {
        code = reportError(error, ctx);
      }
      if (stdout.gone) code = CLOSED_PIPE;
    }
    return code;
  } finally {
    // After an error, no temporary file stays behind, and no output replaced its file.
    discardUnfinished(mark);
  }
}

/** Whether a command line names an existing `.py` file (a config the Pyodide sandbox reads). */
function readsPython(argv: readonly string[]): boolean {
  if (argv[0] === "verify" || argv.includes("--help") || argv.includes("-h")) return false;
  return argv.some((arg) => {
    if (!/\.py$/i.test(arg)) return false;
    try {
      return statSync(arg).isFile();
    } catch {
      return false;
    }
  });
}

/** The exit status after the reader closed stdout: 128 + SIGPIPE, as a shell reports `yes | head`. */
const CLOSED_PIPE = 141;

/** Reports an error as one line (exit status 2), or rethrows one that is not ours to word. */
function reportError(error: unknown, ctx: Context): number {
  const line = errorLine(error);
  if (line === undefined) throw error;
  ctx.io.stderr(`lrspec: error: ${line}\n`);
  return 2;
}

/** Runs one command. */
async function run(argv: string[], ctx: Context): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const sub = COMMANDS.find((c) => c.name === command);
    if (sub !== undefined) return await sub.run(rest, ctx);
    switch (command) {
      case "--version":
      case "version":
        ctx.io.stdout(`lrspec ${VERSION}\n`);
        return 0;
      case "help":
        {
          const sub = COMMANDS.find((c) => c.name === rest[0]);
          if (sub !== undefined) return printHelp(sub, ctx);
        }
        ctx.io.stdout(usage() + "\n");
        return 0;
      case undefined:
      case "--help":
      case "-h":
        ctx.io.stdout(usage() + "\n");
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError("", `unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    return reportError(error, ctx);
  }
}

// No top-level await: `require("lrspec/cli")` (Node's require(esm)) loads this module.
if ((import.meta as { main?: boolean }).main) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
