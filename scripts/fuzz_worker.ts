/**
 * The fuzzer's in-process worker (`scripts/fuzz.ts`, issue 26): a long-lived process that runs
 * one CLI command line after another through {@linkcode main} with callback I/O, so that a run
 * costs what the command costs, not a runtime's start (about 0.4 s each on Deno).
 *
 * Protocol: `{"ready": true}` on stdout once loaded; then one JSON request per line on stdin, `{"id": N, "args": [...], "maxOutput": BYTES}`
 * (paths absolute); one JSON reply per line on stdout, `{"id": N, "code", "stdout", "stderr",
 * "truncated", "ms"}` — what a child process would have given: the exit status `main` returned,
 * what it wrote (stdout up to `maxOutput` characters, stderr up to 64 KiB). The limits that need
 * another process stay with the parent: it kills this worker at a run's wall-clock or CPU limit
 * (`hang`), reads V8's heap-limit message from its stderr when it dies (`oom`), and respawns it.
 * The CPU limit (`cpuSeconds` in the request) is also checked here, at every write: a run that
 * writes fast can fill the heap between two of the parent's polls on a loaded machine (its
 * output is kept in memory), so it stops at its CPU limit itself and the reply says `cpuLimit`.
 * Stdout beyond `maxOutput` stops the run here (the next write throws a value `main` does not
 * word, so it rethrows), and the reply says `truncated`. An exception escaping `main` (or an
 * unhandled rejection during the run) is written to the reply's stderr as the runtime would
 * print it — `error: Uncaught …` with its stack, exit status 1 — so the parent's `classify`
 * calls it a `crash` exactly as it does for a child process.
 *
 * @module
 */

import process from "node:process";
import { main } from "../cli/main.ts";

/** One request from the parent. */
interface Request {
  id: number;
  args: string[];
  maxOutput: number;
  /** The run's CPU limit in seconds (user + system), checked at every write. */
  cpuSeconds?: number;
}

const STDERR_CAP = 65536;

/** Thrown by the stdout callback past the capture limit: not an `Error`, so `main` rethrows it. */
const OUTPUT_LIMIT: { readonly outputLimit: true } = Object.freeze({ outputLimit: true });

/** Thrown by the stdout callback past the run's CPU limit: not an `Error` either. */
const CPU_LIMIT: { readonly cpuLimit: true } = Object.freeze({ cpuLimit: true });

/** CPU seconds (user + system) this process has used. */
function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** The run in progress: where an unhandled rejection during it is recorded. */
let current: { stderr: string; uncaught: string | undefined } | undefined;

function uncaughtText(error: unknown): string {
  if (error instanceof Error) {
    return `error: Uncaught ${error.stack ?? `${error.name}: ${error.message}`}\n`;
  }
  return `error: Uncaught ${String(error)}\n`;
}

function recordUncaught(error: unknown): void {
  if (error === OUTPUT_LIMIT || error === CPU_LIMIT) return;
  if (current === undefined) {
    // Between runs nothing of ours runs: die loudly, as a child process would.
    process.stderr.write(uncaughtText(error));
    process.exit(1);
  }
  current.uncaught ??= uncaughtText(error);
}

process.on("unhandledRejection", recordUncaught);
process.on("uncaughtException", recordUncaught);

async function runOne(req: Request): Promise<Record<string, unknown>> {
  let stdout = "";
  let truncated = false;
  let overCpu = false;
  const cpuEnd = req.cpuSeconds === undefined ? Infinity : cpuSeconds() + req.cpuSeconds;
  const run = { stderr: "", uncaught: undefined as string | undefined };
  current = run;
  const t0 = performance.now();
  let code: number;
  try {
    code = await main(req.args, {
      stdout: (s) => {
        if (truncated) throw OUTPUT_LIMIT;
        if (overCpu || cpuSeconds() > cpuEnd) {
          overCpu = true;
          throw CPU_LIMIT;
        }
        stdout += s;
        if (stdout.length > req.maxOutput) {
          truncated = true;
          throw OUTPUT_LIMIT;
        }
      },
      stderr: (s) => {
        if (run.stderr.length < STDERR_CAP) run.stderr += s;
      },
    });
  } catch (error) {
    code = 1;
    const limit = (truncated && error === OUTPUT_LIMIT) || (overCpu && error === CPU_LIMIT);
    if (!limit) run.uncaught ??= uncaughtText(error);
  }
  // Let a rejection left behind by the run surface (it would end a child process too).
  await new Promise((r) => setTimeout(r, 0));
  current = undefined;
  const ms = performance.now() - t0;
  if (overCpu) {
    return { id: req.id, code: null, stdout: "", stderr: asPiped(run.stderr), cpuLimit: true, ms };
  }
  if (run.uncaught !== undefined && !truncated) {
    const stderr = asPiped(run.stderr + run.uncaught);
    return { id: req.id, code: 1, stdout: asPiped(stdout), stderr, truncated, ms };
  }
  return { id: req.id, code, stdout: asPiped(stdout), stderr: asPiped(run.stderr), truncated, ms };
}

/**
 * Text as a child process's pipe delivers it: through UTF-8, so a lone surrogate (`\uD800` in a
 * message quoting the input) arrives as U+FFFD, as the parent decodes a child's bytes.
 */
function asPiped(text: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(text));
}

function send(reply: Record<string, unknown>): Promise<void> {
  return new Promise((done, fail) => {
    process.stdout.write(JSON.stringify(reply) + "\n", (error) => (error ? fail(error) : done()));
  });
}

async function serve(): Promise<void> {
  let buffered = "";
  const queue: Request[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== "") queue.push(JSON.parse(line) as Request);
    }
    wake?.();
  });
  process.stdin.on("end", () => {
    ended = true;
    wake?.();
  });
  await send({ ready: true });
  for (;;) {
    const req = queue.shift();
    if (req === undefined) {
      if (ended) break;
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
      continue;
    }
    await send(await runOne(req));
  }
}

if ((import.meta as { main?: boolean }).main) {
  serve().then(() => process.exit(0));
}
