/**
 * Running the playground in a real browser, for the browser tests and the screenshots: build the
 * site, serve it with `site/serve.mjs`, and drive Debian's headless Chromium through
 * `site/browser_driver.mjs` (playwright-core; nothing downloads a browser). Only `node:` APIs
 * and child processes, so the tests run alike on Deno, Bun and Node.
 *
 * @module
 */

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";

/** The repository's root. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** The browser: Debian's Chromium (`CHROMIUM` overrides). */
export const CHROMIUM: string = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** Whether the browser is there. */
export function haveBrowser(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Builds the site into `out` with `deno task site:build`'s script.
 *
 * @param out The directory.
 * @returns The build's log.
 * @throws {Error} With the build's output if it fails.
 */
export function buildSite(out: string): string {
  const r = spawnSync(
    `${ROOT}node_modules/.bin/deno`,
    [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      "site/build.ts",
      "--out",
      out,
    ],
    { cwd: ROOT, encoding: "utf8", timeout: 180_000 },
  );
  if (r.status !== 0) throw new Error(`site build failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A running static server. */
export interface Server {
  /** Its base URL (`http://127.0.0.1:PORT/`). */
  url: string;
  /** Stops it. */
  close(): void;
}

/**
 * Serves a directory with `site/serve.mjs` on a free port.
 *
 * @param dir The directory.
 * @returns The server, once it listens.
 */
export function serve(dir: string): Promise<Server> {
  const child = spawn(process.env.NODE ?? "node", ["site/serve.mjs", "--dir", dir, "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`serve.mjs did not start: ${out}`));
    }, 30_000);
    child.stdout!.on("data", (chunk) => {
      out += String(chunk);
      const m = /at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, close: () => child.kill() });
      }
    });
    child.stderr!.on("data", (chunk) => (out += String(chunk)));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited (${code}): ${out}`));
    });
  });
}

/** One thing the driver does (see `site/browser_driver.mjs`). */
export type Step = Record<string, unknown>;

/** A scenario: steps in one fresh page. */
export interface Scenario {
  /** Its name. */
  name: string;
  /** What to do. */
  steps: Step[];
}

/** What the driver saw in one scenario. */
export interface ScenarioResult {
  /** The scenario's name. */
  name: string;
  /** The values its steps stored (`as`). */
  values: Record<string, unknown>;
  /** Console errors and warnings, page errors, failed or outside requests. */
  errors: string[];
  /** The step that failed, if one did. */
  failure?: string;
}

/**
 * Runs scenarios in headless Chromium.
 *
 * @param base The site's URL.
 * @param scenarios The scenarios.
 * @param work A directory for the driver's files.
 * @returns One result per scenario, by name.
 * @throws {Error} If the driver itself fails.
 */
export function drive(
  base: string,
  scenarios: Scenario[],
  work: string,
): Map<string, ScenarioResult> {
  mkdirSync(work, { recursive: true });
  const input = `${work}/scenarios.json`;
  const output = `${work}/results.json`;
  writeFileSync(input, JSON.stringify({ base, scenarios }));
  const r = spawnSync(process.env.NODE ?? "node", ["site/browser_driver.mjs", input, output], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 570_000,
    env: { ...process.env, CHROMIUM },
  });
  if (r.status !== 0) {
    throw new Error(`browser driver failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const results = JSON.parse(readFileSync(output, "utf8")) as ScenarioResult[];
  return new Map(results.map((x) => [x.name, x]));
}
