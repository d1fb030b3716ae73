/**
 * `deno task site:build`: the playground as a static site in `site/dist/` — `index.html` (with
 * the forms derived from the library's docs embedded), `app.js` (the page and the library,
 * bundled from this repository's modules for the browser by `deno bundle`), `style.css`, and
 * `python/` (the Python sandbox for `.py` configs: its worker, Pyodide's files and lrspec's
 * sandbox modules, fetched on the first `.py` only). Any static file server serves it; it opens
 * from the file system too, except for `.py` configs (a module worker needs a served page).
 *
 * Usage: deno run --allow-read --allow-write=site/dist --allow-run --allow-env site/build.ts
 *        [--out DIR]
 *
 * @module
 */

import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { DENO, siteSchema } from "./docs.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Writes the site.
 *
 * @param out The directory (made if missing; its `index.html`, `app.js`, `style.css` replaced).
 * @returns What was written, for the log.
 * @throws {Error} If the registry does not fit the docs, or the bundle fails.
 */
export function buildSite(out: string): string[] {
  mkdirSync(out, { recursive: true });
  const schema = siteSchema();
  const json = JSON.stringify(schema).replace(/</g, "\\u003c");
  const html = readFileSync(`${ROOT}site/static/index.html`, "utf8");
  if (!html.includes("/*SCHEMA*/")) throw new Error("site/static/index.html has no /*SCHEMA*/");
  writeFileSync(`${out}/index.html`, html.replace("/*SCHEMA*/", () => json));
  copyFileSync(`${ROOT}site/static/style.css`, `${out}/style.css`);
  const bundle = spawnSync(DENO, [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--format",
    "iife",
    "--minify",
    // Browser builds: csv-parse's (it brings its own Buffer) for verify/csv.ts's "csv-parse/sync",
    // jsonc-parser's ESM build for views/settings.ts.
    "--import-map",
    `${ROOT}site/browser_import_map.json`,
    "-o",
    `${out}/app.js`,
    `${ROOT}site/app/main.ts`,
  ], { cwd: ROOT, encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`deno bundle failed:\n${bundle.stderr}`);
  const python = buildPython(out);
  const size = (name: string) =>
    `${name} ${(statSync(`${out}/${name}`).size / 1024).toFixed(0)} KiB`;
  const families = Object.values(schema.families);
  const schedules = families.reduce((n, f) => n + f.schedules.length, 0);
  return [
    `${families.length} families, ${schedules} documented schedules`,
    size("index.html"),
    size("app.js"),
    size("style.css"),
    python,
  ];
}

/** Pyodide's files a browser loads (`loadPyodide({ indexURL })`). */
const PYODIDE_FILES = [
  "pyodide.mjs",
  "pyodide.asm.mjs",
  "pyodide.asm.wasm",
  "python_stdlib.zip",
  "pyodide-lock.json",
];

/**
 * The page's Python sandbox, for `.py` configs: `python/worker.js` (site/python_worker.ts,
 * bundled), Pyodide's files in `python/pyodide/` and lrspec's sandbox modules in
 * `python/lrspec/`. Fetched only when a `.py` is opened (a served site: a page opened from the
 * file system cannot start a module worker).
 */
function buildPython(out: string): string {
  const dir = `${out}/python`;
  for (const d of [dir, `${dir}/pyodide`, `${dir}/lrspec`]) mkdirSync(d, { recursive: true });
  const bundle = spawnSync(DENO, [
    "bundle",
    "--quiet",
    "--platform",
    "browser",
    "--format",
    "esm",
    "--minify",
    "-o",
    `${dir}/worker.js`,
    `${ROOT}site/python_worker.ts`,
  ], { cwd: ROOT, encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`deno bundle (python worker) failed:\n${bundle.stderr}`);
  let bytes = statSync(`${dir}/worker.js`).size;
  for (const name of PYODIDE_FILES) {
    copyFileSync(`${ROOT}node_modules/pyodide/${name}`, `${dir}/pyodide/${name}`);
    bytes += statSync(`${dir}/pyodide/${name}`).size;
  }
  for (const name of ["_sandbox.py", "_stubs.py", "_runtime.py"]) {
    copyFileSync(`${ROOT}config/pyodide/${name}`, `${dir}/lrspec/${name}`);
  }
  return `python/ ${(bytes / 1024 / 1024).toFixed(1)} MiB (Pyodide, loaded for .py configs only)`;
}

const meta = import.meta as ImportMeta & { main?: boolean };
if (meta.main ?? process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--out");
  const out = i >= 0 ? process.argv[i + 1]! : `${ROOT}site/dist`;
  const lines = buildSite(out);
  process.stdout.write(`site: ${out}\n  ${lines.join("\n  ")}\n`);
}
