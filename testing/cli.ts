/**
 * Helpers shared by the command-line tests: the CLI in-process, its one-line failures, and the CLI
 * spawned as a user runs it on the runtime running the tests.
 *
 * @module
 */

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { main } from "../cli/main.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** What a run of the CLI printed, and its exit status. */
export interface CliRun {
  /** The exit status `main` returned. */
  code: number;
  /** Everything written on stdout. */
  stdout: string;
  /** Everything written on stderr. */
  stderr: string;
}

/** The CLI in-process: `main(args)` with stdout and stderr captured. */
export async function run(...args: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

/**
 * The message of a failing command: exit status 2, nothing on stdout, one `lrspec: error: …` line
 * on stderr; returned without its prefix.
 */
export async function failure(...args: string[]): Promise<string> {
  const r = await run(...args);
  assert.equal(r.code, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trimEnd().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^lrspec: error: /);
  return lines[0]!.replace(/^lrspec: error: /, "");
}

/**
 * The CLI as a user runs it, on the runtime running the tests, from the repository's root: `deno
 * run cli/main.ts`, `bun cli/main.ts`, or on Node `bin/lrspec.mjs` (what `npx lrspec` runs).
 */
export function spawnLrspec(...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, lrspecArgs(...args), { cwd: ROOT, encoding: "utf8" });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The arguments of `process.execPath` that run the CLI as {@linkcode spawnLrspec} does, from the
 * repository's root (for a test that spawns it itself: other stdio, signals).
 */
export function lrspecArgs(...args: string[]): string[] {
  const g = globalThis as { Deno?: unknown; Bun?: unknown };
  return g.Deno
    ? ["run", "--allow-read", "--allow-write", "--allow-env", "cli/main.ts", ...args]
    : g.Bun
    ? ["cli/main.ts", ...args]
    : ["bin/lrspec.mjs", ...args];
}

/** The repository's root (absolute, with a trailing slash). */
export const REPO_ROOT: string = ROOT;
